/**
 * Masking for lists and search results (issue #4 §5; PIPL Art. 6 minimum scope, Art. 51
 * de-identification): a list shows enough to pick the right person, the full record needs a purpose.
 */

/** `11010519491231002X` → `110105********002X`: the address code and the last four stay. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 6) + '*'.repeat(idNumber.length - 10) + idNumber.slice(-4);
}

/**
 * `张晓明` → `张*明`, `张三` → `张*`, `买买提·艾力` → `买****力`; a one-character name is shown as is.
 * Counts characters, not UTF-16 units, so names with supplementary-plane characters mask correctly.
 */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
