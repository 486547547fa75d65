//! Unit tests of the Discord renderer (kept apart so render.rs stays small).
use super::*;
use crate::core::Button;

fn reply(blocks: Vec<Block>) -> Reply {
    Reply::of_blocks(blocks)
}

fn card(quiz_id: i64) -> QuizCard {
    QuizCard {
        quiz_id,
        topic_title: "TCP vs UDP".into(),
        prompt: "Which one *guarantees* order?".into(),
        options: vec!["TCP".into(), "UDP".into(), "Both".into(), "Neither".into()],
        correct: 0,
        explanation: "TCP orders bytes.".into(),
    }
}

fn png(name: &str, caption: Option<&str>) -> Attachment {
    Attachment {
        name: name.into(),
        mime: "image/png".into(),
        bytes: vec![0x89, b'P', b'N', b'G'],
        kind: crate::core::FileKind::Photo,
        caption: caption.map(str::to_string),
    }
}

#[test]
fn files_go_with_the_last_message_and_alone_show_their_caption() {
    let mut alone = Reply::default();
    alone.file(png("a.png", Some("Your *progress*")));
    let out = render(&alone);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].content.as_deref(), Some("Your \\*progress\\*"));
    assert_eq!(out[0].files.len(), 1);

    let mut with_text = Reply::text("Your export");
    with_text.file(png("a.csv", Some("CSV")));
    with_text.file(png("b.txt", None));
    let out = render(&with_text);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].content.as_deref(), Some("Your export"));
    assert_eq!(out[0].files.len(), 2);

    let mut many = Reply::default();
    for i in 0..FILES_PER_MESSAGE + 1 {
        many.file(png(&format!("{i}.png"), None));
    }
    let out = render(&many);
    assert_eq!(
        out.iter().map(|o| o.files.len()).collect::<Vec<_>>(),
        [FILES_PER_MESSAGE, 1]
    );
}

fn assert_within_limits(messages: &[Outgoing]) {
    for m in messages {
        if let Some(c) = &m.content {
            assert!(char_len(c) <= CONTENT_LIMIT, "content {}", char_len(c));
        }
        assert!(m.embeds.len() <= EMBEDS_PER_MESSAGE);
        assert!(m.embeds.iter().map(EmbedOut::chars).sum::<usize>() <= EMBEDS_TOTAL_LIMIT);
        for e in &m.embeds {
            assert!(e.fields.len() <= FIELDS_PER_EMBED);
            for f in &e.fields {
                assert!((1..=FIELD_NAME_LIMIT).contains(&char_len(&f.name)));
                assert!((1..=FIELD_VALUE_LIMIT).contains(&char_len(&f.value)));
            }
            assert!(char_len(&e.description) <= DESCRIPTION_LIMIT);
            assert!(e.title.as_deref().map_or(0, char_len) <= TITLE_LIMIT);
            assert!(e.footer.as_deref().map_or(0, char_len) <= FOOTER_LIMIT);
        }
        assert!(m.rows.len() <= ROWS_PER_MESSAGE);
        for row in &m.rows {
            assert!(!row.is_empty() && row.len() <= BUTTONS_PER_ROW);
            for b in row {
                assert!(char_len(&b.label) <= LABEL_LIMIT && !b.label.is_empty());
                assert!(fits_custom_id(&b.custom_id));
            }
        }
    }
}

#[test]
fn markdown_characters_are_escaped_and_mentions_cannot_form() {
    assert_eq!(
        escape("**bold** _it_ `code` ~~s~~ ||spoiler|| > quote # h - item [l](u)"),
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\> quote \\# h \\- item \\[l\\]\\(u\\)"
    );
    assert_eq!(escape("a\\b"), "a\\\\b");
    let hostile = escape("@everyone @here <@123> <@&456> <#789>");
    assert!(!hostile.contains("@everyone") && !hostile.contains("@here"));
    assert_eq!(
        hostile.matches('@').count(),
        hostile.matches("@\u{200B}").count(),
        "every @ is broken up"
    );
    assert_eq!(
        hostile.matches('<').count(),
        hostile.matches("\\<").count(),
        "every < is escaped, so no <#channel> or <:emoji:> forms"
    );
    assert_eq!(
        hostile.replace([ZERO_WIDTH_SPACE, '\\'], ""),
        "@everyone @here <@123> <@&456> <#789>",
        "it still reads the same"
    );
}

