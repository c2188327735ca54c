-- Notifications outbox: rows written in the same transaction as (or by a scan of) the facts they
-- announce, delivered by a background worker exactly once (src/notifications).
--
-- Delivery: a worker claims one undelivered row with FOR UPDATE SKIP LOCKED, calls the channel
-- adapter with the notification id as idempotency key, and marks the row delivered in the same
-- transaction. A worker that dies mid-delivery rolls back: the row is unlocked and delivered by the
-- next worker; the log adapter writes notification_delivery inside that same transaction, so its
-- effect commits exactly once.

create table notification (
  id           uuid primary key default gen_random_uuid(),
  person_id    bigint not null references person (id),
  kind         text not null check (kind in ('id_card_expiring', 'endorsement_due')),
  dedupe_key   text not null unique,          -- one notification per fact (card + expiry, permit + anniversary)
  payload      jsonb not null,                -- what the message needs: ids and dates, no personal particulars
  channel      text not null default 'log' check (channel in ('log', 'mail')),
  created_at   timestamptz not null default now(),
  available_at timestamptz not null default now(),  -- retry back-off after a failed attempt
  attempts     integer not null default 0 check (attempts >= 0),
  last_error   text,
  delivered_at timestamptz,
  delivered_by text,
  check ((delivered_at is null) = (delivered_by is null))
);
create index notification_pending_idx on notification (available_at) where delivered_at is null;
create index notification_person_idx on notification (person_id, created_at);

-- The log channel's deliveries: the primary key is the idempotency key, so one notification is
-- delivered at most once, and it commits with the outbox row's delivered mark.
create table notification_delivery (
  notification_id uuid primary key references notification (id),
  channel         text not null,
  worker_id       text not null,
  message         text not null,
  delivered_at    timestamptz not null default now()
);
