//! The progress card: a header with the learner's totals, a GitHub-style calendar of study days
//! (the last [`HEATMAP_WEEKS`] weeks, Monday to Sunday, darker for more answers), and one row
//! per section with topics quizzed out of all, as a bar, and accuracy.

use super::canvas::{Canvas, Rgb, Style, Weight, fit};
use super::{Area, BACKGROUND, BAR, INK, MUTED, STRIPE, TRACK};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

/// Weeks the calendar shows, this week last.
pub const HEATMAP_WEEKS: usize = 20;
pub const PROGRESS_WIDTH: u32 = 960;

/// Cell colours by [`heat_level`]: no answers, then more and more (GitHub's greens).
pub const HEAT_COLORS: [Rgb; 5] = [
    Rgb(235, 237, 240),
    Rgb(155, 233, 168),
    Rgb(64, 196, 99),
    Rgb(48, 161, 78),
    Rgb(33, 110, 57),
];

const PAD: f32 = 32.0;
// The calendar: weekday labels left of the grid, month labels above it.
const GRID_LEFT: f32 = 72.0;
const GRID_TOP: f32 = 166.0;
const CELL: f32 = 18.0;
const STEP: f32 = 22.0;
// The section table, below the calendar.
const SECTIONS_TITLE_Y: f32 = 400.0;
const ROWS_TOP: f32 = 416.0;
const ROW: f32 = 26.0;
const LABEL_WIDTH: f32 = 380.0;
const BAR_LEFT: f32 = 430.0;
const BAR_WIDTH: f32 = 300.0;
const BAR_HEIGHT: f32 = 10.0;
const BOTTOM: f32 = 24.0;

const WEEKDAYS: [(usize, &str); 3] = [(0, "Mon"), (2, "Wed"), (4, "Fri")];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// One section of the curriculum as the learner stands in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionProgress {
    pub number: u8,
    pub title: String,
    /// Topics in the section.
    pub topics: usize,
    /// Topics the learner has answered at least one question of.
    pub quizzed: usize,
    pub answered: i64,
    pub correct: i64,
}

/// Everything the progress card shows. The sentences come from the core's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressCard {
    /// Top line, e.g. "Progress · Ada".
    pub title: String,
    /// Second line: totals (answers, accuracy, XP, streak).
    pub subtitle: String,
    /// Heading over the calendar.
    pub calendar_title: String,
    /// Lines right of the calendar (study days, answers in the period).
    pub calendar_notes: Vec<String>,
    /// Heading over the sections.
    pub sections_title: String,
    /// The calendar legend's ends ("Less" … "More").
    pub legend: [String; 2],
    /// The learner's local today: the calendar's last day.
    pub today: NaiveDate,
    /// Answers per local study day; days outside the calendar are ignored.
    pub days: BTreeMap<NaiveDate, u32>,
    pub sections: Vec<SectionProgress>,
}

/// The colour step for a day with `answers` answers: 0 none, 1 for 1–2, 2 for 3–5, 3 for 6–9,
/// 4 for 10 or more.
pub fn heat_level(answers: u32) -> usize {
    match answers {
        0 => 0,
        1..=2 => 1,
        3..=5 => 2,
        6..=9 => 3,
        _ => 4,
    }
}

/// The first day the calendar shows: the Monday [`HEATMAP_WEEKS`]` - 1` weeks before this week's.
pub fn heatmap_start(today: NaiveDate) -> NaiveDate {
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    monday - Days::new(7 * (HEATMAP_WEEKS as u64 - 1))
}

/// Where `day`'s cell is drawn, or `None` when the calendar does not show it (before its first
/// week or after `today`).
pub fn heatmap_cell(today: NaiveDate, day: NaiveDate) -> Option<Area> {
    if day > today {
        return None;
    }
    let offset = usize::try_from((day - heatmap_start(today)).num_days()).ok()?;
    let (week, weekday) = (offset / 7, offset % 7);
    (week < HEATMAP_WEEKS).then_some(Area {
        x: (GRID_LEFT + week as f32 * STEP) as u32,
        y: (GRID_TOP + weekday as f32 * STEP) as u32,
        w: CELL as u32,
        h: CELL as u32,
    })
}

/// The area the calendar's cells take (the legend below it is outside).
pub fn heatmap_grid() -> Area {
    Area {
        x: GRID_LEFT as u32,
        y: GRID_TOP as u32,
        w: (HEATMAP_WEEKS as f32 * STEP - (STEP - CELL)) as u32,
        h: (7.0 * STEP - (STEP - CELL)) as u32,
    }
}

/// The card's height for `sections` rows (its width is [`PROGRESS_WIDTH`]).
pub fn progress_height(sections: usize) -> u32 {
    (ROWS_TOP + sections as f32 * ROW + BOTTOM) as u32
}

/// The track of section row `row`'s bar; its filled part starts at the left.
pub fn section_bar(row: usize) -> Area {
    let y = ROWS_TOP + row as f32 * ROW + (ROW - BAR_HEIGHT) / 2.0;
    Area {
        x: BAR_LEFT as u32,
        y: y as u32,
        w: BAR_WIDTH as u32,
        h: BAR_HEIGHT as u32,
    }
}

fn style(size: f32, weight: Weight, color: Rgb) -> Style {
    Style {
        size,
        weight,
        color,
    }
}

