//! Progress and leaderboard cards: the renderers on empty, typical and extreme data (decoded PNGs,
//! checked by size and a few pixel facts, not by comparing screenshots), the use cases through
//! the core on a real SQLite file, and `/progress card` end to end in the console and against
//! the fake Telegram server.

mod support;

use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use studybot::core::{App, Command, Ctx, FileKind, Reply, Timezone};
use studybot::pictures::{
    Area, BACKGROUND, BAR, HEAT_COLORS, LEADERBOARD_HEIGHT, LEADERBOARD_ROWS, LEADERBOARD_WIDTH,
    LeaderColumn, LeaderEntry, LeaderboardCard, PROGRESS_WIDTH, ProgressCard, Rgb, SectionProgress,
    TRACK, heat_level, heatmap_cell, heatmap_grid, heatmap_start, leader_bar, progress_height,
    render_leaderboard, render_progress, section_bar,
};
use support::*;

/// A decoded RGBA image.
struct Image {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

impl Image {
    fn decode(png_bytes: &[u8]) -> Image {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut rgba = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut rgba).expect("PNG image data");
        assert_eq!(
            (info.color_type, info.bit_depth),
            (png::ColorType::Rgba, png::BitDepth::Eight)
        );
        rgba.truncate(info.buffer_size());
        Image {
            width: info.width,
            height: info.height,
            rgba,
        }
    }

    fn at(&self, (x, y): (u32, u32)) -> Rgb {
        let i = ((y * self.width + x) * 4) as usize;
        assert_eq!(self.rgba[i + 3], 255, "the card is opaque at ({x}, {y})");
        Rgb(self.rgba[i], self.rgba[i + 1], self.rgba[i + 2])
    }

    /// How many pixels in `area` have `color`.
    fn count_in(&self, area: Area, color: Rgb) -> usize {
        (area.y..area.y + area.h)
            .flat_map(|y| (area.x..area.x + area.w).map(move |x| (x, y)))
            .filter(|&p| self.at(p) == color)
            .count()
    }

    fn count(&self, color: Rgb) -> usize {
        self.rgba
            .chunks_exact(4)
            .filter(|p| (p[0], p[1], p[2]) == (color.0, color.1, color.2))
            .count()
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 23 sections, like the real curriculum.
fn sections(quizzed: impl Fn(usize) -> usize) -> Vec<SectionProgress> {
    (0..23)
        .map(|i| SectionProgress {
            number: i as u8,
            title: format!("Section {i}"),
            topics: 10,
            quizzed: quizzed(i),
            answered: quizzed(i) as i64 * 2,
            correct: quizzed(i) as i64,
        })
        .collect()
}

fn progress(
    today: NaiveDate,
    days: BTreeMap<NaiveDate, u32>,
    s: Vec<SectionProgress>,
) -> ProgressCard {
    ProgressCard {
        title: "Progress · Ana".into(),
        subtitle: "120 XP · 12 answers, 50% right · streak 2 days (longest 5)".into(),
        calendar_title: "Study days · the last 20 weeks".into(),
        calendar_notes: vec!["3 study days".into(), "12 answers in these weeks".into()],
        sections_title: "Sections · topics quizzed · accuracy".into(),
        legend: ["Less".into(), "More".into()],
        today,
        days,
        sections: s,
    }
}

/// The point a quarter (or three quarters) into a bar's track, on its middle line.
fn along(bar: Area, share: f32) -> (u32, u32) {
    (bar.x + (bar.w as f32 * share) as u32, bar.y + bar.h / 2)
}

#[test]
fn an_empty_history_draws_a_full_size_card_with_no_active_day_and_empty_bars() {
    let today = day("2026-03-04");
    let img = Image::decode(&render_progress(&progress(
        today,
        BTreeMap::new(),
        sections(|_| 0),
    )));
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(23))
    );
    let mut d = heatmap_start(today);
    let mut cells = 0;
    while d <= today {
        let cell = heatmap_cell(today, d).expect("every day of the period has a cell");
        assert_eq!(img.at(cell.center()), HEAT_COLORS[0], "{d}");
        cells += 1;
        d = d + Days::new(1);
    }
    assert_eq!(cells, 19 * 7 + 3, "19 full weeks and Monday to Wednesday");
    for active in &HEAT_COLORS[1..] {
        assert_eq!(img.count_in(heatmap_grid(), *active), 0, "no active day");
    }
    assert_eq!(img.count(BAR), 0, "no bar is filled");
    assert_eq!(img.at(along(section_bar(0), 0.1)), TRACK);
}

