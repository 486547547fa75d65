-- Mirrors SQLite's 0013, which restates review_cards_due as `WHERE NOT retired` so the shared
-- queries can use it; the PostgreSQL index has said so since 0007.
DROP INDEX review_cards_due;
CREATE INDEX review_cards_due ON review_cards (user_id, due_at) WHERE NOT retired;
