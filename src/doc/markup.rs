//! The template output markup (CommonMark, via pulldown-cmark) parsed into plain blocks of
//! styled runs. Backslash escapes from the engine are resolved here, once; renderers never
//! re-interpret text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::doc::model::Run;

#[derive(Debug, Clone, PartialEq)]
pub enum MarkupBlock {
    /// `# Heading` (level 1–6).
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    Paragraph(Vec<Run>),
    /// A list item, with its literal label (`1.`, `-`): numbering is always literal text.
    Item {
        label: String,
        runs: Vec<Run>,
    },
}

pub fn parse(markup: &str) -> Vec<MarkupBlock> {
    let mut blocks = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut pending_label: Option<String> = None;
    let mut heading: Option<u8> = None;

    let push_text = |runs: &mut Vec<Run>, text: &str, bold: bool, italic: bool| {
        if text.is_empty() {
            return;
        }
        if let Some(last) = runs.last_mut() {
            if last.bold == bold && last.italic == italic {
                last.text.push_str(text);
                return;
            }
        }
        runs.push(Run {
            text: text.to_string(),
            bold,
            italic,
            underline: false,
        });
    };

    let mut flush = |runs: &mut Vec<Run>, label: &mut Option<String>, heading: Option<u8>| {
        let taken = trim_runs(std::mem::take(runs));
        if taken.is_empty() {
            return;
        }
        blocks.push(match (heading, label.take()) {
            (Some(level), _) => MarkupBlock::Heading { level, runs: taken },
            (None, Some(label)) => MarkupBlock::Item { label, runs: taken },
            (None, None) => MarkupBlock::Paragraph(taken),
        });
    };

    for event in Parser::new(markup) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut runs, &mut pending_label, heading);
                heading = None;
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut runs, &mut pending_label, None);
                pending_label = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        let label = format!("{n}.");
                        *n += 1;
                        label
                    }
                    _ => "-".to_string(),
                });
            }
            Event::Start(Tag::Paragraph) | Event::Start(Tag::CodeBlock(_)) => {}
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::CodeBlock) => flush(&mut runs, &mut pending_label, None),
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                push_text(&mut runs, &t, bold > 0, italic > 0)
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut runs, " ", bold > 0, italic > 0),
            _ => {}
        }
    }
    flush(&mut runs, &mut pending_label, None);
    blocks
}

/// Inline markup (a front matter value) to plain text.
pub fn inline_text(markup: &str) -> String {
    parse(markup)
        .into_iter()
        .map(|b| match b {
            MarkupBlock::Heading { runs, .. } | MarkupBlock::Paragraph(runs) => runs,
            MarkupBlock::Item { label, mut runs } => {
                runs.insert(0, Run::plain(format!("{label} ")));
                runs
            }
        })
        .flat_map(|runs| runs.into_iter().map(|r| r.text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Drops leading and trailing whitespace of a paragraph (code blocks keep a final newline).
fn trim_runs(mut runs: Vec<Run>) -> Vec<Run> {
    for r in runs.iter_mut() {
        if r.text.contains('\n') {
            r.text = r.text.replace('\n', " ");
        }
    }
    if let Some(first) = runs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = runs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::engine::escape_markup;

    #[test]
    fn escaped_values_print_literally() {
        let hostile = "* # 1. {{x}} <b>&amp; [a](b) _c_ `d` \\ 2) - e";
        let blocks = parse(&format!("{}\n", escape_markup(hostile)));
        assert_eq!(
            blocks,
            vec![MarkupBlock::Paragraph(vec![Run::plain(hostile)])]
        );
    }

    #[test]
    fn lists_get_literal_labels_and_emphasis_becomes_runs() {
        let b = parse("# Tiêu đề\n\n3. ba\n4. bốn\n\n**đậm** và *nghiêng*\n");
        assert_eq!(
            b[0],
            MarkupBlock::Heading {
                level: 1,
                runs: vec![Run::plain("Tiêu đề")]
            }
        );
        assert_eq!(
            b[1],
            MarkupBlock::Item {
                label: "3.".into(),
                runs: vec![Run::plain("ba")]
            }
        );
        assert_eq!(
            b[2],
            MarkupBlock::Item {
                label: "4.".into(),
                runs: vec![Run::plain("bốn")]
            }
        );
        match &b[3] {
            MarkupBlock::Paragraph(r) => {
                assert!(r[0].bold && r[0].text == "đậm");
                assert!(r[2].italic && r[2].text == "nghiêng");
            }
            other => panic!("{other:?}"),
        }
    }
}
