//! The validator: the real content loads, and each rule is reported with its file and line.

mod support;

use std::path::Path;
use studybot::content::{Checklist, ContentError, load_catalog};
use support::fixture_dir;

fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Applies `edit` to `file` in a copy of the fixture and returns the errors plus the 1-based line
/// of the first line containing `marker` after the edit.
fn errors_after(
    file: &str,
    edit: impl Fn(String) -> String,
    marker: &str,
) -> (Vec<ContentError>, usize) {
    let (errors, text) = edited_fixture_errors(file, edit, false);
    let line = text
        .lines()
        .position(|l| l.contains(marker))
        .map(|i| i + 1)
        .unwrap_or(0);
    (errors, line)
}

/// Applies `edit` to `file` in a copy of the fixture; returns the errors and the edited text.
fn edited_fixture_errors(
    file: &str,
    edit: impl Fn(String) -> String,
    strict: bool,
) -> (Vec<ContentError>, String) {
    let dir = copy_fixture();
    let path = dir.path().join(file);
    let text = edit(std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &text).unwrap();
    let errors = load_catalog(dir.path(), strict)
        .expect_err("the edit must be refused")
        .0;
    (errors, text)
}

/// Replaces the first line that starts with `prefix`.
fn replace_line(text: &str, prefix: &str, new: &str) -> String {
    let start = text.find(prefix).expect("the prefix is in the fixture");
    let end = start + text[start..].find('\n').unwrap_or(text.len() - start);
    format!("{}{new}{}", &text[..start], &text[end..])
}

fn assert_reported(file: &str, edit: impl Fn(String) -> String, marker: &str, message: &str) {
    let (errors, line) = errors_after(file, edit, marker);
    assert!(
        errors
            .iter()
            .any(|e| e.file.ends_with(file) && e.line == line && e.message.contains(message)),
        "expected `{message}` at {file}:{line}, got:\n{}",
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_real_content_is_valid_and_covers_the_checklist_in_order() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let catalog = load_catalog(&dir, false).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(dir.join("checklist.md")).unwrap();
    let checklist = Checklist::parse(&text, &dir.join("checklist.md")).unwrap();
    let expected: Vec<&str> = checklist
        .sections
        .iter()
        .flat_map(|s| s.items.iter().map(String::as_str))
        .collect();
    let actual: Vec<&str> = catalog.topics().iter().map(|t| t.title.as_str()).collect();
    assert_eq!(actual, expected);
    assert_eq!(catalog.sections().len(), 23);
    assert_eq!(catalog.topics().len(), 254);
}

#[test]
fn sections_zero_to_two_are_fully_written_with_three_questions_each() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let catalog = load_catalog(&dir, false).unwrap();
    for section in &catalog.sections()[..3] {
        for t in catalog.section_topics(section) {
            assert!(!t.is_outline(), "{} is an outline", t.id);
            assert!(
                t.questions().len() >= 3,
                "{} has {} questions",
                t.id,
                t.questions().len()
            );
        }
    }
}

#[test]
fn the_fixture_is_valid_but_not_strict() {
    let c = load_catalog(&fixture_dir(), false).unwrap().coverage();
    assert_eq!(
        (c.sections, c.topics, c.topics_written, c.questions),
        (2, 5, 3, 10)
    );
    let strict = load_catalog(&fixture_dir(), true).unwrap_err().0;
    let outlines: Vec<_> = strict
        .iter()
        .filter(|e| e.message.contains("still an outline"))
        .collect();
    assert_eq!(outlines.len(), 2);
    assert!(outlines.iter().all(|e| e.line > 0));
    // The rest are the editorial rules --strict adds (the fixture's small banks break them).
    assert!(
        strict
            .iter()
            .filter(|e| !e.message.contains("still an outline"))
            .all(|e| e.message.contains("--strict wants at least 4")
                || e.message.starts_with("section: ")),
        "{strict:?}"
    );
}

/// The strict errors after editing a copy of the fixture.
fn strict_errors_after(file: &str, edit: impl Fn(String) -> String) -> Vec<ContentError> {
    edited_fixture_errors(file, edit, true).0
}

#[test]
fn strict_reports_a_repeated_prompt_naming_where_it_first_appears() {
    let errors = strict_errors_after("01-more.toml", |t| {
        t.replacen(
            "prompt = \"Delta topic: question 1?\"",
            "prompt = \"Alpha topic: question 1?\"",
            1,
        )
    });
    let dup: Vec<_> = errors
        .iter()
        .filter(|e| e.message.contains("nearly repeats"))
        .collect();
    assert_eq!(dup.len(), 1, "{errors:?}");
    assert!(dup[0].file.ends_with("01-more.toml") && dup[0].line > 0);
    assert!(dup[0].message.contains("00-basics.toml:"), "{}", dup[0]);
}