#[test]
fn a_typical_history_colours_study_days_by_their_answers_and_fills_bars_by_topics() {
    let today = day("2026-03-04"); // a Wednesday
    let days = BTreeMap::from([
        (today, 3),
        (day("2026-03-03"), 1),
        (day("2026-02-01"), 12),
        (day("2025-06-01"), 50), // before the calendar's 20 weeks
    ]);
    let img = Image::decode(&render_progress(&progress(
        today,
        days,
        sections(|i| if i == 2 { 5 } else { 0 }),
    )));
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(23))
    );
    let color = |d: &str| img.at(heatmap_cell(today, day(d)).unwrap().center());
    assert_eq!(color("2026-03-04"), HEAT_COLORS[heat_level(3)]);
    assert_eq!(color("2026-03-04"), HEAT_COLORS[2]);
    assert_eq!(color("2026-03-03"), HEAT_COLORS[1]);
    assert_eq!(color("2026-02-01"), HEAT_COLORS[4]);
    assert_eq!(color("2026-03-02"), HEAT_COLORS[0], "a day without answers");
    // Thursday to Sunday of this week are still to come: no cell, only background.
    let wednesday = heatmap_cell(today, today).unwrap();
    let thursday = (wednesday.center().0, wednesday.center().1 + 22);
    assert_eq!(img.at(thursday), BACKGROUND);
    // Section 2 has 5 of 10 topics quizzed: its bar is filled to the middle.
    assert_eq!(img.at(along(section_bar(2), 0.25)), BAR);
    assert_eq!(img.at(along(section_bar(2), 0.75)), TRACK);
    assert_eq!(img.at(along(section_bar(1), 0.25)), TRACK);
}

#[test]
fn an_extreme_history_stays_inside_a_card_of_the_expected_size() {
    let today = day("2026-12-31");
    let mut days = BTreeMap::new();
    let mut d = day("2024-01-01");
    while d <= today {
        days.insert(d, u32::MAX);
        d = d + Days::new(1);
    }
    let long = "Extraordinarily long name ".repeat(20);
    let mut card = progress(
        today,
        days,
        (0..40)
            .map(|_| SectionProgress {
                number: 99,
                title: long.clone(),
                topics: 3,
                quizzed: 7, // more than the section has: the bar stops at full
                answered: i64::MAX / 200,
                correct: i64::MAX / 200,
            })
            .collect(),
    );
    card.title = long.clone();
    card.subtitle = long.clone();
    card.calendar_notes = vec![long.clone(); 5];
    let img = Image::decode(&render_progress(&card));
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(40))
    );
    let mut d = heatmap_start(today);
    while d <= today {
        assert_eq!(
            img.at(heatmap_cell(today, d).unwrap().center()),
            HEAT_COLORS[4]
        );
        d = d + Days::new(1);
    }
    let last = section_bar(39);
    assert_eq!(img.at(along(last, 0.98)), BAR, "a full bar");
}

fn entry(name: &str, xp: i64) -> LeaderEntry {
    LeaderEntry {
        name: name.into(),
        xp,
        answers: xp / 10,
    }
}

fn leaderboard(week: Vec<LeaderEntry>, all: Vec<LeaderEntry>) -> LeaderboardCard {
    let column = |heading: &str, rows| LeaderColumn {
        heading: heading.into(),
        rows,
        empty: "Nobody has answered yet.".into(),
    };
    LeaderboardCard {
        title: "Leaderboard".into(),
        subtitle: "XP from this chat's quizzes".into(),
        columns: [column("This week", week), column("All time", all)],
    }
}

#[test]
fn an_empty_leaderboard_card_has_its_size_and_no_bars() {
    let img = Image::decode(&render_leaderboard(&leaderboard(vec![], vec![])));
    assert_eq!(
        (img.width, img.height),
        (LEADERBOARD_WIDTH, LEADERBOARD_HEIGHT)
    );
    assert_eq!(img.count(BAR), 0);
    assert_eq!(img.count(TRACK), 0);
}

