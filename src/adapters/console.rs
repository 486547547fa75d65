//! The console adapter: one local learner in one local chat, commands on stdin, plain text out.

use crate::core::Capabilities;
use crate::core::Msg;
use crate::core::messages::{ExportMsg, QuizMsg};
use crate::core::quiz::OptionLetter;
use crate::core::{
    Action, App, Attachment, Block, ChatKind, Clock, Ctx, ParseOptions, Platform, Reply,
    made_for_a_learner,
};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// The terminal is the learner's own chat: nothing to hide, nothing to send later.
pub const CAPABILITIES: Capabilities = Capabilities {
    private_replies: false,
    scheduled_private_messages: false,
    native_quiz_polls: false,
};

/// The chat and user id the console uses in the store.
pub const LOCAL_ID: &str = "local";

/// Renders a reply as plain text: headings underlined, quiz options labelled A–D, and buttons as
/// the commands that do the same thing.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    for b in &reply.blocks {
        match b {
            Block::Heading(s) => {
                out.push_str(s);
                out.push('\n');
                out.push_str(&"=".repeat(s.chars().count().min(60)));
                out.push('\n');
            }
            Block::Subheading(s) => out.push_str(&format!("\n{s}\n")),
            Block::Paragraph(s) => out.push_str(&format!("{}\n", s.trim_end())),
            Block::List(items) => items
                .iter()
                .for_each(|i| out.push_str(&format!("  - {i}\n"))),
            Block::Note(s) => out.push_str(&format!("({s})\n")),
        }
    }
    if let Some(q) = &reply.quiz {
        out.push_str(&format!("\n{}\n", q.prompt));
        for (i, o) in q.options.iter().enumerate() {
            let letter = OptionLetter::from_index(i)
                .map(|l| l.as_char())
                .unwrap_or('?');
            out.push_str(&format!("  {letter}) {o}\n"));
        }
        out.push_str(&format!("{}\n", Msg::Quiz(QuizMsg::AnswerHint)));
    }
    if !reply.buttons.is_empty() {
        let mut hints: Vec<String> = reply
            .buttons
            .iter()
            .filter(|b| !matches!(b.action, Action::Mark { .. }))
            .map(|b| format!("[{}: {}]", b.label, command_for(&b.action)))
            .collect();
        // The done / later / skip buttons of a topic read best as one hint.
        let marks: Vec<(&str, &str, &str)> = reply
            .buttons
            .iter()
            .filter_map(|b| match &b.action {
                Action::Mark { status, topic } => {
                    Some((b.label.as_str(), status.as_str(), topic.as_str()))
                }
                _ => None,
            })
            .collect();
        if let Some((_, _, topic)) = marks.first() {
            let labels: Vec<&str> = marks.iter().map(|m| m.0).collect();
            let words: Vec<&str> = marks.iter().map(|m| m.1).collect();
            hints.push(format!(
                "[{}: /mark {} {topic}]",
                labels.join(" / "),
                words.join("|")
            ));
        }
        out.push_str(&format!("\n{}\n", hints.join("  ")));
    }
    out
}

/// The typed command a button stands for.
fn command_for(action: &Action) -> String {
    match action {
        Action::Mark { status, topic } => format!("/mark {} {topic}", status.as_str()),
        Action::QuizTopic(id) => format!("/quiz {id}"),
        Action::NextTopic => "/next".to_string(),
        Action::Answer { letter, .. } => format!("/answer {letter}"),
        Action::ForgetConfirm => "/forget confirm".to_string(),
        Action::Review => "/review".to_string(),
    }
}

/// Saves a reply's file into `dir` (created if missing) and says where, or why not.
pub fn save(file: &Attachment, dir: &Path) -> String {
    // Core names are plain already; never let one climb out of `dir` all the same.
    let name: String = file
        .name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            '.' => '.',
            _ => '-',
        })
        .collect();
    let name = name.trim_start_matches('.');
    let path = dir.join(if name.is_empty() { "file" } else { name });
    let written = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, &file.bytes));
    let shown = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let msg = match written {
        Ok(()) => Msg::Export(ExportMsg::FileSaved {
            what: file.caption.clone().unwrap_or_else(|| name.to_string()),
            path: shown.display().to_string(),
        }),
        Err(e) => Msg::Export(ExportMsg::FileNotSaved {
            path: shown.display().to_string(),
            error: e.to_string(),
        }),
    };
    format!("{msg}\n")
}

