//! Timed quiz rounds: the round, its questions (each an ordinary quiz) and the points of each
//! answer. One running round per chat is a partial unique index, not a check in code.

use super::RoundState;
use super::accounts::name_on;
use super::{Done, StoreResult, Tx};
use crate::core::Platform;
use chrono::{DateTime, Utc};

/// A round with the platform address of its chat.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub chat_id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub source: Option<String>,
    pub total: i64,
    pub period_secs: i64,
    pub state: RoundState,
    /// The number of the question being played; 0 before the first.
    pub current: i64,
    pub next_at: Option<DateTime<Utc>>,
    pub started_by: Option<i64>,
    pub updated_at: DateTime<Utc>,
    /// The chat's /language: what the round's posts are written in.
    pub lang: Option<crate::core::Lang>,
}

/// One question of a round, with what it asks.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundQuestionRow {
    pub round_id: i64,
    pub number: i64,
    pub quiz_id: i64,
    pub topic_id: String,
    pub question_idx: i64,
    pub message_ref: Option<String>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
}

/// The round a quiz belongs to, as an answer needs it: whether it still takes answers and
/// since when the question is open.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenRoundQuestion {
    pub round_id: i64,
    pub number: i64,
    pub state: RoundState,
    pub current: i64,
    pub period_secs: i64,
    pub opened_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
}

/// A player's total in a round.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundScore {
    pub user_id: i64,
    pub display_name: String,
    pub points: i64,
    pub right: i64,
    pub answered: i64,
}

/// One answer to one round question.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundAnswerRow {
    pub display_name: String,
    pub correct: bool,
    pub points: i64,
    pub elapsed_ms: i64,
}

const ROUND_COLUMNS: &str = "r.id, r.chat_id, c.platform, c.external_id, r.source, r.total,
     r.period_secs, r.state, r.current, r.next_at, r.started_by, r.updated_at, c.lang";

const QUESTION_COLUMNS: &str = "rq.round_id, rq.number, rq.quiz_id, q.topic_id, q.question_idx,
     rq.message_ref, rq.opened_at, rq.closes_at";

