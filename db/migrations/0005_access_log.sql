-- The access log (issue #4; PIPL Arts. 51, 54-55: a record of who processed whose personal
-- information, why, and what they saw). Every read of a person's or household's record by anyone but
-- the citizen themself is one entry. Entries form a hash chain: each carries the SHA-256 of the
-- previous entry, so `hukou audit verify` finds an edited, inserted, deleted or reordered entry;
-- Ed25519-signed checkpoints pin the chain so it cannot be silently rewritten from scratch.
--
-- Scale-out: entries belong to a chain (one per writer node when the log is partitioned); sequence
-- numbers are gapless within a chain; the chain head row is locked by each committing batch.

create table access_log (
  chain         text not null default 'main',
  seq           bigint not null check (seq > 0),
  at            timestamptz not null,
  actor_id      text not null,
  account_id    bigint,
  role          text not null,
  authority_id  text not null,
  purpose       text,                                   -- `application:<id>` or `case:<ref>`
  action        text not null,                          -- e.g. person.read, household.read, person.search
  subject_kind  text not null check (subject_kind in ('person', 'household', 'search')),
  subject_ref   text not null,                          -- what was asked for (ID number, household number, query)
  person_ids    bigint[] not null default '{}',         -- persons whose data was returned
  household_ids bigint[] not null default '{}',
  fields        text[] not null default '{}',           -- which fields were returned
  outcome       text not null,                          -- 'returned', or the error code of a refusal
  request_id    text,
  prev_hash     bytea not null check (octet_length(prev_hash) = 32),
  hash          bytea not null check (octet_length(hash) = 32),
  primary key (chain, seq),
  unique (chain, prev_hash)                             -- no two entries extend the same predecessor: no forks
);
create index access_log_person_idx on access_log using gin (person_ids);
create index access_log_subject_ref_idx on access_log (subject_ref) where subject_kind = 'person';
create index access_log_at_idx on access_log (at);

create trigger access_log_append_only before update or delete on access_log
  for each row execute function forbid_change();

-- The end of each chain; a committing batch holds its row lock, which serialises writers.
create table access_log_head (
  chain text primary key,
  seq   bigint not null check (seq >= 0),
  hash  bytea not null check (octet_length(hash) = 32)
);
insert into access_log_head (chain, seq, hash) values ('main', 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

create table access_log_checkpoint (
  chain     text not null,
  seq       bigint not null,
  hash      bytea not null check (octet_length(hash) = 32),
  signed_at timestamptz not null,
  key_id    text not null,                              -- first 16 hex of SHA-256 of the public key (SPKI DER)
  signature bytea not null,
  primary key (chain, seq)
);
create trigger access_log_checkpoint_append_only before update or delete on access_log_checkpoint
  for each row execute function forbid_change();
