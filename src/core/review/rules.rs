//! Spaced-repetition rules: every answered question is a review card of its learner, scheduled
//! with FSRS. The `rs-fsrs` crate (FSRS-5) does the scheduling, with its long-term scheduler:
//! intervals are whole days (no minute-long learning steps, which a daily study habit has no
//! use for), and Again < Hard < Good < Easy always hold between the intervals it offers.

use crate::core::time::Timezone;
use crate::store::{CardUpdate, ReviewCardRow, ReviewLogRow};
use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};

/// FSRS as studybot uses it: the crate's default weights and 90 % desired retention, long-term
/// scheduling, no fuzz (due dates depend only on the answers and their times).
pub fn parameters() -> Parameters {
    Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    }
}

/// The rating an answer gives its card: wrong is Again; right is Good, or Hard when the card's
/// previous answer was wrong (recalled, but only just relearned).
pub fn rating_for(correct: bool, previous: Option<Rating>) -> Rating {
    match (correct, previous) {
        (false, _) => Rating::Again,
        (true, Some(Rating::Again)) => Rating::Hard,
        (true, _) => Rating::Good,
    }
}

/// A card becomes reviewable at the start of the local day its due instant falls on (like Anki's
/// day-based due dates), so a morning reminder and /review count the same cards all day.
pub fn due_before(now: DateTime<Utc>, tz: Timezone) -> DateTime<Utc> {
    let today = tz.local_day(now);
    match today.succ_opt() {
        Some(tomorrow) => tz.start_of_day(tomorrow),
        None => now,
    }
}

/// A review: the card after it and the log entry (without the ids the store assigns).
#[derive(Debug, Clone)]
pub struct Reviewed {
    pub rating: Rating,
    pub before: Card,
    pub after: Card,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
}

/// Reviews `card` (`None`: a question answered for the first time) with `rating` at `now`.
pub fn review(card: Option<Card>, rating: Rating, now: DateTime<Utc>) -> Reviewed {
    let before = card.unwrap_or_else(|| new_card(now));
    let info = FSRS::new(parameters()).next(before.clone(), now, rating);
    Reviewed {
        rating,
        before,
        after: info.card,
        elapsed_days: info.review_log.elapsed_days,
        scheduled_days: info.review_log.scheduled_days,
    }
}

/// A card never reviewed, as of `now`.
pub fn new_card(now: DateTime<Utc>) -> Card {
    Card {
        due: now,
        last_review: now,
        ..Card::default()
    }
}

pub fn card_of(row: &ReviewCardRow) -> Card {
    Card {
        due: row.due_at,
        stability: row.stability,
        difficulty: row.difficulty,
        elapsed_days: row.elapsed_days,
        scheduled_days: row.scheduled_days,
        reps: i32::try_from(row.reps).unwrap_or(i32::MAX),
        lapses: i32::try_from(row.lapses).unwrap_or(i32::MAX),
        state: state_of(row.state),
        last_review: row.last_review_at,
    }
}

pub fn rating_of(n: i64) -> Option<Rating> {
    match n {
        1 => Some(Rating::Again),
        2 => Some(Rating::Hard),
        3 => Some(Rating::Good),
        4 => Some(Rating::Easy),
        _ => None,
    }
}

fn state_of(n: i64) -> State {
    match n {
        1 => State::Learning,
        2 => State::Review,
        3 => State::Relearning,
        _ => State::New,
    }
}

impl Reviewed {
    /// The card row to store for `user_id`'s card on this question.
    pub fn update<'a>(
        &self,
        user_id: i64,
        topic_id: &'a str,
        question_idx: i64,
        question_hash: &'a str,
    ) -> CardUpdate<'a> {
        let c = &self.after;
        CardUpdate {
            user_id,
            topic_id,
            question_idx,
            question_hash,
            state: c.state as i64,
            due_at: c.due,
            stability: c.stability,
            difficulty: c.difficulty,
            elapsed_days: c.elapsed_days,
            scheduled_days: c.scheduled_days,
            reps: i64::from(c.reps),
            lapses: i64::from(c.lapses),
            last_review_at: c.last_review,
            last_rating: self.rating as i64,
        }
    }

    /// The log entry of this review.
    pub fn log(
        &self,
        user_id: i64,
        card_id: i64,
        answer_id: i64,
        at: DateTime<Utc>,
    ) -> ReviewLogRow {
        ReviewLogRow {
            user_id,
            card_id,
            answer_id,
            rating: self.rating as i64,
            reviewed_at: at,
            elapsed_days: self.elapsed_days,
            scheduled_days: self.scheduled_days,
            state_before: self.before.state as i64,
            state_after: self.after.state as i64,
            stability_before: self.before.stability,
            stability_after: self.after.stability,
            difficulty_before: self.before.difficulty,
            difficulty_after: self.after.difficulty,
            due_after: self.after.due,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn wrong_is_again_right_is_good_and_right_after_wrong_is_hard() {
        assert_eq!(rating_for(false, None), Rating::Again);
        assert_eq!(rating_for(false, Some(Rating::Good)), Rating::Again);
        assert_eq!(rating_for(true, None), Rating::Good);
        assert_eq!(rating_for(true, Some(Rating::Good)), Rating::Good);
        assert_eq!(rating_for(true, Some(Rating::Hard)), Rating::Good);
        assert_eq!(rating_for(true, Some(Rating::Again)), Rating::Hard);
    }

    #[test]
    fn a_card_survives_the_round_trip_through_its_row() {
        let now = utc("2026-03-02T10:00:00Z");
        let r = review(None, Rating::Good, now);
        let u = r.update(7, "alpha", 1, "0123456789abcdef");
        let row = ReviewCardRow {
            id: 1,
            user_id: u.user_id,
            topic_id: u.topic_id.to_string(),
            question_idx: u.question_idx,
            question_hash: Some(u.question_hash.to_string()),
            retired: false,
            state: u.state,
            due_at: u.due_at,
            stability: u.stability,
            difficulty: u.difficulty,
            elapsed_days: u.elapsed_days,
            scheduled_days: u.scheduled_days,
            reps: u.reps,
            lapses: u.lapses,
            last_review_at: u.last_review_at,
            last_rating: u.last_rating,
        };
        assert_eq!(card_of(&row), r.after);
        assert_eq!(rating_of(row.last_rating), Some(Rating::Good));
    }

    #[test]
    fn cards_are_due_from_the_start_of_their_local_day() {
        let berlin = Timezone::parse("Europe/Berlin").unwrap();
        // 08:00 in Berlin on 2026-03-02: due before Berlin's midnight (23:00 UTC).
        assert_eq!(
            due_before(utc("2026-03-02T07:00:00Z"), berlin),
            utc("2026-03-02T23:00:00Z")
        );
    }
}
