//! Discord adapter on serenity: slash commands (registered at start), quiz buttons, ephemeral
//! answers, autocomplete. Translates interactions into core commands and renders replies; the
//! gateway delivers interactions, so no privileged intent is needed.
//!
//! Plain serenity rather than poise: the commands come from the core's command list and the
//! core parses their arguments, so poise's derive-per-command model would duplicate both.

mod commands;
mod interact;
mod outbox;
mod push;
pub mod render;
mod round;
mod send;

pub use outbox::{DEFAULT_RATE_LIMIT, GlobalLimiter, Outbox, SendError, build_http};
pub use send::message_json;

use crate::config::{DiscordConfig, ShardRange};
use crate::core::Capabilities;
use crate::core::{App, Clock};
use interact::State;
use send::{describe, with_retry};
use serenity::all::{
    Client, ClientBuilder, Command as SlashCommand, Context, EventHandler, GatewayIntents, Guild,
    GuildId, Interaction, Ready,
};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Discord answers interactions ephemerally (to the asker alone); reminders by DM are not built
/// yet; quizzes are embeds with buttons.
pub const CAPABILITIES: Capabilities = Capabilities {
    private_replies: true,
    scheduled_private_messages: false,
    native_quiz_polls: false,
};

/// Interactions arrive whatever the intents; GUILDS (not privileged) only keeps the guild list.
const INTENTS: GatewayIntents = GatewayIntents::GUILDS;
/// How long shutdown waits for the gateway to close and in-flight interactions to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// serenity 0.12 starts a process's shards one IDENTIFY per 5 s (its shard queuer's
/// `WAIT_BETWEEN_BOOTS_IN_SECONDS`): Discord's identify limit for `max_concurrency` 1, the
/// strictest, so it holds for any `max_concurrency` Discord gives the bot.
const IDENTIFY_SPACING: Duration = Duration::from_secs(5);

struct Handler {
    state: Arc<State>,
    /// Only the process that runs shard 0 registers the slash commands (one bulk overwrite,
    /// not one per instance).
    registers: bool,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            guilds = ready.guilds.len(),
            application = %ready.application.id,
            shard = ?ready.shard.map(|s| (s.id.0, s.total)),
            "discord: connected"
        );
        crate::ops::health().discord_connected(true);
        if self.registers {
            self.register(&ctx).await;
        }
    }

    async fn resume(&self, _ctx: Context, _: serenity::all::ResumedEvent) {
        crate::ops::health().discord_connected(true);
    }

    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        tracing::debug!(guild = %guild.id, shard = ctx.shard_id.0, "discord: guild available");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        tracing::debug!(interaction = %interaction.id(), shard = ctx.shard_id.0, "discord: interaction");
        // Held while the interaction is handled, so shutdown can wait for it.
        let _working = self.state.inflight.read().await;
        let _counted = crate::ops::metrics::InFlight::start("discord");
        match interaction {
            Interaction::Command(i) => self.state.slash(&ctx.http, &i).await,
            Interaction::Component(i) => self.state.click(&ctx.http, &i).await,
            Interaction::Autocomplete(i) => self.state.autocomplete(&ctx.http, &i).await,
            _ => {}
        }
    }
}

impl Handler {
    /// Registers the slash commands once per process (bulk overwrite, so a restart replaces
    /// them), in one guild when `DISCORD_GUILD_ID` is set, else globally.
    async fn register(&self, ctx: &Context) {
        if self.state.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let result = match self.state.guild_id {
            Some(g) => {
                with_retry("registering guild commands", || {
                    GuildId::new(g).set_commands(&ctx.http, commands::definitions())
                })
                .await
            }
            None => {
                with_retry("registering global commands", || {
                    SlashCommand::set_global_commands(&ctx.http, commands::definitions())
                })
                .await
            }
        };
        let scope = if self.state.guild_id.is_some() {
            "guild"
        } else {
            "global"
        };
        match result {
            Ok(cmds) => {
                tracing::info!(
                    commands = cmds.len(),
                    scope,
                    "discord: slash commands registered"
                )
            }
            Err(e) => {
                self.state.registered.store(false, Ordering::SeqCst);
                tracing::warn!(
                    error = %describe(&e),
                    "discord: registering slash commands failed; trying again on the next connect"
                );
            }
        }
    }
}

