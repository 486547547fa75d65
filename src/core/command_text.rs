//! A command as the text that asks for it: what `parse_command` reads back as the same command
//! (the property tests check that every accepted input round-trips through it).

use super::command::Command;
use super::link::LinkRequest;

impl Command {
    /// The canonical text of this command (lowercase names, single spaces). A quiz answer's
    /// platform reference (`quiz_id`) is not text: it answers the chat's latest quiz.
    pub fn to_text(&self) -> String {
        let with = |name: &str, args: Option<&str>| match args {
            Some(a) if !a.is_empty() => format!("/{name} {a}"),
            _ => format!("/{name}"),
        };
        match self {
            Command::Start => with("start", None),
            Command::Help => with("help", None),
            Command::Today => with("today", None),
            Command::Next => with("next", None),
            Command::Topic(q) => with("topic", Some(q)),
            Command::Quiz(q) => with("quiz", q.as_deref()),
            Command::Answer { letter, .. } => format!("/answer {letter}"),
            Command::Streak => with("streak", None),
            Command::Progress => with("progress", None),
            Command::ProgressCard => with("progress", Some("card")),
            Command::Leaderboard => with("leaderboard", None),
            Command::LeaderboardCard => with("leaderboard", Some("card")),
            Command::Export => with("export", None),
            Command::Subscribe { at, timezone } => {
                let args: Vec<String> =
                    [at.map(|a| a.to_string()), timezone.map(|t| t.to_string())]
                        .into_iter()
                        .flatten()
                        .collect();
                with("subscribe", Some(&args.join(" ")))
            }
            Command::Schedule(s) => with("schedule", Some(s.expr())),
            Command::Unsubscribe => with("unsubscribe", None),
            Command::Timezone(tz) => with("timezone", Some(tz.name())),
            Command::Forget { confirm } => with("forget", confirm.then_some("confirm")),
            Command::Review => with("review", None),
            Command::Remind(None) => with("remind", Some("off")),
            Command::Remind(Some(at)) => with("remind", Some(&at.to_string())),
            Command::Mark { status, topic } => {
                let args = match topic {
                    Some(t) => format!("{} {t}", status.as_str()),
                    None => status.as_str().to_string(),
                };
                with("mark", Some(&args))
            }
            Command::Round(r) => {
                let args = match &r.source {
                    Some(s) => format!("{} {s}", r.questions),
                    None => r.questions.to_string(),
                };
                with("round", Some(&args))
            }
            Command::RoundStop => with("round", Some("stop")),
            Command::Link(LinkRequest::Start) => with("link", None),
            Command::Link(LinkRequest::Enter { code, confirm }) => {
                let args = match confirm {
                    true => format!("{} confirm", code.as_str()),
                    false => code.as_str().to_string(),
                };
                with("link", Some(&args))
            }
            Command::Unlink => with("unlink", None),
            Command::Deck(d) => with("deck", Some(&d.to_text())),
            Command::Report { reason, .. } => with("report", reason.as_deref()),
            Command::Language(lang) => with("language", lang.map(|l| l.as_str())),
        }
    }
}
