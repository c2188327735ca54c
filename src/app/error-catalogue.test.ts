import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CATALOGUE_PARTS } from './error-catalogue.ts';
import { repoPath } from '../platform/paths.ts';
import { ID_CHECK_CODES } from '../idnumber/index.ts';

const doc = readFileSync(repoPath('docs', 'errors.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`## ${title}`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** `| \`CODE\` | a | b | …` rows of a markdown table, as cell arrays. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => /^\| `[A-Z0-9_]+` \|/.test(l))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

describe('docs/errors.md', () => {
  it('lists exactly the catalogue codes, with their HTTP status and exit code', () => {
    const idSection = section('ID number check results');
    const rows = tableRows(doc.replace(idSection, ''));
    const documented = Object.fromEntries(rows.map(([code, status, exit]) => [code!.replaceAll('`', ''), { status: Number(status), exit: Number(exit) }]));
    const catalogue = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, e]) => [code, { status: e.status, exit: e.exit }]));
    expect(documented).toEqual(catalogue);
    expect(rows.length, 'a code is documented twice').toBe(Object.keys(catalogue).length);
  });

  it('lists exactly the ID-number check codes', () => {
    const documented = tableRows(section('ID number check results')).map(([code]) => code!.replaceAll('`', '')).sort();
    expect(documented).toEqual([...ID_CHECK_CODES].sort());
  });
});

describe('the error catalogue', () => {
  it('has each code from exactly one owner', () => {
    const owners = new Map<string, string[]>();
    for (const [owner, part] of Object.entries(ERROR_CATALOGUE_PARTS)) {
      for (const code of Object.keys(part)) owners.set(code, [...(owners.get(code) ?? []), owner]);
    }
    expect([...owners].filter(([, o]) => o.length > 1)).toEqual([]);
    expect(Object.keys(ERROR_CATALOGUE).length).toBe(owners.size);
  });
});
