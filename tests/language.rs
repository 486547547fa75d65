//! /language through the core on a real SQLite file: switching, persistence across a restart,
//! a group's language against a member's own, ephemeral replies, and the platform's hint.

mod support;

use studybot::core::messages::{LanguageMsg, QuizMsg, StreakMsg};
use studybot::core::quiz::OptionLetter;
use studybot::core::{App, Capabilities, Command, Ctx, Lang, Msg, Reply, Timezone};
use studybot::store::Store;
use support::*;

const NOW: &str = "2026-03-02T10:00:00Z";

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

async fn say(app: &App, ctx: &Ctx, text: &str) -> String {
    app.respond_text(ctx, text, &Default::default())
        .await
        .unwrap_or_else(|| panic!("no reply to {text}"))
        .plain_text()
}

fn streak_line(lang: Lang) -> String {
    Msg::Streak(StreakMsg::Line {
        current: 0,
        longest: 0,
        freezes: 0,
    })
    .render(lang)
}

/// A Discord member: replies can be shown to them alone.
fn on_discord(ctx: Ctx) -> Ctx {
    Ctx {
        caps: Capabilities {
            private_replies: true,
            ..ctx.caps
        },
        ..ctx
    }
}

both_engines! {
#[tokio::test]
async fn a_learner_switches_to_hinglish_and_the_choice_survives_a_restart() {
    let (_dir, store, url) = temp_store().await;
    let app = app_with(store.clone(), Timezone::UTC);
    let ana = private("ana", NOW);
    assert!(
        say(&app, &ana, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );

    let set = say(&app, &ana, "/language hinglish").await;
    assert_eq!(
        set,
        Msg::Language(LanguageMsg::PersonalSet {
            lang: Lang::Hinglish
        })
        .render(Lang::Hinglish)
    );
    assert!(
        say(&app, &ana, "/streak")
            .await
            .starts_with(&streak_line(Lang::Hinglish))
    );

    // A new process on the same file.
    store.close().await;
    let app = app_with(Store::open(&url).await.unwrap(), Timezone::UTC);
    assert!(
        say(&app, &ana, "/streak")
            .await
            .starts_with(&streak_line(Lang::Hinglish))
    );
    assert_eq!(
        say(&app, &ana, "/language").await,
        Msg::Language(LanguageMsg::Current {
            lang: Lang::Hinglish
        })
        .render(Lang::Hinglish)
    );
    // Errors come in the learner's language too.
    assert_eq!(
        say(&app, &ana, "/answer").await,
        "Aise likho: /answer <A-D>"
    );

    say(&app, &ana, "/language english").await;
    assert!(
        say(&app, &ana, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );
}
}

both_engines! {
#[tokio::test]
async fn an_unknown_language_is_refused_with_the_choices() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = private("ana", NOW);
    let refused = say(&app, &ana, "/language klingon").await;
    assert_eq!(
        refused,
        "\"klingon\" is not a language I speak. Choose one: /language english | hinglish"
    );
    // Nothing changed.
    assert!(
        say(&app, &ana, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );
    assert_eq!(
        say(&app, &ana, "/language").await,
        "I speak English here. To change it: /language english | hinglish"
    );
}
}

both_engines! {
#[tokio::test]
async fn a_group_admin_sets_the_groups_language_and_a_members_own_choice_stays_personal() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let admin = member("g1", "gita", true, NOW);
    let ben = member("g1", "ben", false, NOW);
    let ben_alone = private("ben", NOW);

    // A member (not an admin) choosing in the group: their own choice, the group unchanged.
    let own = say(&app, &ben, "/language hinglish").await;
    assert_eq!(
        own,
        Msg::Language(LanguageMsg::PersonalSetInGroup {
            lang: Lang::Hinglish
        })
        .render(Lang::English),
        "on Telegram the group sees the confirmation, in the group's language"
    );
    assert!(
        say(&app, &ben, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );
    assert!(
        say(&app, &ben_alone, "/streak")
            .await
            .starts_with(&streak_line(Lang::Hinglish))
    );

    // The admin sets the group's language: group messages follow it, for everyone.
    let set = say(&app, &admin, "/language hinglish").await;
    assert_eq!(
        set,
        Msg::Language(LanguageMsg::ChatSet {
            lang: Lang::Hinglish
        })
        .render(Lang::Hinglish)
    );
    let cleo = member("g1", "cleo", false, NOW);
    assert!(
        say(&app, &cleo, "/streak")
            .await
            .starts_with(&streak_line(Lang::Hinglish))
    );

    // Ben switches himself back to English: the group stays Hinglish, his private chat is English.
    say(&app, &ben_alone, "/language english").await;
    assert!(
        say(&app, &ben, "/streak")
            .await
            .starts_with(&streak_line(Lang::Hinglish))
    );
    assert!(
        say(&app, &ben_alone, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );

    // Another group keeps its own (default) language.
    let elsewhere = member("g2", "ben", false, NOW);
    assert!(
        say(&app, &elsewhere, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );
}
}

both_engines! {
#[tokio::test]
async fn an_ephemeral_reply_follows_the_learner_and_a_group_message_the_group() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let admin = on_discord(member("chan", "gita", true, NOW));
    let dora = on_discord(member("chan", "dora", false, NOW));
    say(&app, &admin, "/language english").await;
    // On Discord a member's choice in a channel applies to the replies only they see.
    let own = say(&app, &dora, "/language hinglish").await;
    assert!(own.starts_with("Save ho gaya"), "{own}");

    let quiz = run(&app, &dora, Command::Quiz(None)).await;
    assert_eq!(quiz.lang, Lang::English, "a posted quiz is for the channel");
    let card = quiz.quiz.unwrap();
    let right = OptionLetter::from_index(card.correct).unwrap();
    let verdict = run(
        &app,
        &dora,
        Command::Answer {
            quiz_id: Some(card.quiz_id),
            letter: right,
        },
    )
    .await;
    assert_eq!(verdict.lang, Lang::Hinglish);
    assert!(
        verdict.plain_text().starts_with("Sahi jawab! +"),
        "{}",
        verdict.plain_text()
    );
    // The leaderboard is for the channel: English, the channel's language.
    let board = run(&app, &dora, Command::Leaderboard).await.plain_text();
    assert!(board.contains("This week"), "{board}");

    // A mistake is shown to the member alone: in their language.
    let wrong = say(&app, &dora, "/mark maybe").await;
    assert!(wrong.contains("koi status nahi hai"), "{wrong}");
}
}

both_engines! {
#[tokio::test]
async fn the_platforms_locale_picks_hinglish_until_the_learner_chooses() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let hindi = Ctx {
        lang: Lang::Hinglish,
        ..private("ravi", NOW)
    };
    let welcome = say(&app, &hindi, "/start").await;
    assert!(welcome.starts_with("Namaste ravi!"), "{welcome}");
    assert!(welcome.contains("/language [english|hinglish]: Bot ki language"));
    // In a group the group's language applies (English until an admin sets one).
    let in_group = Ctx {
        lang: Lang::Hinglish,
        ..member("g1", "ravi", false, NOW)
    };
    assert!(
        say(&app, &in_group, "/streak")
            .await
            .starts_with(&streak_line(Lang::English))
    );
    // The learner's choice wins over the locale.
    say(&app, &hindi, "/language english").await;
    assert!(say(&app, &hindi, "/start").await.starts_with("Hi ravi!"));
}
}

both_engines! {
#[tokio::test]
async fn pushes_and_rounds_speak_the_chats_language() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let admin = member("g1", "gita", true, "2026-03-02T08:00:00Z");
    say(&app, &admin, "/language hinglish").await;
    let sub = say(&app, &admin, "/subscribe 09:00 UTC").await;
    assert!(sub.starts_with("Subscribed: is chat ko roz 09:00"), "{sub}");
    let jobs = app
        .schedules()
        .claim_due_pushes(utc("2026-03-02T09:00:30Z"), chrono::Duration::hours(1), 10)
        .await
        .unwrap();
    let push = &jobs.first().expect("a push is due").reply;
    assert_eq!(push.lang, Lang::Hinglish);
    assert!(
        push.plain_text().starts_with("Aaj ka topic"),
        "{}",
        push.plain_text()
    );
    let labels: Vec<&str> = push.buttons.iter().map(|b| b.label.as_str()).collect();
    assert!(labels.contains(&"Ho gaya"), "{labels:?}");

    // A round's announcement and first question heading.
    let started = say(&app, &admin, "/round 2").await;
    assert!(started.starts_with("Quiz round: "), "{started}");
    assert!(started.contains("sawaal"), "{started}");
    let steps = app
        .rounds()
        .due_round_jobs(utc("2026-03-02T08:00:10Z"))
        .await
        .unwrap();
    let step = format!("{:?}", steps.first().expect("a round step").step);
    assert!(step.contains("Sawaal 1/2"), "{step}");
}
}

both_engines! {
#[tokio::test]
async fn a_verdict_names_the_answer_in_the_learners_language() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = private("ana", NOW);
    say(&app, &ana, "/language hinglish").await;
    let quiz = run(&app, &ana, Command::Quiz(None)).await;
    assert!(quiz.plain_text().starts_with("Quiz · "));
    let card = quiz.quiz.unwrap();
    let wrong = OptionLetter::from_index((card.correct + 1) % 4).unwrap();
    let verdict = run(
        &app,
        &ana,
        Command::Answer {
            quiz_id: None,
            letter: wrong,
        },
    )
    .await
    .plain_text();
    let right = OptionLetter::from_index(card.correct).unwrap().as_char();
    let expected = Msg::Quiz(QuizMsg::Wrong {
        letter: right,
        option: card.options[card.correct].clone(),
    })
    .render(Lang::Hinglish);
    assert!(verdict.starts_with(&expected), "{verdict}");
    assert!(
        verdict.contains("Tumhari streak shuru ho gayi: 1 din."),
        "{verdict}"
    );
}
}