impl Tx {
    /// Starts a round, due at once (see `set_round_step` for later); `None` if the chat already
    /// has a running round.
    pub async fn create_round(
        &mut self,
        chat_id: i64,
        source: Option<&str>,
        total: i64,
        period_secs: i64,
        started_by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "INSERT INTO rounds (chat_id, source, total, period_secs, state, current, next_at,
                                 started_by, started_at, updated_at)
             VALUES ($1, $2, $3, $4, 'running', 0, $5, $6, $7, $8) ON CONFLICT DO NOTHING
             RETURNING id",
        )
        .bind(chat_id)
        .bind(source)
        .bind(total)
        .bind(period_secs)
        .bind(now)
        .bind(started_by)
        .bind(now)
        .bind(now)
        .fetch_optional(db)
        .await)?)
    }

    pub async fn round(&mut self, round_id: i64) -> StoreResult<Option<RoundRow>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM rounds r JOIN chats c ON c.id = r.chat_id WHERE r.id = $1"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(round_id)
            .fetch_optional(db)
            .await)?)
    }

    pub async fn running_round(&mut self, chat_id: i64) -> StoreResult<Option<RoundRow>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM rounds r JOIN chats c ON c.id = r.chat_id
             WHERE r.chat_id = $1 AND r.state = 'running'"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(chat_id)
            .fetch_optional(db)
            .await)?)
    }

    /// Running rounds the scheduler must act on by `now`. On PostgreSQL a round another
    /// instance is stepping is skipped (its step is taken once).
    pub async fn due_rounds(&mut self, now: DateTime<Utc>) -> StoreResult<Vec<RoundRow>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM rounds r JOIN chats c ON c.id = r.chat_id
             WHERE r.state = 'running' AND r.next_at IS NOT NULL AND r.next_at <= $1
             ORDER BY r.next_at, r.id{}",
            self.skip_locked("r")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .fetch_all(db)
            .await)?)
    }

    /// Running rounds whose post was never confirmed (a process stopped while posting).
    pub async fn posting_rounds(&mut self) -> StoreResult<Vec<RoundRow>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM rounds r JOIN chats c ON c.id = r.chat_id
             WHERE r.state = 'running' AND r.next_at IS NULL ORDER BY r.id"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(db)
            .await)?)
    }

    /// Moves the round to question `current`; `next_at` NULL while that question is posted.
    pub async fn set_round_step(
        &mut self,
        round_id: i64,
        current: i64,
        next_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE rounds SET current = $1, next_at = $2, updated_at = $3 WHERE id = $4"
        )
        .bind(current)
        .bind(next_at)
        .bind(now)
        .bind(round_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// Ends a running round (finished, stopped or failed); false if it was not running.
    pub async fn end_round(
        &mut self,
        round_id: i64,
        state: RoundState,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| {
            sqlx::query(
            "UPDATE rounds SET state = $1, end_reason = $2, next_at = NULL, ended_at = $3, updated_at = $4
             WHERE id = $5 AND state = 'running'",
        )
        .bind(state)
        .bind(reason)
        .bind(now)
        .bind(now)
        .bind(round_id)
        .execute(db).await.map(Done::from)
        })?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn add_round_question(
        &mut self,
        round_id: i64,
        number: i64,
        quiz_id: i64,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "INSERT INTO round_questions (round_id, number, quiz_id) VALUES ($1, $2, $3)"
        )
        .bind(round_id)
        .bind(number)
        .bind(quiz_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn round_question(
        &mut self,
        round_id: i64,
        number: i64,
    ) -> StoreResult<Option<RoundQuestionRow>> {
        let sql = format!(
            "SELECT {QUESTION_COLUMNS} FROM round_questions rq JOIN quizzes q ON q.id = rq.quiz_id
             WHERE rq.round_id = $1 AND rq.number = $2"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(round_id)
            .bind(number)
            .fetch_optional(db)
            .await)?)
    }

    /// The platform accepted the question at `opened_at`: answers count until `closes_at`.
    pub async fn open_round_question(
        &mut self,
        round_id: i64,
        number: i64,
        message_ref: Option<&str>,
        opened_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE round_questions SET message_ref = $1, opened_at = $2, closes_at = $3
             WHERE round_id = $4 AND number = $5",
        )
        .bind(message_ref)
        .bind(opened_at)
        .bind(closes_at)
        .bind(round_id)
        .bind(number)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// The round question a quiz is, if it is one.
    pub async fn round_slot(&mut self, quiz_id: i64) -> StoreResult<Option<OpenRoundQuestion>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT rq.round_id, rq.number, r.state, r.current, r.period_secs, rq.opened_at,
                    rq.closes_at
             FROM round_questions rq JOIN rounds r ON r.id = rq.round_id WHERE rq.quiz_id = $1",
        )
        .bind(quiz_id)
        .fetch_optional(db)
        .await)?)
    }

    /// Records the points of a first answer; a second one for the same question changes nothing.
    pub async fn insert_round_answer(
        &mut self,
        quiz_id: i64,
        user_id: i64,
        round_id: i64,
        correct: bool,
        points: i64,
        elapsed_ms: i64,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| {
            sqlx::query(
            "INSERT INTO round_answers (quiz_id, user_id, round_id, correct, points, elapsed_ms)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (quiz_id, user_id) DO NOTHING",
        )
        .bind(quiz_id)
        .bind(user_id)
        .bind(round_id)
        .bind(correct)
        .bind(points)
        .bind(elapsed_ms)
        .execute(db).await.map(Done::from)
        })?;
        Ok(r.rows_affected() == 1)
    }

    /// Every player's total in a round (players who answered at least once).
    pub async fn round_scores(&mut self, round_id: i64) -> StoreResult<Vec<RoundScore>> {
        let sql = format!(
            "SELECT u.id AS user_id, {} AS display_name, CAST(SUM(ra.points) AS BIGINT) AS points,
                    SUM(CASE WHEN ra.correct THEN 1 ELSE 0 END) AS right, COUNT(*) AS answered
             FROM round_answers ra JOIN users u ON u.id = ra.user_id
             JOIN rounds r ON r.id = ra.round_id JOIN chats c ON c.id = r.chat_id
             WHERE ra.round_id = $1 GROUP BY u.id, c.platform",
            name_on("u", "c.platform")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(round_id)
            .fetch_all(db)
            .await)?)
    }

    /// The answers to one round question, fastest first.
    pub async fn round_answers(&mut self, quiz_id: i64) -> StoreResult<Vec<RoundAnswerRow>> {
        let sql = format!(
            "SELECT {} AS display_name, ra.correct AS correct, ra.points AS points,
                    ra.elapsed_ms AS elapsed_ms
             FROM round_answers ra JOIN users u ON u.id = ra.user_id
             JOIN quizzes q ON q.id = ra.quiz_id JOIN chats c ON c.id = q.chat_id
             WHERE ra.quiz_id = $1 ORDER BY ra.elapsed_ms, u.id",
            name_on("u", "c.platform")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(quiz_id)
            .fetch_all(db)
            .await)?)
    }
}
