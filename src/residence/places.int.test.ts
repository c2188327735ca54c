import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { authorityPlace } from './places.ts';

/**
 * The city of a county is decided in TypeScript for the API (authorityPlace) and in SQL for seed,
 * import and export (`hukou_city_of`, migration 0016). They must agree everywhere, or a resident the
 * bulk paths registered is not "registered in this city" at a counter.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('the city of a county', () => {
  it('is the same in SQL (hukou_city_of) as in authorityPlace, for every county bureau of a municipality, a sample of the rest, and county-level cities under their province', async () => {
    const { rows } = await sql<{ id: string; division_code: string; city: string }>`
      select a.id, a.division_code, hukou_city_of(a.division_code, p.division_code) as city
        from authority a left join authority p on p.id = a.parent_id and p.kind = 'prefecture_bureau'
       where a.kind = 'county_bureau'
         and (left(a.division_code, 2) in ('11', '12', '31', '50') or a.division_code like '4290%' or a.id in (
              select id from authority where kind = 'county_bureau' order by md5(id) limit 300))`.execute(t.db);
    expect(rows.length).toBeGreaterThan(300);
    const disagreeing: string[] = [];
    for (const r of rows) {
      const place = await authorityPlace(t.db, r.id, 'authorityId');
      if (place.cityCode !== r.city) disagreeing.push(`${r.id}: SQL ${r.city}, authorityPlace ${place.cityCode}`);
    }
    expect(disagreeing).toEqual([]);
    const city = (county: string) => rows.find((r) => r.division_code === county)?.city;
    expect([city('110105'), city('500101'), city('429004')]).toEqual(['110000', '500000', '429004']);
  });
});
