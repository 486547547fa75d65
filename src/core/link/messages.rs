//! One learner on several platforms: linking and unlinking accounts.

use crate::core::context::Platform;
use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use std::fmt;

/// One side of a link, for the confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkSide {
    pub platforms: Vec<Platform>,
    pub streak: u32,
    pub xp: i64,
    pub answers: i64,
    pub review_cards: i64,
    pub topic_marks: i64,
}

/// What a link would join, shown before it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPreview {
    pub code: String,
    pub here: LinkSide,
    pub there: LinkSide,
    /// The joined learner's current streak.
    pub streak: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum LinkMsg {
    CodeIssued {
        code: String,
        minutes: i64,
    },
    PrivateOnly,
    NotACode,
    WrongCode {
        tries_left: i64,
    },
    Expired {
        tries_left: i64,
    },
    LockedOut {
        minutes: i64,
    },
    AlreadyLinked,
    SamePlatform(Platform),
    /// Boxed: the preview is large and `Msg` travels in every parser result.
    Confirm(Box<LinkPreview>),
    ButtonLink,
    Linked {
        platforms: Vec<Platform>,
        streak: u32,
        xp: i64,
    },
    NotLinked,
    Unlinked(Platform),
    /// Added to /forget's question and its answer when the learner is on several platforms.
    ForgetEverywhere(Vec<Platform>),
    ForgottenEverywhere(Vec<Platform>),
}

/// A platform as learners call it.
fn name(p: Platform) -> &'static str {
    match p {
        Platform::Console => "the console",
        Platform::Telegram => "Telegram",
        Platform::Discord => "Discord",
    }
}

/// "Telegram", "Telegram and Discord", "the console, Telegram and Discord".
fn names(ps: &[Platform]) -> String {
    list(ps, name, "and")
}

fn list(ps: &[Platform], name: fn(Platform) -> &'static str, and: &str) -> String {
    let names: Vec<&str> = ps.iter().map(|p| name(*p)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {and} {last}", rest.join(", ")),
    }
}

/// A platform as Hinglish speakers call it.
fn naam(p: Platform) -> &'static str {
    match p {
        Platform::Console => "console",
        Platform::Telegram => "Telegram",
        Platform::Discord => "Discord",
    }
}

/// "Telegram aur Discord".
fn naams(ps: &[Platform]) -> String {
    list(ps, naam, "aur")
}

fn tries(n: i64) -> &'static str {
    if n == 1 { "try" } else { "tries" }
}

fn days(n: u32) -> String {
    format!("{n} {}", plural(i64::from(n), "day"))
}

localized!(LinkMsg);

