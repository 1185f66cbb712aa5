//! Issue 10's rendering primitives, on documents built directly: forced line breaks, left and
//! hanging indents, boxed marks, section breaks that restart the page numbers, the first-page
//! footer. Each is read back from both files (lopdf, pdftotext, the DOCX XML) and, where
//! LibreOffice is installed, laid out page for page against LibreOffice's rendering of the DOCX.

mod common;

use std::path::{Path, PathBuf};

use common::pdf::{self, Page};
use common::*;
use vanthu::doc::model::{Align, Block, Document, PageNumberStyle, PageSetup, Paragraph, Run};
use vanthu::fonts::FontBook;
use vanthu::render::docx::DocxRenderer;
use vanthu::render::pdf::PdfRenderer;
use vanthu::render::{RenderContext, Renderer};

const LEFT: f32 = 30.0;
const TEXT_WIDTH: f32 = 165.0;

fn page() -> PageSetup {
    PageSetup {
        width: 210.0,
        height: 297.0,
        margin_top: 20.0,
        margin_bottom: 20.0,
        margin_left: LEFT,
        margin_right: 15.0,
        page_number: PageNumberStyle {
            size_pt: 14.0,
            from_top: 10.0,
        },
    }
}

fn para(text: &str, align: Align, size_pt: f32, bold: bool) -> Paragraph {
    Paragraph {
        runs: vec![Run {
            text: text.into(),
            bold,
            ..Run::default()
        }],
        align,
        size_pt,
        first_indent: 0.0,
        left_indent: 0.0,
        space_before_pt: 6.0,
        space_after_pt: 0.0,
        line_pitch_pt: 18.0,
        keep_with_next: false,
    }
}

fn body(text: &str) -> Paragraph {
    Paragraph {
        first_indent: 10.0,
        ..para(text, Align::Justify, 14.0, false)
    }
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        kind: "primitives".into(),
        meta_title: "primitives".into(),
        page: page(),
        blocks,
    }
}

/// The document's PDF and DOCX, written to a temporary folder (kept in `VANTHU_KEEP` when
/// set, to look at).
struct Rendered {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    docx: PathBuf,
}

fn render(name: &str, doc: &Document) -> Rendered {
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join(format!("{name}.pdf"));
    let docx = dir.path().join(format!("{name}.docx"));
    std::fs::write(&pdf, PdfRenderer.render(doc, &ctx).unwrap()).unwrap();
    std::fs::write(&docx, DocxRenderer.render(doc, &ctx).unwrap()).unwrap();
    if let Ok(keep) = std::env::var("VANTHU_KEEP") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&pdf, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
        std::fs::copy(&docx, Path::new(&keep).join(format!("{name}.docx"))).unwrap();
    }
    Rendered {
        _dir: dir,
        pdf,
        docx,
    }
}

fn document_xml(docx: &Path) -> String {
    common::docx::part(docx, "word/document.xml")
}

/// The text lines of every page, top to bottom.
fn lines_of(page: &Page) -> Vec<pdf::TextLine> {
    page.text_lines()
}

fn line_with<'a>(lines: &'a [pdf::TextLine], text: &str) -> &'a pdf::TextLine {
    lines.iter().find(|l| l.text() == text).unwrap_or_else(|| {
        panic!(
            "no line {text:?} in {:?}",
            lines.iter().map(|l| l.text()).collect::<Vec<_>>()
        )
    })
}

/// Our PDF against LibreOffice's rendering of our DOCX: the same number of pages, each
/// starting and ending with the same line (page numbers included). Returns LibreOffice's PDF.
fn same_pages_as_libreoffice(r: &Rendered, lo: &Path) -> Option<PathBuf> {
    if !have("soffice") || !have("pdftotext") {
        return None;
    }
    let theirs = libreoffice_pdf(&r.docx, lo);
    let (n, m) = (pdf_pages(&r.pdf), pdf_pages(&theirs));
    assert_eq!(n, m, "{}: PDF {n} pages, LibreOffice {m}", r.pdf.display());
    for page in 1..=n {
        let (a, b) = (
            page_text_lines(&r.pdf, page),
            page_text_lines(&theirs, page),
        );
        assert_eq!(a.first(), b.first(), "page {page} starts differently");
        assert_eq!(a.last(), b.last(), "page {page} ends differently");
    }
    Some(theirs)
}

// ---------------------------------------------------------------------------------------
// 1. Forced line breaks

