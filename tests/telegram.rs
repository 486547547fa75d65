//! The real teloxide client in the built binary against the fake Bot API server.

mod support;

use serde_json::json;
use std::time::Duration;
use support::process::BotProcess;
use support::telegram::*;

const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
const ANA: i64 = 42;
const BEN: i64 = 43;
const GROUP: i64 = -4001;

struct Harness {
    tg: FakeTelegram,
    bot: Option<BotProcess>,
    _dir: tempfile::TempDir,
    content: std::path::PathBuf,
}

impl Harness {
    async fn start() -> Harness {
        Harness::start_with(support::fixture_dir()).await
    }

    async fn start_with(content: std::path::PathBuf) -> Harness {
        let tg = FakeTelegram::start(TOKEN).await;
        let dir = tempfile::tempdir().unwrap();
        let mut h = Harness {
            tg,
            bot: None,
            _dir: dir,
            content,
        };
        h.spawn().await;
        h
    }

    /// Starts the binary on this harness's database and fake server.
    async fn spawn(&mut self) {
        let before = self.tg.calls("setMyCommands").len();
        let dir = self._dir.path();
        self.bot = Some(BotProcess::spawn(
            dir,
            &[
                ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
                ("TELEGRAM_API_URL", self.tg.url.clone()),
                (
                    "DATABASE_URL",
                    format!("sqlite://{}", dir.join("tg.db").display()),
                ),
                ("CONTENT_DIR", self.content.display().to_string()),
                ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ],
        ));
        self.tg
            .wait_for("setMyCommands", 30, |c| {
                c.iter().filter(|c| c.method == "setmycommands").count() > before
            })
            .await;
    }

    /// Stops the bot with SIGTERM and starts it again on the same data.
    async fn restart(&mut self) {
        let bot = self.bot.take().unwrap();
        assert_eq!(bot.terminate(Duration::from_secs(15)).await, Some(0));
        self.spawn().await;
    }

    fn say(&self, chat: i64, from: i64, text: &str) -> i64 {
        let name = if from == ANA { "Ana" } else { "Ben" };
        self.tg.push(text_message(chat, from, name, text))
    }

    /// Sends `text` and returns the reply it produced (the `n`-th message to `chat`).
    async fn ask(&self, chat: i64, from: i64, text: &str) -> String {
        let before = self.tg.texts(chat).len();
        self.say(chat, from, text);
        self.tg.wait_texts(chat, before + 1).await[before].clone()
    }

    /// `/quiz` in `chat`; returns (poll id, correct option).
    async fn quiz(&self, chat: i64, from: i64, text: &str) -> (String, u8) {
        let before = self.tg.calls("sendPoll").len();
        self.say(chat, from, text);
        let calls = self
            .tg
            .wait_for("sendPoll", 20, |c| {
                c.iter().filter(|c| c.method == "sendpoll").count() > before
            })
            .await;
        let poll = calls
            .iter()
            .filter(|c| c.method == "sendpoll")
            .nth(before)
            .unwrap()
            .body
            .clone();
        assert_eq!(poll["type"], "quiz");
        assert_eq!(poll["is_anonymous"], false);
        assert_eq!(poll["options"].as_array().unwrap().len(), 4);
        assert!(poll["explanation"].as_str().is_some_and(|e| !e.is_empty()));
        let correct = poll["correct_option_id"].as_u64().unwrap() as u8;
        (format!("poll-{}", before + 1), correct)
    }