#[test]
fn leaderboard_bars_are_relative_to_the_leader() {
    let img = Image::decode(&render_leaderboard(&leaderboard(
        vec![entry("Ana", 40), entry("Ben", 20)],
        vec![entry("Ben", 300), entry("Ana", 40), entry("Cleo", 0)],
    )));
    assert_eq!(
        (img.width, img.height),
        (LEADERBOARD_WIDTH, LEADERBOARD_HEIGHT)
    );
    // This week: the leader's bar is full, the second's half.
    assert_eq!(img.at(along(leader_bar(0, 0), 0.95)), BAR);
    assert_eq!(img.at(along(leader_bar(0, 1), 0.25)), BAR);
    assert_eq!(img.at(along(leader_bar(0, 1), 0.75)), TRACK);
    assert_eq!(
        img.at(along(leader_bar(0, 2), 0.5)),
        BACKGROUND,
        "no third row"
    );
    // All time: 0 XP draws an empty track.
    assert_eq!(img.at(along(leader_bar(1, 2), 0.5)), TRACK);
}

#[test]
fn an_extreme_leaderboard_shows_ten_rows_within_the_card() {
    let many: Vec<LeaderEntry> = (0..50)
        .map(|i| entry(&"W".repeat(300), i64::MAX - i))
        .collect();
    let img = Image::decode(&render_leaderboard(&leaderboard(many.clone(), many)));
    assert_eq!(
        (img.width, img.height),
        (LEADERBOARD_WIDTH, LEADERBOARD_HEIGHT)
    );
    for col in 0..2 {
        assert_eq!(
            img.at(along(leader_bar(col, LEADERBOARD_ROWS - 1), 0.9)),
            BAR
        );
    }
}

// ---- through the core ----

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

/// `n` quizzes answered by `ctx`'s user at `ctx.now`, right when `right`.
async fn study(app: &App, ctx: &Ctx, n: usize, right: bool) {
    for _ in 0..n {
        let r = run(app, ctx, Command::Quiz(None)).await;
        let card = r
            .quiz
            .clone()
            .unwrap_or_else(|| panic!("no quiz: {}", r.plain_text()));
        let letter = pick(&card, right);
        run(
            app,
            ctx,
            Command::Answer {
                quiz_id: Some(card.quiz_id),
                letter,
            },
        )
        .await;
    }
}

fn the_picture(r: &Reply) -> Image {
    assert_eq!(r.files.len(), 1, "{r:?}");
    let f = &r.files[0];
    assert_eq!((f.kind, f.mime.as_str()), (FileKind::Photo, "image/png"));
    assert!(f.name.ends_with(".png") && f.caption.is_some(), "{f:?}");
    Image::decode(&f.bytes)
}

both_engines! {
#[tokio::test]
async fn the_progress_card_marks_the_learners_local_study_days() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::parse("America/New_York").unwrap());
    let me = private("ana", "2026-03-02T15:00:00Z");
    // 02:00 UTC on 4 March is still 3 March in New York.
    study(&app, &at(&me, "2026-03-04T02:00:00Z"), 1, true).await;
    study(&app, &at(&me, "2026-03-05T15:00:00Z"), 3, false).await;
    let now = at(&me, "2026-03-05T16:00:00Z");
    let r = run(&app, &now, Command::ProgressCard).await;
    let img = the_picture(&r);
    let catalog = fixture_catalog();
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(catalog.sections().len()))
    );
    let today = day("2026-03-05");
    let color = |d: &str| img.at(heatmap_cell(today, day(d)).unwrap().center());
    assert_eq!(color("2026-03-03"), HEAT_COLORS[1]);
    assert_eq!(color("2026-03-04"), HEAT_COLORS[0]);
    assert_eq!(color("2026-03-05"), HEAT_COLORS[2]);
    // Section 00 of the fixture has three topics; /quiz picks from the chat's covered ones, so
    // its bar has ink and the other section's does not.
    assert_eq!(img.at(along(section_bar(0), 0.05)), BAR);
    assert_eq!(img.at(along(section_bar(1), 0.05)), TRACK);
}
}

both_engines! {
#[tokio::test]
async fn a_new_learner_gets_an_empty_progress_card() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let r = run(
        &app,
        &private("new", "2026-03-02T10:00:00Z"),
        Command::ProgressCard,
    )
    .await;
    let img = the_picture(&r);
    for active in &HEAT_COLORS[1..] {
        assert_eq!(img.count_in(heatmap_grid(), *active), 0);
    }
}
}

