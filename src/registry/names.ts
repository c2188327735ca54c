import { pinyin } from 'pinyin-pro';

/**
 * The search key of a name: Hanyu Pinyin without tones or spaces, lowercase, ü as v, surnames read
 * as surnames (单 shan, 曾 zeng). `张小明` → `zhangxiaoming`.
 */
export function namePinyin(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** True when a search text is pinyin (Latin letters) rather than Chinese characters. */
export function isPinyinQuery(text: string): boolean {
  return /^[A-Za-z\s]+$/.test(text);
}

/** Search results never show a full ID number: `110105********002X` (address code and last four). */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

/** Search results never show a full name: `张*明`, `欧**娜`, `李*` (first and, from three characters, last). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
