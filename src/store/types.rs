//! Typed values in and out of the database: the core's small enums are stored as their names
//! (TEXT) and come back as enums, so rows carry `Platform` and `ChatKind`, not strings compared by
//! hand. Migration 0008 enforces the same sets in the database.

use crate::core::{ChatKind, Lang, Platform};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef, Postgres};
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type};

/// Implements TEXT storage on one engine for an enum with `as_str` and a parser returning
/// `Option`.
macro_rules! text_enum_on {
    ($db:ty, $info:ty, $value:ty, $t:ty, $parse:expr) => {
        impl Type<$db> for $t {
            fn type_info() -> $info {
                <str as Type<$db>>::type_info()
            }
            fn compatible(ty: &$info) -> bool {
                <str as Type<$db>>::compatible(ty)
            }
        }

        impl Encode<'_, $db> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as sqlx::Database>::ArgumentBuffer,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<$db>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> Decode<'r, $db> for $t {
            fn decode(value: $value) -> Result<Self, BoxDynError> {
                let s = <&str as Decode<$db>>::decode(value)?;
                let parse: fn(&str) -> Option<$t> = $parse;
                parse(s).ok_or_else(|| format!("unexpected {} value {s:?}", stringify!($t)).into())
            }
        }
    };
}

/// TEXT storage on both engines.
macro_rules! text_enum {
    ($t:ty, $parse:expr) => {
        text_enum_on!(Sqlite, SqliteTypeInfo, SqliteValueRef<'r>, $t, $parse);
        text_enum_on!(Postgres, PgTypeInfo, PgValueRef<'r>, $t, $parse);
    };
}

text_enum!(Platform, Platform::from_name);
text_enum!(ChatKind, ChatKind::from_name);
text_enum!(Lang, Lang::from_name);
text_enum!(RoundState, RoundState::from_name);
text_enum!(Delivery, Delivery::from_name);

/// Where a quiz round is: playing, or how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    Running,
    Finished,
    Stopped,
    Failed,
}

impl RoundState {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Running => "running",
            RoundState::Finished => "finished",
            RoundState::Stopped => "stopped",
            RoundState::Failed => "failed",
        }
    }

    pub fn from_name(s: &str) -> Option<RoundState> {
        [
            RoundState::Running,
            RoundState::Finished,
            RoundState::Stopped,
            RoundState::Failed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// What became of something the bot sent on its own (a push, a reminder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The chat blocked or removed the bot.
    Gone,
    /// Gave up after retries.
    Failed,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Sent => "sent",
            Delivery::Gone => "gone",
            Delivery::Failed => "failed",
        }
    }

    pub fn from_name(s: &str) -> Option<Delivery> {
        [Delivery::Sent, Delivery::Gone, Delivery::Failed]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}
