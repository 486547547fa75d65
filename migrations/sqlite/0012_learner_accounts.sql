-- One learner on several platforms (issue 19). A `users` row is the learner: streak, freezes,
-- XP, time zone, review cards and log, topic statuses and answers hang off it. An account is
-- one platform identity of a learner; every platform lookup goes through `accounts`, so
-- linking moves accounts onto one learner instead of copying rows.
--
-- `users.platform` and `users.external_id` stay (SQLite cannot drop a column that is part of a
-- UNIQUE constraint without rebuilding every table that refers to `users`). They keep one rule
-- the code maintains: a learner's (platform, external_id) is always one of its own accounts, so
-- a new account's key is never taken by another learner.

CREATE TABLE accounts (
    id                 INTEGER PRIMARY KEY,
    platform           TEXT    NOT NULL CHECK (platform IN ('console', 'telegram', 'discord')),
    external_id        TEXT    NOT NULL,
    -- The name the learner has on this platform: what leaderboards of its chats show.
    display_name       TEXT    NOT NULL,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Set after five wrong /link codes in ten minutes: no linking from this account until then.
    link_locked_until  TEXT,
    created_at         TEXT    NOT NULL,
    UNIQUE (platform, external_id),
    -- One account per platform per learner: a chat's leaderboard names the learner once.
    UNIQUE (user_id, platform)
);

-- Every existing user is a learner with the one account it was created for.
INSERT INTO accounts (platform, external_id, display_name, user_id, created_at)
SELECT platform, external_id, display_name, id, created_at FROM users;

-- A pending /link code: only its SHA-256 is stored; one code per account at a time.
CREATE TABLE link_codes (
    code_hash   TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at  TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

-- Wrong or expired codes an account entered, for the lockout (five in ten minutes).
CREATE TABLE link_failures (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL
);
CREATE INDEX link_failures_by_account ON link_failures (account_id, at);
