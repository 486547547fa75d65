use super::{Done, NewAnswer, QuizRow, Store, StoreResult, Tx};
use chrono::{DateTime, Utc};

const QUIZ_COLUMNS: &str = "id, chat_id, topic_id, question_idx, created_at";
const SET_QUIZ_REF: &str = "UPDATE quizzes SET platform_ref = $1 WHERE id = $2";

impl Tx {
    pub async fn create_quiz(
        &mut self,
        chat_id: i64,
        topic: &str,
        question_idx: usize,
        asked_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "INSERT INTO quizzes (chat_id, topic_id, question_idx, asked_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(chat_id)
        .bind(topic)
        .bind(question_idx as i64)
        .bind(asked_by)
        .bind(now)
        .fetch_one(db)
        .await)?)
    }

    /// Remembers what the platform calls this quiz (a poll id, a message id), inside a larger
    /// transaction.
    pub async fn set_quiz_ref(&mut self, quiz_id: i64, platform_ref: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(SET_QUIZ_REF)
            .bind(platform_ref)
            .bind(quiz_id)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(())
    }

    pub async fn quiz(&mut self, quiz_id: i64) -> StoreResult<Option<QuizRow>> {
        let sql = format!("SELECT {QUIZ_COLUMNS} FROM quizzes WHERE id = $1");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(quiz_id)
            .fetch_optional(db)
            .await)?)
    }

    pub async fn quiz_by_ref(&mut self, platform_ref: &str) -> StoreResult<Option<QuizRow>> {
        let sql = format!("SELECT {QUIZ_COLUMNS} FROM quizzes WHERE platform_ref = $1");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform_ref)
            .fetch_optional(db)
            .await)?)
    }

    pub async fn latest_quiz(&mut self, chat_id: i64) -> StoreResult<Option<QuizRow>> {
        let sql = format!(
            "SELECT {QUIZ_COLUMNS} FROM quizzes WHERE chat_id = $1 ORDER BY id DESC LIMIT 1"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(chat_id)
            .fetch_optional(db)
            .await)?)
    }

    /// The questions most recently put to this chat, newest first, so a new quiz can avoid them.
    pub async fn recent_questions(
        &mut self,
        chat_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<(String, i64)>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT topic_id, question_idx FROM quizzes WHERE chat_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(chat_id)
        .bind(limit)
        .fetch_all(db).await
        })?)
    }

    /// Inserts the answer unless this user already answered this quiz; returns the new answer's
    /// id, `None` if there was one. The UNIQUE (quiz_id, user_id) constraint decides, so a
    /// redelivered update cannot count twice.
    pub async fn insert_answer(&mut self, a: &NewAnswer) -> StoreResult<Option<i64>> {
        Ok(on!(self, |db| {
            sqlx::query_scalar(
            "INSERT INTO answers (quiz_id, user_id, choice, correct, xp, answered_at, study_day)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (quiz_id, user_id) DO NOTHING RETURNING id",
        )
        .bind(a.quiz_id)
        .bind(a.user_id)
        .bind(a.choice as i64)
        .bind(a.correct)
        .bind(a.xp)
        .bind(a.answered_at)
        .bind(a.study_day)
        .fetch_optional(db).await
        })?)
    }

    /// The option this user chose for this quiz, if they answered it.
    pub async fn answer_choice(&mut self, quiz_id: i64, user_id: i64) -> StoreResult<Option<i64>> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT choice FROM answers WHERE quiz_id = $1 AND user_id = $2"
        )
        .bind(quiz_id)
        .bind(user_id)
        .fetch_optional(db)
        .await)?)
    }

    pub async fn answer_count(&mut self, quiz_id: i64) -> StoreResult<i64> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM answers WHERE quiz_id = $1"
        )
        .bind(quiz_id)
        .fetch_one(db)
        .await)?)
    }
}

impl Store {
    /// Remembers what the platform calls this quiz (a poll id, a message id). One statement,
    /// committed on its own: atomic without a transaction around it, and one round trip to the
    /// database thread instead of three.
    pub async fn set_quiz_ref(&self, quiz_id: i64, platform_ref: &str) -> StoreResult<()> {
        write_one!(self, SET_QUIZ_REF, [platform_ref.to_string(), quiz_id])?;
        Ok(())
    }
}
