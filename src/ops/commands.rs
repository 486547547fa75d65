//! The admin subcommands: `backup`, `config check` and `healthcheck`.

use crate::config::{Config, ConfigError};
use crate::store::Store;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// How long `studybot healthcheck` waits for `/healthz` (Docker's own timeout is longer).
const HEALTHCHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// `studybot backup FILE [--force]`: a consistent copy of the live database.
pub async fn backup(file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    let store = Store::attach(&config.database_url).await?;
    let started = std::time::Instant::now();
    let result = store.backup_into(file, force).await;
    store.close().await;
    let bytes = result?;
    tracing::info!(
        file = %file.display(),
        bytes,
        ms = started.elapsed().as_millis() as u64,
        "backup written"
    );
    println!("backup written to {} ({bytes} bytes)", file.display());
    Ok(ExitCode::SUCCESS)
}

/// `studybot config check`: loads the configuration as a start would (environment and `.env`),
/// names every bad variable on its own line (stderr, exit 1), or prints the effective
/// configuration with secrets redacted (stdout, exit 0).
pub fn config_check() -> ExitCode {
    let mut problems = Vec::new();
    let config = match Config::from_env() {
        Ok(c) => Some(c),
        Err(errors) => {
            problems.extend(errors.0);
            None
        }
    };
    if let Some(c) = &config
        && let Err(e) = crate::content::load_catalog(&c.content_dir, false)
    {
        let first = e.to_string().lines().next().unwrap_or("").to_string();
        problems.push(ConfigError {
            var: "CONTENT_DIR",
            message: format!("{} does not load: {first}", c.content_dir.display()),
        });
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        eprintln!("config check failed: {} problem(s)", problems.len());
        return ExitCode::FAILURE;
    }
    let Some(config) = config else {
        return ExitCode::FAILURE;
    };
    for (var, value) in config.effective() {
        println!("{var}={value}");
    }
    println!("config OK");
    ExitCode::SUCCESS
}

/// `studybot healthcheck`: 0 when the local admin server answers `/healthz` with 200.
pub async fn healthcheck() -> anyhow::Result<ExitCode> {
    let config = Config::from_env()?;
    let addr = config
        .ops
        .http_addr
        .ok_or_else(|| anyhow::anyhow!("HTTP_ADDR is not set: the admin server is off"))?;
    match super::http::check(addr, HEALTHCHECK_TIMEOUT).await {
        Ok(body) => {
            println!("{body}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("unhealthy: {e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}