#[test]
fn short_text_goes_in_content_escaped() {
    let msgs = render(&reply(vec![
        Block::Paragraph("No topic matches \"<@1> **x**\".".into()),
        Block::Note("a note".into()),
    ]));
    assert_eq!(msgs.len(), 1);
    assert_eq!(
        msgs[0].content.as_deref(),
        Some("No topic matches \"\\<@\u{200B}1\\> \\*\\*x\\*\\*\".\n\n*a note*")
    );
    assert!(msgs[0].embeds.is_empty() && msgs[0].rows.is_empty());
}

#[test]
fn a_topic_card_becomes_an_embed_titled_by_its_heading_with_its_buttons() {
    let mut r = reply(vec![
        Block::Heading("TCP vs UDP".into()),
        Block::Note("Networking · topic 3 of 9".into()),
        Block::Paragraph("TCP is reliable.".into()),
        Block::Subheading("Key points".into()),
        Block::List(vec!["Ordered".into(), "Acknowledged".into()]),
    ]);
    r.button("Quiz me on this", Action::QuizTopic("tcp-vs-udp".into()));
    r.button("Next topic", Action::NextTopic);
    let msgs = render(&r);
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.content, None);
    assert_eq!(m.embeds.len(), 1);
    assert_eq!(m.embeds[0].title.as_deref(), Some("TCP vs UDP"));
    assert_eq!(
        m.embeds[0].description,
        "*Networking · topic 3 of 9*\n\nTCP is reliable.\n\n**Key points**\n\n• Ordered\n• Acknowledged"
    );
    let ids: Vec<&str> = m.rows[0].iter().map(|b| b.custom_id.as_str()).collect();
    assert_eq!(ids, ["q:tcp-vs-udp", "next"]);
    assert_within_limits(&msgs);
}

#[test]
fn a_cards_details_become_fields_named_by_their_subheadings() {
    let r = reply(vec![
        Block::Heading("TCP".into()),
        Block::Paragraph("Front.".into()),
        Block::Details(vec![
            Block::Paragraph("More summary.".into()),
            Block::Subheading("Example".into()),
            Block::Paragraph("e".repeat(1500)),
            Block::Subheading("Pitfalls".into()),
            Block::List(vec!["*p*".into()]),
        ]),
    ]);
    let msgs = render(&r);
    assert_within_limits(&msgs);
    assert_eq!(msgs.len(), 1);
    let e = &msgs[0].embeds[0];
    assert_eq!(e.description, "Front.");
    let names: Vec<&str> = e.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [BLANK_FIELD_NAME, "Example", BLANK_FIELD_NAME, "Pitfalls"]
    );
    assert_eq!(e.fields[0].value, "More summary.");
    assert_eq!(
        e.fields[1].value.len() + e.fields[2].value.len(),
        1500,
        "a long example continues in a field without a name"
    );
    assert_eq!(e.fields[3].value, "• \\*p\\*");
}

#[test]
fn details_beyond_one_message_move_to_further_embeds_and_messages() {
    let details: Vec<Block> = (0..40)
        .flat_map(|i| {
            [
                Block::Subheading(format!("Part {i}")),
                Block::Paragraph("x".repeat(900)),
            ]
        })
        .collect();
    let r = reply(vec![Block::Heading("Big".into()), Block::Details(details)]);
    let msgs = render(&r);
    assert_within_limits(&msgs);
    assert!(msgs.len() > 1);
    let fields: usize = msgs
        .iter()
        .flat_map(|m| &m.embeds)
        .map(|e| e.fields.len())
        .sum();
    assert_eq!(fields, 40);
}

#[test]
fn a_quiz_is_an_embed_with_one_lettered_button_per_option() {
    let r = Reply {
        blocks: vec![Block::Note("Quiz · TCP vs UDP".into())],
        quiz: Some(card(9_007_199_254_740_993)),
        buttons: vec![],
        ..Reply::default()
    };
    let msgs = render(&r);
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.content.as_deref(), Some("*Quiz · TCP vs UDP*"));
    let e = &m.embeds[0];
    assert!(
        e.description
            .starts_with("**Which one \\*guarantees\\* order?**\n\n**A** · TCP\n**B** · UDP")
    );
    assert!(!e.description.contains("TCP orders bytes"), "no spoiler");
    assert_eq!(
        e.footer.as_deref(),
        Some(quiz_footer(0, Lang::English).as_str())
    );
    let row = &m.rows[0];
    let labels: Vec<&str> = row.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C", "D"]);
    for (i, b) in row.iter().enumerate() {
        assert_eq!(
            Action::decode(&b.custom_id),
            Some(Action::Answer {
                quiz_id: 9_007_199_254_740_993,
                letter: OptionLetter::from_index(i).unwrap()
            })
        );
        assert_eq!(b.kind, ButtonKind::Answer);
    }
    assert_within_limits(&msgs);
}

