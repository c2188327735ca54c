import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName } from './masking.ts';

describe('maskIdNumber', () => {
  it.each([
    ['11010519491231002X', '110105********002X'],
    ['440305199001011234', '440305********1234'],
    ['110105490101001', '110105*****1001'],
    ['1234', '****'],
  ])('%s → %s', (input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });
});

describe('maskName', () => {
  it.each([
    ['张晓明', '张*明'],
    ['张三', '张*'],
    ['李', '李'],
    ['欧阳娜娜', '欧**娜'],
    ['买买提·艾力', '买****力'],
    ['𠀀明华', '𠀀*华'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });
});
