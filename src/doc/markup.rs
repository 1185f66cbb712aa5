//! The template output markup (CommonMark, via pulldown-cmark) parsed into plain blocks of
//! styled runs. Backslash escapes from the engine are resolved here, once, in every kind of
//! text (code and HTML too); renderers never re-interpret text.
//!
//! The markup has no code blocks: an official document has no use for them, and a clerk's
//! paragraph indented by four spaces inside a `|` block must print as a paragraph. An
//! indented code block is read again as paragraphs (its lines without their indentation); a
//! fenced one prints its text.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::doc::model::Run;

/// One table cell's runs.
pub(crate) type Cell = Vec<Run>;

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
    let mut reader = Reader::default();
    for event in Parser::new_ext(markup, Options::ENABLE_TABLES) {
        reader.event(event);
    }
    reader.finish()
}

/// The parser's state between events: the blocks so far and what is open.
#[derive(Default)]
struct Reader {
    blocks: Vec<MarkupBlock>,
    runs: Vec<Run>,
    bold: u32,
    italic: u32,
    /// Open lists: the next number of an ordered one, `None` for a bulleted one.
    lists: Vec<Option<u64>>,
    pending_label: Option<String>,
    heading: Option<u8>,
    /// Table under construction: header cells and body rows; the current row.
    table: Option<(Vec<Cell>, Vec<Vec<Cell>>)>,
    row: Vec<Vec<Run>>,
    in_head: bool,
    /// The text of an indented code block being collected, to be read again as paragraphs.
    indented: Option<String>,
    /// Inside a fenced code block, whose text comes raw.
    fenced: bool,
}

impl Reader {
    fn finish(mut self) -> Vec<MarkupBlock> {
        self.flush(None);
        self.blocks
    }

    fn flush(&mut self, heading: Option<u8>) {
        flush(
            &mut self.blocks,
            &mut self.runs,
            &mut self.pending_label,
            heading,
        );
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(text) = self.indented.as_mut() {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    let text = std::mem::take(text);
                    self.indented = None;
                    self.flush(None);
                    read_indented(&mut self.blocks, &mut self.pending_label, &text);
                }
                Event::Text(t) => text.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if !self.fenced => self.text(&t),
            // Raw text: CommonMark leaves its backslashes; the engine's escapes are undone.
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                self.text(&unescape(&t))
            }
            Event::SoftBreak => self.text(" "),
            // A forced line break (a structured value's line ending ` \`): a `\n` in the run,
            // drawn as a line break by both renderers.
            Event::HardBreak => self.text(HARD_BREAK),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::CodeBlock(CodeBlockKind::Indented) => self.indented = Some(String::new()),
            Tag::CodeBlock(_) => self.fenced = true,
            Tag::Table(_) => self.table = Some((Vec::new(), Vec::new())),
            Tag::TableHead => self.in_head = true,
            Tag::Heading { level, .. } => self.heading = Some(level as u8),
            Tag::List(start) => self.lists.push(start),
            Tag::Item => {
                self.flush(None);
                self.pending_label = Some(match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let label = format!("{n}.");
                        *n += 1;
                        label
                    }
                    _ => "-".to_string(),
                });
            }
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::TableHead => {
                self.in_head = false;
                if let Some((head, _)) = self.table.as_mut() {
                    if head.is_empty() {
                        *head = std::mem::take(&mut self.row);
                    }
                }
            }
            TagEnd::TableCell => {
                let cell = trim_runs(std::mem::take(&mut self.runs));
                self.row.push(cell);
            }
            TagEnd::TableRow => self.end_row(),
            TagEnd::Table => {
                if let Some((header, rows)) = self.table.take() {
                    self.blocks.push(MarkupBlock::Table { header, rows });
                }
            }
            TagEnd::Heading(_) => {
                let heading = self.heading.take();
                self.flush(heading);
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::CodeBlock => {
                self.fenced = false;
                self.flush(None)
            }
            TagEnd::Paragraph | TagEnd::Item => self.flush(None),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            _ => {}
        }
    }

    fn end_row(&mut self) {
        if let Some((head, body)) = self.table.as_mut() {
            let cells = std::mem::take(&mut self.row);
            if self.in_head || head.is_empty() {
                *head = cells;
            } else {
                body.push(cells);
            }
        }
    }

    /// Text in the current bold and italic, joined to the last run when they match.
    fn text(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.runs.last_mut() {
            if last.bold == bold && last.italic == italic {
                last.text.push_str(text);
                return;
            }
        }
        self.runs.push(Run {
            text: text.to_string(),
            bold,
            italic,
            underline: false,
        });
    }
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

/// An indented code block's text read again as paragraphs; the first becomes the item a
/// label is waiting for (`-     text`).
fn read_indented(blocks: &mut Vec<MarkupBlock>, label: &mut Option<String>, text: &str) {
    for block in parse(&without_indentation(text)) {
        blocks.push(match (label.take(), block) {
            (Some(label), MarkupBlock::Paragraph(runs)) => MarkupBlock::Item { label, runs },
            (waiting, other) => {
                *label = waiting;
                other
            }
        });
    }
}

