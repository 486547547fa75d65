//! Telegram adapter on teloxide: long polling or a webhook, commands in every chat kind, native
//! quiz polls, inline buttons. Translates updates into core commands and renders replies; nothing
//! more.

mod poll;
mod push;
pub mod render;
mod round;
mod send;
mod throttle;
pub mod webhook;

pub use push::is_gone;
pub use send::keyboard_json;
pub use throttle::DEFAULT_PER_SECOND;

use crate::config::{TelegramConfig, WebhookConfig};
use crate::content::deck::DeckLimits;
use crate::core::Capabilities;
use crate::core::Msg;
use crate::core::deck::{DeckCmd, DeckImport, too_big};
use crate::core::messages::{COMMANDS, DeckMsg, GeneralMsg};
use crate::core::{
    Action, App, Block, ChatKind, Clock, Command, Ctx, Lang, NativeAnswer, ParseOptions, Platform,
    Reply, parse_command,
};
use crate::ops::health;
use crate::scheduler::{PushTarget, RoundTarget};
use crate::store::{Engine, Leadership, Store};
use push::TelegramPush;
use round::TelegramRounds;
use send::{REPLY_MAX_WAIT, Sender, with_retry, with_retry_within};
use std::sync::Arc;
use std::time::Duration;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, ChatMemberUpdated, MaybeAnonymousUser, Me, PollAnswer, UpdateId,
};
use throttle::Throttle;
use tokio_util::sync::CancellationToken;

/// Telegram has no per-member replies in groups; the bot may message a private chat that started
/// it; quizzes are native quiz polls.
pub const CAPABILITIES: Capabilities = Capabilities {
    private_replies: false,
    scheduled_private_messages: true,
    native_quiz_polls: true,
};

/// The update kinds the handlers take (one per branch of [`schema`]): polling asks for them
/// through the dispatcher's hint, webhook mode names them in setWebhook.
const ALLOWED_UPDATES: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::PollAnswer,
    AllowedUpdate::MyChatMember,
];

/// Everything the handlers need, passed to them through dptree.
#[derive(Clone)]
struct Deps {
    app: App,
    clock: Arc<dyn Clock>,
    sender: Sender,
    /// Webhook mode: a failure refuses the update (500) and Telegram delivers it again, so an
    /// internal error is returned instead of apologised for.
    redelivered: bool,
}

/// The handler tree, one branch per update kind in [`ALLOWED_UPDATES`].
fn schema() -> webhook::UpdateHandler {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_callback))
        .branch(Update::filter_poll_answer().endpoint(on_poll_answer))
        .branch(Update::filter_my_chat_member().endpoint(on_my_membership))
}

/// A connected Telegram bot: `getMe` answered and the command menu set.
pub struct Telegram {
    bot: Bot,
    me: Me,
    app: App,
    /// Webhook mode when set; long polling otherwise.
    webhook: Option<WebhookConfig>,
    /// One overall limit for everything the bot sends on its own (pushes, quiz rounds).
    throttle: std::sync::OnceLock<Arc<Throttle>>,
}

impl Telegram {
    pub async fn connect(app: App, config: &TelegramConfig) -> anyhow::Result<Telegram> {
        let mut bot = Bot::new(config.token.expose());
        if let Some(url) = config.api_url.clone() {
            bot = bot.set_api_url(url);
        }
        let me = with_retry(|| bot.get_me())
            .await
            .map_err(|e| anyhow::anyhow!("Telegram getMe failed: {e}"))?;
        tracing::info!(username = %me.username(), "telegram: connected");
        // One menu per language: the default (English), and one per locale we speak, which
        // Telegram shows to users whose app is in that language.
        for lang in Lang::ALL {
            let commands: Vec<BotCommand> = COMMANDS
                .iter()
                .map(|c| BotCommand::new(c.name, c.description(lang)))
                .collect();
            let set = || {
                let call = bot.set_my_commands(commands.clone());
                match lang.locale() {
                    Some(code) => call.language_code(code),
                    None => call,
                }
            };
            if let Err(e) = with_retry(set).await {
                tracing::warn!(error = %e, lang = lang.as_str(), "telegram: setMyCommands failed; the command menu may be stale");
            }
        }
        Ok(Telegram {
            bot,
            me,
            app,
            webhook: config.webhook.clone(),
            throttle: std::sync::OnceLock::new(),
        })
    }

