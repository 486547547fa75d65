-- Per-topic status and timed group quiz rounds.

-- What a learner decided about a topic: 'done', 'later' (due: /progress lists it) or 'skip'.
-- One status per (user, topic); marking again replaces it.
CREATE TABLE topic_status (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id    TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('done', 'later', 'skip')),
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX topic_status_by_user ON topic_status (user_id, status, updated_at);

-- A timed quiz round in a chat. `current` is the number of the question being played (0 = not
-- started); `next_at` is when the scheduler must act on it next (post the first question, show
-- a countdown, close the open question). `next_at` NULL while a question is being posted: only
-- the confirmation of that post (or recovery at start) sets it again.
CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    -- What the questions come from: a section or topic query as typed, NULL = what the chat covered.
    source       TEXT,
    total        INTEGER NOT NULL CHECK (total BETWEEN 1 AND 20),
    period_secs  INTEGER NOT NULL CHECK (period_secs BETWEEN 5 AND 600),
    state        TEXT    NOT NULL CHECK (state IN ('running', 'finished', 'stopped', 'failed')),
    current      INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT,
    started_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    started_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    ended_at     TEXT,
    end_reason   TEXT
);
-- One round per chat at a time.
CREATE UNIQUE INDEX rounds_one_running_per_chat ON rounds (chat_id) WHERE state = 'running';
CREATE INDEX rounds_due ON rounds (state, next_at);

-- The questions of a round, each a quiz of the chat (so its answers are ordinary answers: one per
-- user, streaks and XP). `opened_at` is when the platform accepted the post (answer times count
-- from there); `closes_at` is when answers stop counting.
CREATE TABLE round_questions (
    round_id     INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    quiz_id      INTEGER NOT NULL UNIQUE REFERENCES quizzes (id) ON DELETE CASCADE,
    message_ref  TEXT,
    opened_at    TEXT,
    closes_at    TEXT,
    PRIMARY KEY (round_id, number)
);

-- Round points of one answer; the answer itself is in `answers`, and the primary key repeats its
-- UNIQUE (quiz_id, user_id): only a member's first answer to a question scores.
CREATE TABLE round_answers (
    quiz_id     INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    round_id    INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    points      INTEGER NOT NULL,
    elapsed_ms  INTEGER NOT NULL,
    PRIMARY KEY (quiz_id, user_id)
);
CREATE INDEX round_answers_by_round ON round_answers (round_id, user_id);
