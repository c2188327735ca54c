-- Interprovincial hukou transfer handled entirely at the destination (迁入地"一站式"办理: MPS 2021
-- pilots in five categories, nationwide from May 2024; hukou-domain §7.4), as a saga of steps that
-- each commit on their own:
--
--   applied → destination_approved → origin_moved_out → destination_moved_in   (completed)
--      ↓               ↓                     ↓
--   rejected       compensated           expired       (origin membership never closed, or restored)
--
-- Scale-out: a transfer belongs to its person (distribution key person_id).

create table transfer (
  id                       uuid primary key default gen_random_uuid(),
  person_id                bigint not null references person (id),
  origin_household_id      bigint not null references household (id),
  destination_household_id bigint not null references household (id),
  origin_authority_id      text not null references authority (id),
  destination_authority_id text not null references authority (id),
  relationship             text not null check (relationship ~ '^[0-9]{2}$'),  -- GB/T 4761, to the destination head
  category                 text not null check (category in (
                             'job_transfer', 'study_admission', 'graduate', 'spouse', 'parents_join_children', 'other')),
  state                    text not null default 'applied' check (state in (
                             'applied', 'destination_approved', 'origin_moved_out', 'destination_moved_in',
                             'rejected', 'compensated', 'expired')),
  reason                   text,
  decision_reason          text,          -- why it was rejected, compensated or expired
  applied_on               date not null,
  deadline                 timestamptz not null,  -- move-in must be done by then, else compensated as expired
  origin_membership_id     bigint references membership (id),  -- closed at move-out, reopened on compensation
  destination_membership_id bigint references membership (id),
  applied_by               text not null,
  approved_at              timestamptz,
  moved_out_at             timestamptz,
  moved_in_at              timestamptz,
  closed_at                timestamptz,    -- reached a final state
  version                  integer not null default 1 check (version > 0),
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  check (origin_household_id <> destination_household_id),
  check ((state = 'destination_moved_in') = (destination_membership_id is not null))
);
-- One open transfer per person.
create unique index transfer_one_open_idx on transfer (person_id)
  where state in ('applied', 'destination_approved', 'origin_moved_out');
create index transfer_person_idx on transfer (person_id, created_at);
-- expireTransfers(now): the open transfers past their deadline.
create index transfer_open_deadline_idx on transfer (deadline)
  where state in ('applied', 'destination_approved', 'origin_moved_out');
-- The trail of a transfer at both ends: its events carry the transfer id as application_id.
create index registration_event_application_idx on registration_event (application_id) where application_id is not null;

-- A person whose transfer is in state origin_moved_out has moved out of the origin and not yet in
-- at the destination: their hukou is in transit, which the one-hukou rule (户口登记条例 Art. 6)
-- accepts for as long as the transfer stays in that state.
create or replace function check_person_has_hukou() returns trigger language plpgsql as $$
declare
  r record := case when tg_op = 'DELETE' then old else new end;
  pid bigint;
begin
  -- the person's own row, or a row that refers to a person (membership, transfer)
  pid := case when tg_table_name = 'person' then (to_jsonb(r) ->> 'id')::bigint else (to_jsonb(r) ->> 'person_id')::bigint end;
  if exists (select 1 from person p where p.id = pid and p.status = 'active')
     and not exists (select 1 from membership m where m.person_id = pid and m.until is null)
     and not exists (select 1 from transfer t where t.person_id = pid and t.state = 'origin_moved_out') then
    raise exception 'person % is active but has no current hukou', pid
      using errcode = '23514', constraint = 'person_has_one_hukou';
  end if;
  return null;
end $$;

-- Leaving origin_moved_out (moved in, or compensated) must leave the person with a hukou again.
create constraint trigger person_has_one_hukou_on_transfer
  after insert or update of state on transfer deferrable initially deferred
  for each row execute function check_person_has_hukou();
