//! Who is asking, where, and when.

use super::messages::Lang;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Console,
    Telegram,
    Discord,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Console, Platform::Telegram, Platform::Discord];

    /// The name stored in the database and shown in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }

    /// The platform a stored name stands for.
    pub fn from_name(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// What the platform a command came from can do. The adapter fills it; the core decides from
/// these, never from the platform's name, so a new platform only describes itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// A reply can be shown to the asking member alone, even in a group (Discord's ephemeral
    /// interaction responses).
    pub private_replies: bool,
    /// The bot can later message a private chat on its own initiative (reminders go there).
    pub scheduled_private_messages: bool,
    /// Quizzes are the platform's native quiz polls, answered by poll reference.
    pub native_quiz_polls: bool,
}

/// Who may see a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Everyone in the chat.
    #[default]
    Chat,
    /// Only the member who asked, where the platform can do that ([`Capabilities::private_replies`]).
    Asker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    /// A one-to-one chat: the user is its own admin.
    Private,
    /// A group, supergroup or server channel.
    Group,
}

impl ChatKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Private => "private",
            ChatKind::Group => "group",
        }
    }

    pub fn from_name(s: &str) -> Option<ChatKind> {
        [ChatKind::Private, ChatKind::Group]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// The context a command arrives with; adapters fill it from the platform's event.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Where the command came from: for storage and logs, not for decisions (see `caps`).
    pub platform: Platform,
    pub caps: Capabilities,
    pub chat_id: String,
    pub chat_kind: ChatKind,
    pub user_id: String,
    pub user_name: String,
    /// Whether the platform says this user administers the chat.
    pub is_admin: bool,
    pub now: DateTime<Utc>,
    /// The platform's id for the event that carried the command (a Telegram update id, a Discord
    /// interaction id). A state change is applied once per event, even if the event is delivered
    /// again after a crash.
    pub event: Option<String>,
    /// The language of the reply. Adapters fill it with what the platform's locale suggests
    /// ([`Lang::from_locale`] of Telegram's `language_code`, Discord's `locale`); `App::respond`
    /// replaces it with the language that applies (stored choices first) before a command runs.
    pub lang: Lang,
}

impl Ctx {
    /// Settings can be changed by chat admins, and by anyone in their own private chat.
    pub fn may_change_settings(&self) -> bool {
        self.chat_kind == ChatKind::Private || self.is_admin
    }
}
