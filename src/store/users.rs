use super::{StoreResult, Tx, UserProgress, UserRow};
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
        let known: Option<i64> = sqlx::query_scalar(
            "UPDATE accounts SET display_name = ? WHERE platform = ? AND external_id = ?
             RETURNING user_id",
        )
        .bind(display_name)
        .bind(platform)
        .bind(external_id)
        .fetch_optional(&mut *self.tx)
        .await?;
        if let Some(user_id) = known {
            let sql =
                format!("UPDATE users SET display_name = ? WHERE id = ? RETURNING {USER_COLUMNS}");
            return Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(display_name)
                .bind(user_id)
                .fetch_one(&mut *self.tx)
                .await?);
        }
        // A new account's key is free in `users` too (see migration 0012).
        let sql = format!(
            "INSERT INTO users (platform, external_id, display_name, created_at) VALUES (?, ?, ?, ?)
             RETURNING {USER_COLUMNS}"
        );
        let user: UserRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(external_id)
            .bind(display_name)
            .bind(now)
            .fetch_one(&mut *self.tx)
            .await?;
        self.insert_account(platform, external_id, display_name, user.id, now)
            .await?;
        Ok(user)
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
             (SELECT user_id FROM accounts WHERE platform = ? AND external_id = ?)"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(external_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    pub async fn user(&mut self, user_id: i64) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .fetch_optional(&mut *self.tx)
            .await?)
    }

    pub async fn save_progress(&mut self, user_id: i64, p: &UserProgress) -> StoreResult<()> {
        sqlx::query(
            "UPDATE users SET xp = ?, streak_current = ?, streak_longest = ?, streak_freezes = ?,
             last_study_day = ? WHERE id = ?",
        )
        .bind(p.xp)
        .bind(p.streak_current)
        .bind(p.streak_longest)
        .bind(p.streak_freezes)
        .bind(p.last_study_day)
        .bind(user_id)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn set_user_timezone(&mut self, user_id: i64, tz: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET timezone = ? WHERE id = ?")
            .bind(tz)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_forget_requested(
        &mut self,
        user_id: i64,
        at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE users SET forget_requested_at = ? WHERE id = ?")
            .bind(at)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_user_lang(&mut self, user_id: i64, lang: Lang) -> StoreResult<()> {
        sqlx::query("UPDATE users SET lang = ? WHERE id = ?")
            .bind(lang)
            .bind(user_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }
}
