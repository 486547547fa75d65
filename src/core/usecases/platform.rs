//! What chat platforms need beyond commands: native quizzes answered by reference, chats that
//! change id, housekeeping.

use super::display_name;
use crate::core::Msg;
use crate::core::app::App;
use crate::core::context::Platform;
use crate::core::error::Error;
use crate::core::language::usecase::answer_lang;
use crate::core::messages::GeneralMsg;
use crate::core::messages::Lang;
use crate::core::quiz::OptionLetter;
use crate::core::quiz::usecase::Graded;
use crate::core::reply::Reply;
use chrono::{DateTime, Duration, Utc};

/// How long handled event ids are remembered (Telegram keeps undelivered updates 24 hours).
const EVENT_MEMORY_DAYS: i64 = 7;

/// A learner answering a platform-native quiz (a Telegram quiz poll).
pub struct NativeAnswer<'a> {
    pub platform: Platform,
    pub quiz_ref: &'a str,
    pub user_id: &'a str,
    pub user_name: &'a str,
    pub option: usize,
    pub now: DateTime<Utc>,
    /// What the platform's locale suggests (a reply follows only in private chats).
    pub lang: Lang,
}

/// A platform id made unique across platforms, as stored in `quizzes.platform_ref`.
pub(in crate::core) fn scoped(platform: Platform, r: &str) -> String {
    format!("{}:{r}", platform.as_str())
}

impl App {
    /// Remembers the platform's id for a posted quiz, so answers that only carry that id find it.
    pub async fn attach_quiz_ref(
        &self,
        platform: Platform,
        quiz_id: i64,
        quiz_ref: &str,
    ) -> Result<(), Error> {
        self.store
            .set_quiz_ref(quiz_id, &scoped(platform, quiz_ref))
            .await?;
        Ok(())
    }

    /// Records an answer that arrived with the platform's quiz id and no chat (Telegram's
    /// `poll_answer`). `None` when the quiz is unknown (not ours, or posted before a data reset).
    pub async fn answer_native(&self, a: NativeAnswer<'_>) -> Result<Option<Reply>, Error> {
        let letter = OptionLetter::from_index(a.option)
            .ok_or_else(|| Msg::General(GeneralMsg::NotAnOption(a.option.to_string())))?;
        // One transaction from lookup to record, so a chat moving meanwhile cannot split them.
        let mut tx = self.store.begin().await?;
        let Some(quiz) = tx.quiz_by_ref(&scoped(a.platform, a.quiz_ref)).await? else {
            return Ok(None);
        };
        let Some(chat) = tx.chat(quiz.chat_id).await? else {
            return Ok(None);
        };
        let user = tx
            .upsert_user(a.platform, a.user_id, &display_name(a.user_name), a.now)
            .await?;
        // A vote in someone else's private quiz (a forwarded poll keeps its id): not theirs to
        // answer, and nothing to say.
        if chat.private_of.is_some_and(|owner| owner != user.id) {
            return Ok(Some(Reply::default()));
        }
        let lang = answer_lang(&chat, &user, a.lang);
        self.quizzes()
            .grade(
                tx,
                &chat,
                &user,
                &quiz,
                Graded {
                    letter,
                    now: a.now,
                    lang,
                },
            )
            .await
            .map(Some)
    }

    /// A chat got a new id on the platform (Telegram group → supergroup): keep its data.
    pub async fn move_chat(
        &self,
        platform: Platform,
        old_id: &str,
        new_id: &str,
    ) -> Result<bool, Error> {
        let mut tx = self.store.begin().await?;
        let moved = tx.move_chat(platform, old_id, new_id).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Start-up housekeeping.
    pub async fn prune(&self, now: DateTime<Utc>) -> Result<u64, Error> {
        let mut tx = self.store.begin().await?;
        let n = tx
            .prune_events(now - Duration::days(EVENT_MEMORY_DAYS))
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}
