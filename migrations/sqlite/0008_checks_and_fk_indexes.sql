-- Constraints the first migrations left to the code, and indexes for the foreign-key columns that
-- deletes and cascades scan (a user's quizzes, reviews, rounds and round answers).
--
-- SQLite cannot add a CHECK to an existing column, and rebuilding these tables would mean
-- rebuilding everything that references them; a BEFORE trigger that aborts enforces the same rule
-- on every later insert and update.

CREATE TRIGGER chats_platform_check BEFORE INSERT ON chats
WHEN NEW.platform NOT IN ('console', 'telegram', 'discord')
BEGIN SELECT RAISE(ABORT, 'chats.platform must be console, telegram or discord'); END;
CREATE TRIGGER chats_platform_check_update BEFORE UPDATE OF platform ON chats
WHEN NEW.platform NOT IN ('console', 'telegram', 'discord')
BEGIN SELECT RAISE(ABORT, 'chats.platform must be console, telegram or discord'); END;

CREATE TRIGGER users_platform_check BEFORE INSERT ON users
WHEN NEW.platform NOT IN ('console', 'telegram', 'discord')
BEGIN SELECT RAISE(ABORT, 'users.platform must be console, telegram or discord'); END;
CREATE TRIGGER users_platform_check_update BEFORE UPDATE OF platform ON users
WHEN NEW.platform NOT IN ('console', 'telegram', 'discord')
BEGIN SELECT RAISE(ABORT, 'users.platform must be console, telegram or discord'); END;

CREATE TRIGGER events_platform_check BEFORE INSERT ON events
WHEN NEW.platform NOT IN ('console', 'telegram', 'discord')
BEGIN SELECT RAISE(ABORT, 'events.platform must be console, telegram or discord'); END;

CREATE TRIGGER subscriptions_active_check BEFORE INSERT ON subscriptions
WHEN NEW.active NOT IN (0, 1)
BEGIN SELECT RAISE(ABORT, 'subscriptions.active must be 0 or 1'); END;
CREATE TRIGGER subscriptions_active_check_update BEFORE UPDATE OF active ON subscriptions
WHEN NEW.active NOT IN (0, 1)
BEGIN SELECT RAISE(ABORT, 'subscriptions.active must be 0 or 1'); END;

CREATE TRIGGER pushes_outcome_check BEFORE UPDATE OF outcome ON pushes
WHEN NEW.outcome IS NOT NULL AND NEW.outcome NOT IN ('sent', 'gone', 'failed')
BEGIN SELECT RAISE(ABORT, 'pushes.outcome must be sent, gone or failed'); END;

CREATE TRIGGER reminder_days_outcome_check BEFORE UPDATE OF outcome ON review_reminder_days
WHEN NEW.outcome IS NOT NULL AND NEW.outcome NOT IN ('sent', 'gone', 'failed')
BEGIN SELECT RAISE(ABORT, 'review_reminder_days.outcome must be sent, gone or failed'); END;

CREATE INDEX quizzes_by_asker ON quizzes (asked_by) WHERE asked_by IS NOT NULL;
CREATE INDEX review_log_by_user ON review_log (user_id);
CREATE INDEX review_quizzes_by_user ON review_quizzes (user_id);
CREATE INDEX rounds_by_starter ON rounds (started_by) WHERE started_by IS NOT NULL;
CREATE INDEX round_answers_by_user ON round_answers (user_id);
