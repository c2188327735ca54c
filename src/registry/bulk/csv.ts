/**
 * CSV as RFC 4180 writes it: comma-separated, fields containing a comma, quote or line break in
 * double quotes, quotes doubled inside. One record's text in, its fields out (records are split by
 * record-reader.ts).
 */

/** The fields of one record, or null when a quoted field is not closed properly. */
export function parseCsvRecord(text: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text.charCodeAt(i) === 0x22) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return null;
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 0x22) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < n && text.charCodeAt(i) !== 0x2c) return null;
      fields.push(value);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) return fields;
    i++; // the comma
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}

/** One field as CSV: quoted when it holds a comma, quote or line break. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
