/**
 * Base45 (RFC 9285): the encoding of QR codes' alphanumeric mode, as in the EU Digital COVID
 * Certificate. Two bytes become three characters, a last single byte two.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += ALPHABET[c]! + ALPHABET[d]! + ALPHABET[e]!;
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += ALPHABET[n % 45]! + ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** Decodes base45, or null when the text is not valid base45 (a wrong character, length or value). */
export function base45Decode(text: string): Buffer | null {
  if (text.length % 3 === 1) return null;
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    const v = [...chunk].map((c) => VALUE.get(c));
    if (v.some((x) => x === undefined)) return null;
    const [c, d, e] = v as number[];
    if (chunk.length === 3) {
      const n = c! + d! * 45 + e! * 2025;
      if (n > 0xffff) return null;
      out.push(n >> 8, n & 0xff);
    } else {
      const n = c! + d! * 45;
      if (n > 0xff) return null;
      out.push(n);
    }
  }
  return Buffer.from(out);
}
