-- Platform events (Telegram update ids, Discord interaction ids) whose effects were committed:
-- a redelivered event is recognised and changes nothing twice.
CREATE TABLE events (
    platform  TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    seen_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, event_id)
);
