//! Spaced-repetition review and its reminders.

use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum ReviewMsg {
    // Spaced-repetition review.
    ReviewIntro { due: i64, topic: String },
    ReviewNoCards,
    ReviewNothingDue { when: String, timezone: String },
    ReviewAllDone { when: String, timezone: String },
    ReviewInPrivate,
    RemindSet { at: String, timezone: String },
    RemindOff,
    RemindWasOff,
    RemindTelegramOnly,
    ReviewReminder { cards: i64 },
    ButtonReview,
}

localized!(ReviewMsg);

impl ReviewMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReviewMsg::*;
        match self {
            ReviewIntro { due, topic } => {
                write!(f, "Review ({due} {} due) · {topic}", plural(*due, "card"))
            }
            ReviewNoCards => write!(
                f,
                "No review cards yet. Every question you answer becomes one and comes back here \
                 just before you would forget it. Try /quiz."
            ),
            ReviewNothingDue { when, timezone } => write!(
                f,
                "Nothing to review now. Your next card is due on {when} ({timezone})."
            ),
            ReviewAllDone { when, timezone } => write!(
                f,
                "All reviews done for today. Your next card is due on {when} ({timezone})."
            ),
            ReviewInPrivate => write!(
                f,
                "Reviews are personal: send /review to me in a private chat."
            ),
            RemindSet { at, timezone } => write!(
                f,
                "Reminder set: on days with reviews due I will message you at {at} ({timezone}). \
                 /remind off stops it."
            ),
            RemindOff => write!(f, "Reminder off."),
            RemindWasOff => write!(f, "You had no reminder set."),
            RemindTelegramOnly => write!(
                f,
                "Review reminders come as a private Telegram message: send /remind to the bot in a \
                 private Telegram chat. Elsewhere, use /review when you like."
            ),
            ReviewReminder { cards } => write!(
                f,
                "{cards} {} due for review today. Send /review to start.",
                plural(*cards, "card")
            ),
            ButtonReview => write!(f, "Review now"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReviewMsg::*;
        match self {
            ReviewIntro { due, topic } => write!(
                f,
                "Review ({} baaki) · {topic}",
                Lang::Hinglish.count(*due, "card", "cards")
            ),
            ReviewNoCards => write!(
                f,
                "Abhi koi review card nahi hai. Har sawaal jiska tum jawab doge ek card ban jaata \
                 hai, aur bhoolne se theek pehle yahan wapas aata hai. /quiz try karo."
            ),
            ReviewNothingDue { when, timezone } => write!(
                f,
                "Abhi review ke liye kuch nahi. Agla card {when} ({timezone}) ko due hai."
            ),
            ReviewAllDone { when, timezone } => write!(
                f,
                "Aaj ke saare reviews ho gaye. Agla card {when} ({timezone}) ko due hai."
            ),
            ReviewInPrivate => write!(
                f,
                "Reviews personal hote hain: /review mujhe private chat mein bhejo."
            ),
            RemindSet { at, timezone } => write!(
                f,
                "Reminder set: jis din reviews due honge, main tumhe {at} ({timezone}) pe message \
                 karunga. /remind off se band karo."
            ),
            RemindOff => write!(f, "Reminder band."),
            RemindWasOff => write!(f, "Tumhara koi reminder set nahi tha."),
            RemindTelegramOnly => write!(
                f,
                "Review reminders private Telegram message mein aate hain: /remind bot ko private \
                 Telegram chat mein bhejo. Baaki jagah jab mann ho /review use karo."
            ),
            ReviewReminder { cards } => write!(
                f,
                "Aaj {} review ke liye due {}. Shuru karne ke liye /review bhejo.",
                Lang::Hinglish.count(*cards, "card", "cards"),
                if *cards == 1 { "hai" } else { "hain" }
            ),
            ButtonReview => write!(f, "Abhi review karo"),
        }
    }
}
