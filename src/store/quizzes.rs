use super::{NewAnswer, QuizRow, Store, StoreResult, Tx};
use chrono::{DateTime, Utc};

const QUIZ_COLUMNS: &str = "id, chat_id, topic_id, question_idx, created_at";
const SET_QUIZ_REF: &str = "UPDATE quizzes SET platform_ref = ? WHERE id = ?";

impl Tx {
    pub async fn create_quiz(
        &mut self,
        chat_id: i64,
        topic: &str,
        question_idx: usize,
        asked_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let id = sqlx::query(
            "INSERT INTO quizzes (chat_id, topic_id, question_idx, asked_by, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(chat_id)
        .bind(topic)
        .bind(question_idx as i64)
        .bind(asked_by)
        .bind(now)
        .execute(&mut *self.tx)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    /// Remembers what the platform calls this quiz (a poll id, a message id), inside a larger
    /// transaction.
    pub async fn set_quiz_ref(&mut self, quiz_id: i64, platform_ref: &str) -> StoreResult<()> {
        sqlx::query(SET_QUIZ_REF)
            .bind(platform_ref)
            .bind(quiz_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn quiz(&mut self, quiz_id: i64) -> StoreResult<Option<QuizRow>> {
        let sql = format!("SELECT {QUIZ_COLUMNS} FROM quizzes WHERE id = ?");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(quiz_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    pub async fn quiz_by_ref(&mut self, platform_ref: &str) -> StoreResult<Option<QuizRow>> {
        let sql = format!("SELECT {QUIZ_COLUMNS} FROM quizzes WHERE platform_ref = ?");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform_ref)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    pub async fn latest_quiz(&mut self, chat_id: i64) -> StoreResult<Option<QuizRow>> {
        let sql = format!(
            "SELECT {QUIZ_COLUMNS} FROM quizzes WHERE chat_id = ? ORDER BY id DESC LIMIT 1"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(chat_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    /// The questions most recently put to this chat, newest first, so a new quiz can avoid them.
    pub async fn recent_questions(
        &mut self,
        chat_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT topic_id, question_idx FROM quizzes WHERE chat_id = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(chat_id)
        .bind(limit)
        .fetch_all(&mut *self.tx)
        .await?)
    }

    /// Inserts the answer unless this user already answered this quiz; returns the new answer's
    /// id, `None` if there was one. The UNIQUE (quiz_id, user_id) constraint decides, so a
    /// redelivered update cannot count twice.
    pub async fn insert_answer(&mut self, a: &NewAnswer) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "INSERT INTO answers (quiz_id, user_id, choice, correct, xp, answered_at, study_day)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (quiz_id, user_id) DO NOTHING RETURNING id",
        )
        .bind(a.quiz_id)
        .bind(a.user_id)
        .bind(a.choice as i64)
        .bind(a.correct)
        .bind(a.xp)
        .bind(a.answered_at)
        .bind(a.study_day)
        .fetch_optional(&mut *self.tx)
        .await?)
    }

    /// The option this user chose for this quiz, if they answered it.
    pub async fn answer_choice(&mut self, quiz_id: i64, user_id: i64) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT choice FROM answers WHERE quiz_id = ? AND user_id = ?")
                .bind(quiz_id)
                .bind(user_id)
                .fetch_optional(&mut *self.tx)
                .await?,
        )
    }

    pub async fn answer_count(&mut self, quiz_id: i64) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM answers WHERE quiz_id = ?")
                .bind(quiz_id)
                .fetch_one(&mut *self.tx)
                .await?,
        )
    }
}

impl Store {
    /// Remembers what the platform calls this quiz (a poll id, a message id). One statement,
    /// committed on its own: atomic without a transaction around it, and one round trip to the
    /// database thread instead of three.
    pub async fn set_quiz_ref(&self, quiz_id: i64, platform_ref: &str) -> StoreResult<()> {
        sqlx::query(SET_QUIZ_REF)
            .bind(platform_ref)
            .bind(quiz_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
