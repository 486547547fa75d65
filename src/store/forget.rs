//! Deleting everything stored about one learner (/forget), in the caller's transaction.

use super::{Done, StoreResult, Tx};

/// What /forget deleted, table by table, for the confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub answers: u64,
    pub round_scores: u64,
    pub review_cards: u64,
    pub review_log: u64,
    pub reminders: u64,
    pub topic_statuses: u64,
    /// Private chats deleted (0 or 1 per platform user), with their own data below.
    pub private_chats: u64,
    pub subscriptions: u64,
    pub pushes: u64,
    pub quizzes: u64,
    pub topics_seen: u64,
    /// Quizzes and rounds in groups they started: kept for the group, their name cleared.
    pub unnamed: u64,
    /// Decks imported in their private chat.
    pub decks: u64,
}

impl Tx {
    /// Deletes the user and everything that refers to them: their answers, round scores,
    /// review cards and log, reminders and topic statuses everywhere; their private chats with
    /// the chats' subscriptions, pushes, quizzes and topic history. Group quizzes and rounds they
    /// started stay for the group with the starter cleared. The caller commits.
    pub async fn forget_user(&mut self, user_id: i64) -> StoreResult<Forgotten> {
        let mut f = Forgotten::default();
        let by_user = |table: &str| format!("DELETE FROM {table} WHERE user_id = $1");
        f.round_scores = self.exec(&by_user("round_answers"), user_id).await?;
        f.review_log = self.exec(&by_user("review_log"), user_id).await?;
        self.exec(&by_user("review_quizzes"), user_id).await?;
        f.review_cards = self.exec(&by_user("review_cards"), user_id).await?;
        self.exec(&by_user("review_reminder_days"), user_id).await?;
        f.reminders = self.exec(&by_user("review_reminders"), user_id).await?;
        f.topic_statuses = self.exec(&by_user("topic_status"), user_id).await?;
        self.exec(&by_user("reports"), user_id).await?;
        f.answers = self.exec(&by_user("answers"), user_id).await?;
        let private = "SELECT id FROM chats WHERE private_of = $1";
        let in_private = |table: &str| format!("DELETE FROM {table} WHERE chat_id IN ({private})");
        f.subscriptions = self.exec(&in_private("subscriptions"), user_id).await?;
        f.pushes = self.exec(&in_private("pushes"), user_id).await?;
        f.topics_seen = self.exec(&in_private("chat_topics"), user_id).await?;
        // Rounds are group-only; any in a private chat go with it (their questions cascade).
        self.exec(&in_private("rounds"), user_id).await?;
        // Other people's answers in a private chat cannot exist, but go with the quizzes anyway.
        self.exec(
            &format!("DELETE FROM answers WHERE quiz_id IN (SELECT id FROM quizzes WHERE chat_id IN ({private}))"),
            user_id,
        )
        .await?;
        f.quizzes = self.exec(&in_private("quizzes"), user_id).await?;
        // Decks imported in their private chat were usable only there (unless made public from
        // the command line): they go with it. Decks they imported in groups stay for the group,
        // nameless.
        f.decks = self
            .exec(
                &format!("DELETE FROM decks WHERE NOT public AND chat_id IN ({private})"),
                user_id,
            )
            .await?;
        self.exec(
            "UPDATE decks SET imported_by = NULL WHERE imported_by = $1",
            user_id,
        )
        .await?;
        f.private_chats = self
            .exec("DELETE FROM chats WHERE private_of = $1", user_id)
            .await?;
        f.unnamed = self
            .exec(
                "UPDATE quizzes SET asked_by = NULL WHERE asked_by = $1",
                user_id,
            )
            .await?;
        f.unnamed += self
            .exec(
                "UPDATE rounds SET started_by = NULL WHERE started_by = $1",
                user_id,
            )
            .await?;
        self.exec("DELETE FROM users WHERE id = $1", user_id)
            .await?;
        Ok(f)
    }

    /// Runs one statement with the user id bound to `$1`; the rows it touched.
    async fn exec(&mut self, sql: &str, user_id: i64) -> StoreResult<u64> {
        let r = on!(self, |db| sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(user_id)
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(r.rows_affected())
    }
}
