-- Resident ID cards (居民身份证法, 2003, amended 2011) and temporary ID cards (临时居民身份证管理办法,
-- MPS Order 78), handled anywhere (跨省通办): any authority accepts, the hukou-place authority
-- confirms, the accepting authority delivers (hukou-domain §3, §8). Rules applied by src/idcards
-- (values in data/law/idcard-*.json).
--
-- Scale-out: every row belongs to one person (distribution key person_id); card checks look cards up
-- by the ID number printed on them (id_card_number_idx; a distributed table would shard the check
-- log by id_number).

create table id_card_application (
  id                     uuid primary key default gen_random_uuid(),
  person_id              bigint not null references person (id),
  kind                   text not null check (kind in ('first', 'renewal', 'reissue', 'temporary')),
  -- renewal (换领): expiry, name_change, damage (Art. 11); reissue (补领): loss; first/temporary: null
  reason                 text check (reason in ('expiry', 'name_change', 'damage', 'loss')),
  applied_on             date not null,
  id_number              text not null check (id_number ~ '^[0-9]{17}[0-9X]$'),  -- the number printed on the card
  name                   text not null,
  age_on_application     integer not null check (age_on_application >= 0),
  -- First application after the 3 months following the 16th birthday (Art. 7): accepted, recorded as late.
  late                   boolean not null default false,
  validity_months        integer check (validity_months > 0),    -- null = long-term (长期), Art. 5
  previous_card_id       uuid,                                    -- the card renewed or reissued
  accepting_authority_id text not null references authority (id),
  hukou_authority_id     text not null references authority (id),  -- police station of the person's hukou
  issuing_authority_id   text not null references authority (id),  -- county-level public security of the hukou place (Art. 8)
  scope                  text not null check (scope in ('local', 'intraprovincial_cross_prefecture', 'interprovincial')),
  residence_permit_id    uuid references residence_permit (id),    -- permit at the accepting place (居住证暂行条例 Art. 13)
  legal_basis            text not null,
  fee_standard_yuan      integer not null check (fee_standard_yuan >= 0),
  fee_due_yuan           integer not null check (fee_due_yuan >= 0),
  fee_waiver             text check (fee_waiver in ('dibao', 'rural_hardship')),
  fee_source             text not null,
  due_on                 date not null,                            -- issue deadline (Art. 12; temporary: MPS Order 78 Art. 12)
  state                  text not null default 'accepted' check (state in ('accepted', 'confirmed', 'delivered', 'rejected')),
  decision_reason        text,
  card_id                uuid,
  accepted_by            text not null,
  confirmed_on           date,
  confirmed_by           text,
  delivered_on           date,
  delivered_by           text,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  check ((kind = 'renewal') = coalesce(reason in ('expiry', 'name_change', 'damage'), false)),
  check ((kind = 'reissue') = (reason is not distinct from 'loss')),
  check (kind in ('first', 'temporary') or previous_card_id is not null),
  check ((fee_waiver is null) = (fee_due_yuan = fee_standard_yuan)),
  check ((state in ('confirmed', 'delivered')) = (card_id is not null)),
  check ((state = 'delivered') = (delivered_on is not null)),
  check ((state = 'rejected') = (decision_reason is not null))
);
-- One resident-card application and one temporary-card application open per person at a time.
create unique index id_card_application_one_open_idx on id_card_application (person_id, (kind = 'temporary'))
  where state in ('accepted', 'confirmed');
create index id_card_application_person_idx on id_card_application (person_id, applied_on);

create table id_card (
  id                   uuid primary key default gen_random_uuid(),
  person_id            bigint not null references person (id),
  kind                 text not null check (kind in ('resident', 'temporary')),
  id_number            text not null check (id_number ~ '^[0-9]{17}[0-9X]$'),
  name                 text not null,
  valid_from           date not null,   -- issue (签发) date: validity counts from it
  valid_until          date,            -- last valid day as printed; null = long-term (长期)
  status               text not null default 'valid' check (status in ('valid', 'expired', 'reported_lost', 'superseded', 'cancelled')),
  status_changed_on    date not null,
  issuing_authority_id text not null references authority (id),
  application_id       uuid not null unique references id_card_application (id),
  delivered_on         date,
  created_at           timestamptz not null default now(),
  check (kind = 'resident' or valid_until is not null),
  check (valid_until is null or valid_until > valid_from)
);
-- A person never holds two valid cards (resident or temporary): a new card supersedes the old one
-- in the same transaction, and a loss report invalidates a card at once.
create unique index id_card_one_valid_idx on id_card (person_id) where status = 'valid';
create index id_card_person_idx on id_card (person_id, valid_from);
create index id_card_number_idx on id_card (id_number, valid_from);
-- The expiry sweep and the notifier: valid cards by expiry date.
create index id_card_valid_until_idx on id_card (valid_until) where status = 'valid' and valid_until is not null;

alter table id_card_application
  add constraint id_card_application_previous_card_fk foreign key (previous_card_id) references id_card (id),
  add constraint id_card_application_card_fk foreign key (card_id) references id_card (id);

-- Every step, append-only, with where it was accepted, the hukou place and the scope: the Ministry's
-- statistics categories of cards handled elsewhere (hukou-domain §8).
create table id_card_event (
  id                     bigint generated always as identity primary key,
  person_id              bigint not null references person (id),
  application_id         uuid references id_card_application (id),
  card_id                uuid references id_card (id),
  kind                   text not null check (kind in (
                           'application_accepted', 'application_confirmed', 'application_rejected', 'card_issued',
                           'card_delivered', 'loss_reported', 'card_superseded', 'card_expired')),
  occurred_on            date not null,
  recorded_at            timestamptz not null default now(),
  actor_id               text not null,
  accepting_authority_id text not null references authority (id),
  hukou_authority_id     text not null references authority (id),
  scope                  text not null check (scope in ('local', 'intraprovincial_cross_prefecture', 'interprovincial')),
  legal_basis            text not null,
  data                   jsonb not null default '{}',
  check (application_id is not null or card_id is not null)
);
create index id_card_event_person_idx on id_card_event (person_id, id);
create index id_card_event_scope_idx on id_card_event (kind, scope, occurred_on);
create trigger id_card_event_append_only before update or delete on id_card_event
  for each row execute function forbid_change();

-- Card checks by departments and banks: who asked about which number, and the yes/no they got.
-- The answer's reference is this row's id. Append-only.
create table id_card_check (
  id          uuid primary key default gen_random_uuid(),
  checked_at  timestamptz not null default now(),
  checked_on  date not null,
  actor_id    text not null,
  id_number   text not null,
  valid_from  date not null,
  card_id     uuid references id_card (id),
  valid       boolean not null
);
create index id_card_check_number_idx on id_card_check (id_number, checked_at);
create trigger id_card_check_append_only before update or delete on id_card_check
  for each row execute function forbid_change();
