//! Every sentence the bot says, grouped by feature (one enum per feature, each with its text
//! beside it), in every UI language ([`Lang`]).
//!
//! The pattern each feature follows (`core/<feature>/messages.rs`):
//! - an enum of what the feature says, its values (counts, names) as fields;
//! - `fn english(&self, f)` and `fn hinglish(&self, f)`, each an exhaustive `match` with no `_`
//!   arm, so a new variant without a Hinglish form is a compile error;
//! - `localized!(FeatureMsg)` to get `render(lang)`; a variant in [`Msg`] and a `From`;
//! - sample values of every variant in `samples()` (tests render each in both languages within
//!   the platforms' limits; a test fails when a variant has no sample).
//!
//! Messages have no `Display`: text is always made with `render(lang)`, the language of the
//! reply it goes into (`ctx.lang`, or the chat's for pushes and rounds).

#[cfg(test)]
mod catalog_tests;
mod general;
pub(crate) mod lang;
pub(in crate::core) mod text;

pub use crate::core::deck::messages::DeckMsg;
pub use crate::core::export::messages::ExportMsg;
pub use crate::core::forget::messages::ForgetMsg;
pub use crate::core::language::messages::LanguageMsg;
pub use crate::core::link::messages::{LinkMsg, LinkPreview, LinkSide};
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
pub use lang::Lang;
pub use text::{ECHO_CHARS, clip, plural};

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
    Link(LinkMsg),
    Language(LanguageMsg),
    Deck(DeckMsg),
    Report(ReportMsg),
}

impl Msg {
    /// The message's text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Msg::General(m) => m.render(lang),
            Msg::Schedule(m) => m.render(lang),
            Msg::Topic(m) => m.render(lang),
            Msg::Round(m) => m.render(lang),
            Msg::Quiz(m) => m.render(lang),
            Msg::Streak(m) => m.render(lang),
            Msg::Stats(m) => m.render(lang),
            Msg::Card(m) => m.render(lang),
            Msg::Export(m) => m.render(lang),
            Msg::Forget(m) => m.render(lang),
            Msg::Review(m) => m.render(lang),
            Msg::Link(m) => m.render(lang),
            Msg::Language(m) => m.render(lang),
            Msg::Deck(m) => m.render(lang),
            Msg::Report(m) => m.render(lang),
        }
    }

    /// English text for logs.
    pub fn english(&self) -> String {
        self.render(Lang::English)
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

impl From<LinkMsg> for Msg {
    fn from(m: LinkMsg) -> Msg {
        Msg::Link(m)
    }
}

impl From<LanguageMsg> for Msg {
    fn from(m: LanguageMsg) -> Msg {
        Msg::Language(m)
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
