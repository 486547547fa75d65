//! Review cards, their log, review quizzes and daily review reminders.

use super::Delivery;
use super::{Done, StoreResult, Tx};
use crate::core::{Lang, Platform};
use chrono::{DateTime, NaiveDate, Utc};

const CARD_COLUMNS: &str = "id, user_id, topic_id, question_idx, question_hash, retired, state, \
     due_at, stability, difficulty, elapsed_days, scheduled_days, reps, lapses, last_review_at, \
     last_rating";

/// One learner's card for one question, as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReviewCardRow {
    pub id: i64,
    pub user_id: i64,
    pub topic_id: String,
    pub question_idx: i64,
    /// Fingerprint of the question the card was made for; `None` for cards older than that.
    pub question_hash: Option<String>,
    /// The card's question left the curriculum: never due again.
    pub retired: bool,
    pub state: i64,
    pub due_at: DateTime<Utc>,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub reps: i64,
    pub lapses: i64,
    pub last_review_at: DateTime<Utc>,
    pub last_rating: i64,
}

/// The questions that have cards: one row per (topic, index, fingerprint) still in play.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardQuestion {
    pub topic_id: String,
    pub question_idx: i64,
    pub question_hash: Option<String>,
}

/// A card's state after a review (the row without its id).
#[derive(Debug, Clone, PartialEq)]
pub struct CardUpdate<'a> {
    pub user_id: i64,
    pub topic_id: &'a str,
    pub question_idx: i64,
    pub question_hash: &'a str,
    pub state: i64,
    pub due_at: DateTime<Utc>,
    pub stability: f64,
    pub difficulty: f64,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub reps: i64,
    pub lapses: i64,
    pub last_review_at: DateTime<Utc>,
    pub last_rating: i64,
}

/// One review, for the log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReviewLogRow {
    pub user_id: i64,
    pub card_id: i64,
    pub answer_id: i64,
    pub rating: i64,
    pub reviewed_at: DateTime<Utc>,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub state_before: i64,
    pub state_after: i64,
    pub stability_before: f64,
    pub stability_after: f64,
    pub difficulty_before: f64,
    pub difficulty_after: f64,
    pub due_after: DateTime<Utc>,
}

/// A reminder whose time has come, with where to send it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueReminder {
    pub user_id: i64,
    pub chat_id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub at: String,
    pub timezone: String,
    pub next_fire_at: DateTime<Utc>,
    /// The learner's /language (else their private chat's).
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderRow {
    pub at: String,
    pub timezone: String,
    pub next_fire_at: Option<DateTime<Utc>>,
}

