use super::{StoreResult, SubscriptionRow, Tx};
use chrono::{DateTime, Utc};

impl Tx {
    pub async fn upsert_subscription(
        &mut self,
        chat_id: i64,
        schedule: &str,
        timezone: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO subscriptions (chat_id, schedule, timezone, active, updated_at) VALUES (?, ?, ?, 1, ?)
             ON CONFLICT (chat_id) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone,
             active = 1, paused_reason = NULL, updated_at = excluded.updated_at",
        )
        .bind(chat_id)
        .bind(schedule)
        .bind(timezone)
        .bind(now)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Returns whether there was a subscription to delete.
    pub async fn delete_subscription(&mut self, chat_id: i64) -> StoreResult<bool> {
        let r = sqlx::query("DELETE FROM subscriptions WHERE chat_id = ?")
            .bind(chat_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    pub async fn subscription(&mut self, chat_id: i64) -> StoreResult<Option<SubscriptionRow>> {
        Ok(sqlx::query_as(
            "SELECT chat_id, schedule, timezone, active, paused_reason FROM subscriptions WHERE chat_id = ?",
        )
        .bind(chat_id)
        .fetch_optional(&mut *self.tx)
        .await?)
    }
}

impl Tx {
    pub async fn set_subscription_timezone(
        &mut self,
        chat_id: i64,
        timezone: &str,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE subscriptions SET timezone = ? WHERE chat_id = ?")
            .bind(timezone)
            .bind(chat_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
