//! Decks: a group's own questions beside the curriculum, from a CSV file (one question a row) or a
//! TOML file in the format of a `content/` section. Every problem is reported as `file:line: what
//! is wrong`, with the curriculum's own rules and the platforms' limits ([`Limits`]), before
//! anything is stored.

use super::load::{ContentError, ContentErrors, deck_toml};
use super::model::{Difficulty, Question};
use super::rules::{Limits, explanation_problem, repeated_options, text_problems};
use std::collections::HashMap;
use std::path::Path;

/// The numbers a deck must respect, beside the per-question [`Limits`].
pub struct DeckLimits;

impl DeckLimits {
    /// A deck file (CSV or TOML) is at most 1 MB: 2,000 questions at the longest limits fit.
    pub const MAX_BYTES: usize = 1024 * 1024;
    /// As many as a curriculum topic needs, so a quiz can avoid repeating itself.
    pub const MIN_QUESTIONS: usize = 3;
    pub const MAX_QUESTIONS: usize = 2000;
    /// A CSV question has two to four options (A–D); a TOML one has four, as in `content/`.
    pub const MIN_OPTIONS: usize = 2;
    /// A deck's title and a question's topic are shown in one line above the quiz.
    pub const TITLE_CHARS: usize = 80;
}

/// The CSV columns, in the order an export writes them.
pub const CSV_COLUMNS: [&str; 9] = [
    "question",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "answer",
    "explanation",
    "topic",
    "difficulty",
];
/// Columns a CSV deck may leave out.
const OPTIONAL_COLUMNS: [&str; 2] = ["topic", "difficulty"];
const OPTION_COLUMNS: [&str; 4] = ["option_a", "option_b", "option_c", "option_d"];

/// One question of a deck, with the topic it is filed under, if any.
#[derive(Debug, Clone)]
pub struct DeckQuestion {
    pub topic: Option<String>,
    pub question: Question,
}

/// A validated deck file.
#[derive(Debug, Clone)]
pub struct DeckFile {
    /// The TOML section's title; a CSV has none.
    pub title: Option<String>,
    pub questions: Vec<DeckQuestion>,
}

