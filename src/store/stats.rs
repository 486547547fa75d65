use super::accounts::name_on;
use super::{LeaderRow, StoreResult, TopicTally, Tx};
use chrono::{DateTime, Utc};

impl Tx {
    /// Answers and correct answers of one user, per topic.
    pub async fn user_topic_tallies(&mut self, user_id: i64) -> StoreResult<Vec<TopicTally>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT q.topic_id AS topic_id, COUNT(*) AS answered, SUM(CASE WHEN a.correct THEN 1 ELSE 0 END) AS correct
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id
             WHERE a.user_id = $1 GROUP BY q.topic_id",
        )
        .bind(user_id)
        .fetch_all(db).await
        })?)
    }

    /// XP earned in this chat's quizzes since `since` (all time when `None`), best first.
    pub async fn leaderboard(
        &mut self,
        chat_id: i64,
        since: Option<DateTime<Utc>>,
        limit: i64,
    ) -> StoreResult<Vec<LeaderRow>> {
        // A learner shows under the name they have on this chat's platform.
        let sql = format!(
            "SELECT {} AS display_name, CAST(SUM(a.xp) AS BIGINT) AS xp, COUNT(*) AS answers
             FROM answers a JOIN quizzes q ON q.id = a.quiz_id JOIN users u ON u.id = a.user_id
             JOIN chats c ON c.id = q.chat_id
             WHERE q.chat_id = $1 AND ($2 IS NULL OR a.answered_at >= $3)
             GROUP BY u.id, c.platform ORDER BY xp DESC, answers DESC, u.id LIMIT $4",
            name_on("u", "c.platform")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(chat_id)
            .bind(since)
            .bind(since)
            .bind(limit)
            .fetch_all(db)
            .await)?)
    }
}
