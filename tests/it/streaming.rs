//! Issue 4: renderers read a document as a stream of blocks, and the PDF leaves page by page,
//! so a month's report of thousands of pages is never held whole.

use crate::common;

use std::borrow::Cow;
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use vanthu::document::{Align, Block, PageNumberStyle, PageSetup, Paragraph, Run, Table};
use vanthu::Document;
use vanthu::DocumentStream;
use vanthu::DocxRenderer;
use vanthu::Error;
use vanthu::FontBook;
use vanthu::PdfRenderer;
use vanthu::{RenderContext, Renderer};

fn page() -> PageSetup {
    PageSetup {
        width: 210.0,
        height: 297.0,
        margin_top: 20.0,
        margin_bottom: 20.0,
        margin_left: 30.0,
        margin_right: 15.0,
        page_number: PageNumberStyle {
            size_pt: 14.0,
            from_top: 10.0,
            line_pitch_pt: 16.25,
        },
        first_page_footer: None,
        electronic_mark: None,
    }
}

fn para(i: usize) -> Block {
    Block::Para(Paragraph {
        runs: vec![Run::plain(format!(
            "Đoạn {i}: Ban Thường vụ Huyện ủy làm việc với Đảng ủy xã về tình hình triển khai \
             thực hiện nhiệm vụ năm 2022, kết luận và giao nhiệm vụ cụ thể cho từng cơ quan."
        ))],
        align: Align::Justify,
        size_pt: 14.0,
        first_indent: 10.0,
        left_indent: 0.0,
        space_before_pt: 6.0,
        space_after_pt: 0.0,
        line_pitch_pt: 18.0,
        keep_with_next: false,
    })
}

/// Records how many blocks the renderer had pulled when each write reached the output.
struct Recorder {
    pulled: Arc<AtomicUsize>,
    bytes: Vec<u8>,
    pulled_at_write: Vec<(usize, usize)>,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pulled_at_write
            .push((self.bytes.len(), self.pulled.load(Ordering::SeqCst)));
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Append-only: the PDF is written front to back, never seeking.
impl Seek for Recorder {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match pos {
            SeekFrom::Current(0) | SeekFrom::End(0) => Ok(self.bytes.len() as u64),
            _ => Err(std::io::Error::other("the PDF writer seeked")),
        }
    }
}

fn stream(n: usize, pulled: Arc<AtomicUsize>, fail_at: Option<usize>) -> DocumentStream<'static> {
    DocumentStream {
        kind: "stream-test".into(),
        meta_title: "Kiểm tra".into(),
        page: page(),
        blocks: Box::new((0..n).map(move |i| {
            pulled.fetch_add(1, Ordering::SeqCst);
            if Some(i) == fail_at {
                return Err(Error::Usage(format!("block {i} could not be read")));
            }
            Ok(Cow::Owned(para(i)))
        })),
    }
}

#[test]
fn issue4_pdf_pages_are_written_while_the_stream_is_still_being_read() {
    let n = 3000;
    let pulled = Arc::new(AtomicUsize::new(0));
    let mut out = Recorder {
        pulled: Arc::clone(&pulled),
        bytes: Vec::new(),
        pulled_at_write: Vec::new(),
    };
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    PdfRenderer
        .render_to(stream(n, Arc::clone(&pulled), None), &ctx, &mut out)
        .expect("renders");
    assert_eq!(pulled.load(Ordering::SeqCst), n, "every block read once");
    // Bytes past the header reached the output after a page's worth of blocks, not at the end.
    let early = out
        .pulled_at_write
        .iter()
        .filter(|(offset, blocks)| *offset > 1000 && *blocks < 40)
        .count();
    assert!(
        early > 0,
        "the first page was written before block 40 was read"
    );
    let half: usize = out
        .pulled_at_write
        .iter()
        .filter(|(_, blocks)| *blocks < n / 2)
        .map(|(offset, _)| *offset)
        .max()
        .unwrap_or(0);
    assert!(
        half > out.bytes.len() / 3,
        "a third of the file was out before half the blocks were read ({half} of {})",
        out.bytes.len()
    );
    // And the file is whole: every paragraph is there, in order, on its pages.
    let doc = lopdf::Document::load_mem(&out.bytes).expect("lopdf reads it");
    let pages = common::pdf::read_doc(&doc);
    assert!(pages.len() > 200, "{} pages", pages.len());
    let lines = common::pdf::body_lines(&pages);
    let firsts: Vec<&String> = lines.iter().filter(|l| l.starts_with("Đoạn ")).collect();
    assert_eq!(firsts.len(), n);
    assert!(firsts[n - 1].starts_with(&format!("Đoạn {}:", n - 1)));
}