#[test]
fn strict_reports_a_section_whose_keys_all_sit_at_one_position() {
    let errors = strict_errors_after("01-more.toml", |t| {
        t.replace("answer = 1", "answer = 0")
            .replace("answer = 2", "answer = 0")
            .replace("answer = 3", "answer = 0")
    });
    assert!(
        errors.iter().any(|e| e.file.ends_with("01-more.toml")
            && e.message.starts_with("section: 3 of 3 keys are at A")),
        "{errors:?}"
    );
}

#[test]
fn strict_wants_two_difficulty_levels_in_a_topic() {
    let errors = strict_errors_after("01-more.toml", |t| {
        t.replace("difficulty = 2", "difficulty = 1")
            .replace("difficulty = 3", "difficulty = 1")
    });
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("same difficulty; mix at least two levels")),
        "{errors:?}"
    );
}

#[test]
fn a_short_summary_is_reported_at_the_summary() {
    assert_reported(
        "01-more.toml",
        |t| {
            let start = t.find("summary = \"\"\"").unwrap();
            let end = t[start + 13..].find("\"\"\"").unwrap() + start + 16;
            format!("{}summary = \"Too short MARK.\"{}", &t[..start], &t[end..])
        },
        "MARK",
        "summary has 3 words",
    );
}

#[test]
fn too_few_or_too_many_key_points_are_reported() {
    assert_reported(
        "01-more.toml",
        |t| {
            t.replace(
                r#"key_points = ["First point.", "Second point.", "Third point."]"#,
                r#"key_points = ["MARK"]"#,
            )
        },
        "MARK",
        "1 key_points",
    );
}

#[test]
fn an_option_over_80_characters_is_reported_at_that_option() {
    let long = format!("MARK{}", "x".repeat(80));
    assert_reported(
        "01-more.toml",
        |t| t.replacen("\"Option two\"", &format!("\n  \"{long}\""), 1),
        "MARK",
        "limit is 80",
    );
}

#[test]
fn a_question_needs_exactly_four_distinct_options() {
    assert_reported(
        "01-more.toml",
        |t| {
            t.replacen(
                r#"options = ["Option one", "Option two", "Option three", "Option four"]"#,
                r#"options = ["MARK", "b", "c"]"#,
                1,
            )
        },
        "MARK",
        "3 options",
    );
    assert_reported(
        "01-more.toml",
        |t| t.replacen("\"Option two\", ", "\n  \"option ONE\", # MARK\n  ", 1),
        "MARK",
        "appears twice",
    );
}

#[test]
fn answer_index_and_difficulty_must_be_in_range() {
    assert_reported(
        "01-more.toml",
        |t| t.replacen("answer = 0", "answer = 4 # MARK", 1),
        "MARK",
        "not an option index",
    );
    assert_reported(
        "01-more.toml",
        |t| t.replacen("difficulty = 1", "difficulty = 5 # MARK", 1),
        "MARK",
        "must be 1, 2 or 3",
    );
}

#[test]
fn explanations_respect_telegrams_length_and_line_limits() {
    let long = format!("explanation = \"MARK {}\"", "y".repeat(200));
    assert_reported(
        "01-more.toml",
        |t| replace_line(&t, "explanation = ", &long),
        "MARK",
        "limit is 200",
    );
    assert_reported(
        "01-more.toml",
        |t| replace_line(&t, "explanation = ", "explanation = \"MARK\\n\\na\\n\\nb\""),
        "MARK",
        "more than 2 line breaks",
    );
    // A hard-wrapped explanation is reflowed into one line first: nothing to report.
    let wrapped =
        "explanation = \"Option one is right\\nfor Delta topic\\nquestion 1\\nand more.\"";
    let dir = copy_fixture();
    let path = dir.path().join("01-more.toml");
    let text = replace_line(
        &std::fs::read_to_string(&path).unwrap(),
        "explanation = ",
        wrapped,
    );
    std::fs::write(&path, text).unwrap();
    let catalog = load_catalog(dir.path(), false).expect("a wrapped explanation is fine");
    let explanation = &catalog
        .topics()
        .iter()
        .flat_map(|t| t.questions())
        .find(|q| q.explanation.contains("and more"))
        .unwrap()
        .explanation;
    assert_eq!(
        explanation,
        "Option one is right for Delta topic question 1 and more."
    );
}

#[test]
fn an_overlong_prompt_is_reported() {
    let long = format!("prompt = \"MARK {}\"", "p".repeat(300));
    assert_reported(
        "01-more.toml",
        |t| t.replacen("prompt = \"Delta topic: question 1?\"", &long, 1),
        "MARK",
        "limit is 300",
    );
}

#[test]
fn a_written_topic_needs_three_questions() {
    // Drop delta's last two questions.
    assert_reported(
        "01-more.toml",
        |t| {
            let second = t.match_indices("[[topics.questions]]").nth(1).unwrap().0;
            let outline = t.find("[[topics]]\nid = \"epsilon\"").unwrap();
            let t = format!("{}{}", &t[..second], &t[outline..]);
            t.replacen("id = \"delta\"", "id = \"delta\" # MARK", 1)
        },
        "MARK",
        "1 questions",
    );
}

