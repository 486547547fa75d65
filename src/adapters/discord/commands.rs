//! Slash commands: one per entry of the core's command list, with typed options, and the way back
//! from an invoked command to the text the core parses. Options are the only Discord-specific
//! part; validation stays in `core::parse_command`.

use super::render::fit_plain;
use crate::content::Catalog;
use crate::core::command::MAX_QUERY_CHARS;
use crate::core::messages::{COMMANDS, CommandHelp, Lang};
use crate::core::search::{Suggest, suggestions};
use serenity::all::{CommandOptionType, CreateCommand, CreateCommandOption, Permissions};

/// What `/quiz` and `/round` draw from, typed as a section or topic with suggestions.
const QUIZ_SOURCE: Kind = Kind::Text {
    max: MAX_QUERY_CHARS as u16,
    suggest: Some(Suggest::QuizTargets),
};
const QUIZ_SOURCE_HELP: &str = "A section or a topic (default: what this channel has covered)";

/// Discord: an application command has at most 25 options; autocomplete answers at most 25
/// choices, each name and value 1–100 characters.
pub const MAX_CHOICES: usize = 25;
pub const CHOICE_LIMIT: usize = 100;
/// Discord: command and option descriptions are 1–100 characters.
pub const COMMAND_DESCRIPTION_LIMIT: usize = 100;
/// Longest timezone name we accept in an option (IANA names are at most 32).
const ZONE_CHARS: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, passed on as it is.
    Text { max: u16, suggest: Option<Suggest> },
    /// One of A–D, offered as choices.
    Letter,
    /// One of these words, offered as choices.
    Choice(&'static [&'static str]),
    /// A yes/no that adds `word` to the command when set.
    Flag { word: &'static str },
    /// A file the member attaches (a deck); never part of the command's text.
    Attachment,
}

/// One option of one command.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub command: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
    pub kind: Kind,
}

/// The options of the commands that take arguments, in the order the core reads them.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        command: "topic",
        name: "words",
        description: "Words from the topic's title, or its id",
        required: true,
        kind: Kind::Text {
            max: MAX_QUERY_CHARS as u16,
            suggest: Some(Suggest::Topics),
        },
    },
    OptionSpec {
        command: "mark",
        name: "status",
        description: "done, later (listed as due in /progress) or skip",
        required: true,
        kind: Kind::Choice(&["done", "later", "skip"]),
    },
    OptionSpec {
        command: "mark",
        name: "topic",
        description: "A topic (default: the channel's current topic)",
        required: false,
        kind: Kind::Text {
            max: MAX_QUERY_CHARS as u16,
            suggest: Some(Suggest::Topics),
        },
    },
    OptionSpec {
        command: "quiz",
        name: "target",
        description: QUIZ_SOURCE_HELP,
        required: false,
        kind: QUIZ_SOURCE,
    },
    OptionSpec {
        command: "round",
        name: "stop",
        description: "End this channel's round now, with the scores so far",
        required: false,
        kind: Kind::Flag { word: "stop" },
    },
    OptionSpec {
        command: "round",
        name: "questions",
        description: "How many questions, 1 to 20 (default 5)",
        required: false,
        kind: Kind::Text {
            max: 2,
            suggest: None,
        },
    },
    OptionSpec {
        command: "round",
        name: "from",
        description: QUIZ_SOURCE_HELP,
        required: false,
        kind: QUIZ_SOURCE,
    },
    OptionSpec {
        command: "deck",
        name: "action",
        description: "list (default), use, import (with a file), export, remove or reports",
        required: false,
        kind: Kind::Choice(&["list", "use", "import", "export", "remove", "reports"]),
    },
    OptionSpec {
        command: "deck",
        name: "id",
        description: "The deck's id (backend = the curriculum); for import, default: the file name",
        required: false,
        kind: Kind::Text {
            max: 40,
            suggest: None,
        },
    },
    OptionSpec {
        command: "deck",
        name: "file",
        description: "The deck file to import: .csv or .toml, at most 1 MB",
        required: false,
        kind: Kind::Attachment,
    },
    OptionSpec {
        command: "report",
        name: "reason",
        description: "What is wrong with the latest quiz's question",
        required: false,
        kind: Kind::Text {
            max: 200,
            suggest: None,
        },
    },
    OptionSpec {
        command: "answer",
        name: "letter",
        description: "Your answer to the channel's latest quiz",
        required: true,
        kind: Kind::Letter,
    },
    OptionSpec {
        command: "progress",
        name: "card",
        description: "As a picture: sections and a calendar of study days",
        required: false,
        kind: Kind::Flag { word: "card" },
    },
    OptionSpec {
        command: "leaderboard",
        name: "card",
        description: "As a picture",
        required: false,
        kind: Kind::Flag { word: "card" },
    },
    OptionSpec {
        command: "subscribe",
        name: "time",
        description: "Local time, 24-hour HH:MM (default 09:00)",
        required: false,
        kind: Kind::Text {
            max: 5,
            suggest: None,
        },
    },
    OptionSpec {
        command: "subscribe",
        name: "timezone",
        description: "Area/City, e.g. Europe/Berlin (default: the channel's)",
        required: false,
        kind: Kind::Text {
            max: ZONE_CHARS,
            suggest: Some(Suggest::Zones),
        },
    },
    OptionSpec {
        command: "timezone",
        name: "zone",
        description: "Area/City, e.g. Europe/Berlin",
        required: true,
        kind: Kind::Text {
            max: ZONE_CHARS,
            suggest: Some(Suggest::Zones),
        },
    },
    OptionSpec {
        command: "forget",
        name: "confirm",
        description: "Delete now (after /forget, within 10 minutes)",
        required: false,
        kind: Kind::Flag { word: "confirm" },
    },
    OptionSpec {
        command: "link",
        name: "code",
        description: "The code /link gave you on your other platform (empty: get a code here)",
        required: false,
        kind: Kind::Text {
            max: 9,
            suggest: None,
        },
    },
    OptionSpec {
        command: "link",
        name: "confirm",
        description: "Join now (after /link with the code showed what joins)",
        required: false,
        kind: Kind::Flag { word: "confirm" },
    },
    OptionSpec {
        command: "remind",
        name: "when",
        description: "Local time, 24-hour HH:MM, or off",
        required: true,
        kind: Kind::Text {
            max: 5,
            suggest: None,
        },
    },
    OptionSpec {
        command: "language",
        name: "language",
        description: "english or hinglish (default: show the current one)",
        required: false,
        kind: Kind::Choice(&["english", "hinglish"]),
    },
];

