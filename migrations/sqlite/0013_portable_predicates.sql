-- The same SQL now runs on SQLite and PostgreSQL, where `retired` is a BOOLEAN: queries say
-- `NOT retired` instead of `retired = 0`. SQLite uses a partial index only for a WHERE that
-- implies the index's own, so the index is restated in the same words.
DROP INDEX review_cards_due;
CREATE INDEX review_cards_due ON review_cards (user_id, due_at) WHERE NOT retired;
