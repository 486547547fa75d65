//! What every feature's use case shares: opening the transaction with the chat and user, their
//! timezones and place in the curriculum, display names, and platform housekeeping (native quiz
//! answers, chat moves, pruning). Each feature's own use case lives in its folder under `core/`.

pub(in crate::core) mod platform;

pub use platform::NativeAnswer;

use super::app::App;
use super::context::{ChatKind, Ctx};
use super::error::Error;
use super::messages::clip;
use super::streak::Streak;
use super::time::Timezone;
use crate::store::{ChatRow, Tx, UserProgress, UserRow};

/// Longest display name we store.
const NAME_CHARS: usize = 64;

impl App {
    /// Opens the use case's transaction with the chat and user, creating them on first contact.
    pub(in crate::core) async fn enter(&self, ctx: &Ctx) -> Result<(Tx, ChatRow, UserRow), Error> {
        let mut tx = self.store.begin().await?;
        let platform = ctx.platform;
        if let Some(event) = &ctx.event
            && !tx.claim_event(platform, event, ctx.now).await?
        {
            return Err(Error::Duplicate);
        }
        let chat = tx
            .upsert_chat(ctx.platform, &ctx.chat_id, ctx.chat_kind, ctx.now)
            .await?;
        let user = tx
            .upsert_user(
                platform,
                &ctx.user_id,
                &display_name(&ctx.user_name),
                ctx.now,
            )
            .await?;
        if ctx.chat_kind == ChatKind::Private {
            tx.claim_private_chat(chat.id, user.id).await?;
        }
        Ok((tx, chat, user))
    }

    pub(in crate::core) fn chat_tz(&self, chat: &ChatRow) -> Timezone {
        stored_zone(chat.timezone.as_deref(), "chat", chat.id).unwrap_or(self.default_tz)
    }

    /// A study day is the user's local day: their zone, else the chat's, else the default.
    pub(in crate::core) fn user_tz(&self, user: &UserRow, chat: &ChatRow) -> Timezone {
        stored_zone(user.timezone.as_deref(), "user", user.id).unwrap_or_else(|| self.chat_tz(chat))
    }

    /// The chat's current topic as a position in the curriculum.
    pub(in crate::core) fn position(&self, chat: &ChatRow) -> usize {
        self.position_of(chat.current_topic.as_deref())
    }

    /// A stored current topic as a position; the first topic when unset or no longer in the
    /// curriculum.
    pub(in crate::core) fn position_of(&self, current_topic: Option<&str>) -> usize {
        current_topic
            .and_then(|id| self.catalog.position(id))
            .unwrap_or(0)
    }
}

/// A stored zone name as a [`Timezone`]. One that no longer parses (a zone renamed in a newer
/// tz database, a hand-edited row) is logged and treated as unset rather than silently replaced.
pub(in crate::core) fn stored_zone(name: Option<&str>, owner: &str, id: i64) -> Option<Timezone> {
    let name = name?;
    match Timezone::parse(name) {
        Ok(tz) => Some(tz),
        Err(e) => {
            tracing::warn!(owner, id, zone = name, error = %e.english(), "stored timezone does not parse; using the fallback");
            None
        }
    }
}

/// A display name safe to store and show: no control characters, clipped, never empty.
pub(in crate::core) fn display_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    match clip(name.trim(), NAME_CHARS) {
        n if n.is_empty() => "learner".to_string(),
        n => n,
    }
}

pub(in crate::core) fn streak_of(u: &UserRow) -> Streak {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Streak {
        current: n(u.streak_current),
        longest: n(u.streak_longest),
        freezes: n(u.streak_freezes),
        last_day: u.last_study_day,
    }
}

pub(in crate::core) fn progress_of(xp: i64, s: &Streak) -> UserProgress {
    UserProgress {
        xp,
        streak_current: i64::from(s.current),
        streak_longest: i64::from(s.longest),
        streak_freezes: i64::from(s.freezes),
        last_study_day: s.last_day,
    }
}

pub(in crate::core) fn percent(part: i64, whole: i64) -> Option<u32> {
    (whole > 0).then(|| u32::try_from((part * 100 + whole / 2) / whole).unwrap_or(0))
}
