//! Reporting a question, and the listings of reports.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
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

impl fmt::Display for ReportMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
}
