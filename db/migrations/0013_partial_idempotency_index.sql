-- Idempotency keys are given only by API clients, on one event of an operation; the events of
-- births in bulk (seed, import) and the later events of an operation have none. 0002's unique
-- constraint indexed every event, NULL keys included; a partial unique index holds only the keys.
-- Uniqueness is unchanged (NULLs never clashed), the lookup `idempotency_key = $1` implies
-- `is not null` so it still uses the index, and a million-person seed builds it in no time instead
-- of 0.44 s.
alter table registration_event drop constraint registration_event_idempotency_key_key;
create unique index registration_event_idempotency_key_idx on registration_event (idempotency_key) where idempotency_key is not null;
