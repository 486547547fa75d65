//! Every command once: its name, arguments, description, usage hint and who may run it. The
//! parser's usage replies, `/help`, Telegram's command menu and Discord's slash definitions are
//! built from this table, in every UI language.

use crate::core::messages::Lang;

/// A command as shown in help texts and platform command menus.
pub struct CommandHelp {
    pub name: &'static str,
    pub args: &'static str,
    pub description: &'static str,
    /// The "Usage: …" line a wrong or missing argument gets; empty = `/name args`.
    pub usage: &'static str,
    /// The description and usage in Hinglish (an empty usage: the English one, which is then
    /// only the command's syntax).
    pub hinglish: Hinglish,
    /// Only chat admins may run it in a group.
    pub admin: bool,
}

/// A command's texts in Hinglish.
pub struct Hinglish {
    pub description: &'static str,
    pub usage: &'static str,
}

impl CommandHelp {
    /// The menu description in `lang`.
    pub fn description(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::English => self.description,
            Lang::Hinglish => self.hinglish.description,
        }
    }
}

/// How to use `name`, for "Usage: …" replies: the command's own hint in `lang`, else `/name args`.
pub fn usage(name: &str, lang: Lang) -> String {
    let own = |c: &CommandHelp| match lang {
        Lang::Hinglish if !c.hinglish.usage.is_empty() => c.hinglish.usage,
        _ => c.usage,
    };
    match COMMANDS.iter().find(|c| c.name == name) {
        Some(c) if !own(c).is_empty() => own(c).to_string(),
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
        hinglish: Hinglish {
            description: "Is bot ke saath padhai shuru karo",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "help",
        args: "",
        description: "List the commands",
        usage: "",
        hinglish: Hinglish {
            description: "Saare commands ki list",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "today",
        args: "",
        description: "Show the chat's current topic",
        usage: "",
        hinglish: Hinglish {
            description: "Chat ka current topic dekho",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "next",
        args: "",
        description: "Move the chat to the next topic",
        usage: "",
        hinglish: Hinglish {
            description: "Chat ko agle topic pe le jao",
            usage: "",
        },
        admin: true,
    },
    CommandHelp {
        name: "topic",
        args: "<words>",
        description: "Find a topic by title or id",
        usage: "/topic <words>",
        hinglish: Hinglish {
            description: "Title ya id se topic dhoondo",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "mark",
        args: "<done|later|skip> [topic]",
        description: "Mark the current topic (or another) done, for later, or skipped",
        usage: "/mark <done|later|skip> [topic], e.g. /mark later",
        hinglish: Hinglish {
            description: "Current topic (ya koi aur) ko done, baad ke liye ya skip mark karo",
            usage: "/mark <done|later|skip> [topic], jaise /mark later",
        },
        admin: false,
    },
    CommandHelp {
        name: "quiz",
        args: "[section or topic]",
        description: "Get a quiz question",
        usage: "/quiz [section or topic]",
        hinglish: Hinglish {
            description: "Ek quiz question lo",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "round",
        args: "[questions] [section] | stop",
        description: "A timed quiz round for the group, with a scoreboard",
        usage: "/round [questions] [section], or /round stop",
        hinglish: Hinglish {
            description: "Group ke liye timed quiz round, scoreboard ke saath",
            usage: "/round [questions] [section], ya /round stop",
        },
        admin: false,
    },
    CommandHelp {
        name: "deck",
        args: "[list|use|import|export|remove|reports] [id]",
        description: "Study your own question deck beside the curriculum",
        usage: "/deck list, /deck use ID (or backend), /deck import [ID] with a file, /deck export ID, /deck remove ID, /deck reports ID",
        hinglish: Hinglish {
            description: "Curriculum ke saath apna question deck padho",
            usage: "/deck list, /deck use ID (ya backend), /deck import [ID] file ke saath, /deck export ID, /deck remove ID, /deck reports ID",
        },
        admin: false,
    },
    CommandHelp {
        name: "report",
        args: "[reason]",
        description: "Report a wrong or unclear question (the latest quiz)",
        usage: "/report [reason], e.g. /report the answer should be B",
        hinglish: Hinglish {
            description: "Galat ya unclear question report karo (latest quiz)",
            usage: "/report [reason], jaise /report answer B hona chahiye",
        },
        admin: false,
    },
    CommandHelp {
        name: "answer",
        args: "<A-D>",
        description: "Answer the latest quiz",
        usage: "/answer <A-D>",
        hinglish: Hinglish {
            description: "Latest quiz ka jawab do",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "streak",
        args: "",
        description: "Show your study streak",
        usage: "",
        hinglish: Hinglish {
            description: "Apni study streak dekho",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "progress",
        args: "[card]",
        description: "Your progress per section",
        usage: "/progress [card]",
        hinglish: Hinglish {
            description: "Har section mein tumhari progress",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "leaderboard",
        args: "[card]",
        description: "This chat's top learners",
        usage: "/leaderboard [card]",
        hinglish: Hinglish {
            description: "Is chat ke top learners",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "export",
        args: "",
        description: "Your answers as CSV and missed questions for Anki",
        usage: "",
        hinglish: Hinglish {
            description: "Tumhare jawab CSV mein aur galat sawaal Anki ke liye",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "subscribe",
        args: "[HH:MM] [Area/City]",
        description: "Get a topic every day",
        usage: "/subscribe [HH:MM] [Area/City], e.g. /subscribe 08:30 Asia/Kolkata",
        hinglish: Hinglish {
            description: "Roz ek topic pao",
            usage: "/subscribe [HH:MM] [Area/City], jaise /subscribe 08:30 Asia/Kolkata",
        },
        admin: true,
    },
    CommandHelp {
        name: "schedule",
        args: "<cron>",
        description: "Push on a cron schedule, e.g. weekdays",
        usage: "/schedule <cron>, e.g. /schedule 30 8 * * 1-5 (08:30 on weekdays)",
        hinglish: Hinglish {
            description: "Cron schedule pe push, jaise sirf weekdays",
            usage: "/schedule <cron>, jaise /schedule 30 8 * * 1-5 (weekdays pe 08:30)",
        },
        admin: true,
    },
    CommandHelp {
        name: "unsubscribe",
        args: "",
        description: "Stop the daily topic",
        usage: "",
        hinglish: Hinglish {
            description: "Daily topic band karo",
            usage: "",
        },
        admin: true,
    },
    CommandHelp {
        name: "timezone",
        args: "<Area/City>",
        description: "Set the chat's timezone",
        usage: "/timezone <Area/City>, e.g. /timezone Europe/Berlin",
        hinglish: Hinglish {
            description: "Chat ka timezone set karo",
            usage: "/timezone <Area/City>, jaise /timezone Europe/Berlin",
        },
        admin: true,
    },
    CommandHelp {
        name: "forget",
        args: "",
        description: "Delete everything stored about you",
        usage: "/forget, then /forget confirm",
        hinglish: Hinglish {
            description: "Tumhare baare mein store kiya sab kuch delete karo",
            usage: "/forget, phir /forget confirm",
        },
        admin: false,
    },
    CommandHelp {
        name: "review",
        args: "",
        description: "Review the questions due for you (spaced repetition)",
        usage: "",
        hinglish: Hinglish {
            description: "Tumhare due sawaal review karo (spaced repetition)",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "remind",
        args: "<HH:MM|off>",
        description: "A daily private note when reviews are due",
        usage: "/remind HH:MM (your local time), or /remind off",
        hinglish: Hinglish {
            description: "Reviews due hon to roz ek private note",
            usage: "/remind HH:MM (tumhara local time), ya /remind off",
        },
        admin: false,
    },
    CommandHelp {
        name: "language",
        args: "[english|hinglish]",
        description: "The bot's language: english or hinglish",
        usage: "/language [english|hinglish]",
        hinglish: Hinglish {
            description: "Bot ki language: english ya hinglish",
            usage: "",
        },
        admin: false,
    },
    CommandHelp {
        name: "link",
        args: "[code] [confirm]",
        description: "One learner on Telegram and Discord: get a code, or enter the other's",
        usage: "/link, then /link CODE on your other platform",
        hinglish: Hinglish {
            description: "Telegram aur Discord par ek learner: code lo, ya doosre ka daalo",
            usage: "/link, phir doosre platform par /link CODE",
        },
        admin: false,
    },
    CommandHelp {
        name: "unlink",
        args: "",
        description: "Separate this platform's account from your linked learner",
        usage: "",
        hinglish: Hinglish {
            description: "Is platform ka account linked learner se alag karo",
            usage: "",
        },
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
            for lang in Lang::ALL {
                let d = c.description(lang);
                assert!(!d.is_empty() && d.chars().count() <= 100, "{}", c.name);
            }
        }
    }

    #[test]
    fn every_usage_line_starts_with_its_command() {
        for c in COMMANDS {
            for lang in Lang::ALL {
                assert!(
                    usage(c.name, lang).starts_with(&format!("/{}", c.name)),
                    "{}",
                    c.name
                );
            }
        }
        assert_eq!(usage("streak", Lang::English), "/streak");
        assert_eq!(usage("topic", Lang::Hinglish), "/topic <words>");
        assert_eq!(
            usage("forget", Lang::Hinglish),
            "/forget, phir /forget confirm"
        );
    }
}
