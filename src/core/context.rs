//! Who is asking, where, and when.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Console,
    Telegram,
    Discord,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }
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
}

/// The context a command arrives with; adapters fill it from the platform's event.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub platform: Platform,
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
}

impl Ctx {
    /// Settings can be changed by chat admins, and by anyone in their own private chat.
    pub fn may_change_settings(&self) -> bool {
        self.chat_kind == ChatKind::Private || self.is_admin
    }
}
