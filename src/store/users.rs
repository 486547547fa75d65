use super::{Done, StoreResult, Tx, UserProgress, UserRow};
use crate::core::{Lang, Platform};
use chrono::{DateTime, Utc};

const USER_COLUMNS: &str =
    "id, display_name, timezone, xp, streak_current, streak_longest, streak_freezes,
     last_study_day, forget_requested_at, lang";

impl Tx {
    /// Finds the learner behind this platform account, or creates both on first contact; the
    /// account's display name is kept current (it is what its platform's leaderboards show).
    pub async fn upsert_user(
        &mut self,
        platform: Platform,
        external_id: &str,
        display_name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<UserRow> {
        // Twice at most: a first contact that loses a race to create the same learner (another
        // instance, on PostgreSQL) finds the winner's committed rows on the second pass.
        for _ in 0..2 {
            let known: Option<i64> = on!(self, |db| sqlx::query_scalar(
                "UPDATE accounts SET display_name = $1 WHERE platform = $2 AND external_id = $3
                 RETURNING user_id",
            )
            .bind(display_name)
            .bind(platform)
            .bind(external_id)
            .fetch_optional(db)
            .await)?;
            if let Some(user_id) = known {
                let sql = format!(
                    "UPDATE users SET display_name = $1 WHERE id = $2 RETURNING {USER_COLUMNS}"
                );
                return Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(display_name)
                    .bind(user_id)
                    .fetch_one(db)
                    .await)?);
            }
            // A new account's key is free in `users` too (see migration 0012).
            let sql = format!(
                "INSERT INTO users (platform, external_id, display_name, created_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (platform, external_id) DO NOTHING RETURNING {USER_COLUMNS}"
            );
            let created: Option<UserRow> =
                on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(platform)
                    .bind(external_id)
                    .bind(display_name)
                    .bind(now)
                    .fetch_optional(db)
                    .await)?;
            if let Some(user) = created {
                self.insert_account(platform, external_id, display_name, user.id, now)
                    .await?;
                return Ok(user);
            }
        }
        Err(super::StoreError::Unexpected(
            "a learner created meanwhile has no account",
        ))
    }

    /// The user as stored, without creating them (for commands that only read).
    pub async fn find_user(
        &mut self,
        platform: Platform,
        external_id: &str,
    ) -> StoreResult<Option<UserRow>> {
        // Through the account: a linked learner's row carries another platform's key.
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id =
             (SELECT user_id FROM accounts WHERE platform = $1 AND external_id = $2)"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(external_id)
            .fetch_optional(db)
            .await)?)
    }

    pub async fn user(&mut self, user_id: i64) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(db)
            .await)?)
    }

    pub async fn save_progress(&mut self, user_id: i64, p: &UserProgress) -> StoreResult<()> {
        on!(self, |db| {
            sqlx::query(
            "UPDATE users SET xp = $1, streak_current = $2, streak_longest = $3, streak_freezes = $4,
             last_study_day = $5 WHERE id = $6",
        )
        .bind(p.xp)
        .bind(p.streak_current)
        .bind(p.streak_longest)
        .bind(p.streak_freezes)
        .bind(p.last_study_day)
        .bind(user_id)
        .execute(db).await.map(Done::from)
        })?;
        Ok(())
    }

    pub async fn set_user_timezone(&mut self, user_id: i64, tz: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE users SET timezone = $1 WHERE id = $2"
        )
        .bind(tz)
        .bind(user_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn set_forget_requested(
        &mut self,
        user_id: i64,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE users SET forget_requested_at = $1 WHERE id = $2"
        )
        .bind(at)
        .bind(user_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn set_user_lang(&mut self, user_id: i64, lang: Lang) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE users SET lang = $1 WHERE id = $2"
        )
        .bind(lang)
        .bind(user_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }
}
