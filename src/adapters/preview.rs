//! `studybot preview`: what the bot would send for a topic, on one platform, with its visible
//! length, so content writers see what learners see.

use super::{console, discord, telegram};
use crate::content::Catalog;
use crate::core::search::find_topics;
use crate::core::topics::card::topic_card;

/// The platforms a preview can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewPlatform {
    Telegram,
    Discord,
    Console,
}

/// Why a preview could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PreviewError {
    #[error("no topic has the id `{id}`{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    UnknownTopic { id: String, hint: Option<String> },
}

/// The topic's card as `/today` sends it in a private chat: Telegram's HTML messages and their
/// `reply_markup`, Discord's message bodies as JSON, or the console's text at `console_width`;
/// each followed by a `--` line with the lengths.
pub fn preview(
    catalog: &Catalog,
    id: &str,
    platform: PreviewPlatform,
    console_width: usize,
) -> Result<String, PreviewError> {
    let Some(topic) = catalog.topic(id) else {
        let hint = find_topics(catalog, id).first().map(|t| t.id.to_string());
        return Err(PreviewError::UnknownTopic {
            id: id.to_string(),
            hint,
        });
    };
    let reply = topic_card(catalog, topic, true, None, crate::core::Lang::English);
    let mut out = String::new();
    match platform {
        PreviewPlatform::Telegram => {
            let messages = telegram::render::render_html(&reply, telegram::render::MESSAGE_LIMIT);
            let n = messages.len();
            for (i, html) in messages.iter().enumerate() {
                out.push_str(html);
                out.push('\n');
                if i + 1 == n
                    && let Some(k) = telegram::keyboard_json(&reply)
                {
                    out.push_str(&format!("reply_markup: {k}\n"));
                }
                out.push_str(&format!(
                    "-- telegram message {} of {n}: {} characters in all, {} before the fold\n",
                    i + 1,
                    telegram::render::visible_len(html),
                    telegram::render::shown_before_fold(html),
                ));
            }
        }
        PreviewPlatform::Discord => {
            let messages = discord::render::render(&reply);
            let n = messages.len();
            for (i, m) in messages.iter().enumerate() {
                let json = discord::message_json(m);
                out.push_str(&serde_json::to_string_pretty(&json).unwrap_or_default());
                out.push('\n');
                let embeds: usize = m.embeds.iter().map(discord::render::EmbedOut::chars).sum();
                out.push_str(&format!(
                    "-- discord message {} of {n}: {embeds} characters in embeds\n",
                    i + 1
                ));
            }
        }
        PreviewPlatform::Console => {
            let text = console::render(&reply, console_width);
            out.push_str(&text);
            out.push_str(&format!(
                "-- console: {} characters, wrapped to {console_width} columns\n",
                text.chars().count()
            ));
        }
    }
    Ok(out)
}
