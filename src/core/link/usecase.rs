//! /link and /unlink: one learner behind accounts on several platforms.

use super::messages::{LinkMsg, LinkPreview, LinkSide};
use super::rules::{
    CODE_VALID_MINUTES, LOCKOUT_MINUTES, LinkCode, LinkRequest, MAX_WRONG_TRIES,
    WRONG_TRIES_WINDOW_MINUTES, merge_streaks,
};
use crate::core::app::Linking;
use crate::core::context::{ChatKind, Ctx, Platform};
use crate::core::error::Error;
use crate::core::messages::Msg;
use crate::core::reply::{Action, Reply};
use crate::core::usecases::{progress_of, stored_zone, streak_of};
use crate::store::{AccountRow, ChatRow, StoreError, Tx, UserRow};
use chrono::Duration;

/// Draws before giving up on a code no other account holds (a clash is about 1 in 10^11).
const CODE_DRAWS: usize = 5;

fn user_err(m: LinkMsg) -> Error {
    Error::User(Msg::Link(m))
}

impl Linking<'_> {
    pub(in crate::core) async fn link(&self, ctx: &Ctx, req: LinkRequest) -> Result<Reply, Error> {
        // A code is a key to the learner's data: never shown to a group.
        if ctx.chat_kind != ChatKind::Private && !ctx.caps.private_replies {
            return Err(user_err(LinkMsg::PrivateOnly));
        }
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let account = own_account(&mut tx, ctx).await?;
        match req {
            LinkRequest::Start => self.issue(tx, ctx, &account).await,
            LinkRequest::Enter { code, confirm } => {
                self.enter_code(tx, ctx, &chat, &user, &account, &code, confirm)
                    .await
            }
        }
    }

    async fn issue(&self, mut tx: Tx, ctx: &Ctx, account: &AccountRow) -> Result<Reply, Error> {
        let expires = ctx.now + Duration::minutes(CODE_VALID_MINUTES);
        for _ in 0..CODE_DRAWS {
            let code = LinkCode::generate(&*self.ids);
            if tx
                .put_link_code(account.id, &code.hash(), expires, ctx.now)
                .await?
            {
                tx.commit().await?;
                return Ok(Reply::text(
                    Msg::Link(LinkMsg::CodeIssued {
                        code: code.as_str().to_string(),
                        minutes: CODE_VALID_MINUTES,
                    })
                    .render(ctx.lang),
                ));
            }
        }
        Err(Error::Store(StoreError::Unexpected(
            "every link code drawn is held by another account",
        )))
    }

    #[allow(clippy::too_many_arguments)]
    async fn enter_code(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        chat: &ChatRow,
        user: &UserRow,
        account: &AccountRow,
        code: &LinkCode,
        confirm: bool,
    ) -> Result<Reply, Error> {
        if let Some(until) = account.link_locked_until.filter(|u| *u > ctx.now) {
            tx.commit().await?;
            let minutes = ((until - ctx.now).num_seconds() + 59) / 60;
            return Err(user_err(LinkMsg::LockedOut { minutes }));
        }
        let found = tx.link_code(&code.hash()).await?;
        let valid = found.as_ref().filter(|c| c.expires_at > ctx.now);
        let Some(found) = valid else {
            let expired = found.is_some();
            let msg = self.wrong_try(&mut tx, ctx, account, expired).await?;
            if expired {
                tx.delete_link_code(&code.hash()).await?;
            }
            tx.commit().await?;
            return Err(user_err(msg));
        };
        if found.user_id == user.id {
            tx.commit().await?;
            return Err(user_err(LinkMsg::AlreadyLinked));
        }
        let keep = tx
            .user(found.user_id)
            .await?
            .ok_or(Error::Store(StoreError::Unexpected("the code's learner")))?;
        let here_accounts = tx.accounts_of(user.id).await?;
        let there_accounts = tx.accounts_of(keep.id).await?;
        if let Some(clash) = here_accounts
            .iter()
            .find(|a| there_accounts.iter().any(|b| b.platform == a.platform))
        {
            tx.commit().await?;
            return Err(user_err(LinkMsg::SamePlatform(clash.platform)));
        }
        // The joined learner keeps the code-maker's zone (else this one's): its local day
        // decides which streaks are still alive.
        let timezone = keep.timezone.clone().or_else(|| user.timezone.clone());
        let zone =
            stored_zone(timezone.as_deref(), "user", keep.id).unwrap_or_else(|| self.chat_tz(chat));
        let today = zone.local_day(ctx.now);
        let streak = merge_streaks(streak_of(&keep), streak_of(user), today);
        if !confirm {
            let here = side(&mut tx, user, &here_accounts, today).await?;
            let there = side(&mut tx, &keep, &there_accounts, today).await?;
            tx.commit().await?;
            let mut r = Reply::text(
                Msg::Link(LinkMsg::Confirm(Box::new(LinkPreview {
                    code: code.as_str().to_string(),
                    here,
                    there,
                    streak: streak.current_on(today),
                })))
                .render(ctx.lang),
            );
            r.button(
                Msg::Link(LinkMsg::ButtonLink).render(ctx.lang),
                Action::LinkConfirm(code.as_str().to_string()),
            );
            return Ok(r);
        }
        let xp = keep.xp + user.xp;
        tx.merge_learners(
            keep.id,
            user.id,
            &progress_of(xp, &streak),
            timezone.as_deref(),
        )
        .await?;
        tx.delete_link_code(&code.hash()).await?;
        let platforms = tx
            .accounts_of(keep.id)
            .await?
            .iter()
            .map(|a| a.platform)
            .collect();
        tx.commit().await?;
        tracing::info!(
            platform = ctx.platform.as_str(),
            "link: two learners were joined"
        );
        Ok(Reply::text(
            Msg::Link(LinkMsg::Linked {
                platforms,
                streak: streak.current_on(today),
                xp,
            })
            .render(ctx.lang),
        ))
    }

    /// Counts a wrong (or expired) code against the account, locking it at the limit.
    async fn wrong_try(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        account: &AccountRow,
        expired: bool,
    ) -> Result<LinkMsg, Error> {
        let since = ctx.now - Duration::minutes(WRONG_TRIES_WINDOW_MINUTES);
        let wrong = tx.record_link_failure(account.id, ctx.now, since).await?;
        tracing::info!(
            platform = ctx.platform.as_str(),
            wrong,
            "link: a wrong or expired code"
        );
        if wrong >= MAX_WRONG_TRIES {
            tx.lock_linking(account.id, ctx.now + Duration::minutes(LOCKOUT_MINUTES))
                .await?;
            return Ok(LinkMsg::LockedOut {
                minutes: LOCKOUT_MINUTES,
            });
        }
        let tries_left = MAX_WRONG_TRIES - wrong;
        Ok(if expired {
            LinkMsg::Expired { tries_left }
        } else {
            LinkMsg::WrongCode { tries_left }
        })
    }

    pub(in crate::core) async fn unlink(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, _chat, user) = self.enter(ctx).await?;
        let account = own_account(&mut tx, ctx).await?;
        if tx.accounts_of(user.id).await?.len() < 2 {
            tx.commit().await?;
            return Err(user_err(LinkMsg::NotLinked));
        }
        tx.split_account(user.id, account.id, ctx.platform, ctx.now)
            .await?;
        tx.commit().await?;
        tracing::info!(
            platform = ctx.platform.as_str(),
            "link: an account was separated"
        );
        Ok(Reply::text(
            Msg::Link(LinkMsg::Unlinked(ctx.platform)).render(ctx.lang),
        ))
    }
}

/// The account the command came from (`enter` has just made sure it exists).
async fn own_account(tx: &mut Tx, ctx: &Ctx) -> Result<AccountRow, Error> {
    tx.account(ctx.platform, &ctx.user_id)
        .await?
        .ok_or(Error::Store(StoreError::Unexpected("the asker's account")))
}

/// What one learner brings to a link.
async fn side(
    tx: &mut Tx,
    user: &UserRow,
    accounts: &[AccountRow],
    today: chrono::NaiveDate,
) -> Result<LinkSide, Error> {
    let counts = tx.learner_counts(user.id).await?;
    Ok(LinkSide {
        platforms: accounts
            .iter()
            .map(|a| a.platform)
            .collect::<Vec<Platform>>(),
        streak: streak_of(user).current_on(today),
        xp: user.xp,
        answers: counts.answers,
        review_cards: counts.review_cards,
        topic_marks: counts.topic_statuses,
    })
}
