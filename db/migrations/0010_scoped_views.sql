-- The person view as the access-controlled API reads it (issue #4 phase 2). The caller has already
-- found the person through `personVisibleTo` (src/access) in the same statement, and says whether
-- the current household may be shown: an officer who sees a person only through their residence or
-- an application they handle does not see the household the person is registered in, nor its other
-- members (PIPL Art. 6: the minimum needed for the purpose). It replaces 0003's registry_person_view,
-- which looked the person up by itself and so could not be scoped in the same round trip.

-- The full record of person p_person_id, found by p_id_number (current or former): particulars, the
-- number matched, the current household with their relationship when p_with_household (else
-- `householdWithheld` says one exists), ID history, transfers, newest events.
create or replace function registry_person_record(p_person_id bigint, p_id_number text, p_timeline_limit integer, p_with_household boolean)
returns jsonb language plpgsql stable as $$
declare
  member record;
  person_json jsonb;
  household_json jsonb;
  withheld boolean := false;
  current_number text;
begin
  select p.id_number,
         jsonb_build_object(
           'idNumber', p.id_number,
           'name', p.name,
           'namePinyin', p.name_pinyin,
           'formerNames', to_jsonb(p.former_names),
           'sex', p.sex,
           'birthDate', p.birth_date,
           'ethnicity', p.ethnicity,
           'birthplaceCode', p.birthplace_code,
           'nativePlaceCode', p.native_place_code,
           'education', p.education,
           'maritalStatus', p.marital_status,
           'occupation', p.occupation,
           'employer', p.employer,
           'status', p.status,
           'deathDate', p.death_date,
           'version', p.version)
    into current_number, person_json
    from person p where p.id = p_person_id;
  if person_json is null then return null; end if;

  select m.household_id, m.relationship, m.since into member
    from membership m where m.person_id = p_person_id and m.until is null;
  if found then
    if p_with_household then
      household_json := registry_household_booklet(member.household_id)
                        || jsonb_build_object('relationship', member.relationship, 'since', member.since);
    else
      withheld := true;
    end if;
  end if;

  return jsonb_build_object(
    'person', person_json,
    'matched', jsonb_build_object('idNumber', p_id_number, 'current', current_number = p_id_number),
    'household', household_json,
    'householdWithheld', withheld,
    'idNumbers', (select coalesce(jsonb_agg(jsonb_build_object(
                     'idNumber', n.id_number, 'validFrom', n.valid_from, 'validTo', n.valid_to, 'reason', n.reason)
                     order by n.valid_from, n.valid_to is null, n.valid_to), '[]'::jsonb)
                  from person_id_number n where n.person_id = p_person_id),
    'transfers', (select coalesce(jsonb_agg(jsonb_build_object(
                     'id', t.id, 'state', t.state, 'category', t.category, 'appliedOn', t.applied_on,
                     'deadline', registry_iso(t.deadline), 'closedAt', registry_iso(t.closed_at))
                     order by t.created_at desc), '[]'::jsonb)
                  from transfer t where t.person_id = p_person_id),
    'timeline', (select coalesce(jsonb_agg(jsonb_build_object(
                     'id', e.id, 'kind', e.kind, 'occurredOn', e.occurred_on, 'recordedAt', registry_iso(e.recorded_at),
                     'householdNumber', h.household_number, 'authorityId', e.authority_id, 'authorityName', a.name,
                     'actorId', e.actor_id, 'reason', e.reason, 'legalBasis', e.legal_basis,
                     'applicationId', e.application_id, 'data', e.data)
                     order by e.id desc), '[]'::jsonb)
                  from (select ev.id, ev.kind, ev.occurred_on, ev.recorded_at, ev.household_id, ev.authority_id, ev.actor_id, ev.reason,
                               ev.legal_basis, ev.application_id, ev.data
                          from registration_event ev where ev.person_id = p_person_id order by ev.id desc limit p_timeline_limit) e
                  join authority a on a.id = e.authority_id
                  left join household h on h.id = e.household_id));
end $$;

drop function registry_person_view(text, integer);
