//! Report reasons, the rate limit, and grouping reports by question for the listings.

use crate::core::messages::{Lang, Msg, ReportMsg};
use crate::store::ReportRow;
use chrono::{DateTime, Utc};

/// Reports one learner may send in 24 hours: plenty for honest use, a wall for a flood.
pub const REPORTS_PER_DAY: i64 = 20;
/// Longest reason kept from `/report <words>`.
pub const REASON_CHARS: usize = 200;

/// The reasons offered as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportReason {
    WrongAnswer,
    Unclear,
    Outdated,
    Typo,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::WrongAnswer,
        ReportReason::Unclear,
        ReportReason::Outdated,
        ReportReason::Typo,
    ];

    /// One letter in button data.
    pub fn code(self) -> char {
        match self {
            ReportReason::WrongAnswer => 'w',
            ReportReason::Unclear => 'u',
            ReportReason::Outdated => 'o',
            ReportReason::Typo => 't',
        }
    }

    pub fn from_code(c: &str) -> Option<ReportReason> {
        ReportReason::ALL
            .into_iter()
            .find(|r| c.len() == 1 && c.starts_with(r.code()))
    }

    /// The button's label.
    pub fn label(self) -> Msg {
        Msg::Report(match self {
            ReportReason::WrongAnswer => ReportMsg::ReasonWrongAnswer,
            ReportReason::Unclear => ReportMsg::ReasonUnclear,
            ReportReason::Outdated => ReportMsg::ReasonOutdated,
            ReportReason::Typo => ReportMsg::ReasonTypo,
        })
    }

    /// What is stored (fixed English keys, whatever language the button showed).
    pub fn key(self) -> &'static str {
        match self {
            ReportReason::WrongAnswer => "wrong answer",
            ReportReason::Unclear => "unclear",
            ReportReason::Outdated => "outdated",
            ReportReason::Typo => "typo",
        }
    }
}

/// The reports of one question (as it read when reported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportGroup {
    pub topic_id: String,
    pub question_idx: i64,
    pub question_hash: String,
    pub prompt: String,
    pub count: usize,
    /// Each reason with how often it was given, most frequent first.
    pub reasons: Vec<(String, usize)>,
    pub newest: DateTime<Utc>,
    /// The question has changed (or left) since.
    pub stale: bool,
}

/// Groups reports (newest first) by question, newest group first; `current` gives a question's
/// fingerprint today (`None`: no longer there), which marks groups of changed questions stale.
pub fn group_reports(
    rows: &[ReportRow],
    current: impl Fn(&str, i64) -> Option<String>,
) -> Vec<ReportGroup> {
    let mut groups: Vec<ReportGroup> = Vec::new();
    for r in rows {
        let found = groups.iter_mut().find(|g| {
            g.topic_id == r.topic_id
                && g.question_idx == r.question_idx
                && g.question_hash == r.question_hash
        });
        let g = match found {
            Some(g) => g,
            None => {
                groups.push(ReportGroup {
                    topic_id: r.topic_id.clone(),
                    question_idx: r.question_idx,
                    question_hash: r.question_hash.clone(),
                    prompt: r.prompt.clone(),
                    count: 0,
                    reasons: Vec::new(),
                    newest: r.created_at,
                    stale: current(&r.topic_id, r.question_idx).as_deref()
                        != Some(r.question_hash.as_str()),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        g.count += 1;
        match g.reasons.iter_mut().find(|(reason, _)| *reason == r.reason) {
            Some((_, n)) => *n += 1,
            None => g.reasons.push((r.reason.clone(), 1)),
        }
    }
    for g in &mut groups {
        g.reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    }
    groups
}

/// A listing in `lang`: per question a line, then a line per reason (reasons as stored).
pub fn report_lines(groups: &[ReportGroup], lang: Lang) -> Vec<String> {
    if groups.is_empty() {
        return vec![Msg::Report(ReportMsg::NoReports).render(lang)];
    }
    let mut out = Vec::new();
    for g in groups {
        out.push(
            Msg::Report(ReportMsg::Question {
                source: g.topic_id.clone(),
                index: g.question_idx,
                count: g.count,
                stale: g.stale,
                prompt: g.prompt.clone(),
            })
            .render(lang),
        );
        for (reason, count) in &g.reasons {
            out.push(format!(
                "  {}",
                Msg::Report(ReportMsg::Reason {
                    count: *count,
                    reason: reason.clone()
                })
                .render(lang)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(topic: &str, idx: i64, hash: &str, reason: &str, at: &str) -> ReportRow {
        ReportRow {
            topic_id: topic.into(),
            question_idx: idx,
            question_hash: hash.into(),
            prompt: format!("{topic} {idx}"),
            reason: reason.into(),
            created_at: DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc),
        }
    }

    #[test]
    fn reports_group_by_question_newest_first_and_changed_questions_are_stale() {
        let rows = [
            row("tcp", 1, "h1", "typo", "2026-01-03T00:00:00Z"),
            row("deck:mock", 0, "d0", "unclear", "2026-01-02T00:00:00Z"),
            row("tcp", 1, "h1", "typo", "2026-01-01T12:00:00Z"),
            row("tcp", 1, "h1", "wrong answer", "2026-01-01T00:00:00Z"),
        ];
        let groups = group_reports(&rows, |t, _| (t == "tcp").then(|| "h1".to_string()));
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].topic_id, "tcp");
        assert_eq!(groups[0].count, 3);
        assert_eq!(groups[0].reasons[0], ("typo".to_string(), 2));
        assert!(!groups[0].stale);
        assert!(groups[1].stale);
        let lines = report_lines(&groups, Lang::English);
        assert_eq!(lines[0], "tcp #1: 3 reports: tcp 1");
        assert_eq!(lines[1], "  2 × typo");
        assert!(lines[3].contains("stale"));
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::from_code(&r.code().to_string()), Some(r));
        }
    }
}
