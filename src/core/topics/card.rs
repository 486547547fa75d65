//! The topic card: what a learner reads every day, laid out for a phone. What shows first is the
//! title, the place in the curriculum, the summary's first paragraph (all of it when short) and
//! the key points; the rest (further paragraphs, the example, the pitfalls) sits in a
//! [`Block::Details`] one tap away. Whatever the content, no more than [`FRONT_LIMIT`] characters
//! show before the fold: parts that do not fit move behind it, in reading order.

use super::status::TopicStatus;
use crate::content::prose;
use crate::content::{Catalog, Topic};
use crate::core::messages::{Lang, Msg, TopicMsg};
use crate::core::reply::{Action, Block, Reply, visible_len};

/// At most this many characters (UTF-16 units, Telegram's measure) show before the fold: about a
/// phone screen and a half.
pub const FRONT_LIMIT: usize = 1500;
/// A summary up to this long shows whole before the fold; a longer one shows its first paragraph.
pub const SHORT_SUMMARY: usize = 700;

/// Content text (already reflowed by the loader) as blocks: prose paragraphs, lists with their
/// markers taken off, code kept as written.
pub fn prose_blocks(text: &str) -> Vec<Block> {
    text.split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .map(|b| {
            if prose::is_list(b) {
                Block::List(
                    b.lines()
                        .filter_map(|l| prose::item_text(l, true))
                        .map(str::to_string)
                        .collect(),
                )
            } else {
                Block::Paragraph(b.to_string())
            }
        })
        .collect()
}

/// A topic as a reply: the card ([`fold`]) and the buttons that fit (quiz, next, and the
/// learner's done / later / skip). `lead` goes above the title (a push's "today's topic").
pub fn topic_card(
    catalog: &Catalog,
    topic: &Topic,
    may_advance: bool,
    lead: Option<Block>,
    lang: Lang,
) -> Reply {
    let section = catalog.section_of(topic);
    let index = catalog.position(topic.id.as_str()).unwrap_or(0) + 1;
    let mut head: Vec<Block> = lead.into_iter().collect();
    head.push(Block::Heading(topic.title.clone()));
    head.push(Block::Note(
        Msg::Topic(TopicMsg::TopicPosition {
            section: section.title.clone(),
            index,
            total: catalog.topics().len(),
        })
        .render(lang),
    ));
    let mut r = Reply::default();
    match &topic.body {
        None => {
            r.blocks = head;
            r.para(Msg::Topic(TopicMsg::OutlineNotice).render(lang));
        }
        Some(body) => {
            let key_points = vec![
                Block::Subheading(Msg::Topic(TopicMsg::KeyPoints).render(lang)),
                Block::List(body.key_points.clone()),
            ];
            let mut rest = Vec::new();
            if let Some(example) = &body.example {
                rest.push(Block::Subheading(
                    Msg::Topic(TopicMsg::Example).render(lang),
                ));
                rest.extend(prose_blocks(example));
            }
            if !body.pitfalls.is_empty() {
                rest.push(Block::Subheading(
                    Msg::Topic(TopicMsg::Pitfalls).render(lang),
                ));
                rest.push(Block::List(body.pitfalls.clone()));
            }
            r.blocks = fold(head, prose_blocks(&body.summary), key_points, rest);
        }
    }
    if !topic.questions().is_empty() {
        r.button(
            Msg::Topic(TopicMsg::ButtonQuizMe).render(lang),
            Action::QuizTopic(topic.id.to_string()),
        );
    }
    if may_advance && catalog.after(topic.id.as_str()).is_some() {
        r.button(
            Msg::Topic(TopicMsg::ButtonNextTopic).render(lang),
            Action::NextTopic,
        );
    }
    for (label, status) in [
        (Msg::Topic(TopicMsg::ButtonDone), TopicStatus::Done),
        (Msg::Topic(TopicMsg::ButtonLater), TopicStatus::Later),
        (Msg::Topic(TopicMsg::ButtonSkip), TopicStatus::Skip),
    ] {
        let topic = topic.id.to_string();
        r.button(label.render(lang), Action::Mark { status, topic });
    }
    r
}

