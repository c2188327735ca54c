-- Electronic household certificates (户籍证明, issue #14 item 7), owned by src/certificates.
-- Scale-out: a certificate belongs to one person (distribution key person_id); its number is the
-- lookup key of public verification (unique, so a shard would keep a number → person index).

-- Signing keys. Private keys are sealed with the secret box (HUKOU_SECRET_KEY or
-- <dataDir>/secret-box.key, like officers' TOTP seeds); public keys are published in the trust list.
-- A retired key signs nothing more but stays in the trust list, so its certificates still verify.
create table certificate_signing_key (
  key_id      text primary key check (key_id ~ '^[0-9a-f]{16}$'),
  algorithm   text not null check (algorithm in ('SM2-SM3', 'Ed25519')),
  public_key  text not null unique check (public_key ~ '^[0-9a-f]+$'),
  private_key text not null,
  valid_from  timestamptz not null,
  retired_at  timestamptz,
  created_by  text not null,
  check (retired_at is null or retired_at >= valid_from),
  check ((algorithm = 'SM2-SM3') = (length(public_key) = 130))
);
-- one key in use per algorithm
create unique index certificate_signing_key_active_idx on certificate_signing_key (algorithm) where retired_at is null;

-- Each certificate's bit in the revocation status list.
create sequence certificate_status_index_seq as integer minvalue 0 start 0;

create table certificate (
  number               text primary key check (number ~ '^ZM[0-9A-HJKMNP-TV-Z]{16}[0-9A-Z]$'),
  kind                 text not null check (kind in ('hukou_registration', 'family_relationship', 'deregistration')),
  person_id            bigint not null references person (id),
  subject_id_number    text not null check (subject_id_number ~ '^[0-9]{17}[0-9X]$'),
  application_id       text check (application_id is null or length(application_id) between 1 and 64),
  issuing_authority_id text not null references authority (id),
  facts                jsonb not null check (jsonb_typeof(facts) = 'object'),
  -- the signed bytes (canonical JSON, UTF-8) and the signature over them; qr_text packs both
  payload              text not null,
  signature            bytea not null check (length(signature) = 64),
  key_id               text not null references certificate_signing_key (key_id),
  qr_text              text not null check (qr_text like 'HKC1:%'),
  status_index         integer not null unique check (status_index >= 0),
  issued_at            timestamptz not null,
  valid_until          date not null,
  revoked_at           timestamptz,
  revoked_by           text,
  revocation_reason    text check (revocation_reason is null or length(revocation_reason) between 1 and 500),
  issued_by            text not null,
  check ((revoked_at is null) = (revocation_reason is null) and (revoked_at is null) = (revoked_by is null)),
  check (valid_until >= (issued_at at time zone 'Asia/Shanghai')::date)
);
create index certificate_person_idx on certificate (person_id, issued_at);
-- an application yields one certificate of a kind: a retried approval gets the same one back
create unique index certificate_application_idx on certificate (application_id, kind) where application_id is not null;
create index certificate_revoked_idx on certificate (status_index) where revoked_at is not null;

-- The certificate's trail: issued, revoked; written in the transaction that changes it.
create table certificate_event (
  id                 bigserial primary key,
  certificate_number text not null references certificate (number),
  kind               text not null check (kind in ('issued', 'revoked')),
  actor              text not null,
  authority_id       text not null,
  reason             text,
  at                 timestamptz not null
);
create index certificate_event_number_idx on certificate_event (certificate_number, id);
