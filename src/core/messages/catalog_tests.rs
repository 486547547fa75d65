//! The whole catalog in both languages: a sample of every variant of every feature's messages,
//! rendered in English and Hinglish, within the platforms' limits. A variant without a sample
//! fails `every_variant_has_a_sample` (the count comes from `strum::EnumCount`); a variant
//! without a Hinglish form does not compile (the `hinglish` matches are exhaustive).

use super::*;
use crate::core::status::TopicStatus;
use crate::store::Forgotten;
use std::collections::HashSet;
use std::mem::discriminant;
use strum::EnumCount;

/// The longest display name we store (see `core::usecases::NAME_CHARS`).
fn name() -> String {
    "N".repeat(64)
}

/// A long section or topic title.
fn title() -> String {
    "Consensus and leader election (Raft, Paxos, and what they cost)".to_string()
}

/// User text echoed back in an error: clipped to [`ECHO_CHARS`].
fn echo() -> String {
    clip(&"x".repeat(200), ECHO_CHARS)
}

fn general() -> Vec<GeneralMsg> {
    use GeneralMsg::*;
    vec![
        Welcome {
            name: name(),
            topics: 321,
            sections: 21,
        },
        HelpIntro,
        HelpAdminNote,
        UnknownCommand(echo()),
        NotACommand,
        TooLong { max: 1000 },
        MissingArgument {
            command: "schedule",
        },
        QueryTooLong {
            command: "topic",
            max: 100,
        },
        NotAnOption(echo()),
        UnknownTimezone(echo()),
        BadTime(echo()),
        AdminOnly,
        SlowDown { secs: 30 },
        Internal,
    ]
}

fn schedule() -> Vec<ScheduleMsg> {
    use ScheduleMsg::*;
    vec![
        BadSchedule(echo()),
        ScheduleTooOften,
        Subscribed {
            at: "08:30".into(),
            timezone: "America/Argentina/ComodRivadavia".into(),
        },
        Scheduled {
            expr: "30 8 * * 1-5".into(),
            timezone: "Asia/Kolkata".into(),
        },
        NextPush {
            when: Some("Mon 2026-03-02 08:30".into()),
        },
        NextPush { when: None },
        DailyTopic,
        ReviewPush,
        Unsubscribed,
        NotSubscribed,
        TimezoneSet {
            timezone: "Asia/Kolkata".into(),
        },
    ]
}

fn topic() -> Vec<TopicMsg> {
    use TopicMsg::*;
    let mut all = vec![
        TopicPosition {
            section: title(),
            index: 120,
            total: 321,
        },
        KeyPoints,
        Example,
        Pitfalls,
        OutlineNotice,
        NoMatch(echo()),
        OtherMatches,
        EndOfCurriculum,
        MovedTo { title: title() },
        NotAStatus(echo()),
        MarkedSection {
            section: title(),
            done: 3,
            total: 12,
        },
        ButtonDone,
        ButtonLater,
        ButtonSkip,
        ButtonQuizMe,
        ButtonNextTopic,
    ];
    all.extend(TopicStatus::ALL.map(|status| Marked {
        title: title(),
        status,
    }));
    all
}

fn round() -> Vec<RoundMsg> {
    use RoundMsg::*;
    vec![
        Size {
            asked: echo(),
            max: 20,
        },
        GroupOnly,
        Running {
            number: 3,
            total: 10,
        },
        NotRunning,
        StopNotAllowed,
        Started {
            total: 1,
            source: title(),
            secs: 30,
            start: 5,
        },
        SourceCovered,
        QuestionHeading {
            number: 3,
            total: 10,
            topic: title(),
        },
        AnswerWas {
            letter: 'C',
            option: "o".repeat(100),
        },
        QuestionStats {
            right: 0,
            answered: 0,
        },
        QuestionStats {
            right: 2,
            answered: 7,
        },
        Fastest {
            name: name(),
            points: 987,
        },
        ScoresAfter {
            number: 3,
            total: 10,
        },
        ScoreRow {
            rank: 1,
            name: name(),
            points: 1,
            right: 1,
            answered: 10,
        },
        Over,
        Nobody,
        Winner {
            names: vec![name()],
            points: 4200,
        },
        Winner {
            names: vec![name(); 10],
            points: 4200,
        },
        Stopped {
            number: 3,
            total: 10,
        },
        Failed,
        NoQuestions,
        Interrupted,
        Resent,
        Closed,
        Points { points: 1 },
        Countdown {
            seconds: 25,
            answered: 1,
        },
        TimeUp { letter: 'A' },
    ]
}

