//! What the core answers: platform-neutral blocks, an optional quiz and optional buttons.
//! Renderers in the adapters turn this into Telegram HTML, Discord embeds or console text.

use super::command::Command;
use super::context::Visibility;
use super::messages::Lang;
use super::quiz::OptionLetter;
use super::report::ReportReason;
use super::status::TopicStatus;
use crate::content::{Question, Topic};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    List(Vec<String>),
    /// Secondary text (positions, hints).
    Note(String),
    /// The rest of a card, one tap away where the platform can fold text (Telegram's expandable
    /// blockquote), set apart where it cannot (Discord embed fields), inline on the console.
    /// Never nested.
    Details(Vec<Block>),
}

/// Text shown before a fold, in UTF-16 units (Telegram's unit; never fewer than characters).
fn shown_len(s: &str) -> usize {
    s.encode_utf16().count()
}

impl Block {
    /// How long the block reads once rendered, markup aside: its text, plus a bullet and a line
    /// feed per list item, as every renderer shows a list. Details count in full.
    pub fn visible_len(&self) -> usize {
        match self {
            Block::Heading(s) | Block::Subheading(s) | Block::Paragraph(s) | Block::Note(s) => {
                shown_len(s.trim_end())
            }
            Block::List(items) => items
                .iter()
                .map(|i| LIST_BULLET_LEN + shown_len(i) + 1)
                .sum::<usize>()
                .saturating_sub(1),
            Block::Details(inner) => visible_len(inner),
        }
    }
}

/// The bullet ("• ") renderers put before a list item.
const LIST_BULLET_LEN: usize = 2;

/// How long blocks read once rendered one after another, a blank line between two.
pub fn visible_len(blocks: &[Block]) -> usize {
    let text: usize = blocks.iter().map(Block::visible_len).sum();
    text + 2 * blocks.len().saturating_sub(1)
}

/// A quiz question as posted: the renderer shows the options, a platform with native quizzes
/// (Telegram polls) also gets the answer and explanation to hand to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizCard {
    pub quiz_id: i64,
    pub topic_title: String,
    pub prompt: String,
    pub options: Vec<String>,
    pub correct: usize,
    pub explanation: String,
}

impl QuizCard {
    /// A question titled `title` (a topic's, a deck's), posed as the quiz `quiz_id`.
    pub fn of(quiz_id: i64, title: &str, question: &Question) -> QuizCard {
        QuizCard {
            quiz_id,
            topic_title: title.to_string(),
            prompt: question.prompt.clone(),
            options: question.options.clone(),
            correct: question.answer,
            explanation: question.explanation.clone(),
        }
    }

    /// `question` of `topic`, posed as the quiz `quiz_id`: the one way a question becomes a card,
    /// whether a learner asked, a push posed it, a review served it or a round played it.
    pub fn new(quiz_id: i64, topic: &Topic, question: &Question) -> QuizCard {
        QuizCard {
            quiz_id,
            topic_title: topic.title.clone(),
            prompt: question.prompt.clone(),
            options: question.options.clone(),
            correct: question.answer,
            explanation: question.explanation.clone(),
        }
    }
}

/// Whether a file of this name is one the core makes for a learner or their chat (an export, a
/// progress or leaderboard picture): what an adapter that saved files deletes on /forget.
pub fn made_for_a_learner(name: &str) -> bool {
    const MADE: [(&str, &str); 4] = [
        ("studybot-answers-", ".csv"),
        ("studybot-missed-", ".txt"),
        ("progress-", ".png"),
        ("leaderboard-", ".png"),
    ];
    MADE.iter()
        .any(|(start, end)| name.starts_with(start) && name.ends_with(end))
}

/// What a button does when pressed; encoded into callback data / custom ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    QuizTopic(String),
    NextTopic,
    Answer {
        quiz_id: i64,
        letter: OptionLetter,
    },
    ForgetConfirm,
    /// Confirm joining with the learner of this link code.
    LinkConfirm(String),
    Review,
    /// Mark a topic done / later / skip for the presser.
    Mark {
        status: TopicStatus,
        topic: String,
    },
    /// Report the quiz's question: asks the presser for a reason.
    Report {
        quiz_id: i64,
    },
    /// Report the quiz's question for this reason.
    ReportReason {
        quiz_id: i64,
        reason: ReportReason,
    },
}

