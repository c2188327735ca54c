-- The city a county lies in, for residence registration and permits (居住证暂行条例 Art. 2: living
-- in a city other than the hukou city), written once for SQL. Same rule as authorityPlace in
-- src/residence/places.ts (a test checks they agree): the four municipalities directly under the
-- central government (直辖市: Beijing 11, Tianjin 12, Shanghai 31, Chongqing 50) are one city each,
-- their districts and counties sitting directly under the province code; elsewhere the prefecture
-- whose bureau is above the county's, else the county itself (a county-level city directly under
-- its province, like 仙桃 429004). Callers join the prefecture themselves; this only decides.
--
-- Before this, seed, import and export took a municipality's district as its city (110105 for
-- Chaoyang), while the API took the municipality (110000): a seeded Beijing resident could not get a
-- permit at a Beijing counter (NO_RESIDENCE_REGISTRATION), a person with hukou in Haidian could be
-- imported as resident in Chaoyang, and a hukou moving into the residence city did not end it.
create function hukou_city_of(county_code text, prefecture_code text) returns text
  language sql immutable parallel safe as $$
    select case when left(county_code, 2) in ('11', '12', '31', '50') then left(county_code, 2) || '0000'
                else coalesce(prefecture_code, county_code) end
  $$;

-- Registrations stored with a municipality's district as their city now carry the municipality.
update residence_registration set city_code = left(city_code, 2) || '0000'
 where left(city_code, 2) in ('11', '12', '31', '50') and city_code <> left(city_code, 2) || '0000';

-- Those in their holder's own hukou city (another district of the same municipality) were never
-- residence registrations in the sense of Art. 2: they end today, with an event saying why.
with ended as (
  update residence_registration r
     set ended_on = greatest(current_date, r.registered_on),
         end_reason = 'in the hukou city (a municipality is one city; corrected by migration 0016)'
    from membership m
    join household h on h.id = m.household_id
    join authority hc on hc.id = 'county-' || h.county_code
    left join authority hp on hp.id = hc.parent_id and hp.kind = 'prefecture_bureau'
   where r.ended_on is null and m.person_id = r.person_id and m.until is null
     and hukou_city_of(h.county_code, hp.division_code) = r.city_code
  returning r.id, r.person_id, r.authority_id, r.ended_on, r.end_reason
)
insert into residence_event (person_id, registration_id, kind, occurred_on, actor_id, authority_id, legal_basis, data)
select person_id, id, 'registration_ended', ended_on, 'system:migration-0016', authority_id,
       '居住证暂行条例 第二条（居住地变更）', jsonb_build_object('reason', end_reason)
  from ended;
