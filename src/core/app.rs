//! The single entry point adapters call: a command and its context in, a reply out.

use super::clock::IdSource;
use super::command::{Command, ParseOptions, parse_command};
use super::context::{Ctx, Visibility};
use super::error::Error;
use super::limits::{Admission, Limits};
use super::messages::{Lang, Msg};
use super::reply::Reply;
use super::time::Timezone;
use crate::content::Catalog;
use crate::core::messages::GeneralMsg;
use crate::store::{Store, StoreError};
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
    pub async fn over_limit(&self, ctx: &Ctx, cmd: Option<&Command>) -> Option<Reply> {
        match self.limits.check(ctx, cmd) {
            Admission::Go => None,
            Admission::SlowDown(secs) => {
                tracing::info!(
                    platform = ctx.platform.as_str(),
                    secs,
                    "rate limit: a member is sending commands too fast"
                );
                let lang = self.lang_or_hint(ctx, Visibility::Asker).await;
                Some(Reply {
                    visibility: Visibility::Asker,
                    lang,
                    ..Reply::text(Msg::General(GeneralMsg::SlowDown { secs }).render(lang))
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
            Command::Start => self.topics().start(ctx).await,
            Command::Help => Ok(self.topics().help(ctx.lang)),
            Command::Today => self.topics().today(ctx).await,
            Command::Next => self.topics().next(ctx).await,
            Command::Topic(q) => self.topics().topic(ctx, &q).await,
            Command::Quiz(q) => self.quizzes().quiz(ctx, q.as_deref()).await,
            Command::Answer { quiz_id, letter } => {
                self.quizzes().answer(ctx, quiz_id, letter).await
            }
            Command::Streak => self.stats().streak(ctx).await,
            Command::Progress => self.topics().progress(ctx).await,
            Command::Mark { status, topic } => {
                self.topics().mark(ctx, status, topic.as_deref()).await
            }
            Command::Round(req) => self.rounds().round_start(ctx, req).await,
            Command::RoundStop => self.rounds().round_stop(ctx).await,
            Command::Leaderboard => self.stats().leaderboard(ctx).await,
            Command::ProgressCard => self.stats().progress_card(ctx).await,
            Command::LeaderboardCard => self.stats().leaderboard_card(ctx).await,
            Command::Export => self.exports().export(ctx).await,
            Command::Subscribe { at, timezone } => {
                self.schedules().subscribe(ctx, at, timezone).await
            }
            Command::Schedule(s) => self.schedules().schedule(ctx, *s).await,
            Command::Unsubscribe => self.schedules().unsubscribe(ctx).await,
            Command::Timezone(tz) => self.schedules().set_timezone(ctx, tz).await,
            Command::Forget { confirm } => self.forgetting().forget(ctx, confirm).await,
            Command::Review => self.reviews().review(ctx).await,
            Command::Remind(at) => self.reviews().remind(ctx, at).await,
            Command::Link(req) => self.linking().link(ctx, req).await,
            Command::Unlink => self.linking().unlink(ctx).await,
            Command::Deck(cmd) => self.decks().deck(ctx, cmd).await,
            Command::Report { quiz_id, reason } => {
                self.reports().report(ctx, quiz_id, reason).await
            }
            Command::Language(choice) => self.languages().language(ctx, choice).await,
        }
    }

    /// Like [`App::handle`], with every error turned into a reply: the one place user errors are
    /// shown and internal ones logged. The reply is in the language that applies to it (see
    /// [`crate::core::language`]); the adapter's `ctx.lang` is the platform's hint.
    pub async fn respond(&self, ctx: &Ctx, cmd: Command) -> Reply {
        self.respond_or_refuse(ctx, cmd)
            .await
            .unwrap_or_else(|e| Reply {
                visibility: Visibility::Asker,
                lang: ctx.lang,
                ..error_reply(Error::Store(e), ctx.lang)
            })
    }

    /// Like [`App::respond`], except that an internal failure (the use case's transaction
    /// rolled back, so nothing was recorded) is returned rather than apologised for: for
    /// adapters whose platform delivers a refused event again (Telegram webhooks).
    pub async fn respond_or_refuse(&self, ctx: &Ctx, cmd: Command) -> Result<Reply, StoreError> {
        let visibility = cmd.visibility();
        let (command, platform) = (cmd.label(), ctx.platform.as_str());
        let started = std::time::Instant::now();
        let hint = ctx.lang;
        let (result, lang, error_lang) = match self.speaking(ctx, visibility).await {
            Ok((ctx, choices)) => (
                self.handle(&ctx, cmd).await,
                ctx.lang,
                choices.pick(&ctx, hint, Visibility::Asker),
            ),
            Err(e) => (Err(e), hint, hint),
        };
        let labels = [("command", command), ("platform", platform)];
        metrics::counter!(crate::ops::metrics::COMMANDS, &labels).increment(1);
        metrics::histogram!(crate::ops::metrics::COMMAND_SECONDS, &labels)
            .record(started.elapsed());
        match result {
            Ok(reply) => Ok(Reply {
                visibility,
                lang,
                ..reply
            }),
            Err(Error::Store(e)) => Err(e),
            // A mistake is the asker's own business.
            Err(e) => Ok(Reply {
                visibility: Visibility::Asker,
                lang: error_lang,
                ..error_reply(e, error_lang)
            }),
        }
    }

    /// A reply for text that did not parse as a command: like any mistake, the asker's own
    /// business (shown to them alone where the platform can, and then in their language).
    pub async fn refuse(&self, ctx: &Ctx, msg: Msg) -> Reply {
        let lang = self.lang_or_hint(ctx, Visibility::Asker).await;
        Reply {
            visibility: Visibility::Asker,
            lang,
            ..Reply::text(msg.render(lang))
        }
    }

    /// The language of a reply outside a command (a refusal); the hint when the store fails.
    async fn lang_or_hint(&self, ctx: &Ctx, visibility: Visibility) -> Lang {
        match self.choices(ctx).await {
            Ok(c) => c.pick(ctx, ctx.lang, visibility),
            Err(e) => {
                tracing::warn!(error = %e, "could not read language choices");
                ctx.lang
            }
        }
    }

    /// `/deck import` with the file a member sent (an adapter downloaded it), every error
    /// turned into a reply, in the language that applies, as [`App::respond`] does.
    pub async fn respond_import(
        &self,
        ctx: &Ctx,
        file: crate::core::deck::DeckImport<'_>,
    ) -> Reply {
        let visibility = Command::Deck(crate::core::deck::DeckCmd::Import(None)).visibility();
        let hint = ctx.lang;
        let (result, lang, error_lang) = match self.speaking(ctx, visibility).await {
            Ok((ctx, choices)) => (
                self.decks().import_upload(&ctx, file).await,
                ctx.lang,
                choices.pick(&ctx, hint, Visibility::Asker),
            ),
            Err(e) => (Err(e), hint, hint),
        };
        match result {
            Ok(reply) => Reply {
                visibility,
                lang,
                ..reply
            },
            Err(e) => Reply {
                visibility: Visibility::Asker,
                lang: error_lang,
                ..error_reply(e, error_lang)
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
            Err(msg) => Some(self.refuse(ctx, msg).await),
        }
    }
}

pub(crate) fn error_reply(e: Error, lang: Lang) -> Reply {
    match e {
        Error::User(msg) => Reply::text(msg.render(lang)),
        Error::Duplicate => Reply::default(),
        Error::Store(e) => {
            tracing::error!(error = %e, "command failed");
            Reply::text(Msg::General(GeneralMsg::Internal).render(lang))
        }
    }
}

/// One small handle per feature: the feature's use cases are its methods, and the shared parts
/// (catalog, store, ids, default zone, the transaction helpers) come from the [`App`] it derefs
/// to. `App` itself keeps only the entry points; `app.rounds()` and friends reach the rest.
macro_rules! feature_handles {
    ($($handle:ident $accessor:ident,)*) => {
        $(
            #[derive(Clone, Copy)]
            pub struct $handle<'a>(&'a App);

            impl std::ops::Deref for $handle<'_> {
                type Target = App;
                fn deref(&self) -> &App {
                    self.0
                }
            }
        )*

        impl App {
            $(
                pub fn $accessor(&self) -> $handle<'_> {
                    $handle(self)
                }
            )*
        }
    };
}

feature_handles! {
    Rounds rounds,
    Reviews reviews,
    Quizzes quizzes,
    Stats stats,
    Schedules schedules,
    Topics topics,
    Exports exports,
    Forgetting forgetting,
    Linking linking,
    Decks decks,
    Reports reports,
    Languages languages,
}