/// The name of the catch-all option of a command that takes arguments but has no entry in
/// [`OPTIONS`] (a command added to the core later still works, as free text).
pub const FREE_TEXT: &str = "arguments";

/// The options of `c`: from [`OPTIONS`], else one free-text option if the command takes
/// arguments.
pub fn options_of(c: &CommandHelp) -> Vec<OptionSpec> {
    let listed: Vec<OptionSpec> = OPTIONS
        .iter()
        .filter(|o| o.command == c.name)
        .copied()
        .collect();
    if !listed.is_empty() || c.args.trim().is_empty() {
        return listed;
    }
    vec![OptionSpec {
        command: c.name,
        name: FREE_TEXT,
        description: c.args,
        required: c.args.trim_start().starts_with('<'),
        kind: Kind::Text {
            max: crate::core::command::MAX_INPUT_CHARS as u16,
            suggest: None,
        },
    }]
}

fn build_option(o: &OptionSpec) -> CreateCommandOption {
    let description = fit_plain(o.description, COMMAND_DESCRIPTION_LIMIT);
    match o.kind {
        Kind::Text { max, suggest } => {
            CreateCommandOption::new(CommandOptionType::String, o.name, description)
                .required(o.required)
                .max_length(max)
                .set_autocomplete(suggest.is_some())
        }
        Kind::Letter => ["A", "B", "C", "D"].into_iter().fold(
            CreateCommandOption::new(CommandOptionType::String, o.name, description)
                .required(o.required),
            |opt, l| opt.add_string_choice(l, l),
        ),
        Kind::Choice(words) => words.iter().fold(
            CreateCommandOption::new(CommandOptionType::String, o.name, description)
                .required(o.required),
            |opt, w| opt.add_string_choice(*w, *w),
        ),
        Kind::Flag { .. } => {
            CreateCommandOption::new(CommandOptionType::Boolean, o.name, description)
                .required(o.required)
        }
        Kind::Attachment => {
            CreateCommandOption::new(CommandOptionType::Attachment, o.name, description)
                .required(o.required)
        }
    }
}