fn quiz() -> Vec<QuizMsg> {
    use QuizMsg::*;
    vec![
        QuizIntro { topic: title() },
        AnswerHint,
        NoQuestions { topic: title() },
        NoQuizYet,
        AlreadyAnswered { letter: 'B' },
        QuizAnswered { count: 0 },
        QuizAnswered { count: 1 },
        QuizAnswered { count: 12 },
        Correct { xp: 15 },
        Wrong {
            letter: 'D',
            option: "o".repeat(100),
        },
        ExplanationLine("e".repeat(200)),
    ]
}

fn streak() -> Vec<StreakMsg> {
    use StreakMsg::*;
    vec![
        Line {
            current: 1,
            longest: 40,
            freezes: 2,
        },
        Line {
            current: 5,
            longest: 40,
            freezes: 0,
        },
        NeedsToday,
        DoneToday,
        Started,
        Extended { days: 5 },
        FreezeUsed { used: 1 },
        FreezeUsed { used: 2 },
        FreezeEarned,
        Restarted,
    ]
}

fn stats() -> Vec<StatsMsg> {
    use StatsMsg::*;
    vec![
        ProgressTitle,
        ProgressRow {
            section: title(),
            done: 3,
            total: 12,
            answered: 1,
            accuracy: Some(100),
        },
        ProgressRow {
            section: title(),
            done: 0,
            total: 12,
            answered: 0,
            accuracy: None,
        },
        ProgressDone {
            done: 30,
            total: 321,
        },
        ProgressDue,
        ProgressDueMore { more: 4 },
        ProgressSkipped { count: 1 },
        ProgressTotal {
            answered: 120,
            accuracy: Some(83),
            xp: 1500,
        },
        ProgressEmpty,
        LeaderboardWeek,
        LeaderboardAllTime,
        LeaderRow {
            rank: 10,
            name: name(),
            xp: 12_345,
            answers: 1,
        },
        LeaderboardEmpty,
    ]
}

fn card() -> Vec<CardMsg> {
    use CardMsg::*;
    vec![
        ProgressTitle { name: name() },
        ProgressSubtitle {
            xp: 1500,
            answered: 120,
            accuracy: Some(83),
            streak: 1,
            longest: 12,
        },
        CalendarTitle { weeks: 12 },
        StudyDays { days: 1 },
        AnswersInPeriod { answers: 42 },
        SectionsTitle,
        LegendLess,
        LegendMore,
        ProgressCaption {
            day: "30 September 2026".into(),
        },
        LeaderboardTitle,
        LeaderboardSubtitle {
            week_start: "28 September 2026".into(),
        },
        LeaderboardCaption,
    ]
}

fn export() -> Vec<ExportMsg> {
    use ExportMsg::*;
    vec![
        ExportDone {
            answers: 1,
            missed: 0,
        },
        ExportDone {
            answers: 120,
            missed: 17,
        },
        ExportEmpty,
        ExportInPrivate,
        ExportCsvCaption,
        ExportAnkiCaption,
        FileSaved {
            what: "All your answers (CSV)".into(),
            path: format!("/home/{}/studybot-answers-2026-03-02.csv", "u".repeat(60)),
        },
        FileNotSaved {
            path: "/read-only/studybot-answers-2026-03-02.csv".into(),
            error: "Permission denied (os error 13)".into(),
        },
        FilesErased { count: 3 },
        FileNotErased("/tmp/progress-2026-03-02.png: busy".into()),
    ]
}

fn forget() -> Vec<ForgetMsg> {
    use ForgetMsg::*;
    let every = Forgotten {
        answers: 120,
        round_scores: 3,
        review_cards: 80,
        review_log: 200,
        reminders: 1,
        topic_statuses: 12,
        private_chats: 1,
        subscriptions: 1,
        pushes: 40,
        quizzes: 60,
        topics_seen: 41,
        unnamed: 2,
        decks: 2,
    };
    vec![
        ForgetAsk,
        ForgetDone(every),
        ForgetDone(Forgotten::default()),
        ForgetNotAsked,
        ButtonForgetYes,
    ]
}

