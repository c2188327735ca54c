-- Settlement (落户) by city size: department facts with provenance, explained decisions that can be
-- replayed, reviews of automated results (PIPL Art. 24), annual rounds under a quota.
-- Policies themselves are versioned data files (data/settlement/), not rows.

-- Department facts (social insurance, employment, education, tax, lease, ownership, criminal and
-- detention records, titles, attributes), each with its source, period, the day it was received and
-- its evidence. Append-only: a correction is a newer fact; decisions name the facts they used.
create table settlement_fact (
  id           bigint generated always as identity primary key,
  person_id    bigint not null references person (id),
  kind         text not null check (kind in ('social_insurance', 'employment', 'education', 'tax', 'lease', 'ownership',
                                             'criminal_record', 'detention', 'tax_violation', 'title', 'attribute')),
  city_code    text references division (code),
  period_from  date not null,
  period_to    date,
  value        jsonb not null default '{}',
  source       text not null check (char_length(source) between 1 and 200),
  received_on  date not null,
  evidence     text not null check (char_length(evidence) between 1 and 200),
  recorded_by  text not null,
  recorded_at  timestamptz not null default now(),
  idempotency_key text unique,
  check (period_to is null or period_to >= period_from)
);
create index settlement_fact_person_idx on settlement_fact (person_id, kind);
create trigger settlement_fact_append_only before update or delete on settlement_fact
  for each row execute function forbid_change();

-- Every automated answer: the policy version and the exact facts it used, so it can be replayed.
create table settlement_decision (
  id             uuid primary key default gen_random_uuid(),
  person_id      bigint not null references person (id),
  city_code      text not null,
  scheme         text not null,
  policy_version text not null,
  policy_sha256  text not null,
  as_of          date not null,
  outcome        text not null check (outcome in ('eligible', 'not_eligible', 'undetermined')),
  facts          jsonb not null,
  fact_ids       bigint[] not null default '{}',
  evaluation     jsonb not null,
  requested_by   text not null,
  purpose        text,
  created_at     timestamptz not null default now()
);
create index settlement_decision_person_idx on settlement_decision (person_id, created_at);
create trigger settlement_decision_append_only before update or delete on settlement_decision
  for each row execute function forbid_change();

-- A person's request for an officer's review of an automated result (PIPL Art. 24).
create table settlement_review (
  id            uuid primary key default gen_random_uuid(),
  decision_id   uuid not null references settlement_decision (id),
  person_id     bigint not null references person (id),
  reason        text not null check (char_length(reason) between 1 and 500),
  requested_by  text not null,
  requested_at  timestamptz not null default now(),
  state         text not null default 'requested' check (state in ('requested', 'decided')),
  officer_id    text,
  outcome       text check (outcome in ('upheld', 'changed')),
  officer_reason text,
  decided_at    timestamptz,
  version       integer not null default 1,
  check ((state = 'decided') = (officer_id is not null and outcome is not null and officer_reason is not null and decided_at is not null))
);
create unique index settlement_review_open_idx on settlement_review (decision_id) where state = 'requested';

-- An annual round of a points scheme: applications, scoring, ranking, cut, publication, objections, approval.
create table settlement_round (
  id                uuid primary key default gen_random_uuid(),
  city_code         text not null,
  scheme            text not null,
  year              integer not null check (year between 2000 and 2100),
  policy_version    text not null,
  quota             integer not null check (quota > 0),
  opens_on          date not null,
  closes_on         date not null check (closes_on >= opens_on),
  state             text not null default 'open' check (state in ('open', 'scored', 'published', 'approved')),
  published_on      date,
  objections_until  date,
  collective_household_number text not null,
  created_by        text not null,
  version           integer not null default 1,
  created_at        timestamptz not null default now(),
  unique (city_code, scheme, year)
);

-- One person's application in one round (the lead links the service catalog's settlement entry here).
create table round_application (
  id                 uuid primary key default gen_random_uuid(),
  round_id           uuid not null references settlement_round (id),
  person_id          bigint not null references person (id),
  id_number          text not null,
  name               text not null,
  applied_on         date not null,
  decision_id        uuid not null references settlement_decision (id),
  facts              jsonb not null,
  destination_household_number text,
  relationship       text,
  family             jsonb not null default '[]',
  state              text not null default 'applied' check (state in ('applied', 'admitted', 'not_admitted', 'settled')),
  settled_at         timestamptz,
  settlement         jsonb,
  idempotency_key    text unique,
  created_at         timestamptz not null default now(),
  unique (round_id, person_id)
);

-- The scored, ranked list of a round (one row per application), written set-wise. Written only by
-- the scoring statement from round_application in the same statement, so no foreign keys: their
-- per-row triggers cost more than the scoring itself at a million applicants.
create table round_result (
  application_id uuid primary key,
  round_id       uuid not null,
  score          numeric not null,
  total          numeric not null,
  tie_keys       numeric[] not null,
  position       integer not null,
  tie_rank       integer not null,
  admitted       boolean not null
);
create index round_result_round_idx on round_result (round_id, position);

create table round_objection (
  id             uuid primary key default gen_random_uuid(),
  round_id       uuid not null references settlement_round (id),
  application_id uuid references round_application (id),
  person_id      bigint not null references person (id),
  text           text not null check (char_length(text) between 1 and 1000),
  lodged_on      date not null,
  lodged_by      text not null,
  created_at     timestamptz not null default now()
);

-- Every step of a round, in order (append-only).
create table round_event (
  id             bigint generated always as identity primary key,
  round_id       uuid not null references settlement_round (id),
  application_id uuid references round_application (id),
  kind           text not null check (kind in ('round_opened', 'applied', 'scored', 'published', 'objection', 'approved', 'settlement_started')),
  occurred_on    date not null,
  recorded_at    timestamptz not null default now(),
  actor_id       text not null,
  data           jsonb not null default '{}'
);
create index round_event_round_idx on round_event (round_id, id);
create trigger round_event_append_only before update or delete on round_event
  for each row execute function forbid_change();
