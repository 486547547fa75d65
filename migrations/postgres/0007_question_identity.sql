-- A review card belongs to one question, not to a position in a topic's list: when content is
-- rewritten, the question at an index can change. `question_hash` is the content fingerprint of
-- the question the card was made for (NULL for cards made before this migration); a card whose
-- question is no longer in the curriculum is retired at start, so it stops being due, and an
-- answer to the new question at that index starts a fresh card.
ALTER TABLE review_cards ADD COLUMN question_hash TEXT;
ALTER TABLE review_cards ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
DROP INDEX review_cards_due;
CREATE INDEX review_cards_due ON review_cards (user_id, due_at) WHERE NOT retired;
