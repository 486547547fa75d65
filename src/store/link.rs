//! Joining two learners into one (`/link`) and separating an account again (`/unlink`), each in
//! the caller's transaction. The core decides the merged streak and XP; this module moves rows.

use super::{Done, StoreResult, Tx, UserProgress};
use crate::core::Platform;
use chrono::{DateTime, Utc};

/// What a learner holds, for the confirmation of a link.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LearnerCounts {
    pub answers: i64,
    pub review_cards: i64,
    pub topic_statuses: i64,
}

impl Tx {
    pub async fn learner_counts(&mut self, user_id: i64) -> StoreResult<LearnerCounts> {
        Ok(on!(self, |db| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM answers WHERE user_id = $1) AS answers,
                    (SELECT COUNT(*) FROM review_cards WHERE user_id = $1 AND NOT retired)
                        AS review_cards,
                    (SELECT COUNT(*) FROM topic_status WHERE user_id = $1) AS topic_statuses",
        )
        .bind(user_id)
        .fetch_one(db)
        .await)?)
    }

    /// Moves everything of learner `gone` onto learner `keep` and deletes `gone`: review cards
    /// per question keep the later-reviewed one (with the log of both), topic statuses keep the
    /// later mark, a reminder keeps the later-set one, answers and the rest move as they are.
    /// `progress` and `timezone` are the merged learner's, decided by the caller.
    pub async fn merge_learners(
        &mut self,
        keep: i64,
        gone: i64,
        progress: &UserProgress,
        timezone: Option<&str>,
    ) -> StoreResult<()> {
        // Review cards of one question on both sides: the earlier-reviewed one loses, after its
        // log moves to the winner (ties go to `keep`).
        self.drop_twin_cards(keep, gone, ">").await?;
        self.drop_twin_cards(gone, keep, ">=").await?;
        // Topic statuses: the later mark wins (ties go to `keep`).
        self.drop_twin_marks(keep, gone, ">").await?;
        self.drop_twin_marks(gone, keep, ">=").await?;
        // One reminder per learner: the one set later.
        self.run(
            "DELETE FROM review_reminders WHERE user_id = (
               SELECT CASE WHEN g.updated_at > k.updated_at THEN $1 ELSE $2 END
               FROM review_reminders k, review_reminders g WHERE k.user_id = $1 AND g.user_id = $2)",
            keep,
            gone,
        )
        .await?;
        self.run(
            "DELETE FROM review_reminder_days AS g WHERE g.user_id = $2 AND EXISTS (SELECT 1 FROM
             review_reminder_days k WHERE k.user_id = $1 AND k.local_day = g.local_day)",
            keep,
            gone,
        )
        .await?;
        for sql in [
            // The UI language: the kept learner's choice, else the other's.
            "UPDATE users SET lang = COALESCE(lang, (SELECT lang FROM users WHERE id = $2))
             WHERE id = $1",
            "UPDATE review_cards SET user_id = $1 WHERE user_id = $2",
            "UPDATE review_log SET user_id = $1 WHERE user_id = $2",
            "UPDATE review_quizzes SET user_id = $1 WHERE user_id = $2",
            "UPDATE review_reminders SET user_id = $1 WHERE user_id = $2",
            "UPDATE review_reminder_days SET user_id = $1 WHERE user_id = $2",
            "UPDATE topic_status SET user_id = $1 WHERE user_id = $2",
            // A quiz lives in one chat of one platform and accounts of one learner are on
            // different platforms: both never answered the same quiz.
            "UPDATE answers SET user_id = $1 WHERE user_id = $2",
            "UPDATE round_answers SET user_id = $1 WHERE user_id = $2",
            "UPDATE quizzes SET asked_by = $1 WHERE asked_by = $2",
            "UPDATE rounds SET started_by = $1 WHERE started_by = $2",
            // A question both reported keeps the kept learner's report (one per learner).
            "DELETE FROM reports AS g WHERE g.user_id = $2 AND EXISTS (SELECT 1 FROM reports k
             WHERE k.user_id = $1 AND k.topic_id = g.topic_id AND k.question_idx = g.question_idx
             AND k.question_hash = g.question_hash)",
            "UPDATE reports SET user_id = $1 WHERE user_id = $2",
            "UPDATE decks SET imported_by = $1 WHERE imported_by = $2",
            "UPDATE chats SET private_of = $1 WHERE private_of = $2",
            "UPDATE accounts SET user_id = $1 WHERE user_id = $2",
            "DELETE FROM users WHERE id = $2",
        ] {
            self.run(sql, keep, gone).await?;
        }
        self.save_progress(keep, progress).await?;
        on!(self, |db| sqlx::query(
            "UPDATE users SET timezone = $1, forget_requested_at = NULL WHERE id = $2"
        )
        .bind(timezone)
        .bind(keep)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// Deletes `loser`'s cards that `winner` also has for the same question and reviewed later
    /// (`cmp` `>`) or at least as late (`>=`), moving their log onto the winning card first.
    async fn drop_twin_cards(&mut self, loser: i64, winner: i64, cmp: &str) -> StoreResult<()> {
        let twin = format!(
            "SELECT w.id FROM review_cards w WHERE w.user_id = $2 AND w.topic_id = l.topic_id
             AND w.question_idx = l.question_idx AND w.last_review_at {cmp} l.last_review_at"
        );
        let sql = format!(
            "UPDATE review_log SET card_id = (SELECT ({twin}) FROM review_cards l
                                              WHERE l.id = review_log.card_id)
             WHERE card_id IN (SELECT l.id FROM review_cards l
                               WHERE l.user_id = $1 AND EXISTS ({twin}))"
        );
        self.run(&sql, loser, winner).await?;
        let sql = format!("DELETE FROM review_cards AS l WHERE l.user_id = $1 AND EXISTS ({twin})");
        self.run(&sql, loser, winner).await?;
        Ok(())
    }

    /// Deletes `loser`'s topic statuses that `winner` marked later (`>`) or at least as late.
    async fn drop_twin_marks(&mut self, loser: i64, winner: i64, cmp: &str) -> StoreResult<()> {
        let sql = format!(
            "DELETE FROM topic_status AS l WHERE l.user_id = $1 AND EXISTS (SELECT 1 FROM
             topic_status w WHERE w.user_id = $2 AND w.topic_id = l.topic_id
             AND w.updated_at {cmp} l.updated_at)"
        );
        self.run(&sql, loser, winner).await?;
        Ok(())
    }

    /// Separates `account_id` (on `platform`) from learner `from` into a new learner with a copy
    /// of the learner's state (streak, XP, freezes, time zone, language, review cards, topic
    /// statuses).
    /// What happened on that platform goes with it: answers and round scores in its chats, its
    /// private chats, the quizzes and rounds it started there, a reminder sent there. The review
    /// log stays with `from`. Returns the new learner's id.
    pub async fn split_account(
        &mut self,
        from: i64,
        account_id: i64,
        platform: Platform,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        // The learner's own key must stay one of its accounts (migration 0012): if it is the
        // leaving account's, it takes another of its accounts' keys first.
        on!(self, |db| sqlx::query(
            "UPDATE users SET (platform, external_id) = (
               SELECT a.platform, a.external_id FROM accounts a WHERE a.user_id = users.id
               AND a.id <> $2 ORDER BY a.id LIMIT 1)
             WHERE id = $1 AND (platform, external_id) =
               (SELECT platform, external_id FROM accounts WHERE id = $2)",
        )
        .bind(from)
        .bind(account_id)
        .execute(db)
        .await
        .map(Done::from))?;
        let new: i64 = on!(self, |db| sqlx::query_scalar(
            "INSERT INTO users (platform, external_id, display_name, timezone, lang, xp,
                                streak_current, streak_longest, streak_freezes, last_study_day,
                                created_at)
             SELECT a.platform, a.external_id, a.display_name, u.timezone, u.lang, u.xp,
                    u.streak_current, u.streak_longest, u.streak_freezes, u.last_study_day, $3
             FROM users u JOIN accounts a ON a.id = $2 WHERE u.id = $1 RETURNING id",
        )
        .bind(from)
        .bind(account_id)
        .bind(now)
        .fetch_one(db)
        .await)?;
        let on_platform = "IN (SELECT id FROM chats WHERE platform = $3)";
        let quiz_on_platform = format!("IN (SELECT id FROM quizzes WHERE chat_id {on_platform})");
        for sql in [
            "UPDATE accounts SET user_id = $2 WHERE id = $4".to_string(),
            "INSERT INTO review_cards (user_id, topic_id, question_idx, state, due_at, stability,
               difficulty, elapsed_days, scheduled_days, reps, lapses, last_review_at, last_rating,
               question_hash, retired)
             SELECT $2, topic_id, question_idx, state, due_at, stability, difficulty,
               elapsed_days, scheduled_days, reps, lapses, last_review_at, last_rating,
               question_hash, retired FROM review_cards WHERE user_id = $1"
                .to_string(),
            "INSERT INTO topic_status (user_id, topic_id, status, updated_at)
             SELECT $2, topic_id, status, updated_at FROM topic_status WHERE user_id = $1"
                .to_string(),
            format!(
                "UPDATE answers SET user_id = $2 WHERE user_id = $1 AND quiz_id {quiz_on_platform}"
            ),
            format!(
                "UPDATE round_answers SET user_id = $2 WHERE user_id = $1 AND quiz_id {quiz_on_platform}"
            ),
            format!(
                "UPDATE review_quizzes SET user_id = $2 WHERE user_id = $1 AND quiz_id {quiz_on_platform}"
            ),
            format!(
                "UPDATE quizzes SET asked_by = $2 WHERE asked_by = $1 AND chat_id {on_platform}"
            ),
            format!(
                "UPDATE rounds SET started_by = $2 WHERE started_by = $1 AND chat_id {on_platform}"
            ),
            "UPDATE chats SET private_of = $2 WHERE private_of = $1 AND platform = $3".to_string(),
            format!(
                "INSERT INTO review_reminder_days (user_id, local_day, fire_at, cards, claimed_at,
                   outcome)
                 SELECT $2, local_day, fire_at, cards, claimed_at, outcome FROM review_reminder_days
                 WHERE user_id = $1 AND EXISTS (SELECT 1 FROM review_reminders
                   WHERE user_id = $1 AND chat_id {on_platform})"
            ),
            format!(
                "UPDATE review_reminders SET user_id = $2 WHERE user_id = $1 AND chat_id {on_platform}"
            ),
        ] {
            on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(new)
                .bind(platform)
                .bind(account_id)
                .execute(db)
                .await
                .map(Done::from))?;
        }
        Ok(new)
    }

    /// Runs one statement with `?1` = `a` and `?2` = `b`.
    async fn run(&mut self, sql: &str, a: i64, b: i64) -> StoreResult<u64> {
        Ok(
            on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .bind(a)
                .bind(b)
                .execute(db)
                .await
                .map(Done::from))?
            .rows_affected(),
        )
    }
}
