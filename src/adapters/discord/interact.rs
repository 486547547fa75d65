//! Interactions in, core commands through, responses out: slash commands, button clicks and
//! autocomplete. Every interaction is answered within Discord's 3 seconds: directly when the core
//! is quick, else deferred first and edited when the answer is ready.

use super::commands::{command_text, suggest, suggest_kind};
use super::outbox::Outbox;
use super::render::{FOOTER_LIMIT, Outgoing, fit_plain, render};
use super::send::{attachments, describe, edit_original, followup, response_message, with_retry};
use crate::content::deck::DeckLimits;
use crate::core::Visibility;
use crate::core::deck::{DeckCmd, DeckImport, too_big};
use crate::core::messages::{DeckMsg, GeneralMsg, Msg};
use crate::core::{
    Action, App, ChatKind, Clock, Command, Ctx, ParseOptions, Platform, Reply, parse_command,
};
use serenity::all::{
    Attachment, AutocompleteChoice, ChannelId, CommandDataOptionValue, CommandInteraction,
    ComponentInteraction, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, GuildId, Http, InteractionContext, InteractionId, Member,
    Message, MessageFlags, Permissions, User,
};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// How long the core may work before the interaction is deferred: Discord wants the first
/// response within 3 s of the event, and the gateway and the callback request take some of that.
const DEFER_AFTER: Duration = Duration::from_millis(1500);
/// Quizzes whose shown answer count is remembered; past this the memory starts over (the next
/// click on an older quiz simply edits once more).
const TRACKED_QUIZZES: usize = 10_000;

/// A finished interaction's answer.
struct Answer {
    reply: Reply,
    /// Only the person who asked sees it.
    ephemeral: bool,
}

/// What the handlers share.
pub(super) struct State {
    app: App,
    clock: Arc<dyn Clock>,
    pub(super) guild_id: Option<u64>,
    pub(super) registered: AtomicBool,
    /// Read-held by each interaction being handled; shutdown takes it for writing to wait.
    pub(super) inflight: tokio::sync::RwLock<()>,
    /// Per quiz, the answer count its message shows; the lock orders the edits.
    shown: std::sync::Mutex<HashMap<i64, Arc<tokio::sync::Mutex<i64>>>>,
}

/// The file attached to a slash command's attachment option, if any.
fn attached(i: &CommandInteraction) -> Option<&Attachment> {
    i.data.options.iter().find_map(|o| match &o.value {
        CommandDataOptionValue::Attachment(id) => i.data.resolved.attachments.get(id),
        _ => None,
    })
}

/// The core decides who sees a command's answer; Discord can honour "only the asker".
fn private_result(cmd: &Command) -> bool {
    cmd.visibility() == Visibility::Asker
}

/// Manage Server (or Administrator) in this channel, as the interaction reports it. Discord's
/// `default_member_permissions` hides settings from others, but server admins can change that.
fn may_manage(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::MANAGE_GUILD) || p.administrator())
}

/// The [`Origin`] of a slash command or a button click: serenity's interaction kinds share these
/// fields but no trait.
macro_rules! origin_of {
    ($i:expr, $member:expr) => {
        Origin {
            id: $i.id,
            channel: $i.channel_id,
            guild: $i.guild_id,
            context: $i.context,
            user: &$i.user,
            member: $member,
            locale: &$i.locale,
        }
    };
}

/// Where an interaction comes from, in the core's terms.
struct Origin<'a> {
    id: InteractionId,
    channel: ChannelId,
    guild: Option<GuildId>,
    context: Option<InteractionContext>,
    user: &'a User,
    member: Option<&'a Member>,
    /// The member's client language (`hi` suggests Hinglish until they choose).
    locale: &'a str,
}

