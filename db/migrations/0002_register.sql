-- The population register: registration authorities, persons, households, memberships and the
-- append-only registration events they are projected from (户口登记条例 1958; hukou-domain §1, §7).
--
-- Scale-out: person-owned rows carry person_id (their distribution key); household-owned rows carry
-- household_id; lookups by ID number go through person_id_number (distributed by id_number).

-- Registration authorities generated from the division data: the ministry, provincial departments,
-- prefecture bureaus, county bureaus and one police station (派出所) per township.
create table authority (
  id             text primary key,
  kind           text not null check (kind in ('ministry', 'provincial_department', 'prefecture_bureau', 'county_bureau', 'police_station')),
  name           text not null,
  parent_id      text references authority (id),
  division_code  text references division (code),   -- province/prefecture/county of the area
  township_code  text references township (code),   -- police stations only
  remote         boolean not null default false,    -- remote area: longer statutory deadlines
  check ((kind = 'ministry') = (division_code is null)),
  check ((kind = 'police_station') = (township_code is not null))
);
create index authority_division_idx on authority (division_code);
create index authority_township_idx on authority (township_code);

create table person (
  id                bigint generated always as identity primary key,
  id_number         text not null unique check (id_number ~ '^[0-9]{17}[0-9X]$'),
  name              text not null check (char_length(name) between 1 and 60),
  name_pinyin       text not null default '',
  former_names      text[] not null default '{}',
  sex               text not null check (sex in ('0', '1', '2', '9')),                 -- GB/T 2261.1
  birth_date        date not null,
  ethnicity         text not null check (ethnicity ~ '^(0[1-9]|[1-4][0-9]|5[0-6]|97|98)$'), -- GB/T 3304
  birthplace_code   text references division (code),
  native_place_code text references division (code),                                -- 籍贯
  education         text,
  marital_status    text check (marital_status in ('10', '20', '21', '22', '23', '30', '40', '90')), -- GB/T 2261.2
  occupation        text,
  employer          text,
  status            text not null default 'active' check (status in ('active', 'deceased', 'cancelled', 'emigrated')),
  death_date        date,
  version           integer not null default 1 check (version > 0),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  check ((status = 'deceased') = (death_date is not null)),
  check (death_date is null or death_date >= birth_date)
);
-- Name search. pg_trgm extracts no trigrams from Chinese characters when the database ctype is C
-- (the embedded cluster's), so names are indexed by the hex of their UTF-8 bytes: a substring of the
-- name is a substring of that key (queries re-check the name itself to drop misaligned hits).
create function name_trgm_key(name text) returns text language sql immutable strict parallel safe
  as $$ select encode(convert_to(name, 'UTF8'), 'hex') $$;
create index person_name_trgm_idx on person using gin (name_trgm_key(name) gin_trgm_ops);
create index person_pinyin_trgm_idx on person using gin (name_pinyin gin_trgm_ops);
create index person_birth_date_idx on person (birth_date);

-- Every ID number a person has held (曾用身份号码): numbers are never reused for someone else.
create table person_id_number (
  id_number  text primary key check (id_number ~ '^[0-9]{17}[0-9X]$'),
  person_id  bigint not null references person (id),
  valid_from date not null,
  valid_to   date,
  reason     text not null
);
create index person_id_number_person_idx on person_id_number (person_id);

-- Highest sequence handed out per (address code, birth date, sex): births allocate from here.
create table id_allocation (
  address_code text not null,
  birth_date   date not null,
  sex          text not null check (sex in ('1', '2')),
  last_seq     integer not null check (last_seq between 0 and 999),
  primary key (address_code, birth_date, sex)
);

create table household (
  id               bigint generated always as identity primary key,
  household_number text not null unique,                                   -- 户号
  kind             text not null check (kind in ('family', 'collective', 'public_collective')),
  county_code      text not null references division (code),
  township_code    text references township (code),
  address          text not null check (char_length(address) between 1 and 200),
  authority_id     text not null references authority (id),
  head_person_id   bigint references person (id),
  status           text not null default 'active' check (status in ('active', 'closed')),
  version          integer not null default 1 check (version > 0),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index household_county_idx on household (county_code);
create index household_township_idx on household (township_code);
create index household_authority_idx on household (authority_id);

create sequence household_number_seq;

create table membership (
  id           bigint generated always as identity primary key,
  person_id    bigint not null references person (id),
  household_id bigint not null references household (id),
  relationship text not null check (relationship ~ '^[0-9]{2}$'),          -- GB/T 4761, to the head
  since        date not null,
  until        date,
  check (until is null or until >= since)
);
-- A person has at most one current hukou (户口登记条例 Art. 6: one place of permanent registration) ...
create unique index membership_one_current_idx on membership (person_id) where until is null;
create index membership_household_idx on membership (household_id) where until is null;
create index membership_person_idx on membership (person_id);

-- ... and a living (active) person has exactly one: checked at commit, so a move can close one
-- membership and open the next inside the same transaction.
create function check_person_has_hukou() returns trigger language plpgsql as $$
declare
  r record := case when tg_op = 'DELETE' then old else new end;
  pid bigint;
begin
  -- the person's own row, or a row that refers to a person (membership, transfer)
  pid := case when tg_table_name = 'person' then (to_jsonb(r) ->> 'id')::bigint else (to_jsonb(r) ->> 'person_id')::bigint end;
  if exists (select 1 from person p where p.id = pid and p.status = 'active')
     and not exists (select 1 from membership m where m.person_id = pid and m.until is null) then
    raise exception 'person % is active but has no current hukou', pid
      using errcode = '23514', constraint = 'person_has_one_hukou';
  end if;
  return null;
end $$;

create constraint trigger person_has_one_hukou_on_person
  after insert or update of status on person deferrable initially deferred
  for each row execute function check_person_has_hukou();
create constraint trigger person_has_one_hukou_on_membership
  after insert or update or delete on membership deferrable initially deferred
  for each row execute function check_person_has_hukou();

create table registration_event (
  id              bigint generated always as identity primary key,
  person_id       bigint references person (id),
  household_id    bigint references household (id),
  kind            text not null check (kind in (
                    'birth', 'registration', 'move_in', 'move_out', 'transfer_out', 'transfer_in', 'death',
                    'correction', 'id_number_change', 'head_change', 'household_created', 'household_split',
                    'member_added', 'member_removed', 'relationship_change')),
  occurred_on     date not null,
  recorded_at     timestamptz not null default now(),
  actor_id        text not null,
  authority_id    text not null references authority (id),
  reason          text,
  legal_basis     text not null,
  application_id  text,
  data            jsonb not null default '{}',
  idempotency_key text unique,   -- client transaction id: a retry with the same key replays `response`
  response        jsonb,         -- what the operation answered, on the event that carries the key
  check (person_id is not null or household_id is not null)
);
create index registration_event_person_idx on registration_event (person_id, id);
create index registration_event_household_idx on registration_event (household_id, id);

-- Append-only: history is corrected by new events, never edited.
create function forbid_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = '42501';
end $$;
create trigger registration_event_append_only before update or delete on registration_event
  for each row execute function forbid_change();
