import type { ServiceContext } from '../platform/context.ts';

/** The kinds of household certificate (户籍证明) the catalog's certificate services end in. */
export type CertificateKind = 'hukou_registration' | 'family_relationship' | 'deregistration';

export interface IssueCertificateInput {
  kind: CertificateKind;
  subjectIdNumber: string;
  applicationId: string | null;
  issuingAuthorityId: string;
  /** The minimum facts certified. */
  facts: Record<string, unknown>;
  validDays?: number;
}

/**
 * Issues a signed electronic certificate (src/certificates, issue #14 item 7). Injected by the
 * composition root (app/build-app.ts, app/cli.ts): this module never imports the certificate module.
 * Called inside the approval's transaction (`ctx.db` is that transaction), so the certificate and
 * the approval commit together or not at all.
 */
export type CertificateIssuer = (ctx: ServiceContext, input: IssueCertificateInput) => Promise<{ certificateNumber: string }>;
