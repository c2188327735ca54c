-- Residence away from the hukou place: residence registration (居住登记) and residence permits
-- (居住证) with their annual endorsements (签注). 居住证暂行条例 (State Council Order 663, in force
-- 2016-01-01) Arts. 2, 9, 10; hukou-domain §4. Rules applied by src/residence (values in
-- data/law/residence-permit.json).
--
-- Scale-out: every row belongs to one person (distribution key person_id).

-- Residence registration: declared on arrival in a city other than the hukou city. A person lives
-- in one place at a time, so at most one registration is open; registering in a new city ends it.
create table residence_registration (
  id            uuid primary key default gen_random_uuid(),
  person_id     bigint not null references person (id),
  city_code     text not null references division (code),   -- prefecture-level city (or a county-level unit directly under its province)
  authority_id  text not null references authority (id),    -- residence-place police station that registered it
  address       text not null check (char_length(address) between 1 and 200),
  registered_on date not null,
  ended_on      date,
  end_reason    text,
  recorded_by   text not null,
  created_at    timestamptz not null default now(),
  check (ended_on is null or ended_on >= registered_on),
  check ((ended_on is null) = (end_reason is null))
);
create unique index residence_registration_one_open_idx on residence_registration (person_id) where ended_on is null;
create index residence_registration_person_idx on residence_registration (person_id, registered_on);

-- Residence permit: applied for after ≥ 6 months of residence with one basis (Art. 2), made and
-- issued within 15 days, at most 30 in remote areas (Art. 9), endorsed once a year (Art. 10).
-- The permit's functions are suspended while an endorsement is overdue; that is computed from
-- endorsement_due_on, not stored.
create table residence_permit (
  id                     uuid primary key default gen_random_uuid(),
  person_id              bigint not null references person (id),
  registration_id        uuid not null references residence_registration (id),
  city_code              text not null references division (code),
  authority_id           text not null references authority (id),   -- accepting police station
  issuing_authority_id   text not null references authority (id),   -- county-level public security (Art. 10)
  basis                  text not null check (basis in ('employment', 'residence_lease', 'residence_owned', 'study')),
  basis_evidence         text not null check (char_length(basis_evidence) between 1 and 200),
  applied_on             date not null,
  due_on                 date not null,                              -- issue deadline (Art. 9)
  status                 text not null default 'applied' check (status in ('applied', 'issued', 'rejected', 'cancelled')),
  issued_on              date,
  decided_on             date,                                       -- rejected or cancelled on
  decision_reason        text,
  -- Residence years count from here: the registration date, restarted by a late endorsement (Art. 10 para. 3).
  residence_counted_from date not null,
  -- Endorsement anniversaries count from here: the issue date, restarted by a late endorsement.
  endorsement_anchor     date,
  endorsed_years         integer not null default 0 check (endorsed_years >= 0),
  -- Next anniversary (anchor + endorsed_years + 1 years): the endorsement is due in the month before it.
  endorsement_due_on     date,
  version                integer not null default 1 check (version > 0),
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check ((status in ('issued', 'cancelled')) = (issued_on is not null)),
  check ((issued_on is null) = (endorsement_anchor is null)),
  check ((issued_on is null) = (endorsement_due_on is null)),
  check ((status in ('rejected', 'cancelled')) = (decided_on is not null))
);
-- One permit in force (or being applied for) per person.
create unique index residence_permit_one_open_idx on residence_permit (person_id) where status in ('applied', 'issued');
create index residence_permit_person_idx on residence_permit (person_id, applied_on);
-- The notifier's question: which issued permits have their endorsement window open?
create index residence_permit_endorsement_due_idx on residence_permit (endorsement_due_on) where status = 'issued';

-- Endorsements (签注), append-only.
create table residence_permit_endorsement (
  id           bigint generated always as identity primary key,
  permit_id    uuid not null references residence_permit (id),
  person_id    bigint not null references person (id),
  endorsed_on  date not null,
  anniversary  date not null,     -- the anniversary it was due before
  late         boolean not null,  -- after the anniversary: functions were suspended, residence years restart from endorsed_on
  authority_id text not null references authority (id),
  actor_id     text not null,
  recorded_at  timestamptz not null default now()
);
create index residence_permit_endorsement_permit_idx on residence_permit_endorsement (permit_id, endorsed_on);
create trigger residence_permit_endorsement_append_only before update or delete on residence_permit_endorsement
  for each row execute function forbid_change();

-- What happened, in order (append-only): the residence tables above are its projection, written
-- in the same transaction.
create table residence_event (
  id              bigint generated always as identity primary key,
  person_id       bigint not null references person (id),
  registration_id uuid references residence_registration (id),
  permit_id       uuid references residence_permit (id),
  kind            text not null check (kind in (
                    'registered', 'registration_ended', 'permit_applied', 'permit_issued', 'permit_rejected',
                    'permit_cancelled', 'permit_endorsed')),
  occurred_on     date not null,
  recorded_at     timestamptz not null default now(),
  actor_id        text not null,
  authority_id    text not null references authority (id),
  legal_basis     text not null,
  data            jsonb not null default '{}'
);
create index residence_event_person_idx on residence_event (person_id, id);
create trigger residence_event_append_only before update or delete on residence_event
  for each row execute function forbid_change();