/// The card's blocks: `head`, then as much of the summary and the key points as the rules show
/// first and [`FRONT_LIMIT`] allows, then a [`Block::Details`] with everything else in reading
/// order (the rest of the summary, folded key points, `rest`). Tried in turn, the key points
/// shown while any sentence of the summary fits beside them: the summary's shown part; its first
/// paragraph; the leading sentences of that paragraph; then the same without the key points;
/// at last the head alone.
pub fn fold(
    head: Vec<Block>,
    summary: Vec<Block>,
    key_points: Vec<Block>,
    rest: Vec<Block>,
) -> Vec<Block> {
    let shown = if visible_len(&summary) <= SHORT_SUMMARY {
        summary.len()
    } else {
        summary.len().min(1)
    };
    // Everything after the front, in reading order.
    let details = |summary_rest: Vec<Block>, points_shown: bool| {
        let mut d = summary_rest;
        if !points_shown {
            d.extend_from_slice(&key_points);
        }
        d.extend_from_slice(&rest);
        d
    };
    for points_shown in [true, false] {
        let points: &[Block] = if points_shown { &key_points } else { &[] };
        for n in [shown, shown.min(1)] {
            let mut front = head.clone();
            front.extend_from_slice(&summary[..n]);
            front.extend_from_slice(points);
            if visible_len(&front) <= FRONT_LIMIT {
                return with_details(front, details(summary[n..].to_vec(), points_shown));
            }
        }
        // The first paragraph's leading sentences, as many as fit beside the rest of the front.
        if let Some(Block::Paragraph(first)) = summary.first() {
            let around = visible_len(&head) + visible_len(points) + 2 * 2;
            let (lead, tail) = sentences_within(first, FRONT_LIMIT.saturating_sub(around));
            if !lead.is_empty() {
                let mut front = head.clone();
                front.push(Block::Paragraph(lead.to_string()));
                front.extend_from_slice(points);
                let mut summary_rest = vec![Block::Paragraph(tail.to_string())];
                summary_rest.retain(|b| b.visible_len() > 0);
                summary_rest.extend_from_slice(&summary[1..]);
                return with_details(front, details(summary_rest, points_shown));
            }
        }
    }
    with_details(head, details(summary, false))
}

fn with_details(mut front: Vec<Block>, details: Vec<Block>) -> Vec<Block> {
    if !details.is_empty() {
        front.push(Block::Details(details));
    }
    front
}

