//! Wiring only: config → store (+migrate) → content → adapters.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use studybot::adapters::telegram::Telegram;
use studybot::config::{Config, LogFormat, content_dir_from};
use studybot::content::{check_catalog, load_catalog};
use studybot::core::{App, Clock, FixedClock, Limits, SeededIds, SystemClock};
use studybot::core::{Lang, Platform};
use studybot::ops;
use studybot::ops::http::HttpServer;
use studybot::scheduler::Scheduler;
use studybot::store::Store;
use tokio_util::sync::CancellationToken;

/// A chat bot that teaches backend engineering one topic a day.
///
/// With no subcommand, runs every chat adapter whose token is configured, or the console adapter
/// when none is. Configuration comes from environment variables and `.env` (see .env.example).
#[derive(Parser)]
#[command(name = "studybot", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Study in the terminal: commands on stdin, replies on stdout.
    Console,
    /// Work with the curriculum in content/.
    Content {
        #[command(subcommand)]
        command: ContentCmd,
    },
    /// Print exactly what the bot would send for a topic (Telegram HTML, Discord embed JSON or
    /// console text) and its visible length.
    Preview {
        /// The topic's id, e.g. `what-is-a-computer`.
        topic: String,
        #[arg(long, value_enum, default_value_t = PreviewOn::Telegram)]
        platform: PreviewOn,
        /// Content directory (default: $CONTENT_DIR, else ./content).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Copy the live database consistently into FILE (VACUUM INTO), while the bot runs.
    Backup {
        /// Where the copy goes; an existing file is kept unless --force.
        file: PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Check the configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCmd,
    },
    /// Ask the running bot's /healthz (on HTTP_ADDR); exits 0 when healthy. For Docker.
    Healthcheck,
    /// Import, export or remove a question deck (a group's own questions).
    Deck {
        #[command(subcommand)]
        command: DeckCli,
    },
    /// Whole-database operations across engines.
    Store {
        #[command(subcommand)]
        command: StoreCmd,
    },
}

