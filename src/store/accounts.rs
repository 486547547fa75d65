//! Platform accounts of a learner, and the one-time codes and failed tries of `/link`.

use super::{Done, StoreResult, Tx};
use crate::core::Platform;
use chrono::{DateTime, Utc};

/// One platform identity of a learner.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub display_name: String,
    pub user_id: i64,
    pub link_locked_until: Option<DateTime<Utc>>,
}

/// A pending `/link` code, found by its hash.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkCodeRow {
    pub account_id: i64,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
}

const ACCOUNT_COLUMNS: &str = "id, platform, external_id, display_name, user_id, link_locked_until";

/// SQL for the name learner `user` (a `users` alias) has on `platform` (an SQL expression): the
/// account's name there, else the learner's latest name anywhere.
pub(super) fn name_on(user: &str, platform: &str) -> String {
    format!(
        "COALESCE((SELECT ac.display_name FROM accounts ac
                   WHERE ac.user_id = {user}.id AND ac.platform = {platform}), {user}.display_name)"
    )
}

impl Tx {
    pub(super) async fn insert_account(
        &mut self,
        platform: Platform,
        external_id: &str,
        display_name: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "INSERT INTO accounts (platform, external_id, display_name, user_id, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(platform)
        .bind(external_id)
        .bind(display_name)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn account(
        &mut self,
        platform: Platform,
        external_id: &str,
    ) -> StoreResult<Option<AccountRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE platform = $1 AND external_id = $2"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(external_id)
            .fetch_optional(db)
            .await)?)
    }

    /// A learner's accounts, in the order they were made.
    pub async fn accounts_of(&mut self, user_id: i64) -> StoreResult<Vec<AccountRow>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE user_id = $1 ORDER BY id");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_all(db)
            .await)?)
    }

    /// Stores a new code for `account_id`, replacing its earlier one. `false` when another
    /// account holds a code with the same hash (the caller draws again).
    pub async fn put_link_code(
        &mut self,
        account_id: i64,
        code_hash: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        on!(self, |db| sqlx::query(
            "DELETE FROM link_codes WHERE account_id = $1 OR expires_at <= $2"
        )
        .bind(account_id)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        let r = on!(self, |db| sqlx::query(
            "INSERT INTO link_codes (code_hash, account_id, expires_at, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (code_hash) DO NOTHING",
        )
        .bind(code_hash)
        .bind(account_id)
        .bind(expires_at)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn link_code(&mut self, code_hash: &str) -> StoreResult<Option<LinkCodeRow>> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT k.account_id AS account_id, a.user_id AS user_id, k.expires_at AS expires_at
             FROM link_codes k JOIN accounts a ON a.id = k.account_id WHERE k.code_hash = $1",
        )
        .bind(code_hash)
        .fetch_optional(db)
        .await)?)
    }

    pub async fn delete_link_code(&mut self, code_hash: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "DELETE FROM link_codes WHERE code_hash = $1"
        )
        .bind(code_hash)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// Records a wrong or expired code from `account_id`; how many it entered since `since`.
    pub async fn record_link_failure(
        &mut self,
        account_id: i64,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        on!(self, |db| sqlx::query(
            "DELETE FROM link_failures WHERE account_id = $1 AND at < $2"
        )
        .bind(account_id)
        .bind(since)
        .execute(db)
        .await
        .map(Done::from))?;
        on!(self, |db| sqlx::query(
            "INSERT INTO link_failures (account_id, at) VALUES ($1, $2)"
        )
        .bind(account_id)
        .bind(now)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM link_failures WHERE account_id = $1 AND at >= $2",
        )
        .bind(account_id)
        .bind(since)
        .fetch_one(db)
        .await)?)
    }

    /// No linking from `account_id` until `until`; its failed tries start over afterwards.
    pub async fn lock_linking(&mut self, account_id: i64, until: DateTime<Utc>) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE accounts SET link_locked_until = $1 WHERE id = $2"
        )
        .bind(until)
        .bind(account_id)
        .execute(db)
        .await
        .map(Done::from))?;
        on!(self, |db| sqlx::query(
            "DELETE FROM link_failures WHERE account_id = $1"
        )
        .bind(account_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }
}