/// How often the shards' connection stages are read for `/healthz`.
const GATEWAY_WATCH: Duration = Duration::from_secs(1);

/// Reports the gateway as connected while every shard runner is in the Connected stage (a
/// shard being restarted has no runner, so an empty list is down too).
async fn watch_gateway(manager: Arc<serenity::all::ShardManager>, shutdown: CancellationToken) {
    let mut was_up = None;
    loop {
        let up = {
            let runners = manager.runners.lock().await;
            !runners.is_empty()
                && runners
                    .values()
                    .all(|r| matches!(r.stage, serenity::all::ConnectionStage::Connected))
        };
        crate::ops::health().discord_connected(up);
        if was_up == Some(true) && !up {
            tracing::warn!("discord: gateway not connected");
        }
        was_up = Some(up);
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(GATEWAY_WATCH) => {}
        }
    }
}

/// Runs this process's shards: the configured range, or every shard `GET /gateway/bot`
/// recommends (one, for a small bot). Returns when the shards stop.
async fn start_shards(
    client: &mut Client,
    shards: Option<ShardRange>,
    shutdown: &CancellationToken,
) -> serenity::Result<()> {
    let Some(range) = shards else {
        let gateway = with_retry("reading the recommended shard count", || {
            client.http.get_bot_gateway()
        })
        .await?;
        tracing::info!(
            shards = gateway.shards,
            max_concurrency = gateway.session_start_limit.max_concurrency,
            "discord: running every recommended shard"
        );
        return client.start_shards(gateway.shards.max(1)).await;
    };
    // Instances started together identify in turn, as one process running every shard would:
    // the one whose range starts at FIRST waits FIRST spacings first.
    let wait = IDENTIFY_SPACING * range.first;
    tracing::info!(shards = %range, wait_secs = wait.as_secs(), "discord: running a shard range");
    tokio::select! {
        _ = tokio::time::sleep(wait) => {}
        _ = shutdown.cancelled() => return Ok(()),
    }
    // serenity's range end is inclusive here (it becomes `start_connection(start, end, total)`).
    client
        .start_shard_range(range.first..range.last, range.count)
        .await
}

/// Runs until `shutdown` fires (then closes the gateway and lets in-flight interactions finish)
/// or the gateway fails for good (an error, so the process stops and a supervisor restarts it).
pub async fn run(
    app: App,
    clock: Arc<dyn Clock>,
    config: DiscordConfig,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    // Answer-count edits go through the same process-wide limiter as pushes.
    GlobalLimiter::configure(config.rate_limit);
    let state = Arc::new(State::new(app, clock, config.guild_id));
    let handler = Handler {
        state: state.clone(),
        registers: config.shards.is_none_or(|r| r.first == 0),
    };
    let setup = ClientBuilder::new_with_http(build_http(&config), INTENTS).event_handler(handler);
    let mut client = tokio::select! {
        c = std::future::IntoFuture::into_future(setup) => c.map_err(|e| anyhow::anyhow!("cannot set up the Discord client: {}", describe(&e)))?,
        _ = shutdown.cancelled() => return Ok(()),
    };
    let me = tokio::select! {
        me = with_retry("checking the token", || client.http.get_current_user()) => me,
        _ = shutdown.cancelled() => return Ok(()),
    };
    let me = me.map_err(|e| anyhow::anyhow!("Discord refused the bot token: {}", describe(&e)))?;
    tracing::info!(bot = %me.name, "discord: authenticated");

    let manager = client.shard_manager.clone();
    tokio::spawn(watch_gateway(manager.clone(), shutdown.clone()));
    let result = {
        let start = start_shards(&mut client, config.shards, &shutdown);
        tokio::pin!(start);
        tokio::select! {
            r = &mut start => r,
            _ = shutdown.cancelled() => {
                tracing::info!("discord: shutting down after in-flight interactions");
                manager.shutdown_all().await;
                tokio::time::timeout(SHUTDOWN_GRACE, start).await.unwrap_or(Ok(()))
            }
        }
    };
    if tokio::time::timeout(SHUTDOWN_GRACE, state.inflight.write())
        .await
        .is_err()
    {
        tracing::warn!("discord: gave up waiting for in-flight interactions");
    }
    result.map_err(|e| anyhow::anyhow!("the Discord gateway stopped: {}", describe(&e)))
}
