-- Online services handled anywhere (跨省通办, issue #14): one application model over the service
-- catalog (data/services/catalog-*.json), owned by src/applications.
--
-- New services (household certificates, births, deaths, corrections, settlement) run the generic
-- lifecycle here. Services with their own flow (ID cards, residence, transfers) keep their tables and
-- state machines; a catalog submission of one of them is recorded here as a link row (flow +
-- flow_ref) carrying the tracking number, its state read from the owning module.
--
-- Scale-out: every row belongs to one subject person (distribution key subject_person_id).

create table application (
  id                       uuid primary key default gen_random_uuid(),
  -- 16 random base-36 characters + one ISO 7064 MOD 37,36 check character (src/applications/tracking-number.ts)
  tracking_number          text not null unique check (tracking_number ~ '^[0-9A-Z]{17}$'),
  service_code             text not null,
  catalog_version          text not null,             -- effectiveFrom of the catalog version applied
  flow                     text not null check (flow in ('generic', 'idcard', 'residence_registration', 'residence_permit', 'transfer')),
  flow_ref                 text,                       -- the owning module's id of a delegated application
  applicant_actor_id       text not null,
  applicant_person_id      bigint references person (id),
  subject_person_id        bigint not null references person (id),
  subject_id_number        text not null check (subject_id_number ~ '^[0-9]{17}[0-9X]$'),  -- as at submission
  channel                  text not null check (channel in ('online', 'counter')),
  accepting_authority_id   text references authority (id),
  competent_authority_id   text not null references authority (id),
  scope                    text not null check (scope in ('local', 'intraprovincial_cross_prefecture', 'interprovincial')),
  state                    text not null check (state in ('draft', 'submitted', 'returned', 'accepted', 'in_review', 'approved', 'rejected', 'completed', 'withdrawn', 'delegated')),
  facts                    jsonb not null default '{}',  -- what the applicant states (beyond the register's facts)
  missing_materials        jsonb,                        -- set when returned: the codes still missing
  deadline_working_days    integer not null check (deadline_working_days >= 0),
  deadline                 date,                         -- set on acceptance
  deadline_provisional     boolean not null default false, -- counted on weekends alone (no published calendar)
  decision_reason          text,
  outcome                  jsonb,                        -- the approval's effect (certificate number, register event…)
  version                  integer not null default 1,
  client_key               text,
  submitted_at             timestamptz,
  decided_at               timestamptz,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  check ((channel = 'online') = (accepting_authority_id is null)),
  check ((flow = 'generic') = (state <> 'delegated')),
  check ((flow = 'generic') = (flow_ref is null)),
  check (state not in ('rejected') or decision_reason is not null),
  check (state not in ('accepted', 'in_review', 'approved', 'rejected', 'completed') or flow <> 'generic' or deadline is not null)
);
create index application_subject_idx on application (subject_person_id, created_at);
create index application_applicant_idx on application (applicant_person_id, created_at) where applicant_person_id is not null;
create index application_competent_idx on application (competent_authority_id, state, deadline);
create index application_accepting_idx on application (accepting_authority_id, state, deadline) where accepting_authority_id is not null;
create unique index application_flow_ref_idx on application (flow, flow_ref) where flow_ref is not null;

-- Append-only trail: one row per transition, written in the transaction that changes the state.
create table application_event (
  id               bigint generated always as identity primary key,
  application_id   uuid not null references application (id),
  subject_person_id bigint not null references person (id),
  from_state       text,
  to_state         text not null,
  actor_id         text not null,
  authority_id     text,          -- the authority the actor acted for (null: the applicant online)
  reason           text,
  data             jsonb not null default '{}',
  occurred_at      timestamptz not null default now()
);
create index application_event_application_idx on application_event (application_id, id);

create or replace function application_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'application_event is append-only';
end $$;
create trigger application_event_no_update before update or delete on application_event
  for each row execute function application_event_append_only();

-- Uploaded materials: bytes in the database, type sniffed from the content, SHA-256 of the bytes.
create table application_material (
  id              uuid primary key default gen_random_uuid(),
  application_id  uuid not null references application (id),
  material_code   text not null,
  media_type      text not null check (media_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes      integer not null check (size_bytes > 0 and size_bytes <= 5242880),
  sha256          text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content         bytea not null,
  uploaded_by     text not null,
  uploaded_at     timestamptz not null default now(),
  check (octet_length(content) = size_bytes)
);
create index application_material_application_idx on application_material (application_id, material_code);

-- Applicants hear of every transition through the notifications outbox.
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check check (kind in ('id_card_expiring', 'endorsement_due', 'application_transition'));