    /// The push target for the scheduler: the same bot, throttled to `per_second` messages overall
    /// (0 = no overall limit) and Telegram's per-chat limits.
    pub fn pusher(&self, per_second: u32) -> Arc<dyn PushTarget> {
        let sender = Sender::new(self.bot.clone()).throttled(self.throttle(per_second));
        Arc::new(TelegramPush { sender })
    }

    /// The quiz-round target for the scheduler: the same bot, sharing the pushes' throttle.
    pub fn rounds(&self, per_second: u32) -> Arc<dyn RoundTarget> {
        let sender = Sender::new(self.bot.clone()).throttled(self.throttle(per_second));
        Arc::new(TelegramRounds { sender })
    }

    /// The bot's one throttle, made at the first call's rate.
    fn throttle(&self, per_second: u32) -> Arc<Throttle> {
        self.throttle
            .get_or_init(|| Arc::new(Throttle::new(per_second)))
            .clone()
    }

    /// Takes updates until `shutdown` fires (long polling, or the webhook when configured),
    /// then lets in-flight handlers finish.
    pub async fn run(
        self,
        clock: Arc<dyn Clock>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let Telegram {
            bot,
            me,
            app,
            webhook,
            ..
        } = self;
        let deps = Deps {
            app,
            clock,
            sender: Sender::new(bot.clone()),
            redelivered: webhook.is_some(),
        };
        match webhook {
            Some(config) => run_webhook(bot, me, deps, &config, shutdown).await,
            None => run_polling(bot, me, deps, shutdown).await,
        }
    }
}

/// The role an instance must lead to poll: Telegram allows one `getUpdates` per bot token (a
/// second one gets 409 Conflict).
pub const POLLER_ROLE: &str = "telegram-poller";
/// How often a standby instance tries to take the poller lock.
pub const LEADER_RETRY: Duration = Duration::from_secs(2);

/// Long polling (`getUpdates`), one poller per bot token: on PostgreSQL only the instance that
/// holds the poller lock polls; the others stand by (and still send pushes and rounds) and try
/// again every [`LEADER_RETRY`]. An instance that loses the lock stops polling and stands by.
async fn run_polling(
    bot: Bot,
    me: Me,
    deps: Deps,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let store = deps.app.store().clone();
    while let Some(leadership) = lead(&store, &shutdown).await {
        poll_while_leading(&bot, &me, &deps, &shutdown, &leadership).await;
        metrics::gauge!(crate::ops::metrics::POLLER_LEADER).set(0.0);
        leadership.release().await;
        if shutdown.is_cancelled() {
            break;
        }
    }
    tracing::info!("telegram: stopped; every started handler finished");
    Ok(())
}