impl Tx {
    pub async fn review_card(
        &mut self,
        user_id: i64,
        topic_id: &str,
        question_idx: i64,
    ) -> StoreResult<Option<ReviewCardRow>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM review_cards
             WHERE user_id = $1 AND topic_id = $2 AND question_idx = $3"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(topic_id)
            .bind(question_idx)
            .fetch_optional(db)
            .await)?)
    }

    /// Creates or updates the card; returns its id.
    pub async fn save_review_card(&mut self, c: &CardUpdate<'_>) -> StoreResult<i64> {
        Ok(on!(self, |db| {
            sqlx::query_scalar(
            "INSERT INTO review_cards (user_id, topic_id, question_idx, question_hash, state,
                due_at, stability, difficulty, elapsed_days, scheduled_days, reps, lapses,
                last_review_at, last_rating)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
             ON CONFLICT (user_id, topic_id, question_idx) DO UPDATE SET
                question_hash = excluded.question_hash, retired = FALSE, state = excluded.state, due_at = excluded.due_at, stability = excluded.stability,
                difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days,
                scheduled_days = excluded.scheduled_days, reps = excluded.reps,
                lapses = excluded.lapses, last_review_at = excluded.last_review_at,
                last_rating = excluded.last_rating
             RETURNING id",
        )
        .bind(c.user_id)
        .bind(c.topic_id)
        .bind(c.question_idx)
        .bind(c.question_hash)
        .bind(c.state)
        .bind(c.due_at)
        .bind(c.stability)
        .bind(c.difficulty)
        .bind(c.elapsed_days)
        .bind(c.scheduled_days)
        .bind(c.reps)
        .bind(c.lapses)
        .bind(c.last_review_at)
        .bind(c.last_rating)
        .fetch_one(db).await
        })?)
    }

    /// Logs a review; false if this answer was logged before (the UNIQUE answer_id decides).
    pub async fn log_review(&mut self, r: &ReviewLogRow) -> StoreResult<bool> {
        let done = on!(self, |db| {
            sqlx::query(
            "INSERT INTO review_log (user_id, card_id, answer_id, rating, reviewed_at, elapsed_days,
                scheduled_days, state_before, state_after, stability_before, stability_after,
                difficulty_before, difficulty_after, due_after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (answer_id) DO NOTHING",
        )
        .bind(r.user_id)
        .bind(r.card_id)
        .bind(r.answer_id)
        .bind(r.rating)
        .bind(r.reviewed_at)
        .bind(r.elapsed_days)
        .bind(r.scheduled_days)
        .bind(r.state_before)
        .bind(r.state_after)
        .bind(r.stability_before)
        .bind(r.stability_after)
        .bind(r.difficulty_before)
        .bind(r.difficulty_after)
        .bind(r.due_after)
        .execute(db).await.map(Done::from)
        })?;
        Ok(done.rows_affected() == 1)
    }

    /// A user's review log, oldest first.
    pub async fn review_log(&mut self, user_id: i64) -> StoreResult<Vec<ReviewLogRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT user_id, card_id, answer_id, rating, reviewed_at, elapsed_days, scheduled_days,
                    state_before, state_after, stability_before, stability_after,
                    difficulty_before, difficulty_after, due_after
             FROM review_log WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(db)
        .await)?)
    }

    /// The user's cards due before `before`, earliest first.
    pub async fn due_cards(
        &mut self,
        user_id: i64,
        before: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<ReviewCardRow>> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM review_cards
             WHERE user_id = $1 AND due_at < $2 AND NOT retired ORDER BY due_at, id LIMIT $3"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(before)
            .bind(limit)
            .fetch_all(db)
            .await)?)
    }

    pub async fn count_due_cards(
        &mut self,
        user_id: i64,
        before: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM review_cards WHERE user_id = $1 AND due_at < $2 AND NOT retired",
        )
        .bind(user_id)
        .bind(before)
        .fetch_one(db)
        .await)?)
    }

    /// When the user's earliest card is due; `None` without cards.
    pub async fn next_card_due(&mut self, user_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT MIN(due_at) FROM review_cards WHERE user_id = $1 AND NOT retired",
        )
        .bind(user_id)
        .fetch_one(db)
        .await)?)
    }

    /// Every question that live cards were made for, to compare with the curriculum.
    pub async fn card_questions(&mut self) -> StoreResult<Vec<CardQuestion>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT DISTINCT topic_id, question_idx, question_hash FROM review_cards
             WHERE NOT retired",
        )
        .fetch_all(db)
        .await)?)
    }

    /// Retires every live card made for this question; returns how many.
    pub async fn retire_cards(&mut self, q: &CardQuestion) -> StoreResult<u64> {
        let done = on!(self, |db| {
            sqlx::query(
            "UPDATE review_cards SET retired = TRUE
             WHERE topic_id = $1 AND question_idx = $2 AND question_hash IS NOT DISTINCT FROM $3 AND NOT retired",
        )
        .bind(&q.topic_id)
        .bind(q.question_idx)
        .bind(&q.question_hash)
        .execute(db).await.map(Done::from)
        })?;
        Ok(done.rows_affected())
    }

    pub async fn mark_review_quiz(&mut self, quiz_id: i64, user_id: i64) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "INSERT INTO review_quizzes (quiz_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        )
        .bind(quiz_id)
        .bind(user_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// Whether /review posed this quiz to this user.
    pub async fn is_review_quiz(&mut self, quiz_id: i64, user_id: i64) -> StoreResult<bool> {
        let n: i64 = on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM review_quizzes WHERE quiz_id = $1 AND user_id = $2",
        )
        .bind(quiz_id)
        .bind(user_id)
        .fetch_one(db)
        .await)?;
        Ok(n > 0)
    }

    pub async fn set_reminder(
        &mut self,
        user_id: i64,
        chat_id: i64,
        at: &str,
        timezone: &str,
        next_fire_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| {
            sqlx::query(
            "INSERT INTO review_reminders (user_id, chat_id, at, timezone, next_fire_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, at = excluded.at,
                timezone = excluded.timezone, next_fire_at = excluded.next_fire_at,
                updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(chat_id)
        .bind(at)
        .bind(timezone)
        .bind(next_fire_at)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(())
    }

    pub async fn reminder(&mut self, user_id: i64) -> StoreResult<Option<ReminderRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT at, timezone, next_fire_at FROM review_reminders WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(db)
        .await)?)
    }

    /// Reminders due at `now`, earliest first.
    pub async fn due_reminders(
        &mut self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<DueReminder>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT r.user_id AS user_id, r.chat_id AS chat_id, c.platform AS platform,
                    c.external_id AS external_id, r.at AS at, r.timezone AS timezone,
                    r.next_fire_at AS next_fire_at,
                    COALESCE((SELECT u.lang FROM users u WHERE u.id = r.user_id), c.lang) AS lang
             FROM review_reminders r JOIN chats c ON c.id = r.chat_id
             WHERE r.next_fire_at IS NOT NULL AND r.next_fire_at <= $1
             ORDER BY r.next_fire_at LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(db)
        .await)?)
    }

    /// Claims the user's reminder for a local day; false if that day's was claimed before. The
    /// primary key (user_id, local_day) makes a second reminder on one day impossible.
    pub async fn claim_reminder(
        &mut self,
        user_id: i64,
        local_day: NaiveDate,
        fire_at: DateTime<Utc>,
        cards: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| sqlx::query(
            "INSERT INTO review_reminder_days (user_id, local_day, fire_at, cards, claimed_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(local_day)
        .bind(fire_at)
        .bind(cards)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(r.rows_affected() == 1)
    }

    /// Records what became of a claimed reminder.
    pub async fn finish_reminder(
        &mut self,
        user_id: i64,
        local_day: NaiveDate,
        outcome: Delivery,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE review_reminder_days SET outcome = $1 WHERE user_id = $2 AND local_day = $3",
        )
        .bind(outcome)
        .bind(user_id)
        .bind(local_day)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }
}