/// Every core command as a slash command. Settings are hidden from members without Manage
/// Server by default; since server admins can change that default, the adapter checks again.
pub fn definitions() -> Vec<CreateCommand> {
    COMMANDS
        .iter()
        .map(|c| {
            let mut cmd = CreateCommand::new(c.name)
                .description(fit_plain(c.description, COMMAND_DESCRIPTION_LIMIT));
            // The menu in the member's client language where we speak it (`hi`: Hinglish).
            for lang in Lang::ALL {
                if let Some(locale) = lang.locale() {
                    cmd = cmd.description_localized(
                        locale,
                        fit_plain(c.description(lang), COMMAND_DESCRIPTION_LIMIT),
                    );
                }
            }
            for o in options_of(c) {
                cmd = cmd.add_option(build_option(&o));
            }
            if c.admin {
                cmd = cmd.default_member_permissions(Permissions::MANAGE_GUILD);
            }
            cmd
        })
        .collect()
}

/// The text the core parses for an invoked command: `/name` and the option values in declared
/// order. `value` gives an option's value as text (`"true"`/`"false"` for flags).
pub fn command_text(name: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut text = format!("/{name}");
    let Some(help) = COMMANDS.iter().find(|c| c.name == name) else {
        return text;
    };
    for o in options_of(help) {
        let Some(v) = value(o.name) else { continue };
        let word = match o.kind {
            Kind::Flag { word } if v == "true" => word.to_string(),
            Kind::Flag { .. } | Kind::Attachment => continue,
            _ => v,
        };
        text.push(' ');
        text.push_str(&word);
    }
    text
}

/// The option `option` of command `command`, if it offers autocomplete.
pub fn suggest_kind(command: &str, option: &str) -> Option<Suggest> {
    OPTIONS
        .iter()
        .find(|o| o.command == command && o.name == option)
        .and_then(|o| match o.kind {
            Kind::Text { suggest, .. } => suggest,
            _ => None,
        })
}

