//! Decks, their questions, and which deck a chat studies.

use super::{Done, StoreResult, Tx};
use chrono::{DateTime, Utc};

const DECK_COLUMNS: &str = "id, title, chat_id, imported_by, public, \
     (SELECT COUNT(*) FROM deck_questions q WHERE q.deck_id = decks.id) AS questions";

/// A deck as stored, with its number of questions.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeckRow {
    pub id: String,
    pub title: String,
    /// The chat that imported it; `None` for the command line (or a chat since deleted).
    pub chat_id: Option<i64>,
    pub imported_by: Option<i64>,
    pub public: bool,
    pub questions: i64,
}

/// One deck question as stored; `options` is a JSON array of 2–4 strings.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeckQuestionRow {
    pub idx: i64,
    pub topic: Option<String>,
    pub prompt: String,
    pub options: String,
    pub answer: i64,
    pub explanation: String,
    pub difficulty: i64,
    pub hash: String,
}

/// A deck to store (its questions replace any it had).
#[derive(Debug, Clone)]
pub struct NewDeck<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub chat_id: Option<i64>,
    pub imported_by: Option<i64>,
    pub public: bool,
    pub questions: &'a [DeckQuestionRow],
}

/// What an import changed for learners' review cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reimport {
    /// The deck existed before.
    pub replaced: bool,
    /// Cards kept (their question's text did not change; they follow it to its new row).
    pub cards_kept: u64,
    /// Cards retired (their question changed or left the deck).
    pub cards_retired: u64,
}

impl Tx {
    pub async fn deck(&mut self, id: &str) -> StoreResult<Option<DeckRow>> {
        let sql = format!("SELECT {DECK_COLUMNS} FROM decks WHERE id = $1");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(db)
            .await)?)
    }

    /// Every deck, by id.
    pub async fn decks(&mut self) -> StoreResult<Vec<DeckRow>> {
        let sql = format!("SELECT {DECK_COLUMNS} FROM decks ORDER BY id");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(db)
            .await)?)
    }

    /// The decks a chat may use: its own imports and the public ones, by id.
    pub async fn decks_for_chat(&mut self, chat_id: i64) -> StoreResult<Vec<DeckRow>> {
        let sql =
            format!("SELECT {DECK_COLUMNS} FROM decks WHERE public OR chat_id = $1 ORDER BY id");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(chat_id)
            .fetch_all(db)
            .await)?)
    }

    /// Stores a deck, replacing the questions of one with the same id in the same transaction.
    /// Learners' review cards follow their question to its new row when its text is unchanged
    /// (same fingerprint); the others retire. A card's row never collides on the way: every card
    /// of the deck first moves to a negative row of its own (its id), unused by any question.
    pub async fn save_deck(
        &mut self,
        d: &NewDeck<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Reimport> {
        let topic = format!("deck:{}", d.id);
        let replaced = self.deck(d.id).await?.is_some();
        on!(self, |db| sqlx::query(
            "INSERT INTO decks (id, title, chat_id, imported_by, public, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, public = excluded.public,
                updated_at = excluded.updated_at",
        )
        .bind(d.id)
        .bind(d.title)
        .bind(d.chat_id)
        .bind(d.imported_by)
        .bind(d.public)
        .bind(now)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        on!(self, |db| sqlx::query(
            "DELETE FROM deck_questions WHERE deck_id = $1"
        )
        .bind(d.id)
        .execute(db)
        .await
        .map(Done::from))?;
        for q in d.questions {
            on!(self, |db| sqlx::query(
                "INSERT INTO deck_questions (deck_id, idx, topic, prompt, options, answer,
                    explanation, difficulty, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(d.id)
            .bind(q.idx)
            .bind(&q.topic)
            .bind(&q.prompt)
            .bind(&q.options)
            .bind(q.answer)
            .bind(&q.explanation)
            .bind(q.difficulty)
            .bind(&q.hash)
            .execute(db)
            .await
            .map(Done::from))?;
        }
        on!(self, |db| sqlx::query(
            "UPDATE review_cards SET question_idx = -id WHERE topic_id = $1"
        )
        .bind(&topic)
        .execute(db)
        .await
        .map(Done::from))?;
        let kept = on!(self, |db| sqlx::query(
            "UPDATE review_cards SET question_idx = (
                SELECT q.idx FROM deck_questions q WHERE q.deck_id = $1 AND q.hash = review_cards.question_hash)
             WHERE topic_id = $2 AND NOT retired AND question_hash IN (
                SELECT hash FROM deck_questions WHERE deck_id = $3)",
        )
        .bind(d.id)
        .bind(&topic)
        .bind(d.id)
        .execute(db).await.map(Done::from))?
        .rows_affected();
        let retired = on!(self, |db| sqlx::query(
            "UPDATE review_cards SET retired = TRUE WHERE topic_id = $1 AND question_idx < 0 AND NOT retired",
        )
        .bind(&topic)
        .execute(db).await.map(Done::from))?
        .rows_affected();
        Ok(Reimport {
            replaced,
            cards_kept: kept,
            cards_retired: retired,
        })
    }

    /// Deletes a deck and its questions; chats studying it go back to the curriculum (the
    /// foreign key) and its review cards retire. False if there was no such deck.
    pub async fn remove_deck(&mut self, id: &str) -> StoreResult<bool> {
        on!(self, |db| sqlx::query(
            "UPDATE review_cards SET retired = TRUE WHERE topic_id = $1"
        )
        .bind(format!("deck:{id}"))
        .execute(db)
        .await
        .map(Done::from))?;
        let gone = on!(self, |db| sqlx::query("DELETE FROM decks WHERE id = $1")
            .bind(id)
            .execute(db)
            .await
            .map(Done::from))?
        .rows_affected();
        Ok(gone == 1)
    }

    pub async fn deck_questions(&mut self, id: &str) -> StoreResult<Vec<DeckQuestionRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT idx, topic, prompt, options, answer, explanation, difficulty, hash
             FROM deck_questions WHERE deck_id = $1 ORDER BY idx",
        )
        .bind(id)
        .fetch_all(db)
        .await)?)
    }

    pub async fn deck_question(
        &mut self,
        id: &str,
        idx: i64,
    ) -> StoreResult<Option<DeckQuestionRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT idx, topic, prompt, options, answer, explanation, difficulty, hash
             FROM deck_questions WHERE deck_id = $1 AND idx = $2",
        )
        .bind(id)
        .bind(idx)
        .fetch_optional(db)
        .await)?)
    }

    /// Sets the chat's track: a deck, or `None` for the curriculum.
    pub async fn set_chat_deck(&mut self, chat_id: i64, deck: Option<&str>) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE chats SET deck_id = $1 WHERE id = $2"
        )
        .bind(deck)
        .bind(chat_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// A learner's answers per deck (`deck:<id>` topic ids), for /progress.
    pub async fn deck_tallies(&mut self, user_id: i64) -> StoreResult<Vec<super::TopicTally>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT q.topic_id AS topic_id, COUNT(*) AS answered, SUM(CASE WHEN a.correct THEN 1 ELSE 0 END) AS correct
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE a.user_id = $1 AND q.topic_id LIKE 'deck:%'
             GROUP BY q.topic_id ORDER BY q.topic_id",
        )
        .bind(user_id)
        .fetch_all(db).await
        })?)
    }
}
