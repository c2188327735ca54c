-- Accounts, roles, sessions and API tokens (issue #4). Who may act, for which authority, and how
-- they proved it. Passwords are argon2id hashes; session and API tokens are stored as SHA-256
-- hashes of random 256-bit values, so a copy of this database lets nobody log in.

create table account (
  id                   bigint generated always as identity primary key,
  username             text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name         text not null check (char_length(display_name) between 1 and 100),
  role                 text not null check (role in ('citizen', 'counter_officer', 'registration_officer', 'supervisor',
                                                     'statistician', 'administrator', 'department_client')),
  -- The authority the account acts for. Citizens and department clients act through the Ministry's
  -- national online platform (`mps`); officers belong to a station or bureau and see its area.
  authority_id         text not null references authority (id),
  person_id            bigint references person (id),       -- citizens only: their own record
  password_hash        text,                                -- argon2id PHC string; null: token-only client
  must_change_password boolean not null default false,
  totp_secret          text,                                -- base32 RFC 6238 secret; never returned after enrolment
  totp_last_step       bigint,                              -- last accepted time step (no code is accepted twice)
  status               text not null default 'active' check (status in ('active', 'locked')),
  locked_reason        text,
  failed_attempts      integer not null default 0 check (failed_attempts >= 0),
  locked_until         timestamptz,                         -- automatic lockout with exponential backoff
  created_at           timestamptz not null default now(),
  created_by           text not null,
  updated_at           timestamptz not null default now(),
  check (role = 'citizen' or person_id is null),
  check ((role = 'department_client') = (password_hash is null)),
  check ((status = 'locked') = (locked_reason is not null))
);
create unique index account_person_idx on account (person_id) where person_id is not null;
create index account_authority_idx on account (authority_id);

-- A browser session: the cookie carries a random token, this row its SHA-256.
create table auth_session (
  token_hash       bytea primary key,
  account_id       bigint not null references account (id),
  second_factor_at timestamptz,                             -- null: TOTP still owed (if the role needs it)
  created_at       timestamptz not null,
  last_seen_at     timestamptz not null,
  expires_at       timestamptz not null,                    -- absolute limit
  revoked_at       timestamptz,
  ip               text,
  user_agent       text
);
create index auth_session_account_idx on auth_session (account_id);

-- Bearer tokens for API clients (`Authorization: Bearer hk_…`); shown once, stored hashed.
create table api_token (
  id           bigint generated always as identity primary key,
  token_hash   bytea not null unique,
  account_id   bigint not null references account (id),
  name         text not null check (char_length(name) between 1 and 80),
  prefix       text not null,                               -- first characters, to recognise a token in lists
  created_at   timestamptz not null,
  created_by   text not null,
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
create index api_token_account_idx on api_token (account_id);

-- Everything that happens to an account (logins, failures, lockouts, resets, token grants): append-only.
create table account_event (
  id         bigint generated always as identity primary key,
  account_id bigint references account (id),               -- null: an attempt naming no existing account
  kind       text not null check (kind in (
               'created', 'login_succeeded', 'login_failed', 'second_factor_succeeded', 'second_factor_failed',
               'auto_locked', 'login_refused_locked', 'locked', 'unlocked', 'password_reset', 'password_changed',
               'logout', 'token_created', 'token_revoked', 'person_linked')),
  at         timestamptz not null,
  actor_id   text not null,
  ip         text,
  detail     jsonb not null default '{}'
);
create index account_event_account_idx on account_event (account_id, id);
create trigger account_event_append_only before update or delete on account_event
  for each row execute function forbid_change();
