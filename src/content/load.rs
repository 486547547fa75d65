//! Reads `content/` and validates it, collecting every problem with its file and line before refusing.

use super::checklist::{Checklist, ChecklistSection};
use super::model::{Catalog, Difficulty, Question, Section, Topic, TopicBody, TopicId};
use super::prose::reflow;
use super::quality::{SectionFigures, Thresholds, content_words, jaccard};
use super::rules::{Limits, explanation_problem, is_slug, repeated_options, text_problems, words};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One problem in one content file, shown as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl ContentError {
    pub fn new(file: &Path, line: usize, message: String) -> ContentError {
        ContentError {
            file: file.to_path_buf(),
            line,
            message,
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Every problem found in `content/`, in file order.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// Why a section file cannot be read, and where: text that is not UTF-8 is named by the line of
/// its first bad byte (found by fuzzing: it used to say line 0); other errors have no line (0).
fn unreadable(path: &Path, e: std::io::Error) -> (usize, String) {
    let bytes = std::fs::read(path).unwrap_or_default();
    match std::str::from_utf8(&bytes) {
        Err(bad) => {
            let at = bad.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            (
                line,
                format!("not valid UTF-8 (byte {at}); save the file as UTF-8"),
            )
        }
        Ok(_) => (0, format!("cannot read: {e}")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    section: RawSection,
    #[serde(default)]
    topics: Vec<Spanned<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    outline: bool,
    summary: Option<Spanned<String>>,
    key_points: Option<Spanned<Vec<Spanned<String>>>>,
    example: Option<Spanned<String>>,
    pitfalls: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    questions: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    prompt: Spanned<String>,
    options: Spanned<Vec<Spanned<String>>>,
    answer: Spanned<i64>,
    explanation: Spanned<String>,
    difficulty: Spanned<i64>,
}

/// Loads and validates the whole curriculum. With `strict`, a topic still marked as an outline is
/// an error too, and so is a question bank that breaks the editorial [`Thresholds`].
pub fn load_catalog(dir: &Path, strict: bool) -> Result<Catalog, ContentErrors> {
    check_catalog(dir, strict).catalog
}

/// What `content check` prints: the catalog or every error, and each section's figures.
pub struct CheckOutcome {
    pub catalog: Result<Catalog, ContentErrors>,
    /// One entry per section that could be read, in checklist order.
    pub figures: Vec<(u8, SectionFigures)>,
}

/// A prompt and where it is written, for the curriculum-wide near-duplicate check.
struct PromptAt {
    file: PathBuf,
    line: usize,
    words: std::collections::BTreeSet<String>,
    /// Lowercased alphanumeric runs, space-separated: equal for prompts that differ only in case
    /// and punctuation.
    normalized: String,
}

/// [`load_catalog`], keeping the per-section figures for the report.
pub fn check_catalog(dir: &Path, strict: bool) -> CheckOutcome {
    let outcome = |errors: Vec<ContentError>| CheckOutcome {
        catalog: Err(ContentErrors(errors)),
        figures: Vec::new(),
    };
    let checklist_path = dir.join("checklist.md");
    let text = match std::fs::read_to_string(&checklist_path) {
        Ok(text) => text,
        Err(e) => {
            let msg = format!("cannot read the checklist: {e}");
            return outcome(vec![ContentError::new(&checklist_path, 0, msg)]);
        }
    };
    let checklist = match Checklist::parse(&text, &checklist_path) {
        Ok(c) => c,
        Err(errors) => return outcome(errors),
    };

    let mut errors = unexpected_files(dir, &checklist);
    let mut sections = Vec::new();
    let mut topics = Vec::new();
    let mut seen_ids: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut prompts = Vec::new();
    let mut figures = Vec::new();
    for cs in &checklist.sections {
        let path = dir.join(cs.file_name());
        let mut file = FileCheck {
            path: &path,
            text: String::new(),
            errors: &mut errors,
            prompts: &mut prompts,
            strict,
            newlines: std::cell::OnceCell::new(),
        };
        let start = topics.len();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                file.set_text(text);
                file.load_section(cs, sections.len(), strict, &mut topics, &mut seen_ids);
                let f = SectionFigures::of(topics[start..].iter().flat_map(|t| t.questions()));
                if strict {
                    for p in f.problems() {
                        errors.push(ContentError::new(&path, 1, format!("section: {p}")));
                    }
                }
                figures.push((cs.number, f));
            }
            Err(e) => {
                let (line, msg) = unreadable(&path, e);
                file.errors.push(ContentError::new(&path, line, msg));
            }
        }
        sections.push(Section {
            number: cs.number,
            slug: cs.slug.clone(),
            title: cs.title.clone(),
            topics: start..topics.len(),
        });
    }
    if strict {
        errors.extend(near_duplicates(&prompts));
    }
    let catalog = if errors.is_empty() {
        Ok(Catalog::new(sections, topics))
    } else {
        Err(ContentErrors(errors))
    };
    CheckOutcome { catalog, figures }
}

/// Every prompt that nearly repeats an earlier one anywhere in the curriculum.
fn near_duplicates(prompts: &[PromptAt]) -> Vec<ContentError> {
    let mut out = Vec::new();
    for (i, p) in prompts.iter().enumerate() {
        let comparable =
            |w: &std::collections::BTreeSet<String>| w.len() >= Thresholds::MIN_WORDS_TO_COMPARE;
        let earlier = prompts[..i].iter().find(|e| {
            e.normalized == p.normalized
                || (comparable(&e.words)
                    && comparable(&p.words)
                    && jaccard(&e.words, &p.words) >= Thresholds::NEAR_DUPLICATE_JACCARD)
        });
        if let Some(e) = earlier {
            let msg = format!(
                "this prompt nearly repeats the one at {}:{}",
                e.file.display(),
                e.line
            );
            out.push(ContentError::new(&p.file, p.line, msg));
        }
    }
    out
}

fn unexpected_files(dir: &Path, checklist: &Checklist) -> Vec<ContentError> {
    let expected: Vec<String> = checklist.sections.iter().map(|s| s.file_name()).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml") && !expected.contains(n))
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|n| {
            ContentError::new(
                &dir.join(&n),
                0,
                "not a section of checklist.md (check its number and slug)".into(),
            )
        })
        .collect()
}

struct FileCheck<'a> {
    path: &'a Path,
    text: String,
    errors: &'a mut Vec<ContentError>,
    prompts: &'a mut Vec<PromptAt>,
    strict: bool,
    /// Where each line of `text` ends, found once: counting from the start of the file for every
    /// question made loading the curriculum quadratic in a section's length.
    newlines: std::cell::OnceCell<Vec<usize>>,
}

impl FileCheck<'_> {
    fn set_text(&mut self, text: String) {
        self.text = text;
        self.newlines = std::cell::OnceCell::new();
    }

    /// The 1-based line of the byte at `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let newlines = self.newlines.get_or_init(|| {
            self.text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        let end = offset.min(self.text.len());
        // Newlines strictly before `end`.
        newlines.partition_point(|&i| i < end) + 1
    }

    fn err<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let line = self.line_of(at.span().start);
        self.errors
            .push(ContentError::new(self.path, line, message.into()));
    }

    fn load_section(
        &mut self,
        cs: &ChecklistSection,
        section_index: usize,
        strict: bool,
        topics: &mut Vec<Topic>,
        seen_ids: &mut HashMap<String, (PathBuf, usize)>,
    ) {
        let raw: RawFile = match toml::from_str(&self.text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| self.line_of(s.start)).unwrap_or(1);
                let message = e.message().trim().to_string();
                self.errors
                    .push(ContentError::new(self.path, line, message));
                return;
            }
        };
        if raw.section.title.get_ref() != &cs.title {
            let msg = format!("section title must be `{}` as in checklist.md", cs.title);
            self.err(&raw.section.title, msg);
        }
        for (i, spanned) in raw.topics.iter().enumerate() {
            let t = spanned.get_ref();
            match cs.items.get(i) {
                Some(expected) if expected != t.title.get_ref() => {
                    let msg = format!(
                        "topic {} must be titled `{expected}` (checklist order)",
                        i + 1
                    );
                    self.err(&t.title, msg);
                }
                None => self.err(&t.title, "this topic is not in the checklist section"),
                _ => {}
            }
            let id = t.id.get_ref();
            if !is_slug(id) {
                self.err(
                    &t.id,
                    format!("id `{id}` must be a lowercase slug like `tcp-vs-udp`"),
                );
            } else if let Some((file, line)) = seen_ids.get(id) {
                let msg = format!(
                    "duplicate id `{id}` (first used at {}:{line})",
                    file.display()
                );
                self.err(&t.id, msg);
            } else {
                let line = self.line_of(t.id.span().start);
                seen_ids.insert(id.clone(), (self.path.to_path_buf(), line));
            }
            let body = self.topic_body(t, strict);
            topics.push(Topic {
                id: TopicId::new_unchecked(id.clone()),
                title: t.title.get_ref().clone(),
                section: section_index,
                body,
            });
        }
        if raw.topics.len() < cs.items.len() {
            let missing: Vec<&str> = cs.items[raw.topics.len()..]
                .iter()
                .map(String::as_str)
                .collect();
            let line = self.text.lines().count().max(1);
            self.errors.push(ContentError::new(
                self.path,
                line,
                format!("missing topics: {}", missing.join(", ")),
            ));
        }
    }

    fn topic_body(&mut self, t: &RawTopic, strict: bool) -> Option<TopicBody> {
        if t.outline {
            if t.summary.is_some() || t.key_points.is_some() || !t.questions.is_empty() {
                self.err(
                    &t.id,
                    "an outline has only id and title: remove `outline = true` once written",
                );
            } else if strict {
                self.err(
                    &t.id,
                    format!(
                        "`{}` is still an outline (--strict wants every topic written)",
                        t.id.get_ref()
                    ),
                );
            }
            return None;
        }
        let summary = match &t.summary {
            Some(s) => {
                let n = words(s.get_ref());
                if !Limits::SUMMARY_WORDS.contains(&n) {
                    self.err(s, format!("summary has {n} words; write 80–200"));
                }
                self.text_field(s, "summary", usize::MAX)
            }
            None => {
                self.err(
                    &t.id,
                    "a written topic needs a `summary` (or `outline = true`)",
                );
                String::new()
            }
        };
        let key_points = match &t.key_points {
            Some(kp) => {
                if !Limits::KEY_POINTS.contains(&kp.get_ref().len()) {
                    self.err(kp, format!("{} key_points; write 3–5", kp.get_ref().len()));
                }
                kp.get_ref()
                    .iter()
                    .map(|p| self.text_field(p, "key point", Limits::POINT_CHARS))
                    .collect()
            }
            None => {
                self.err(&t.id, "a written topic needs 3–5 `key_points`");
                Vec::new()
            }
        };
        let example = t
            .example
            .as_ref()
            .map(|e| self.text_field(e, "example", Limits::EXAMPLE_CHARS));
        let pitfalls = t
            .pitfalls
            .iter()
            .flatten()
            .map(|p| self.text_field(p, "pitfall", Limits::POINT_CHARS))
            .collect();
        if t.questions.len() < Limits::MIN_QUESTIONS {
            self.err(
                &t.id,
                format!(
                    "{} questions; a written topic needs at least 3",
                    t.questions.len()
                ),
            );
        }
        let questions: Vec<Question> = t
            .questions
            .iter()
            .filter_map(|q| self.question(q.get_ref()))
            .collect();
        if self.strict {
            self.editorial_topic_checks(t, &questions);
        }
        Some(TopicBody {
            summary,
            key_points,
            example,
            pitfalls,
            questions,
        })
    }

    /// A topic's bank needs room to vary and a mix of levels (only `--strict`: these are editorial).
    fn editorial_topic_checks(&mut self, t: &RawTopic, questions: &[Question]) {
        if t.questions.len() < Limits::STRICT_MIN_QUESTIONS {
            let msg = format!(
                "{} questions; --strict wants at least {} per topic",
                t.questions.len(),
                Limits::STRICT_MIN_QUESTIONS
            );
            self.err(&t.id, msg);
        }
        let levels: std::collections::BTreeSet<_> =
            questions.iter().map(|q| q.difficulty).collect();
        if questions.len() > 1 && levels.len() < 2 {
            self.err(
                &t.id,
                "every question has the same difficulty; mix at least two levels",
            );
        }
    }

    /// Checks a free-text field and returns it reflowed ([`reflow`]: hard-wrapped lines joined,
    /// paragraphs, lists and code kept), which is also what the limits measure.
    fn text_field(&mut self, s: &Spanned<String>, what: &str, max_chars: usize) -> String {
        let v = reflow(s.get_ref());
        for problem in text_problems(&v, what, max_chars) {
            self.err(s, problem);
        }
        v
    }

    fn question(&mut self, q: &RawQuestion) -> Option<Question> {
        let before = self.errors.len();
        let prompt = self.text_field(&q.prompt, "prompt", Limits::PROMPT_CHARS);
        let line = self.line_of(q.prompt.span().start);
        self.prompts.push(PromptAt {
            file: self.path.to_path_buf(),
            line,
            words: content_words(&prompt),
            normalized: prompt
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        });
        let opts = q.options.get_ref();
        if opts.len() != Limits::OPTIONS {
            self.err(
                &q.options,
                format!("{} options; a question has exactly 4", opts.len()),
            );
        }
        let options: Vec<String> = opts
            .iter()
            .map(|o| self.text_field(o, "option", Limits::OPTION_CHARS))
            .collect();
        for (i, problem) in repeated_options(&options) {
            self.err(&opts[i], problem);
        }
        let answer = *q.answer.get_ref();
        if !(0..4).contains(&answer) {
            self.err(
                &q.answer,
                format!("answer {answer} is not an option index (0–3)"),
            );
        }
        let explanation = self.text_field(&q.explanation, "explanation", Limits::EXPLANATION_CHARS);
        if let Some(problem) = explanation_problem(&explanation) {
            self.err(&q.explanation, problem);
        }
        let difficulty = Difficulty::from_level(*q.difficulty.get_ref());
        if difficulty.is_none() {
            self.err(
                &q.difficulty,
                format!("difficulty {} must be 1, 2 or 3", q.difficulty.get_ref()),
            );
        }
        if self.errors.len() != before {
            return None;
        }
        Some(Question {
            prompt,
            options,
            answer: usize::try_from(answer).ok()?,
            explanation,
            difficulty: difficulty?,
        })
    }
}

/// A deck written as a section file: the section's title and every topic's questions, checked by
/// the curriculum's own question rules (line-numbered); the teaching text, if any, is not needed.
pub(super) fn deck_toml(
    path: &Path,
    text: &str,
) -> (String, Vec<(String, usize, Question)>, Vec<ContentError>) {
    let mut errors = Vec::new();
    let mut prompts = Vec::new();
    let mut file = FileCheck {
        path,
        text: text.to_string(),
        errors: &mut errors,
        prompts: &mut prompts,
        strict: false,
        newlines: std::cell::OnceCell::new(),
    };
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|s| file.line_of(s.start)).unwrap_or(1);
            let message = e.message().trim().to_string();
            errors.push(ContentError::new(path, line, message));
            return (String::new(), Vec::new(), errors);
        }
    };
    let mut questions = Vec::new();
    for t in &raw.topics {
        let t = t.get_ref();
        for q in &t.questions {
            let line = file.line_of(q.get_ref().prompt.span().start);
            if let Some(question) = file.question(q.get_ref()) {
                questions.push((t.title.get_ref().clone(), line, question));
            }
        }
    }
    let title = raw.section.title.into_inner();
    (title, questions, errors)
}
