import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Db } from '../platform/db/database.ts';
import { loadLawFile, versionOn } from '../platform/law-data.ts';

const RemoteAreas = Type.Object({
  entries: Type.Array(Type.Object({ divisionCode: Type.String({ pattern: '^[0-9]{6}$' }), name: Type.String() })),
});

/** The GB/T 2260 prefix a division's code stands for: 540000 → 54, 632700 → 6327, 632722 → 632722. */
function divisionPrefix(code: string): string {
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

/**
 * Marks the authorities of remote areas (居民身份证法 Art. 12: up to 30 more days; 居住证暂行条例
 * Art. 11: at most 30 days) from `data/law/remote-areas.json`, in the version in force on `on`.
 * Every other authority is unmarked, so removing an area from the file takes effect too.
 */
export async function syncRemoteAreas(db: Db, on: string): Promise<number> {
  const version = versionOn(loadLawFile('remote-areas.json', RemoteAreas), on);
  const prefixes = version.entries.map((e) => divisionPrefix(e.divisionCode));
  const { rows } = await sql<{ n: number }>`
    with marked as (
      update authority a set remote = coalesce(a.division_code like any (${prefixes.map((p) => `${p}%`)}::text[]), false)
      returning remote)
    select count(*) filter (where remote)::int as n from marked`.execute(db);
  return rows[0]?.n ?? 0;
}