/// The longest run of whole sentences at the start of `text` within `budget` UTF-16 units, and
/// the rest (both trimmed). A sentence ends at `.`, `!` or `?` before a space.
fn sentences_within(text: &str, budget: usize) -> (&str, &str) {
    let mut cut = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > budget {
            break;
        }
        let next = text[i + c.len_utf8()..].chars().next();
        if matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace) {
            cut = i + c.len_utf8();
        }
    }
    (text[..cut].trim(), text[cut..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(words: usize) -> Block {
        Block::Paragraph(format!("{}end.", "word ".repeat(words)))
    }

    fn head() -> Vec<Block> {
        vec![
            Block::Heading("Title".into()),
            Block::Note("Section · topic 1 of 9".into()),
        ]
    }

    fn points(n: usize, chars: usize) -> Vec<Block> {
        vec![
            Block::Subheading("Key points".into()),
            Block::List((0..n).map(|_| "k".repeat(chars)).collect()),
        ]
    }

    fn front_of(blocks: &[Block]) -> &[Block] {
        let end = blocks
            .iter()
            .position(|b| matches!(b, Block::Details(_)))
            .unwrap_or(blocks.len());
        &blocks[..end]
    }

    #[test]
    fn a_short_summary_shows_whole_and_the_example_folds() {
        let rest = vec![Block::Subheading("Example".into()), para(20)];
        let blocks = fold(
            head(),
            vec![para(20), para(20)],
            points(3, 50),
            rest.clone(),
        );
        assert_eq!(blocks.len(), 7);
        assert_eq!(blocks[6], Block::Details(rest));
    }

    #[test]
    fn a_long_summary_shows_its_first_paragraph_and_folds_the_others() {
        let summary = vec![para(100), para(100)];
        let blocks = fold(head(), summary.clone(), points(3, 50), vec![]);
        assert_eq!(blocks[2], summary[0]);
        assert!(matches!(&blocks[5], Block::Details(d) if d[0] == summary[1]));
    }

    #[test]
    fn long_key_points_fold_too_and_keep_their_reading_order() {
        let kp = points(5, 300);
        let rest = vec![Block::Subheading("Pitfalls".into())];
        let blocks = fold(head(), vec![para(150), para(50)], kp.clone(), rest);
        let front = front_of(&blocks);
        assert!(visible_len(front) <= FRONT_LIMIT);
        assert_eq!(front.len(), 3, "head and the first paragraph");
        let Some(Block::Details(d)) = blocks.last() else {
            panic!("details")
        };
        assert_eq!(d[1..3], kp[..]);
    }

    #[test]
    fn a_huge_first_paragraph_shows_its_leading_sentences() {
        let text = "A short sentence here. ".repeat(200);
        let blocks = fold(
            head(),
            vec![Block::Paragraph(text.trim().into())],
            points(3, 10),
            vec![],
        );
        let front = front_of(&blocks);
        assert!(visible_len(front) <= FRONT_LIMIT);
        let Block::Paragraph(shown) = &front[2] else {
            panic!("a paragraph")
        };
        assert!(shown.ends_with("here."));
        let all = Reply::of_blocks(blocks.clone()).plain_text();
        assert_eq!(all.matches("A short sentence").count(), 200, "nothing lost");
    }

    #[test]
    fn the_key_points_stay_in_front_and_the_first_paragraph_is_cut_between_sentences() {
        let first = "This sentence has about fifty characters in all. ".repeat(20);
        let kp = points(4, 120);
        let blocks = fold(
            head(),
            vec![Block::Paragraph(first.trim().into())],
            kp.clone(),
            vec![],
        );
        let front = front_of(&blocks);
        assert!(visible_len(front) <= FRONT_LIMIT);
        assert_eq!(front[3..], kp[..], "the key points show");
        let Block::Paragraph(lead) = &front[2] else {
            panic!("a paragraph")
        };
        assert!(lead.ends_with("in all.") && lead.len() > 500, "{lead}");
        let Some(Block::Details(d)) = blocks.last() else {
            panic!("details")
        };
        assert!(matches!(&d[0], Block::Paragraph(tail) if tail.starts_with("This sentence")));
    }

    #[test]
    fn one_endless_sentence_folds_whole() {
        let blocks = fold(head(), vec![para(2000)], points(3, 10), vec![]);
        assert_eq!(front_of(&blocks), &head()[..]);
    }

    #[test]
    fn content_text_becomes_paragraphs_lists_and_kept_code() {
        assert_eq!(
            prose_blocks("Intro:\n\n- one\n- two\n\ncode:\n  indented"),
            vec![
                Block::Paragraph("Intro:".into()),
                Block::List(vec!["one".into(), "two".into()]),
                Block::Paragraph("code:\n  indented".into()),
            ]
        );
    }

    /// A paragraph of `sentences`, each of words of the given lengths.
    fn paragraph_of(sentences: &[Vec<usize>]) -> String {
        sentences
            .iter()
            .map(|words| {
                let words: Vec<String> = words.iter().map(|&n| "w".repeat(n)).collect();
                format!("{}.", words.join(" "))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    proptest::proptest! {
        #[test]
        fn whatever_the_content_the_front_fits_and_nothing_is_lost(
            title in 1usize..120,
            paragraphs in proptest::collection::vec(
                proptest::collection::vec(proptest::collection::vec(1usize..40, 1..60), 1..12),
                1..4,
            ),
            points in proptest::collection::vec(1usize..300, 3..=5),
            example in 0usize..1200,
        ) {
            let mut head = head();
            head[0] = Block::Heading("T".repeat(title));
            let summary: Vec<Block> =
                paragraphs.iter().map(|p| Block::Paragraph(paragraph_of(p))).collect();
            let key_points = vec![
                Block::Subheading("Key points".into()),
                Block::List(points.iter().map(|&n| "k".repeat(n)).collect()),
            ];
            let rest = vec![
                Block::Subheading("Example".into()),
                Block::Paragraph("e".repeat(example.max(1))),
            ];
            // Every word, in any order: a cut paragraph goes on after the key points.
            let all = |blocks: &[Block]| {
                let text = Reply::of_blocks(blocks.to_vec()).plain_text();
                let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
                words.sort();
                words
            };
            let mut input = head.clone();
            input.extend(summary.clone());
            input.extend(key_points.clone());
            input.extend(rest.clone());
            let blocks = fold(head, summary, key_points, rest);
            proptest::prop_assert!(visible_len(front_of(&blocks)) <= FRONT_LIMIT);
            proptest::prop_assert_eq!(all(&blocks), all(&input), "nothing lost");
            proptest::prop_assert!(
                blocks.iter().filter(|b| matches!(b, Block::Details(_))).count() <= 1
            );
        }
    }
}
