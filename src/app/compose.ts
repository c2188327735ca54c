import type { CertificateIssuer } from '../applications/index.ts';
import { issueCertificate } from '../certificates/index.ts';
import { configurePersonDirectory, configurePersonVisibility } from '../access/index.ts';
import { configureTrailSources } from '../audit/index.ts';
import { cardCheckTrail, cardEventTrail, idCardVisibilityRule } from '../idcards/index.ts';
import {
  configureRegisterChangeObservers,
  findPersonIdByIdNumber,
  firstActivePersonIdWhere,
  hukouVisibilityRule,
  idNumbersHeldBy,
  registrationEventTrail,
  transferVisibilityRule,
} from '../registry/index.ts';
import { endOvertakenRegistrations, residenceEventTrail, residenceVisibilityRule } from '../residence/index.ts';

/**
 * Who an officer sees (issue #4): each rule is owned by the module whose tables it reads, and
 * composed here, explicitly, for the whole process.
 */
export const PERSON_VISIBILITY_RULES = [hukouVisibilityRule, residenceVisibilityRule, idCardVisibilityRule, transferVisibilityRule] as const;

/**
 * Wires modules that cannot import each other (a lower module needs data of a higher one): person
 * visibility for access's queries, the register's person lookups for accounts, residence reacting
 * to register changes in their transaction, the citizen's trail reading the register and card checks.
 * Called by `buildApp`, the CLI, benchmarks and the test
 * setup before anything else; idempotent.
 */
export function composeModules(): void {
  configurePersonVisibility(PERSON_VISIBILITY_RULES);
  configurePersonDirectory({ findPersonIdByIdNumber, firstActivePersonIdWhere });
  configureRegisterChangeObservers([endOvertakenRegistrations]);
  configureTrailSources({ idNumbersOf: idNumbersHeldBy, records: [cardCheckTrail, cardEventTrail, registrationEventTrail, residenceEventTrail] });
}

/**
 * Approving a certificate application issues the electronic certificate (src/certificates) in the
 * approval's transaction; applications knows only this interface, certificates knows nothing of
 * applications.
 */
export const certificateIssuer: CertificateIssuer = async (ctx, input) => {
  const certificate = await issueCertificate(ctx, input);
  return { certificateNumber: certificate.number };
};
