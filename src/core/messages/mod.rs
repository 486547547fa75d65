//! Every sentence the bot says, grouped by feature (one enum per feature, each with its text
//! beside it), so a second UI language can be added feature by feature. English is the only
//! language so far.

mod general;
pub(in crate::core) mod text;

pub use crate::core::deck::messages::DeckMsg;
pub use crate::core::export::messages::ExportMsg;
pub use crate::core::forget::messages::ForgetMsg;
pub use crate::core::progress::card_messages::CardMsg;
pub use crate::core::progress::messages::StatsMsg;
pub use crate::core::quiz::messages::QuizMsg;
pub use crate::core::registry::{COMMANDS, CommandHelp};
pub use crate::core::report::messages::ReportMsg;
pub use crate::core::review::messages::ReviewMsg;
pub use crate::core::round::messages::RoundMsg;
pub use crate::core::schedule::messages::ScheduleMsg;
pub use crate::core::streak::messages::StreakMsg;
pub use crate::core::topics::messages::TopicMsg;
pub use general::GeneralMsg;
pub use text::{ECHO_CHARS, clip, plural};

use std::fmt;

/// A message of any feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    General(GeneralMsg),
    Schedule(ScheduleMsg),
    Topic(TopicMsg),
    Round(RoundMsg),
    Quiz(QuizMsg),
    Streak(StreakMsg),
    Stats(StatsMsg),
    Card(CardMsg),
    Export(ExportMsg),
    Forget(ForgetMsg),
    Review(ReviewMsg),
    Deck(DeckMsg),
    Report(ReportMsg),
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::General(m) => m.fmt(f),
            Msg::Schedule(m) => m.fmt(f),
            Msg::Topic(m) => m.fmt(f),
            Msg::Round(m) => m.fmt(f),
            Msg::Quiz(m) => m.fmt(f),
            Msg::Streak(m) => m.fmt(f),
            Msg::Stats(m) => m.fmt(f),
            Msg::Card(m) => m.fmt(f),
            Msg::Export(m) => m.fmt(f),
            Msg::Forget(m) => m.fmt(f),
            Msg::Review(m) => m.fmt(f),
            Msg::Deck(m) => m.fmt(f),
            Msg::Report(m) => m.fmt(f),
        }
    }
}

impl From<GeneralMsg> for Msg {
    fn from(m: GeneralMsg) -> Msg {
        Msg::General(m)
    }
}

impl From<ScheduleMsg> for Msg {
    fn from(m: ScheduleMsg) -> Msg {
        Msg::Schedule(m)
    }
}

impl From<TopicMsg> for Msg {
    fn from(m: TopicMsg) -> Msg {
        Msg::Topic(m)
    }
}

impl From<RoundMsg> for Msg {
    fn from(m: RoundMsg) -> Msg {
        Msg::Round(m)
    }
}

impl From<QuizMsg> for Msg {
    fn from(m: QuizMsg) -> Msg {
        Msg::Quiz(m)
    }
}

impl From<StreakMsg> for Msg {
    fn from(m: StreakMsg) -> Msg {
        Msg::Streak(m)
    }
}

impl From<StatsMsg> for Msg {
    fn from(m: StatsMsg) -> Msg {
        Msg::Stats(m)
    }
}

impl From<CardMsg> for Msg {
    fn from(m: CardMsg) -> Msg {
        Msg::Card(m)
    }
}

impl From<ExportMsg> for Msg {
    fn from(m: ExportMsg) -> Msg {
        Msg::Export(m)
    }
}

impl From<ForgetMsg> for Msg {
    fn from(m: ForgetMsg) -> Msg {
        Msg::Forget(m)
    }
}

impl From<ReviewMsg> for Msg {
    fn from(m: ReviewMsg) -> Msg {
        Msg::Review(m)
    }
}

impl From<DeckMsg> for Msg {
    fn from(m: DeckMsg) -> Msg {
        Msg::Deck(m)
    }
}

impl From<ReportMsg> for Msg {
    fn from(m: ReportMsg) -> Msg {
        Msg::Report(m)
    }
}