impl LinkMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LinkMsg::*;
        match self {
            CodeIssued { code, minutes } => write!(
                f,
                "Your link code: {code}\nIt works once, for {minutes} minutes. On your other \
                 platform, send me /link {code} in a private chat (on Discord, /link with the \
                 code). I will show what joins before anything changes: then your streak, XP, \
                 review cards and topic marks are one, on both."
            ),
            PrivateOnly => write!(
                f,
                "Linking happens in a private chat: send /link to me directly."
            ),
            NotACode => write!(
                f,
                "A link code is 8 letters and digits, like /link ABCD2345. Send /link on your \
                 other platform to get one."
            ),
            WrongCode { tries_left } => write!(
                f,
                "That code is not right. {tries_left} more wrong {} and linking is locked for \
                 an hour.",
                tries(*tries_left)
            ),
            Expired { tries_left } => write!(
                f,
                "That code has expired (codes last 10 minutes): send /link on the other \
                 platform for a new one. {tries_left} more wrong {} and linking is locked for an \
                 hour.",
                tries(*tries_left)
            ),
            LockedOut { minutes } => write!(
                f,
                "Too many wrong codes: linking is locked for this account for {minutes} more {}.",
                plural(*minutes, "minute")
            ),
            AlreadyLinked => write!(f, "These accounts are already one learner."),
            SamePlatform(p) => write!(
                f,
                "That code's learner already has an account on {}, and a learner has one account \
                 per platform. Send /unlink there first to separate it.",
                name(*p)
            ),
            Confirm(p) => {
                let LinkPreview {
                    code,
                    here,
                    there,
                    streak,
                } = p.as_ref();
                let side = |s: &LinkSide| {
                    format!(
                        "{}: streak {}, {} XP, {} {}, {} {}, {} {}",
                        names(&s.platforms),
                        days(s.streak),
                        s.xp,
                        s.answers,
                        plural(s.answers, "answer"),
                        s.review_cards,
                        plural(s.review_cards, "review card"),
                        s.topic_marks,
                        plural(s.topic_marks, "topic mark")
                    )
                };
                write!(
                    f,
                    "Join these into one learner?\n• Here, {}\n• There, {}\nJoined: streak {} \
                     (the longer one still going today), {} XP (both added), all answers kept, \
                     one review card per question (the one reviewed last, with both histories), \
                     the later mark of each topic, the longest streak and freezes of either.\n\
                     To confirm, send /link {code} confirm.",
                    side(here),
                    side(there),
                    days(*streak),
                    here.xp + there.xp
                )
            }
            ButtonLink => write!(f, "Yes, join them"),
            Linked {
                platforms,
                streak,
                xp,
            } => write!(
                f,
                "Linked: you are one learner on {}. Streak {}, {xp} XP. /unlink separates this \
                 account again.",
                names(platforms),
                days(*streak)
            ),
            NotLinked => write!(
                f,
                "This account is not linked to another platform: nothing to unlink."
            ),
            Unlinked(p) => write!(
                f,
                "Unlinked: this {} account is a learner of its own again. It starts from a copy \
                 of your streak, XP, review cards, topic marks and time zone, and keeps the \
                 answers given on {}; the other accounts go on as before.",
                name(*p),
                name(*p)
            ),
            ForgetEverywhere(ps) => write!(
                f,
                "You are linked on {}: this forgets you on all of them.",
                names(ps)
            ),
            ForgottenEverywhere(ps) => write!(f, "Forgotten on {}.", names(ps)),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LinkMsg::*;
        let din = |n: u32| format!("{n} din");
        match self {
            CodeIssued { code, minutes } => write!(
                f,
                "Tumhara link code: {code}\nYeh ek hi baar, {minutes} minute tak chalega. Apne \
                 doosre platform par mujhe private chat mein /link {code} bhejo (Discord par \
                 code ke saath /link). Kuch bhi badalne se pehle main dikhaunga ki kya judega: \
                 phir tumhari streak, XP, review cards aur topic marks dono par ek honge."
            ),
            PrivateOnly => write!(
                f,
                "Linking private chat mein hoti hai: /link seedha mujhe bhejo."
            ),
            NotACode => write!(
                f,
                "Link code 8 letters aur digits ka hota hai, jaise /link ABCD2345. Code paane ke \
                 liye apne doosre platform par /link bhejo."
            ),
            WrongCode { tries_left } => write!(
                f,
                "Yeh code sahi nahi hai. {tries_left} aur galat {} aur linking ek ghante ke liye \
                 lock ho jaayegi.",
                if *tries_left == 1 { "try" } else { "tries" }
            ),
            Expired { tries_left } => write!(
                f,
                "Yeh code expire ho gaya (code 10 minute chalte hain): naye code ke liye doosre \
                 platform par /link bhejo. {tries_left} aur galat {} aur linking ek ghante ke \
                 liye lock ho jaayegi.",
                if *tries_left == 1 { "try" } else { "tries" }
            ),
            LockedOut { minutes } => write!(
                f,
                "Bahut saare galat codes: is account ki linking abhi {minutes} minute aur lock \
                 hai."
            ),
            AlreadyLinked => write!(f, "Yeh accounts pehle se ek hi learner hain."),
            SamePlatform(p) => write!(
                f,
                "Is code ke learner ka {} par pehle se account hai, aur ek learner ka har platform \
                 par ek hi account hota hai. Use alag karne ke liye pehle wahan /unlink bhejo.",
                naam(*p)
            ),
            Confirm(p) => {
                let LinkPreview {
                    code,
                    here,
                    there,
                    streak,
                } = p.as_ref();
                let side = |s: &LinkSide| {
                    format!(
                        "{}: streak {}, {} XP, {} jawab, {}, {}",
                        naams(&s.platforms),
                        din(s.streak),
                        s.xp,
                        s.answers,
                        Lang::Hinglish.count(s.review_cards, "review card", "review cards"),
                        Lang::Hinglish.count(s.topic_marks, "topic mark", "topic marks")
                    )
                };
                write!(
                    f,
                    "Inhe ek learner bana dein?\n• Yahan, {}\n• Wahan, {}\nJudne ke baad: streak \
                     {} (jo aaj bhi chal rahi hai usmein lambi wali), {} XP (dono jode gaye), saare \
                     jawab rahenge, har question ka ek review card (jo sabse baad mein review hua, \
                     dono ki history ke saath), har topic ka baad wala mark, aur dono mein se \
                     sabse lambi streak aur freezes.\nConfirm karne ke liye /link {code} confirm \
                     bhejo.",
                    side(here),
                    side(there),
                    din(*streak),
                    here.xp + there.xp
                )
            }
            ButtonLink => write!(f, "Haan, inhe jodo"),
            Linked {
                platforms,
                streak,
                xp,
            } => write!(
                f,
                "Link ho gaya: ab tum {} par ek hi learner ho. Streak {}, {xp} XP. /unlink is \
                 account ko phir se alag kar deta hai.",
                naams(platforms),
                din(*streak)
            ),
            NotLinked => write!(
                f,
                "Yeh account kisi doosre platform se linked nahi hai: unlink karne ko kuch nahi."
            ),
            Unlinked(p) => write!(
                f,
                "Unlink ho gaya: yeh {} account phir se apna alag learner hai. Yeh tumhari streak, \
                 XP, review cards, topic marks aur time zone ki copy se shuru hota hai, aur {} par \
                 diye jawab iske saath rehte hain; baaki accounts pehle jaise chalte rahenge.",
                naam(*p),
                naam(*p)
            ),
            ForgetEverywhere(ps) => write!(
                f,
                "Tum {} par linked ho: yeh tumhe sab jagah se bhula dega.",
                naams(ps)
            ),
            ForgottenEverywhere(ps) => write!(f, "{} par bhula diya gaya.", naams(ps)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_read_as_a_list() {
        assert_eq!(names(&[Platform::Telegram]), "Telegram");
        assert_eq!(
            names(&[Platform::Telegram, Platform::Discord]),
            "Telegram and Discord"
        );
        assert_eq!(names(&Platform::ALL), "the console, Telegram and Discord");
    }
}
