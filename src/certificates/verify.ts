import { chinaDate } from '../platform/clock.ts';
import { decodeQrText, type CertificateKind, type CertificatePayload, type DecodedQr } from './payload.ts';
import { verifyBytes } from './signature.ts';
import { bitAt, decodeBits, statusListVerifies, type StatusList } from './status-list.ts';
import { trustedKeys, type TrustedKey } from './trust-list.ts';

/**
 * What a verifier answers. Only `genuine` means "issued by us, unchanged, in force"; everything
 * else says why not. Facts are shown for a genuine certificate only (minimum necessary: a revoked or
 * expired one shows its number, kind and dates, not whom it is about).
 */
export type VerificationStatus = 'genuine' | 'revoked' | 'expired' | 'unknown' | 'tampered';

export type VerificationReason =
  | 'valid'
  | 'revoked'
  | 'expired'
  | 'malformed'
  | 'number_malformed'
  | 'number_check_character'
  | 'not_issued'
  | 'unknown_key'
  | 'key_not_valid_then'
  | 'bad_signature'
  | 'differs_from_register'
  | 'trust_list_invalid'
  | 'status_list_invalid';

export interface VerifiedCertificate {
  number: string;
  kind: CertificateKind;
  issuingAuthorityId: string;
  issuedAt: string;
  validUntil: string;
  keyId: string;
  algorithm: string;
  /** null unless genuine */
  facts: Record<string, unknown> | null;
}

export interface VerificationResult {
  status: VerificationStatus;
  reason: VerificationReason;
  certificate: VerifiedCertificate | null;
  /** whether revocation was checked: always online; offline only with a valid status list */
  revocationChecked: boolean;
  /** offline: the status list is past its validUntil (its bits were still applied) */
  statusListStale?: boolean;
  checkedAt: string;
}

export function result(status: VerificationStatus, reason: VerificationReason, now: Date, certificate: VerifiedCertificate | null = null, revocationChecked = false): VerificationResult {
  return { status, reason, certificate, revocationChecked, checkedAt: now.toISOString() };
}

export function describe(p: CertificatePayload, withFacts: boolean): VerifiedCertificate {
  return { number: p.no, kind: p.type, issuingAuthorityId: p.iss, issuedAt: p.iat, validUntil: p.exp, keyId: p.kid, algorithm: p.alg, facts: withFacts ? p.sub : null };
}

/** Signature and key checks of a decoded QR: null when they pass, else the failing result. */
export function checkSignature(qr: DecodedQr, keys: Map<string, TrustedKey>, now: Date): VerificationResult | null {
  const p = qr.payload;
  const key = keys.get(p.kid);
  if (!key || key.alg !== p.alg) return result('unknown', 'unknown_key', now);
  if (!verifyBytes(key.alg, key.publicKey, qr.payloadBytes, qr.signature)) return result('tampered', 'bad_signature', now);
  // A key signs only within its validity: a certificate dated outside it was not issued with it.
  const iat = Date.parse(p.iat);
  const from = Date.parse(key.validFrom);
  const until = key.retiredAt === null ? Infinity : Date.parse(key.retiredAt);
  if (!(iat >= from && iat <= until)) return result('tampered', 'key_not_valid_then', now);
  return null;
}

/**
 * Offline verification (pure: no database, no network): a QR text against a trust list, and, when
 * given, a status list for revocation. `now` defaults to the current time (a test clock passes its own).
 */
export function verifyOffline(qrText: string, trustList: unknown, statusList?: StatusList | null, opts: { now?: Date } = {}): VerificationResult {
  const now = opts.now ?? new Date();
  const keys = trustedKeys(trustList);
  if (!keys) return result('unknown', 'trust_list_invalid', now);
  const qr = decodeQrText(qrText);
  if (!qr) return result('tampered', 'malformed', now);
  const failed = checkSignature(qr, keys, now);
  if (failed) return failed;
  const p = qr.payload;
  let revocationChecked = false;
  let stale = false;
  if (statusList) {
    const bits = statusListVerifies(statusList, keys) ? decodeBits(statusList) : null;
    const bit = bits ? bitAt(bits, p.sl) : null;
    if (bit === null) return result('unknown', 'status_list_invalid', now, describe(p, false));
    if (bit) return result('revoked', 'revoked', now, describe(p, false), true);
    revocationChecked = true;
    stale = typeof statusList.validUntil !== 'string' || statusList.validUntil < now.toISOString();
  }
  if (p.exp < chinaDate(now)) return { ...result('expired', 'expired', now, describe(p, false), revocationChecked), ...(statusList ? { statusListStale: stale } : {}) };
  return { ...result('genuine', 'valid', now, describe(p, true), revocationChecked), ...(statusList ? { statusListStale: stale } : {}) };
}
