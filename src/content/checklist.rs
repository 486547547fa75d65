//! `content/checklist.md`: the canonical list of sections and topic titles the content must cover.

use super::load::ContentError;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct ChecklistSection {
    pub number: u8,
    pub slug: String,
    pub title: String,
    /// Topic titles in teaching order, exactly as the checklist writes them.
    pub items: Vec<String>,
    pub line: usize,
}

impl ChecklistSection {
    /// The section's content file name, e.g. `07-sql-databases.toml`.
    pub fn file_name(&self) -> String {
        format!("{:02}-{}.toml", self.number, self.slug)
    }
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub sections: Vec<ChecklistSection>,
}

impl Checklist {
    /// Parses `## NN slug | Title` headings followed by `- item` lines; everything else is prose.
    pub fn parse(text: &str, file: &Path) -> Result<Checklist, Vec<ContentError>> {
        let mut sections: Vec<ChecklistSection> = Vec::new();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let lineno = i + 1;
            if let Some(head) = line.strip_prefix("## ") {
                match parse_heading(head) {
                    Some((number, slug, title)) => {
                        let expected = sections.len();
                        if usize::from(number) != expected {
                            errors.push(ContentError::new(
                                file,
                                lineno,
                                format!(
                                    "section {number:02} is out of order (expected {expected:02})"
                                ),
                            ));
                        }
                        sections.push(ChecklistSection {
                            number,
                            slug,
                            title,
                            items: Vec::new(),
                            line: lineno,
                        });
                    }
                    None => errors.push(ContentError::new(
                        file,
                        lineno,
                        "a section heading must read `## NN slug | Title`".to_string(),
                    )),
                }
            } else if let Some(item) = line.strip_prefix("- ") {
                match sections.last_mut() {
                    Some(section) if !item.trim().is_empty() => {
                        section.items.push(item.trim().to_string())
                    }
                    Some(_) => errors.push(ContentError::new(
                        file,
                        lineno,
                        "empty checklist item".to_string(),
                    )),
                    None => errors.push(ContentError::new(
                        file,
                        lineno,
                        "item before the first section".to_string(),
                    )),
                }
            }
        }
        if sections.is_empty() {
            errors.push(ContentError::new(file, 1, "no sections found".to_string()));
        }
        for s in &sections {
            if s.items.is_empty() {
                errors.push(ContentError::new(
                    file,
                    s.line,
                    format!("section {:02} has no items", s.number),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Checklist { sections })
        } else {
            Err(errors)
        }
    }

    pub fn topic_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

fn parse_heading(head: &str) -> Option<(u8, String, String)> {
    let (left, title) = head.split_once('|')?;
    let mut parts = left.split_whitespace();
    let number = parts.next()?.parse().ok()?;
    let slug = parts.next()?.to_string();
    if parts.next().is_some() || !super::rules::is_slug(&slug) || title.trim().is_empty() {
        return None;
    }
    Some((number, slug, title.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_items_are_read_in_order() {
        let text = "# intro\n\n## 00 basics | Basics\n\n- One\n- Two\n\n## 01 more | More things\n- Three\n";
        let c = Checklist::parse(text, Path::new("c.md")).unwrap();
        assert_eq!(c.sections.len(), 2);
        assert_eq!(c.sections[0].items, vec!["One", "Two"]);
        assert_eq!(c.sections[1].title, "More things");
        assert_eq!(c.sections[1].file_name(), "01-more.toml");
        assert_eq!(c.topic_count(), 3);
    }

    #[test]
    fn a_malformed_heading_is_reported_with_its_line() {
        let err = Checklist::parse("## 00 basics\n- One\n", Path::new("c.md")).unwrap_err();
        assert_eq!(err[0].line, 1);
        assert!(err[0].message.contains("## NN slug | Title"));
    }

    #[test]
    fn sections_out_of_order_are_rejected() {
        let err = Checklist::parse("## 01 a | A\n- x\n", Path::new("c.md")).unwrap_err();
        assert!(err[0].message.contains("out of order"));
    }
}
