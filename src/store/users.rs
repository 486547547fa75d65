use super::{StoreResult, Tx, UserProgress, UserRow};
use crate::core::{Lang, Platform};
use chrono::{DateTime, Utc};

const USER_COLUMNS: &str =
    "id, display_name, timezone, xp, streak_current, streak_longest, streak_freezes,
     last_study_day, forget_requested_at, lang";

impl Tx {
    /// Finds the user or creates them, keeping the display name current.
    pub async fn upsert_user(
        &mut self,
        platform: Platform,
        external_id: &str,
        display_name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<UserRow> {
        let sql = format!(
            "INSERT INTO users (platform, external_id, display_name, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (platform, external_id) DO UPDATE SET display_name = excluded.display_name
             RETURNING {USER_COLUMNS}"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(external_id)
            .bind(display_name)
            .bind(now)
            .fetch_one(&mut *self.tx)
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
