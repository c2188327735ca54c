-- Answers of keyed requests (client transaction ids) for modules whose events carry no key of their
-- own: ID cards and residence. The register keeps its keys and answers on registration_event; the
-- card and residence events have no such columns, and one request may append several of them (a
-- confirmation: card superseded, application confirmed, card issued). So the answer is kept once
-- per request here, written in the same transaction as the request's effects: a retry with the same
-- key finds it and is answered from it, writing nothing (src/platform/db/idempotency.ts).
--
-- Keys are chosen by clients, so they are scoped to the account that sent them: the primary key is
-- (actor_id, key), another account's identical key is a different request and never sees this answer.
-- Scale-out: distributed by actor_id (every lookup names the actor). Append-only: an answer is never
-- changed after it was given.

create table idempotent_request (
  actor_id   text not null,
  key        text not null check (length(key) between 1 and 100),
  operation  text not null,
  response   jsonb not null,
  created_at timestamptz not null default now(),
  primary key (actor_id, key)
);
create trigger idempotent_request_append_only before update or delete on idempotent_request
  for each row execute function forbid_change();
