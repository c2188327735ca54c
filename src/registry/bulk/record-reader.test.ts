import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, readRecords } from './record-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'hukou-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(text: string | Buffer, opts: { start?: number; end?: number; quoted: boolean; chunkBytes?: number }) {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  const out: { text: string; end: number; tooLong?: boolean }[] = [];
  for await (const r of readRecords(file, { start: opts.start ?? 0, end: opts.end, quoted: opts.quoted, chunkBytes: opts.chunkBytes })) out.push(r);
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

  it('keeps a line break inside a quoted field after an escaped quote, whatever the chunk size', async () => {
    const text = '"a ""b""\nc",x\n"""",y\nnext\n';
    for (const chunkBytes of [1, 2, 3, 5, 1 << 16]) {
      expect((await records(text, { quoted: true, chunkBytes })).map((r) => r.text)).toEqual(['"a ""b""\nc",x', '"""",y', 'next']);
    }
  });

  it('takes a quote inside an unquoted field as a character (as parseCsvRecord does), not as the start of a quoted field swallowing the lines after it', async () => {
    const text = 'a,5"号,b\nc,d\n"e\nf",6"\ng\n';
    for (const chunkBytes of [1, 2, 4, 1 << 16]) {
      expect((await records(text, { quoted: true, chunkBytes })).map((r) => r.text)).toEqual(['a,5"号,b', 'c,d', '"e\nf",6"', 'g']);
    }
  });

  it('stops at `end`: bytes appended after the file was hashed are not read', async () => {
    const text = 'a\nbb\nccc\n';
    expect((await records(text, { quoted: false, end: 5 })).map((r) => [r.text, r.end])).toEqual([['a', 2], ['bb', 5]]);
  });

  it('drops a record longer than the limit and carries on with the next', async () => {
    const text = Buffer.concat([Buffer.from('"'), Buffer.alloc(MAX_RECORD_BYTES + 10, 0x61), Buffer.from('\nok\n')]);
    const got = await records(text, { quoted: false, chunkBytes: 1 << 16 });
    expect(got.map((r) => [r.tooLong === true, r.text])).toEqual([[true, ''], [false, 'ok']]);
  });
});
