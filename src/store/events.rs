use super::{Done, Store, StoreResult, Tx};
use crate::core::Platform;
use chrono::{DateTime, Utc};

const CLAIM_EVENT: &str =
    "INSERT INTO events (platform, event_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

impl Tx {
    /// Records an event inside the current transaction; false if it was recorded before.
    pub async fn claim_event(
        &mut self,
        platform: Platform,
        event_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| sqlx::query(CLAIM_EVENT)
            .bind(platform)
            .bind(event_id)
            .bind(now)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(r.rows_affected() == 1)
    }

    /// Forgets events older than `before`; platforms stop redelivering long before that.
    pub async fn prune_events(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        let r = on!(self, |db| sqlx::query(
            "DELETE FROM events WHERE seen_at < $1"
        )
        .bind(before)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(r.rows_affected())
    }

    /// Moves a chat to a new platform id (a Telegram group that became a supergroup). If the new
    /// id already has a row (messages raced the migration), its quizzes, seen topics and
    /// subscription move to the old chat's row first, so nothing is lost in the merge.
    pub async fn move_chat(
        &mut self,
        platform: Platform,
        old_id: &str,
        new_id: &str,
    ) -> StoreResult<bool> {
        let old: Option<i64> = on!(self, |db| sqlx::query_scalar(
            "SELECT id FROM chats WHERE platform = $1 AND external_id = $2"
        )
        .bind(platform)
        .bind(old_id)
        .fetch_optional(db)
        .await)?;
        let Some(old) = old else { return Ok(false) };
        let new: Option<i64> = on!(self, |db| sqlx::query_scalar(
            "SELECT id FROM chats WHERE platform = $1 AND external_id = $2"
        )
        .bind(platform)
        .bind(new_id)
        .fetch_optional(db)
        .await)?;
        if let Some(new) = new {
            for sql in [
                "UPDATE quizzes SET chat_id = $1 WHERE chat_id = $2",
                "INSERT INTO chat_topics (chat_id, topic_id, seen_at)
                 SELECT $1, topic_id, seen_at FROM chat_topics WHERE chat_id = $2
                 ON CONFLICT DO NOTHING",
                "UPDATE subscriptions SET chat_id = $1 WHERE chat_id = $2
                 AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE chat_id = $1)",
                "DELETE FROM chats WHERE id = $2",
            ] {
                on!(self, |db| sqlx::query(sql)
                    .bind(old)
                    .bind(new)
                    .execute(db)
                    .await
                    .map(Done::from))?;
            }
        }
        on!(self, |db| sqlx::query(
            "UPDATE chats SET external_id = $1 WHERE id = $2"
        )
        .bind(new_id)
        .bind(old)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(true)
    }
}

impl Store {
    /// [`Tx::claim_event`] as one statement committed on its own, for a command that writes
    /// nothing else (its reads ran on a reading connection).
    pub async fn claim_event(
        &self,
        platform: Platform,
        event_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let rows = write_one!(self, CLAIM_EVENT, [platform, event_id.to_string(), now])?;
        Ok(rows == 1)
    }
}
