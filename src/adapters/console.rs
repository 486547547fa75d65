//! The console adapter: one local learner in one local chat, commands on stdin, plain text out.

use crate::content::deck::DeckLimits;
use crate::core::Capabilities;
use crate::core::Command;
use crate::core::deck::{DeckCmd, DeckImport, too_big};
use crate::core::messages::{DeckMsg, ExportMsg, QuizMsg};
use crate::core::quiz::OptionLetter;
use crate::core::{
    Action, App, Attachment, Block, ChatKind, Clock, Ctx, ParseOptions, Platform, Reply,
    made_for_a_learner,
};
use crate::core::{Lang, Msg};
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

/// Columns the console wraps to when its output is not a terminal (piped, redirected).
pub const PIPED_WIDTH: usize = 80;
/// Narrowest width wrapped to, however narrow the terminal.
const MIN_WIDTH: usize = 20;

/// The width to wrap to: the terminal's when stdout is one, else [`PIPED_WIDTH`].
pub fn output_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w).max(MIN_WIDTH);
    }
    PIPED_WIDTH
}

/// `text` word-wrapped to `width` columns, the first line after `first`, the others after
/// `rest` (a hanging indent). A line of the text that starts with a space (code) is kept as
/// written; a word longer than a line stands alone on its own line.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            out.push_str(&format!("{prefix}{line}\n"));
            prefix = rest;
            continue;
        }
        let mut cur = prefix.to_string();
        let mut cur_len = prefix.chars().count();
        let mut empty = true;
        for word in line.split_whitespace() {
            let len = word.chars().count();
            if !empty && cur_len + 1 + len > width {
                out.push_str(&cur);
                out.push('\n');
                cur = rest.to_string();
                cur_len = rest.chars().count();
                empty = true;
            }
            if !empty {
                cur.push(' ');
                cur_len += 1;
            }
            cur.push_str(word);
            cur_len += len;
            empty = false;
        }
        out.push_str(cur.trim_end());
        out.push('\n');
        prefix = rest;
    }
    out
}

fn render_blocks(blocks: &[Block], width: usize, out: &mut String) {
    for b in blocks {
        match b {
            Block::Heading(s) => {
                out.push_str(&wrap(s, width, "", ""));
                let underline = s.chars().count().min(60).min(width);
                out.push_str(&"=".repeat(underline));
                out.push('\n');
            }
            Block::Subheading(s) => {
                out.push('\n');
                out.push_str(&wrap(s, width, "", ""));
            }
            Block::Paragraph(s) => out.push_str(&wrap(s.trim_end(), width, "", "")),
            Block::List(items) => items
                .iter()
                .for_each(|i| out.push_str(&wrap(i, width, "  - ", "    "))),
            Block::Note(s) => out.push_str(&wrap(&format!("({s})"), width, "", "")),
            // The terminal has room: the details follow in place.
            Block::Details(inner) => render_blocks(inner, width, out),
        }
    }
}

