//! Parsing chat text into commands, with no platform in sight.

use super::context::Visibility;
use super::deck::DeckCmd;
use super::link::{LinkCode, LinkRequest};
use super::messages::{ECHO_CHARS, Lang, LanguageMsg, Msg, clip};
use super::quiz::OptionLetter;
use super::round::RoundRequest;
use super::schedule::Schedule;
use super::status::TopicStatus;
use super::time::{DailyAt, Timezone};
use crate::core::messages::GeneralMsg;

/// Longest message we read at all; anything longer is refused before parsing.
pub const MAX_INPUT_CHARS: usize = 1000;
/// How /mark is used, shown when its arguments are missing or wrong.
/// Longest search text for /topic and /quiz.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Today,
    Next,
    Topic(String),
    Quiz(Option<String>),
    /// `quiz_id` is set when a platform knows which quiz was answered (a button, a poll);
    /// otherwise the chat's latest quiz is meant.
    Answer {
        quiz_id: Option<i64>,
        letter: OptionLetter,
    },
    Streak,
    Progress,
    Leaderboard,
    /// `/progress card`: the learner's progress as a picture.
    ProgressCard,
    /// `/leaderboard card`: the chat's leaderboard as a picture.
    LeaderboardCard,
    /// The learner's answers as CSV and their missed questions as an Anki file.
    Export,
    Subscribe {
        at: Option<DailyAt>,
        timezone: Option<Timezone>,
    },
    /// A cron schedule for pushes (e.g. `30 8 * * 1-5`).
    Schedule(Box<Schedule>),
    Unsubscribe,
    Timezone(Timezone),
    Forget {
        confirm: bool,
    },
    /// Serve the learner's next due review card.
    Review,
    /// The daily review reminder at a local time; `None` turns it off.
    Remind(Option<DailyAt>),
    /// Mark a topic done / later / skip for the learner: the chat's current topic, else the
    /// best match for the words (a button carries the topic's exact id).
    Mark {
        status: TopicStatus,
        topic: Option<String>,
    },
    /// Start a timed quiz round in a group.
    Round(RoundRequest),
    /// End the chat's round with the scores so far.
    RoundStop,
    /// Join this account with one on another platform (`/link`, `/link CODE [confirm]`).
    Link(LinkRequest),
    /// Separate this platform's account from the learner again.
    Unlink,
    /// List, choose, import, export or remove decks.
    Deck(DeckCmd),
    /// Report a quiz's question (the latest when `quiz_id` is `None`); without a reason, the
    /// learner is asked for one.
    Report {
        quiz_id: Option<i64>,
        reason: Option<String>,
    },
    /// Show the UI language (`None`) or choose one: the learner's own, or a group's (admins).
    Language(Option<Lang>),
}

impl Command {
    /// A fixed name per kind of command, for metrics labels (never carries user input).
    pub fn label(&self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Help => "help",
            Command::Today => "today",
            Command::Next => "next",
            Command::Topic(_) => "topic",
            Command::Quiz(_) => "quiz",
            Command::Answer { .. } => "answer",
            Command::Streak => "streak",
            Command::Progress => "progress",
            Command::Leaderboard => "leaderboard",
            Command::ProgressCard => "progress_card",
            Command::LeaderboardCard => "leaderboard_card",
            Command::Export => "export",
            Command::Subscribe { .. } => "subscribe",
            Command::Schedule(_) => "schedule",
            Command::Unsubscribe => "unsubscribe",
            Command::Timezone(_) => "timezone",
            Command::Forget { .. } => "forget",
            Command::Review => "review",
            Command::Remind(_) => "remind",
            Command::Mark { .. } => "mark",
            Command::Round(_) => "round",
            Command::RoundStop => "round_stop",
            Command::Link(_) => "link",
            Command::Unlink => "unlink",
            Command::Deck(_) => "deck",
            Command::Report { .. } => "report",
            Command::Language(_) => "language",
        }
    }

    /// Settings that only chat admins may change in groups, and `/round stop` (its starter or an
    /// admin); adapters ask the platform about the user's role only for these.
    pub fn needs_admin(&self) -> bool {
        if let Command::Deck(d) = self {
            return d.needs_admin();
        }
        matches!(
            self,
            Command::Next
                | Command::Subscribe { .. }
                | Command::Schedule(_)
                | Command::Unsubscribe
                | Command::Timezone(_)
                | Command::RoundStop
                | Command::Language(Some(_))
        )
    }
}