/// Draws the card as a PNG of [`PROGRESS_WIDTH`] × [`progress_height`].
pub fn render_progress(card: &ProgressCard) -> Vec<u8> {
    let width = PROGRESS_WIDTH as f32;
    let mut c = Canvas::new(
        PROGRESS_WIDTH,
        progress_height(card.sections.len()),
        BACKGROUND,
    );
    let title = style(28.0, Weight::Bold, INK);
    let heading = style(18.0, Weight::Bold, INK);
    let body = style(15.0, Weight::Regular, INK);
    let small = style(12.0, Weight::Regular, MUTED);
    let max_text = width - 2.0 * PAD;

    c.text(PAD, 56.0, &fit(&card.title, title, max_text), title);
    let sub = style(16.0, Weight::Regular, MUTED);
    c.text(PAD, 86.0, &fit(&card.subtitle, sub, max_text), sub);

    // The calendar.
    c.text(
        PAD,
        132.0,
        &fit(&card.calendar_title, heading, max_text),
        heading,
    );
    let start = heatmap_start(card.today);
    let mut last_label: Option<usize> = None;
    for week in 0..HEATMAP_WEEKS {
        let monday = start + Days::new(7 * week as u64);
        let x = GRID_LEFT + week as f32 * STEP;
        let new_month = week == 0 || (monday - Days::new(7)).month() != monday.month();
        if new_month && last_label.is_none_or(|l| week - l >= 3) {
            c.text(x, GRID_TOP - 10.0, MONTHS[monday.month0() as usize], small);
            last_label = Some(week);
        }
        for weekday in 0..7 {
            let day = monday + Days::new(weekday);
            let Some(cell) = heatmap_cell(card.today, day) else {
                continue;
            };
            let answers = card.days.get(&day).copied().unwrap_or(0);
            c.round_rect(
                cell.x as f32,
                cell.y as f32,
                CELL,
                CELL,
                3.0,
                HEAT_COLORS[heat_level(answers)],
            );
        }
    }
    for (row, name) in WEEKDAYS {
        c.text(PAD, GRID_TOP + row as f32 * STEP + 13.0, name, small);
    }
    let grid_right = GRID_LEFT + HEATMAP_WEEKS as f32 * STEP - (STEP - CELL);
    let legend_y = GRID_TOP + 7.0 * STEP + 8.0;
    let mut x = grid_right - HEAT_COLORS.len() as f32 * (12.0 + 3.0);
    for color in HEAT_COLORS {
        c.round_rect(x, legend_y, 12.0, 12.0, 2.0, color);
        x += 15.0;
    }
    let legend_left = grid_right - HEAT_COLORS.len() as f32 * 15.0;
    c.text_right(legend_left - 6.0, legend_y + 11.0, &card.legend[0], small);
    c.text(grid_right + 6.0, legend_y + 11.0, &card.legend[1], small);
    let notes_left = grid_right + 48.0;
    let note_width = width - PAD - notes_left;
    for (i, line) in card.calendar_notes.iter().enumerate() {
        let s = if i == 0 {
            style(22.0, Weight::Bold, INK)
        } else {
            body
        };
        let y = GRID_TOP + 22.0 + i as f32 * 30.0;
        c.text(notes_left, y, &fit(line, s, note_width), s);
    }

    // The sections.
    c.text(
        PAD,
        SECTIONS_TITLE_Y,
        &fit(&card.sections_title, heading, max_text),
        heading,
    );
    for (row, s) in card.sections.iter().enumerate() {
        let top = ROWS_TOP + row as f32 * ROW;
        if row % 2 == 0 {
            c.rect(PAD - 8.0, top, width - 2.0 * PAD + 16.0, ROW, STRIPE);
        }
        let baseline = top + 18.0;
        let label = format!("{:02}  {}", s.number, s.title);
        c.text(PAD, baseline, &fit(&label, body, LABEL_WIDTH), body);
        let bar = section_bar(row);
        let (bx, by) = (bar.x as f32, bar.y as f32);
        c.round_rect(bx, by, BAR_WIDTH, BAR_HEIGHT, BAR_HEIGHT / 2.0, TRACK);
        if s.topics > 0 && s.quizzed > 0 {
            let share = (s.quizzed as f32 / s.topics as f32).min(1.0);
            let w = (BAR_WIDTH * share).max(BAR_HEIGHT);
            c.round_rect(bx, by, w, BAR_HEIGHT, BAR_HEIGHT / 2.0, BAR);
        }
        c.text_right(
            BAR_LEFT + BAR_WIDTH + 80.0,
            baseline,
            &format!("{}/{}", s.quizzed, s.topics),
            body,
        );
        let accuracy = match super::percent(s.correct, s.answered) {
            Some(p) => (format!("{p}%"), body),
            None => ("–".to_string(), style(15.0, Weight::Regular, MUTED)),
        };
        c.text_right(width - PAD, baseline, &accuracy.0, accuracy.1);
    }
    c.png()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_calendar_ends_with_the_week_of_today_and_starts_on_a_monday() {
        let today = day("2026-03-04"); // a Wednesday
        let start = heatmap_start(today);
        assert_eq!(start.weekday(), chrono::Weekday::Mon);
        assert_eq!((day("2026-03-02") - start).num_days(), 7 * 19);
        assert!(heatmap_cell(today, start).is_some());
        assert!(heatmap_cell(today, start - Days::new(1)).is_none());
        assert!(
            heatmap_cell(today, today + Days::new(1)).is_none(),
            "the future"
        );
        let last = heatmap_cell(today, today).unwrap();
        let first = heatmap_cell(today, start).unwrap();
        assert_eq!(last.x - first.x, (19.0 * STEP) as u32);
        assert_eq!(
            last.y - first.y,
            (2.0 * STEP) as u32,
            "Wednesday is the third row"
        );
    }

    #[test]
    fn heat_levels_rise_with_answers() {
        let levels: Vec<usize> = [0, 1, 2, 3, 5, 6, 9, 10, 1000]
            .into_iter()
            .map(heat_level)
            .collect();
        assert_eq!(levels, [0, 1, 1, 2, 2, 3, 3, 4, 4]);
    }
}