/// Deletes the files the console saved for the (only, local) learner in `dir` after /forget, and
/// says how many, or which could not be deleted.
pub fn erase(dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let (mut deleted, mut failed) = (0, Vec::new());
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !made_for_a_learner(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => deleted += 1,
            Err(e) => failed.push(format!("{}: {e}", entry.path().display())),
        }
    }
    let mut out = Msg::Export(ExportMsg::FilesErased { count: deleted }).to_string();
    out.push('\n');
    for f in failed {
        out.push_str(&format!("{}\n", Msg::Export(ExportMsg::FileNotErased(f))));
    }
    out
}

/// Reads commands line by line until the input ends, saving files into the working directory.
pub async fn run<R, W>(app: &App, clock: Arc<dyn Clock>, input: R, output: W) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    run_saving_to(app, clock, input, output, Path::new(".")).await
}

/// Reads commands line by line until the input ends. Invalid UTF-8 is replaced, not fatal.
/// Files that replies carry (pictures, exports) are saved into `export_dir` and their paths
/// printed.
pub async fn run_saving_to<R, W>(
    app: &App,
    clock: Arc<dyn Clock>,
    input: R,
    mut output: W,
    export_dir: &Path,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let interactive = std::io::stdin().is_terminal();
    let user_name = std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "learner".into());
    let opts = ParseOptions {
        bot_name: None,
        bare_letters: true,
    };
    if interactive {
        output
            .write_all(b"studybot console. Type /help for commands, Ctrl-D to quit.\n> ")
            .await?;
        output.flush().await?;
    }
    let mut input = input;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).await? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let ctx = Ctx {
            platform: Platform::Console,
            caps: CAPABILITIES,
            chat_id: LOCAL_ID.to_string(),
            chat_kind: ChatKind::Private,
            user_id: LOCAL_ID.to_string(),
            user_name: user_name.clone(),
            is_admin: true,
            now: clock.now(),
            event: None,
        };
        if let Some(reply) = app.respond_text(&ctx, &line, &opts).await {
            output.write_all(render(&reply).as_bytes()).await?;
            for file in &reply.files {
                output.write_all(save(file, export_dir).as_bytes()).await?;
            }
            if reply.erase_files {
                output.write_all(erase(export_dir).as_bytes()).await?;
            }
            output.write_all(b"\n").await?;
        }
        if interactive {
            output.write_all(b"> ").await?;
        }
        output.flush().await?;
    }
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Button, QuizCard};

    #[test]
    fn quiz_options_are_labelled_a_to_d_and_buttons_become_commands() {
        let reply = Reply {
            blocks: vec![
                Block::Heading("TCP".into()),
                Block::List(vec!["one".into()]),
            ],
            quiz: Some(QuizCard {
                quiz_id: 1,
                topic_title: "TCP".into(),
                prompt: "Which?".into(),
                options: vec!["w".into(), "x".into(), "y".into(), "z".into()],
                correct: 2,
                explanation: "because".into(),
            }),
            buttons: vec![Button {
                label: "Next topic".into(),
                action: Action::NextTopic,
            }],
            ..Reply::default()
        };
        let text = render(&reply);
        assert!(text.starts_with("TCP\n===\n  - one\n"));
        assert!(text.contains("Which?\n  A) w\n  B) x\n  C) y\n  D) z\n"));
        assert!(text.contains("[Next topic: /next]"));
        assert!(
            !text.contains("because"),
            "the explanation is only shown after answering"
        );
    }

    #[test]
    fn a_saved_file_lands_in_the_directory_under_a_plain_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = Attachment {
            name: "../../etc/passwd".into(),
            mime: "text/plain".into(),
            bytes: b"x".to_vec(),
            kind: crate::core::FileKind::Document,
            caption: Some("Export".into()),
        };
        let line = save(&file, &dir.path().join("sub"));
        let saved = dir.path().join("sub").join("-..-etc-passwd");
        assert_eq!(std::fs::read(&saved).unwrap(), b"x");
        assert!(line.starts_with("Export: saved to "), "{line}");
        assert!(line.contains("-..-etc-passwd"), "{line}");
    }
}