impl Command {
    /// Who should see this command's reply: results that concern only the asker (their answer's
    /// verdict while others have yet to answer, data deletion, personal reviews and reminders,
    /// their topic status, their export) go to the asker alone where the platform can do that.
    /// Known before the command runs, so an adapter can defer the reply with the right visibility.
    pub fn visibility(&self) -> Visibility {
        if matches!(
            self,
            Command::Answer { .. }
                | Command::Forget { .. }
                | Command::Review
                | Command::Remind(_)
                | Command::Mark { .. }
                | Command::Export
                | Command::Link(_)
                | Command::Unlink
                | Command::Report { .. }
        ) {
            Visibility::Asker
        } else {
            Visibility::Chat
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ParseOptions<'a> {
    /// The bot's username: `/cmd@name` is ours, `/cmd@other` is not.
    pub bot_name: Option<&'a str>,
    /// A bare `A`–`D` answers the latest quiz (the console, private chats).
    pub bare_letters: bool,
}

/// Parses one message. `Ok(None)` means the text is not for us (plain chat in a group, a command
/// addressed to another bot).
pub fn parse_command(text: &str, opts: &ParseOptions<'_>) -> Result<Option<Command>, Msg> {
    if text.chars().count() > MAX_INPUT_CHARS {
        return Err(Msg::General(GeneralMsg::TooLong {
            max: MAX_INPUT_CHARS,
        }));
    }
    // Control characters never mean anything in a command; treat them as spaces.
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = cleaned.trim();
    let Some(rest) = text.strip_prefix('/') else {
        if opts.bare_letters && OptionLetter::parse(text).is_ok() {
            let letter = OptionLetter::parse(text)?;
            return Ok(Some(Command::Answer {
                quiz_id: None,
                letter,
            }));
        }
        return if opts.bare_letters && !text.is_empty() {
            Err(Msg::General(GeneralMsg::NotACommand))
        } else {
            Ok(None)
        };
    };
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let args = args.trim();
    let (name, target) = head.split_once('@').unwrap_or((head, ""));
    if !target.is_empty()
        && opts
            .bot_name
            .is_some_and(|b| !b.eq_ignore_ascii_case(target))
    {
        return Ok(None);
    }
    let name = name.to_ascii_lowercase();
    let words: Vec<&str> = args.split_whitespace().collect();
    let cmd = match name.as_str() {
        "start" => Command::Start,
        "help" => Command::Help,
        "today" => Command::Today,
        "next" => Command::Next,
        "topic" => Command::Topic(query(args, "topic")?.ok_or_else(|| usage("topic"))?),
        "quiz" => Command::Quiz(query(args, "quiz")?),
        "answer" => match words.as_slice() {
            [one] => Command::Answer {
                quiz_id: None,
                letter: OptionLetter::parse(one)?,
            },
            [] => return Err(usage("answer")),
            _ => {
                return Err(Msg::General(GeneralMsg::NotAnOption(clip(
                    args, ECHO_CHARS,
                ))));
            }
        },
        "streak" => Command::Streak,
        "progress" => match card(&words, "progress")? {
            false => Command::Progress,
            true => Command::ProgressCard,
        },
        "leaderboard" | "top" => match card(&words, "leaderboard")? {
            false => Command::Leaderboard,
            true => Command::LeaderboardCard,
        },
        "export" => Command::Export,
        "subscribe" => subscribe(&words)?,
        "schedule" => match args {
            "" => {
                return Err(usage("schedule"));
            }
            expr => Command::Schedule(Box::new(Schedule::parse(expr)?)),
        },
        "unsubscribe" => Command::Unsubscribe,
        "timezone" | "tz" => match words.as_slice() {
            [one] => Command::Timezone(Timezone::parse(one)?),
            [] => return Err(usage("timezone")),
            _ => {
                return Err(Msg::General(GeneralMsg::UnknownTimezone(clip(
                    args, ECHO_CHARS,
                ))));
            }
        },
        "forget" => match words.as_slice() {
            [] => Command::Forget { confirm: false },
            [w] if w.eq_ignore_ascii_case("confirm") => Command::Forget { confirm: true },
            _ => return Err(usage("forget")),
        },
        "review" => Command::Review,
        "link" => match words.as_slice() {
            [] => Command::Link(LinkRequest::Start),
            [code] => Command::Link(LinkRequest::Enter {
                code: LinkCode::parse(code)?,
                confirm: false,
            }),
            [code, w] if w.eq_ignore_ascii_case("confirm") => Command::Link(LinkRequest::Enter {
                code: LinkCode::parse(code)?,
                confirm: true,
            }),
            _ => return Err(usage("link")),
        },
        "unlink" => Command::Unlink,
        "remind" => match words.as_slice() {
            [w] if w.eq_ignore_ascii_case("off") => Command::Remind(None),
            [w] => Command::Remind(Some(DailyAt::parse(w)?)),
            _ => return Err(usage("remind")),
        },
        "round" => match words.split_first() {
            Some((w, [])) if w.eq_ignore_ascii_case("stop") => Command::RoundStop,
            Some((w, _)) if w.eq_ignore_ascii_case("stop") => {
                return Err(usage("round"));
            }
            _ => Command::Round(RoundRequest::parse(&words)?),
        },
        "mark" => match words.split_first() {
            Some((status, rest)) => Command::Mark {
                status: TopicStatus::parse(status)?,
                topic: query(&rest.join(" "), "mark")?,
            },
            None => return Err(usage("mark")),
        },
        "language" | "lang" => match args {
            "" => Command::Language(None),
            word => {
                Command::Language(Some(Lang::parse(word).ok_or_else(|| {
                    Msg::Language(LanguageMsg::Unknown(clip(word, ECHO_CHARS)))
                })?))
            }
        },
        "deck" | "decks" => Command::Deck(deck(&words)?),
        "report" => Command::Report {
            quiz_id: None,
            reason: query(args, "report")?,
        },
        "" => return Err(Msg::General(GeneralMsg::NotACommand)),
        other => {
            return Err(Msg::General(GeneralMsg::UnknownCommand(clip(
                other, ECHO_CHARS,
            ))));
        }
    };
    Ok(Some(cmd))
}

fn usage(command: &'static str) -> Msg {
    Msg::General(GeneralMsg::MissingArgument { command })
}

fn query(args: &str, command: &'static str) -> Result<Option<String>, Msg> {
    if args.is_empty() {
        Ok(None)
    } else if args.chars().count() > MAX_QUERY_CHARS {
        Err(Msg::General(GeneralMsg::QueryTooLong {
            command,
            max: MAX_QUERY_CHARS,
        }))
    } else {
        Ok(Some(args.to_string()))
    }
}

/// Whether the arguments ask for the picture (`card`); anything else is a usage error.
fn card(words: &[&str], u: &'static str) -> Result<bool, Msg> {
    match words {
        [] => Ok(false),
        [w] if w.eq_ignore_ascii_case("card") => Ok(true),
        _ => Err(usage(u)),
    }
}

/// `/deck [list | use ID | remove ID | export ID | reports ID | import [ID]]`.
fn deck(words: &[&str]) -> Result<DeckCmd, Msg> {
    let u = || usage("deck");
    let verb = words.first().map(|w| w.to_ascii_lowercase());
    let id = |f: fn(String) -> DeckCmd| match words {
        [_, id] => Ok(f(clip(id, MAX_QUERY_CHARS))),
        _ => Err(u()),
    };
    match verb.as_deref() {
        None | Some("list") if words.len() <= 1 => Ok(DeckCmd::List),
        Some("use") => id(DeckCmd::Use),
        Some("remove") => id(DeckCmd::Remove),
        Some("export") => id(DeckCmd::Export),
        Some("reports") => id(DeckCmd::Reports),
        Some("import") => match words {
            [_] => Ok(DeckCmd::Import(None)),
            [_, id] => Ok(DeckCmd::Import(Some(clip(id, MAX_QUERY_CHARS)))),
            _ => Err(u()),
        },
        _ => Err(u()),
    }
}

fn subscribe(words: &[&str]) -> Result<Command, Msg> {
    let mut at = None;
    let mut timezone = None;
    for w in words {
        if DailyAt::looks_like_time(w) && at.is_none() {
            at = Some(DailyAt::parse(w)?);
        } else if timezone.is_none() {
            timezone = Some(Timezone::parse(w)?);
        } else {
            return Err(usage("subscribe"));
        }
    }
    Ok(Command::Subscribe { at, timezone })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::messages::{RoundMsg, TopicMsg};

    fn parse(s: &str) -> Result<Option<Command>, Msg> {
        parse_command(
            s,
            &ParseOptions {
                bot_name: Some("studybot"),
                bare_letters: true,
            },
        )
    }

    #[test]
    fn plain_commands_parse_with_or_without_the_bot_name() {
        assert_eq!(parse("/today").unwrap(), Some(Command::Today));
        assert_eq!(parse("/TODAY@StudyBot").unwrap(), Some(Command::Today));
        assert_eq!(parse("  /help  ").unwrap(), Some(Command::Help));
    }

    #[test]
    fn a_command_for_another_bot_is_ignored() {
        assert_eq!(parse("/today@otherbot").unwrap(), None);
    }

    #[test]
    fn answers_accept_a_letter_with_or_without_the_command() {
        let b = OptionLetter::parse("B").unwrap();
        assert_eq!(
            parse("/answer b").unwrap(),
            Some(Command::Answer {
                quiz_id: None,
                letter: b
            })
        );
        assert_eq!(
            parse("B").unwrap(),
            Some(Command::Answer {
                quiz_id: None,
                letter: b
            })
        );
        assert!(matches!(
            parse("/answer E"),
            Err(Msg::General(GeneralMsg::NotAnOption(_)))
        ));
        assert!(matches!(
            parse("/answer"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert!(matches!(
            parse("/answer A B"),
            Err(Msg::General(GeneralMsg::NotAnOption(_)))
        ));
    }

    #[test]
    fn plain_text_is_ignored_in_groups_and_explained_in_the_console() {
        let group = ParseOptions {
            bot_name: None,
            bare_letters: false,
        };
        assert_eq!(parse_command("hello all", &group).unwrap(), None);
        assert_eq!(parse("hello"), Err(Msg::General(GeneralMsg::NotACommand)));
        assert_eq!(parse("   ").unwrap(), None);
    }

    #[test]
    fn unknown_commands_are_named_back_clipped() {
        assert_eq!(
            parse("/frobnicate"),
            Err(Msg::General(GeneralMsg::UnknownCommand(
                "frobnicate".into()
            )))
        );
        let Err(Msg::General(GeneralMsg::UnknownCommand(name))) =
            parse(&format!("/{}", "x".repeat(500)))
        else {
            panic!()
        };
        assert!(name.chars().count() <= ECHO_CHARS + 1);
    }

    #[test]
    fn language_takes_a_known_name_or_nothing() {
        assert_eq!(parse("/language"), Ok(Some(Command::Language(None))));
        assert_eq!(
            parse("/language Hinglish"),
            Ok(Some(Command::Language(Some(Lang::Hinglish))))
        );
        assert_eq!(
            parse("/lang en"),
            Ok(Some(Command::Language(Some(Lang::English))))
        );
        assert_eq!(
            parse("/language klingon"),
            Err(Msg::Language(LanguageMsg::Unknown("klingon".into())))
        );
    }

    #[test]
    fn overlong_input_is_refused_before_parsing() {
        assert_eq!(
            parse(&"a".repeat(10_000)),
            Err(Msg::General(GeneralMsg::TooLong {
                max: MAX_INPUT_CHARS
            }))
        );
        assert!(matches!(
            parse(&format!("/topic {}", "a".repeat(200))),
            Err(Msg::General(GeneralMsg::QueryTooLong {
                command: "topic",
                max: MAX_QUERY_CHARS
            }))
        ));
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(
            parse("/topic tcp\u{0}\u{7}udp").unwrap(),
            Some(Command::Topic("tcp  udp".into()))
        );
        assert_eq!(
            parse("\u{1b}[31m/today").unwrap_err(),
            Msg::General(GeneralMsg::NotACommand)
        );
    }

    #[test]
    fn topic_needs_words_and_quiz_does_not() {
        assert!(matches!(
            parse("/topic"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert_eq!(parse("/quiz").unwrap(), Some(Command::Quiz(None)));
        assert_eq!(
            parse("/quiz 7").unwrap(),
            Some(Command::Quiz(Some("7".into())))
        );
    }

    #[test]
    fn progress_and_leaderboard_take_card_for_the_picture() {
        assert_eq!(parse("/progress").unwrap(), Some(Command::Progress));
        assert_eq!(
            parse("/progress Card").unwrap(),
            Some(Command::ProgressCard)
        );
        assert_eq!(parse("/top card").unwrap(), Some(Command::LeaderboardCard));
        assert_eq!(parse("/leaderboard").unwrap(), Some(Command::Leaderboard));
        assert!(matches!(
            parse("/progress cards"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert_eq!(parse("/export").unwrap(), Some(Command::Export));
    }

    #[test]
    fn mark_takes_a_status_and_optional_topic_words() {
        assert_eq!(
            parse("/mark done").unwrap(),
            Some(Command::Mark {
                status: TopicStatus::Done,
                topic: None
            })
        );
        assert_eq!(
            parse("/mark Later tcp vs udp").unwrap(),
            Some(Command::Mark {
                status: TopicStatus::Later,
                topic: Some("tcp vs udp".into())
            })
        );
        assert!(matches!(
            parse("/mark"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert!(matches!(
            parse("/mark soon"),
            Err(Msg::Topic(TopicMsg::NotAStatus(_)))
        ));
    }

    #[test]
    fn round_takes_a_count_and_a_source_or_stop() {
        assert_eq!(
            parse("/round 3 basics").unwrap(),
            Some(Command::Round(RoundRequest {
                questions: 3,
                source: Some("basics".into())
            }))
        );
        assert_eq!(parse("/round STOP").unwrap(), Some(Command::RoundStop));
        assert!(matches!(
            parse("/round 50"),
            Err(Msg::Round(RoundMsg::Size { .. }))
        ));
    }

    #[test]
    fn subscribe_takes_time_and_zone_in_either_order() {
        let berlin = Timezone::parse("Europe/Berlin").unwrap();
        let at = DailyAt::parse("08:30").unwrap();
        let want = Some(Command::Subscribe {
            at: Some(at),
            timezone: Some(berlin),
        });
        assert_eq!(parse("/subscribe 08:30 Europe/Berlin").unwrap(), want);
        assert_eq!(parse("/subscribe Europe/Berlin 08:30").unwrap(), want);
        assert_eq!(
            parse("/subscribe").unwrap(),
            Some(Command::Subscribe {
                at: None,
                timezone: None
            })
        );
        assert!(matches!(
            parse("/subscribe 25:00"),
            Err(Msg::General(GeneralMsg::BadTime(_)))
        ));
        assert!(matches!(
            parse("/subscribe Moon/Base"),
            Err(Msg::General(GeneralMsg::UnknownTimezone(_)))
        ));
    }

    #[test]
    fn timezone_and_forget_validate_their_arguments() {
        assert!(matches!(
            parse("/timezone"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert!(matches!(
            parse("/timezone Nowhere/Land"),
            Err(Msg::General(GeneralMsg::UnknownTimezone(_)))
        ));
        assert_eq!(
            parse("/forget").unwrap(),
            Some(Command::Forget { confirm: false })
        );
        assert_eq!(
            parse("/forget CONFIRM").unwrap(),
            Some(Command::Forget { confirm: true })
        );
        assert!(parse("/forget please").is_err());
    }

    #[test]
    fn remind_takes_a_local_time_or_off() {
        assert_eq!(parse("/review").unwrap(), Some(Command::Review));
        assert_eq!(
            parse("/remind 07:30").unwrap(),
            Some(Command::Remind(Some(DailyAt::parse("07:30").unwrap())))
        );
        assert_eq!(parse("/remind OFF").unwrap(), Some(Command::Remind(None)));
        assert!(matches!(
            parse("/remind"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
        assert!(matches!(
            parse("/remind 25:00"),
            Err(Msg::General(GeneralMsg::BadTime(_)))
        ));
        assert!(matches!(
            parse("/remind 07:30 daily"),
            Err(Msg::General(GeneralMsg::MissingArgument { .. }))
        ));
    }
}
