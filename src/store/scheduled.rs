//! Rows that fire at a `next_fire_at` computed in a local timezone: a chat's push subscription
//! and a learner's review reminder. Both are found due by one indexed query, moved to their next
//! fire after a claim, and re-timed when their zone changes; the statements are the same but
//! for the table, so they live here once.

use super::{Done, StoreResult, Tx};
use chrono::{DateTime, Utc};

/// Which kind of scheduled row, and so which table and key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduled {
    /// `subscriptions`, keyed by chat.
    Subscription,
    /// `review_reminders`, keyed by user.
    Reminder,
}

impl Scheduled {
    fn table(self) -> &'static str {
        match self {
            Scheduled::Subscription => "subscriptions",
            Scheduled::Reminder => "review_reminders",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Scheduled::Subscription => "chat_id",
            Scheduled::Reminder => "user_id",
        }
    }
}

impl Tx {
    /// Moves a row to its next fire (`None`: it never fires again).
    pub async fn set_next_fire(
        &mut self,
        kind: Scheduled,
        key: i64,
        next: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let sql = format!(
            "UPDATE {} SET next_fire_at = $1 WHERE {} = $2",
            kind.table(),
            kind.key()
        );
        on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(next)
            .bind(key)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(())
    }

    /// Changes the zone and the next fire time computed in it.
    pub async fn set_schedule_zone(
        &mut self,
        kind: Scheduled,
        key: i64,
        timezone: &str,
        next: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let sql = format!(
            "UPDATE {} SET timezone = $1, next_fire_at = $2 WHERE {} = $3",
            kind.table(),
            kind.key()
        );
        on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(timezone)
            .bind(next)
            .bind(key)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(())
    }

    /// Deletes the row; returns whether there was one.
    pub async fn delete_scheduled(&mut self, kind: Scheduled, key: i64) -> StoreResult<bool> {
        let sql = format!("DELETE FROM {} WHERE {} = $1", kind.table(), kind.key());
        let r = on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(r.rows_affected() > 0)
    }
}