/// Every line without its leading spaces and tabs: read again, no line can start an
/// indented code block, so this recurses once at most.
fn without_indentation(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches([' ', '\t']))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Resolves CommonMark backslash escapes (a backslash before ASCII punctuation) in text the
/// parser hands over raw: code spans, fenced code and HTML.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Inline markup (a front matter value) to plain text.
pub(crate) fn inline_text(markup: &str) -> String {
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
/// Stands for a forced line break while the runs are collected, since raw text's own line
/// ends become spaces. A private-use character: no record value can contain one.
const HARD_BREAK: &str = "\u{E001}";

fn trim_runs(mut runs: Vec<Run>) -> Vec<Run> {
    for r in runs.iter_mut() {
        if r.text.contains('\n') {
            r.text = r.text.replace('\n', " ");
        }
        if r.text.contains(HARD_BREAK) {
            r.text = r.text.replace(HARD_BREAK, "\n");
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
    use crate::template::structured::escape_markup;

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
    fn issue9_indented_paragraphs_are_paragraphs_and_print_as_typed() {
        let typed = [
            "Sản lượng đạt 5.120 tấn (năm 2022).",
            "Tăng *12%* so với #1.",
        ];
        let markup = format!(
            "Mở đầu.\n\n    {}\n\n\t\t{}\n\n-     {}\n",
            escape_markup(typed[0]),
            escape_markup(typed[1]),
            escape_markup(typed[0])
        );
        assert_eq!(
            parse(&markup),
            vec![
                MarkupBlock::Paragraph(vec![Run::plain("Mở đầu.")]),
                MarkupBlock::Paragraph(vec![Run::plain(typed[0])]),
                MarkupBlock::Paragraph(vec![Run::plain(typed[1])]),
                MarkupBlock::Item {
                    label: "-".into(),
                    runs: vec![Run::plain(typed[0])]
                },
            ]
        );
    }

    #[test]
    fn issue9_escapes_are_undone_in_code_spans_fences_and_html() {
        let typed = "5.120 (năm 2022) *a* <b>";
        let v = escape_markup(typed);
        let text = |b: &MarkupBlock| match b {
            MarkupBlock::Paragraph(r) => r.iter().map(|r| r.text.clone()).collect::<String>(),
            other => panic!("{other:?}"),
        };
        for markup in [
            format!("`{v}`\n"),
            format!("```\n{v}\n```\n"),
            format!("<div>\n{v}\n"),
        ] {
            let blocks = parse(&markup);
            assert_eq!(blocks.len(), 1, "{markup:?}: {blocks:?}");
            assert!(text(&blocks[0]).contains(typed), "{markup:?}: {blocks:?}");
        }
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

/// Structured text (`template::structured`) as the markup parser reads it.
#[cfg(test)]
mod structured_tests {
    use super::{parse, MarkupBlock};
    use crate::template::structured::to_markup;

    fn texts(markup: &str) -> Vec<(String, bool, Option<u8>)> {
        parse(markup)
            .into_iter()
            .map(|b| match b {
                MarkupBlock::Heading { level, runs } => (
                    runs.iter().map(|r| r.text.as_str()).collect(),
                    runs.iter().all(|r| r.bold),
                    Some(level),
                ),
                MarkupBlock::Paragraph(runs) => (
                    runs.iter().map(|r| r.text.as_str()).collect(),
                    runs.iter().all(|r| r.bold),
                    None,
                ),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn levels_labels_and_emphasis() {
        let src = "Phần I\nTÌNH HÌNH THỰC HIỆN\nI. KẾT QUẢ ĐẠT ĐƯỢC\n1. Về kinh tế\na) Nông nghiệp: **420 ha**, tăng 15%.\n- Thu ngân sách;\n+ trong đó *dịch vụ*.\n\n1.1. Mục con <b> & #1 [x]\n\\I. không phải đề mục; 5 \\* 3\nII- XÂY DỰNG ĐẢNG\nĐiều 2. Hiệu lực";
        let got = texts(&to_markup(src));
        let want: Vec<(&str, Option<u8>)> = vec![
            ("Phần I", Some(1)),
            ("TÌNH HÌNH THỰC HIỆN", Some(1)),
            ("I. KẾT QUẢ ĐẠT ĐƯỢC", Some(2)),
            ("1. Về kinh tế", None),
            ("a) Nông nghiệp: 420 ha, tăng 15%.", None),
            ("- Thu ngân sách;", None),
            ("+ trong đó dịch vụ.", None),
            ("1.1. Mục con <b> & #1 [x]", None),
            ("I. không phải đề mục; 5 * 3", None),
            ("II- XÂY DỰNG ĐẢNG", Some(2)),
            ("Điều 2. Hiệu lực", Some(2)),
        ];
        assert_eq!(
            got.iter()
                .map(|(t, _, l)| (t.as_str(), *l))
                .collect::<Vec<_>>(),
            want
        );
        let bold: Vec<_> = parse(&to_markup("a) Nông nghiệp: **420 ha**, tăng."))
            .into_iter()
            .flat_map(|b| match b {
                MarkupBlock::Paragraph(runs) => runs,
                _ => Vec::new(),
            })
            .map(|r| (r.text, r.bold))
            .collect();
        assert_eq!(
            bold,
            [
                ("a) Nông nghiệp: ".to_string(), false),
                ("420 ha".to_string(), true),
                (", tăng.".to_string(), false)
            ]
        );
    }

    #[test]
    fn a_heading_can_continue_after_a_forced_line_break() {
        let got = texts(&to_markup("II- NHIỆM VỤ \\\nTRỌNG TÂM\nĐoạn sau."));
        assert_eq!(
            got[0],
            ("II- NHIỆM VỤ\nTRỌNG TÂM".to_string(), false, Some(2))
        );
        assert_eq!(got[1].0, "Đoạn sau.");
    }

    #[test]
    fn a_trailing_backslash_is_a_forced_line_break() {
        let got = texts(&to_markup("Dòng này \\\nxuống dòng.\nĐoạn sau."));
        assert_eq!(got[0].0, "Dòng này\nxuống dòng.");
        assert_eq!(got[1].0, "Đoạn sau.");
    }
}
