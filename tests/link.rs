//! One learner on two platforms (issue 19), through the core on a real SQLite file with fixed
//! instants: the merge rules at day boundaries in two zones, cards and marks joined, wrong and
//! expired codes, the lockout, unlink and forget across both.

mod support;

use sqlx::SqlitePool;
use studybot::core::link::{LinkCode, LinkRequest};
use studybot::core::{App, ChatKind, Command, Ctx, Reply, Timezone, TopicStatus};
use support::*;

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

async fn say(app: &App, ctx: &Ctx, text: &str) -> String {
    let opts = studybot::core::ParseOptions::default();
    app.respond_text(ctx, text, &opts)
        .await
        .map(|r| r.plain_text())
        .unwrap_or_default()
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

/// One quiz on `topic` answered by `ctx` at its instant: right or wrong.
async fn study(app: &App, ctx: &Ctx, topic: Option<&str>, right: bool) -> i64 {
    let r = run(app, ctx, Command::Quiz(topic.map(str::to_string))).await;
    let card = r
        .quiz
        .clone()
        .unwrap_or_else(|| panic!("no quiz: {}", r.plain_text()));
    let cmd = Command::Answer {
        quiz_id: Some(card.quiz_id),
        letter: pick(&card, right),
    };
    run(app, ctx, cmd).await;
    card.quiz_id
}

/// The code `/link` gave, read from its reply.
fn code_in(reply: &str) -> String {
    let after = reply
        .split("Your link code: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no code in {reply}"));
    after.chars().take(8).collect()
}

async fn new_code(app: &App, ctx: &Ctx) -> String {
    code_in(&say(app, ctx, "/link").await)
}

async fn link(app: &App, ctx: &Ctx, code: &str) -> String {
    let preview = say(app, ctx, &format!("/link {code}")).await;
    assert!(preview.starts_with("Join these"), "{preview}");
    say(app, ctx, &format!("/link {code} confirm")).await
}

/// A fresh database and Ana's Telegram private chat and Discord DM, not linked yet.
async fn ana_on_both(now: &str) -> (support::engines::TestDb, App, String, Ctx, Ctx) {
    let (dir, store, url) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    (dir, app, url, private("ana", now), discord_dm("ana", now))
}

async fn count(url: &str, sql: &str) -> i64 {
    support::engines::count(url, sql).await
}

/// Ana on Telegram in Kolkata (UTC+5:30) studied five local days up to 1 March; on Discord in
/// New York (UTC-5) two local days up to 2 March. She makes the code on Telegram and enters it
/// on Discord at `link_at`. Returns the merged /streak as Telegram and Discord show it.
async fn two_zone_link(link_at: &str) -> (String, String, String) {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let tg = private("ana", "2026-02-20T06:00:00Z");
    say(&app, &tg, "/timezone Asia/Kolkata").await;
    for day in 25..=28 {
        study(
            &app,
            &at(&tg, &format!("2026-02-{day}T06:00:00Z")),
            None,
            true,
        )
        .await;
    }
    study(&app, &at(&tg, "2026-03-01T06:00:00Z"), None, true).await;
    let dc = discord_dm("ana", "2026-02-20T06:00:00Z");
    say(&app, &dc, "/timezone America/New_York").await;
    study(&app, &at(&dc, "2026-03-01T15:00:00Z"), None, true).await;
    study(&app, &at(&dc, "2026-03-02T15:00:00Z"), None, true).await;

    let code = new_code(&app, &at(&tg, link_at)).await;
    let done = link(&app, &at(&dc, link_at), &code).await;
    let tg_streak = run(&app, &at(&tg, link_at), Command::Streak)
        .await
        .plain_text();
    let dc_streak = run(&app, &at(&dc, link_at), Command::Streak)
        .await
        .plain_text();
    (done, tg_streak, dc_streak)
}