/// Renders a reply as plain text wrapped to `width` columns: headings underlined, quiz options
/// labelled A–D, and buttons as the commands that do the same thing.
pub fn render(reply: &Reply, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::new();
    render_blocks(&reply.blocks, width, &mut out);
    if let Some(q) = &reply.quiz {
        out.push('\n');
        out.push_str(&wrap(&q.prompt, width, "", ""));
        for (i, o) in q.options.iter().enumerate() {
            let letter = OptionLetter::from_index(i)
                .map(|l| l.as_char())
                .unwrap_or('?');
            out.push_str(&wrap(o, width, &format!("  {letter}) "), "     "));
        }
        out.push_str(&format!(
            "{}\n",
            Msg::Quiz(QuizMsg::AnswerHint).render(reply.lang)
        ));
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

/// `/deck import PATH.csv` (or `.toml`): the console reads the deck from a local file.
fn console_import(line: &str) -> Option<String> {
    let opts = ParseOptions::default();
    match crate::core::parse_command(line, &opts) {
        Ok(Some(Command::Deck(DeckCmd::Import(Some(path)))))
            if [".csv", ".toml"]
                .iter()
                .any(|e| path.to_ascii_lowercase().ends_with(e)) =>
        {
            Some(path)
        }
        _ => None,
    }
}

/// Reads a deck file (refusing one over the size limit unread) and imports it for the console.
async fn import_file(app: &App, ctx: &Ctx, path: &str) -> Reply {
    let cannot = |e: std::io::Error| {
        Msg::Deck(DeckMsg::CannotRead {
            path: path.to_string(),
            error: e.to_string(),
        })
    };
    match std::fs::metadata(path) {
        Ok(m) if m.len() > DeckLimits::MAX_BYTES as u64 => {
            return app.refuse(ctx, too_big(m.len())).await;
        }
        Ok(_) => {}
        Err(e) => return app.refuse(ctx, cannot(e)).await,
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let file = DeckImport {
                file_name: path,
                bytes: &bytes,
                id: None,
                title: None,
                public: false,
            };
            app.respond_import(ctx, file).await
        }
        Err(e) => app.refuse(ctx, cannot(e)).await,
    }
}

/// The typed command a button stands for.
fn command_for(action: &Action) -> String {
    match action {
        Action::Mark { status, topic } => format!("/mark {} {topic}", status.as_str()),
        Action::QuizTopic(id) => format!("/quiz {id}"),
        Action::NextTopic => "/next".to_string(),
        Action::Answer { letter, .. } => format!("/answer {letter}"),
        Action::ForgetConfirm => "/forget confirm".to_string(),
        Action::LinkConfirm(code) => format!("/link {code} confirm"),
        Action::Review => "/review".to_string(),
        Action::Report { .. } => "/report".to_string(),
        Action::ReportReason { reason, .. } => format!("/report {}", reason.key()),
    }
}

/// Saves a reply's file into `dir` (created if missing) and says where, or why not.
pub fn save(file: &Attachment, dir: &Path, lang: Lang) -> String {
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
    format!("{}\n", msg.render(lang))
}

/// Deletes the files the console saved for the (only, local) learner in `dir` after /forget, and
/// says how many, or which could not be deleted.
pub fn erase(dir: &Path, lang: Lang) -> String {
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
    let mut out = Msg::Export(ExportMsg::FilesErased { count: deleted }).render(lang);
    out.push('\n');
    for f in failed {
        out.push_str(&format!(
            "{}\n",
            Msg::Export(ExportMsg::FileNotErased(f)).render(lang)
        ));
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
    let width = output_width();
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
    // The terminal's locale (`LANG=hi_IN.UTF-8`) suggests the language until /language chooses.
    let hint = Lang::from_locale(std::env::var("LANG").ok().as_deref());
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
            lang: hint,
        };
        let reply = match console_import(&line) {
            Some(path) => Some(import_file(app, &ctx, &path).await),
            None => app.respond_text(&ctx, &line, &opts).await,
        };
        if let Some(reply) = reply {
            output.write_all(render(&reply, width).as_bytes()).await?;
            for file in &reply.files {
                output
                    .write_all(save(file, export_dir, reply.lang).as_bytes())
                    .await?;
            }
            if reply.erase_files {
                output
                    .write_all(erase(export_dir, reply.lang).as_bytes())
                    .await?;
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
        let text = render(&reply, PIPED_WIDTH);
        assert!(text.starts_with("TCP\n===\n  - one\n"));
        assert!(text.contains("Which?\n  A) w\n  B) x\n  C) y\n  D) z\n"));
        assert!(text.contains("[Next topic: /next]"));
        assert!(
            !text.contains("because"),
            "the explanation is only shown after answering"
        );
    }

    #[test]
    fn text_wraps_to_the_width_with_a_hanging_indent_and_keeps_code_lines() {
        assert_eq!(
            wrap("one two three four", 9, "  - ", "    "),
            "  - one\n    two\n    three\n    four\n"
        );
        assert_eq!(
            wrap("a https://example.com/very/long b", 10, "", ""),
            "a\nhttps://example.com/very/long\nb\n"
        );
        assert_eq!(
            wrap("code:\n    let x = a + b + c + d;", 10, "", ""),
            "code:\n    let x = a + b + c + d;\n"
        );
        let reply = Reply::of_blocks(vec![
            Block::Paragraph("word ".repeat(40)),
            Block::Details(vec![Block::List(vec!["item ".repeat(30)])]),
        ]);
        let text = render(&reply, 40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert_eq!(text.matches("word").count(), 40);
        assert_eq!(text.matches("item").count(), 30, "details show in place");
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
        let line = save(&file, &dir.path().join("sub"), Lang::English);
        let saved = dir.path().join("sub").join("-..-etc-passwd");
        assert_eq!(std::fs::read(&saved).unwrap(), b"x");
        assert!(line.starts_with("Export: saved to "), "{line}");
        assert!(line.contains("-..-etc-passwd"), "{line}");
    }
}
