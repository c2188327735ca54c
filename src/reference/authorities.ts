import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

/**
 * Generates the registration authorities from the divisions in force: the Ministry, one public
 * security department per province, a bureau per prefecture and county, and one police station
 * (派出所, the registration authority of 户口登记条例 Art. 3) per township. Idempotent upsert.
 *
 * Ids read as what they are: `mps`, `prov-440000`, `pref-440300`, `county-440305`, `station-440305001`.
 */
export async function syncAuthorities(db: Db): Promise<number> {
  const statements = [
    sql`insert into authority (id, kind, name, parent_id, division_code, township_code)
        values ('mps', 'ministry', '中华人民共和国公安部', null, null, null)
        on conflict (id) do nothing`,
    sql`insert into authority (id, kind, name, parent_id, division_code, township_code)
        select 'prov-' || d.code, 'provincial_department',
               d.name || case when d.code in ('110000', '120000', '310000', '500000') then '公安局' else '公安厅' end,
               'mps', d.code, null
        from division d where d.level = 'province' and d.valid_to is null
        on conflict (id) do update set name = excluded.name`,
    sql`insert into authority (id, kind, name, parent_id, division_code, township_code)
        select 'pref-' || d.code, 'prefecture_bureau',
               case when d.name in ('市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划') then p.name || d.name || '公安机关'
                    else d.name || '公安局' end,
               'prov-' || p.code, d.code, null
        from division d join division p on p.code = d.parent_code
        where d.level = 'prefecture' and d.valid_to is null and p.valid_to is null
        on conflict (id) do update set name = excluded.name`,
    sql`insert into authority (id, kind, name, parent_id, division_code, township_code)
        select 'county-' || d.code, 'county_bureau',
               case when right(d.name, 1) = '区' and pf.name not in ('市辖区', '县') then pf.name || d.name || '公安分局'
                    when right(d.name, 1) = '区' then pv.name || d.name || '公安分局'
                    else d.name || '公安局' end,
               coalesce('pref-' || pf.code, 'prov-' || left(d.code, 2) || '0000'), d.code, null
        from division d
        left join division pf on pf.code = d.parent_code and pf.level = 'prefecture' and pf.valid_to is null
        join division pv on pv.code = left(d.code, 2) || '0000'
        where d.addressable and d.valid_to is null
        on conflict (id) do update set name = excluded.name, parent_id = excluded.parent_id`,
    sql`insert into authority (id, kind, name, parent_id, division_code, township_code)
        select 'station-' || t.code, 'police_station', t.name || '派出所', 'county-' || t.county_code, t.county_code, t.code
        from township t join authority c on c.id = 'county-' || t.county_code
        on conflict (id) do update set name = excluded.name`,
  ];
  for (const s of statements) await s.execute(db);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from authority`.execute(db);
  return rows[0]?.n ?? 0;
}