#[derive(Subcommand)]
enum StoreCmd {
    /// Copy every table from one database into an EMPTY database of either engine (SQLite to
    /// PostgreSQL, back, or the same engine), in one transaction, checking every table's row
    /// count. Both are migrated first; stop the bot while copying.
    ///
    /// Example: studybot store copy --from sqlite://studybot.db --to postgres://studybot@db/studybot
    Copy {
        /// The database to read: sqlite://FILE or postgres://USER@HOST/DB.
        #[arg(long)]
        from: String,
        /// The empty database to fill (a new SQLite file is created): sqlite://FILE or
        /// postgres://USER@HOST/DB.
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum DeckCli {
    /// Validate FILE (.csv or .toml) and store it as a deck; the same id again replaces its
    /// questions, keeping review cards of questions whose text did not change.
    Import {
        file: PathBuf,
        /// The deck's id (default: from the file name).
        #[arg(long)]
        id: Option<String>,
        /// The deck's title (default: the TOML section's title, else the id).
        #[arg(long)]
        title: Option<String>,
        /// Usable in every chat (otherwise no chat can use a deck imported here).
        #[arg(long)]
        public: bool,
    },
    /// Print a deck as CSV (formula-like cells behind a `'`).
    Export { id: String },
    /// Delete a deck; chats studying it go back to the curriculum.
    Remove { id: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum PreviewOn {
    Telegram,
    Discord,
    Console,
}

#[derive(Subcommand)]
enum ConfigCmd {
    /// Load the configuration as a start would; one line per bad variable, or the effective
    /// configuration with secrets redacted.
    Check,
}

#[derive(Subcommand)]
enum ContentCmd {
    /// Validate content/ and print its coverage; exits non-zero with file:line errors.
    Check {
        /// Also fail on topics that are still outlines.
        #[arg(long)]
        strict: bool,
        /// Content directory (default: $CONTENT_DIR, else ./content).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Learners' reports of bad questions, grouped by question, newest first; a report of a
    /// question changed since is marked stale.
    Reports {
        /// Only reports from this day (YYYY-MM-DD, UTC) or instant (RFC 3339) on.
        #[arg(long, value_parser = parse_since)]
        since: Option<chrono::DateTime<chrono::Utc>>,
    },
}

/// `--since`: a UTC day or an RFC 3339 instant.
fn parse_since(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| format!("`{s}` is neither YYYY-MM-DD nor an RFC 3339 instant"))
}

/// Log targets that carry Discord interaction tokens (each valid 15 minutes for replies to its
/// interaction) at debug and trace: serenity's HTTP request span holds the route with the token,
/// and tungstenite dumps whole gateway frames. They stay at these levels whatever `RUST_LOG` says
/// (bot tokens never reach any log: tests/secrets.rs checks at trace).
const SECRET_BEARING_LOGS: [&str; 3] = [
    "serenity::http=warn",
    "tungstenite=info",
    "tokio_tungstenite=info",
];

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = dotenvy::dotenv();
    init_logs();
    let result = match cli.command {
        Some(Cmd::Content {
            command: ContentCmd::Check { strict, dir },
        }) => content_check(strict, dir),
        Some(Cmd::Preview {
            topic,
            platform,
            dir,
        }) => preview(&topic, platform, dir),
        Some(Cmd::Config {
            command: ConfigCmd::Check,
        }) => Ok(ops::commands::config_check()),
        command => tokio::runtime::Runtime::new()
            .context("cannot start the async runtime")
            .and_then(|rt| rt.block_on(run(command))),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn content_dir(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from(content_dir_from(&|k| std::env::var(k).ok())))
}

fn preview(topic: &str, platform: PreviewOn, dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    use studybot::adapters::preview::{PreviewPlatform, preview};
    let dir = content_dir(dir);
    let catalog = load_catalog(&dir, false)
        .map_err(|e| anyhow::anyhow!("{e}\ncontent in {} is invalid", dir.display()))?;
    let platform = match platform {
        PreviewOn::Telegram => PreviewPlatform::Telegram,
        PreviewOn::Discord => PreviewPlatform::Discord,
        PreviewOn::Console => PreviewPlatform::Console,
    };
    let width = studybot::adapters::console::output_width();
    print!("{}", preview(&catalog, topic, platform, width)?);
    Ok(ExitCode::SUCCESS)
}

/// Logs go to stderr, human-readable unless `LOG_FORMAT=json` (a bad value is reported by the
/// configuration check that follows, naming the variable).
fn init_logs() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Whatever RUST_LOG says, the log targets that print interaction tokens stay quiet.
    for directive in SECRET_BEARING_LOGS {
        if let Ok(d) = directive.parse() {
            filter = filter.add_directive(d);
        }
    }
    let json = std::env::var("LOG_FORMAT")
        .ok()
        .and_then(|f| LogFormat::parse(&f).ok())
        == Some(LogFormat::Json);
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json().init();
    } else {
        logs.init();
    }
}

fn content_check(strict: bool, dir: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = content_dir(dir);
    let outcome = check_catalog(&dir, strict);
    let figures: std::collections::HashMap<u8, _> = outcome.figures.into_iter().collect();
    match outcome.catalog {
        Ok(catalog) => {
            for s in catalog.sections() {
                let topics = catalog.section_topics(s);
                let written = topics.iter().filter(|t| !t.is_outline()).count();
                let questions: usize = topics.iter().map(|t| t.questions().len()).sum();
                let state = if written == topics.len() {
                    "complete"
                } else {
                    "outline"
                };
                println!(
                    "{:02} {:<36} {written:>3}/{:<3} topics {questions:>4} questions  {state}",
                    s.number,
                    s.title,
                    topics.len()
                );
                if let Some(f) = figures.get(&s.number) {
                    println!("   {f}");
                }
            }
            let c = catalog.coverage();
            println!(
                "content OK: {} sections ({} complete), {}/{} topics written, {} questions",
                c.sections, c.sections_complete, c.topics_written, c.topics, c.questions
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            let mut numbers: Vec<_> = figures.iter().collect();
            numbers.sort_by_key(|(n, _)| **n);
            for (n, f) in numbers {
                eprintln!("{n:02} {f}");
            }
            for e in &errors.0 {
                eprintln!("{e}");
            }
            eprintln!("content check failed: {} error(s)", errors.0.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `store copy`: a line per table, then the total; an error exits non-zero with its message.
async fn store_copy(from: &str, to: &str) -> anyhow::Result<ExitCode> {
    use studybot::store::copy::{copy_database, redacted};
    let report = copy_database(from, to).await?;
    println!("copied {} → {}:", redacted(from), redacted(to));
    for (table, rows) in &report.tables {
        println!("  {table:<22} {rows:>10}");
    }
    println!(
        "total: {} rows in {} tables, every table's count checked",
        report.total(),
        report.tables.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn run(command: Option<Cmd>) -> anyhow::Result<ExitCode> {
    match &command {
        Some(Cmd::Backup { file, force }) => return ops::commands::backup(file, *force).await,
        Some(Cmd::Healthcheck) => return ops::commands::healthcheck().await,
        Some(Cmd::Store {
            command: StoreCmd::Copy { from, to },
        }) => return store_copy(from, to).await,
        _ => {}
    }
    let config = Config::from_env()?;
    let catalog = load_catalog(&config.content_dir, false).map_err(|e| {
        anyhow::anyhow!(
            "{e}\ncontent in {} is invalid",
            config.content_dir.display()
        )
    })?;
    let store = Store::open_with(&config.database_url, config.database).await?;
    let clock: Arc<dyn Clock> = match (config.clock_file.clone(), config.fixed_now) {
        (Some(path), _) => Arc::new(
            studybot::file_clock::FileClock::open(path)
                .map_err(|e| anyhow::anyhow!("STUDYBOT_CLOCK_FILE: {e}"))?,
        ),
        (None, Some(t)) => Arc::new(FixedClock::new(t)),
        (None, None) => Arc::new(SystemClock),
    };
    let app = App::new(
        Arc::new(catalog),
        store.clone(),
        Arc::new(SeededIds::from_time()),
        config.default_timezone,
    )
    .with_limits(Limits::new(
        config.limits.user,
        config.limits.chat,
        config.limits.expensive,
    ));
    match app.reviews().retire_changed_cards().await {
        Ok(n) if n > 0 => tracing::info!(cards = n, "retired review cards of changed questions"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not retire review cards of changed questions"),
    }
    let command = match command {
        Some(Cmd::Deck { command }) => return deck_cli(&app, command, clock.now()).await,
        Some(Cmd::Content {
            command: ContentCmd::Reports { since },
        }) => {
            for line in app.report_listing(since, None, Lang::English).await? {
                println!("{line}");
            }
            store.close().await;
            return Ok(ExitCode::SUCCESS);
        }
        other => other,
    };
    let no_tokens = config.telegram.is_none() && config.discord.is_none();
    if matches!(command, Some(Cmd::Console)) || no_tokens {
        if no_tokens && command.is_none() {
            tracing::info!(
                "no TELEGRAM_BOT_TOKEN or DISCORD_TOKEN set: starting the console adapter"
            );
        }
        let stdin = tokio::io::BufReader::new(tokio::io::stdin());
        studybot::adapters::console::run_saving_to(
            &app,
            clock,
            stdin,
            tokio::io::stdout(),
            &config.export_dir,
        )
        .await?;
    } else {
        return serve_chats(&config, app, store, clock).await;
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `studybot deck …`: problems go to stderr with a non-zero exit, nothing is half-imported.
async fn deck_cli(
    app: &App,
    command: DeckCli,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<ExitCode> {
    use studybot::content::deck::DeckLimits;
    use studybot::core::deck::DeckImport;
    match command {
        DeckCli::Import {
            file,
            id,
            title,
            public,
        } => {
            let size = std::fs::metadata(&file)
                .with_context(|| format!("cannot read {}", file.display()))?
                .len();
            if size > DeckLimits::MAX_BYTES as u64 {
                eprintln!(
                    "{}:0: the file has {size} bytes; a deck file is at most {} (1 MB)",
                    file.display(),
                    DeckLimits::MAX_BYTES
                );
                return Ok(ExitCode::FAILURE);
            }
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.display().to_string();
            let import = DeckImport {
                file_name: &name,
                bytes: &bytes,
                id: id.as_deref(),
                title: title.as_deref(),
                public,
            };
            match app.import_deck(import, now).await {
                Ok(Ok(msg)) => println!("{}", msg.english()),
                Ok(Err(problems)) => {
                    for p in &problems.0 {
                        eprintln!("{p}");
                    }
                    eprintln!(
                        "deck import failed: {} problem(s); nothing imported",
                        problems.0.len()
                    );
                    return Ok(ExitCode::FAILURE);
                }
                Err(studybot::core::Error::User(m)) => {
                    eprintln!("{}", m.english());
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e.into()),
            }
        }
        DeckCli::Export { id } => match app.export_deck(&id).await? {
            Some(csv) => print!("{csv}"),
            None => {
                eprintln!("no deck `{id}`");
                return Ok(ExitCode::FAILURE);
            }
        },
        DeckCli::Remove { id } => {
            if !app.remove_deck(&id).await? {
                eprintln!("no deck `{id}`");
                return Ok(ExitCode::FAILURE);
            }
            println!("deck {id} removed");
        }
    }
    app.store().close().await;
    Ok(ExitCode::SUCCESS)
}

/// Runs the chat adapters, the scheduler and the admin server until a signal or a failed
/// adapter, then shuts down in order: stop taking updates, finish in-flight handlers and sends
/// (at most `SHUTDOWN_TIMEOUT`), render the metrics one last time, stop the admin server,
/// checkpoint the WAL, close the database.
async fn serve_chats(
    config: &Config,
    app: App,
    store: Store,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<ExitCode> {
    let metrics = ops::metrics::install()?;
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    // Every part that will run is expected by /healthz from the start: one that has not come
    // up yet is reported down, not left out.
    let health = ops::health();
    health.scheduler_enabled();
    if config.telegram.is_some() {
        health.telegram_enabled();
    }
    if config.discord.is_some() {
        health.discord_enabled();
    }
    let stop_admin = CancellationToken::new();
    let admin = match config.ops.http_addr {
        Some(addr) => {
            let server =
                HttpServer::admin(addr, store.clone(), config.ops.health, metrics.clone()).await?;
            tracing::info!(addr = %server.local_addr()?, "admin server listening (/healthz, /livez, /metrics)");
            Some(tokio::spawn(server.serve(stop_admin.clone())))
        }
        None => None,
    };
    let mut adapters = tokio::task::JoinSet::new();
    let mut scheduler = Scheduler::new(app.clone(), clock.clone(), config.push.clone());
    if let Some(tg) = &config.telegram {
        let telegram = Telegram::connect(app.clone(), tg).await?;
        scheduler = scheduler.with_target(Platform::Telegram, telegram.pusher(tg.rate_limit));
        scheduler = scheduler.with_round_target(Platform::Telegram, telegram.rounds(tg.rate_limit));
        adapters.spawn(telegram.run(clock.clone(), shutdown.clone()));
    }
    if let Some(dc) = config.discord.clone() {
        let outbox = studybot::adapters::discord::Outbox::new(&dc);
        scheduler = scheduler.with_round_target(Platform::Discord, Arc::new(outbox.clone()));
        scheduler = scheduler.with_target(Platform::Discord, Arc::new(outbox));
        adapters.spawn(studybot::adapters::discord::run(
            app.clone(),
            clock.clone(),
            dc,
            shutdown.clone(),
        ));
    }
    // Quiz rounds tick in their own task, so a long push fan-out never delays a deadline.
    let (rounds, stop_rounds) = (scheduler.clone(), shutdown.clone());
    adapters.spawn(async move {
        rounds.run_rounds(stop_rounds).await;
        Ok(())
    });
    let stop_scheduler = shutdown.clone();
    adapters.spawn(async move {
        scheduler.run(stop_scheduler).await;
        Ok(())
    });

    let mut failed = None;
    let mut stopping_since = None;
    let mut timed_out = false;
    loop {
        let next = async {
            match stopping_since {
                Some(since) => {
                    let deadline = since + config.ops.shutdown_timeout;
                    tokio::time::timeout_at(deadline, adapters.join_next()).await
                }
                None => Ok(adapters.join_next().await),
            }
        };
        let done = tokio::select! {
            biased;
            _ = shutdown.cancelled(), if stopping_since.is_none() => {
                stopping_since = Some(tokio::time::Instant::now());
                continue;
            }
            done = next => done,
        };
        match done {
            Err(_) => {
                timed_out = true;
                tracing::error!(
                    unfinished = adapters.len(),
                    timeout_secs = config.ops.shutdown_timeout.as_secs(),
                    "shutdown: in-flight work did not finish in time; abandoning it"
                );
                adapters.abort_all();
                break;
            }
            Ok(None) => break,
            Ok(Some(Ok(Ok(())))) => {}
            Ok(Some(Ok(Err(e)))) => {
                // One adapter down takes the process down, so a supervisor restarts it whole.
                shutdown.cancel();
                failed.get_or_insert(e);
            }
            Ok(Some(Err(e))) => {
                shutdown.cancel();
                failed.get_or_insert(anyhow::anyhow!("an adapter task panicked: {e}"));
            }
        }
    }
    let stop_started = stopping_since.unwrap_or_else(tokio::time::Instant::now);
    tracing::info!(
        "shutdown: adapters and scheduler stopped; in-flight handlers and sends finished"
    );
    // The exporter is pulled, not pushed: nothing is buffered. A last upkeep folds the final
    // histogram samples in for anyone who scrapes before the server goes.
    metrics.run_upkeep();
    stop_admin.cancel();
    if let Some(admin) = admin {
        match admin.await {
            Ok(Ok(())) => tracing::info!("shutdown: admin server stopped"),
            Ok(Err(e)) => tracing::warn!(error = %e, "shutdown: admin server failed"),
            Err(e) => tracing::warn!(error = %e, "shutdown: admin server task failed"),
        }
    }
    // PostgreSQL keeps its own log; only a SQLite file needs its WAL folded back.
    if store.engine() == studybot::store::Engine::Sqlite {
        match store.checkpoint().await {
            Ok(c) => tracing::info!(
                busy = c.busy,
                wal_pages = c.wal_pages,
                checkpointed = c.checkpointed,
                "shutdown: WAL checkpointed"
            ),
            Err(e) => tracing::warn!(error = %e, "shutdown: WAL checkpoint failed"),
        }
    }
    store.close().await;
    tracing::info!(
        ms = stop_started.elapsed().as_millis() as u64,
        "shutdown: database closed; stopped"
    );
    if let Some(e) = failed {
        return Err(e);
    }
    if timed_out {
        anyhow::bail!(
            "shutdown took longer than SHUTDOWN_TIMEOUT ({}s)",
            config.ops.shutdown_timeout.as_secs()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// SIGTERM (docker stop) or SIGINT (Ctrl-C) asks every adapter to finish in-flight work and stop.
async fn stop_on_signal(shutdown: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for SIGTERM");
                    let _ = ctrl_c.await;
                    shutdown.cancel();
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("signal received: shutting down");
    shutdown.cancel();
}
