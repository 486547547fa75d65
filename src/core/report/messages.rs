//! Reporting a question, and the listings of reports.

use crate::core::messages::lang::{Lang, localized};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum ReportMsg {
    /// The button under a quiz verdict.
    Button,
    AskReason,
    ReasonWrongAnswer,
    ReasonUnclear,
    ReasonOutdated,
    ReasonTypo,
    Thanks,
    AlreadyReported,
    NoQuiz,
    /// The question left the curriculum or its deck since it was asked.
    Gone,
    TooMany {
        per_day: i64,
    },
    /// Listings (`content reports`, `/deck reports`).
    NoReports,
    Question {
        source: String,
        index: i64,
        count: usize,
        stale: bool,
        prompt: String,
    },
    Reason {
        count: usize,
        reason: String,
    },
}

localized!(ReportMsg);

impl ReportMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReportMsg::*;
        match self {
            Button => write!(f, "Report"),
            AskReason => write!(
                f,
                "What is wrong with this question? Pick one, or send /report followed by a few words."
            ),
            ReasonWrongAnswer => write!(f, "Wrong answer"),
            ReasonUnclear => write!(f, "Unclear"),
            ReasonOutdated => write!(f, "Outdated"),
            ReasonTypo => write!(f, "Typo"),
            Thanks => write!(
                f,
                "Thank you: your report is stored, and the people who write the questions will see it."
            ),
            AlreadyReported => write!(f, "You already reported this question. Thank you!"),
            NoQuiz => write!(
                f,
                "There is no question to report here yet; /report works on the latest quiz."
            ),
            Gone => write!(
                f,
                "That question is no longer asked, so there is nothing to report."
            ),
            TooMany { per_day } => write!(
                f,
                "You have sent {per_day} reports in the last day, the most I take; please try again tomorrow."
            ),
            NoReports => write!(f, "No reports."),
            Question {
                source,
                index,
                count,
                stale,
                prompt,
            } => write!(
                f,
                "{source} #{index}: {count} {}{}: {prompt}",
                if *count == 1 { "report" } else { "reports" },
                if *stale {
                    " (stale: the question has changed since)"
                } else {
                    ""
                }
            ),
            Reason { count, reason } => write!(f, "{count} × {reason}"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ReportMsg::*;
        match self {
            Button => write!(f, "Report"),
            AskReason => write!(
                f,
                "Is question mein kya galat hai? Ek chuno, ya /report ke baad kuch words bhejo."
            ),
            ReasonWrongAnswer => write!(f, "Galat answer"),
            ReasonUnclear => write!(f, "Clear nahi"),
            ReasonOutdated => write!(f, "Purana"),
            ReasonTypo => write!(f, "Typo"),
            Thanks => write!(
                f,
                "Shukriya: tumhari report save ho gayi, aur questions likhne wale log use dekhenge."
            ),
            AlreadyReported => write!(
                f,
                "Tum yeh question pehle hi report kar chuke ho. Shukriya!"
            ),
            NoQuiz => write!(
                f,
                "Yahan abhi report karne ke liye koi question nahi hai; /report latest quiz pe \
                 kaam karta hai."
            ),
            Gone => write!(
                f,
                "Yeh question ab poocha nahi jaata, isliye report karne ko kuch nahi hai."
            ),
            TooMany { per_day } => write!(
                f,
                "Tumne pichhle ek din mein {} bheji hain, isse zyada main nahi leta; please kal \
                 phir try karo.",
                Lang::Hinglish.count(*per_day, "report", "reports")
            ),
            NoReports => write!(f, "Koi report nahi."),
            Question {
                source,
                index,
                count,
                stale,
                prompt,
            } => write!(
                f,
                "{source} #{index}: {}{}: {prompt}",
                Lang::Hinglish.count(
                    i64::try_from(*count).unwrap_or(i64::MAX),
                    "report",
                    "reports"
                ),
                if *stale {
                    " (stale: question tab se badal gaya hai)"
                } else {
                    ""
                }
            ),
            Reason { count, reason } => write!(f, "{count} × {reason}"),
        }
    }
}
