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
