import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, readRecords } from './record-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'hukou-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(text: string | Buffer, opts: { start?: number; quoted: boolean; chunkBytes?: number }) {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  const out: { text: string; end: number; tooLong?: boolean }[] = [];
  for await (const r of readRecords(file, { start: opts.start ?? 0, quoted: opts.quoted, chunkBytes: opts.chunkBytes })) out.push(r);
  return out;
}

describe('readRecords', () => {
  it('splits lines with exact byte offsets, whatever the chunk size (UTF-8 characters split across chunks)', async () => {
    const text = '{"name":"张三"}\r\n{"name":"李四"}\n\n{"name":"王五"}';
    const bytes = Buffer.from(text);
    for (const chunkBytes of [1, 2, 3, 7, 1 << 16]) {
      const got = await records(text, { quoted: false, chunkBytes });
      expect(got.map((r) => r.text)).toEqual(['{"name":"张三"}', '{"name":"李四"}', '', '{"name":"王五"}']);
      expect(got.map((r) => r.end)).toEqual([bytes.indexOf('\n') + 1, bytes.indexOf('\n\n') + 1, bytes.indexOf('\n\n') + 2, bytes.length]);
    }
  });

  it('resumes from a byte offset', async () => {
    const text = 'a\nbb\nccc\n';
    expect((await records(text, { start: 2, quoted: false })).map((r) => [r.text, r.end])).toEqual([['bb', 5], ['ccc', 9]]);
  });

  it('keeps line breaks inside quoted CSV fields', async () => {
    const text = 'a,"x\ny",b\n"1\n2\n3",c\n';
    for (const chunkBytes of [1, 4, 1 << 16]) {
      expect((await records(text, { quoted: true, chunkBytes })).map((r) => r.text)).toEqual(['a,"x\ny",b', '"1\n2\n3",c']);
    }
  });

  it('drops a record longer than the limit and carries on with the next', async () => {
    const text = Buffer.concat([Buffer.from('"'), Buffer.alloc(MAX_RECORD_BYTES + 10, 0x61), Buffer.from('\nok\n')]);
    const got = await records(text, { quoted: false, chunkBytes: 1 << 16 });
    expect(got.map((r) => [r.tooLong === true, r.text])).toEqual([[true, ''], [false, 'ok']]);
  });
});
