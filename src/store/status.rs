//! Per-topic status: what each learner decided about a topic (done, later, skip).

use super::{Done, StoreResult, Tx};
use chrono::{DateTime, Utc};

/// One learner's status of one topic.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicStatusRow {
    pub topic_id: String,
    /// `done`, `later` or `skip`.
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

impl Tx {
    /// Sets (or replaces) the user's status of a topic; returns the status it had before.
    pub async fn set_topic_status(
        &mut self,
        user_id: i64,
        topic_id: &str,
        status: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<String>> {
        let before: Option<String> = on!(self, |db| sqlx::query_scalar(
            "SELECT status FROM topic_status WHERE user_id = $1 AND topic_id = $2",
        )
        .bind(user_id)
        .bind(topic_id)
        .fetch_optional(db)
        .await)?;
        on!(self, |db| {
            sqlx::query(
            "INSERT INTO topic_status (user_id, topic_id, status, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, topic_id)
             DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(topic_id)
        .bind(status)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(before)
    }

    /// Every topic status of a user, oldest change first.
    pub async fn topic_statuses(&mut self, user_id: i64) -> StoreResult<Vec<TopicStatusRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT topic_id, status, updated_at FROM topic_status WHERE user_id = $1
             ORDER BY updated_at, topic_id",
        )
        .bind(user_id)
        .fetch_all(db)
        .await)?)
    }
}