/// Telegram callback data holds 1–64 bytes (Discord custom ids 100): every encoding fits 64.
pub const ACTION_MAX_BYTES: usize = 64;

impl Action {
    pub fn encode(&self) -> String {
        let s = match self {
            Action::QuizTopic(id) => format!("q:{id}"),
            Action::NextTopic => "next".to_string(),
            Action::Answer { quiz_id, letter } => format!("a:{quiz_id}:{}", letter.as_char()),
            Action::ForgetConfirm => "forget:yes".to_string(),
            Action::LinkConfirm(code) => format!("link:{code}"),
            Action::Review => "review".to_string(),
            // "m:" + code + ":" + a topic id of at most 60 characters: at most 64 bytes.
            Action::Mark { status, topic } => format!("m:{}:{topic}", status.code()),
            Action::Report { quiz_id } => format!("r:{quiz_id}"),
            Action::ReportReason { quiz_id, reason } => format!("rr:{quiz_id}:{}", reason.code()),
        };
        debug_assert!(s.len() <= ACTION_MAX_BYTES);
        s
    }

    /// Parses callback data; anything else (stale or forged buttons) is `None`.
    pub fn decode(s: &str) -> Option<Action> {
        if s.len() > ACTION_MAX_BYTES {
            return None;
        }
        if let Some(id) = s.strip_prefix("q:") {
            return crate::content::is_topic_id(id).then(|| Action::QuizTopic(id.to_string()));
        }
        if let Some(rest) = s.strip_prefix("m:") {
            let (code, topic) = rest.split_once(':')?;
            let status = TopicStatus::from_code(code)?;
            return crate::content::is_topic_id(topic).then(|| Action::Mark {
                status,
                topic: topic.to_string(),
            });
        }
        if let Some(code) = s.strip_prefix("link:") {
            let code = crate::core::link::LinkCode::parse(code).ok()?;
            return Some(Action::LinkConfirm(code.as_str().to_string()));
        }
        if let Some(id) = s.strip_prefix("r:") {
            return Some(Action::Report {
                quiz_id: id.parse().ok()?,
            });
        }
        if let Some(rest) = s.strip_prefix("rr:") {
            let (quiz, code) = rest.split_once(':')?;
            return Some(Action::ReportReason {
                quiz_id: quiz.parse().ok()?,
                reason: ReportReason::from_code(code)?,
            });
        }
        if let Some(rest) = s.strip_prefix("a:") {
            let (quiz, letter) = rest.split_once(':')?;
            return Some(Action::Answer {
                quiz_id: quiz.parse().ok()?,
                letter: OptionLetter::parse(letter).ok()?,
            });
        }
        match s {
            "next" => Some(Action::NextTopic),
            "forget:yes" => Some(Action::ForgetConfirm),
            "review" => Some(Action::Review),
            _ => None,
        }
    }
}

impl Action {
    /// The command a pressed button runs.
    pub fn into_command(self) -> Command {
        match self {
            Action::QuizTopic(id) => Command::Quiz(Some(id)),
            Action::NextTopic => Command::Next,
            Action::Answer { quiz_id, letter } => Command::Answer {
                quiz_id: Some(quiz_id),
                letter,
            },
            Action::ForgetConfirm => Command::Forget { confirm: true },
            Action::LinkConfirm(code) => match crate::core::link::LinkCode::parse(&code) {
                Ok(code) => Command::Link(crate::core::link::LinkRequest::Enter {
                    code,
                    confirm: true,
                }),
                // Decoded buttons hold parsed codes; anything else asks for a new code.
                Err(_) => Command::Link(crate::core::link::LinkRequest::Start),
            },
            Action::Review => Command::Review,
            Action::Mark { status, topic } => Command::Mark {
                status,
                topic: Some(topic),
            },
            Action::Report { quiz_id } => Command::Report {
                quiz_id: Some(quiz_id),
                reason: None,
            },
            Action::ReportReason { quiz_id, reason } => Command::Report {
                quiz_id: Some(quiz_id),
                reason: Some(reason.key().to_string()),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub action: Action,
}

/// How a platform should present a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A picture shown inline (Telegram `sendPhoto`, an image attachment on Discord).
    Photo,
    /// A file to download (Telegram `sendDocument`).
    Document,
}

/// A file sent with a reply: a picture, an export.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name, safe on every platform and file system (`[a-z0-9.-]`).
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    pub kind: FileKind,
    /// A short line shown with the file (Telegram caption: at most 1024 characters).
    pub caption: Option<String>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("bytes", &self.bytes.len())
            .field("kind", &self.kind)
            .field("caption", &self.caption)
            .finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    pub blocks: Vec<Block>,
    pub quiz: Option<QuizCard>,
    pub buttons: Vec<Button>,
    /// Files sent after the text, in order.
    pub files: Vec<Attachment>,
    /// Who may see it (an adapter whose platform cannot hide replies shows it to the chat).
    pub visibility: Visibility,
    /// The learner was just forgotten: an adapter that wrote files for them (the console's
    /// exports and pictures) deletes them too.
    pub erase_files: bool,
    /// The language the reply is written in, for what an adapter adds to it (a quiz's answer
    /// count, the console's hints).
    pub lang: Lang,
}

impl Reply {
    pub fn text(s: impl Into<String>) -> Reply {
        Reply {
            blocks: vec![Block::Paragraph(s.into())],
            ..Reply::default()
        }
    }

