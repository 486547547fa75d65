//! Deleting what the bot stores about a learner.

use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use crate::store::Forgotten;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum ForgetMsg {
    // Forgetting.
    ForgetAsk,
    ForgetDone(Forgotten),
    ForgetNotAsked,
    ButtonForgetYes,
}

fn count(n: u64, what: &str) -> String {
    format!("{n} {}", plural(i64::try_from(n).unwrap_or(i64::MAX), what))
}

/// For words whose plural is not "+s".
fn count_of(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

localized!(ForgetMsg);

impl ForgetMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ForgetMsg::*;
        match self {
            ForgetAsk => write!(
                f,
                "This deletes everything I store about you for good: your answers, streak, XP, \
                 review cards, reminders, topic marks and round scores, and your private chat with \
                 me (its subscription, pushes and quizzes). Quizzes you started in groups stay \
                 there without your name. To confirm, send /forget confirm within 10 minutes."
            ),
            ForgetDone(d) => {
                // Only what there was: a list of zeros says nothing.
                let parts: Vec<String> = [
                    (d.answers, count(d.answers, "answer")),
                    (d.round_scores, count(d.round_scores, "round score")),
                    (d.review_cards, count(d.review_cards, "review card")),
                    (d.review_log, count(d.review_log, "review")),
                    (d.reminders, count(d.reminders, "reminder")),
                    (d.topic_statuses, count(d.topic_statuses, "topic mark")),
                    (d.private_chats, count(d.private_chats, "private chat")),
                    (d.decks, count(d.decks, "deck")),
                    (d.subscriptions, count(d.subscriptions, "subscription")),
                    (d.pushes, count_of(d.pushes, "push", "pushes")),
                    (
                        d.quizzes,
                        count_of(d.quizzes, "private quiz", "private quizzes"),
                    ),
                    (
                        d.topics_seen,
                        count_of(d.topics_seen, "topic seen", "topics seen"),
                    ),
                ]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(_, s)| s)
                .collect();
                write!(f, "Done: I deleted your data: ")?;
                for p in &parts {
                    write!(f, "{p}, ")?;
                }
                write!(f, "and your profile (streak, XP, time zone).")?;
                if d.unnamed > 0 {
                    write!(
                        f,
                        " {} you started in groups stay there without your name.",
                        count_of(d.unnamed, "quiz or round", "quizzes and rounds")
                    )?;
                }
                write!(f, " Goodbye!")
            }
            ForgetNotAsked => write!(f, "Send /forget first; then confirm within 10 minutes."),
            ButtonForgetYes => write!(f, "Yes, delete my data"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ForgetMsg::*;
        match self {
            ForgetAsk => write!(
                f,
                "Isse tumhare baare mein jo kuch bhi maine store kiya hai, sab hamesha ke liye \
                 delete ho jaayega: tumhare jawab, streak, XP, review cards, reminders, topic marks \
                 aur round scores, aur mere saath tumhari private chat (uska subscription, pushes \
                 aur quizzes). Groups mein tumhare shuru kiye quizzes wahin rahenge, bina tumhare \
                 naam ke. Confirm karne ke liye 10 minute ke andar /forget confirm bhejo."
            ),
            ForgetDone(d) => {
                // English terms keep their English plural ("3 round scores"); Hindi words do
                // not change ("120 jawab").
                let parts: Vec<String> = [
                    (d.answers, "jawab", "jawab"),
                    (d.round_scores, "round score", "round scores"),
                    (d.review_cards, "review card", "review cards"),
                    (d.review_log, "review", "reviews"),
                    (d.reminders, "reminder", "reminders"),
                    (d.topic_statuses, "topic mark", "topic marks"),
                    (d.private_chats, "private chat", "private chats"),
                    (d.decks, "deck", "decks"),
                    (d.subscriptions, "subscription", "subscriptions"),
                    (d.pushes, "push", "pushes"),
                    (d.quizzes, "private quiz", "private quizzes"),
                    (d.topics_seen, "dekha hua topic", "dekhe hue topics"),
                ]
                .into_iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| {
                    Lang::Hinglish.count(i64::try_from(n).unwrap_or(i64::MAX), one, many)
                })
                .collect();
                write!(f, "Ho gaya: maine tumhara data delete kar diya: ")?;
                for p in &parts {
                    write!(f, "{p}, ")?;
                }
                write!(f, "aur tumhari profile (streak, XP, time zone).")?;
                if d.unnamed > 0 {
                    let (what, stay) = if d.unnamed == 1 {
                        ("quiz ya round", "rahega")
                    } else {
                        ("quizzes aur rounds", "rahenge")
                    };
                    write!(
                        f,
                        " Groups mein tumhare shuru kiye {} {what} wahin {stay}, bina tumhare naam \
                         ke.",
                        d.unnamed
                    )?;
                }
                write!(f, " Alvida!")
            }
            ForgetNotAsked => write!(
                f,
                "Pehle /forget bhejo; phir 10 minute ke andar confirm karo."
            ),
            ButtonForgetYes => write!(f, "Haan, mera data delete karo"),
        }
    }
}
