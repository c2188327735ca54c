-- Servers keep resolved credentials in memory for at most a few seconds (src/access/credential-cache.ts,
-- issue #13). So that a revocation, logout, lock or password change made by another process (a second
-- server, the CLI, an administrator's SQL) is effective there at once rather than at the cache's bound,
-- every change to what a credential resolves to is announced on the channel `hukou_credentials` when its
-- transaction commits (NOTIFY is delivered on commit only; identical notifications in one transaction are
-- folded into one). Bookkeeping writes (last seen / last used, failed-attempt counters) announce nothing.
create function credentials_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('hukou_credentials', tg_table_name);
  return null;
end $$;

create trigger account_credentials_notify
  after update on account for each row
  when (old.status is distinct from new.status or old.role is distinct from new.role
        or old.authority_id is distinct from new.authority_id or old.person_id is distinct from new.person_id
        or old.must_change_password is distinct from new.must_change_password
        or old.password_hash is distinct from new.password_hash)
  execute function credentials_notify();
create trigger account_credentials_notify_delete after delete on account for each row execute function credentials_notify();

create trigger auth_session_credentials_notify
  after update on auth_session for each row
  when (old.token_hash is distinct from new.token_hash or old.revoked_at is distinct from new.revoked_at
        or old.expires_at is distinct from new.expires_at or old.second_factor_at is distinct from new.second_factor_at)
  execute function credentials_notify();
create trigger auth_session_credentials_notify_delete after delete on auth_session for each row execute function credentials_notify();

create trigger api_token_credentials_notify
  after update on api_token for each row
  when (old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at
        or old.account_id is distinct from new.account_id or old.token_hash is distinct from new.token_hash)
  execute function credentials_notify();
create trigger api_token_credentials_notify_delete after delete on api_token for each row execute function credentials_notify();
