/**
 * The bulk format of the register, one row per person (docs/import-format.md): the person's
 * particulars, their hukou (household and relationship to its head, with the household's details
 * for a new household), and an open residence registration if any. CSV columns and NDJSON keys
 * carry the same names; `hukou export` writes every column in this order.
 */
export const IMPORT_FIELDS = [
  'id_number',
  'name',
  'name_pinyin',
  'former_names',
  'former_id_numbers',
  'sex',
  'birth_date',
  'ethnicity',
  'birthplace_code',
  'native_place_code',
  'education',
  'marital_status',
  'occupation',
  'employer',
  'status',
  'death_date',
  'household_number',
  'household_kind',
  'household_county_code',
  'household_township_code',
  'household_address',
  'household_authority_id',
  'relationship',
  'since',
  'until',
  'residence_authority_id',
  'residence_address',
  'residence_since',
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Columns every CSV header must have (NDJSON rows must carry these keys). */
export const REQUIRED_FIELDS: readonly ImportField[] = ['id_number', 'name', 'sex', 'birth_date', 'ethnicity'];

/** List fields: a JSON array in NDJSON, `;`-separated in CSV. */
export const LIST_FIELDS: ReadonlySet<ImportField> = new Set(['former_names', 'former_id_numbers']);
export const LIST_SEPARATOR = ';';

const KNOWN: ReadonlySet<string> = new Set(IMPORT_FIELDS);

/** One row as read: each present field as text (lists as arrays); empty values are absent. */
export type RawRow = Partial<Record<ImportField, string | string[]>>;

export interface RowIssue {
  field: string;
  code: string;
  message: string;
}

export type ImportFormat = 'ndjson' | 'csv';

export function formatOfFile(path: string): ImportFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** The problems of a CSV header: unknown columns, missing required ones, repeats. */
export function headerProblems(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    if (!KNOWN.has(c)) problems.push(`unknown column "${c}"`);
    if (seen.has(c)) problems.push(`column "${c}" appears twice`);
    seen.add(c);
  }
  for (const r of REQUIRED_FIELDS) if (!seen.has(r)) problems.push(`required column "${r}" is missing`);
  return problems;
}

export function rowFromCsv(columns: readonly string[], values: readonly string[]): { row: RawRow; issues: RowIssue[] } {
  if (values.length !== columns.length) {
    return { row: {}, issues: [{ field: '*', code: 'ROW_MALFORMED', message: `the row has ${values.length} fields, the header ${columns.length}` }] };
  }
  const row: RawRow = {};
  columns.forEach((c, i) => {
    const v = values[i]!;
    if (v === '') return;
    const field = c as ImportField;
    row[field] = LIST_FIELDS.has(field) ? v.split(LIST_SEPARATOR).filter((x) => x !== '') : v;
  });
  return { row, issues: [] };
}

export function rowFromJson(text: string): { row: RawRow; issues: RowIssue[] } {
  let value: unknown;
  try {
    // a byte-order mark starts the first line of a file saved with one (and of each file concatenated after it)
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { row: {}, issues: [{ field: '*', code: 'ROW_MALFORMED', message: `not JSON: ${(e as Error).message}` }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { row: {}, issues: [{ field: '*', code: 'ROW_MALFORMED', message: 'each line must be one JSON object' }] };
  }
  const entries = Object.entries(value);
  const repeated = repeatedKey(text, entries.length);
  if (repeated !== null) {
    return { row: {}, issues: [{ field: '*', code: 'ROW_MALFORMED', message: `${JSON.stringify(repeated)} appears twice in the object: which value is meant?` }] };
  }
  const row: RawRow = {};
  const issues: RowIssue[] = [];
  for (const [key, v] of entries) {
    if (!KNOWN.has(key)) {
      issues.push({ field: key, code: 'FIELD_UNKNOWN', message: `"${key}" is not a field of the import format (see docs/import-format.md)` });
      continue;
    }
    const field = key as ImportField;
    if (v === null || v === '') continue;
    if (LIST_FIELDS.has(field)) {
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) row[field] = v.filter((x) => x !== '');
      else if (typeof v === 'string') row[field] = v.split(LIST_SEPARATOR).filter((x) => x !== '');
      else issues.push({ field, code: 'FIELD_INVALID', message: `${field} must be an array of strings` });
    } else if (typeof v === 'string') {
      row[field] = v;
    } else {
      issues.push({ field, code: 'FIELD_INVALID', message: `${field} must be a string (codes keep their leading zeros: "01", not 1)` });
    }
  }
  return { row, issues };
}

/**
 * A key the JSON object `text` (already parsed, with `keys` distinct keys) names more than once, or
 * null. JSON.parse keeps the last value silently, as a CSV header naming a column twice would not.
 * Every key is a closing quote, maybe spaces, then a colon; when such colons are no more than the
 * distinct keys, no key repeats (a value holding `":` only adds to the count). Otherwise, rarely,
 * the top-level keys are read one by one.
 */
function repeatedKey(text: string, keys: number): string | null {
  let colons = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) {
    let j = i - 1;
    while (j > 0 && isJsonSpace(text.charCodeAt(j))) j--;
    if (text.charCodeAt(j) === 0x22) colons++;
  }
  if (colons <= keys) return null;
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      let k = j + 1;
      while (isJsonSpace(text.charCodeAt(k))) k++;
      if (depth === 1 && text.charCodeAt(k) === 0x3a) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return null;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
