import { describe, expect, it } from 'vitest';
import { csvField, parseCsvRecord } from './csv.ts';

describe('parseCsvRecord', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c', ['a', '', 'c']],
    ['a,b,', ['a', 'b', '']],
    ['', ['']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"line\nbreak",2', ['line\nbreak', '2']],
    ['"",""', ['', '']],
    ['张三,"北京市,东城区"', ['张三', '北京市,东城区']],
  ])('%j → %j', (text, fields) => {
    expect(parseCsvRecord(text)).toEqual(fields);
  });

  it.each(['"open', '"closed"trailing,x', 'a,"b'])('refuses a badly quoted record: %j', (text) => {
    expect(parseCsvRecord(text)).toBeNull();
  });

  it('reads back what csvField writes', () => {
    const values = ['plain', 'with,comma', 'with "quotes"', 'two\nlines', '', '户号,"1"'];
    expect(parseCsvRecord(values.map(csvField).join(','))).toEqual(values);
  });
});
