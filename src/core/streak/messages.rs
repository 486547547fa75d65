//! Study streaks and freezes.

use crate::core::messages::lang::localized;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum StreakMsg {
    // Streaks and stats.
    Line {
        current: u32,
        longest: u32,
        freezes: u32,
    },
    NeedsToday,
    DoneToday,
    Started,
    Extended {
        days: u32,
    },
    FreezeUsed {
        used: u32,
    },
    FreezeEarned,
    Restarted,
}

localized!(StreakMsg);

impl StreakMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StreakMsg::*;
        match self {
            Line {
                current,
                longest,
                freezes,
            } => write!(
                f,
                "Streak: {current} day{} (longest {longest}) · freezes held: {freezes}",
                if *current == 1 { "" } else { "s" }
            ),
            NeedsToday => write!(f, "Answer a question today to keep it going."),
            DoneToday => write!(f, "You have studied today."),
            Started => write!(f, "Your streak has started: 1 day."),
            Extended { days } => write!(f, "Streak: {days} days."),
            FreezeUsed { used } => write!(
                f,
                "A freeze covered {used} missed day{}.",
                if *used == 1 { "" } else { "s" }
            ),
            FreezeEarned => write!(f, "Seven more days: you earned a streak freeze."),
            Restarted => write!(f, "A new streak starts today: 1 day."),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StreakMsg::*;
        match self {
            Line {
                current,
                longest,
                freezes,
            } => write!(
                f,
                "Streak: {current} din (sabse lambi {longest}) · freezes: {freezes}"
            ),
            NeedsToday => write!(f, "Ise chalu rakhne ke liye aaj ek sawaal ka jawab do."),
            DoneToday => write!(f, "Aaj ki padhai ho gayi."),
            Started => write!(f, "Tumhari streak shuru ho gayi: 1 din."),
            Extended { days } => write!(f, "Tumhari streak {days} din ki ho gayi."),
            FreezeUsed { used } => write!(
                f,
                "Ek freeze ne {used} {} cover kiya.",
                if *used == 1 {
                    "chhoota hua din"
                } else {
                    "chhoote hue din"
                }
            ),
            FreezeEarned => write!(f, "Saat din aur poore: tumhe ek streak freeze mila."),
            Restarted => write!(f, "Aaj se nayi streak shuru: 1 din."),
        }
    }
}