#[test]
fn forced_line_breaks_centre_each_line_and_end_lines_in_both_files() {
    let name = para("ỦY BAN NHÂN DÂN\nTỈNH SƠN LA", Align::Center, 13.0, true);
    let r = render("breaks", &document(vec![Block::Para(name)]));
    let pages = pdf::read(&r.pdf);
    let lines = lines_of(&pages[0]);
    let a = line_with(&lines, "ỦY BAN NHÂN DÂN");
    let b = line_with(&lines, "TỈNH SƠN LA");
    let centre = LEFT + TEXT_WIDTH / 2.0;
    for l in [a, b] {
        assert!(
            (l.centre() - centre).abs() < 0.3,
            "{:?} centred at {}, not {centre}",
            l.text(),
            l.centre()
        );
    }
    assert!((b.y() - a.y() - 18.0 * pdf::PT).abs() < 0.05);
    let xml = document_xml(&r.docx);
    assert_eq!(xml.matches(r#"<w:br w:type="textWrapping" />"#).count(), 1);
}

/// A justified paragraph with many forced breaks: each break ends a line, lines ending at a
/// break are stretched as LibreOffice stretches them, and LibreOffice lays the pages out as
/// we do.
#[test]
fn a_justified_paragraph_with_many_breaks_matches_libreoffice() {
    let mut text = String::new();
    for i in 1..=60 {
        text.push_str(&format!(
            "Dòng {i}: kiểm tra, đôn đốc việc thực hiện các nhiệm vụ đã đề ra\n"
        ));
        if i % 7 == 0 {
            text.push('\n');
        }
    }
    text.push_str("Hết.");
    let mut blocks = vec![Block::Para(body(&text))];
    blocks.push(Block::Para(body(
        "Đoạn sau: Ban Thường vụ Huyện ủy làm việc với Đảng ủy xã về tình hình triển khai \
         thực hiện nhiệm vụ năm 2022, kết luận và giao nhiệm vụ cụ thể.",
    )));
    let r = render("many-breaks", &document(blocks));
    let pages = pdf::read(&r.pdf);
    assert!(pages.len() >= 2);
    let lines = lines_of(&pages[0]);
    let first = line_with(
        &lines,
        "Dòng 1: kiểm tra, đôn đốc việc thực hiện các nhiệm vụ đã đề ra",
    );
    assert!((first.x0() - (LEFT + 10.0)).abs() < 0.05);
    let lo = tempfile::tempdir().unwrap();
    if let Some(theirs) = same_pages_as_libreoffice(&r, lo.path()) {
        // Each line ending at a break ends where LibreOffice ends it (stretched to the
        // margin, or not).
        for (n, page) in pages.iter().enumerate().take(2) {
            let ours: Vec<(String, f32)> = lines_of(page)
                .iter()
                .filter(|l| l.text().starts_with("Dòng"))
                .map(|l| (l.text(), l.x1()))
                .collect();
            let lo_lines = bbox_lines(&theirs, n + 1);
            for (text, x1) in &ours {
                let theirs = lo_lines
                    .iter()
                    .find(|(t, _, _)| t == text)
                    .unwrap_or_else(|| panic!("LibreOffice has no line {text:?}: {lo_lines:?}"));
                assert!(
                    (theirs.2 - x1).abs() < 0.5,
                    "{text:?} ends at {x1} here, {} in LibreOffice",
                    theirs.2
                );
            }
        }
    }
}

/// The lines of a page as pdftotext sees them (`-bbox-layout`): text, left and right edge
/// in mm.
fn bbox_lines(pdf: &Path, page: usize) -> Vec<(String, f32, f32)> {
    let xml = run_tool(
        std::process::Command::new("pdftotext")
            .args([
                "-bbox-layout",
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
            ])
            .arg(pdf)
            .arg("-"),
    );
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        tag.split(&key)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let mut out = Vec::new();
    for chunk in xml.split("<line ").skip(1) {
        let tag = chunk.split('>').next().unwrap_or("");
        let words: Vec<&str> = chunk
            .split("<word ")
            .skip(1)
            .filter_map(|w| w.split('>').nth(1)?.split('<').next())
            .collect();
        let text = words.join(" ").replace("&amp;", "&");
        out.push((
            text,
            attr(tag, "xMin") * pdf::PT,
            attr(tag, "xMax") * pdf::PT,
        ));
    }
    out
}

// ---------------------------------------------------------------------------------------
// 2. Left and hanging indents

#[test]
fn left_and_hanging_indents_in_both_files() {
    let long = "Các phòng, ban, ngành chuyên môn thuộc Ủy ban nhân dân huyện và Ủy ban nhân dân \
                các xã, thị trấn trên địa bàn huyện";
    let nested = Paragraph {
        left_indent: 5.0,
        first_indent: 0.0,
        ..para(&format!("+ {long};"), Align::Justify, 14.0, false)
    };
    let hanging = Paragraph {
        left_indent: 25.0,
        first_indent: -25.0,
        ..para(&format!("Kính gửi: {long}."), Align::Left, 14.0, false)
    };
    let r = render(
        "indents",
        &document(vec![Block::Para(nested), Block::Para(hanging)]),
    );
    let pages = pdf::read(&r.pdf);
    let lines = lines_of(&pages[0]);
    assert!(
        lines.len() >= 4,
        "{:?}",
        lines.iter().map(|l| l.text()).collect::<Vec<_>>()
    );
    // Nested: every line starts at 5 mm; the first justified line ends at the margin.
    assert!(
        (lines[0].x0() - (LEFT + 5.0)).abs() < 0.05,
        "{}",
        lines[0].x0()
    );
    assert!(
        (lines[1].x0() - (LEFT + 5.0)).abs() < 0.05,
        "{}",
        lines[1].x0()
    );
    assert!((lines[0].x1() - (LEFT + TEXT_WIDTH)).abs() < 0.1);
    // Hanging: the first line at the margin, the next ones at 25 mm.
    let k = lines
        .iter()
        .position(|l| l.text().starts_with("Kính gửi:"))
        .unwrap();
    assert!((lines[k].x0() - LEFT).abs() < 0.05);
    assert!((lines[k + 1].x0() - (LEFT + 25.0)).abs() < 0.05);
    let xml = document_xml(&r.docx);
    assert!(
        xml.contains(r#"<w:ind w:left="283" w:right="0" />"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:ind w:left="1417" w:right="0" w:hanging="1417" />"#));
    let lo = tempfile::tempdir().unwrap();
    same_pages_as_libreoffice(&r, lo.path());
}
