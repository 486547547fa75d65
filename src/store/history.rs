//! A learner's answer history: study days for the progress card's calendar, and every answer
//! for `/export`.

use super::{StoreResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};

/// One stored answer with the question it answered.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerHistoryRow {
    pub answered_at: DateTime<Utc>,
    pub study_day: NaiveDate,
    pub topic_id: String,
    pub question_idx: i64,
    pub choice: i64,
    pub correct: bool,
    pub xp: i64,
}

impl Tx {
    /// Answers per local study day from `since` on, oldest first.
    pub async fn user_study_days(
        &mut self,
        user_id: i64,
        since: NaiveDate,
    ) -> StoreResult<Vec<(NaiveDate, i64)>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT study_day, COUNT(*) FROM answers
             WHERE user_id = $1 AND study_day >= $2 GROUP BY study_day ORDER BY study_day",
        )
        .bind(user_id)
        .bind(since)
        .fetch_all(db)
        .await)?)
    }

    /// Every answer of one user, oldest first.
    pub async fn user_answer_history(
        &mut self,
        user_id: i64,
    ) -> StoreResult<Vec<AnswerHistoryRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT a.answered_at AS answered_at, a.study_day AS study_day,
                    q.topic_id AS topic_id, q.question_idx AS question_idx,
                    a.choice AS choice, a.correct AS correct, a.xp AS xp
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE a.user_id = $1 ORDER BY a.answered_at, a.id",
        )
        .bind(user_id)
        .fetch_all(db)
        .await)?)
    }
}