fn link() -> Vec<LinkMsg> {
    use crate::core::context::Platform::{Console, Discord, Telegram};
    use LinkMsg::*;
    let side = |platforms, streak| LinkSide {
        platforms,
        streak,
        xp: 1250,
        answers: 140,
        review_cards: 1,
        topic_marks: 12,
    };
    vec![
        CodeIssued {
            code: "ABCD2345".into(),
            minutes: 10,
        },
        PrivateOnly,
        NotACode,
        WrongCode { tries_left: 1 },
        Expired { tries_left: 4 },
        LockedOut { minutes: 60 },
        AlreadyLinked,
        SamePlatform(Telegram),
        Confirm(Box::new(LinkPreview {
            code: "ABCD2345".into(),
            here: side(vec![Discord], 1),
            there: side(vec![Console, Telegram], 12),
            streak: 12,
        })),
        ButtonLink,
        Linked {
            platforms: vec![Telegram, Discord],
            streak: 1,
            xp: 2500,
        },
        NotLinked,
        Unlinked(Discord),
        ForgetEverywhere(vec![Telegram, Discord]),
        ForgottenEverywhere(vec![Telegram, Discord]),
    ]
}

fn review() -> Vec<ReviewMsg> {
    use ReviewMsg::*;
    vec![
        ReviewIntro {
            due: 12,
            topic: title(),
        },
        ReviewNoCards,
        ReviewNothingDue {
            when: "Tue 3 March".into(),
            timezone: "Asia/Kolkata".into(),
        },
        ReviewAllDone {
            when: "Tue 3 March".into(),
            timezone: "Asia/Kolkata".into(),
        },
        ReviewInPrivate,
        RemindSet {
            at: "19:00".into(),
            timezone: "Asia/Kolkata".into(),
        },
        RemindOff,
        RemindWasOff,
        RemindTelegramOnly,
        ReviewReminder { cards: 1 },
        ButtonReview,
    ]
}

fn language() -> Vec<LanguageMsg> {
    use LanguageMsg::*;
    let mut all = vec![Unknown(echo())];
    for lang in Lang::ALL {
        all.extend([
            Current { lang },
            PersonalSet { lang },
            PersonalSetInGroup { lang },
            ChatSet { lang },
        ]);
    }
    all
}

/// A deck id at its longest (40 characters, see `core::deck::DeckId`).
fn deck_id() -> String {
    format!("backend-{}", "x".repeat(32))
}

fn deck() -> Vec<DeckMsg> {
    use DeckMsg::*;
    let mut all = vec![
        ListHeading,
        ListHint,
        Using { title: title() },
        BackToCurriculum,
        Unknown(echo()),
        BadId(echo()),
        IdIsCurriculum,
        Removed { id: deck_id() },
        RemoveNotAllowed,
        OwnerOnly,
        Imported {
            id: deck_id(),
            title: title(),
            questions: 120,
        },
        Replaced {
            id: deck_id(),
            title: title(),
            questions: 120,
            kept: 40,
            retired: 3,
        },
        Invalid { problems: 1 },
        Invalid { problems: 14 },
        MoreProblems { more: 4 },
        ImportHow,
        TooBig {
            bytes: 2_500_000,
            max: 1_048_576,
        },
        IdTaken(deck_id()),
        DownloadFailed,
        ExportCaption { id: deck_id() },
        DailyQuestion { title: title() },
        ProgressHeading,
        ProgressLine {
            title: title(),
            answered: 1,
            percent: 100,
        },
        ProgressLine {
            title: title(),
            answered: 37,
            percent: 62,
        },
        CannotRead {
            path: "/home/learner/decks/sql-joins.csv".into(),
            error: "No such file or directory (os error 2)".into(),
        },
    ];
    for current in [false, true] {
        all.push(ListCurriculum {
            questions: 1284,
            current,
        });
        for (questions, public) in [(1, false), (250, true)] {
            all.push(ListDeck {
                id: deck_id(),
                title: title(),
                questions,
                current,
                public,
            });
        }
    }
    all
}

fn report() -> Vec<ReportMsg> {
    use ReportMsg::*;
    let mut all = vec![
        Button,
        AskReason,
        ReasonWrongAnswer,
        ReasonUnclear,
        ReasonOutdated,
        ReasonTypo,
        Thanks,
        AlreadyReported,
        NoQuiz,
        Gone,
        TooMany { per_day: 20 },
        NoReports,
        Reason {
            count: 3,
            // The longest reason kept (`report::REASON_CHARS`).
            reason: "r".repeat(200),
        },
    ];
    for (count, stale) in [(1, false), (12, true)] {
        all.push(Question {
            source: format!("deck:{}", deck_id()),
            index: 41,
            count,
            stale,
            prompt: "p".repeat(300),
        });
    }
    all
}

