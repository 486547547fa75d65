//! Hard-wrapped content text made into prose that any screen can wrap: the one function every
//! piece of content text goes through when it is loaded.
//!
//! Authors may wrap TOML text at any width (it diffs well); learners read on phones that wrap at
//! about 40 characters, where a kept line feed shows as a ragged half-line. The result keeps a
//! simple shape the core can read back: blocks separated by one blank line, each either a prose
//! paragraph (no line feed at all), a list (one item a line, each starting with its marker) or
//! preformatted text kept line for line (code, a fenced block).

/// The text with every line feed inside a paragraph turned into a space; blank lines stay
/// paragraph breaks, lists and code are kept. CRLF and lone CR count as line feeds.
pub fn reflow(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks: Vec<String> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut fence: Option<Vec<&str>> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(lines) = fence.as_mut() {
            lines.push(line);
            if is_fence(line) {
                blocks.push(lines.join("\n"));
                fence = None;
            }
        } else if is_fence(line) {
            blocks.extend(paragraph(&std::mem::take(&mut para)));
            fence = Some(vec![line]);
        } else if line.is_empty() {
            blocks.extend(paragraph(&std::mem::take(&mut para)));
        } else {
            para.push(line);
        }
    }
    if let Some(lines) = fence {
        // An unclosed fence is kept as written, less its trailing blank lines.
        blocks.push(lines.join("\n").trim_end().to_string());
    }
    blocks.extend(paragraph(&para));
    blocks.join("\n\n")
}

/// Whether a reflowed block is a list: every line an item.
pub fn is_list(block: &str) -> bool {
    !block.is_empty() && block.lines().all(|l| item_text(l, true).is_some())
}

/// A list item's text without its marker (`- `, `* `, `+ `, `• `); an ordered item (`1. `,
/// `2) `) keeps its number. `None` for a line that is not an item.
pub fn item_text(line: &str, in_list: bool) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    ordered_number(line)
        .filter(|&n| in_list || n == 1)
        .map(|_| line)
}

/// The number of an ordered item (`12. ` or `12) `, at most three digits).
fn ordered_number(line: &str) -> Option<u32> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let rest = &line[digits..];
    (rest.starts_with(". ") || rest.starts_with(") "))
        .then(|| line[..digits].parse().ok())
        .flatten()
}

fn is_fence(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("```") || l.starts_with("~~~")
}

/// Indented by two or more spaces or a tab: code, or the continuation of a list item.
fn is_indented(line: &str) -> bool {
    line.starts_with("  ") || line.starts_with('\t')
}

/// One paragraph's lines as blocks: prose joined into one line, a list split off into its own
/// block with each item on one line, or the lines kept as written when any is indented outside
/// a list (code).
fn paragraph(lines: &[&str]) -> Vec<String> {
    if lines.is_empty() {
        return Vec::new();
    }
    // (is a list item, text)
    let mut logical: Vec<(bool, String)> = Vec::new();
    for &line in lines {
        let in_list = logical.last().is_some_and(|(item, _)| *item);
        if item_text(line, in_list).is_some() {
            logical.push((true, line.to_string()));
        } else if is_indented(line) && !in_list {
            return vec![lines.join("\n")];
        } else {
            match logical.last_mut() {
                // A continuation of an item (indented or not) or of prose.
                Some((_, text)) => join_wrapped(text, line.trim_start()),
                None => logical.push((false, line.trim_start().to_string())),
            }
        }
    }
    let mut blocks: Vec<String> = Vec::new();
    let mut prev_item = None;
    for (item, text) in logical {
        match (prev_item, blocks.last_mut()) {
            (Some(true), Some(list)) if item => {
                list.push('\n');
                list.push_str(&text);
            }
            _ => blocks.push(text),
        }
        prev_item = Some(item);
    }
    blocks
}

