//! Per-member and per-chat command rate limits, in memory per process (the `governor` crate's
//! keyed GCRA limiters). A member who sends commands faster than a human would gets one polite
//! "slow down, try again in N s", then silence until the limit lets them in again. Quiz answers
//! (buttons, polls, letters) are never limited: they are answers, not commands. Drawing cards and
//! exports (`/progress card`, `/leaderboard card`, `/export`, `/round`) have their own lower limit.

use super::command::Command;
use super::context::Ctx;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Default `USER_RATE_LIMIT`: a member's commands, in any chats.
pub const DEFAULT_USER: &str = "20/min,burst=10";
/// Default `CHAT_RATE_LIMIT`: all members' commands in one chat.
pub const DEFAULT_CHAT: &str = "60/min,burst=20";
/// Default `EXPENSIVE_RATE_LIMIT`: a member's cards, exports and rounds.
pub const DEFAULT_EXPENSIVE: &str = "3/min,burst=2";
/// How often (in checks) limiter state of keys that are idle again is dropped.
const PRUNE_EVERY: u64 = 4096;

/// `N/s`, `N/min` or `N/h`, optionally `,burst=B` (how many may come at once; default N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: NonZeroU32,
    pub per: Duration,
    pub burst: NonZeroU32,
}

impl Rate {
    /// Parses `20/min`, `20/min,burst=5`, `1/s`, `100/h`; `Ok(None)` for `off`.
    pub fn parse(s: &str) -> Result<Option<Rate>, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let bad = || format!("{s:?} is not a rate like 20/min, 20/min,burst=5, 1/s or off");
        let (rate, burst) = match s.split_once(',') {
            Some((r, b)) => (r, Some(b.trim().strip_prefix("burst=").ok_or_else(bad)?)),
            None => (s, None),
        };
        let (count, unit) = rate.split_once('/').ok_or_else(bad)?;
        let count: NonZeroU32 = count.trim().parse().map_err(|_| bad())?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(bad()),
        };
        let burst = match burst {
            Some(b) => b.trim().parse().map_err(|_| bad())?,
            None => count,
        };
        Ok(Some(Rate { count, per, burst }))
    }

    fn quota(&self) -> Quota {
        let period = self.per / self.count.get();
        Quota::with_period(period.max(Duration::from_nanos(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(self.burst)
    }
}

/// What to do with a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Go,
    /// Refused; say so once: the limit lets the member in again after this many seconds.
    SlowDown(u64),
    /// Refused, and the member was told already.
    Silent,
}

/// The limiters of one process.
pub struct Limits {
    user: Option<DefaultKeyedRateLimiter<String>>,
    chat: Option<DefaultKeyedRateLimiter<String>>,
    expensive: Option<DefaultKeyedRateLimiter<String>>,
    /// Who was told to slow down, until when.
    told: Mutex<HashMap<String, Instant>>,
    checks: AtomicU64,
}

impl Limits {
    /// No limits at all (the console, tests of other things).
    pub fn off() -> Limits {
        Limits::new(None, None, None)
    }

    pub fn new(user: Option<Rate>, chat: Option<Rate>, expensive: Option<Rate>) -> Limits {
        let keyed = |r: Option<Rate>| r.map(|r| RateLimiter::keyed(r.quota()));
        Limits {
            user: keyed(user),
            chat: keyed(chat),
            expensive: keyed(expensive),
            told: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
        }
    }

    /// Whether `cmd` from `ctx` may run now (`None`: text that is not a valid command, answered
    /// with an error). Answers always may.
    pub fn check(&self, ctx: &Ctx, cmd: Option<&Command>) -> Admission {
        if matches!(cmd, Some(Command::Answer { .. })) {
            return Admission::Go;
        }
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.prune();
        }
        let platform = ctx.platform.as_str();
        let user = format!("{platform}:user:{}", ctx.user_id);
        let chat = format!("{platform}:chat:{}", ctx.chat_id);
        let limited = [
            (&self.user, &user, true),
            (&self.chat, &chat, true),
            (&self.expensive, &user, cmd.is_some_and(expensive)),
        ];
        for (limiter, key, applies) in limited {
            let Some(limiter) = limiter.as_ref().filter(|_| applies) else {
                continue;
            };
            if let Err(not_until) = limiter.check_key(key) {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                return self.refuse(&user, wait);
            }
        }
        Admission::Go
    }

    /// The first refusal in a window is said, later ones are not.
    fn refuse(&self, user: &str, wait: Duration) -> Admission {
        let now = Instant::now();
        let mut told = self.told.lock().unwrap_or_else(|e| e.into_inner());
        if told.get(user).is_some_and(|until| *until > now) {
            return Admission::Silent;
        }
        told.insert(user.to_string(), now + wait);
        Admission::SlowDown(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    }

    /// Forgets keys whose limits are full again, so memory follows the active members.
    fn prune(&self) {
        for l in [&self.user, &self.chat, &self.expensive]
            .into_iter()
            .flatten()
        {
            l.retain_recent();
            l.shrink_to_fit();
        }
        let now = Instant::now();
        let mut told = self.told.lock().unwrap_or_else(|e| e.into_inner());
        told.retain(|_, until| *until > now);
    }
}

/// Commands that draw pictures, build files or post many messages.
fn expensive(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::ProgressCard | Command::LeaderboardCard | Command::Export | Command::Round(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::context::{Capabilities, ChatKind, Platform};

    fn ctx(user: &str, chat: &str) -> Ctx {
        Ctx {
            platform: Platform::Telegram,
            caps: Capabilities::default(),
            chat_id: chat.into(),
            chat_kind: ChatKind::Group,
            user_id: user.into(),
            user_name: user.into(),
            is_admin: false,
            now: chrono::Utc::now(),
            event: None,
            lang: crate::core::Lang::English,
        }
    }

    fn rate(s: &str) -> Option<Rate> {
        Rate::parse(s).unwrap()
    }

    #[test]
    fn rates_parse_with_and_without_a_burst() {
        let r = rate("20/min,burst=5").unwrap();
        assert_eq!(
            (r.count.get(), r.per, r.burst.get()),
            (20, Duration::from_secs(60), 5)
        );
        assert_eq!(rate("2/s").unwrap().burst.get(), 2);
        assert_eq!(rate("OFF"), None);
        for bad in [
            "20",
            "0/min",
            "20/week",
            "20/min,5",
            "x/min",
            "20/min,burst=0",
        ] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
        for d in [DEFAULT_USER, DEFAULT_CHAT, DEFAULT_EXPENSIVE] {
            assert!(rate(d).is_some(), "{d}");
        }
    }

    #[test]
    fn a_flooding_member_is_told_once_then_ignored_while_answers_still_count() {
        let limits = Limits::new(rate("2/h"), None, None);
        let ana = ctx("ana", "g");
        assert_eq!(limits.check(&ana, Some(&Command::Today)), Admission::Go);
        assert_eq!(limits.check(&ana, Some(&Command::Today)), Admission::Go);
        let Admission::SlowDown(secs) = limits.check(&ana, Some(&Command::Today)) else {
            panic!("the third command is refused with a note");
        };
        assert!((1..=1800).contains(&secs), "{secs}");
        assert_eq!(limits.check(&ana, Some(&Command::Help)), Admission::Silent);
        let answer = Command::Answer {
            quiz_id: Some(1),
            letter: crate::core::quiz::OptionLetter::parse("A").unwrap(),
        };
        assert_eq!(limits.check(&ana, Some(&answer)), Admission::Go);
        assert_eq!(
            limits.check(&ctx("bob", "g"), Some(&Command::Today)),
            Admission::Go
        );
    }

    #[test]
    fn expensive_commands_have_their_own_lower_limit() {
        let limits = Limits::new(rate("100/h"), rate("100/h"), rate("1/h"));
        let ana = ctx("ana", "g");
        assert_eq!(limits.check(&ana, Some(&Command::Export)), Admission::Go);
        assert!(matches!(
            limits.check(&ana, Some(&Command::ProgressCard)),
            Admission::SlowDown(_)
        ));
        assert_eq!(limits.check(&ana, Some(&Command::Today)), Admission::Go);
    }

    #[test]
    fn a_busy_chat_is_limited_as_a_whole() {
        let limits = Limits::new(None, rate("2/h"), None);
        assert_eq!(
            limits.check(&ctx("a", "g"), Some(&Command::Today)),
            Admission::Go
        );
        assert_eq!(
            limits.check(&ctx("b", "g"), Some(&Command::Today)),
            Admission::Go
        );
        assert!(matches!(
            limits.check(&ctx("c", "g"), Some(&Command::Today)),
            Admission::SlowDown(_)
        ));
        assert_eq!(
            limits.check(&ctx("c", "h"), Some(&Command::Today)),
            Admission::Go
        );
    }
}