#[tokio::test]
async fn before_midnight_in_kolkata_both_streaks_live_and_the_longer_one_is_kept() {
    // 18:00 UTC = 23:30 on 2 March in Kolkata: Telegram's last day (1 March) was yesterday.
    let (done, tg, dc) = two_zone_link("2026-03-02T18:00:00Z").await;
    assert!(
        done.contains("one learner on Telegram and Discord"),
        "{done}"
    );
    assert!(done.contains("Streak 5 days"), "{done}");
    for shown in [&tg, &dc] {
        assert!(shown.starts_with("Streak: 5 days (longest 5)"), "{shown}");
    }
}

#[tokio::test]
async fn after_midnight_in_kolkata_the_broken_longer_streak_gives_way_to_the_live_one() {
    // 18:40 UTC = 00:10 on 3 March in Kolkata: 2 March passed without a Telegram answer, while
    // Discord's 2 March is still yesterday there.
    let (done, tg, dc) = two_zone_link("2026-03-02T18:40:00Z").await;
    assert!(done.contains("Streak 2 days"), "{done}");
    for shown in [&tg, &dc] {
        assert!(shown.starts_with("Streak: 2 days (longest 5)"), "{shown}");
    }
}

both_engines! {
#[tokio::test]
async fn linking_sums_xp_joins_cards_per_question_keeps_answers_and_the_later_mark() {
    let (_d, store, url) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let tg = private("ana", "2026-03-02T08:00:00Z");
    let dc = discord_dm("ana", "2026-03-02T09:00:00Z");
    // All three Alpha questions on each side; Discord reviews them later (and wrongly).
    for i in 0..3 {
        study(
            &app,
            &at(&tg, &format!("2026-03-02T08:0{i}:00Z")),
            Some("alpha"),
            true,
        )
        .await;
        study(
            &app,
            &at(&dc, &format!("2026-03-02T09:0{i}:00Z")),
            Some("alpha"),
            false,
        )
        .await;
    }
    let later = TopicStatus::parse("later").unwrap();
    let done = TopicStatus::parse("done").unwrap();
    let mark = |status, topic: &str| Command::Mark {
        status,
        topic: Some(topic.to_string()),
    };
    run(&app, &at(&tg, "2026-03-02T08:30:00Z"), mark(done, "alpha")).await;
    run(&app, &at(&dc, "2026-03-02T09:30:00Z"), mark(later, "alpha")).await;
    run(&app, &at(&dc, "2026-03-02T09:31:00Z"), mark(later, "beta")).await;
    run(&app, &at(&tg, "2026-03-02T09:40:00Z"), mark(done, "beta")).await;
    let xp_tg = user_row(&app, &tg).await.xp;
    let xp_dc = user_row(&app, &dc).await.xp;
    assert!(xp_tg > 0, "right answers earn XP");
    assert_eq!(count(&url, "SELECT COUNT(*) FROM review_cards").await, 6);
    // Telegram reports its first question, Discord its last: two different questions.
    for (ctx, first_or_last) in [(&tg, "MIN"), (&dc, "MAX")] {
        let platform = ctx.platform.as_str();
        let quiz = count(
            &url,
            &format!(
                "SELECT {first_or_last}(q.id) FROM quizzes q JOIN chats c ON c.id = q.chat_id
                 WHERE c.platform = '{platform}'"
            ),
        )
        .await;
        let report = Command::Report {
            quiz_id: Some(quiz),
            reason: Some("the wording is unclear".into()),
        };
        run(&app, &at(ctx, "2026-03-02T09:50:00Z"), report).await;
    }
    let distinct_reports = count(
        &url,
        "SELECT COUNT(*) FROM (SELECT DISTINCT topic_id, question_idx, question_hash FROM reports) d",
    )
    .await;
    assert_eq!(distinct_reports, 2, "two questions reported");

    let now = "2026-03-02T10:00:00Z";
    let code = new_code(&app, &at(&tg, now)).await;
    let preview = say(&app, &at(&dc, now), &format!("/link {code}")).await;
    assert!(preview.contains("Here, Discord: streak 1 day"), "{preview}");
    assert!(
        preview.contains("There, Telegram: streak 1 day"),
        "{preview}"
    );
    assert!(preview.contains("3 review cards"), "{preview}");
    assert!(
        preview.contains(&format!("{} XP (both added)", xp_tg + xp_dc)),
        "{preview}"
    );
    // Nothing joined before the confirmation.
    assert_eq!(count(&url, "SELECT COUNT(*) FROM users").await, 2);
    say(&app, &at(&dc, now), &format!("/link {code} confirm")).await;

    assert_eq!(count(&url, "SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM accounts").await, 2);
    let learner = user_row(&app, &tg).await;
    assert_eq!(learner.id, user_row(&app, &dc).await.id);
    assert_eq!(learner.xp, xp_tg + xp_dc);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM answers").await, 6);
    // One card per question, the one Discord reviewed last (wrongly: rating 1), with the log
    // of both sides attached to it.
    assert_eq!(count(&url, "SELECT COUNT(*) FROM review_cards").await, 3);
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM review_cards WHERE last_rating = 1"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM review_log l JOIN review_cards c ON c.id = l.card_id
             WHERE l.user_id = c.user_id"
        )
        .await,
        6
    );
    // The later mark of each topic.
    let statuses = count(
        &url,
        "SELECT COUNT(*) FROM topic_status WHERE (topic_id = 'alpha' AND status = 'later')
         OR (topic_id = 'beta' AND status = 'done')",
    )
    .await;
    assert_eq!(statuses, 2);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM topic_status").await, 2);
    // Both sides' reports stay with the learner, one per question.
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM reports").await,
        distinct_reports
    );
    assert_eq!(
        count(&url, "SELECT COUNT(DISTINCT user_id) FROM reports").await,
        1
    );
    // PostgreSQL checks every reference as it is written; SQLite is asked.
    let ok: String = if url.starts_with("postgres") {
        "ok".to_string()
    } else {
        let db = SqlitePool::connect(&url).await.unwrap();
        sqlx::query_scalar("PRAGMA foreign_key_check")
            .fetch_optional(&db)
            .await
            .unwrap()
            .unwrap_or_else(|| "ok".to_string())
    };
    assert_eq!(ok, "ok", "no dangling reference");
}
}

