-- Bulk import jobs (`hukou import`, issue #3 item 6). A job is keyed by the SHA-256 of the file's
-- content: running the same file again finds its job — completed (nothing to do) or interrupted
-- (resume after the last committed batch). Each batch commits its rows, its report entries and the
-- job's new offset in one transaction, so a crash loses at most the batch in flight and nothing is
-- imported twice.
--
-- Scale-out: jobs and their report are few and belong to no person; they stay on the coordinator.

create table import_job (
  id               bigint generated always as identity primary key,
  file_sha256      text not null unique check (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_name        text not null,
  format           text not null check (format in ('ndjson', 'csv')),
  file_bytes       bigint not null check (file_bytes >= 0),
  status           text not null default 'running' check (status in ('running', 'completed')),
  committed_offset bigint not null default 0 check (committed_offset >= 0),  -- byte just after the last committed row
  committed_rows   integer not null default 0 check (committed_rows >= 0),   -- data rows up to committed_offset
  imported_rows    integer not null default 0 check (imported_rows >= 0),
  unchanged_rows   integer not null default 0 check (unchanged_rows >= 0),   -- already registered exactly as given
  rejected_rows    integer not null default 0 check (rejected_rows >= 0),
  batches          integer not null default 0 check (batches >= 0),
  actor_id         text not null,
  started_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  completed_at     timestamptz,
  check ((status = 'completed') = (completed_at is not null))
);

-- The import report: one row per problem found in a rejected row (row number is 1-based, data rows only).
create table import_issue (
  job_id     bigint not null references import_job (id),
  row_number integer not null check (row_number > 0),
  field      text not null,
  code       text not null,
  message    text not null
);
create index import_issue_job_idx on import_issue (job_id, row_number);
