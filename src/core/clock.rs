//! Time and randomness are injected so every time rule is tested at a fixed instant.

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock(Mutex::new(at))
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Source of ids and of the choices that should look random (which question a quiz asks).
pub trait IdSource: Send + Sync {
    fn next_u64(&self) -> u64;
}

/// SplitMix64 from a seed: deterministic in tests, seeded from the time in production.
pub struct SeededIds(AtomicU64);

impl SeededIds {
    pub fn new(seed: u64) -> SeededIds {
        SeededIds(AtomicU64::new(seed))
    }
    pub fn from_time() -> SeededIds {
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        SeededIds::new(nanos as u64 ^ u64::from(std::process::id()))
    }
}

impl IdSource for SeededIds {
    fn next_u64(&self) -> u64 {
        let mut z = self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_repeat_for_the_same_seed_and_differ_between_calls() {
        let (a, b) = (SeededIds::new(7), SeededIds::new(7));
        let xs: Vec<u64> = (0..3).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..3).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs[0], xs[1]);
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let t = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = FixedClock::new(t);
        assert_eq!(c.now(), t);
        c.advance(Duration::hours(1));
        assert_eq!(c.now(), t + Duration::hours(1));
    }
}