/// Joins a wrapped line onto the text before it: with a space, except after a hyphen or dash
/// that ends a word (`stored-` + `program` is `stored-program`; `a -` + `b` stays `a - b`).
fn join_wrapped(text: &mut String, next: &str) {
    let mut tail = text.chars().rev();
    let last = tail.next();
    let before = tail.next();
    let word_hyphen = matches!(last, Some('-' | '—' | '–'))
        && before.is_some_and(|c| !c.is_whitespace())
        && next.chars().next().is_some_and(char::is_alphanumeric);
    if !word_hyphen {
        text.push(' ');
    }
    text.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_feed_inside_a_paragraph_becomes_a_space() {
        assert_eq!(
            reflow("A computer stores results and\nproduces output.\nIts heart is the CPU."),
            "A computer stores results and produces output. Its heart is the CPU."
        );
    }

    #[test]
    fn blank_lines_stay_paragraph_breaks_and_runs_of_them_collapse() {
        assert_eq!(
            reflow("\nOne\nparagraph.\n\n\n  \nTwo\nparagraphs.\n"),
            "One paragraph.\n\nTwo paragraphs."
        );
    }

    #[test]
    fn crlf_and_lone_cr_files_reflow_like_lf_files() {
        let lf = "First line\nsecond line.\n\nNext paragraph\nhere.";
        assert_eq!(reflow(&lf.replace('\n', "\r\n")), reflow(lf));
        assert_eq!(reflow(&lf.replace('\n', "\r")), reflow(lf));
        assert!(!reflow(&lf.replace('\n', "\r\n")).contains('\r'));
    }

    #[test]
    fn a_line_ending_with_a_word_hyphen_joins_without_a_space() {
        assert_eq!(
            reflow("the stored-\nprogram design"),
            "the stored-program design"
        );
        assert_eq!(reflow("long\u{2014}\nthen"), "long\u{2014}then");
    }

    #[test]
    fn a_dash_standing_alone_at_the_end_of_a_line_keeps_its_spaces() {
        assert_eq!(reflow("fast -\nbut fragile"), "fast - but fragile");
        assert_eq!(reflow("ends with a-\n(b)"), "ends with a- (b)");
    }

    #[test]
    fn a_list_inside_a_summary_becomes_its_own_block_one_item_a_line() {
        let text = "Three things matter\nhere:\n- the first item,\n  wrapped\n- the second\nitem, lazily wrapped\n\nAfter the list.";
        assert_eq!(
            reflow(text),
            "Three things matter here:\n\n- the first item, wrapped\n- the second item, lazily wrapped\n\nAfter the list."
        );
        let blocks: Vec<String> = reflow(text).split("\n\n").map(str::to_string).collect();
        assert!(!is_list(&blocks[0]) && is_list(&blocks[1]) && !is_list(&blocks[2]));
        assert_eq!(item_text("- the first item", false), Some("the first item"));
    }

    #[test]
    fn an_ordered_list_starts_at_one_and_a_wrapped_number_is_prose() {
        assert_eq!(
            reflow("Steps:\n1. open\n2. read\n3. close"),
            "Steps:\n\n1. open\n2. read\n3. close"
        );
        assert_eq!(
            reflow("It maps SQLSTATE\n23505) to a 409 Conflict."),
            "It maps SQLSTATE 23505) to a 409 Conflict."
        );
    }

    #[test]
    fn code_is_kept_line_for_line() {
        let yaml =
            "A fragment:\n\nopenapi: 3.1.0\npaths:\n  /orders/{id}:\n    get: x\n\nAfter\nit.";
        assert_eq!(
            reflow(yaml),
            "A fragment:\n\nopenapi: 3.1.0\npaths:\n  /orders/{id}:\n    get: x\n\nAfter it."
        );
        let fenced = "Run:\n```\nlet a = 1;\n\nlet b = 2;\n```\nDone\nnow.";
        assert_eq!(
            reflow(fenced),
            "Run:\n\n```\nlet a = 1;\n\nlet b = 2;\n```\n\nDone now."
        );
    }

    #[test]
    fn reflowing_twice_changes_nothing() {
        for text in [
            "a\nb\n\n- c\n- d\n\ne-\nf",
            "x:\n  indented\ny",
            "```\nq\n```",
            "",
        ] {
            let once = reflow(text);
            assert_eq!(reflow(&once), once, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_reflows_into_prose_lists_or_kept_code_and_stays_put(
            text in "[ab1.\\- \n\r\t`]{0,80}"
        ) {
            let once = reflow(&text);
            proptest::prop_assert!(!once.contains('\r'));
            proptest::prop_assert_eq!(reflow(&once), once.clone());
            // (A fenced block may hold blank lines: its parts are not blocks of their own.)
            let fenced = once.contains('`');
            for block in once.split("\n\n").filter(|_| !fenced) {
                let kept = block.lines().any(|l| is_indented(l) || is_fence(l));
                proptest::prop_assert!(
                    !block.contains('\n') || is_list(block) || kept,
                    "{:?}", block
                );
            }
        }
    }
}