both_engines! {
#[tokio::test]
async fn a_card_due_from_telegram_is_served_on_discord_after_linking() {
    let (_d, app, _, tg, dc) = ana_on_both("2026-03-02T08:00:00Z").await;
    study(&app, &tg, Some("beta"), false).await;
    let early = say(&app, &dc, "/review").await;
    assert!(
        early.starts_with("No review cards yet"),
        "nothing yet on Discord: {early}"
    );
    let code = new_code(&app, &tg).await;
    link(&app, &dc, &code).await;
    let served = run(&app, &at(&dc, "2026-03-09T08:00:00Z"), Command::Review).await;
    let card = served
        .quiz
        .clone()
        .unwrap_or_else(|| panic!("no card served: {}", served.plain_text()));
    assert!(card.prompt.starts_with("Beta topic"), "{}", card.prompt);
}
}

both_engines! {
#[tokio::test]
async fn wrong_and_expired_codes_are_refused_and_five_wrong_tries_lock_linking_for_an_hour() {
    let (_d, app, url, tg, dc) = ana_on_both("2026-03-02T08:00:00Z").await;
    let code = new_code(&app, &tg).await;
    assert_eq!(LinkCode::parse(&code).unwrap().as_str(), code);
    let bad = if code == "ABCD2345" {
        "ABCD2346"
    } else {
        "ABCD2345"
    };
    // Malformed text never reaches the store and counts nothing.
    assert!(
        say(&app, &dc, "/link hello")
            .await
            .contains("8 letters and digits")
    );

    let wrong = say(&app, &dc, &format!("/link {bad}")).await;
    assert!(wrong.contains("not right. 4 more wrong tries"), "{wrong}");
    // Eleven minutes later the code has expired: refused, and it counts.
    let late = at(&dc, "2026-03-02T08:11:00Z");
    let expired = say(&app, &late, &format!("/link {code}")).await;
    assert!(expired.contains("has expired"), "{expired}");
    assert!(
        expired.contains("4 more wrong tries"),
        "the first try fell out of the window"
    );
    assert_eq!(count(&url, "SELECT COUNT(*) FROM link_codes").await, 0);

    // A fresh code, then four more wrong tries within ten minutes: locked.
    let code = new_code(&app, &at(&tg, "2026-03-02T08:12:00Z")).await;
    for (i, left) in [3, 2, 1].into_iter().enumerate() {
        let t = at(&dc, &format!("2026-03-02T08:1{}:00Z", 2 + i));
        let r = say(&app, &t, &format!("/link {bad}")).await;
        assert!(r.contains(&format!("{left} more wrong")), "{r}");
    }
    let locked = say(
        &app,
        &at(&dc, "2026-03-02T08:15:00Z"),
        &format!("/link {bad}"),
    )
    .await;
    assert!(
        locked.contains("locked for this account for 60 more minutes"),
        "{locked}"
    );
    // Even the right code is refused while locked...
    let t = at(&dc, "2026-03-02T08:16:00Z");
    let refused = say(&app, &t, &format!("/link {code}")).await;
    assert!(refused.contains("59 more minutes"), "{refused}");
    // ...and an hour after the lock, a new code works.
    let t = "2026-03-02T09:15:00Z";
    let code = new_code(&app, &at(&tg, t)).await;
    let done = link(&app, &at(&dc, t), &code).await;
    assert!(done.starts_with("Linked"), "{done}");
    // A used code is gone: entering it again is a wrong try.
    let again = say(&app, &at(&dc, t), &format!("/link {code}")).await;
    assert!(
        again.contains("already one learner") || again.contains("not right"),
        "{again}"
    );
}
}

