//! The leaderboard card: a chat's top learners this week and of all time, side by side, each
//! with a bar for their XP relative to the leader's.

use super::canvas::{Canvas, Style, Weight, fit};
use super::{Area, BACKGROUND, BAR, INK, MUTED, STRIPE, TRACK};

/// Rows per column: the core's leaderboard length.
pub const LEADERBOARD_ROWS: usize = 10;
pub const LEADERBOARD_WIDTH: u32 = 960;
pub const LEADERBOARD_HEIGHT: u32 = (ROWS_TOP + LEADERBOARD_ROWS as f32 * ROW + 24.0) as u32;

const PAD: f32 = 32.0;
const GUTTER: f32 = 16.0;
const ROWS_TOP: f32 = 156.0;
const ROW: f32 = 36.0;
const NAME_LEFT: f32 = 36.0;
const NAME_WIDTH: f32 = 180.0;
const BAR_LEFT: f32 = 224.0;
const BAR_WIDTH: f32 = 120.0;
const BAR_HEIGHT: f32 = 12.0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderEntry {
    pub name: String,
    pub xp: i64,
    pub answers: i64,
}

/// One ranking (this week, all time), best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderColumn {
    pub heading: String,
    pub rows: Vec<LeaderEntry>,
    /// Shown when `rows` is empty.
    pub empty: String,
}

/// Everything the leaderboard card shows. The sentences come from the core's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderboardCard {
    pub title: String,
    pub subtitle: String,
    /// Left this week, right all time.
    pub columns: [LeaderColumn; 2],
}

fn column_left(column: usize) -> f32 {
    let width = (LEADERBOARD_WIDTH as f32 - 2.0 * PAD - GUTTER) / 2.0;
    PAD + column as f32 * (width + GUTTER)
}

fn column_width() -> f32 {
    (LEADERBOARD_WIDTH as f32 - 2.0 * PAD - GUTTER) / 2.0
}

/// The bar track of `row` in `column` (0 this week, 1 all time); its filled part starts left.
pub fn leader_bar(column: usize, row: usize) -> Area {
    let y = ROWS_TOP + row as f32 * ROW + (ROW - BAR_HEIGHT) / 2.0;
    Area {
        x: (column_left(column) + BAR_LEFT) as u32,
        y: y as u32,
        w: BAR_WIDTH as u32,
        h: BAR_HEIGHT as u32,
    }
}

/// Draws the card as a PNG of [`LEADERBOARD_WIDTH`] × [`LEADERBOARD_HEIGHT`]; rows past
/// [`LEADERBOARD_ROWS`] are left out.
pub fn render_leaderboard(card: &LeaderboardCard) -> Vec<u8> {
    let mut c = Canvas::new(LEADERBOARD_WIDTH, LEADERBOARD_HEIGHT, BACKGROUND);
    let max_text = LEADERBOARD_WIDTH as f32 - 2.0 * PAD;
    let title = Style {
        size: 28.0,
        weight: Weight::Bold,
        color: INK,
    };
    let sub = Style {
        size: 16.0,
        weight: Weight::Regular,
        color: MUTED,
    };
    let heading = Style {
        size: 18.0,
        weight: Weight::Bold,
        color: INK,
    };
    let body = Style {
        size: 15.0,
        weight: Weight::Regular,
        color: INK,
    };
    let rank_style = Style {
        weight: Weight::Bold,
        color: MUTED,
        ..body
    };
    c.text(PAD, 56.0, &fit(&card.title, title, max_text), title);
    c.text(PAD, 86.0, &fit(&card.subtitle, sub, max_text), sub);
    let width = column_width();
    for (col, column) in card.columns.iter().enumerate() {
        let left = column_left(col);
        c.text(left, 136.0, &fit(&column.heading, heading, width), heading);
        if column.rows.is_empty() {
            let muted = Style {
                color: MUTED,
                ..body
            };
            c.text(
                left,
                ROWS_TOP + 24.0,
                &fit(&column.empty, muted, width),
                muted,
            );
            continue;
        }
        let best = column.rows.iter().map(|r| r.xp).max().unwrap_or(0).max(1);
        for (row, entry) in column.rows.iter().take(LEADERBOARD_ROWS).enumerate() {
            let top = ROWS_TOP + row as f32 * ROW;
            if row % 2 == 0 {
                c.rect(left - 8.0, top, width + 16.0, ROW, STRIPE);
            }
            let baseline = top + 23.0;
            c.text_right(left + 26.0, baseline, &(row + 1).to_string(), rank_style);
            c.text(
                left + NAME_LEFT,
                baseline,
                &fit(&entry.name, body, NAME_WIDTH),
                body,
            );
            let bar = leader_bar(col, row);
            let (bx, by) = (bar.x as f32, bar.y as f32);
            c.round_rect(bx, by, BAR_WIDTH, BAR_HEIGHT, BAR_HEIGHT / 2.0, TRACK);
            if entry.xp > 0 {
                let share = (entry.xp as f64 / best as f64).clamp(0.0, 1.0) as f32;
                let w = (BAR_WIDTH * share).max(BAR_HEIGHT);
                c.round_rect(bx, by, w, BAR_HEIGHT, BAR_HEIGHT / 2.0, BAR);
            }
            let xp = format!("{} XP", entry.xp);
            let room = left + width - (bx + BAR_WIDTH + 8.0);
            c.text_right(left + width, baseline, &fit(&xp, body, room), body);
        }
    }
    c.png()
}
