//! The built binary as a child process with its logs captured to a file.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_studybot");

/// Runs the console on the database file `db` with `input` piped in: the fixture content, a
/// fixed clock at `now`, files saved into `exports`, no chat tokens. Returns once the input is used
/// up and the console has exited.
pub fn run_console(db: &Path, exports: &Path, now: &str, input: &[u8]) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("CONTENT_DIR", super::fixture_dir())
        .env("STUDYBOT_NOW", now)
        .env("EXPORT_DIR", exports)
        .env("RUST_LOG", "warn")
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env_remove("DISCORD_TOKEN")
        .env_remove("DEFAULT_TIMEZONE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

pub struct BotProcess {
    child: Child,
    pub log: PathBuf,
}

impl BotProcess {
    /// Starts `studybot` with `env` on top of a clean environment for the chat adapters.
    pub fn spawn(dir: &Path, env: &[(&str, String)]) -> BotProcess {
        // One log per process ever started here, so a restarted bot never overwrites the log
        // of the one before it.
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = dir.join(format!("bot-{}-{n}.log", std::process::id()));
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(BIN);
        cmd.env_remove("TELEGRAM_BOT_TOKEN")
            .env_remove("DISCORD_TOKEN")
            .env_remove("TELEGRAM_API_URL")
            .env_remove("DISCORD_API_URL")
            .env("RUST_LOG", "info")
            // Tests of other things send commands faster than any member would: limits off
            // unless a test sets them.
            .env("USER_RATE_LIMIT", "off")
            .env("CHAT_RATE_LIMIT", "off")
            .env("EXPENSIVE_RATE_LIMIT", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        BotProcess {
            child: cmd.spawn().expect("the binary starts"),
            log,
        }
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the exit code (without blocking the test's runtime, which
    /// also runs the fake servers).
    pub async fn terminate(mut self, within: Duration) -> Option<i32> {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
