//! Every command once: its name, arguments, description, usage hint and who may run it. The
//! parser's usage replies, `/help`, Telegram's command menu and Discord's slash definitions are
//! built from this table.

/// A command as shown in help texts and platform command menus.
pub struct CommandHelp {
    pub name: &'static str,
    pub args: &'static str,
    pub description: &'static str,
    /// The "Usage: …" line a wrong or missing argument gets; empty = `/name args`.
    pub usage: &'static str,
    /// Only chat admins may run it in a group.
    pub admin: bool,
}

/// How to use `name`, for "Usage: …" replies: the command's own hint, else `/name args`.
pub fn usage(name: &str) -> String {
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(c) if !c.usage.is_empty() => c.usage.to_string(),
        Some(c) if c.args.is_empty() => format!("/{}", c.name),
        Some(c) => format!("/{} {}", c.name, c.args),
        None => format!("/{name}"),
    }
}

/// The command menu, in the order help shows it.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "start",
        args: "",
        description: "Start studying with this bot",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "help",
        args: "",
        description: "List the commands",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "today",
        args: "",
        description: "Show the chat's current topic",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "next",
        args: "",
        description: "Move the chat to the next topic",
        usage: "",
        admin: true,
    },
    CommandHelp {
        name: "topic",
        args: "<words>",
        description: "Find a topic by title or id",
        usage: "/topic <words>",
        admin: false,
    },
    CommandHelp {
        name: "mark",
        args: "<done|later|skip> [topic]",
        description: "Mark the current topic (or another) done, for later, or skipped",
        usage: "/mark <done|later|skip> [topic], e.g. /mark later",
        admin: false,
    },
    CommandHelp {
        name: "quiz",
        args: "[section or topic]",
        description: "Get a quiz question",
        usage: "/quiz [section or topic]",
        admin: false,
    },
    CommandHelp {
        name: "round",
        args: "[questions] [section] | stop",
        description: "A timed quiz round for the group, with a scoreboard",
        usage: "/round [questions] [section], or /round stop",
        admin: false,
    },
    CommandHelp {
        name: "deck",
        args: "[list|use|import|export|remove|reports] [id]",
        description: "Study your own question deck beside the curriculum",
        usage: "/deck list, /deck use ID (or backend), /deck import [ID] with a file, /deck export ID, /deck remove ID, /deck reports ID",
        admin: false,
    },
    CommandHelp {
        name: "report",
        args: "[reason]",
        description: "Report a wrong or unclear question (the latest quiz)",
        usage: "/report [reason], e.g. /report the answer should be B",
        admin: false,
    },
    CommandHelp {
        name: "answer",
        args: "<A-D>",
        description: "Answer the latest quiz",
        usage: "/answer <A-D>",
        admin: false,
    },
    CommandHelp {
        name: "streak",
        args: "",
        description: "Show your study streak",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "progress",
        args: "[card]",
        description: "Your progress per section",
        usage: "/progress [card]",
        admin: false,
    },
    CommandHelp {
        name: "leaderboard",
        args: "[card]",
        description: "This chat's top learners",
        usage: "/leaderboard [card]",
        admin: false,
    },
    CommandHelp {
        name: "export",
        args: "",
        description: "Your answers as CSV and missed questions for Anki",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "subscribe",
        args: "[HH:MM] [Area/City]",
        description: "Get a topic every day",
        usage: "/subscribe [HH:MM] [Area/City], e.g. /subscribe 08:30 Asia/Kolkata",
        admin: true,
    },
    CommandHelp {
        name: "schedule",
        args: "<cron>",
        description: "Push on a cron schedule, e.g. weekdays",
        usage: "/schedule <cron>, e.g. /schedule 30 8 * * 1-5 (08:30 on weekdays)",
        admin: true,
    },
    CommandHelp {
        name: "unsubscribe",
        args: "",
        description: "Stop the daily topic",
        usage: "",
        admin: true,
    },
    CommandHelp {
        name: "timezone",
        args: "<Area/City>",
        description: "Set the chat's timezone",
        usage: "/timezone <Area/City>, e.g. /timezone Europe/Berlin",
        admin: true,
    },
    CommandHelp {
        name: "forget",
        args: "",
        description: "Delete everything stored about you",
        usage: "/forget, then /forget confirm",
        admin: false,
    },
    CommandHelp {
        name: "review",
        args: "",
        description: "Review the questions due for you (spaced repetition)",
        usage: "",
        admin: false,
    },
    CommandHelp {
        name: "remind",
        args: "<HH:MM|off>",
        description: "A daily private note when reviews are due",
        usage: "/remind HH:MM (your local time), or /remind off",
        admin: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_unique_lowercase_and_fit_platform_menus() {
        let mut names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        for c in COMMANDS {
            // Telegram: 1-32 chars of a-z0-9_; description 1-256. Discord: description 1-100.
            assert!(c.name.len() <= 32 && c.name.bytes().all(|b| b.is_ascii_lowercase()));
            assert!(!c.description.is_empty() && c.description.len() <= 100);
        }
    }

    #[test]
    fn every_usage_line_starts_with_its_command() {
        for c in COMMANDS {
            assert!(
                usage(c.name).starts_with(&format!("/{}", c.name)),
                "{}",
                c.name
            );
        }
        assert_eq!(usage("streak"), "/streak");
        assert_eq!(usage("topic"), "/topic <words>");
    }
}
