//! The single entry point adapters call: a command and its context in, a reply out.

use super::clock::IdSource;
use super::command::{Command, ParseOptions, parse_command};
use super::context::{Ctx, Visibility};
use super::error::Error;
use super::limits::{Admission, Limits};
use super::messages::Msg;
use super::reply::Reply;
use super::time::Timezone;
use crate::content::Catalog;
use crate::core::messages::GeneralMsg;
use crate::store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct App {
    pub(super) catalog: Arc<Catalog>,
    pub(super) store: Store,
    pub(super) ids: Arc<dyn IdSource>,
    pub(super) default_tz: Timezone,
    limits: Arc<Limits>,
}

impl App {
    pub fn new(
        catalog: Arc<Catalog>,
        store: Store,
        ids: Arc<dyn IdSource>,
        default_tz: Timezone,
    ) -> App {
        App {
            catalog,
            store,
            ids,
            default_tz,
            limits: Arc::new(Limits::off()),
        }
    }

    /// The same app with these command rate limits (shared by its clones).
    pub fn with_limits(self, limits: Limits) -> App {
        App {
            limits: Arc::new(limits),
            ..self
        }
    }

    /// Whether a typed command is over the rate limits (adapters ask before running one; button
    /// presses and poll answers are never limited); `cmd` is `None` for text that did not parse,
    /// whose error reply counts the same. `Some` holds what to answer instead: a polite "slow
    /// down" the first time, then an empty reply (send nothing) until the limit lets them in.
    pub fn over_limit(&self, ctx: &Ctx, cmd: Option<&Command>) -> Option<Reply> {
        match self.limits.check(ctx, cmd) {
            Admission::Go => None,
            Admission::SlowDown(secs) => {
                tracing::info!(
                    platform = ctx.platform.as_str(),
                    secs,
                    "rate limit: a member is sending commands too fast"
                );
                Some(Reply {
                    visibility: Visibility::Asker,
                    ..Reply::text(Msg::General(GeneralMsg::SlowDown { secs }).to_string())
                })
            }
            Admission::Silent => Some(Reply::default()),
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs a command. User mistakes come back as `Error::User`, storage failures as `Error::Store`.
    pub async fn handle(&self, ctx: &Ctx, cmd: Command) -> Result<Reply, Error> {
        match cmd {
            Command::Start => self.start(ctx).await,
            Command::Help => Ok(self.help()),
            Command::Today => self.today(ctx).await,
            Command::Next => self.next(ctx).await,
            Command::Topic(q) => self.topic(&q).await,
            Command::Quiz(q) => self.quiz(ctx, q.as_deref()).await,
            Command::Answer { quiz_id, letter } => self.answer(ctx, quiz_id, letter).await,
            Command::Streak => self.streak(ctx).await,
            Command::Progress => self.progress(ctx).await,
            Command::Mark { status, topic } => self.mark(ctx, status, topic.as_deref()).await,
            Command::Round(req) => self.round_start(ctx, req).await,
            Command::RoundStop => self.round_stop(ctx).await,
            Command::Leaderboard => self.leaderboard(ctx).await,
            Command::ProgressCard => self.progress_card(ctx).await,
            Command::LeaderboardCard => self.leaderboard_card(ctx).await,
            Command::Export => self.export(ctx).await,
            Command::Subscribe { at, timezone } => self.subscribe(ctx, at, timezone).await,
            Command::Schedule(s) => self.schedule(ctx, *s).await,
            Command::Unsubscribe => self.unsubscribe(ctx).await,
            Command::Timezone(tz) => self.set_timezone(ctx, tz).await,
            Command::Forget { confirm } => self.forget(ctx, confirm).await,
            Command::Review => self.review(ctx).await,
            Command::Remind(at) => self.remind(ctx, at).await,
        }
    }

    /// Like [`App::handle`], with every error turned into a reply: the one place user errors are
    /// shown and internal ones logged.
    pub async fn respond(&self, ctx: &Ctx, cmd: Command) -> Reply {
        let visibility = cmd.visibility();
        match self.handle(ctx, cmd).await {
            Ok(reply) => Reply {
                visibility,
                ..reply
            },
            // A mistake is the asker's own business.
            Err(e) => Reply {
                visibility: Visibility::Asker,
                ..error_reply(e)
            },
        }
    }

    /// Parses and runs a message; `None` when the message is not for the bot.
    pub async fn respond_text(
        &self,
        ctx: &Ctx,
        text: &str,
        opts: &ParseOptions<'_>,
    ) -> Option<Reply> {
        match parse_command(text, opts) {
            Ok(Some(cmd)) => Some(self.respond(ctx, cmd).await),
            Ok(None) => None,
            Err(msg) => Some(Reply::text(msg.to_string())),
        }
    }
}

pub(crate) fn error_reply(e: Error) -> Reply {
    match e {
        Error::User(msg) => Reply::text(msg.to_string()),
        Error::Duplicate => Reply::default(),
        Error::Store(e) => {
            tracing::error!(error = %e, "command failed");
            Reply::text(Msg::General(GeneralMsg::Internal).to_string())
        }
    }
}