/// Waits until this instance holds the poller lock; `None` when `shutdown` fires first.
async fn lead(store: &Store, shutdown: &CancellationToken) -> Option<Leadership> {
    let shared = store.engine() == Engine::Postgres;
    let mut standing_by = false;
    let mut failing = false;
    loop {
        match store.try_lead(POLLER_ROLE).await {
            Ok(Some(leadership)) => {
                health().telegram_standby(false);
                metrics::gauge!(crate::ops::metrics::POLLER_LEADER).set(1.0);
                if shared {
                    tracing::info!(
                        "telegram: this instance polls Telegram (holds the poller lock)"
                    );
                }
                return Some(leadership);
            }
            Ok(None) => {
                failing = false;
                if !standing_by {
                    tracing::info!("telegram: standby: another instance polls Telegram");
                    standing_by = true;
                    health().telegram_standby(true);
                    metrics::gauge!(crate::ops::metrics::POLLER_LEADER).set(0.0);
                }
            }
            Err(e) => {
                if !failing {
                    tracing::warn!(error = %e, "telegram: cannot take the poller lock; trying again");
                    failing = true;
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return None,
            _ = tokio::time::sleep(LEADER_RETRY) => {}
        }
    }
}

/// Polls until `shutdown` fires or the poller lock is lost, then lets in-flight handlers finish.
async fn poll_while_leading(
    bot: &Bot,
    me: &Me,
    deps: &Deps,
    shutdown: &CancellationToken,
    leadership: &Leadership,
) {
    let mut dispatcher = Dispatcher::builder(bot.clone(), schema())
        .dependencies(dptree::deps![deps.clone(), me.clone()])
        .default_handler(|_| async {})
        .error_handler(LoggingErrorHandler::with_custom_text(
            "telegram: handler failed",
        ))
        .build();
    let token = dispatcher.shutdown_token();
    let listener = poll::HealthPolling::new(bot.clone()).await;
    let dispatch = dispatcher.dispatch_with_listener(
        listener,
        LoggingErrorHandler::with_custom_text("telegram: polling failed"),
    );
    tokio::pin!(dispatch);
    tokio::select! {
        _ = &mut dispatch => return,
        _ = shutdown.cancelled() => {
            tracing::info!("telegram: no longer taking updates; finishing in-flight handlers");
        }
        _ = leadership.lost() => {
            tracing::warn!("telegram: lost the poller lock; no longer taking updates, finishing in-flight handlers, then standing by");
        }
    }
    // A dispatcher that has not started yet refuses to stop: ask again until it takes it.
    while token.shutdown().is_err() {
        tokio::select! {
            _ = &mut dispatch => return,
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    dispatch.await;
}

/// Webhook mode: listens on `TELEGRAM_WEBHOOK_ADDR`, then registers the webhook; never calls
/// `getUpdates`. The webhook stays registered at shutdown, since other instances serve it (and
/// Telegram keeps undelivered updates for a day).
async fn run_webhook(
    bot: Bot,
    me: Me,
    deps: Deps,
    config: &WebhookConfig,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let server = webhook::bind(config, schema(), dptree::deps![deps, me, bot.clone()]).await?;
    tracing::info!(addr = %server.local_addr()?, path = config.url.path(), "telegram: webhook listening");
    webhook::register(&bot, config, &ALLOWED_UPDATES).await?;
    tokio::spawn(webhook::watch(bot, shutdown.clone()));
    let stopping = shutdown.clone();
    tokio::spawn(async move {
        stopping.cancelled().await;
        tracing::info!("telegram: no longer taking updates; finishing in-flight handlers");
    });
    server.serve(shutdown).await?;
    tracing::info!("telegram: stopped; every started handler finished");
    Ok(())
}

/// The bot was removed from a group or blocked in a private chat: unsubscribe that chat.
async fn on_my_membership(deps: Deps, update: ChatMemberUpdated) -> HandlerResult {
    if update.new_chat_member.is_present() {
        return Ok(());
    }
    match deps
        .app
        .schedules()
        .chat_gone(Platform::Telegram, &update.chat.id.0.to_string())
        .await
    {
        Ok(true) => tracing::info!(
            chat = update.chat.id.0,
            "telegram: removed from a chat; unsubscribed it"
        ),
        Ok(false) => {}
        Err(e) if deps.redelivered => return Err(e.into()),
        Err(e) => {
            tracing::error!(error = %e, "telegram: could not unsubscribe a chat the bot left")
        }
    }
    Ok(())
}

fn chat_kind(chat: &teloxide::types::Chat) -> ChatKind {
    if chat.is_private() {
        ChatKind::Private
    } else {
        ChatKind::Group
    }
}

fn event_id(id: UpdateId) -> Option<String> {
    Some(id.0.to_string())
}

/// How often a vote for a not-yet-known poll is looked up (250 ms apart).
const UNKNOWN_POLL_RETRIES: u32 = 8;

type HandlerResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Runs a command. In webhook mode an internal failure (its transaction rolled back) fails the
/// handler, so the update is refused and delivered again, rather than answered with an apology.
async fn respond(
    deps: &Deps,
    ctx: &Ctx,
    cmd: Command,
) -> Result<Reply, Box<dyn std::error::Error + Send + Sync>> {
    if deps.redelivered {
        Ok(deps.app.respond_or_refuse(ctx, cmd).await?)
    } else {
        Ok(deps.app.respond(ctx, cmd).await)
    }
}

/// Sends a command's reply; a quiz it posted is remembered by its poll id, so votes (which carry
/// only that id) find it.
async fn send_and_remember(deps: &Deps, chat: ChatId, reply: &Reply) -> HandlerResult {
    if let Some(p) = deps.sender.send(chat, reply).await?
        && let Err(e) = deps
            .app
            .attach_quiz_ref(Platform::Telegram, p.quiz_id, &p.platform_ref)
            .await
    {
        // The poll is out but its answers cannot be matched to it: logged, not fatal.
        tracing::error!(error = %e, "telegram: could not store a poll id");
    }
    Ok(())
}

async fn on_message(deps: Deps, me: Me, update: Update, msg: Message) -> HandlerResult {
    let _working = crate::ops::metrics::InFlight::start("telegram");
    if let Some(new_id) = msg.migrate_to_chat_id() {
        let moved = deps
            .app
            .move_chat(
                Platform::Telegram,
                &msg.chat.id.0.to_string(),
                &new_id.0.to_string(),
            )
            .await;
        match moved {
            Ok(true) => tracing::info!(
                old = msg.chat.id.0,
                new = new_id.0,
                "telegram: group became a supergroup"
            ),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "telegram: could not move a migrated chat"),
        }
        return Ok(());
    }
    // A deck file comes as a document captioned `/deck import`, or is answered with it.
    let (Some(text), Some(from)) = (msg.text().or(msg.caption()), msg.from.as_ref()) else {
        return Ok(());
    };
    let kind = chat_kind(&msg.chat);
    let opts = ParseOptions {
        bot_name: Some(me.username()),
        bare_letters: kind == ChatKind::Private,
    };
    let mut ctx = Ctx {
        platform: Platform::Telegram,
        caps: CAPABILITIES,
        chat_id: msg.chat.id.0.to_string(),
        chat_kind: kind,
        user_id: from.id.0.to_string(),
        user_name: from.full_name(),
        is_admin: false,
        now: deps.clock.now(),
        event: event_id(update.id),
        lang: Lang::from_locale(from.language_code.as_deref()),
    };
    let parsed = parse_command(text, &opts);
    if let Ok(None) = parsed {
        return Ok(());
    }
    // A member over the limit hears it once; an empty reply sends nothing.
    if let Some(refused) = deps
        .app
        .over_limit(&ctx, parsed.as_ref().ok().and_then(Option::as_ref))
        .await
    {
        return send_and_remember(&deps, msg.chat.id, &refused).await;
    }
    let cmd = match parsed {
        Ok(Some(cmd)) => cmd,
        Ok(None) => return Ok(()),
        Err(m) => {
            let refused = deps.app.refuse(&ctx, m).await;
            return send_and_remember(&deps, msg.chat.id, &refused).await;
        }
    };
    ctx.is_admin = is_admin(&deps, msg.chat.id, from.id, kind, &cmd).await;
    if let Command::Deck(DeckCmd::Import(id)) = &cmd {
        let document = msg
            .document()
            .or_else(|| msg.reply_to_message().and_then(|m| m.document()));
        if let Some(document) = document {
            let reply = import_document(&deps, &ctx, document, id.as_deref()).await;
            return send_and_remember(&deps, msg.chat.id, &reply).await;
        }
    }
    let reply = respond(&deps, &ctx, cmd).await?;
    send_and_remember(&deps, msg.chat.id, &reply).await
}

/// Downloads a deck file through the Bot API (`getFile`, then the file URL on the configured API
/// server) and imports it. A file over the limit is refused before it is downloaded.
async fn import_document(
    deps: &Deps,
    ctx: &Ctx,
    document: &teloxide::types::Document,
    id: Option<&str>,
) -> Reply {
    use teloxide::net::Download;
    // Refused before anything is downloaded.
    if !ctx.may_change_settings() {
        return deps
            .app
            .refuse(ctx, Msg::General(GeneralMsg::AdminOnly))
            .await;
    }
    let size = u64::from(document.file.size);
    if size > DeckLimits::MAX_BYTES as u64 {
        return deps.app.refuse(ctx, too_big(size)).await;
    }
    let bot = deps.sender.bot();
    let downloaded = async {
        let file = with_retry_within(REPLY_MAX_WAIT, || bot.get_file(document.file.id.clone()))
            .await
            .map_err(|e| e.to_string())?;
        if u64::from(file.meta.size) > DeckLimits::MAX_BYTES as u64 {
            return Ok(Err(u64::from(file.meta.size)));
        }
        let mut bytes: Vec<u8> = Vec::new();
        bot.download_file(&file.path, &mut bytes)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(Ok(bytes))
    }
    .await;
    let bytes = match downloaded {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => return deps.app.refuse(ctx, too_big(size)).await,
        Err(e) => {
            tracing::warn!(error = %e, "telegram: could not download a deck file");
            return deps
                .app
                .refuse(ctx, Msg::Deck(DeckMsg::DownloadFailed))
                .await;
        }
    };
    let name = document
        .file_name
        .clone()
        .unwrap_or_else(|| "deck.csv".into());
    let file = DeckImport {
        file_name: &name,
        bytes: &bytes,
        id,
        title: None,
        public: false,
    };
    deps.app.respond_import(ctx, file).await
}

/// Asks Telegram about the user's role only when the command needs it; a failed check refuses.
async fn is_admin(deps: &Deps, chat: ChatId, user: UserId, kind: ChatKind, cmd: &Command) -> bool {
    if kind == ChatKind::Private || !cmd.needs_admin() {
        return false;
    }
    match with_retry_within(REPLY_MAX_WAIT, || {
        deps.sender.bot().get_chat_member(chat, user)
    })
    .await
    {
        Ok(member) => member.is_privileged(),
        Err(e) => {
            tracing::warn!(error = %e, "telegram: getChatMember failed; treating the user as a member");
            false
        }
    }
}

async fn on_callback(deps: Deps, update: Update, q: CallbackQuery) -> HandlerResult {
    let _working = crate::ops::metrics::InFlight::start("telegram");
    let action = q.data.as_deref().and_then(Action::decode);
    let message = q.regular_message().cloned();
    if let Err(e) = with_retry_within(REPLY_MAX_WAIT, || {
        deps.sender.bot().answer_callback_query(q.id.clone())
    })
    .await
    {
        tracing::warn!(error = %e, "telegram: answerCallbackQuery failed");
    }
    let (Some(action), Some(message)) = (action, message) else {
        return Ok(());
    };
    let kind = chat_kind(&message.chat);
    let cmd = action.into_command();
    let ctx = Ctx {
        platform: Platform::Telegram,
        caps: CAPABILITIES,
        chat_id: message.chat.id.0.to_string(),
        chat_kind: kind,
        user_id: q.from.id.0.to_string(),
        user_name: q.from.full_name(),
        is_admin: is_admin(&deps, message.chat.id, q.from.id, kind, &cmd).await,
        now: deps.clock.now(),
        event: event_id(update.id),
        lang: Lang::from_locale(q.from.language_code.as_deref()),
    };
    let reply = respond(&deps, &ctx, cmd).await?;
    send_and_remember(&deps, message.chat.id, &reply).await
}

/// A vote in one of our quiz polls: one answer of that user, recorded once however often the
/// update arrives. Telegram shows right/wrong and the explanation itself, so nothing is sent,
/// except after a /review poll: the learner's next due card (with its notes) follows. /review
/// polls are only posted in private chats, whose id is the user's.
async fn on_poll_answer(deps: Deps, answer: PollAnswer) -> HandlerResult {
    let _working = crate::ops::metrics::InFlight::start("telegram");
    let MaybeAnonymousUser::User(user) = &answer.voter else {
        return Ok(());
    };
    let Some(&option) = answer.option_ids.first() else {
        return Ok(());
    };
    let user_id = user.id.0.to_string();
    let user_name = user.full_name();
    // A poll is ours only once sendPoll has answered and the handler has stored its id. Votes
    // have no chat, so teloxide handles them beside (not after) the message that posted the poll:
    // a vote made the moment the poll shows can be looked up before the id is stored. So an
    // unknown poll is looked up again for a moment. tests/telegram.rs
    // `a_quiz_poll_answer_counts_once_however_often_it_arrives` votes as soon as the fake has
    // answered sendPoll, which is this race.
    let mut result = Ok(None);
    for attempt in 0..UNKNOWN_POLL_RETRIES {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        result = deps
            .app
            .answer_native(NativeAnswer {
                platform: Platform::Telegram,
                quiz_ref: &answer.poll_id.0,
                user_id: &user_id,
                user_name: &user_name,
                option: usize::from(option),
                now: deps.clock.now(),
                lang: Lang::from_locale(user.language_code.as_deref()),
            })
            .await;
        if !matches!(result, Ok(None)) {
            break;
        }
    }
    match result {
        Ok(Some(reply)) if reply.quiz.is_some() => {
            let next = Reply {
                blocks: reply
                    .blocks
                    .into_iter()
                    .filter(|b| matches!(b, Block::Note(_)))
                    .collect(),
                quiz: reply.quiz,
                ..Reply::default()
            };
            return send_and_remember(&deps, ChatId::from(user.id), &next).await;
        }
        Ok(Some(_)) => {}
        Ok(None) => {
            tracing::debug!(poll = %answer.poll_id.0, "telegram: answer to an unknown poll")
        }
        // A vote that came too late for a round question: Telegram has shown the result already.
        Err(crate::core::Error::User(m)) => {
            tracing::info!(poll = %answer.poll_id.0, reason = %m.english(), "telegram: a poll answer did not count")
        }
        Err(e) if deps.redelivered => return Err(e.into()),
        Err(e) => tracing::error!(error = %e, "telegram: could not record a poll answer"),
    }
    Ok(())
}