#[test]
fn issue4_an_error_in_the_stream_stops_the_pdf_with_that_error() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let err = PdfRenderer
        .render_to(stream(500, Arc::clone(&pulled), Some(321)), &ctx, &mut out)
        .expect_err("the stream's error ends the render");
    assert!(
        err.to_string().contains("block 321 could not be read"),
        "{err}"
    );
    assert!(
        pulled.load(Ordering::SeqCst) < 330,
        "reading stopped at the error"
    );
}

fn cell(text: String, bold: bool) -> Paragraph {
    Paragraph {
        runs: vec![Run {
            text,
            bold,
            ..Run::default()
        }],
        align: Align::Left,
        size_pt: 13.0,
        first_indent: 0.0,
        left_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_pitch_pt: 15.0,
        keep_with_next: false,
    }
}

fn long_table(rows: usize) -> Document {
    let header = vec![cell("STT".into(), true), cell("Đơn vị".into(), true)];
    let rows = (1..=rows)
        .map(|i| {
            vec![
                cell(i.to_string(), false),
                cell(format!("Đảng ủy xã số {i}"), false),
            ]
        })
        .collect();
    Document {
        kind: "table-test".into(),
        meta_title: "Bảng".into(),
        page: page(),
        blocks: vec![Block::Table(Table {
            widths: vec![20.0, 145.0],
            header,
            rows,
            padding: 1.5,
            border_pt: 0.5,
            space_before_pt: 6.0,
            space_after_pt: 6.0,
        })],
    }
}

/// The session table of a large month's report is one block of thousands of rows, laid out a
/// page at a time (PDF) and written a row at a time (DOCX): every row is there, in order, and
/// every page of the PDF starts with the header row.
#[test]
fn issue4_a_table_of_thousands_of_rows_is_whole_on_every_page() {
    let n = 2000;
    let doc = long_table(n);
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    let pdf = PdfRenderer.render(&doc, &ctx).expect("PDF");
    let pages = common::pdf::read_doc(&lopdf::Document::load_mem(&pdf).expect("lopdf"));
    assert!(pages.len() > 40, "{} pages", pages.len());
    // Each cell is its own text line here: the header's two, then two per row.
    let mut seen: Vec<String> = Vec::new();
    let top = page().margin_top - 1.0;
    for (i, p) in pages.iter().enumerate() {
        let body: Vec<String> = p
            .text_lines()
            .iter()
            .filter(|l| l.y() > top) // not the page number above
            .map(|l| l.text().trim().to_string())
            .collect();
        assert_eq!(
            body.get(..2),
            Some(&["STT".to_string(), "Đơn vị".to_string()][..]),
            "page {}",
            i + 1
        );
        seen.extend(body[2..].chunks(2).map(|pair| pair.join(" ")));
    }
    let expected: Vec<String> = (1..=n).map(|i| format!("{i} Đảng ủy xã số {i}")).collect();
    assert_eq!(seen.len(), n, "rows in the PDF");
    if let Some(i) = (0..n).find(|&i| seen[i] != expected[i]) {
        panic!("row {}: {:?}, expected {:?}", i + 1, seen[i], expected[i]);
    }

    let docx = DocxRenderer.render(&doc, &ctx).expect("DOCX");
    let xml = common::docx::part_of(&docx, "word/document.xml");
    assert_eq!(xml.matches("<w:tbl>").count(), 1);
    assert_eq!(
        xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count(),
        n + 1
    );
    let at = |s: &str| xml.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at(">Đảng ủy xã số 1<") < at(">Đảng ủy xã số 999<"));
    assert!(at(">Đảng ủy xã số 999<") < at(">Đảng ủy xã số 2000<"));
    assert!(!xml.contains("vanthu: the rows go here"));
}