#[test]
fn the_quiz_footer_counts_answers() {
    assert_eq!(quiz_footer(1, Lang::English), "1 person has answered.");
    assert_eq!(quiz_footer(3, Lang::English), "3 people have answered.");
}

#[test]
fn long_text_is_split_under_the_content_limit_and_nothing_is_lost() {
    let text = "é".repeat(10_000);
    let msgs = render(&reply(vec![Block::Paragraph(text.clone())]));
    assert!(msgs.len() > 1);
    assert_within_limits(&msgs);
    let joined: String = msgs
        .iter()
        .flat_map(|m| {
            m.content
                .iter()
                .cloned()
                .chain(m.embeds.iter().map(|e| e.description.clone()))
        })
        .collect::<Vec<_>>()
        .concat()
        .replace("\n\n", "");
    assert_eq!(joined, text);
}

#[test]
fn a_huge_topic_card_respects_description_embed_and_message_limits() {
    let para = "word ".repeat(700); // 3500 characters
    let mut blocks = vec![Block::Heading("Big".into())];
    blocks.extend((0..12).map(|_| Block::Paragraph(para.clone())));
    let mut r = reply(blocks);
    r.button("Quiz me on this", Action::QuizTopic("big".into()));
    let msgs = render(&r);
    assert!(msgs.len() > 1, "6000 characters per message forces several");
    assert_within_limits(&msgs);
    assert_eq!(msgs[0].embeds[0].title.as_deref(), Some("Big"));
    assert!(msgs.iter().skip(1).all(|m| m.embeds[0].title.is_none()));
    assert!(
        msgs.last().unwrap().rows.len() == 1,
        "buttons on the last message"
    );
    let words: usize = msgs
        .iter()
        .flat_map(|m| &m.embeds)
        .map(|e| e.description.matches("word").count())
        .sum();
    assert_eq!(words, 12 * 700);
}

#[test]
fn escaping_that_grows_text_still_respects_the_limits() {
    let msgs = render(&reply(vec![
        Block::Heading("<".repeat(300)),
        Block::Paragraph("*".repeat(5000)),
    ]));
    assert_within_limits(&msgs);
    let title = msgs[0].embeds[0].title.as_deref().unwrap();
    assert!(title.ends_with("\\<…"), "no escape cut in half: {title}");
    for m in &msgs {
        for e in &m.embeds {
            let d = e.description.replace("\\*", "");
            assert!(!d.contains('*') && !d.contains('\\'), "only whole escapes");
        }
    }
}

#[test]
fn button_labels_are_clipped_to_80_and_custom_ids_checked_against_100() {
    let r = Reply {
        blocks: vec![Block::Paragraph("x".into())],
        quiz: None,
        buttons: vec![Button {
            label: "L".repeat(200),
            action: Action::ForgetConfirm,
        }],
        ..Reply::default()
    };
    let msgs = render(&r);
    let b = &msgs[0].rows[0][0];
    assert_eq!(char_len(&b.label), LABEL_LIMIT);
    assert!(b.label.ends_with('…'));
    assert_eq!(b.kind, ButtonKind::Danger);
    assert!(fits_custom_id(&"x".repeat(100)));
    assert!(!fits_custom_id(&"x".repeat(101)));
    assert!(!fits_custom_id(""));
}

#[test]
fn fitting_clips_with_an_ellipsis_only_when_needed() {
    assert_eq!(fit_escaped("abc", 3), "abc");
    assert_eq!(fit_escaped("abcd", 3), "ab…");
    assert_eq!(fit_escaped("a*b", 3), "a…");
    assert_eq!(fit_plain("abcd", 3), "ab…");
}

#[test]
fn an_empty_reply_renders_no_message() {
    assert!(render(&Reply::default()).is_empty());
}
