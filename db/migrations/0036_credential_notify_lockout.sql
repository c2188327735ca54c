-- A backoff lock (account.locked_until, set by failed attempts) refuses the account's API tokens and
-- sessions while it lasts (issue #11), so it too must reach the credential caches of other processes
-- at once (0035 announced only status, role, authority, person, password changes).
drop trigger account_credentials_notify on account;
create trigger account_credentials_notify
  after update on account for each row
  when (old.status is distinct from new.status or old.role is distinct from new.role
        or old.authority_id is distinct from new.authority_id or old.person_id is distinct from new.person_id
        or old.must_change_password is distinct from new.must_change_password
        or old.password_hash is distinct from new.password_hash
        or old.locked_until is distinct from new.locked_until)
  execute function credentials_notify();