/// Reads and validates a deck file named `name` (its extension picks CSV or TOML).
pub fn parse_deck(name: &str, bytes: &[u8]) -> Result<DeckFile, ContentErrors> {
    let path = Path::new(name);
    let fail =
        |line: usize, msg: String| Err(ContentErrors(vec![ContentError::new(path, line, msg)]));
    if bytes.len() > DeckLimits::MAX_BYTES {
        return fail(
            0,
            format!(
                "the file has {} bytes; a deck file is at most {} (1 MB)",
                bytes.len(),
                DeckLimits::MAX_BYTES
            ),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t,
        Ok(t) => {
            let line = 1 + t[..t.find('\0').unwrap_or(0)].matches('\n').count();
            return fail(
                line,
                "this is not a text file (a deck is a UTF-8 CSV or TOML file)".into(),
            );
        }
        Err(bad) => {
            let at = bad.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            return fail(
                line,
                format!("not valid UTF-8 (byte {at}); a deck is a UTF-8 CSV or TOML file"),
            );
        }
    };
    let lower = name.to_ascii_lowercase();
    let (title, questions, mut errors) = if lower.ends_with(".toml") {
        let (title, qs, errors) = deck_toml(path, text);
        let qs = qs
            .into_iter()
            .map(|(topic, line, question)| {
                (
                    line,
                    DeckQuestion {
                        topic: Some(topic),
                        question,
                    },
                )
            })
            .collect();
        (Some(title), qs, errors)
    } else if lower.ends_with(".csv") {
        let (qs, errors) = csv_questions(path, text);
        (None, qs, errors)
    } else {
        return fail(0, "a deck file ends in .csv or .toml".into());
    };
    errors.extend(deck_problems(path, &questions));
    if !errors.is_empty() {
        return Err(ContentErrors(errors));
    }
    Ok(DeckFile {
        title,
        questions: questions.into_iter().map(|(_, q)| q).collect(),
    })
}

/// Rules of the deck as a whole: how many questions, and no question asked twice.
fn deck_problems(path: &Path, questions: &[(usize, DeckQuestion)]) -> Vec<ContentError> {
    let mut out = Vec::new();
    let n = questions.len();
    if n < DeckLimits::MIN_QUESTIONS {
        out.push(ContentError::new(
            path,
            1,
            format!(
                "{n} valid questions; a deck needs at least {}",
                DeckLimits::MIN_QUESTIONS
            ),
        ));
    }
    if n > DeckLimits::MAX_QUESTIONS {
        out.push(ContentError::new(
            path,
            1,
            format!(
                "{n} questions; a deck has at most {}",
                DeckLimits::MAX_QUESTIONS
            ),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, q) in questions {
        let key = normalized(&q.question.prompt);
        match seen.get(&key) {
            Some(first) => out.push(ContentError::new(
                path,
                *line,
                format!("this question repeats the one at line {first}"),
            )),
            None => {
                seen.insert(key, *line);
            }
        }
    }
    out
}

/// A prompt in lowercase alphanumeric words: equal for prompts that differ in case and punctuation.
fn normalized(prompt: &str) -> String {
    prompt
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Spreadsheet tools run a cell that starts with one of these as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet must get it: a would-be formula behind a `'`, which spreadsheet tools
/// read as "this is text" (OWASP's advice for CSV injection).
pub fn csv_cell(s: &str) -> String {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The reverse of [`csv_cell`] on import, so an exported deck imports unchanged. Any other cell,
/// formula-like or not, is kept as plain text: nothing is ever evaluated.
fn from_csv_cell(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => s,
    }
}

/// The deck as CSV with every column, as `deck export` gives it back.
pub fn deck_csv(questions: &[DeckQuestion]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(CSV_COLUMNS);
    for q in questions {
        let mut row: Vec<String> = Vec::with_capacity(CSV_COLUMNS.len());
        row.push(csv_cell(&q.question.prompt));
        for i in 0..Limits::OPTIONS {
            row.push(
                q.question
                    .options
                    .get(i)
                    .map(|o| csv_cell(o))
                    .unwrap_or_default(),
            );
        }
        row.push(char::from(b'A' + q.question.answer as u8).to_string());
        row.push(csv_cell(&q.question.explanation));
        row.push(q.topic.as_deref().map(csv_cell).unwrap_or_default());
        row.push(q.question.difficulty.level().to_string());
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

type Numbered = Vec<(usize, DeckQuestion)>;

fn csv_questions(path: &Path, text: &str) -> (Numbered, Vec<ContentError>) {
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            errors.push(ContentError::new(
                path,
                1,
                format!("cannot read the header row: {e}"),
            ));
            return (Vec::new(), errors);
        }
    };
    for (i, h) in headers.iter().enumerate() {
        if !CSV_COLUMNS.contains(&h.as_str()) {
            errors.push(ContentError::new(
                path,
                1,
                format!(
                    "unknown column `{h}`; the columns are {}",
                    CSV_COLUMNS.join(",")
                ),
            ));
        } else if headers[..i].contains(h) {
            errors.push(ContentError::new(
                path,
                1,
                format!("column `{h}` appears twice"),
            ));
        }
    }
    for c in CSV_COLUMNS {
        if !OPTIONAL_COLUMNS.contains(&c) && !headers.iter().any(|h| h == c) {
            errors.push(ContentError::new(path, 1, format!("missing column `{c}`")));
        }
    }
    if !errors.is_empty() {
        return (Vec::new(), errors);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                errors.push(ContentError::new(path, line, format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(ContentError::new(
                path,
                line,
                format!("{} fields; the header has {}", record.len(), headers.len()),
            ));
            continue;
        }
        let cell = |name: &str| {
            col(name)
                .and_then(|i| record.get(i))
                .map(|c| from_csv_cell(c.trim()).to_string())
                .unwrap_or_default()
        };
        let mut problems = Vec::new();
        match csv_row(&cell, &mut problems) {
            Some(q) if problems.is_empty() => out.push((line, q)),
            _ => errors.extend(
                problems
                    .into_iter()
                    .map(|p| ContentError::new(path, line, p)),
            ),
        }
    }
    (out, errors)
}

/// One CSV row as a question; every problem is pushed to `problems`.
fn csv_row(cell: &dyn Fn(&str) -> String, problems: &mut Vec<String>) -> Option<DeckQuestion> {
    let prompt = cell("question");
    problems.extend(text_problems(&prompt, "question", Limits::PROMPT_CHARS));
    let cells: Vec<String> = OPTION_COLUMNS.iter().map(|c| cell(c)).collect();
    // Empty trailing options are left out; an empty one before a filled one is a mistake.
    let count = cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    let options: Vec<String> = cells[..count].to_vec();
    for (i, o) in options.iter().enumerate() {
        problems.extend(text_problems(o, OPTION_COLUMNS[i], Limits::OPTION_CHARS));
    }
    if count < DeckLimits::MIN_OPTIONS {
        problems.push(format!(
            "{count} options; a question needs 2 to 4 (option_a to option_d)"
        ));
    }
    problems.extend(repeated_options(&options).into_iter().map(|(_, p)| p));
    let answer = cell("answer");
    let index = match answer.to_ascii_uppercase().as_str() {
        a @ ("A" | "B" | "C" | "D") => Some(usize::from(a.as_bytes()[0] - b'A')),
        _ => {
            problems.push(format!("answer `{answer}` must be a letter A to D"));
            None
        }
    };
    if let Some(i) = index
        && i >= count
        && count >= DeckLimits::MIN_OPTIONS
    {
        problems.push(format!(
            "answer {} is not one of the {count} options",
            answer.to_ascii_uppercase()
        ));
    }
    let explanation = cell("explanation");
    problems.extend(text_problems(
        &explanation,
        "explanation",
        Limits::EXPLANATION_CHARS,
    ));
    problems.extend(explanation_problem(&explanation).map(String::from));
    let difficulty = match cell("difficulty").as_str() {
        "" => Some(Difficulty::Understand),
        d => {
            let level = d.parse().ok().and_then(Difficulty::from_level);
            if level.is_none() {
                problems.push(format!("difficulty `{d}` must be 1, 2 or 3"));
            }
            level
        }
    };
    let topic = Some(cell("topic")).filter(|t| !t.is_empty());
    if let Some(t) = &topic {
        problems.extend(text_problems(t, "topic", DeckLimits::TITLE_CHARS));
    }
    Some(DeckQuestion {
        topic,
        question: Question {
            prompt,
            options,
            answer: index?,
            explanation,
            difficulty: difficulty?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "question,option_a,option_b,option_c,option_d,answer,explanation\n";

    fn rows(extra: &str) -> String {
        format!(
            "{HEADER}What does TCP add?,Ordering,Colour,Smell,,A,TCP orders bytes.\n\
             Which port is HTTPS?,443,80,,,A,443 is HTTPS.\n\
             Is UDP connectionless?,Yes,No,,,a,UDP has no handshake.\n{extra}"
        )
    }

    fn errors(name: &str, text: &str) -> Vec<String> {
        match parse_deck(name, text.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_csv_with_two_to_four_options_and_a_bom_and_crlf_loads() {
        let text = format!(
            "\u{feff}{}",
            rows("\"Quoted, with comma?\",x,y,z,w,D,\"Yes, quoted.\"\r\n")
        );
        let deck = parse_deck("d.csv", text.replace('\n', "\r\n").as_bytes()).unwrap();
        assert_eq!(deck.questions.len(), 4);
        assert_eq!(deck.questions[0].question.options.len(), 3);
        assert_eq!(deck.questions[1].question.options, vec!["443", "80"]);
        assert_eq!(deck.questions[3].question.prompt, "Quoted, with comma?");
        assert_eq!(deck.questions[3].question.answer, 3);
        assert_eq!(
            deck.questions[2].question.difficulty,
            Difficulty::Understand
        );
    }

    #[test]
    fn a_missing_column_is_named_on_line_1() {
        let text = "question,option_a,option_b,answer\nQ,a,b,A\n";
        let e = errors("d.csv", text);
        assert!(
            e.contains(&"d.csv:1: missing column `explanation`".to_string()),
            "{e:?}"
        );
    }

    #[test]
    fn each_row_rule_is_reported_with_its_line() {
        let long = "x".repeat(301);
        let text = rows(&format!(
            "Answer outside?,a,b,,,C,e\n\
             Duplicate options?,same,Same,,,A,e\n\
             {long},a,b,,,A,e\n\
             One option?,a,,,,A,e\n\
             Gap in options?,a,,c,,A,e\n\
             Bad letter?,a,b,,,E,e\n\
             Bad level?,a,b,,,A,e,\n\
             What does TCP add?,a,b,,,A,e\n"
        ));
        let e = errors("d.csv", &text);
        let want = [
            "d.csv:5: answer C is not one of the 2 options",
            "d.csv:6: option `Same` appears twice",
            "d.csv:7: question has 301 characters; the limit is 300",
            "d.csv:8: 1 options; a question needs 2 to 4 (option_a to option_d)",
            "d.csv:9: option_b is empty",
            "d.csv:10: answer `E` must be a letter A to D",
            "d.csv:11: 8 fields; the header has 7",
            "d.csv:12: this question repeats the one at line 2",
        ];
        for w in want {
            assert!(e.contains(&w.to_string()), "missing {w:?} in {e:?}");
        }
    }

    #[test]
    fn long_options_and_explanations_break_the_platform_limits() {
        let text = rows(&format!(
            "Long?,{},b,,,A,{}\n",
            "o".repeat(81),
            "e".repeat(201)
        ));
        let e = errors("d.csv", &text);
        assert!(e.contains(&"d.csv:5: option_a has 81 characters; the limit is 80".to_string()));
        assert!(
            e.contains(&"d.csv:5: explanation has 201 characters; the limit is 200".to_string())
        );
    }

    #[test]
    fn fewer_than_three_questions_or_a_huge_or_binary_file_is_refused() {
        let two = format!("{HEADER}A?,a,b,,,A,e\nB?,a,b,,,A,e\n");
        assert_eq!(
            errors("d.csv", &two),
            vec!["d.csv:1: 2 valid questions; a deck needs at least 3"]
        );
        let big = vec![b'a'; DeckLimits::MAX_BYTES + 1];
        assert!(
            parse_deck("d.csv", &big)
                .unwrap_err()
                .to_string()
                .contains("at most 1048576")
        );
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(
            parse_deck("d.csv", png)
                .unwrap_err()
                .to_string()
                .starts_with("d.csv:1: not valid UTF-8")
        );
        let nul = b"question\n\0\0";
        assert!(
            parse_deck("d.csv", nul)
                .unwrap_err()
                .to_string()
                .contains("not a text file")
        );
        assert!(parse_deck("d.xlsx", b"x").is_err());
    }

    #[test]
    fn formula_cells_are_text_and_export_behind_an_apostrophe() {
        let text = rows("\"=cmd|' /C calc'!A0\",+1,-1,@x,,B,=2+2\n");
        let deck = parse_deck("d.csv", text.as_bytes()).unwrap();
        let q = &deck.questions[3].question;
        assert_eq!(q.prompt, "=cmd|' /C calc'!A0");
        assert_eq!(q.options, vec!["+1", "-1", "@x"]);
        let out = deck_csv(&deck.questions);
        assert!(
            out.contains("'=cmd|' /C calc'!A0,'+1,'-1,'@x,,B,'=2+2,,2"),
            "{out}"
        );
        let again = parse_deck("d.csv", out.as_bytes()).unwrap();
        assert_eq!(again.questions[3].question.prompt, q.prompt);
        assert_eq!(again.questions[3].question.options, q.options);
    }

    #[test]
    fn a_toml_deck_uses_the_curriculum_question_rules_with_lines() {
        let text = r#"[section]
title = "Mock interview"

[[topics]]
id = "sql"
title = "SQL"

[[topics.questions]]
prompt = "What does an index speed up?"
options = ["Lookups", "Inserts", "Backups", "Nothing"]
answer = 0
explanation = "Reads find rows without a scan."
difficulty = 1

[[topics.questions]]
prompt = "Which join keeps unmatched left rows?"
options = ["LEFT", "INNER", "CROSS", "LEFT"]
answer = 0
explanation = "LEFT JOIN."
difficulty = 2
"#;
        let e = errors("mock.toml", text);
        assert!(
            e.contains(&"mock.toml:17: option `LEFT` appears twice".to_string()),
            "{e:?}"
        );
        assert!(
            e.contains(&"mock.toml:1: 1 valid questions; a deck needs at least 3".to_string()),
            "{e:?}"
        );
    }
}
