//! Greetings, help, input problems and failures: what every command may say.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralMsg {
    // Greetings and help.
    Welcome {
        name: String,
        topics: usize,
        sections: usize,
    },
    HelpIntro,
    HelpAdminNote,
    // Input problems.
    UnknownCommand(String),
    NotACommand,
    TooLong {
        max: usize,
    },
    MissingArgument {
        usage: String,
    },
    NotAnOption(String),
    UnknownTimezone(String),
    BadTime(String),
    AdminOnly,
    /// Commands came faster than the rate limit allows.
    SlowDown {
        secs: u64,
    },
    // Failures.
    Internal,
}

impl fmt::Display for GeneralMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use GeneralMsg::*;
        match self {
            Welcome {
                name,
                topics,
                sections,
            } => write!(
                f,
                "Hi {name}! I teach backend engineering one topic a day: {topics} topics in {sections} sections, \
                 from what a computer is to postmortems. Read today's topic with /today, test \
                 yourself with /quiz, and keep your streak by answering at least one question a day."
            ),
            HelpIntro => write!(f, "Commands:"),
            HelpAdminNote => write!(f, "* In groups only admins can use these."),
            UnknownCommand(c) => {
                write!(f, "I don't know the command /{c}. Send /help for the list.")
            }
            NotACommand => write!(
                f,
                "Commands start with / (try /help). To answer a quiz, send A, B, C or D."
            ),
            TooLong { max } => write!(f, "That message is too long (over {max} characters)."),
            MissingArgument { usage } => write!(f, "Usage: {usage}"),
            NotAnOption(s) => write!(f, "\"{s}\" is not an option. Answer with A, B, C or D."),
            UnknownTimezone(s) => write!(
                f,
                "\"{s}\" is not a timezone I know. Use an Area/City name such as Europe/Berlin, \
                 Asia/Kolkata or America/New_York (or UTC)."
            ),
            BadTime(s) => write!(
                f,
                "\"{s}\" is not a time. Use 24-hour HH:MM, for example 09:00 or 18:30."
            ),
            AdminOnly => write!(f, "Only chat admins can change this."),
            SlowDown { secs } => write!(
                f,
                "Slow down a little, please: try again in {secs} s. (Quiz answers always count.)"
            ),
            Internal => write!(
                f,
                "Sorry, something went wrong on my side. Please try again in a moment."
            ),
        }
    }
}
