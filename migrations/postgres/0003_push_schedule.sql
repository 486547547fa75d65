-- The scheduler asks "which subscriptions are due?" with one indexed query instead of
-- evaluating every cron expression on every tick.
ALTER TABLE subscriptions ADD COLUMN next_fire_at TIMESTAMPTZ;
CREATE INDEX subscriptions_due ON subscriptions (active, next_fire_at);

-- What became of a claimed push: 'sent', 'gone' (the chat blocked or removed the bot) or
-- 'failed' (gave up after retries). NULL with sent_at NULL = claimed, not yet confirmed.
ALTER TABLE pushes ADD COLUMN outcome TEXT;
CREATE INDEX pushes_unconfirmed ON pushes (outcome) WHERE outcome IS NULL;