/// Whether the samples hold every variant of `T` (`count` of them).
fn covers<T>(samples: &[T], count: usize) -> bool {
    samples
        .iter()
        .map(discriminant)
        .collect::<HashSet<_>>()
        .len()
        == count
}

/// Every sample of every feature, as [`Msg`].
fn all_samples() -> Vec<Msg> {
    let mut all: Vec<Msg> = Vec::new();
    all.extend(general().into_iter().map(Msg::from));
    all.extend(schedule().into_iter().map(Msg::from));
    all.extend(topic().into_iter().map(Msg::from));
    all.extend(round().into_iter().map(Msg::from));
    all.extend(quiz().into_iter().map(Msg::from));
    all.extend(streak().into_iter().map(Msg::from));
    all.extend(stats().into_iter().map(Msg::from));
    all.extend(card().into_iter().map(Msg::from));
    all.extend(export().into_iter().map(Msg::from));
    all.extend(forget().into_iter().map(Msg::from));
    all.extend(review().into_iter().map(Msg::from));
    all.extend(link().into_iter().map(Msg::from));
    all.extend(language().into_iter().map(Msg::from));
    all.extend(deck().into_iter().map(Msg::from));
    all.extend(report().into_iter().map(Msg::from));
    all
}

#[test]
fn every_variant_has_a_sample() {
    assert!(covers(&general(), GeneralMsg::COUNT), "GeneralMsg");
    assert!(covers(&schedule(), ScheduleMsg::COUNT), "ScheduleMsg");
    assert!(covers(&topic(), TopicMsg::COUNT), "TopicMsg");
    assert!(covers(&round(), RoundMsg::COUNT), "RoundMsg");
    assert!(covers(&quiz(), QuizMsg::COUNT), "QuizMsg");
    assert!(covers(&streak(), StreakMsg::COUNT), "StreakMsg");
    assert!(covers(&stats(), StatsMsg::COUNT), "StatsMsg");
    assert!(covers(&card(), CardMsg::COUNT), "CardMsg");
    assert!(covers(&export(), ExportMsg::COUNT), "ExportMsg");
    assert!(covers(&forget(), ForgetMsg::COUNT), "ForgetMsg");
    assert!(covers(&review(), ReviewMsg::COUNT), "ReviewMsg");
    assert!(covers(&language(), LanguageMsg::COUNT), "LanguageMsg");
    assert!(covers(&link(), LinkMsg::COUNT), "LinkMsg");
    assert!(covers(&deck(), DeckMsg::COUNT), "DeckMsg");
    assert!(covers(&report(), ReportMsg::COUNT), "ReportMsg");
    // And every feature enum is in `Msg` (a new feature's enum gets a variant and samples).
    let features: HashSet<_> = all_samples().iter().map(discriminant).collect();
    assert_eq!(features.len(), 15);
}

/// Discord's message content limit, the smallest of the platforms' text limits (Telegram: 4096).
const MESSAGE_LIMIT: usize = 2000;
/// Discord's button label limit.
const BUTTON_LIMIT: usize = 80;
/// Telegram's caption limit for a photo or document.
const CAPTION_LIMIT: usize = 1024;

