-- Spaced-repetition review (FSRS). Every question a learner answers is a card of that learner;
-- every answer reviews it once (one review per answer, unique), and the log keeps each review so
-- the FSRS parameters can be refitted from it later.

-- One card per (learner, question). The memory fields mirror the FSRS card (rs-fsrs `Card`);
-- `state`: 0 new, 1 learning, 2 review, 3 relearning; ratings: 1 again, 2 hard, 3 good, 4 easy.
CREATE TABLE review_cards (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic_id        TEXT    NOT NULL,
    question_idx    INTEGER NOT NULL,
    state           INTEGER NOT NULL CHECK (state BETWEEN 0 AND 3),
    due_at          TEXT    NOT NULL,
    stability       REAL    NOT NULL,
    difficulty      REAL    NOT NULL,
    elapsed_days    INTEGER NOT NULL,
    scheduled_days  INTEGER NOT NULL,
    reps            INTEGER NOT NULL,
    lapses          INTEGER NOT NULL,
    last_review_at  TEXT    NOT NULL,
    last_rating     INTEGER NOT NULL CHECK (last_rating BETWEEN 1 AND 4),
    UNIQUE (user_id, topic_id, question_idx)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due_at);

-- Every review, in the shape FSRS optimizers read (card, time, rating, state, elapsed days).
CREATE TABLE review_log (
    id                 INTEGER PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    card_id            INTEGER NOT NULL REFERENCES review_cards (id) ON DELETE CASCADE,
    -- The answer that was this review: a redelivered answer can never review twice.
    answer_id          INTEGER NOT NULL UNIQUE REFERENCES answers (id) ON DELETE CASCADE,
    rating             INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    reviewed_at        TEXT    NOT NULL,
    -- Days since the card's previous review (0 for a new card) and the interval it had been given.
    elapsed_days       INTEGER NOT NULL,
    scheduled_days     INTEGER NOT NULL,
    state_before       INTEGER NOT NULL,
    state_after        INTEGER NOT NULL,
    stability_before   REAL    NOT NULL,
    stability_after    REAL    NOT NULL,
    difficulty_before  REAL    NOT NULL,
    difficulty_after   REAL    NOT NULL,
    due_after          TEXT    NOT NULL
);
CREATE INDEX review_log_by_card ON review_log (card_id, reviewed_at);

-- Quizzes posed by /review, and for whom: answering one serves that learner's next due card.
CREATE TABLE review_quizzes (
    quiz_id  INTEGER PRIMARY KEY REFERENCES quizzes (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

-- Opt-in daily "N cards due" message, at a local time in the learner's zone, to their private
-- chat. `next_fire_at` lets the scheduler find due reminders with one indexed query.
CREATE TABLE review_reminders (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    at            TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    next_fire_at  TEXT,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX review_reminders_due ON review_reminders (next_fire_at);

-- A reminder is claimed before it is sent: the primary key allows one per learner per local day,
-- whatever the clock, a restart or a changed reminder time does.
CREATE TABLE review_reminder_days (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    local_day   TEXT    NOT NULL,
    fire_at     TEXT    NOT NULL,
    cards       INTEGER NOT NULL,
    claimed_at  TEXT    NOT NULL,
    outcome     TEXT,
    PRIMARY KEY (user_id, local_day)
);