impl State {
    pub(super) fn new(app: App, clock: Arc<dyn Clock>, guild_id: Option<u64>) -> State {
        State {
            app,
            clock,
            guild_id,
            registered: AtomicBool::new(false),
            inflight: tokio::sync::RwLock::new(()),
            shown: std::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The core's context for an interaction. The member's permissions come with every guild
    /// interaction, so `is_admin` is always filled (it also decides which buttons a topic shows).
    fn ctx(&self, o: &Origin<'_>) -> Ctx {
        // A DM with the bot is private; servers and group DMs are groups.
        let chat_kind = match (o.guild, o.context) {
            (Some(_), _) => ChatKind::Group,
            (None, Some(InteractionContext::Guild | InteractionContext::PrivateChannel)) => {
                ChatKind::Group
            }
            (None, _) => ChatKind::Private,
        };
        let user_name = o
            .member
            .and_then(|m| m.nick.clone())
            .or_else(|| o.user.global_name.clone())
            .unwrap_or_else(|| o.user.name.clone());
        Ctx {
            platform: Platform::Discord,
            caps: super::CAPABILITIES,
            chat_id: o.channel.to_string(),
            chat_kind,
            user_id: o.user.id.to_string(),
            user_name,
            is_admin: may_manage(o.member),
            now: self.clock.now(),
            event: Some(o.id.to_string()),
            lang: crate::core::Lang::from_locale(Some(o.locale)),
        }
    }

    /// Runs a command through the core (which shows user errors to the asker alone); a
    /// redelivered interaction gets no answer.
    async fn run(&self, ctx: Ctx, cmd: Command) -> Option<Answer> {
        let event = ctx.event.clone();
        let reply = self.app.respond(&ctx, cmd).await;
        if reply.is_empty() {
            tracing::debug!(event = ?event, "discord: interaction already handled");
            return None;
        }
        let ephemeral = reply.visibility == Visibility::Asker;
        Some(Answer { reply, ephemeral })
    }

    /// Answers an interaction with what `work` produces: directly if it is ready within
    /// [`DEFER_AFTER`], else by deferring first and editing the deferred response. A deferral
    /// fixes visibility up front (`defer_ephemeral`), so a late user error then shows in the
    /// channel rather than privately.
    async fn respond(
        &self,
        http: &Http,
        id: InteractionId,
        token: &str,
        defer_ephemeral: bool,
        work: impl Future<Output = Option<Answer>>,
    ) {
        tokio::pin!(work);
        let (answer, deferred) = match tokio::time::timeout(DEFER_AFTER, &mut work).await {
            Ok(answer) => (answer, false),
            Err(_) => {
                let defer = CreateInteractionResponse::Defer(
                    CreateInteractionResponseMessage::new().ephemeral(defer_ephemeral),
                );
                if let Err(e) = with_retry("deferring", || {
                    http.create_interaction_response(id, token, &defer, Vec::new())
                })
                .await
                {
                    tracing::warn!(error = %describe(&e), "discord: could not defer an interaction");
                }
                (work.await, true)
            }
        };
        let messages = answer
            .as_ref()
            .map(|a| render(&a.reply))
            .unwrap_or_default();
        let (Some(answer), Some((first, rest))) = (answer, messages.split_first()) else {
            // Nothing to say (a redelivered interaction): take back a "thinking…" deferral.
            if deferred && let Err(e) = http.delete_original_interaction_response(token).await {
                tracing::debug!(error = %describe(&e), "discord: could not remove a deferral");
            }
            return;
        };
        let sent = if deferred {
            let edit = edit_original(first);
            with_retry("editing the deferred response", || {
                http.edit_original_interaction_response(token, &edit, attachments(first))
            })
            .await
            .map(|_| ())
        } else {
            let response =
                CreateInteractionResponse::Message(response_message(first, answer.ephemeral));
            with_retry("responding", || {
                http.create_interaction_response(id, token, &response, attachments(first))
            })
            .await
        };
        if let Err(e) = sent {
            tracing::error!(error = %describe(&e), "discord: could not answer an interaction");
            return;
        }
        self.follow_up(http, token, rest, answer.ephemeral).await;
    }

    async fn follow_up(&self, http: &Http, token: &str, rest: &[Outgoing], ephemeral: bool) {
        for o in rest {
            let message = followup(o, ephemeral);
            if let Err(e) = with_retry("sending a follow-up", || {
                http.create_followup_message(token, &message, attachments(o))
            })
            .await
            {
                tracing::error!(error = %describe(&e), "discord: follow-up failed");
                return;
            }
        }
    }

    /// A slash command.
    pub(super) async fn slash(&self, http: &Arc<Http>, i: &CommandInteraction) {
        let text = command_text(&i.data.name, |name| {
            i.data
                .options
                .iter()
                .find(|o| o.name == name)
                .and_then(|o| match &o.value {
                    CommandDataOptionValue::String(s) => Some(s.clone()),
                    CommandDataOptionValue::Boolean(b) => Some(b.to_string()),
                    CommandDataOptionValue::Integer(n) => Some(n.to_string()),
                    _ => None,
                })
        });
        let origin = origin_of!(i, i.member.as_deref());
        let parsed = parse_command(&text, &ParseOptions::default());
        let ctx = self.ctx(&origin);
        // Over the limit: one private "slow down", then no answer at all until the limit lets
        // the member in (Discord shows only them that the bot did not respond).
        if let Some(refused) = self
            .app
            .over_limit(&ctx, parsed.as_ref().ok().and_then(Option::as_ref))
            .await
        {
            let work = async {
                (!refused.is_empty()).then_some(Answer {
                    reply: refused,
                    ephemeral: true,
                })
            };
            return self.respond(http, i.id, &i.token, true, work).await;
        }
        let ephemeral = matches!(&parsed, Ok(Some(c)) if private_result(c));
        let upload = match &parsed {
            Ok(Some(Command::Deck(DeckCmd::Import(id)))) => attached(i).map(|a| (a, id.clone())),
            _ => None,
        };
        let work = async {
            match parsed {
                Ok(Some(_)) if upload.is_some() => {
                    let (file, id) = upload.expect("checked");
                    Some(Answer {
                        reply: self.import_attachment(&ctx, file, id.as_deref()).await,
                        ephemeral: false,
                    })
                }
                Ok(Some(cmd)) => self.run(ctx, cmd).await,
                Ok(None) => None,
                Err(m) => Some(Answer {
                    reply: self.app.refuse(&ctx, m).await,
                    ephemeral: true,
                }),
            }
        };
        self.respond(http, i.id, &i.token, ephemeral, work).await;
    }

    /// `/deck import` with an attached file: downloaded from its URL and imported. Admins only
    /// in servers, and a file over the limit is refused, both before the download.
    async fn import_attachment(&self, ctx: &Ctx, file: &Attachment, id: Option<&str>) -> Reply {
        if !ctx.may_change_settings() {
            return self
                .app
                .refuse(ctx, Msg::General(GeneralMsg::AdminOnly))
                .await;
        }
        let size = u64::from(file.size);
        if size > DeckLimits::MAX_BYTES as u64 {
            return self.app.refuse(ctx, too_big(size)).await;
        }
        let bytes = match file.download().await {
            Ok(b) if b.len() > DeckLimits::MAX_BYTES => {
                return self.app.refuse(ctx, too_big(b.len() as u64)).await;
            }
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "discord: could not download a deck file");
                return self
                    .app
                    .refuse(ctx, Msg::Deck(DeckMsg::DownloadFailed))
                    .await;
            }
        };
        let import = DeckImport {
            file_name: &file.filename,
            bytes: &bytes,
            id,
            title: None,
            public: false,
        };
        self.app.respond_import(ctx, import).await
    }

