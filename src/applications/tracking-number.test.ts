import { describe, expect, it } from 'vitest';
import { checkCharacter, newTrackingNumber, parseTrackingNumber } from './tracking-number.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('tracking numbers (ISO 7064 MOD 37,36)', () => {
  it('matches the published example of ISO 7064 MOD 37,36', () => {
    // ISO 7064 Annex: the check character of "A12425GABC1234002" is "M".
    expect(checkCharacter('A12425GABC1234002')).toBe('M');
  });

  it('accepts fresh numbers, in any case and with separators', () => {
    for (let i = 0; i < 200; i++) {
      const n = newTrackingNumber();
      expect(parseTrackingNumber(n)).toBe(n);
      expect(parseTrackingNumber(`${n.slice(0, 6).toLowerCase()}-${n.slice(6)}`)).toBe(n);
    }
  });

  it('refuses every single-character substitution and nearly every adjacent transposition', () => {
    // MOD 37,36 (a hybrid system) catches every single substitution; it misses a few swaps of two
    // neighbouring characters (about 0.2 % measured over 48,000: consecutive alphabet pairs such as
    // D↔E), so those are held to a rate, not to "never".
    let swaps = 0;
    let missed = 0;
    for (let k = 0; k < 50; k++) {
      const n = newTrackingNumber();
      for (let i = 0; i < n.length; i++) {
        for (const c of ALPHABET) {
          if (c === n[i]) continue;
          expect(parseTrackingNumber(n.slice(0, i) + c + n.slice(i + 1))).toBeNull();
        }
        if (i + 1 < n.length && n[i] !== n[i + 1]) {
          swaps++;
          if (parseTrackingNumber(n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2)) !== null) missed++;
        }
      }
    }
    expect(missed / swaps).toBeLessThan(0.02);
  });

  it('refuses malformed input', () => {
    for (const bad of ['', 'ABC', '!'.repeat(17), '0'.repeat(18)]) expect(parseTrackingNumber(bad)).toBeNull();
  });
});
