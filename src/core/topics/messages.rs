//! Reading topics: the card, search, moving on, and a learner's status of a topic.

use crate::core::messages::lang::localized;
use crate::core::status::TopicStatus;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum TopicMsg {
    // Topics.
    TopicPosition {
        section: String,
        index: usize,
        total: usize,
    },
    KeyPoints,
    Example,
    Pitfalls,
    OutlineNotice,
    NoMatch(String),
    OtherMatches,
    EndOfCurriculum,
    MovedTo {
        title: String,
    },
    // Topic status.
    NotAStatus(String),
    Marked {
        title: String,
        status: TopicStatus,
    },
    MarkedSection {
        section: String,
        done: usize,
        total: usize,
    },
    ButtonDone,
    ButtonLater,
    ButtonSkip,
    // Buttons.
    ButtonQuizMe,
    ButtonNextTopic,
}

localized!(TopicMsg);

impl TopicMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TopicMsg::*;
        match self {
            TopicPosition {
                section,
                index,
                total,
            } => write!(f, "{section} · topic {index} of {total}"),
            KeyPoints => write!(f, "Key points"),
            Example => write!(f, "Example"),
            Pitfalls => write!(f, "Pitfalls"),
            OutlineNotice => write!(
                f,
                "This topic is still an outline: its explanation and questions are not written yet."
            ),
            NoMatch(q) => write!(
                f,
                "No topic matches \"{q}\". Try fewer or other words, or a section number like 7."
            ),
            OtherMatches => write!(f, "Other matches"),
            EndOfCurriculum => write!(
                f,
                "That was the last topic of the curriculum. Congratulations! Keep the knowledge fresh with /quiz."
            ),
            MovedTo { title } => write!(f, "Moved on to: {title}"),
            NotAStatus(s) => write!(
                f,
                "\"{s}\" is not a status. Use done, later or skip, e.g. /mark done."
            ),
            Marked {
                title,
                status: TopicStatus::Done,
            } => write!(f, "Marked \"{title}\" as done."),
            Marked {
                title,
                status: TopicStatus::Later,
            } => write!(
                f,
                "Marked \"{title}\" for later: /progress lists it as due until you mark it done."
            ),
            Marked {
                title,
                status: TopicStatus::Skip,
            } => write!(f, "Skipped \"{title}\"."),
            MarkedSection {
                section,
                done,
                total,
            } => write!(f, "{section}: {done} of {total} topics done."),
            ButtonDone => write!(f, "Done"),
            ButtonLater => write!(f, "Later"),
            ButtonSkip => write!(f, "Skip"),
            ButtonQuizMe => write!(f, "Quiz me on this"),
            ButtonNextTopic => write!(f, "Next topic"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TopicMsg::*;
        match self {
            TopicPosition {
                section,
                index,
                total,
            } => write!(f, "{section} · topic {index}/{total}"),
            KeyPoints => write!(f, "Key points"),
            Example => write!(f, "Example"),
            Pitfalls => write!(f, "Dhyan rakho (pitfalls)"),
            OutlineNotice => write!(
                f,
                "Ye topic abhi outline hai: iska explanation aur questions abhi likhe nahi gaye."
            ),
            NoMatch(q) => write!(
                f,
                "\"{q}\" se koi topic match nahi hua. Kam ya alag words try karo, ya 7 jaisa \
                 section number."
            ),
            OtherMatches => write!(f, "Aur matches"),
            EndOfCurriculum => write!(
                f,
                "Ye curriculum ka aakhri topic tha. Badhai ho! /quiz se knowledge fresh rakho."
            ),
            MovedTo { title } => write!(f, "Agla topic: {title}"),
            NotAStatus(s) => write!(
                f,
                "\"{s}\" koi status nahi hai. done, later ya skip use karo, jaise /mark done."
            ),
            Marked {
                title,
                status: TopicStatus::Done,
            } => write!(f, "\"{title}\" done mark ho gaya."),
            Marked {
                title,
                status: TopicStatus::Later,
            } => write!(
                f,
                "\"{title}\" baad ke liye mark hua: jab tak done mark nahi karte, /progress ise \
                 baaki dikhayega."
            ),
            Marked {
                title,
                status: TopicStatus::Skip,
            } => write!(f, "\"{title}\" skip kiya."),
            MarkedSection {
                section,
                done,
                total,
            } => write!(f, "{section}: {total} mein se {done} topics done."),
            ButtonDone => write!(f, "Ho gaya"),
            ButtonLater => write!(f, "Baad mein"),
            ButtonSkip => write!(f, "Skip"),
            ButtonQuizMe => write!(f, "Is topic pe quiz"),
            ButtonNextTopic => write!(f, "Agla topic"),
        }
    }
}