    /// A reply of these blocks and nothing else.
    pub fn of_blocks(blocks: Vec<Block>) -> Reply {
        Reply {
            blocks,
            ..Reply::default()
        }
    }

    pub fn push(&mut self, b: Block) -> &mut Reply {
        self.blocks.push(b);
        self
    }

    pub fn para(&mut self, s: impl ToString) -> &mut Reply {
        self.push(Block::Paragraph(s.to_string()))
    }

    pub fn button(&mut self, label: impl ToString, action: Action) -> &mut Reply {
        self.buttons.push(Button {
            label: label.to_string(),
            action,
        });
        self
    }

    /// A quiz with a note above it (what it is about, or why it is asked).
    pub fn quiz(note: impl ToString, card: QuizCard) -> Reply {
        Reply {
            blocks: vec![Block::Note(note.to_string())],
            quiz: Some(card),
            ..Reply::default()
        }
    }

    /// Nothing to send (e.g. a redelivered event).
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
            && self.quiz.is_none()
            && self.buttons.is_empty()
            && self.files.is_empty()
    }

    pub fn file(&mut self, file: Attachment) -> &mut Reply {
        self.files.push(file);
        self
    }

    /// All the text of the blocks (details included), for tests and logs.
    pub fn plain_text(&self) -> String {
        fn walk(blocks: &[Block], out: &mut Vec<String>) {
            for b in blocks {
                match b {
                    Block::Heading(s)
                    | Block::Subheading(s)
                    | Block::Paragraph(s)
                    | Block::Note(s) => out.push(s.clone()),
                    Block::List(items) => out.extend(items.iter().map(|i| format!("- {i}"))),
                    Block::Details(inner) => walk(inner, out),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_through_their_encoding() {
        let all = [
            Action::QuizTopic("tcp-vs-udp".into()),
            Action::NextTopic,
            Action::Answer {
                quiz_id: 9_007_199_254_740_993,
                letter: OptionLetter::parse("d").unwrap(),
            },
            Action::ForgetConfirm,
            Action::Review,
            Action::Report { quiz_id: 42 },
            Action::ReportReason {
                quiz_id: 9_007_199_254_740_993,
                reason: ReportReason::WrongAnswer,
            },
        ];
        for a in all {
            let e = a.encode();
            assert!(e.len() <= ACTION_MAX_BYTES);
            assert_eq!(Action::decode(&e), Some(a));
        }
    }

    #[test]
    fn forged_or_stale_callback_data_decodes_to_nothing() {
        for bad in [
            "",
            "q:",
            "q:Bad Id",
            "a:1",
            "a:x:A",
            "a:1:E",
            "zzz",
            &"q:a".repeat(40),
        ] {
            assert_eq!(Action::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn mark_buttons_fit_64_bytes_with_the_longest_topic_id() {
        let longest = format!("{}-b", "a".repeat(58));
        assert_eq!(longest.len(), 60);
        for status in TopicStatus::ALL {
            let a = Action::Mark {
                status,
                topic: longest.clone(),
            };
            let e = a.encode();
            assert_eq!(e.len(), ACTION_MAX_BYTES);
            assert_eq!(Action::decode(&e), Some(a));
        }
        for bad in ["m:", "m:d:", "m:x:alpha", "m:d:Not An Id", "m:dd:alpha"] {
            assert_eq!(Action::decode(bad), None, "{bad}");
        }
    }
}
