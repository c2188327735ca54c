import { describe, expect, it } from 'vitest';
import { rowFromJson } from './import-format.ts';

describe('rowFromJson', () => {
  it.each(['[]', '[{"name":"张三"}]', '1', 'null', '"张三"', 'true'])('refuses a line that is not one JSON object: %s', (text) => {
    expect(rowFromJson(text).issues).toEqual([expect.objectContaining({ field: '*', code: 'ROW_MALFORMED' })]);
  });

  it('ignores a byte-order mark before the object (the first line of a file saved with one)', () => {
    expect(rowFromJson('\uFEFF{"name":"张三"}')).toEqual({ row: { name: '张三' }, issues: [] });
  });

  it.each([
    '{"name":"张三","sex":"1","name":"李四"}',
    '{"name" : "张三", "sex" : "1", "name" : "李四"}',
    '{"name":"张三","education":"\\":","name" :"李四"}',
    '{"name":"张三","\\u006eame":"李四"}',
  ])('refuses an object naming a field twice (JSON.parse would keep only the last): %s', (text) => {
    expect(rowFromJson(text).issues).toEqual([{ field: '*', code: 'ROW_MALFORMED', message: expect.stringContaining('"name"') }]);
  });

  it('does not take a value holding ": for a repeated key', () => {
    const text = '{"name":"张三","household_address":"路\\":1号","former_names":["a\\":","{\\"name\\":"],"employer":"x"}';
    expect(rowFromJson(text)).toEqual({
      row: { name: '张三', household_address: '路":1号', former_names: ['a":', '{"name":'], employer: 'x' },
      issues: [],
    });
  });
});