both_engines! {
#[tokio::test]
async fn a_code_is_never_given_in_a_group_that_cannot_answer_privately() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let g = member("g1", "ana", false, "2026-03-02T08:00:00Z");
    let r = say(&app, &g, "/link").await;
    assert!(r.contains("private chat"), "{r}");
    assert!(!r.contains("Your link code"));
}
}

both_engines! {
#[tokio::test]
async fn two_accounts_on_one_platform_cannot_be_one_learner() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = private("ana", "2026-03-02T08:00:00Z");
    let bob = private("bob", "2026-03-02T08:00:00Z");
    let code = new_code(&app, &ana).await;
    let r = say(&app, &bob, &format!("/link {code}")).await;
    assert!(r.contains("already has an account on Telegram"), "{r}");
    let self_code = new_code(&app, &bob).await;
    let r = say(&app, &bob, &format!("/link {self_code}")).await;
    assert!(r.contains("already one learner"), "{r}");
}
}

both_engines! {
#[tokio::test]
async fn unlink_gives_this_account_a_copy_and_the_two_go_separate_ways() {
    let (_d, app, url, tg, dc) = ana_on_both("2026-03-02T08:00:00Z").await;
    study(&app, &tg, Some("alpha"), true).await;
    study(&app, &dc, Some("beta"), true).await;
    let code = new_code(&app, &tg).await;
    link(&app, &dc, &code).await;
    let joined = user_row(&app, &tg).await;

    let r = say(&app, &dc, "/unlink").await;
    assert!(r.starts_with("Unlinked: this Discord account"), "{r}");
    let (t, d) = (user_row(&app, &tg).await, user_row(&app, &dc).await);
    assert_ne!(t.id, d.id);
    for u in [&t, &d] {
        assert_eq!((u.xp, u.streak_current), (joined.xp, joined.streak_current));
    }
    // Both keep every card; each keeps the answers given on its platform.
    assert_eq!(count(&url, "SELECT COUNT(*) FROM review_cards").await, 4);
    let answers_of = |id: i64| format!("SELECT COUNT(*) FROM answers WHERE user_id = {id}");
    assert_eq!(count(&url, &answers_of(t.id)).await, 1);
    assert_eq!(count(&url, &answers_of(d.id)).await, 1);
    // From now on they are apart.
    study(&app, &at(&dc, "2026-03-03T08:00:00Z"), Some("delta"), true).await;
    assert_eq!(user_row(&app, &tg).await.xp, joined.xp);
    assert!(user_row(&app, &dc).await.xp > joined.xp);
    assert!(
        say(&app, &tg, "/unlink")
            .await
            .contains("nothing to unlink")
    );

    // Unlinking the account the learner was first made for works the same way, and they can
    // link again afterwards.
    let code = new_code(&app, &dc).await;
    link(&app, &tg, &code).await;
    let r = say(&app, &tg, "/unlink").await;
    assert!(r.starts_with("Unlinked: this Telegram account"), "{r}");
    assert_ne!(user_row(&app, &tg).await.id, user_row(&app, &dc).await.id);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM users").await, 2);
}
}

