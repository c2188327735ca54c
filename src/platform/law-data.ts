import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { repoPath } from './paths.ts';

/**
 * Law and policy values kept as versioned data under `data/law/`: each file holds versions, each
 * with the date it takes effect, its source (law, article, document number) and the date it was
 * last checked against that source. A rule is always applied in the version in force on the date
 * that matters (the application date, not today), so a change of fee or deadline never rewrites
 * the past.
 */
export const VersionMeta = Type.Object({
  effectiveFrom: Type.String({ format: 'date' }),
  source: Type.String({ minLength: 1 }),
  verifiedAt: Type.String({ format: 'date' }),
});

export type VersionMeta = Static<typeof VersionMeta>;

export interface LawFile<V> {
  name: string;
  description: string;
  versions: (V & VersionMeta)[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads `data/law/<file>` and checks every version against `schema` (fails loudly at start-up, never at a counter). */
export function loadLawFile<S extends TSchema>(file: string, schema: S): LawFile<Static<S>> {
  const path = repoPath('data', 'law', file);
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const fileSchema = Type.Object({
    name: Type.String(),
    description: Type.String(),
    versions: Type.Array(Type.Intersect([VersionMeta, schema]), { minItems: 1 }),
  });
  if (!Value.Check(fileSchema, raw)) {
    const issues = [...Value.Errors(fileSchema, raw)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new Error(`data/law/${file} is not valid: ${issues.join('; ')}`);
  }
  const parsed = raw as LawFile<Static<S>>;
  for (const v of parsed.versions) {
    if (!ISO_DATE.test(v.effectiveFrom) || !ISO_DATE.test(v.verifiedAt)) throw new Error(`data/law/${file}: dates must be YYYY-MM-DD`);
  }
  parsed.versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return parsed;
}

/** The version in force on `date` (the latest one whose `effectiveFrom` is not after it). */
export function versionOn<V>(file: LawFile<V>, date: string): V & VersionMeta {
  let found: (V & VersionMeta) | undefined;
  for (const v of file.versions) if (v.effectiveFrom <= date) found = v;
  if (!found) throw new Error(`${file.name}: no version in force on ${date} (earliest takes effect ${file.versions[0]?.effectiveFrom})`);
  return found;
}
