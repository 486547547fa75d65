//! Plain data read from and written to the store.

use crate::core::{ChatKind, Lang, Platform};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatRow {
    pub id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub kind: ChatKind,
    pub timezone: Option<String>,
    pub current_topic: Option<String>,
    /// The deck the chat studies (its track); `None` = the curriculum.
    pub deck_id: Option<String>,
    /// The chat's /language (a group's default), if set.
    pub lang: Option<Lang>,
    /// A private chat's learner (the first one seen there).
    pub private_of: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub display_name: String,
    pub timezone: Option<String>,
    pub xp: i64,
    pub streak_current: i64,
    pub streak_longest: i64,
    pub streak_freezes: i64,
    pub last_study_day: Option<NaiveDate>,
    pub forget_requested_at: Option<DateTime<Utc>>,
    /// The learner's own /language, if chosen.
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuizRow {
    pub id: i64,
    pub chat_id: i64,
    pub topic_id: String,
    pub question_idx: i64,
    pub created_at: DateTime<Utc>,
}

/// A new answer; `xp` is what it earned.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    pub quiz_id: i64,
    pub user_id: i64,
    pub choice: usize,
    pub correct: bool,
    pub xp: i64,
    pub answered_at: DateTime<Utc>,
    pub study_day: NaiveDate,
}

/// A user's streak and XP as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProgress {
    pub xp: i64,
    pub streak_current: i64,
    pub streak_longest: i64,
    pub streak_freezes: i64,
    pub last_study_day: Option<NaiveDate>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicTally {
    pub topic_id: String,
    pub answered: i64,
    pub correct: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeaderRow {
    pub display_name: String,
    pub xp: i64,
    pub answers: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub chat_id: i64,
    pub schedule: String,
    pub timezone: String,
    pub active: bool,
    pub paused_reason: Option<String>,
    pub next_fire_at: Option<DateTime<Utc>>,
}
