-- studybot schema. Uniqueness that must never double lives here, not in code:
-- one answer per (quiz, user), one push per (chat, scheduled fire time).
-- Times are RFC 3339 UTC text; study days are local calendar dates (YYYY-MM-DD).

CREATE TABLE chats (
    id               INTEGER PRIMARY KEY,
    platform         TEXT    NOT NULL,
    external_id      TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('private', 'group')),
    timezone         TEXT,
    -- The chat's place in the curriculum: the topic /today shows. NULL = the first topic.
    current_topic    TEXT,
    created_at       TEXT    NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    platform             TEXT    NOT NULL,
    external_id          TEXT    NOT NULL,
    display_name         TEXT    NOT NULL,
    timezone             TEXT,
    xp                   INTEGER NOT NULL DEFAULT 0,
    streak_current       INTEGER NOT NULL DEFAULT 0,
    streak_longest       INTEGER NOT NULL DEFAULT 0,
    streak_freezes       INTEGER NOT NULL DEFAULT 0,
    last_study_day       TEXT,
    forget_requested_at  TEXT,
    created_at           TEXT    NOT NULL,
    UNIQUE (platform, external_id)
);

-- Topics a chat has been shown (by /today, /next or a push): what /quiz prefers.
CREATE TABLE chat_topics (
    chat_id   INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    topic_id  TEXT    NOT NULL,
    seen_at   TEXT    NOT NULL,
    PRIMARY KEY (chat_id, topic_id)
);

-- One question posed in one chat. `platform_ref` is what the platform knows it by
-- (a Telegram poll id, a Discord message id).
CREATE TABLE quizzes (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    topic_id      TEXT    NOT NULL,
    question_idx  INTEGER NOT NULL,
    asked_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    platform_ref  TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX quizzes_by_chat ON quizzes (chat_id, id);
CREATE UNIQUE INDEX quizzes_by_platform_ref ON quizzes (platform_ref) WHERE platform_ref IS NOT NULL;

CREATE TABLE answers (
    id           INTEGER PRIMARY KEY,
    quiz_id      INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    choice       INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 3),
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    xp           INTEGER NOT NULL,
    answered_at  TEXT    NOT NULL,
    study_day    TEXT    NOT NULL,
    UNIQUE (quiz_id, user_id)
);
CREATE INDEX answers_by_user ON answers (user_id, answered_at);

CREATE TABLE subscriptions (
    chat_id       INTEGER PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
    schedule      TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    paused_reason TEXT,
    updated_at    TEXT    NOT NULL
);

-- A push is claimed before it is sent and marked sent after: the primary key makes a second
-- claim of the same (chat, fire time) impossible.
CREATE TABLE pushes (
    chat_id     INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    fire_at     TEXT    NOT NULL,
    topic_id    TEXT,
    claimed_at  TEXT    NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (chat_id, fire_at)
);
