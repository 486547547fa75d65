//! Every sentence the bot says, in one place, so a second UI language can be added without
//! touching the logic. English is the only language so far.

use super::status::TopicStatus;
use std::fmt;

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

/// Longest text we echo back from user input.
pub const ECHO_CHARS: usize = 40;

/// Cuts user text for echoing it back in an error.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
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
    BadSchedule(String),
    ScheduleTooOften,
    AdminOnly,
    // Topics.
    TopicPosition {
        section: String,
        index: usize,
        total: usize,
    },
    KeyPoints,
    Example,
    Pitfalls,
    OutlineNotice,
    NoMatch(String),
    OtherMatches,
    EndOfCurriculum,
    MovedTo {
        title: String,
    },
    // Topic status.
    NotAStatus(String),
    Marked {
        title: String,
        status: TopicStatus,
    },
    MarkedSection {
        section: String,
        done: usize,
        total: usize,
    },
    ButtonDone,
    ButtonLater,
    ButtonSkip,
    // Quiz rounds.
    RoundSize {
        asked: String,
        max: u32,
    },
    RoundGroupOnly,
    RoundRunning {
        number: u32,
        total: u32,
    },
    RoundNotRunning,
    RoundStopNotAllowed,
    RoundStarted {
        total: u32,
        source: String,
        secs: u32,
        start: u32,
    },
    RoundSourceCovered,
    RoundQuestionHeading {
        number: u32,
        total: u32,
        topic: String,
    },
    RoundAnswerWas {
        letter: char,
        option: String,
    },
    RoundQuestionStats {
        right: usize,
        answered: usize,
    },
    RoundFastest {
        name: String,
        points: i64,
    },
    RoundScoresAfter {
        number: u32,
        total: u32,
    },
    RoundScoreRow {
        rank: usize,
        name: String,
        points: i64,
        right: i64,
        answered: i64,
    },
    RoundOver,
    RoundNobody,
    RoundWinner {
        names: Vec<String>,
        points: i64,
    },
    RoundStopped {
        number: u32,
        total: u32,
    },
    RoundFailed,
    RoundInterrupted,
    RoundResent,
    RoundClosed,
    RoundPoints {
        points: i64,
    },
    /// Under a round question on platforms without a native timer.
    RoundCountdown {
        seconds: u32,
        answered: i64,
    },
    RoundTimeUp {
        letter: char,
    },
    // Quizzes.
    QuizIntro {
        topic: String,
    },
    AnswerHint,
    NoQuestions {
        topic: String,
    },
    NoQuizYet,
    AlreadyAnswered {
        letter: char,
    },
    /// How many have answered a quiz, shown under the question where the platform allows edits.
    QuizAnswered {
        count: i64,
    },
    Correct {
        xp: i64,
    },
    Wrong {
        letter: char,
        option: String,
    },
    ExplanationLine(String),
    // Streaks and stats.
    StreakLine {
        current: u32,
        longest: u32,
        freezes: u32,
    },
    StreakNeedsToday,
    StreakDoneToday,
    StreakStarted,
    StreakExtended {
        days: u32,
    },
    StreakFreezeUsed {
        used: u32,
    },
    StreakFreezeEarned,
    StreakRestarted,
    ProgressTitle,
    ProgressRow {
        section: String,
        done: usize,
        total: usize,
        answered: i64,
        accuracy: Option<u32>,
    },
    ProgressDone {
        done: usize,
        total: usize,
    },
    ProgressDue,
    ProgressDueMore {
        more: usize,
    },
    ProgressSkipped {
        count: usize,
    },
    ProgressTotal {
        answered: i64,
        accuracy: Option<u32>,
        xp: i64,
    },
    ProgressEmpty,
    LeaderboardWeek,
    LeaderboardAllTime,
    LeaderRow {
        rank: usize,
        name: String,
        xp: i64,
        answers: i64,
    },
    LeaderboardEmpty,
    // Pictures and exports.
    CardProgressTitle {
        name: String,
    },
    CardProgressSubtitle {
        xp: i64,
        answered: i64,
        accuracy: Option<u32>,
        streak: u32,
        longest: u32,
    },
    CardCalendarTitle {
        weeks: usize,
    },
    CardStudyDays {
        days: usize,
    },
    CardAnswersInPeriod {
        answers: i64,
    },
    CardSectionsTitle,
    CardProgressCaption {
        day: String,
    },
    CardLeaderboardTitle,
    CardLeaderboardSubtitle {
        week_start: String,
    },
    CardLeaderboardCaption,
    ExportDone {
        answers: usize,
        missed: usize,
    },
    ExportEmpty,
    ExportInPrivate,
    ExportCsvCaption,
    ExportAnkiCaption,
    /// The console saved a file a reply carried.
    FileSaved {
        what: String,
        path: String,
    },
    FileNotSaved {
        path: String,
        error: String,
    },
    // Settings.
    Subscribed {
        at: String,
        timezone: String,
    },
    Scheduled {
        expr: String,
        timezone: String,
    },
    NextPush {
        when: Option<String>,
    },
    DailyTopic,
    ReviewPush,
    Unsubscribed,
    NotSubscribed,
    TimezoneSet {
        timezone: String,
    },
    // Forgetting.
    ForgetAsk,
    ForgetDone {
        answers: u64,
    },
    ForgetNotAsked,
    // Buttons.
    ButtonQuizMe,
    ButtonNextTopic,
    ButtonForgetYes,
    // Spaced-repetition review.
    ReviewIntro {
        due: i64,
        topic: String,
    },
    ReviewNoCards,
    ReviewNothingDue {
        when: String,
        timezone: String,
    },
    ReviewAllDone {
        when: String,
        timezone: String,
    },
    ReviewInPrivate,
    RemindSet {
        at: String,
        timezone: String,
    },
    RemindOff,
    RemindWasOff,
    RemindTelegramOnly,
    ReviewReminder {
        cards: i64,
    },
    ButtonReview,
    // Failures.
    Internal,
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Msg::*;
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
            BadSchedule(s) => write!(
                f,
                "\"{s}\" is not a schedule. Use a cron line like \"30 8 * * 1-5\" (08:30 on weekdays) \
                 or /subscribe HH:MM for every day."
            ),
            ScheduleTooOften => write!(
                f,
                "That schedule fires too often; at most one push an hour."
            ),
            TopicPosition {
                section,
                index,
                total,
            } => write!(f, "{section} · topic {index} of {total}"),
            KeyPoints => write!(f, "Key points"),
            Example => write!(f, "Example"),
            Pitfalls => write!(f, "Pitfalls"),
            OutlineNotice => write!(
                f,
                "This topic is still an outline: its explanation and questions are not written yet."
            ),
            NoMatch(q) => write!(
                f,
                "No topic matches \"{q}\". Try fewer or other words, or a section number like 7."
            ),
            OtherMatches => write!(f, "Other matches"),
            EndOfCurriculum => write!(
                f,
                "That was the last topic of the curriculum. Congratulations! Keep the knowledge fresh with /quiz."
            ),
            MovedTo { title } => write!(f, "Moved on to: {title}"),
            NotAStatus(s) => write!(
                f,
                "\"{s}\" is not a status. Use done, later or skip, e.g. /mark done."
            ),
            Marked {
                title,
                status: TopicStatus::Done,
            } => write!(f, "Marked \"{title}\" as done."),
            Marked {
                title,
                status: TopicStatus::Later,
            } => write!(
                f,
                "Marked \"{title}\" for later: /progress lists it as due until you mark it done."
            ),
            Marked {
                title,
                status: TopicStatus::Skip,
            } => write!(f, "Skipped \"{title}\"."),
            MarkedSection {
                section,
                done,
                total,
            } => write!(f, "{section}: {done} of {total} topics done."),
            ButtonDone => write!(f, "Done"),
            ButtonLater => write!(f, "Later"),
            ButtonSkip => write!(f, "Skip"),
            RoundSize { asked, max } => write!(
                f,
                "A round has 1 to {max} questions, not {asked}. Try /round 5 or /round 10 networking."
            ),
            RoundGroupOnly => write!(
                f,
                "Quiz rounds are for groups: send /round in a group chat (or use /quiz here)."
            ),
            RoundRunning { number, total } => write!(
                f,
                "A round is already running here (question {number} of {total}). /round stop ends it."
            ),
            RoundNotRunning => write!(f, "No round is running here. Start one with /round."),
            RoundStopNotAllowed => write!(
                f,
                "Only the member who started the round or a chat admin can stop it."
            ),
            RoundStarted {
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
            RoundSourceCovered => write!(f, "the topics this chat has covered"),
            RoundQuestionHeading {
                number,
                total,
                topic,
            } => write!(f, "Question {number} of {total} · {topic}"),
            RoundAnswerWas { letter, option } => {
                write!(f, "Time's up! The answer was {letter}: {option}")
            }
            RoundQuestionStats {
                right: _,
                answered: 0,
            } => write!(f, "Nobody answered this one."),
            RoundQuestionStats { right, answered } => {
                write!(f, "{right} of {answered} answered right.")
            }
            RoundFastest { name, points } => {
                write!(f, "Fastest right answer: {name} (+{points}).")
            }
            RoundScoresAfter { number, total } => {
                write!(f, "Scores after question {number} of {total}")
            }
            RoundScoreRow {
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
            RoundOver => write!(f, "Round over! Final scores"),
            RoundNobody => write!(f, "Nobody answered in this round."),
            RoundWinner { names, points } => match names.as_slice() {
                [one] => write!(f, "Winner: {one} with {points} points!"),
                many => write!(f, "Winners: {} with {points} points each!", many.join(", ")),
            },
            RoundStopped { number, total } => {
                write!(f, "Round stopped after question {number} of {total}.")
            }
            RoundFailed => write!(
                f,
                "The round stopped: a message could not be sent here. The scores so far are kept."
            ),
            RoundInterrupted => write!(
                f,
                "The round was interrupted (the bot was offline) and ends here. The scores so far \
                 are kept."
            ),
            RoundResent => write!(f, "Sent again after a restart."),
            RoundClosed => write!(
                f,
                "Time's up for this question: answers no longer count. Wait for the next one."
            ),
            RoundPoints { points } => write!(f, "Round: +{points} {}", plural(*points, "point")),
            RoundCountdown { seconds, answered } => {
                write!(f, "{seconds} s left · {answered} answered")
            }
            RoundTimeUp { letter } => write!(f, "Time's up · the answer was {letter}"),
            QuizIntro { topic } => write!(f, "Quiz · {topic}"),
            AnswerHint => write!(f, "Answer with /answer A (or just A) through D."),
            NoQuestions { topic } => write!(
                f,
                "\"{topic}\" has no quiz questions yet (it is still an outline)."
            ),
            NoQuizYet => write!(
                f,
                "There is no quiz to answer here yet. Send /quiz to get one."
            ),
            AlreadyAnswered { letter } => {
                write!(
                    f,
                    "You already answered this one ({letter}). Send /quiz for another question."
                )
            }
            QuizAnswered { count: 0 } => write!(
                f,
                "No answers yet. Pick a letter; only you see whether you were right."
            ),
            QuizAnswered { count: 1 } => write!(f, "1 person has answered."),
            QuizAnswered { count } => write!(f, "{count} people have answered."),
            Correct { xp } => write!(f, "Correct! +{xp} XP"),
            Wrong { letter, option } => write!(f, "Not quite. The answer is {letter}: {option}"),
            ExplanationLine(e) => write!(f, "{e}"),
            StreakLine {
                current,
                longest,
                freezes,
            } => write!(
                f,
                "Streak: {current} day{} (longest {longest}) · freezes held: {freezes}",
                if *current == 1 { "" } else { "s" }
            ),
            StreakNeedsToday => write!(f, "Answer a question today to keep it going."),
            StreakDoneToday => write!(f, "You have studied today."),
            StreakStarted => write!(f, "Your streak has started: 1 day."),
            StreakExtended { days } => write!(f, "Streak: {days} days."),
            StreakFreezeUsed { used } => write!(
                f,
                "A freeze covered {used} missed day{}.",
                if *used == 1 { "" } else { "s" }
            ),
            StreakFreezeEarned => write!(f, "Seven more days: you earned a streak freeze."),
            StreakRestarted => write!(f, "A new streak starts today: 1 day."),
            ProgressTitle => write!(f, "Your progress (topics done / topics, answers, accuracy)"),
            ProgressRow {
                section,
                done,
                total,
                answered,
                accuracy,
            } => {
                write!(f, "{section}: {done}/{total} done")?;
                if *answered > 0 {
                    write!(f, ", {answered} {}", plural(*answered, "answer"))?;
                }
                match accuracy {
                    Some(a) => write!(f, ", {a}% right"),
                    None => Ok(()),
                }
            }
            ProgressDone { done, total } => {
                write!(f, "Topics done: {done} of {total}")?;
                if *total > 0 {
                    write!(f, " ({}%)", (done * 100 + total / 2) / total)?;
                }
                write!(f, ".")
            }
            ProgressDue => write!(f, "Due (marked for later)"),
            ProgressDueMore { more } => write!(f, "…and {more} more."),
            ProgressSkipped { count } => write!(
                f,
                "Skipped: {count} {}.",
                if *count == 1 { "topic" } else { "topics" }
            ),
            ProgressTotal {
                answered,
                accuracy,
                xp,
            } => {
                write!(f, "In all: {answered} {}", plural(*answered, "answer"))?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% right")?;
                }
                write!(f, ", {xp} XP")
            }
            ProgressEmpty => write!(
                f,
                "Nothing yet. Read /today, mark topics with /mark done, or send /quiz to start."
            ),
            LeaderboardWeek => write!(f, "This week"),
            LeaderboardAllTime => write!(f, "All time"),
            LeaderRow {
                rank,
                name,
                xp,
                answers,
            } => write!(
                f,
                "{rank}. {name}: {xp} XP ({answers} {})",
                plural(*answers, "answer")
            ),
            LeaderboardEmpty => write!(f, "Nobody has answered yet."),
            CardProgressTitle { name } => write!(f, "Progress · {name}"),
            CardProgressSubtitle {
                xp,
                answered,
                accuracy,
                streak,
                longest,
            } => {
                write!(f, "{xp} XP · {answered} {}", plural(*answered, "answer"))?;
                if let Some(a) = accuracy {
                    write!(f, ", {a}% right")?;
                }
                write!(
                    f,
                    " · streak {streak} day{} (longest {longest})",
                    if *streak == 1 { "" } else { "s" }
                )
            }
            CardCalendarTitle { weeks } => write!(f, "Study days · the last {weeks} weeks"),
            CardStudyDays { days } => write!(
                f,
                "{days} study {}",
                plural(i64::try_from(*days).unwrap_or(i64::MAX), "day")
            ),
            CardAnswersInPeriod { answers } => {
                write!(f, "{answers} {} in these weeks", plural(*answers, "answer"))
            }
            CardSectionsTitle => write!(f, "Sections · topics quizzed · accuracy"),
            CardProgressCaption { day } => write!(f, "Your progress on {day}"),
            CardLeaderboardTitle => write!(f, "Leaderboard"),
            CardLeaderboardSubtitle { week_start } => write!(
                f,
                "XP from this chat's quizzes · the week started on Monday {week_start}"
            ),
            CardLeaderboardCaption => write!(f, "This chat's leaderboard"),
            ExportDone { answers, missed } => {
                let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
                write!(
                    f,
                    "Your export: {answers} {} as a CSV file",
                    plural(n(*answers), "answer")
                )?;
                match missed {
                    0 => write!(
                        f,
                        ". You have missed no question, so there is no Anki file."
                    ),
                    m => write!(
                        f,
                        ", and the {m} {} you missed as a file Anki imports (File → Import).",
                        plural(n(*m), "question")
                    ),
                }
            }
            ExportEmpty => write!(
                f,
                "Nothing to export yet: you have not answered a question. Send /quiz to start."
            ),
            ExportInPrivate => write!(
                f,
                "Your export is personal: send /export to me in a private chat."
            ),
            ExportCsvCaption => write!(f, "All your answers (CSV)"),
            ExportAnkiCaption => write!(f, "Questions you missed, for Anki"),
            FileSaved { what, path } => write!(f, "{what}: saved to {path}"),
            FileNotSaved { path, error } => write!(f, "Could not save {path}: {error}"),
            Subscribed { at, timezone } => {
                write!(
                    f,
                    "Subscribed: this chat gets the next topic every day at {at} ({timezone})."
                )
            }
            Scheduled { expr, timezone } => {
                write!(
                    f,
                    "Scheduled: this chat gets the next topic on the schedule {expr} ({timezone})."
                )
            }
            NextPush { when: Some(w) } => write!(f, "Next push: {w}"),
            NextPush { when: None } => write!(f, "That schedule never fires again."),
            DailyTopic => write!(f, "Today's topic"),
            ReviewPush => write!(
                f,
                "You have worked through the whole curriculum. Daily pushes now bring a review \
                 question from the topics you covered."
            ),
            Unsubscribed => write!(f, "Unsubscribed: no more daily topics here."),
            NotSubscribed => write!(f, "This chat is not subscribed."),
            TimezoneSet { timezone } => write!(f, "Timezone set to {timezone}."),
            ForgetAsk => write!(
                f,
                "This deletes your answers, streak and XP for good. To confirm, send /forget confirm \
                 within 10 minutes."
            ),
            ForgetDone { answers } => {
                let n = i64::try_from(*answers).unwrap_or(i64::MAX);
                write!(
                    f,
                    "Done: I deleted your data ({answers} {}). Goodbye!",
                    plural(n, "answer")
                )
            }
            ForgetNotAsked => write!(f, "Send /forget first; then confirm within 10 minutes."),
            ButtonQuizMe => write!(f, "Quiz me on this"),
            ButtonNextTopic => write!(f, "Next topic"),
            ButtonForgetYes => write!(f, "Yes, delete my data"),
            ReviewIntro { due, topic } => {
                write!(f, "Review ({due} {} due) · {topic}", plural(*due, "card"))
            }
            ReviewNoCards => write!(
                f,
                "No review cards yet. Every question you answer becomes one and comes back here \
                 just before you would forget it. Try /quiz."
            ),
            ReviewNothingDue { when, timezone } => write!(
                f,
                "Nothing to review now. Your next card is due on {when} ({timezone})."
            ),
            ReviewAllDone { when, timezone } => write!(
                f,
                "All reviews done for today. Your next card is due on {when} ({timezone})."
            ),
            ReviewInPrivate => write!(
                f,
                "Reviews are personal: send /review to me in a private chat."
            ),
            RemindSet { at, timezone } => write!(
                f,
                "Reminder set: on days with reviews due I will message you at {at} ({timezone}). \
                 /remind off stops it."
            ),
            RemindOff => write!(f, "Reminder off."),
            RemindWasOff => write!(f, "You had no reminder set."),
            RemindTelegramOnly => write!(
                f,
                "Review reminders come as a private Telegram message: send /remind to the bot in a \
                 private Telegram chat. Elsewhere, use /review when you like."
            ),
            ReviewReminder { cards } => write!(
                f,
                "{cards} {} due for review today. Send /review to start.",
                plural(*cards, "card")
            ),
            ButtonReview => write!(f, "Review now"),
            Internal => write!(
                f,
                "Sorry, something went wrong on my side. Please try again in a moment."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_marks_cut_text() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("äöüß", 2), "äö…");
    }

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
