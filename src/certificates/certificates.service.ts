import { authorityInJurisdiction } from '../access/index.ts';
import { personIdOf } from '../registry/index.ts';
import { chinaDate, systemClock, type Clock } from '../platform/clock.ts';
import type { ServiceContext } from '../platform/context.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { loadLawFile, versionOn } from '../platform/law-data.ts';
import { assertText } from '../platform/text.ts';
import { Type } from 'typebox';
import * as q from './certificates.queries.ts';
import type { CertificateView } from './certificates.schemas.ts';
import { assertFacts } from './facts.ts';
import { activeSigner, currentTrustList, activeSignerIfAny, trustedKeysFor } from './keys.service.ts';
import { newCertificateNumber, parseCertificateNumber } from './number.ts';
import { decodeQrText, encodeQrText, looksLikeQrText, payloadBytes, type CertificateKind, type CertificatePayload } from './payload.ts';
import { signBytes } from './signature.ts';
import { buildStatusList, type StatusList } from './status-list.ts';
import { checkSignature, describe, result, type VerificationResult } from './verify.ts';

export interface IssueCertificateInput {
  kind: CertificateKind;
  /** the person certified */
  subjectIdNumber: string;
  /** tracking number of the application, if any: one certificate of a kind per application */
  applicationId: string | null;
  /** registration authority id (reference module) */
  issuingAuthorityId: string;
  /** the minimum facts certified (src/certificates/facts.ts) */
  facts: Record<string, unknown>;
  /** default: data/law/certificate-validity.json */
  validDays?: number;
}

