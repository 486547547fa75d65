-- Decks (a group's own questions beside the curriculum) and learners' reports of bad questions.
--
-- A deck question is addressed like a curriculum one, so quizzes, answers, review cards and
-- rounds need no new columns: its `topic_id` is `deck:<deck id>` (a curriculum topic id is a
-- slug and never holds a colon) and `question_idx` its row in `deck_questions`. Review cards keep
-- their `question_hash` (the fingerprint of the question's text): re-importing a deck moves each
-- card to its question's new row and retires the cards of questions that changed.

CREATE TABLE decks (
    -- A slug, never `backend` (the curriculum's name).
    id           TEXT    PRIMARY KEY,
    title        TEXT    NOT NULL,
    -- The chat it was imported in (usable there); NULL for a deck imported on the command line.
    chat_id      INTEGER REFERENCES chats (id) ON DELETE SET NULL,
    imported_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Usable in every chat (`deck import --public`).
    public       INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX decks_by_chat ON decks (chat_id) WHERE chat_id IS NOT NULL;
CREATE INDEX decks_by_importer ON decks (imported_by) WHERE imported_by IS NOT NULL;

CREATE TABLE deck_questions (
    deck_id      TEXT    NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL CHECK (idx >= 0),
    topic        TEXT,
    prompt       TEXT    NOT NULL,
    -- A JSON array of two to four option texts.
    options      TEXT    NOT NULL,
    answer       INTEGER NOT NULL CHECK (answer BETWEEN 0 AND 3),
    explanation  TEXT    NOT NULL,
    difficulty   INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 3),
    hash         TEXT    NOT NULL,
    PRIMARY KEY (deck_id, idx)
);

-- The chat's track: what /quiz, /round, /today and the daily push draw from. NULL = the
-- curriculum; a removed deck sends its chats back to it.
ALTER TABLE chats ADD COLUMN deck_id TEXT REFERENCES decks (id) ON DELETE SET NULL;
CREATE INDEX chats_by_deck ON chats (deck_id) WHERE deck_id IS NOT NULL;

-- A learner's report of a question. One per learner per question (as it read when reported:
-- a rewritten question can be reported again); `prompt` keeps what they saw.
CREATE TABLE reports (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id       TEXT    NOT NULL,
    question_idx   INTEGER NOT NULL,
    question_hash  TEXT    NOT NULL,
    prompt         TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    UNIQUE (user_id, topic_id, question_idx, question_hash)
);
CREATE INDEX reports_by_question ON reports (topic_id, question_idx);
CREATE INDEX reports_by_time ON reports (created_at);
