//! /export: the learner's answers as CSV, and the questions they got wrong as a tab-separated
//! file that Anki imports (File → Import), with its header lines saying how to read it.

use crate::content::Catalog;
use crate::core::app::Exports;
use crate::core::context::{ChatKind, Ctx};
use crate::core::error::Error;
use crate::core::messages::ExportMsg;
use crate::core::messages::Msg;
use crate::core::quiz::OptionLetter;
use crate::core::reply::{Attachment, FileKind, Reply};
use crate::store::AnswerHistoryRow;
use chrono::SecondsFormat;
use std::collections::HashSet;

/// The CSV's header row.
pub const CSV_HEADER: [&str; 9] = [
    "time",
    "study_day",
    "section",
    "topic",
    "question",
    "chosen",
    "answer",
    "correct",
    "xp",
];

/// Anki's import header: tab-separated, plain text (not HTML), which column is what, and the
/// deck the notes go to (Anki manual, "Importing" → "File Headers").
const ANKI_HEADER: &str = "#separator:tab\n#html:false\n#columns:Front\tBack\tTags\n\
                           #tags column:3\n#deck:studybot\n";

/// Shown for a stored answer whose question is no longer in the curriculum.
const GONE: &str = "?";

impl Exports<'_> {
    pub(in crate::core) async fn export(&self, ctx: &Ctx) -> Result<Reply, Error> {
        // A learner's data goes to the asker alone: in private, or privately inside a group.
        if ctx.chat_kind == ChatKind::Group && !ctx.caps.private_replies {
            return Err(Error::User(Msg::Export(ExportMsg::ExportInPrivate)));
        }
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let history = tx.user_answer_history(user.id).await?;
        tx.commit().await?;
        if history.is_empty() {
            return Ok(Reply::text(
                Msg::Export(ExportMsg::ExportEmpty).render(ctx.lang),
            ));
        }
        let today = self.user_tz(&user, &chat).local_day(ctx.now);
        let (anki, missed) = anki_file(&self.catalog, &history);
        let mut r = Reply::text(
            Msg::Export(ExportMsg::ExportDone {
                answers: history.len(),
                missed,
            })
            .render(ctx.lang),
        );
        r.file(Attachment {
            name: format!("studybot-answers-{today}.csv"),
            mime: "text/csv".to_string(),
            bytes: answers_csv(&self.catalog, &history).into_bytes(),
            kind: FileKind::Document,
            caption: Some(Msg::Export(ExportMsg::ExportCsvCaption).render(ctx.lang)),
        });
        if missed > 0 {
            r.file(Attachment {
                name: format!("studybot-missed-{today}.txt"),
                mime: "text/plain".to_string(),
                bytes: anki.into_bytes(),
                kind: FileKind::Document,
                caption: Some(Msg::Export(ExportMsg::ExportAnkiCaption).render(ctx.lang)),
            });
        }
        Ok(r)
    }
}

/// One record: fields joined by `sep`, each quoted (quotes doubled) when it holds the
/// separator, a quote or a line break (RFC 4180; Anki reads tab-separated files the same way).
fn record(fields: &[&str], sep: char) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        if f.contains([sep, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
    out
}

fn lettered(i: usize, option: &str) -> String {
    let letter = OptionLetter::from_index(i).map_or('?', |l| l.as_char());
    format!("{letter}) {option}")
}

/// Every answer, oldest first, under [`CSV_HEADER`].
pub fn answers_csv(catalog: &Catalog, history: &[AnswerHistoryRow]) -> String {
    let mut out = record(&CSV_HEADER, ',');
    for a in history {
        let topic = catalog.topic(&a.topic_id);
        let question = topic.and_then(|t| {
            usize::try_from(a.question_idx)
                .ok()
                .and_then(|i| t.questions().get(i))
        });
        let option = |i: usize| {
            question
                .and_then(|q| q.options.get(i))
                .map_or_else(|| lettered(i, GONE), |o| lettered(i, o))
        };
        let time = a.answered_at.to_rfc3339_opts(SecondsFormat::Secs, true);
        let day = a.study_day.to_string();
        let section = topic.map_or(GONE, |t| catalog.section_of(t).title.as_str());
        let title = topic.map_or(a.topic_id.as_str(), |t| t.title.as_str());
        let prompt = question.map_or(GONE, |q| q.prompt.as_str());
        let chosen = usize::try_from(a.choice).map_or_else(|_| GONE.to_string(), option);
        let answer = question.map_or_else(|| GONE.to_string(), |q| option(q.answer));
        let xp = a.xp.to_string();
        out.push_str(&record(
            &[
                &time,
                &day,
                section,
                title,
                prompt,
                &chosen,
                &answer,
                if a.correct { "true" } else { "false" },
                &xp,
            ],
            ',',
        ));
    }
    out
}

/// The questions answered wrongly at least once, each once, in the order first missed: front is
/// the question with its options, back the answer and its explanation, tags the section and
/// topic. Returns the file and how many notes it holds.
pub fn anki_file(catalog: &Catalog, history: &[AnswerHistoryRow]) -> (String, usize) {
    let mut out = ANKI_HEADER.to_string();
    let mut seen = HashSet::new();
    let mut notes = 0;
    for a in history.iter().filter(|a| !a.correct) {
        if !seen.insert((a.topic_id.as_str(), a.question_idx)) {
            continue;
        }
        let Some(topic) = catalog.topic(&a.topic_id) else {
            continue;
        };
        let Some(q) = usize::try_from(a.question_idx)
            .ok()
            .and_then(|i| topic.questions().get(i))
        else {
            continue;
        };
        let mut front = format!("{}\n", q.prompt);
        for (i, o) in q.options.iter().enumerate() {
            front.push('\n');
            front.push_str(&lettered(i, o));
        }
        let back = format!(
            "{}\n\n{}",
            lettered(q.answer, &q.options[q.answer]),
            q.explanation
        );
        let tags = format!(
            "studybot {} {}",
            catalog.section_of(topic).slug,
            topic.id.as_str()
        );
        out.push_str(&record(&[&front, &back, &tags], '\t'));
        notes += 1;
    }
    (out, notes)
}

#[cfg(test)]
mod tests {
    use super::record;

    #[test]
    fn fields_with_separators_quotes_or_line_breaks_are_quoted() {
        assert_eq!(record(&["a", "b c"], ','), "a,b c\r\n");
        assert_eq!(
            record(&["x,y", "say \"hi\"", "two\nlines"], ','),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        assert_eq!(record(&["a\tb", "c,d"], '\t'), "\"a\tb\"\tc,d\r\n");
    }
}
