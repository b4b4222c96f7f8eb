-- Step-up re-authentication (IA-11) and inactive-account disabling (AC-2(3)).
-- sessions.auth_at: when the password and second factor were last entered for this session.
ALTER TABLE sessions ADD COLUMN auth_at BIGINT;
--;;
-- users.enabled_at: when an administrator last re-enabled the account (inactivity counts from
-- the later of this and the last login).
ALTER TABLE users ADD COLUMN enabled_at BIGINT;
