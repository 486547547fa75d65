//! Labels on the progress and leaderboard pictures.

use crate::core::messages::lang::localized;
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum CardMsg {
    // Pictures and exports.
    ProgressTitle {
        name: String,
    },
    ProgressSubtitle {
        xp: i64,
        answered: i64,
        accuracy: Option<u32>,
        streak: u32,
        longest: u32,
    },
    CalendarTitle {
        weeks: usize,
    },
    StudyDays {
        days: usize,
    },
    AnswersInPeriod {
        answers: i64,
    },
    SectionsTitle,
    /// The calendar legend's ends: few answers … many.
    LegendLess,
    LegendMore,
    ProgressCaption {
        day: String,
    },
    LeaderboardTitle,
    LeaderboardSubtitle {
        week_start: String,
    },
    LeaderboardCaption,
}

localized!(CardMsg);

impl CardMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CardMsg::*;
        match self {
            ProgressTitle { name } => write!(f, "Progress · {name}"),
            ProgressSubtitle {
                xp,
                answered,
                accuracy,
                streak,
                longest,
            } => {
                write!(f, "{xp} XP · {answered} {}", plural(*answered, "answer"))?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% right")?;
                }
                write!(
                    f,
                    " · streak {streak} day{} (longest {longest})",
                    if *streak == 1 { "" } else { "s" }
                )
            }
            CalendarTitle { weeks } => write!(f, "Study days · the last {weeks} weeks"),
            StudyDays { days } => write!(
                f,
                "{days} study {}",
                plural(i64::try_from(*days).unwrap_or(i64::MAX), "day")
            ),
            AnswersInPeriod { answers } => {
                write!(f, "{answers} {} in these weeks", plural(*answers, "answer"))
            }
            SectionsTitle => write!(f, "Sections · topics quizzed · accuracy"),
            LegendLess => write!(f, "Less"),
            LegendMore => write!(f, "More"),
            ProgressCaption { day } => write!(f, "Your progress on {day}"),
            LeaderboardTitle => write!(f, "Leaderboard"),
            LeaderboardSubtitle { week_start } => write!(
                f,
                "XP from this chat's quizzes · the week started on Monday {week_start}"
            ),
            LeaderboardCaption => write!(f, "This chat's leaderboard"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CardMsg::*;
        match self {
            ProgressTitle { name } => write!(f, "Progress · {name}"),
            ProgressSubtitle {
                xp,
                answered,
                accuracy,
                streak,
                longest,
            } => {
                write!(f, "{xp} XP · {answered} jawab")?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% sahi")?;
                }
                write!(f, " · streak {streak} din (sabse lambi {longest})")
            }
            CalendarTitle { weeks } => write!(f, "Padhai ke din · pichhle {weeks} hafte"),
            StudyDays { days } => write!(f, "Padhai ke {days} din"),
            AnswersInPeriod { answers } => write!(f, "in hafton mein {answers} jawab"),
            SectionsTitle => write!(f, "Sections · quiz hue topics · accuracy"),
            LegendLess => write!(f, "Kam"),
            LegendMore => write!(f, "Zyada"),
            ProgressCaption { day } => write!(f, "{day} tak tumhari progress"),
            LeaderboardTitle => write!(f, "Leaderboard"),
            LeaderboardSubtitle { week_start } => write!(
                f,
                "Is chat ke quizzes ka XP · hafta Monday {week_start} se shuru hua"
            ),
            LeaderboardCaption => write!(f, "Is chat ka leaderboard"),
        }
    }
}
