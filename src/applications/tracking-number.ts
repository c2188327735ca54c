import { randomInt } from 'node:crypto';

/**
 * Tracking numbers (受理编号) handed to applicants: 16 random characters of 0-9A-Z (36^16 ≈ 8·10^24,
 * unguessable) and one check character by ISO 7064 MOD 37,36 (the hybrid system over the same
 * alphabet). The check catches every single-character mistake and every swap of neighbours, so a
 * mistyped number is refused as such (INVALID_TRACKING_NUMBER) before any lookup.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;
const RANDOM_LENGTH = 16;
export const TRACKING_NUMBER_PATTERN = '^[0-9A-Za-z]{17}$';

/** ISO 7064 MOD 37,36: the check character of `payload` (characters of ALPHABET). */
export function checkCharacter(payload: string): string {
  let p = M;
  for (const ch of payload) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not a tracking-number character: ${ch}`);
    let s = (p + v) % M;
    if (s === 0) s = M;
    p = (2 * s) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

export function newTrackingNumber(): string {
  let payload = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) payload += ALPHABET[randomInt(M)];
  return payload + checkCharacter(payload);
}

/** The normalised number (upper case, spaces and hyphens removed) when well formed with a matching check character, else null. */
export function parseTrackingNumber(raw: string): string | null {
  const n = raw.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[0-9A-Z]{17}$/.test(n)) return null;
  return checkCharacter(n.slice(0, RANDOM_LENGTH)) === n[RANDOM_LENGTH] ? n : null;
}
