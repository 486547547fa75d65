//! A clock read from a file, for end-to-end tests that move time in a running binary
//! (`STUDYBOT_CLOCK_FILE`): the test writes an RFC 3339 instant into the file, and every
//! `now()` reads it. Deadlines then pass exactly when the test says, never by wall-clock luck.

use crate::core::Clock;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Mutex;

pub struct FileClock {
    path: PathBuf,
    /// The last instant read, kept while the file is being rewritten (empty or half-written).
    last: Mutex<DateTime<Utc>>,
}

impl FileClock {
    /// Fails if the file does not hold an instant now, so a typo stops the bot at once.
    pub fn open(path: PathBuf) -> Result<FileClock, String> {
        let now = read(&path).ok_or_else(|| {
            format!(
                "{} must hold an RFC 3339 instant like 2026-03-01T09:00:00Z",
                path.display()
            )
        })?;
        Ok(FileClock {
            path,
            last: Mutex::new(now),
        })
    }
}

fn read(path: &std::path::Path) -> Option<DateTime<Utc>> {
    let text = std::fs::read_to_string(path).ok()?;
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Clock for FileClock {
    fn now(&self) -> DateTime<Utc> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = read(&self.path) {
            *last = t;
        }
        *last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_follows_the_file_and_keeps_its_time_while_the_file_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("now");
        assert!(FileClock::open(path.clone()).is_err(), "no file, no clock");
        std::fs::write(&path, "2026-03-02T10:00:00Z\n").unwrap();
        let clock = FileClock::open(path.clone()).unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2026-03-02T10:00:00+00:00");
        std::fs::write(&path, "2026-03-02T10:00:32Z").unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2026-03-02T10:00:32+00:00");
        std::fs::write(&path, "").unwrap();
        assert_eq!(clock.now().to_rfc3339(), "2026-03-02T10:00:32+00:00");
    }
}