/// The variant's name, from its debug form (`Msg::Quiz(Correct { .. })` → `Correct`).
fn variant_name(m: &Msg) -> String {
    let debug = format!("{m:?}");
    let inner = debug
        .split_once('(')
        .map_or(debug.as_str(), |(_, rest)| rest);
    inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Button labels not named `Button…`: the report button and the reasons it offers.
fn is_button_label(m: &Msg) -> bool {
    use crate::core::report::ReportReason;
    matches!(m, Msg::Report(ReportMsg::Button)) || ReportReason::ALL.iter().any(|r| r.label() == *m)
}

#[test]
fn every_message_renders_in_both_languages_within_the_platforms_limits() {
    for m in all_samples() {
        let name = variant_name(&m);
        for lang in Lang::ALL {
            let text = m.render(lang);
            let chars = text.chars().count();
            assert!(!text.trim().is_empty(), "{name} is empty in {lang}");
            assert!(chars <= MESSAGE_LIMIT, "{name} in {lang}: {chars} chars");
            if name.starts_with("Button") || is_button_label(&m) {
                assert!(chars <= BUTTON_LIMIT, "{name} in {lang}: {text}");
            }
            if name.ends_with("Caption") {
                assert!(chars <= CAPTION_LIMIT, "{name} in {lang}: {text}");
            }
            assert!(!text.contains("{}"), "{name} in {lang} has a hole: {text}");
        }
    }
}

/// Texts that read the same in both (English terms kept as they are, or only values).
const SAME_IN_BOTH: &[&str] = &[
    "HelpIntro",
    "KeyPoints",
    "Example",
    "ButtonSkip",
    "QuizIntro",
    "ExplanationLine",
    "ProgressTitle",
    "LeaderboardTitle",
    // "Section: 3/12 done" with no answers yet.
    "ProgressRow",
    // "Round: +1 point": a score.
    "Points",
    // "Report" and "Typo" are the words Hinglish speakers use; "Decks" a heading.
    "Button",
    "ReasonTypo",
    "ProgressHeading",
    // "3 × typo": a count and the stored reason.
    "Reason",
    // "sql: SQL joins (12 questions)": only values and English terms, unless it is the track.
    "ListDeck",
    // "deck:sql #3: 1 report: <prompt>": values and English terms, unless it is stale.
    "Question",
];

#[test]
fn hinglish_is_not_english_copied() {
    for m in all_samples() {
        let name = variant_name(&m);
        let (en, hi) = (m.render(Lang::English), m.render(Lang::Hinglish));
        if SAME_IN_BOTH.contains(&name.as_str()) {
            continue;
        }
        assert_ne!(en, hi, "{name} has no Hinglish of its own");
    }
}

#[test]
fn plurals_are_right_in_both_languages() {
    let streak = |current| {
        Msg::from(StreakMsg::Line {
            current,
            longest: 9,
            freezes: 0,
        })
    };
    assert!(streak(1).english().starts_with("Streak: 1 day (longest"));
    assert!(streak(5).english().starts_with("Streak: 5 days (longest"));
    assert!(
        streak(1)
            .render(Lang::Hinglish)
            .starts_with("Streak: 1 din ")
    );
    assert!(
        streak(5)
            .render(Lang::Hinglish)
            .starts_with("Streak: 5 din ")
    );
    let extended = Msg::from(StreakMsg::Extended { days: 5 });
    assert_eq!(extended.english(), "Streak: 5 days.");
    assert_eq!(
        extended.render(Lang::Hinglish),
        "Tumhari streak 5 din ki ho gayi."
    );
    let answered = |count| Msg::from(QuizMsg::QuizAnswered { count });
    assert_eq!(answered(1).english(), "1 person has answered.");
    assert_eq!(answered(3).english(), "3 people have answered.");
    assert_eq!(
        answered(1).render(Lang::Hinglish),
        "1 insaan ne jawab diya hai."
    );
    assert_eq!(
        answered(3).render(Lang::Hinglish),
        "3 logon ne jawab diya hai."
    );
    let correct = Msg::from(QuizMsg::Correct { xp: 10 });
    assert_eq!(correct.render(Lang::Hinglish), "Sahi jawab! +10 XP");
    // The verb agrees with the days a freeze covered ("kiya", "kiye").
    let freeze = |used| Msg::from(StreakMsg::FreezeUsed { used }).render(Lang::Hinglish);
    assert_eq!(freeze(1), "Ek freeze ne 1 chhoota hua din cover kiya.");
    assert_eq!(freeze(2), "Ek freeze ne 2 chhoote hue din cover kiye.");
    // English terms keep their English plural, and only for more than one.
    let skipped = |count| Msg::from(StatsMsg::ProgressSkipped { count }).render(Lang::Hinglish);
    assert_eq!(skipped(1), "Skip kiye: 1 topic.");
    assert_eq!(skipped(3), "Skip kiye: 3 topics.");
    let more = Msg::from(StatsMsg::ProgressDueMore { more: 1 }).render(Lang::Hinglish);
    assert_eq!(more, "…aur 1 topic.");
    let one_left = Msg::from(ForgetMsg::ForgetDone(Forgotten {
        unnamed: 1,
        ..Forgotten::default()
    }))
    .render(Lang::Hinglish);
    assert!(
        one_left.contains(" 1 quiz ya round wahin rahega,"),
        "{one_left}"
    );
}
