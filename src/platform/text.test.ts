import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { assertText, NOT_BLANK, textIssue } from './text.ts';

describe('free text', () => {
  it('is blank when it holds only spaces, ASCII or ideographic (U+3000)', () => {
    for (const v of ['', ' ', '\t\n', '\u3000\u3000']) expect(textIssue('address', v, 200)?.code).toBe('BLANK');
    expect(textIssue('address', ' 建国路1号 ', 200)).toBeNull();
    expect(textIssue('address', undefined, 200)).toBeNull();
    // the schemas' pattern agrees
    expect(new RegExp(NOT_BLANK).test('\u3000')).toBe(false);
    expect(new RegExp(NOT_BLANK).test(' 号')).toBe(true);
  });

  it('counts characters, not UTF-16 units: 60 characters outside the BMP fit in 60', () => {
    const rare = '𠀀'.repeat(60); // 120 UTF-16 units
    expect(textIssue('name', rare, 60)).toBeNull();
    expect(textIssue('name', `${rare}𠀀`, 60)?.code).toBe('TOO_LONG');
    expect(textIssue('name', '张'.repeat(61), 60)?.code).toBe('TOO_LONG');
  });

  it('assertText refuses with VALIDATION_FAILED and one detail per field', () => {
    let error: unknown;
    try {
      assertText([['reason', '  ', 500], ['address', 'x'.repeat(201), 200], ['name', '王', 60]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect(((error as AppError).details as { field: string; code: string }[]).map((d) => [d.field, d.code])).toEqual([
      ['reason', 'BLANK'],
      ['address', 'TOO_LONG'],
    ]);
  });
});
