//! The template output markup (CommonMark, via pulldown-cmark) parsed into plain blocks of
//! styled runs. Backslash escapes from the engine are resolved here, once; renderers never
//! re-interpret text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::doc::model::Run;

/// One table cell's runs.
pub type Cell = Vec<Run>;

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
    /// A GFM table: a header row and body rows of cells.
    Table {
        header: Vec<Vec<Run>>,
        rows: Vec<Vec<Vec<Run>>>,
    },
}

pub fn parse(markup: &str) -> Vec<MarkupBlock> {
    let mut blocks = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut pending_label: Option<String> = None;
    let mut heading: Option<u8> = None;
    // Table under construction: header cells, body rows, the current row.
    let mut table: Option<(Vec<Cell>, Vec<Vec<Cell>>)> = None;
    let mut row: Vec<Vec<Run>> = Vec::new();
    let mut in_head = false;

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

    for event in Parser::new_ext(markup, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => table = Some((Vec::new(), Vec::new())),
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some((head, _)) = table.as_mut() {
                    if head.is_empty() {
                        *head = std::mem::take(&mut row);
                    }
                }
            }
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableCell) => {}
            Event::End(TagEnd::TableCell) => row.push(trim_runs(std::mem::take(&mut runs))),
            Event::End(TagEnd::TableRow) => {
                if let Some((head, body)) = table.as_mut() {
                    let cells = std::mem::take(&mut row);
                    if in_head || head.is_empty() {
                        *head = cells;
                    } else {
                        body.push(cells);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows)) = table.take() {
                    blocks.push(MarkupBlock::Table { header, rows });
                }
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some(level as u8),
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut blocks, &mut runs, &mut pending_label, heading);
                heading = None;
            }
            Event::Start(Tag::List(start)) => lists.push(start),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut blocks, &mut runs, &mut pending_label, None);
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
            | Event::End(TagEnd::CodeBlock) => {
                flush(&mut blocks, &mut runs, &mut pending_label, None)
            }
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
    flush(&mut blocks, &mut runs, &mut pending_label, None);
    blocks
}

fn flush(
    blocks: &mut Vec<MarkupBlock>,
    runs: &mut Vec<Run>,
    label: &mut Option<String>,
    heading: Option<u8>,
) {
    let taken = trim_runs(std::mem::take(runs));
    if taken.is_empty() {
        return;
    }
    blocks.push(match (heading, label.take()) {
        (Some(level), _) => MarkupBlock::Heading { level, runs: taken },
        (None, Some(label)) => MarkupBlock::Item { label, runs: taken },
        (None, None) => MarkupBlock::Paragraph(taken),
    });
}

/// Inline markup (a front matter value) to plain text.
pub fn inline_text(markup: &str) -> String {
    parse(markup)
        .into_iter()
        .map(|b| match b {
            MarkupBlock::Heading { runs, .. } | MarkupBlock::Paragraph(runs) => runs,
            MarkupBlock::Table { header, rows } => header
                .into_iter()
                .chain(rows.into_iter().flatten())
                .flatten()
                .collect(),
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