both_engines! {
#[tokio::test]
async fn the_leaderboard_card_ranks_the_groups_members() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let now = "2026-03-04T10:00:00Z";
    study(&app, &member("g", "ana", false, now), 2, true).await;
    study(&app, &member("g", "ben", false, now), 1, true).await;
    let r = run(
        &app,
        &member("g", "cleo", false, now),
        Command::LeaderboardCard,
    )
    .await;
    let img = the_picture(&r);
    assert_eq!(
        (img.width, img.height),
        (LEADERBOARD_WIDTH, LEADERBOARD_HEIGHT)
    );
    for col in 0..2 {
        assert_eq!(img.at(along(leader_bar(col, 0), 0.95)), BAR, "the leader");
        assert_eq!(img.at(along(leader_bar(col, 1), 0.1)), BAR, "the second");
        assert_eq!(
            img.at(along(leader_bar(col, 2), 0.5)),
            BACKGROUND,
            "no third"
        );
    }
}
}

// ---- end to end: the built binary ----

/// `/progress card` in the console saves the PNG into `EXPORT_DIR` and prints where.
#[test]
fn the_console_saves_the_progress_card_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("cards");
    let out = process::run_console(
        &dir.path().join("c.db"),
        &exports,
        "2026-03-04T10:00:00Z",
        b"/quiz\nA\n/progress card\n",
    );
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("saved to"))
        .unwrap_or_else(|| panic!("no saved file in:\n{stdout}"));
    let path = std::path::PathBuf::from(line.split("saved to ").nth(1).unwrap().trim());
    assert_eq!(
        path,
        exports
            .join("progress-2026-03-04.png")
            .canonicalize()
            .unwrap()
    );
    let img = Image::decode(&std::fs::read(&path).unwrap());
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(2))
    );
    let today = day("2026-03-04");
    let cell = heatmap_cell(today, today).unwrap();
    assert_eq!(
        img.at(cell.center()),
        HEAT_COLORS[1],
        "today has one answer"
    );
}

/// `/progress card` on Telegram goes out as a photo, uploaded as multipart with a PNG body.
#[tokio::test]
async fn telegram_sends_the_progress_card_as_a_photo() {
    use support::telegram::{FakeTelegram, text_message};
    const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
    const ANA: i64 = 42;
    let tg = FakeTelegram::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let _bot = process::BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("tg.db").display()),
            ),
            ("CONTENT_DIR", fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-04T10:00:00Z".to_string()),
        ],
    );
    tg.push(text_message(ANA, ANA, "Ana", "/progress card"));
    tg.wait_for("a photo", 30, |calls| {
        calls.iter().any(|c| c.method == "sendphoto")
    })
    .await;
    let uploads = tg.uploads(ANA, "sendPhoto");
    assert_eq!(uploads.len(), 1);
    let (fields, photo) = &uploads[0];
    // teloxide names the file part and points the `photo` field at it.
    assert_eq!(fields["photo"], format!("attach://{}", photo.field));
    assert_eq!(photo.file_name.as_deref(), Some("progress-2026-03-04.png"));
    assert_eq!(fields["caption"], "Your progress on 4 March 2026");
    let img = Image::decode(&photo.bytes);
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(2))
    );
    assert!(tg.texts(ANA).is_empty(), "the picture is the whole answer");
}

/// `/progress card:True` on Discord answers with the PNG as a message attachment.
#[tokio::test]
async fn discord_answers_the_progress_card_with_an_attachment() {
    use support::discord::{FakeDiscord, GUILD, VIEW_AND_SEND, flag, member};
    const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.fakeDiscordSecret_0123456789abcdefXYZ";
    let dc = FakeDiscord::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let _bot = process::BotProcess::spawn(
        dir.path(),
        &[
            ("DISCORD_TOKEN", TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("dc.db").display()),
            ),
            ("CONTENT_DIR", fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("DISCORD_GUILD_ID", GUILD.to_string()),
        ],
    );
    dc.wait_for("slash command registration", 30, |calls| {
        calls
            .iter()
            .any(|c| c.method == "PUT" && c.path.ends_with("/commands"))
    })
    .await;
    let ana = member(1001, "Ana", VIEW_AND_SEND);
    let sent = dc.slash(&ana, "progress", vec![flag("card", true)]);
    let reply = dc.reply(&sent).await;
    let attachments = reply["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(attachments.len(), 1, "{reply}");
    assert_eq!(attachments[0]["filename"], "progress-2026-03-02.png");
    assert_eq!(reply["content"], "Your progress on 2 March 2026");
    let upload = dc
        .calls()
        .into_iter()
        .flat_map(|c| c.files)
        .next()
        .expect("a file was uploaded");
    assert_eq!(upload.file_name.as_deref(), Some("progress-2026-03-02.png"));
    let img = Image::decode(&upload.bytes);
    assert_eq!(
        (img.width, img.height),
        (PROGRESS_WIDTH, progress_height(2))
    );
}
