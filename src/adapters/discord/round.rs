//! Quiz rounds in Discord channels, through the outbox (process-wide limiter, no mentions). A
//! question is an embed with one button per option and a countdown in its footer, edited as time
//! runs out; when it closes, its buttons are taken away and the footer gives the answer. Clicks
//! are ordinary quiz answers (the core scores them while the question is open).

use super::outbox::{Outbox, SendError};
use super::render::{FOOTER_LIMIT, Outgoing, fit_plain, quiz_embed, quiz_row, render};
use crate::core::messages::RoundMsg;
use crate::core::quiz::OptionLetter;
use crate::core::{Msg, RoundDelivery, RoundQuestion, RoundStep};
use crate::scheduler::RoundTarget;
use futures::future::BoxFuture;

/// An open round question: the quiz embed, a countdown footer, the answer buttons.
pub fn round_question(q: &RoundQuestion, seconds_left: u32, answered: i64) -> Outgoing {
    let mut embed = quiz_embed(&q.card, answered, q.lang);
    embed.footer = Some(fit_plain(
        &Msg::Round(RoundMsg::Countdown {
            seconds: seconds_left,
            answered,
        })
        .render(q.lang),
        FOOTER_LIMIT,
    ));
    let row = quiz_row(&q.card);
    Outgoing {
        embeds: vec![embed],
        rows: if row.is_empty() { vec![] } else { vec![row] },
        ..Outgoing::default()
    }
}

/// A closed round question: the same embed, no buttons, the answer in the footer.
pub fn round_closed(q: &RoundQuestion) -> Outgoing {
    let mut embed = quiz_embed(&q.card, 0, q.lang);
    let letter = OptionLetter::from_index(q.card.correct).map_or('?', |l| l.as_char());
    embed.footer = Some(fit_plain(
        &Msg::Round(RoundMsg::TimeUp { letter }).render(q.lang),
        FOOTER_LIMIT,
    ));
    Outgoing {
        embeds: vec![embed],
        ..Outgoing::default()
    }
}

fn reason(e: SendError) -> String {
    e.to_string()
}

fn ids(chat: &str, message_ref: Option<&str>) -> Option<(u64, u64)> {
    Some((chat.parse().ok()?, message_ref?.parse().ok()?))
}

impl Outbox {
    async fn play_step(&self, chat: &str, step: &RoundStep) -> RoundDelivery {
        let Ok(channel) = chat.parse::<u64>() else {
            return Err(format!("not a Discord channel id: {chat}"));
        };
        match step {
            RoundStep::Countdown {
                question,
                seconds_left,
                answered,
            } => {
                let Some((channel, message)) = ids(chat, question.message_ref.as_deref()) else {
                    return Ok(None);
                };
                let edit = round_question(question, *seconds_left, *answered);
                self.edit_message(channel, message, &edit)
                    .await
                    .map_err(reason)?;
                Ok(None)
            }
            RoundStep::Post {
                closed,
                text,
                question,
            } => {
                // Taking the closed question's buttons away is cosmetic (the core refuses late
                // answers anyway): a failure is logged, not fatal to the round.
                if let Some(c) = closed
                    && let Some((channel, message)) = ids(chat, c.message_ref.as_deref())
                    && let Err(e) = self.edit_message(channel, message, &round_closed(c)).await
                {
                    tracing::warn!(error = %e, "discord: could not close a round question");
                }
                for o in render(text) {
                    self.post_message(channel, &o).await.map_err(reason)?;
                }
                match question {
                    Some(q) => {
                        let posted = round_question(q, q.open_secs, 0);
                        let id = self.post_message(channel, &posted).await.map_err(reason)?;
                        Ok(Some(id.to_string()))
                    }
                    None => Ok(None),
                }
            }
        }
    }
}

impl RoundTarget for Outbox {
    fn play<'a>(&'a self, chat: &'a str, step: &'a RoundStep) -> BoxFuture<'a, RoundDelivery> {
        Box::pin(self.play_step(chat, step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Action, QuizCard};

    fn question() -> RoundQuestion {
        RoundQuestion {
            round_id: 1,
            number: 2,
            total: 5,
            card: QuizCard {
                quiz_id: 77,
                topic_title: "TCP vs UDP".into(),
                prompt: "Which one orders bytes?".into(),
                options: vec!["TCP".into(), "UDP".into(), "Both".into(), "Neither".into()],
                correct: 0,
                explanation: "TCP orders bytes.".into(),
            },
            open_secs: 30,
            message_ref: Some("555".into()),
            lang: crate::core::Lang::English,
        }
    }

    #[test]
    fn an_open_round_question_has_answer_buttons_and_a_countdown() {
        let o = round_question(&question(), 20, 3);
        assert_eq!(o.embeds.len(), 1);
        assert_eq!(
            o.embeds[0].footer.as_deref(),
            Some("20 s left · 3 answered")
        );
        assert!(o.embeds[0].description.contains("**A** · TCP"));
        assert!(
            !o.embeds[0].description.contains("TCP orders bytes"),
            "no spoiler"
        );
        let ids: Vec<Option<Action>> = o.rows[0]
            .iter()
            .map(|b| Action::decode(&b.custom_id))
            .collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(
            ids[1],
            Some(Action::Answer {
                quiz_id: 77,
                letter: OptionLetter::from_index(1).unwrap()
            })
        );
    }

    #[test]
    fn a_closed_round_question_loses_its_buttons_and_shows_the_answer() {
        let o = round_closed(&question());
        assert!(o.rows.is_empty());
        assert_eq!(
            o.embeds[0].footer.as_deref(),
            Some("Time's up · the answer was A")
        );
    }
}