#[test]
fn unknown_keys_are_refused_with_their_line() {
    assert_reported(
        "01-more.toml",
        |t| t.replacen("difficulty = 1", "difficulty = 1\nhint = \"MARK\"", 1),
        "MARK",
        "unknown field `hint`",
    );
}

#[test]
fn toml_syntax_errors_carry_their_line() {
    assert_reported(
        "01-more.toml",
        |t| t.replacen("answer = 0", "answer = = MARK", 1),
        "MARK",
        "",
    );
}

#[test]
fn titles_must_match_the_checklist_in_order() {
    assert_reported(
        "00-basics.toml",
        |t| {
            t.replacen(
                "title = \"Beta topic\"",
                "title = \"Beta topic renamed\" # MARK",
                1,
            )
        },
        "MARK",
        "must be titled `Beta topic`",
    );
    let (errors, _) = errors_after(
        "01-more.toml",
        |t| t[..t.find("[[topics]]\nid = \"epsilon\"").unwrap()].to_string(),
        "never",
    );
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("missing topics: Epsilon outline"))
    );
}

#[test]
fn ids_must_be_unique_slugs() {
    assert_reported(
        "01-more.toml",
        |t| t.replacen("id = \"delta\"", "id = \"alpha\" # MARK", 1),
        "MARK",
        "duplicate id `alpha`",
    );
    assert_reported(
        "01-more.toml",
        |t| t.replacen("id = \"delta\"", "id = \"Delta Topic\" # MARK", 1),
        "MARK",
        "lowercase slug",
    );
}

#[test]
fn an_outline_may_not_carry_teaching_text() {
    assert_reported(
        "01-more.toml",
        |t| t.replacen("outline = true", "outline = true\nsummary = \"MARK\"", 1),
        "id = \"epsilon\"",
        "an outline has only id and title",
    );
}

#[test]
fn files_that_are_not_sections_and_missing_sections_are_reported() {
    let dir = copy_fixture();
    std::fs::write(dir.path().join("07-stray.toml"), "").unwrap();
    std::fs::remove_file(dir.path().join("01-more.toml")).unwrap();
    let errors = load_catalog(dir.path(), false).unwrap_err().0;
    assert!(
        errors
            .iter()
            .any(|e| e.file.ends_with("07-stray.toml") && e.message.contains("not a section"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.file.ends_with("01-more.toml") && e.message.contains("cannot read"))
    );
}

#[test]
fn every_error_is_collected_before_refusing() {
    let (errors, _) = errors_after(
        "00-basics.toml",
        |t| {
            t.replacen("answer = 0", "answer = 9", 1).replacen(
                "difficulty = 1",
                "difficulty = 0",
                1,
            )
        },
        "never",
    );
    assert!(errors.len() >= 2, "{errors:?}");
}

#[test]
fn crlf_files_and_hard_wrapped_text_load_as_reflowed_prose() {
    let lf = load_catalog(&support::fixture_dir(), false).unwrap();
    let dir = copy_fixture();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Hard-wrap every summary after each sentence, then write the file with CRLF.
        let text = text.replace(". It explains", ".\nIt explains");
        std::fs::write(&path, text.replace('\n', "\r\n")).unwrap();
    }
    let crlf = load_catalog(dir.path(), false).expect("CRLF files load");
    let bodies = |c: &studybot::content::Catalog| {
        c.topics()
            .iter()
            .filter_map(|t| t.body.clone())
            .collect::<Vec<_>>()
    };
    let (lf, crlf) = (bodies(&lf), bodies(&crlf));
    assert!(!lf.is_empty() && lf.len() == crlf.len());
    for (a, b) in lf.iter().zip(&crlf) {
        assert_eq!(a.summary, b.summary);
        assert!(!b.summary.contains(['\r', '\n']));
        assert_eq!(a.key_points, b.key_points);
        assert_eq!(a.questions[0].explanation, b.questions[0].explanation);
    }
}

/// Found by fuzzing (`fuzz/`, target `load_content`): a section file that is not UTF-8 was
/// reported at line 0.
#[test]
fn a_section_file_that_is_not_utf8_is_named_with_the_line_of_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(support::fixture_dir()).unwrap().flatten() {
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().join("00-basics.toml");
    let mut bytes = b"[section]\ntitle = \"Basics\"\n".to_vec();
    bytes.extend([0xbb, b'\n']);
    std::fs::write(&path, bytes).unwrap();
    let errors = studybot::content::load_catalog(dir.path(), false).unwrap_err();
    let e = errors.0.iter().find(|e| e.file == path).unwrap();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("UTF-8"), "{e}");
}