    /// Poll answers carry no chat, so teloxide may handle them beside the next command: asks
    /// until `done` holds for the reply (at most 20 times), and returns the last reply.
    async fn ask_until(
        &self,
        chat: i64,
        from: i64,
        text: &str,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let mut reply = String::new();
        for _ in 0..20 {
            reply = self.ask(chat, from, text).await;
            if done(&reply) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        reply
    }

    fn logs(&self) -> String {
        self.bot.as_ref().map(|b| b.logs()).unwrap_or_default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_are_registered_and_topics_render_as_escaped_html_with_buttons() {
    let h = Harness::start().await;
    let cmds = h.tg.calls("setMyCommands")[0].body["commands"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = cmds
        .iter()
        .map(|c| c["command"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"today") && names.contains(&"quiz") && names.contains(&"forget"),
        "{names:?}"
    );
    assert!(
        cmds.iter()
            .all(|c| !c["description"].as_str().unwrap().is_empty())
    );

    assert!(h.ask(ANA, ANA, "/start").await.starts_with("Hi Ana!"));
    h.say(ANA, ANA, "/today");
    h.tg.wait_texts(ANA, 2).await;
    let today = h.tg.calls("sendMessage").last().unwrap().body.clone();
    assert_eq!(today["parse_mode"], "HTML");
    assert!(
        today["text"]
            .as_str()
            .unwrap()
            .starts_with("<b>Alpha topic</b>")
    );
    let buttons = today["reply_markup"]["inline_keyboard"].to_string();
    assert!(
        buttons.contains("\"callback_data\":\"q:alpha\"")
            && buttons.contains("\"callback_data\":\"next\"")
    );
    let echoed = h.ask(ANA, ANA, "/topic <b>&nothing</b>").await;
    assert!(
        echoed.contains("&lt;b&gt;&amp;nothing&lt;/b&gt;"),
        "{echoed}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quiz_poll_answer_counts_once_however_often_it_arrives() {
    let h = Harness::start().await;
    let (poll, correct) = h.quiz(ANA, ANA, "/quiz").await;
    let first = h.tg.push(poll_answer(&poll, ANA, "Ana", correct));
    h.tg.push(poll_answer(&poll, ANA, "Ana", correct));
    h.tg.redeliver(first);
    let streak = h
        .ask_until(ANA, ANA, "/streak", |s| !s.starts_with("Streak: 0"))
        .await;
    assert!(streak.starts_with("Streak: 1 day (longest 1)"), "{streak}");
    let progress = h.ask(ANA, ANA, "/progress").await;
    assert!(
        progress.contains("In all: 1 answer, 100% right"),
        "{progress}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_group_every_member_answer_counts_and_settings_need_an_admin() {
    let h = Harness::start().await;
    let (poll, correct) = h.quiz(GROUP, ANA, &format!("/quiz@{BOT_USERNAME}")).await;
    h.tg.push(poll_answer(&poll, ANA, "Ana", correct));
    h.tg.push(poll_answer(&poll, BEN, "Ben", (correct + 1) % 4));
    // Both votes are in once the board lists both.
    let board = h
        .ask_until(GROUP, BEN, "/leaderboard", |b| b.contains("2. Ben"))
        .await;
    assert!(
        board.contains("1. Ana: ") && board.contains("2. Ben: 0 XP (1 answer)"),
        "{board}"
    );

    assert_eq!(
        h.ask(GROUP, BEN, "/subscribe 08:00 Europe/Berlin").await,
        "Only chat admins can change this."
    );
    h.tg.make_admin(GROUP, ANA);
    let ok = h.ask(GROUP, ANA, "/subscribe 08:00 Europe/Berlin").await;
    assert!(
        ok.starts_with(
            "Subscribed: this chat gets the next topic every day at 08:00 (Europe/Berlin)."
        ),
        "{ok}"
    );
    assert!(ok.contains("Next push: Tue 2026-03-03 08:00"), "{ok}");
    let member_checks = h.tg.calls("getChatMember");
    assert_eq!(
        member_checks.len(),
        2,
        "asked only for the two settings commands"
    );

    // A command for another bot and plain chatter are ignored.
    h.say(GROUP, BEN, "/today@some_other_bot");
    h.say(GROUP, BEN, "good morning all");
    let n = h.tg.texts(GROUP).len();
    assert!(h.ask(GROUP, BEN, "/help").await.contains("/quiz"));
    assert_eq!(h.tg.texts(GROUP).len(), n + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_button_press_is_answered_and_runs_its_command() {
    let h = Harness::start().await;
    let before = h.tg.calls("sendPoll").len();
    h.tg.push(callback(ANA, ANA, "Ana", "q:beta"));
    let calls =
        h.tg.wait_for("a poll from the button", 20, |c| {
            c.iter().filter(|c| c.method == "sendpoll").count() > before
        })
        .await;
    assert!(calls.iter().any(|c| c.method == "answercallbackquery"));
    let poll = &h.tg.calls("sendPoll")[before].body;
    // The quiz's note rides in the poll's question: one message, not two.
    let question = poll["question"].as_str().unwrap();
    let (note, prompt) = question.split_once('\n').unwrap();
    assert!(
        note.starts_with("Quiz") && note.contains("Beta topic"),
        "{question}"
    );
    assert!(prompt.starts_with("Beta topic"), "{question}");
    assert!(
        !h.tg.texts(ANA).iter().any(|t| t.contains("Quiz")),
        "no separate note"
    );
    // A forged button is acknowledged and ignored.
    h.tg.push(callback(ANA, ANA, "Ana", "a:999999:Z"));
    h.tg.wait_for("the forged button's answer", 20, |c| {
        c.iter()
            .filter(|c| c.method == "answercallbackquery")
            .count()
            == 2
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redelivered_next_moves_the_chat_only_once() {
    let h = Harness::start().await;
    let id = h.say(ANA, ANA, "/next");
    assert!(h.tg.wait_texts(ANA, 1).await[0].starts_with("<b>Beta topic</b>"));
    h.tg.redeliver(id);
    let today = h.ask(ANA, ANA, "/today").await;
    assert!(today.starts_with("<b>Beta topic</b>"), "{today}");
    assert_eq!(
        h.tg.texts(ANA).len(),
        2,
        "the redelivered /next sent nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_are_waited_out_and_api_errors_do_not_stop_the_bot() {
    let h = Harness::start().await;
    h.tg.fail_next(
        "sendMessage",
        429,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
               "parameters": {"retry_after": 1}}),
    );
    h.say(ANA, ANA, "/help");
    let calls =
        h.tg.wait_for("the retried message", 20, |c| {
            c.iter().filter(|c| c.method == "sendmessage").count() == 2
        })
        .await;
    let sends: Vec<_> = calls.iter().filter(|c| c.method == "sendmessage").collect();
    assert_eq!(
        sends[0].body["text"], sends[1].body["text"],
        "the limited message was sent again"
    );
    h.tg.fail_next(
        "sendMessage",
        400,
        json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}),
    );
    h.say(ANA, ANA, "/help");
    h.tg.wait_for("the refused message", 20, |c| {
        c.iter().filter(|c| c.method == "sendmessage").count() == 3
    })
    .await;
    assert!(
        h.ask(ANA, ANA, "/streak").await.starts_with("Streak:"),
        "the bot still serves"
    );
    let logs = h.logs();
    assert!(
        logs.contains("chat not found"),
        "the API error is logged:\n{logs}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_that_becomes_a_supergroup_keeps_its_scores() {
    let h = Harness::start().await;
    let (poll, correct) = h.quiz(GROUP, ANA, "/quiz").await;
    h.tg.push(poll_answer(&poll, ANA, "Ana", correct));
    let supergroup = -1_000_000_004_001;
    h.tg.push(migrate(GROUP, supergroup));
    let board = h
        .ask_until(supergroup, BEN, "/leaderboard", |b| b.contains("1. Ana: "))
        .await;
    assert!(board.contains("1. Ana: "), "{board}\n{}", h.logs());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_never_appears_in_logs_and_sigterm_exits_cleanly() {
    let mut h = Harness::start().await;
    h.tg.fail_next(
        "sendMessage",
        500,
        json!({"ok": false, "error_code": 500, "description": "Internal Server Error"}),
    );
    h.say(ANA, ANA, "/start");
    h.ask(ANA, ANA, "/today").await;
    let bot = h.bot.take().unwrap();
    let logs_path = bot.log.clone();
    assert_eq!(
        bot.terminate(Duration::from_secs(15)).await,
        Some(0),
        "SIGTERM exits 0"
    );
    let logs = std::fs::read_to_string(logs_path).unwrap();
    assert!(logs.contains("telegram: connected"), "{logs}");
    assert!(
        logs.contains("telegram: transient error, retrying"),
        "the 500 is logged and retried:\n{logs}"
    );
    let secret = TOKEN.split_once(':').unwrap().1;
    assert!(
        !logs.contains(secret),
        "the token leaked into the logs:\n{logs}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_over_4096_characters_arrives_split_on_paragraphs() {
    // A copy of the fixture whose first topic carries long pitfalls: well over one message.
    let content = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(support::fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), content.path().join(entry.file_name())).unwrap();
    }
    let file = content.path().join("00-basics.toml");
    let long: Vec<String> = (0..20)
        .map(|i| format!("\"Pitfall {i} <&> {}\"", "word ".repeat(55).trim()))
        .collect();
    let text = std::fs::read_to_string(&file).unwrap().replacen(
        "pitfalls = [\"A pitfall.\"]",
        &format!("pitfalls = [{}]", long.join(", ")),
        1,
    );
    std::fs::write(&file, text).unwrap();
    let h = Harness::start_with(content.path().to_path_buf()).await;
    h.say(ANA, ANA, "/today");
    let parts = h.tg.wait_texts(ANA, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let parts = if h.tg.texts(ANA).len() > parts.len() {
        h.tg.texts(ANA)
    } else {
        parts
    };
    assert!(parts.len() >= 2, "split into {} messages", parts.len());
    for p in &parts {
        assert!(
            p.encode_utf16().count() <= 4096,
            "a part has {} UTF-16 units",
            p.encode_utf16().count()
        );
        assert!(
            !p.starts_with("\n") && !p.ends_with("\n"),
            "split on a paragraph boundary"
        );
    }
    let all = parts.join("\n\n");
    for i in 0..20 {
        assert!(
            all.contains(&format!("• Pitfall {i} &lt;&amp;&gt; word")),
            "pitfall {i} arrived whole and escaped"
        );
    }
    let calls = h.tg.calls("sendMessage");
    assert!(
        calls.last().unwrap().body["reply_markup"].is_object(),
        "buttons ride on the last part"
    );
    assert!(calls[0].body["reply_markup"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_keeps_answers_streaks_and_quizzes() {
    let mut h = Harness::start().await;
    // A group's quiz: any member may answer it (a private one only its learner).
    let (poll, correct) = h.quiz(GROUP, ANA, "/quiz").await;
    h.tg.push(poll_answer(&poll, ANA, "Ana", correct));
    h.ask_until(ANA, ANA, "/streak", |s| s.starts_with("Streak: 1"))
        .await;
    h.restart().await;
    let streak = h.ask(ANA, ANA, "/streak").await;
    assert!(streak.starts_with("Streak: 1 day (longest 1)"), "{streak}");
    // The poll posted before the restart still counts for a member answering after it.
    h.tg.push(poll_answer(&poll, BEN, "Ben", correct));
    let progress = h
        .ask_until(BEN, BEN, "/progress", |p| p.contains("In all: 1 answer"))
        .await;
    assert!(
        progress.contains("In all: 1 answer, 100% right"),
        "{progress}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_that_removes_the_bot_is_unsubscribed() {
    let h = Harness::start().await;
    h.tg.make_admin(GROUP, ANA);
    let ok = h.ask(GROUP, ANA, "/subscribe 08:00").await;
    assert!(ok.starts_with("Subscribed"), "{ok}");
    h.tg.push(my_membership(GROUP, "left"));
    let logs = || h.logs();
    for _ in 0..100 {
        if logs().contains("removed from a chat; unsubscribed it") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        logs().contains("removed from a chat; unsubscribed it"),
        "{}",
        logs()
    );
    // Added back, the admin finds the chat unsubscribed.
    h.tg.push(my_membership(GROUP, "member"));
    assert_eq!(
        h.ask(GROUP, ANA, "/unsubscribe").await,
        "This chat is not subscribed."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_menu_is_set_per_language_and_a_hindi_app_gets_hinglish_until_english_is_chosen() {
    let mut h = Harness::start().await;
    let menus =
        h.tg.wait_for("both command menus", 30, |c| {
            c.iter().filter(|c| c.method == "setmycommands").count() >= 2
        })
        .await;
    let menus: Vec<_> = menus
        .into_iter()
        .filter(|c| c.method == "setmycommands")
        .collect();
    let describe = |code: Option<&str>, name: &str| {
        let menu = menus
            .iter()
            .find(|c| c.body["language_code"].as_str() == code)
            .unwrap_or_else(|| panic!("no menu for {code:?}: {menus:?}"));
        menu.body["commands"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["command"] == name)
            .map(|c| c["description"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(describe(None, "streak"), "Show your study streak");
    assert_eq!(describe(Some("hi"), "streak"), "Apni study streak dekho");
    assert_eq!(
        describe(Some("hi"), "language"),
        "Bot ki language: english ya hinglish"
    );

    // Ana's app is in Hindi: Hinglish before she chooses anything.
    let hindi = |text: &str| in_language(text_message(ANA, ANA, "Ana", text), "hi");
    let before = h.tg.texts(ANA).len();
    h.tg.push(hindi("/streak"));
    let streak = h.tg.wait_texts(ANA, before + 1).await[before].clone();
    assert!(streak.starts_with("Streak: 0 din"), "{streak}");

    h.tg.push(hindi("/language english"));
    let set = h.tg.wait_texts(ANA, before + 2).await[before + 1].clone();
    assert_eq!(set, "Done: I speak English with you from now on.");

    // Her choice outlives the process and wins over her app's language.
    h.restart().await;
    let before = h.tg.texts(ANA).len();
    h.tg.push(hindi("/streak"));
    let streak = h.tg.wait_texts(ANA, before + 1).await[before].clone();
    assert!(streak.starts_with("Streak: 0 days"), "{streak}");
}
