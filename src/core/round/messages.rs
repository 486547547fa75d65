//! Timed quiz rounds in groups.

use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum RoundMsg {
    // Quiz rounds.
    Size {
        asked: String,
        max: u32,
    },
    GroupOnly,
    Running {
        number: u32,
        total: u32,
    },
    NotRunning,
    StopNotAllowed,
    Started {
        total: u32,
        source: String,
        secs: u32,
        start: u32,
    },
    SourceCovered,
    QuestionHeading {
        number: u32,
        total: u32,
        topic: String,
    },
    AnswerWas {
        letter: char,
        option: String,
    },
    QuestionStats {
        right: usize,
        answered: usize,
    },
    Fastest {
        name: String,
        points: i64,
    },
    ScoresAfter {
        number: u32,
        total: u32,
    },
    ScoreRow {
        rank: usize,
        name: String,
        points: i64,
        right: i64,
        answered: i64,
    },
    Over,
    Nobody,
    Winner {
        names: Vec<String>,
        points: i64,
    },
    Stopped {
        number: u32,
        total: u32,
    },
    Failed,
    /// The round's source has no question left to ask (content changed under it).
    NoQuestions,
    Interrupted,
    Resent,
    Closed,
    Points {
        points: i64,
    },
    /// Under a round question on platforms without a native timer.
    Countdown {
        seconds: u32,
        answered: i64,
    },
    TimeUp {
        letter: char,
    },
}

localized!(RoundMsg);