const validityLaw = loadLawFile('certificate-validity.json', Type.Object({ days: Type.Object({ hukou_registration: Type.Integer(), family_relationship: Type.Integer(), deregistration: Type.Integer() }) }));

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field} ${message}.`, { details: [{ field, code: 'INVALID', message }] });
}

function view(row: q.CertificateRow, events: Awaited<ReturnType<typeof q.listEvents>>, today: string): CertificateView {
  const p = JSON.parse(row.payload) as CertificatePayload;
  return {
    number: row.number,
    kind: row.kind,
    status: row.revoked_at ? 'revoked' : row.valid_until < today ? 'expired' : 'valid',
    subjectIdNumber: row.subject_id_number,
    applicationId: row.application_id,
    issuingAuthorityId: row.issuing_authority_id,
    facts: row.facts,
    issuedAt: row.issued_at.toISOString(),
    validUntil: row.valid_until,
    keyId: row.key_id,
    algorithm: p.alg,
    statusIndex: row.status_index,
    qrText: row.qr_text,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    revocationReason: row.revocation_reason,
    events: events.map((e) => ({ kind: e.kind, actor: e.actor, authorityId: e.authority_id, reason: e.reason, at: e.at.toISOString() })),
  };
}

/** Inserts the row; an issuing authority that does not exist is the caller's mistake, not a 500. */
async function insertOrExplain(db: Db, row: Parameters<typeof q.insertCertificate>[1]): Promise<void> {
  try {
    await q.insertCertificate(db, row);
  } catch (e) {
    if ((e as { code?: string; constraint?: string }).code === '23503' && (e as { constraint?: string }).constraint === 'certificate_issuing_authority_id_fkey') {
      throw invalid('issuingAuthorityId', `is not a registration authority: ${row.issuing_authority_id}`);
    }
    throw e;
  }
}

async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * Issues a certificate: checks the facts against the kind, signs the canonical payload with the key
 * in use, and stores the row and its `issued` event in the caller's transaction (or its own).
 * Idempotent per application and kind: a retried approval gets the same certificate back.
 */
export async function issueCertificate(ctx: ServiceContext, input: IssueCertificateInput): Promise<CertificateView> {
  if (!authorityInJurisdiction(ctx.actor, input.issuingAuthorityId)) {
    throw new AppError('FORBIDDEN', `You act for ${ctx.actor.authorityId}; ${input.issuingAuthorityId} is not your authority nor under it.`, {
      details: [{ field: 'issuingAuthorityId', code: 'NOT_YOUR_AUTHORITY', message: `must be ${ctx.actor.authorityId} or an authority inside its area` }],
    });
  }
  if (!/^[0-9]{17}[0-9X]$/.test(input.subjectIdNumber)) throw invalid('subjectIdNumber', 'must be an 18-character resident ID number');
  if (input.applicationId !== null && (input.applicationId.length < 1 || input.applicationId.length > 64)) throw invalid('applicationId', 'must be 1–64 characters');
  if (input.validDays !== undefined && (!Number.isInteger(input.validDays) || input.validDays < 1 || input.validDays > 366)) throw invalid('validDays', 'must be a whole number of days, 1–366');
  assertFacts(input.kind, input.subjectIdNumber, input.facts);

  return inTransaction(ctx.db, async (trx) => {
    if (input.applicationId !== null) {
      const existing = await q.findByApplication(trx, input.applicationId, input.kind);
      if (existing) return view(existing, await q.listEvents(trx, existing.number), chinaDate(ctx.clock.now()));
    }
    const personId = await personIdOf(trx, input.subjectIdNumber);
    if (personId === null) throw new AppError('CERTIFICATE_SUBJECT_NOT_FOUND', `No one in the register holds or held ID number ${input.subjectIdNumber}.`);
    const now = new Date(Math.floor(ctx.clock.now().getTime() / 1000) * 1000);
    const today = chinaDate(now);
    const days = input.validDays ?? versionOn(validityLaw, today).days[input.kind];
    const signer = await activeSigner(trx, { actorId: ctx.actor.id, at: now });
    const statusIndex = await q.nextStatusIndex(trx);
    const payload: CertificatePayload = {
      v: 1,
      alg: signer.key.algorithm,
      kid: signer.kid,
      no: newCertificateNumber(),
      type: input.kind,
      iss: input.issuingAuthorityId,
      iat: now.toISOString().replace('.000Z', 'Z'),
      exp: addDays(today, days - 1),
      sl: statusIndex,
      sub: input.facts,
    };
    const bytes = payloadBytes(payload);
    const signature = signBytes(signer.key, bytes);
    await insertOrExplain(trx, {
      number: payload.no,
      kind: input.kind,
      person_id: personId,
      subject_id_number: input.subjectIdNumber,
      application_id: input.applicationId,
      issuing_authority_id: input.issuingAuthorityId,
      facts: JSON.stringify(input.facts),
      payload: bytes.toString('utf8'),
      signature,
      key_id: signer.kid,
      qr_text: encodeQrText(bytes, signature),
      status_index: statusIndex,
      issued_at: now,
      valid_until: payload.exp,
      issued_by: ctx.actor.id,
    });
    await q.insertEvent(trx, { certificate_number: payload.no, kind: 'issued', actor: ctx.actor.id, authority_id: input.issuingAuthorityId, reason: input.applicationId, at: now });
    const row = await q.findVisible(trx, { ...ctx.actor, role: 'system' }, payload.no);
    return view(row!, await q.listEvents(trx, payload.no), today);
  });
}

/** A checked certificate number, or CERTIFICATE_NUMBER_MALFORMED / CERTIFICATE_NUMBER_MISTYPED. */
export function certificateNumber(raw: string): string {
  const n = parseCertificateNumber(raw);
  if (n.ok) return n.number;
  if (n.reason === 'check_character') throw new AppError('CERTIFICATE_NUMBER_MISTYPED', `The last character of ${raw} does not match the rest: a character is mistyped.`, { details: { number: raw } });
  throw new AppError('CERTIFICATE_NUMBER_MALFORMED', `${raw} is not a certificate number (ZM followed by 17 letters and digits).`, { details: { number: raw } });
}

function notFound(number: string): AppError {
  return new AppError('CERTIFICATE_NOT_FOUND', `No certificate ${number} that you may see.`, { details: { number } });
}

/** One certificate with its person id (for the access log); the subject or an officer in area, else CERTIFICATE_NOT_FOUND. */
export async function readCertificate(ctx: ServiceContext, rawNumber: string): Promise<{ certificate: CertificateView; personId: number }> {
  const number = certificateNumber(rawNumber);
  const row = await q.findVisible(ctx.db, ctx.actor, number);
  if (!row) throw notFound(number);
  return { certificate: view(row, await q.listEvents(ctx.db, number), chinaDate(ctx.clock.now())), personId: row.person_id };
}

export async function getCertificate(ctx: ServiceContext, number: string): Promise<CertificateView> {
  return (await readCertificate(ctx, number)).certificate;
}

/**
 * Revokes a certificate (a fact certified no longer holds, or it was issued in error): at once for
 * online verification, and in the next status list for offline verifiers. The officer must act for
 * the issuing authority or an authority above it; others in area only read.
 */
export async function revokeCertificate(ctx: ServiceContext, rawNumber: string, reason: string): Promise<CertificateView> {
  const number = certificateNumber(rawNumber);
  assertText([['reason', reason, 500]]);
  return inTransaction(ctx.db, async (trx) => {
    const row = await q.findVisible(trx, ctx.actor, number, true);
    if (!row) throw notFound(number);
    if (!authorityInJurisdiction(ctx.actor, row.issuing_authority_id)) {
      throw new AppError('FORBIDDEN', `Only the issuing authority (${row.issuing_authority_id}) or one above it revokes this certificate.`, { details: { issuingAuthorityId: row.issuing_authority_id } });
    }
    if (row.revoked_at) {
      throw new AppError('CERTIFICATE_ALREADY_REVOKED', `Certificate ${number} was revoked on ${row.revoked_at.toISOString()}.`, { details: { revokedAt: row.revoked_at.toISOString(), reason: row.revocation_reason } });
    }
    const now = ctx.clock.now();
    await q.revoke(trx, number, ctx.actor.id, reason.trim(), now);
    await q.insertEvent(trx, { certificate_number: number, kind: 'revoked', actor: ctx.actor.id, authority_id: ctx.actor.authorityId, reason: reason.trim(), at: now });
    const after = await q.findVisible(trx, ctx.actor, number);
    return view(after!, await q.listEvents(trx, number), chinaDate(now));
  });
}

/**
 * Public online verification of a QR text or a certificate number (no login): the register's own
 * record decides — revocation takes effect at once. A QR text must also carry a valid signature and
 * be exactly the payload the register holds. Answers with the minimum facts.
 */
export async function verifyCertificateOnline(db: Db, qrTextOrNumber: string, clock: Clock = systemClock): Promise<VerificationResult> {
  const now = clock.now();
  const input = qrTextOrNumber.trim();
  let number: string;
  let signedPayload: string | null = null;
  if (looksLikeQrText(input)) {
    const qr = decodeQrText(input);
    if (!qr) return result('tampered', 'malformed', now, null, true);
    const failed = checkSignature(qr, await trustedKeysFor(db, qr.payload.kid), now);
    if (failed) return { ...failed, revocationChecked: true };
    number = qr.payload.no;
    signedPayload = qr.payloadBytes.toString('utf8');
  } else {
    const n = parseCertificateNumber(input);
    if (!n.ok) return result('unknown', n.reason === 'check_character' ? 'number_check_character' : 'number_malformed', now, null, true);
    number = n.number;
  }
  const row = await q.findForVerification(db, number);
  if (!row) return result('unknown', 'not_issued', now, null, true);
  if (signedPayload !== null && signedPayload !== row.payload) return result('tampered', 'differs_from_register', now, null, true);
  const p = JSON.parse(row.payload) as CertificatePayload;
  if (row.revoked_at) return result('revoked', 'revoked', now, describe(p, false), true);
  if (row.valid_until < chinaDate(now)) return result('expired', 'expired', now, describe(p, false), true);
  return result('genuine', 'valid', now, describe(p, true), true);
}

export const STATUS_LIST_PATH = '/api/v1/public/certificates/status-list';

/** The signed revocation status list as of now. */
export async function currentStatusList(db: Db, now: Date): Promise<StatusList> {
  const [revoked, highest, signer] = await Promise.all([q.revokedIndexes(db), q.highestStatusIndex(db), activeSignerIfAny(db)]);
  return buildStatusList({ revoked: revoked.map((r) => r.status_index), highestIndex: highest, now, url: STATUS_LIST_PATH, signer });
}

export { currentTrustList };

/** The certificate's PDF, for whoever may read the certificate (`readCertificate`). */
export async function readCertificatePdf(ctx: ServiceContext, number: string): Promise<{ pdf: Buffer; personId: number; number: string }> {
  const { certificate, personId } = await readCertificate(ctx, number);
  // loaded on first use: pdf-lib, fontkit and qrcode would slow every `hukou` command's start
  const { certificatePdf } = await import('./pdf.ts');
  return { pdf: await certificatePdf(certificate), personId, number: certificate.number };
}

export async function renderCertificatePdf(ctx: ServiceContext, number: string): Promise<Buffer> {
  return (await readCertificatePdf(ctx, number)).pdf;
}
