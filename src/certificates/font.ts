import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';

/**
 * The CJK font of certificate PDFs: Noto Sans SC from the npm package @fontsource/noto-sans-sc
 * (OFL-1.1); its "chinese-simplified" WOFF covers GB 2312 and more, with Latin and digits. It is
 * unpacked once per process from WOFF 1.0 to plain TrueType (fontkit would otherwise inflate the
 * whole multi-megabyte glyf table again for every glyph it subsets), and one parsed fontkit font
 * is shared by every PDF (its layout tables take seconds to parse the first time).
 */
const require = createRequire(import.meta.url);
export const FONT_FILE = '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff';

/** WOFF 1.0 (W3C, 2012) → the sfnt it wraps: the same tables, uncompressed, 4-byte aligned. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const e = 44 + i * 20;
    const tag = woff.readUInt32BE(e);
    const offset = woff.readUInt32BE(e + 4);
    const compLength = woff.readUInt32BE(e + 8);
    const origLength = woff.readUInt32BE(e + 12);
    const checksum = woff.readUInt32BE(e + 16);
    const raw = woff.subarray(offset, offset + compLength);
    tables.push({ tag, checksum, data: compLength < origLength ? inflateSync(raw) : Buffer.from(raw) });
  }
  tables.sort((a, b) => a.tag - b.tag);
  let searchRange = 1;
  let entrySelector = 0;
  while (searchRange * 2 <= numTables) {
    searchRange *= 2;
    entrySelector++;
  }
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange * 16, 10);
  const chunks: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const r = 12 + i * 16;
    header.writeUInt32BE(t.tag, r);
    header.writeUInt32BE(t.checksum, r + 4);
    header.writeUInt32BE(offset, r + 8);
    header.writeUInt32BE(t.data.length, r + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    chunks.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(chunks);
}

let ttf: Buffer | null = null;
let parsed: ReturnType<typeof fontkit.create> | null = null;

export function certificateFontBytes(): Buffer {
  ttf ??= woffToSfnt(readFileSync(require.resolve(FONT_FILE)));
  return ttf;
}

/** What pdf-lib's `registerFontkit` takes: fontkit, handing out the one parsed font for our bytes. */
export const sharedFontkit = {
  create(bytes: Uint8Array, postscriptName?: string) {
    if (bytes === certificateFontBytes()) return (parsed ??= fontkit.create(certificateFontBytes()));
    return fontkit.create(bytes as Buffer, postscriptName);
  },
} as unknown as typeof fontkit;