impl RoundMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RoundMsg::*;
        match self {
            Size { asked, max } => write!(
                f,
                "A round has 1 to {max} questions, not {asked}. Try /round 5 or /round 10 networking."
            ),
            GroupOnly => write!(
                f,
                "Quiz rounds are for groups: send /round in a group chat (or use /quiz here)."
            ),
            Running { number, total } => write!(
                f,
                "A round is already running here (question {number} of {total}). /round stop ends it."
            ),
            NotRunning => write!(f, "No round is running here. Start one with /round."),
            StopNotAllowed => write!(
                f,
                "Only the member who started the round or a chat admin can stop it."
            ),
            Started {
                total,
                source,
                secs,
                start,
            } => write!(
                f,
                "Quiz round: {total} {} from {source}, {secs} seconds each. A right answer scores \
                 up to 1000 points, the faster the more; only your first answer to each question \
                 counts. The first question comes in {start} seconds.",
                if *total == 1 { "question" } else { "questions" }
            ),
            SourceCovered => write!(f, "the topics this chat has covered"),
            QuestionHeading {
                number,
                total,
                topic,
            } => write!(f, "Question {number} of {total} · {topic}"),
            AnswerWas { letter, option } => {
                write!(f, "Time's up! The answer was {letter}: {option}")
            }
            QuestionStats {
                right: _,
                answered: 0,
            } => write!(f, "Nobody answered this one."),
            QuestionStats { right, answered } => {
                write!(f, "{right} of {answered} answered right.")
            }
            Fastest { name, points } => {
                write!(f, "Fastest right answer: {name} (+{points}).")
            }
            ScoresAfter { number, total } => {
                write!(f, "Scores after question {number} of {total}")
            }
            ScoreRow {
                rank,
                name,
                points,
                right,
                answered,
            } => write!(
                f,
                "{rank}. {name}: {points} {} ({right} of {answered} right)",
                plural(*points, "point")
            ),
            Over => write!(f, "Round over! Final scores"),
            Nobody => write!(f, "Nobody answered in this round."),
            Winner { names, points } => match names.as_slice() {
                [one] => write!(f, "Winner: {one} with {points} points!"),
                many => write!(f, "Winners: {} with {points} points each!", many.join(", ")),
            },
            Stopped { number, total } => {
                write!(f, "Round stopped after question {number} of {total}.")
            }
            Failed => write!(
                f,
                "The round stopped: a message could not be sent here. The scores so far are kept."
            ),
            NoQuestions => write!(
                f,
                "The round ended: there is no question left to ask from its topics. The scores so \
                 far are kept."
            ),
            Interrupted => write!(
                f,
                "The round was interrupted (the bot was offline) and ends here. The scores so far \
                 are kept."
            ),
            Resent => write!(f, "Sent again after a restart."),
            Closed => write!(
                f,
                "Time's up for this question: answers no longer count. Wait for the next one."
            ),
            Points { points } => write!(f, "Round: +{points} {}", plural(*points, "point")),
            Countdown { seconds, answered } => {
                write!(f, "{seconds} s left · {answered} answered")
            }
            TimeUp { letter } => write!(f, "Time's up · the answer was {letter}"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RoundMsg::*;
        match self {
            Size { asked, max } => write!(
                f,
                "Ek round mein 1 se {max} sawaal hote hain, {asked} nahi. /round 5 ya /round 10 \
                 networking try karo."
            ),
            GroupOnly => write!(
                f,
                "Quiz rounds groups ke liye hain: group chat mein /round bhejo (ya yahan /quiz use \
                 karo)."
            ),
            Running { number, total } => write!(
                f,
                "Yahan ek round pehle se chal raha hai ({total} mein se sawaal {number}). /round \
                 stop se khatam karo."
            ),
            NotRunning => write!(f, "Yahan koi round nahi chal raha. /round se shuru karo."),
            StopNotAllowed => write!(
                f,
                "Round sirf wahi member rok sakta hai jisne shuru kiya, ya koi chat admin."
            ),
            Started {
                total,
                source,
                secs,
                start,
            } => write!(
                f,
                "Quiz round: {source} se {total} sawaal, har ek ke liye {secs} seconds. Sahi jawab \
                 pe 1000 points tak milte hain, jitna jaldi utne zyada; har sawaal pe sirf tumhara \
                 pehla jawab count hota hai. Pehla sawaal {start} seconds mein aayega."
            ),
            SourceCovered => write!(f, "is chat ke padhe hue topics"),
            QuestionHeading {
                number,
                total,
                topic,
            } => write!(f, "Sawaal {number}/{total} · {topic}"),
            AnswerWas { letter, option } => {
                write!(f, "Time khatam! Sahi jawab tha {letter}: {option}")
            }
            QuestionStats {
                right: _,
                answered: 0,
            } => write!(f, "Is sawaal ka kisi ne jawab nahi diya."),
            QuestionStats { right, answered } => {
                write!(f, "{answered} mein se {right} ne sahi jawab diya.")
            }
            Fastest { name, points } => write!(f, "Sabse tez sahi jawab: {name} (+{points})."),
            ScoresAfter { number, total } => write!(f, "Sawaal {number}/{total} ke baad scores"),
            ScoreRow {
                rank,
                name,
                points,
                right,
                answered,
            } => write!(
                f,
                "{rank}. {name}: {} ({answered} mein se {right} sahi)",
                Lang::Hinglish.count(*points, "point", "points")
            ),
            Over => write!(f, "Round khatam! Final scores"),
            Nobody => write!(f, "Is round mein kisi ne jawab nahi diya."),
            Winner { names, points } => match names.as_slice() {
                [one] => write!(f, "Winner: {one}, {points} points ke saath!"),
                many => write!(f, "Winners: {}, sabke {points} points!", many.join(", ")),
            },
            Stopped { number, total } => write!(
                f,
                "Round {total} mein se sawaal {number} ke baad rok diya gaya."
            ),
            Failed => write!(
                f,
                "Round ruk gaya: yahan ek message nahi bhej paya. Ab tak ke scores save hain."
            ),
            NoQuestions => write!(
                f,
                "Round khatam: iske topics mein poochhne ko koi sawaal nahi bacha. Ab tak ke \
                 scores save hain."
            ),
            Interrupted => write!(
                f,
                "Round beech mein ruk gaya (bot offline tha) aur yahin khatam hota hai. Ab tak ke \
                 scores save hain."
            ),
            Resent => write!(f, "Restart ke baad dobara bheja."),
            Closed => write!(
                f,
                "Is sawaal ka time khatam: ab jawab count nahi honge. Agle sawaal ka wait karo."
            ),
            Points { points } => write!(
                f,
                "Round: +{}",
                Lang::Hinglish.count(*points, "point", "points")
            ),
            Countdown { seconds, answered } => {
                write!(f, "{seconds} s baaki · {answered} ne jawab diya")
            }
            TimeUp { letter } => write!(f, "Time khatam · sahi jawab tha {letter}"),
        }
    }
}
