//! Progress and leaderboards as text.

use crate::core::messages::lang::localized;
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum StatsMsg {
    ProgressTitle,
    ProgressRow {
        section: String,
        done: usize,
        total: usize,
        answered: i64,
        accuracy: Option<u32>,
    },
    ProgressDone {
        done: usize,
        total: usize,
    },
    ProgressDue,
    ProgressDueMore {
        more: usize,
    },
    ProgressSkipped {
        count: usize,
    },
    ProgressTotal {
        answered: i64,
        accuracy: Option<u32>,
        xp: i64,
    },
    ProgressEmpty,
    LeaderboardWeek,
    LeaderboardAllTime,
    LeaderRow {
        rank: usize,
        name: String,
        xp: i64,
        answers: i64,
    },
    LeaderboardEmpty,
}

localized!(StatsMsg);

impl StatsMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StatsMsg::*;
        match self {
            ProgressTitle => write!(f, "Your progress (topics done / topics, answers, accuracy)"),
            ProgressRow {
                section,
                done,
                total,
                answered,
                accuracy,
            } => {
                write!(f, "{section}: {done}/{total} done")?;
                if *answered > 0 {
                    write!(f, ", {answered} {}", plural(*answered, "answer"))?;
                }
                match accuracy {
                    Some(a) => write!(f, ", {a}% right"),
                    None => Ok(()),
                }
            }
            ProgressDone { done, total } => {
                write!(f, "Topics done: {done} of {total}")?;
                if *total > 0 {
                    write!(f, " ({}%)", (done * 100 + total / 2) / total)?;
                }
                write!(f, ".")
            }
            ProgressDue => write!(f, "Due (marked for later)"),
            ProgressDueMore { more } => write!(f, "…and {more} more."),
            ProgressSkipped { count } => write!(
                f,
                "Skipped: {count} {}.",
                if *count == 1 { "topic" } else { "topics" }
            ),
            ProgressTotal {
                answered,
                accuracy,
                xp,
            } => {
                write!(f, "In all: {answered} {}", plural(*answered, "answer"))?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% right")?;
                }
                write!(f, ", {xp} XP")
            }
            ProgressEmpty => write!(
                f,
                "Nothing yet. Read /today, mark topics with /mark done, or send /quiz to start."
            ),
            LeaderboardWeek => write!(f, "This week"),
            LeaderboardAllTime => write!(f, "All time"),
            LeaderRow {
                rank,
                name,
                xp,
                answers,
            } => write!(
                f,
                "{rank}. {name}: {xp} XP ({answers} {})",
                plural(*answers, "answer")
            ),
            LeaderboardEmpty => write!(f, "Nobody has answered yet."),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StatsMsg::*;
        match self {
            ProgressTitle => write!(
                f,
                "Tumhari progress (topics done / topics, jawab, accuracy)"
            ),
            ProgressRow {
                section,
                done,
                total,
                answered,
                accuracy,
            } => {
                write!(f, "{section}: {done}/{total} done")?;
                if *answered > 0 {
                    write!(f, ", {answered} jawab")?;
                }
                match accuracy {
                    Some(a) => write!(f, ", {a}% sahi"),
                    None => Ok(()),
                }
            }
            ProgressDone { done, total } => {
                write!(f, "Topics done: {total} mein se {done}")?;
                if *total > 0 {
                    write!(f, " ({}%)", (done * 100 + total / 2) / total)?;
                }
                write!(f, ".")
            }
            ProgressDue => write!(f, "Baad ke liye rakhe hue topics"),
            ProgressDueMore { more } => write!(f, "…aur {more} topics."),
            ProgressSkipped { count } => write!(f, "Skip kiye: {count} topic."),
            ProgressTotal {
                answered,
                accuracy,
                xp,
            } => {
                write!(f, "Kul: {answered} jawab")?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% sahi")?;
                }
                write!(f, ", {xp} XP")
            }
            ProgressEmpty => write!(
                f,
                "Abhi kuch nahi. /today padho, /mark done se topics mark karo, ya shuru karne ke \
                 liye /quiz bhejo."
            ),
            LeaderboardWeek => write!(f, "Is hafte"),
            LeaderboardAllTime => write!(f, "Ab tak"),
            LeaderRow {
                rank,
                name,
                xp,
                answers,
            } => write!(f, "{rank}. {name}: {xp} XP ({answers} jawab)"),
            LeaderboardEmpty => write!(f, "Abhi tak kisi ne jawab nahi diya."),
        }
    }
}
