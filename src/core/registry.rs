//! Every command once: its name, arguments, description and who may run it. Help, Telegram's
//! command menu and Discord's slash definitions are built from this table.

/// A command as shown in help texts and platform command menus.
pub struct CommandHelp {
    pub name: &'static str,
    pub args: &'static str,
    pub description: &'static str,
    /// Only chat admins may run it in a group.
    pub admin: bool,
}

/// The command menu, in the order help shows it.
pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "start",
        args: "",
        description: "Start studying with this bot",
        admin: false,
    },
    CommandHelp {
        name: "help",
        args: "",
        description: "List the commands",
        admin: false,
    },
    CommandHelp {
        name: "today",
        args: "",
        description: "Show the chat's current topic",
        admin: false,
    },
    CommandHelp {
        name: "next",
        args: "",
        description: "Move the chat to the next topic",
        admin: true,
    },
    CommandHelp {
        name: "topic",
        args: "<words>",
        description: "Find a topic by title or id",
        admin: false,
    },
    CommandHelp {
        name: "mark",
        args: "<done|later|skip> [topic]",
        description: "Mark the current topic (or another) done, for later, or skipped",
        admin: false,
    },
    CommandHelp {
        name: "quiz",
        args: "[section or topic]",
        description: "Get a quiz question",
        admin: false,
    },
    CommandHelp {
        name: "round",
        args: "[questions] [section] | stop",
        description: "A timed quiz round for the group, with a scoreboard",
        admin: false,
    },
    CommandHelp {
        name: "answer",
        args: "<A-D>",
        description: "Answer the latest quiz",
        admin: false,
    },
    CommandHelp {
        name: "streak",
        args: "",
        description: "Show your study streak",
        admin: false,
    },
    CommandHelp {
        name: "progress",
        args: "[card]",
        description: "Your progress per section",
        admin: false,
    },
    CommandHelp {
        name: "leaderboard",
        args: "[card]",
        description: "This chat's top learners",
        admin: false,
    },
    CommandHelp {
        name: "export",
        args: "",
        description: "Your answers as CSV and missed questions for Anki",
        admin: false,
    },
    CommandHelp {
        name: "subscribe",
        args: "[HH:MM] [Area/City]",
        description: "Get a topic every day",
        admin: true,
    },
    CommandHelp {
        name: "schedule",
        args: "<cron>",
        description: "Push on a cron schedule, e.g. weekdays",
        admin: true,
    },
    CommandHelp {
        name: "unsubscribe",
        args: "",
        description: "Stop the daily topic",
        admin: true,
    },
    CommandHelp {
        name: "timezone",
        args: "<Area/City>",
        description: "Set the chat's timezone",
        admin: true,
    },
    CommandHelp {
        name: "forget",
        args: "",
        description: "Delete everything stored about you",
        admin: false,
    },
    CommandHelp {
        name: "review",
        args: "",
        description: "Review the questions due for you (spaced repetition)",
        admin: false,
    },
    CommandHelp {
        name: "remind",
        args: "<HH:MM|off>",
        description: "A daily private note when reviews are due",
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
}