both_engines! {
#[tokio::test]
async fn forget_on_one_platform_forgets_the_linked_learner_on_both_and_says_so() {
    let (_d, app, url, tg, dc) = ana_on_both("2026-03-02T08:00:00Z").await;
    let bob = private("bob", "2026-03-02T08:00:00Z");
    study(&app, &tg, None, true).await;
    study(&app, &dc, None, true).await;
    study(&app, &bob, None, true).await;
    let code = new_code(&app, &tg).await;
    link(&app, &dc, &code).await;

    let ask = run(&app, &dc, Command::Forget { confirm: false })
        .await
        .plain_text();
    assert!(
        ask.contains("You are linked on Telegram and Discord: this forgets you on all of them."),
        "{ask}"
    );
    let done = run(&app, &dc, Command::Forget { confirm: true })
        .await
        .plain_text();
    assert!(done.contains("2 answers"), "{done}");
    assert!(done.contains("2 private chats"), "{done}");
    assert!(
        done.ends_with("Forgotten on Telegram and Discord."),
        "{done}"
    );
    for (table, left) in [
        ("users", 1),
        ("accounts", 1),
        ("answers", 1),
        ("chats", 1),
        ("link_codes", 0),
    ] {
        let n = count(&url, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(n, left, "{table}: only Bob's rows stay");
    }
    // Ana on Telegram is a new learner now.
    assert_eq!(user_row(&app, &tg).await.xp, 0);
}
}

#[test]
fn a_link_request_round_trips_as_text() {
    let code = LinkCode::parse("abcd2345").unwrap();
    let cmd = Command::Link(LinkRequest::Enter {
        code,
        confirm: true,
    });
    assert_eq!(cmd.to_text(), "/link ABCD2345 confirm");
    let opts = studybot::core::ParseOptions::default();
    assert_eq!(
        studybot::core::parse_command(&cmd.to_text(), &opts).unwrap(),
        Some(cmd)
    );
}

/// The story in the built binary, on the fake Telegram Bot API and the fake Discord
/// gateway at once: Ana studies on both, links from a Telegram code entered in her Discord DM,
/// `/streak` shows the joined streak on both, and a card she missed on Telegram is served on
/// Discord.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_links_telegram_and_discord_and_both_show_one_streak_and_one_queue() {
    use support::discord::{self as dc, FakeDiscord};
    use support::process::BotProcess;
    use support::telegram::{self as tg, FakeTelegram};
    const TG_TOKEN: &str = "123456789:AAElinkTOKEN_0123456789abcdefgh";
    const DC_TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.linkDiscordSecret_0123456789abcd";
    const ANA: i64 = 42;

    let telegram = FakeTelegram::start(TG_TOKEN).await;
    let discord = FakeDiscord::start(DC_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = dir.path().join("clock");
    let set_clock = |at: &str| std::fs::write(&clock, at).unwrap();
    set_clock("2026-03-01T10:00:00Z");
    let db = dir.path().join("link.db");
    let mut env = env_on_both(&telegram, TG_TOKEN, &discord, DC_TOKEN, &db);
    env.push(("STUDYBOT_CLOCK_FILE", clock.display().to_string()));
    let _bot = BotProcess::spawn(dir.path(), &env);
    telegram
        .wait_for("setMyCommands", 60, |c| {
            c.iter().any(|c| c.method == "setmycommands")
        })
        .await;
    discord.wait_for_registration().await;

    // Telegram on 1 and 2 March: an Alpha poll each day, the first one missed. Each answer is
    // a message in her chat, so the /streak after it (handled in order) shows it recorded
    // before the clock moves on.
    let streak_shown = |c: &[tg::Call]| {
        c.iter()
            .filter(|c| c.method == "sendmessage")
            .filter_map(|c| c.body["text"].as_str())
            .filter(|t| t.starts_with("Streak:"))
            .count()
    };
    let mut tg_questions = Vec::new();
    for (n, (day, right)) in [
        ("2026-03-01T10:00:00Z", false),
        ("2026-03-02T10:00:00Z", true),
    ]
    .into_iter()
    .enumerate()
    {
        set_clock(day);
        telegram.push(tg::text_message(ANA, ANA, "Ana", "/quiz alpha"));
        let calls = telegram
            .wait_for("the quiz poll", 30, |c| {
                c.iter().filter(|c| c.method == "sendpoll").count() == n + 1
            })
            .await;
        let poll = &calls.iter().rfind(|c| c.method == "sendpoll").unwrap().body;
        // The poll's question is "Quiz · <topic>" and then the prompt.
        let question = poll["question"].as_str().unwrap();
        tg_questions.push(question.lines().last().unwrap().to_string());
        let correct = poll["correct_option_id"].as_u64().unwrap();
        let option = if right { correct } else { (correct + 1) % 4 };
        let letter = ["A", "B", "C", "D"][option as usize];
        telegram.push(tg::text_message(
            ANA,
            ANA,
            "Ana",
            &format!("/answer {letter}"),
        ));
        telegram.push(tg::text_message(ANA, ANA, "Ana", "/streak"));
        telegram
            .wait_for("/streak", 30, |c| streak_shown(c) == n + 1)
            .await;
    }
    let texts = telegram.texts(ANA);
    let last = texts.iter().rfind(|t| t.starts_with("Streak:")).unwrap();
    assert!(last.starts_with("Streak: 2 days"), "{texts:#?}");

    // Discord on 2 March, in her DM: a Delta quiz, answered.
    let ana = dc::dm(1001, "Ana");
    let quiz = discord
        .reply(&discord.slash(&ana, "quiz", vec![dc::opt("target", "delta")]))
        .await;
    let first = dc::custom_ids(&quiz)[0].clone();
    discord.reply(&discord.click(&ana, &quiz, &first)).await;
    let alone = discord.reply(&discord.slash(&ana, "streak", vec![])).await;
    assert!(
        dc::plain(&alone).starts_with("Streak: 1 day"),
        "{}",
        dc::plain(&alone)
    );

    // The code comes in her Telegram chat; she enters it on Discord and confirms by button.
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/link"));
    let has_code = |c: &[tg::Call]| {
        c.iter()
            .filter_map(|c| c.body["text"].as_str())
            .any(|t| t.contains("Your link code: "))
    };
    telegram.wait_for("the link code", 30, has_code).await;
    let texts = telegram.texts(ANA);
    let code = code_in(texts.iter().find(|t| t.contains("Your link code")).unwrap());
    let preview = discord
        .reply(&discord.slash(&ana, "link", vec![dc::opt("code", &code)]))
        .await;
    assert!(
        dc::plain(&preview).contains("Join these"),
        "{}",
        dc::plain(&preview)
    );
    let confirm = format!("link:{code}");
    assert!(dc::custom_ids(&preview).contains(&confirm), "{preview}");
    let linked = discord
        .reply(&discord.click(&ana, &preview, &confirm))
        .await;
    let linked = dc::plain(&linked);
    assert!(
        linked.contains("one learner on Telegram and Discord"),
        "{linked}"
    );

    // One streak on both.
    let joined = discord.reply(&discord.slash(&ana, "streak", vec![])).await;
    assert!(
        dc::plain(&joined).starts_with("Streak: 2 days (longest 2)"),
        "{}",
        dc::plain(&joined)
    );
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/streak"));
    telegram
        .wait_for("the second /streak", 30, |c| streak_shown(c) == 2)
        .await;
    let texts: Vec<String> = telegram
        .texts(ANA)
        .into_iter()
        .filter(|t| t.starts_with("Streak:"))
        .collect();
    assert!(
        texts
            .last()
            .unwrap()
            .starts_with("Streak: 2 days (longest 2)"),
        "{texts:#?}"
    );

    // A week on, the card missed on Telegram is the first one due: Discord serves it.
    set_clock("2026-03-09T10:00:00Z");
    let review = discord.reply(&discord.slash(&ana, "review", vec![])).await;
    let shown = dc::plain(&review);
    assert!(
        shown.contains(&tg_questions[0]),
        "{shown}\nnot {:?}",
        tg_questions[0]
    );
}

both_engines! {
#[tokio::test]
async fn a_chat_leaderboard_names_a_linked_learner_as_its_platform_knows_them() {
    let (_d, app, _, tg, dc) = ana_on_both("2026-03-02T08:00:00Z").await;
    let code = new_code(&app, &tg).await;
    link(&app, &dc, &code).await;
    let tg_group = Ctx {
        chat_id: "tg-group".into(),
        chat_kind: ChatKind::Group,
        ..tg.clone()
    };
    let dc_channel = Ctx {
        chat_id: "dc-channel".into(),
        chat_kind: ChatKind::Group,
        ..dc.clone()
    };
    study(&app, &tg_group, None, true).await;
    study(&app, &dc_channel, None, true).await;
    let on_telegram = run(&app, &tg_group, Command::Leaderboard)
        .await
        .plain_text();
    let on_discord = run(&app, &dc_channel, Command::Leaderboard)
        .await
        .plain_text();
    assert!(on_telegram.contains("ana"), "{on_telegram}");
    assert!(!on_telegram.contains("ana on Discord"), "{on_telegram}");
    assert!(on_discord.contains("ana on Discord"), "{on_discord}");
}
}

/// A database from before migration 0012: every existing user becomes a learner with the one
/// account it was made for, and is found through it with its streak and XP intact.
#[tokio::test]
async fn existing_users_become_learners_with_one_account_each() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    let all = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for entry in std::fs::read_dir(&all).unwrap().flatten() {
        let name = entry.file_name().into_string().unwrap();
        if name.as_str() < "0012" {
            std::fs::copy(entry.path(), old.join(&name)).unwrap();
        }
    }
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let db = SqlitePool::connect(&url).await.unwrap();
    let migrator = sqlx::migrate::Migrator::new(old.as_path()).await.unwrap();
    migrator.run(&db).await.unwrap();
    sqlx::query(
        "INSERT INTO users (platform, external_id, display_name, xp, streak_current,
                            streak_longest, created_at)
         VALUES ('telegram', 'ana', 'Ana', 70, 3, 4, '2026-03-01T08:00:00Z'),
                ('discord', 'ana-d', 'Ana D', 20, 1, 1, '2026-03-01T08:00:00Z')",
    )
    .execute(&db)
    .await
    .unwrap();
    db.close().await;

    let store = studybot::store::Store::open(&url).await.unwrap();
    let app = app_with(store, Timezone::UTC);
    assert_eq!(count(&url, "SELECT COUNT(*) FROM accounts").await, 2);
    let tg = private("ana", "2026-03-02T08:00:00Z");
    let ana = user_row(&app, &tg).await;
    assert_eq!((ana.xp, ana.streak_longest), (70, 4));
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM users").await,
        2,
        "no one new"
    );
    // And they can link like anyone else.
    let dc = Ctx {
        user_id: "ana-d".into(),
        ..discord_dm("ana", "2026-03-02T08:00:00Z")
    };
    let code = new_code(&app, &tg).await;
    link(&app, &dc, &code).await;
    assert_eq!(user_row(&app, &dc).await.xp, 90);
}
