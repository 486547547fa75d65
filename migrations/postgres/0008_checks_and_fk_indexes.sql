-- Constraints the first migrations left to the code, and indexes for the foreign-key columns that
-- deletes and cascades scan (a user's quizzes, reviews, rounds and round answers).
--
-- SQLite cannot add a CHECK to an existing column and enforces these rules with BEFORE triggers
-- that abort; PostgreSQL adds the same rules as CHECK constraints, named like those triggers.
-- (The SQLite outcome triggers fire on UPDATE only; inserts never set an outcome, so a CHECK,
-- which also covers inserts, enforces the same rule.)

ALTER TABLE chats ADD CONSTRAINT chats_platform_check
    CHECK (platform IN ('console', 'telegram', 'discord'));

ALTER TABLE users ADD CONSTRAINT users_platform_check
    CHECK (platform IN ('console', 'telegram', 'discord'));

ALTER TABLE events ADD CONSTRAINT events_platform_check
    CHECK (platform IN ('console', 'telegram', 'discord'));

-- SQLite's subscriptions_active_check (active must be 0 or 1): `active` is BOOLEAN here, so the
-- type already allows nothing else.

ALTER TABLE pushes ADD CONSTRAINT pushes_outcome_check
    CHECK (outcome IS NULL OR outcome IN ('sent', 'gone', 'failed'));

ALTER TABLE review_reminder_days ADD CONSTRAINT reminder_days_outcome_check
    CHECK (outcome IS NULL OR outcome IN ('sent', 'gone', 'failed'));

CREATE INDEX quizzes_by_asker ON quizzes (asked_by) WHERE asked_by IS NOT NULL;
CREATE INDEX review_log_by_user ON review_log (user_id);
CREATE INDEX review_quizzes_by_user ON review_quizzes (user_id);
CREATE INDEX rounds_by_starter ON rounds (started_by) WHERE started_by IS NOT NULL;
CREATE INDEX round_answers_by_user ON round_answers (user_id);