/// Autocomplete choices as (name shown, value sent back), best first, at most [`MAX_CHOICES`],
/// each within Discord's choice limits; the ranking is the core's.
pub fn suggest(catalog: &Catalog, kind: Suggest, typed: &str) -> Vec<(String, String)> {
    let out = suggestions(catalog, kind, typed, MAX_CHOICES);
    out.into_iter()
        .filter(|(_, v)| !v.is_empty() && v.chars().count() <= CHOICE_LIMIT)
        .map(|(n, v)| (fit_plain(&n, CHOICE_LIMIT), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_catalog;
    use crate::core::{Command, ParseOptions, parse_command};
    use serde_json::Value;
    use std::path::Path;

    fn fixture() -> Catalog {
        load_catalog(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content"),
            false,
        )
        .expect("the fixture content is valid")
    }

    fn valid_name(n: &str) -> bool {
        (1..=32).contains(&n.len())
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    }

    #[test]
    fn every_core_command_becomes_a_valid_slash_command() {
        let defs: Vec<Value> = definitions()
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect();
        assert_eq!(defs.len(), COMMANDS.len());
        for (d, c) in defs.iter().zip(COMMANDS) {
            assert_eq!(d["name"], c.name);
            assert!(valid_name(c.name));
            let desc = d["description"].as_str().unwrap();
            assert!((1..=COMMAND_DESCRIPTION_LIMIT).contains(&desc.chars().count()));
            let options = d["options"].as_array().cloned().unwrap_or_default();
            assert!(options.len() <= MAX_CHOICES);
            let mut seen_optional = false;
            for o in &options {
                assert!(valid_name(o["name"].as_str().unwrap()), "{o}");
                let od = o["description"].as_str().unwrap();
                assert!(
                    (1..=COMMAND_DESCRIPTION_LIMIT).contains(&od.chars().count()),
                    "{o}"
                );
                let required = o["required"].as_bool().unwrap_or(false);
                assert!(!(required && seen_optional), "required options come first");
                seen_optional |= !required;
            }
            let perms = &d["default_member_permissions"];
            if c.admin {
                assert_eq!(perms, "32", "Manage Server for {}", c.name);
            } else {
                assert!(perms.is_null(), "{}", c.name);
            }
        }
    }

    #[test]
    fn options_carry_autocomplete_and_answer_choices() {
        let defs: Vec<Value> = definitions()
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect();
        let find = |n: &str| defs.iter().find(|d| d["name"] == n).unwrap().clone();
        assert_eq!(find("topic")["options"][0]["autocomplete"], true);
        assert_eq!(find("quiz")["options"][0]["autocomplete"], true);
        assert_eq!(find("quiz")["options"][0]["required"], false);
        let letters: Vec<String> = find("answer")["options"][0]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(letters, ["A", "B", "C", "D"]);
        assert_eq!(find("timezone")["options"][0]["autocomplete"], true);
        assert_eq!(find("forget")["options"][0]["type"], 5, "a boolean");
    }

    #[test]
    fn round_and_mark_options_become_text_the_core_parses() {
        let parse = |t: &str| parse_command(t, &ParseOptions::default()).unwrap();
        let t = command_text("round", |n| match n {
            "questions" => Some("3".into()),
            "from" => Some("basics".into()),
            "stop" => Some("false".into()),
            _ => None,
        });
        assert_eq!(t, "/round 3 basics");
        assert!(matches!(parse(&t), Some(Command::Round(_))));
        let t = command_text("round", |n| (n == "stop").then(|| "true".into()));
        assert_eq!(parse(&t), Some(Command::RoundStop));
        let t = command_text("mark", |n| match n {
            "status" => Some("later".into()),
            "topic" => Some("tcp-vs-udp".into()),
            _ => None,
        });
        assert_eq!(t, "/mark later tcp-vs-udp");
        assert!(matches!(parse(&t), Some(Command::Mark { .. })));
    }

    #[test]
    fn invoked_commands_become_text_the_core_parses() {
        let parse = |t: &str| parse_command(t, &ParseOptions::default()).unwrap();
        let none = |_: &str| None;
        assert_eq!(command_text("today", none), "/today");
        let t = command_text("subscribe", |n| match n {
            "timezone" => Some("Europe/Berlin".into()),
            "time" => Some("08:30".into()),
            _ => None,
        });
        assert_eq!(t, "/subscribe 08:30 Europe/Berlin");
        assert!(matches!(
            parse(&t),
            Some(Command::Subscribe {
                at: Some(_),
                timezone: Some(_)
            })
        ));
        let t = command_text("forget", |_| Some("true".into()));
        assert_eq!(parse(&t), Some(Command::Forget { confirm: true }));
        let t = command_text("forget", |_| Some("false".into()));
        assert_eq!(parse(&t), Some(Command::Forget { confirm: false }));
        let t = command_text("progress", |_| Some("true".into()));
        assert_eq!(parse(&t), Some(Command::ProgressCard));
        let t = command_text("leaderboard", |_| Some("true".into()));
        assert_eq!(parse(&t), Some(Command::LeaderboardCard));
        assert_eq!(
            parse(&command_text("progress", none)),
            Some(Command::Progress)
        );
        let t = command_text("topic", |_| Some("@everyone <@1>".into()));
        assert_eq!(parse(&t), Some(Command::Topic("@everyone <@1>".into())));
    }

    #[test]
    fn quiz_autocomplete_offers_sections_then_quizzable_topics() {
        let c = fixture();
        let all = suggest(&c, Suggest::QuizTargets, "");
        assert_eq!(all[0], ("00 · Basics".to_string(), "basics".to_string()));
        assert_eq!(all[1].1, "more");
        assert!(
            !all.iter().any(|(_, v)| v == "gamma"),
            "outlines have no quiz"
        );
        let al = suggest(&c, Suggest::QuizTargets, "al");
        assert_eq!(al[0], ("Alpha topic".to_string(), "alpha".to_string()));
        let topics = suggest(&c, Suggest::Topics, "outline");
        assert!(topics.iter().any(|(_, v)| v == "gamma"), "{topics:?}");
    }

    #[test]
    fn timezone_autocomplete_prefers_prefix_matches_and_stops_at_25() {
        let c = fixture();
        let zones = suggest(&c, Suggest::Zones, "berl");
        assert_eq!(zones[0].1, "Europe/Berlin");
        assert_eq!(suggest(&c, Suggest::Zones, "").len(), MAX_CHOICES);
        let am = suggest(&c, Suggest::Zones, "america/");
        assert!(am.iter().all(|(_, v)| v.starts_with("America/")));
    }
}
