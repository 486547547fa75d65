//! Greetings, help, input problems and failures: what every command may say.

use super::lang::{Lang, localized};
use crate::core::registry::usage;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
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
    /// A command's arguments are missing or wrong: its usage line.
    MissingArgument {
        command: &'static str,
    },
    /// A search text over `max` characters.
    QueryTooLong {
        command: &'static str,
        max: usize,
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

localized!(GeneralMsg);

impl GeneralMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            MissingArgument { command } => write!(f, "Usage: {}", usage(command, Lang::English)),
            QueryTooLong { command, max } => write!(
                f,
                "Usage: {} (at most {max} characters)",
                usage(command, Lang::English)
            ),
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

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use GeneralMsg::*;
        match self {
            Welcome {
                name,
                topics,
                sections,
            } => write!(
                f,
                "Namaste {name}! Main roz ek topic se backend engineering sikhata hoon: {sections} \
                 sections mein {topics} topics, computer kya hota hai se lekar postmortems tak. Aaj \
                 ka topic /today se padho, /quiz se khud ko test karo, aur roz kam se kam ek sawaal \
                 ka jawab dekar apni streak bachao."
            ),
            HelpIntro => write!(f, "Commands:"),
            HelpAdminNote => write!(f, "* Groups mein ye sirf admins chala sakte hain."),
            UnknownCommand(c) => {
                write!(
                    f,
                    "/{c} command main nahi jaanta. List ke liye /help bhejo."
                )
            }
            NotACommand => write!(
                f,
                "Commands / se shuru hote hain (/help try karo). Quiz ka jawab dene ke liye A, B, C \
                 ya D bhejo."
            ),
            TooLong { max } => write!(f, "Ye message bahut lamba hai ({max} characters se zyada)."),
            MissingArgument { command } => {
                write!(f, "Aise likho: {}", usage(command, Lang::Hinglish))
            }
            QueryTooLong { command, max } => write!(
                f,
                "Aise likho: {} (zyada se zyada {max} characters)",
                usage(command, Lang::Hinglish)
            ),
            NotAnOption(s) => write!(f, "\"{s}\" koi option nahi hai. A, B, C ya D se jawab do."),
            UnknownTimezone(s) => write!(
                f,
                "\"{s}\" koi timezone nahi hai jo main jaanta hoon. Area/City naam use karo, jaise \
                 Europe/Berlin, Asia/Kolkata ya America/New_York (ya UTC)."
            ),
            BadTime(s) => write!(
                f,
                "\"{s}\" time nahi hai. 24-hour HH:MM likho, jaise 09:00 ya 18:30."
            ),
            AdminOnly => write!(f, "Ise sirf chat admins badal sakte hain."),
            SlowDown { secs } => write!(
                f,
                "Thoda dheere, please: {secs} s baad phir try karo. (Quiz ke jawab hamesha count \
                 hote hain.)"
            ),
            Internal => write!(
                f,
                "Sorry, meri taraf se kuch gadbad ho gayi. Thodi der mein phir try karo."
            ),
        }
    }
}
