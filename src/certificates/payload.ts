import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { base45Decode, base45Encode } from './base45.ts';
import { canonicalJson } from './canonical-json.ts';
import type { Algorithm } from './signature.ts';

/**
 * The signed payload of a certificate and its QR text (the EU Digital COVID Certificate is the
 * model: signed compact payload with a key id, compressed, base45, a version prefix):
 *
 *   QR text  = "HKC1:" base45( deflate-raw( 0x01 ‖ len(sig) ‖ sig ‖ payload ) )
 *   payload  = UTF-8 canonical JSON (RFC 8785) of CertificatePayload
 *   sig      = signature over the payload bytes with the key `kid` (64 bytes: SM2 r ‖ s, or Ed25519)
 *
 * The key id and the algorithm are inside the signed payload, so neither can be swapped. A verifier
 * needs only the trust list (key id → public key). docs/certificates.md describes it for third parties.
 */
export const QR_PREFIX = 'HKC1:';
const CONTAINER_VERSION = 1;
/** Inflate no more than this: a crafted QR text must not expand into a memory bomb. */
const MAX_PAYLOAD_BYTES = 16_384;

export type CertificateKind = 'hukou_registration' | 'family_relationship' | 'deregistration';

export interface CertificatePayload {
  /** payload format version */
  v: 1;
  alg: Algorithm;
  kid: string;
  /** certificate number */
  no: string;
  type: CertificateKind;
  /** issuing registration authority id */
  iss: string;
  /** issued at, ISO 8601 UTC to the second */
  iat: string;
  /** last day of validity (China date, YYYY-MM-DD) */
  exp: string;
  /** index of the certificate's bit in the revocation status list */
  sl: number;
  /** the facts certified, and nothing else */
  sub: Record<string, unknown>;
}

export function payloadBytes(p: CertificatePayload): Buffer {
  return Buffer.from(canonicalJson(p), 'utf8');
}

export function encodeQrText(payload: Uint8Array, signature: Uint8Array): string {
  if (signature.length > 255) throw new Error('signature too long for the container');
  const container = Buffer.concat([Buffer.from([CONTAINER_VERSION, signature.length]), signature, payload]);
  return QR_PREFIX + base45Encode(deflateRawSync(container, { level: 9 }));
}

export interface DecodedQr {
  payloadBytes: Buffer;
  signature: Buffer;
  payload: CertificatePayload;
}

export function looksLikeQrText(text: string): boolean {
  return text.trim().toUpperCase().startsWith(QR_PREFIX);
}

/** The parts of a QR text, or null when it is not one (wrong prefix, base45, compression, container or JSON). */
export function decodeQrText(text: string): DecodedQr | null {
  const t = text.trim();
  if (!t.toUpperCase().startsWith(QR_PREFIX)) return null;
  const packed = base45Decode(t.slice(QR_PREFIX.length));
  if (!packed || packed.length === 0) return null;
  let container: Buffer;
  try {
    container = inflateRawSync(packed, { maxOutputLength: MAX_PAYLOAD_BYTES });
  } catch {
    return null;
  }
  // Only the canonical encoding is a certificate: raw deflate ignores the padding bits of its last byte
  // and anything after its final block, so a QR text with one such character changed would otherwise
  // decode to the same signed container and verify as genuine.
  if (!deflateRawSync(container, { level: 9 }).equals(packed)) return null;
  if (container.length < 3 || container[0] !== CONTAINER_VERSION) return null;
  const sigLength = container[1]!;
  if (container.length < 2 + sigLength + 2) return null;
  const signature = container.subarray(2, 2 + sigLength);
  const bytes = container.subarray(2 + sigLength);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!isPayload(parsed)) return null;
  return { payloadBytes: Buffer.from(bytes), signature: Buffer.from(signature), payload: parsed };
}

function isPayload(x: unknown): x is CertificatePayload {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const p = x as Record<string, unknown>;
  return (
    p.v === 1 &&
    (p.alg === 'SM2-SM3' || p.alg === 'Ed25519') &&
    typeof p.kid === 'string' &&
    typeof p.no === 'string' &&
    (p.type === 'hukou_registration' || p.type === 'family_relationship' || p.type === 'deregistration') &&
    typeof p.iss === 'string' &&
    typeof p.iat === 'string' &&
    typeof p.exp === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(p.exp) &&
    Number.isInteger(p.sl) &&
    (p.sl as number) >= 0 &&
    typeof p.sub === 'object' &&
    p.sub !== null &&
    !Array.isArray(p.sub)
  );
}
