import { randomBytes } from 'node:crypto';

/**
 * Certificate numbers: `ZM` (证明) + 16 characters of Crockford's base32 (80 random bits, so a number
 * cannot be guessed from another) + one check character, ISO 7064 MOD 37,36 over the 16 (it catches
 * every single wrong character, and every swap of two neighbours but D↔E). Shown grouped by four for reading
 * aloud; any spaces or hyphens and lower case are accepted back.
 */
export const NUMBER_PREFIX = 'ZM';
const BODY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const NUMBER_SHAPE = /^ZM[0-9A-HJKMNP-TV-Z]{16}[0-9A-Z]$/;

/** ISO 7064 MOD 37,36 (hybrid system): the check character of `body`. */
export function checkCharacter(body: string): string {
  const m = 36;
  let p = m;
  for (const c of body) {
    const v = CHECK_ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not an alphanumeric character: ${c}`);
    let s = (p + v) % m;
    if (s === 0) s = m;
    p = (2 * s) % (m + 1);
  }
  return CHECK_ALPHABET[(m + 1 - p) % m]!;
}

export function newCertificateNumber(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let body = '';
  for (let i = 0; i < 16; i++) body = BODY_ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)]! + body;
  return NUMBER_PREFIX + body + checkCharacter(body);
}

export type NumberCheck = { ok: true; number: string } | { ok: false; reason: 'malformed' | 'check_character' };

/** Normalises (upper case, no spaces or hyphens) and checks shape and check character. */
export function parseCertificateNumber(raw: string): NumberCheck {
  const n = raw.replace(/[\s-]/g, '').toUpperCase();
  if (!NUMBER_SHAPE.test(n)) return { ok: false, reason: 'malformed' };
  if (checkCharacter(n.slice(2, 18)) !== n[18]) return { ok: false, reason: 'check_character' };
  return { ok: true, number: n };
}

/** `ZM7Q2K…` → `ZM7Q 2K9F 4M1X 8C3V 5T J`-style groups of four for print. */
export function groupedNumber(n: string): string {
  return n.match(/.{1,4}/g)!.join(' ');
}