    /// A button: a quiz answer (ephemeral result, then the message's count updated) or one of
    /// the buttons under a topic. Buttons we cannot read (stale, forged) are only acknowledged.
    pub(super) async fn click(&self, http: &Arc<Http>, i: &ComponentInteraction) {
        let Some(action) = Action::decode(&i.data.custom_id) else {
            let ack = CreateInteractionResponse::Acknowledge;
            if let Err(e) = http
                .create_interaction_response(i.id, &i.token, &ack, Vec::new())
                .await
            {
                tracing::debug!(error = %describe(&e), "discord: could not acknowledge a button");
            }
            return;
        };
        let quiz = match action {
            Action::Answer { quiz_id, .. } => Some(quiz_id),
            _ => None,
        };
        let cmd = action.into_command();
        let origin = origin_of!(i, i.member.as_ref());
        let ephemeral = private_result(&cmd);
        let ctx = self.ctx(&origin);
        self.respond(http, i.id, &i.token, ephemeral, self.run(ctx, cmd))
            .await;
        if let Some(quiz_id) = quiz {
            self.show_count(http, quiz_id, &i.message).await;
        }
    }

    /// Edits the quiz message to show how many have answered, when that number grew.
    async fn show_count(&self, http: &Arc<Http>, quiz_id: i64, message: &Message) {
        let ephemeral = message
            .flags
            .is_some_and(|f| f.contains(MessageFlags::EPHEMERAL));
        if message.embeds.is_empty() || ephemeral {
            return;
        }
        let cell = {
            let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
            if shown.len() >= TRACKED_QUIZZES && !shown.contains_key(&quiz_id) {
                shown.clear();
            }
            shown.entry(quiz_id).or_default().clone()
        };
        let mut shown = cell.lock().await;
        // A round question shows its countdown (with the count) instead of the count alone.
        let (count, line) = match self
            .app
            .rounds()
            .quiz_status(quiz_id, self.clock.now())
            .await
        {
            Ok(status) => status,
            Err(e) => {
                tracing::warn!(error = %e, "discord: could not count a quiz's answers");
                return;
            }
        };
        if count <= *shown {
            return;
        }
        let outbox = Outbox::with_http(http.clone());
        match outbox
            .show_answer_count(
                message.channel_id,
                message.id,
                &message.embeds,
                &fit_plain(&line, FOOTER_LIMIT),
            )
            .await
        {
            Ok(()) => *shown = count,
            Err(e) => tracing::warn!(error = %e, "discord: could not update a quiz's answer count"),
        }
    }

    /// Autocomplete for topics, quiz targets and timezones.
    pub(super) async fn autocomplete(&self, http: &Http, i: &CommandInteraction) {
        let Some(focused) = i.data.autocomplete() else {
            return;
        };
        let choices = suggest_kind(&i.data.name, focused.name)
            .map(|kind| suggest(self.app.catalog(), kind, focused.value))
            .unwrap_or_default();
        let response = CreateInteractionResponse::Autocomplete(
            CreateAutocompleteResponse::new().set_choices(
                choices
                    .into_iter()
                    .map(|(name, value)| AutocompleteChoice::new(name, value))
                    .collect(),
            ),
        );
        if let Err(e) = http
            .create_interaction_response(i.id, &i.token, &response, Vec::new())
            .await
        {
            tracing::debug!(error = %describe(&e), "discord: autocomplete answer failed");
        }
    }
}
