//! Pictures: a learner's progress card and a chat's leaderboard card as PNG images.
//!
//! Pure functions from plain data to PNG bytes, drawn with tiny-skia and text in the embedded
//! DejaVu Sans (assets/fonts): no external service, no system font. The core gathers the data
//! (and the sentences, from `core::messages`) and hands it here. Layout helpers are public so
//! tests can check pixel facts (a study day's cell has its colour) without comparing screenshots.

mod canvas;
mod leaderboard;
mod progress;

pub use canvas::Rgb;
pub use leaderboard::{
    LEADERBOARD_HEIGHT, LEADERBOARD_ROWS, LEADERBOARD_WIDTH, LeaderColumn, LeaderEntry,
    LeaderboardCard, leader_bar, render_leaderboard,
};
pub use progress::{
    HEAT_COLORS, HEATMAP_WEEKS, PROGRESS_WIDTH, ProgressCard, SectionProgress, heat_level,
    heatmap_cell, heatmap_grid, heatmap_start, progress_height, render_progress, section_bar,
};

/// The MIME type of every picture made here.
pub const PNG_MIME: &str = "image/png";

/// A rectangle in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl Area {
    /// The pixel in the middle.
    pub fn center(&self) -> (u32, u32) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }
}

// The palette, shared by both cards (GitHub's light theme colours).
pub const BACKGROUND: Rgb = Rgb(255, 255, 255);
pub const INK: Rgb = Rgb(36, 41, 47);
pub const MUTED: Rgb = Rgb(87, 96, 106);
pub const TRACK: Rgb = Rgb(234, 238, 242);
pub const STRIPE: Rgb = Rgb(246, 248, 250);
/// Filled part of a progress or leaderboard bar.
pub const BAR: Rgb = Rgb(45, 164, 78);

/// `part` of `whole` as a rounded percentage; `None` when `whole` is 0.
fn percent(part: i64, whole: i64) -> Option<i64> {
    let (part, whole) = (i128::from(part.clamp(0, whole)), i128::from(whole));
    (whole > 0).then(|| ((part * 100 + whole / 2) / whole) as i64)
}
