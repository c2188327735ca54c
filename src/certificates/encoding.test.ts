import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base45Decode, base45Encode } from './base45.ts';
import { canonicalJson } from './canonical-json.ts';
import { checkCharacter, newCertificateNumber, parseCertificateNumber } from './number.ts';

describe('base45 (RFC 9285)', () => {
  it('encodes and decodes the RFC examples', () => {
    for (const [plain, enc] of [
      ['AB', 'BB8'],
      ['Hello!!', '%69 VD92EX0'],
      ['base-45', 'UJCLQE7W581'],
      ['ietf!', 'QED8WEX0'],
    ] as const) {
      expect(base45Encode(Buffer.from(plain))).toBe(enc);
      expect(base45Decode(enc)?.toString()).toBe(plain);
    }
  });
  it('refuses what is not base45', () => {
    expect(base45Decode('GGW')).toBeNull(); // 65535 < value
    expect(base45Decode('a')).toBeNull();
    expect(base45Decode('BB8B')).toBeNull();
    expect(base45Decode('bb8')).toBeNull();
  });
  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => Buffer.from(b).equals(base45Decode(base45Encode(b)) ?? Buffer.from('x'))));
  });
});

describe('canonical JSON (RFC 8785 subset)', () => {
  it('sorts keys, drops whitespace and undefined', () => {
    expect(canonicalJson({ b: 1, a: [true, null, '张三'], c: undefined, A: { z: 1, y: 2 } })).toBe('{"A":{"y":2,"z":1},"a":[true,null,"张三"],"b":1}');
  });
  it('is the same for the same value however its keys were ordered', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), (d) => {
      const reversed = Object.fromEntries(Object.entries(d).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(d));
      expect(JSON.parse(canonicalJson(d))).toEqual(d);
    }));
  });
});

describe('certificate numbers', () => {
  it('are ZM + 16 + a check character, all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = newCertificateNumber();
      expect(n).toMatch(/^ZM[0-9A-HJKMNP-TV-Z]{16}[0-9A-Z]$/);
      expect(parseCertificateNumber(n)).toEqual({ ok: true, number: n });
      seen.add(n);
    }
    expect(seen.size).toBe(200);
  });
  it('accept spaces, hyphens and lower case', () => {
    const n = newCertificateNumber();
    expect(parseCertificateNumber(` ${n.slice(0, 6).toLowerCase()}-${n.slice(6, 10)} ${n.slice(10)}`)).toEqual({ ok: true, number: n });
  });
  it('catch every single mistyped character, and all but 2 of the 992 swaps of unequal neighbours (D↔E)', () => {
    const n = newCertificateNumber();
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 2; i < 18; i++) {
      for (const c of alphabet) {
        if (c === n[i]) continue;
        const typo = n.slice(0, i) + c + n.slice(i + 1);
        expect(parseCertificateNumber(typo)).toEqual({ ok: false, reason: 'check_character' });
      }
    }
    let missed = 0;
    for (const a of alphabet) {
      for (const b of alphabet) {
        if (a !== b && checkCharacter(`00000${a}${b}000000000`) === checkCharacter(`00000${b}${a}000000000`)) missed++;
      }
    }
    expect(missed).toBe(2);
  });
  it('tell a malformed number from a mistyped one', () => {
    expect(parseCertificateNumber('ZM123')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCertificateNumber('XX0000000000000000A')).toEqual({ ok: false, reason: 'malformed' });
    expect(checkCharacter('0000000000000000')).toMatch(/^[0-9A-Z]$/);
  });
});