both_engines! {
#[tokio::test]
async fn the_progress_and_leaderboard_cards_are_drawn_in_the_learners_language() {
    let (_dir, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = private("ana", NOW);
    let draw = |cmd: Command| {
        let (app, ana) = (&app, &ana);
        async move {
            let r = run(app, ana, cmd).await;
            let file = r.files.first().cloned().unwrap_or_else(|| panic!("{r:?}"));
            (file.caption.unwrap_or_default(), file.bytes)
        }
    };
    let (progress_en, png_en) = draw(Command::ProgressCard).await;
    let (board_en, board_png_en) = draw(Command::LeaderboardCard).await;
    say(&app, &ana, "/language hinglish").await;
    let (progress_hi, png_hi) = draw(Command::ProgressCard).await;
    let (board_hi, board_png_hi) = draw(Command::LeaderboardCard).await;
    assert!(
        progress_en.starts_with("Your progress on 2 March 2026"),
        "{progress_en}"
    );
    assert_eq!(progress_hi, "2 March 2026 tak tumhari progress");
    assert_eq!(board_en, "This chat's leaderboard");
    assert_eq!(board_hi, "Is chat ka leaderboard");
    // The same data drawn with other labels.
    assert_ne!(png_en, png_hi);
    assert_ne!(board_png_en, board_png_hi);
}
}

both_engines! {
#[tokio::test]
async fn deck_and_report_replies_come_in_the_learners_language() {
    use studybot::core::deck::DeckImport;
    use studybot::core::messages::{DeckMsg, GeneralMsg, ReportMsg};
    let (_dir, store, _url) = temp_store().await;
    let app = app_with(store.clone(), Timezone::UTC);
    let ana = private("ana", NOW);
    say(&app, &ana, "/language hinglish").await;
    let hi = |m: Msg| m.render(Lang::Hinglish);

    // An uploaded file: the adapter's hint is English, the learner chose Hinglish.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/example-deck.csv"
    ))
    .unwrap();
    let file = DeckImport {
        file_name: "mock.csv",
        bytes: &bytes,
        id: None,
        title: Some("Mock interview"),
        public: false,
    };
    let imported = app.respond_import(&ana, file).await;
    assert_eq!(imported.lang, Lang::Hinglish);
    let text = imported.plain_text();
    assert!(text.starts_with("Deck mock (Mock interview) "), "{text}");
    assert!(text.contains("import ho gaya"), "{text}");

    let list = say(&app, &ana, "/deck list").await;
    assert!(list.contains(&hi(DeckMsg::ListHeading.into())), "{list}");
    assert!(list.contains("(is chat ka track)"), "{list}");
    assert_eq!(
        say(&app, &ana, "/deck use mock").await,
        hi(DeckMsg::Using {
            title: "Mock interview".into()
        }
        .into())
    );
    assert_eq!(
        say(&app, &ana, "/deck use nope").await,
        hi(DeckMsg::Unknown("nope".into()).into())
    );
    // A usage error shows the Hinglish usage line.
    let usage = say(&app, &ana, "/deck frobnicate").await;
    assert_eq!(
        usage,
        hi(GeneralMsg::MissingArgument { command: "deck" }.into())
    );
    assert!(usage.contains("file ke saath"), "{usage}");

    // A deck question, then a report: the reason buttons and the thanks in Hinglish.
    let quiz = app
        .respond_text(&ana, "/quiz", &Default::default())
        .await
        .unwrap();
    assert!(quiz.quiz.is_some(), "{}", quiz.plain_text());
    let ask = app
        .respond_text(&ana, "/report", &Default::default())
        .await
        .unwrap();
    assert_eq!(ask.plain_text(), hi(ReportMsg::AskReason.into()));
    let labels: Vec<&str> = ask.buttons.iter().map(|b| b.label.as_str()).collect();
    assert!(labels.contains(&"Galat answer"), "{labels:?}");
    assert_eq!(
        say(&app, &ana, "/report answer B hona chahiye").await,
        hi(ReportMsg::Thanks.into())
    );

    // Someone who kept English is answered in English by the same commands.
    let ben = private("ben", NOW);
    assert!(
        say(&app, &ben, "/deck list")
            .await
            .contains(&DeckMsg::ListHeading.render(Lang::English))
    );

    store.close().await;
}
}
