//! Issue 10's rendering primitives, on documents built directly: forced line breaks, left and
//! hanging indents, boxed marks, section breaks that restart the page numbers, the first-page
//! footer. Each is read back from both files (lopdf, pdftotext, the DOCX XML) and, where
//! LibreOffice is installed, laid out page for page against LibreOffice's rendering of the DOCX.

use crate::common;

use std::path::{Path, PathBuf};

use common::pdf::{self, Page};
use common::*;
use vanthu::document::{
    Align, Block, Boxed, CellBlock, Columns, Document, Footer, PageNumberStyle, PageSetup,
    Paragraph, Run,
};
use vanthu::DocxRenderer;
use vanthu::FontBook;
use vanthu::PdfRenderer;
use vanthu::{RenderContext, Renderer};

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
            line_pitch_pt: 16.25,
        },
        first_page_footer: None,
        electronic_mark: None,
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
        pdf: Default::default(),
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

// ---------------------------------------------------------------------------------------
// 3. Boxed marks

fn urgency(text: &str, width: f32) -> Boxed {
    Boxed {
        para: Paragraph {
            space_before_pt: 0.0,
            line_pitch_pt: 15.0,
            ..para(text, Align::Center, 14.0, true)
        },
        width: Some(width),
        height: 8.0,
        border_pt: 0.75,
        space_before_pt: 6.0,
    }
}

/// The box's rectangle is the given size and centred in its column, the text centred in it;
/// inside a two-column cell too; the DOCX has a nested 1×1 table of exact height.
#[test]
fn boxed_marks_at_the_top_level_and_in_a_column_cell() {
    let left_width = 66.0;
    let header = Block::Columns(Columns {
        widths: vec![left_width, 165.0 - left_width],
        rows: vec![vec![
            vec![
                CellBlock::Para(para("Số: 12/UBND-VP", Align::Center, 13.0, false)),
                CellBlock::Boxed(urgency("THƯỢNG KHẨN", 40.0)),
            ],
            vec![CellBlock::Para(para(
                "Sơn La, ngày 05 tháng 01 năm 2023",
                Align::Center,
                14.0,
                false,
            ))],
        ]],
        space_before_pt: 0.0,
        signing_spaces: Vec::new(),
    });
    let free = Block::Boxed(Boxed {
        width: None,
        ..urgency("KHẨN", 20.0)
    });
    let r = render(
        "boxed",
        &document(vec![
            header,
            Block::Boxed(urgency("HỎA TỐC", 30.0)),
            free,
            Block::Para(body("Nội dung sau các ô.")),
        ]),
    );
    let pages = pdf::read(&r.pdf);
    let rects = &pages[0].rects;
    assert_eq!(rects.len(), 3, "{rects:?}");
    let lines = lines_of(&pages[0]);
    let check = |rect: &pdf::RectBox, text: &str, w: f32, centre: f32| {
        assert!(
            (rect.x1 - rect.x0 - w).abs() < 0.5,
            "{text}: width {}",
            rect.x1 - rect.x0
        );
        assert!((rect.y1 - rect.y0 - 8.0).abs() < 0.5, "{text}: height");
        assert!(
            ((rect.x0 + rect.x1) / 2.0 - centre).abs() < 0.3,
            "{text}: box not centred"
        );
        let l = line_with(&lines, text);
        assert!(l.all_bold());
        assert!(
            ((rect.x0 + rect.x1) / 2.0 - l.centre()).abs() < 0.3,
            "{text}: text not centred"
        );
        // The caps' middle (baseline less half the cap height) in the middle of the box.
        let cap_middle = l.y() - 0.66 * 14.0 * pdf::PT / 2.0;
        assert!(
            ((rect.y0 + rect.y1) / 2.0 - cap_middle).abs() < 0.6,
            "{text}: text at {cap_middle}, box {}–{}",
            rect.y0,
            rect.y1
        );
    };
    check(&rects[0], "THƯỢNG KHẨN", 40.0, LEFT + left_width / 2.0);
    check(&rects[1], "HỎA TỐC", 30.0, LEFT + TEXT_WIDTH / 2.0);
    let khan = FontBook::builtin().width_mm("KHẨN", true, false, 14.0);
    check(&rects[2], "KHẨN", khan + 4.0, LEFT + TEXT_WIDTH / 2.0);
    let xml = document_xml(&r.docx);
    // Three boxes: three tables of one exact-height row; one of them nested in a cell.
    assert_eq!(xml.matches(r#"w:hRule="exact""#).count(), 3, "{xml}");
    assert!(xml.contains(r#"<w:trHeight w:val="454" w:hRule="exact" />"#));
    assert_eq!(xml.matches(r#"<w:vAlign w:val="center" />"#).count(), 3);
    let nested = xml
        .find("<w:tc>")
        .and_then(|tc| xml[tc..].find("<w:tbl>"))
        .is_some();
    assert!(nested, "no table nested in a cell");
    let lo = tempfile::tempdir().unwrap();
    if let Some(theirs) = same_pages_as_libreoffice(&r, lo.path()) {
        // LibreOffice puts the texts where we do (±1 mm).
        for text in ["THƯỢNG KHẨN", "HỎA TỐC", "KHẨN", "Nội dung sau các ô."] {
            let ours = line_with(&lines, text);
            let lo_lines = bbox_lines(&theirs, 1);
            let (_, x0, _) = lo_lines
                .iter()
                .find(|(t, _, _)| t == text)
                .unwrap_or_else(|| panic!("{text} not in LibreOffice's page: {lo_lines:?}"));
            assert!(
                (ours.x0() - x0).abs() < 1.0,
                "{text}: x {} here, {x0} in LibreOffice",
                ours.x0()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// 4. Sections (appendices)

#[test]
fn an_appendix_section_restarts_the_page_numbers_in_both_files() {
    let mut blocks = Vec::new();
    for i in 0..45 {
        blocks.push(Block::Para(body(&format!(
            "Đoạn {i}: Ban Thường vụ Huyện ủy làm việc với Đảng ủy xã về tình hình triển khai \
             thực hiện nhiệm vụ năm 2022, kết luận và giao nhiệm vụ cụ thể cho từng cơ quan."
        ))));
    }
    let fonts = FontBook::builtin();
    let profile = vanthu::Format::State.profile();
    let content: Vec<Block> = (0..40)
        .map(|i| Block::Para(body(&format!("Mục {i} của phụ lục: nội dung chi tiết kèm theo báo cáo, được trình bày thành nhiều dòng để phụ lục dài hơn một trang."))))
        .collect();
    blocks.extend(vanthu::internals::appendix_blocks(
        Some("I"),
        "Danh mục các nhiệm vụ",
        "Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 01 năm 2023",
        content,
        profile,
        &fonts,
        TEXT_WIDTH,
    ));
    let r = render("appendix", &document(blocks));
    let pages = pdf::read(&r.pdf);
    // Which page starts the appendix, and the numbers drawn in the top margin.
    let numbers: Vec<Option<String>> = pages
        .iter()
        .map(|p| p.spans.iter().find(|s| s.y < 20.0).map(|s| s.text.clone()))
        .collect();
    let start = pages
        .iter()
        .position(|p| lines_of(p).iter().any(|l| l.text() == "Phụ lục I"))
        .expect("the appendix's first page");
    assert!(
        start >= 2 && pages.len() >= start + 2,
        "{} pages, appendix at {start}",
        pages.len()
    );
    let lines = lines_of(&pages[start]);
    assert_eq!(lines[0].text(), "Phụ lục I");
    assert_eq!(lines[1].text(), "DANH MỤC CÁC NHIỆM VỤ");
    assert!(lines[2].all_italic() && lines[2].text().starts_with("(Kèm theo"));
    assert_eq!(numbers[0], None);
    assert_eq!(numbers[1].as_deref(), Some("2"));
    assert_eq!(numbers[start], None, "{numbers:?}");
    assert_eq!(numbers[start + 1].as_deref(), Some("2"), "{numbers:?}");
    let xml = document_xml(&r.docx);
    assert_eq!(xml.matches("<w:sectPr>").count(), 2);
    assert_eq!(xml.matches(r#"<w:pgNumType w:start="1" />"#).count(), 1);
    assert_eq!(xml.matches("<w:titlePg />").count(), 2);
    let last = &xml[xml.rfind("<w:sectPr>").unwrap()..];
    assert!(last.contains(r#"<w:pgNumType w:start="1" />"#) && last.contains("nextPage"));
    let lo = tempfile::tempdir().unwrap();
    if let Some(theirs) = same_pages_as_libreoffice(&r, lo.path()) {
        // LibreOffice numbers the appendix from 1 (its first page unnumbered) too.
        assert_eq!(
            page_text_lines(&theirs, start + 1)
                .first()
                .map(String::as_str),
            Some("Phụ lục I")
        );
        assert_eq!(
            page_text_lines(&theirs, start + 2)
                .first()
                .map(String::as_str),
            Some("2")
        );
        assert_eq!(
            page_text_lines(&r.pdf, start + 2)
                .first()
                .map(String::as_str),
            Some("2")
        );
    }
}

// ---------------------------------------------------------------------------------------
// 5. The first page's footer (ô 13)

/// The footer is on page 1 only, under a rule across the text width, its last line 10 mm
/// above the paper's edge; three lines are taller than the bottom margin, so page 1's text
/// ends higher, and LibreOffice breaks the pages where we do.
#[test]
fn the_first_page_footer_is_on_page_1_only_under_a_full_width_rule() {
    let footer_line = |text: &str| Paragraph {
        space_before_pt: 0.0,
        line_pitch_pt: 13.0,
        ..para(text, Align::Center, 11.0, false)
    };
    let mut doc = document(
        (0..60)
            .map(|i| {
                Block::Para(body(&format!(
                    "Đoạn {i}: Ban Thường vụ Huyện ủy làm việc với Đảng ủy xã về tình hình triển \
                     khai thực hiện nhiệm vụ năm 2022, kết luận và giao nhiệm vụ cụ thể."
                )))
            })
            .collect(),
    );
    doc.page.first_page_footer = Some(Footer {
        paras: vec![
            footer_line("Địa chỉ: Số 1, đường Tô Hiệu, thành phố Sơn La, tỉnh Sơn La"),
            footer_line("Điện thoại: 0212.3852.000; Fax: 0212.3852.001"),
            footer_line("E-mail: vanphong@sonla.gov.vn; Website: www.sonla.gov.vn"),
        ],
        rule_pt: 0.75,
        from_bottom: 10.0,
    });
    let r = render("footer", &doc);
    let pages = pdf::read(&r.pdf);
    assert!(pages.len() >= 3);
    let first = lines_of(&pages[0]);
    let addr = line_with(
        &first,
        "Địa chỉ: Số 1, đường Tô Hiệu, thành phố Sơn La, tỉnh Sơn La",
    );
    let mail = line_with(
        &first,
        "E-mail: vanphong@sonla.gov.vn; Website: www.sonla.gov.vn",
    );
    assert!((addr.size() - 11.0).abs() < 0.01 && !addr.all_bold() && !addr.all_italic());
    // The last line's box ends 10 mm above the edge: its baseline a descent higher.
    let descent = 0.216 * 11.0 * pdf::PT;
    assert!(
        (297.0 - 10.0 - descent - mail.y()).abs() < 0.2,
        "{}",
        mail.y()
    );
    let rule = pages[0]
        .lines
        .iter()
        .find(|l| l.y > addr.y() - 10.0 && l.y < addr.y())
        .expect("a rule above the footer");
    assert!((rule.x0 - LEFT).abs() < 0.1 && (rule.x1 - (LEFT + TEXT_WIDTH)).abs() < 0.1);
    // Page 1's text ends above the rule.
    let body_bottom = first
        .iter()
        .filter(|l| l.text().starts_with("Đoạn") || l.size() == 14.0)
        .map(|l| l.y())
        .fold(0.0, f32::max);
    assert!(
        body_bottom < rule.y,
        "{body_bottom} under the rule at {}",
        rule.y
    );
    for p in &pages[1..] {
        assert!(!lines_of(p).iter().any(|l| l.text().starts_with("Địa chỉ")));
        assert!(p.lines.is_empty());
    }
    let footer_xml = common::docx::part(&r.docx, "word/footer1.xml");
    assert!(
        footer_xml.contains("<w:top w:val=\"single\""),
        "{footer_xml}"
    );
    let xml = document_xml(&r.docx);
    assert!(
        xml.contains(r#"<w:footerReference w:type="first""#),
        "{xml}"
    );
    assert!(xml.contains(r#"w:footer="567""#));
    let lo = tempfile::tempdir().unwrap();
    if let Some(theirs) = same_pages_as_libreoffice(&r, lo.path()) {
        let lo_lines = bbox_lines(&theirs, 1);
        assert!(lo_lines.iter().any(|(t, _, _)| t.starts_with("E-mail")));
        assert!(!page_text_lines(&theirs, 2)
            .iter()
            .any(|l| l.starts_with("Địa chỉ")));
    }
}

/// Issue 11: a size between whole points is drawn and measured at that size (the genpdf
/// engine drew at a whole number of points while it broke lines at the real size).
#[test]
fn issue11_fractional_font_sizes_are_drawn_at_their_size() {
    let text = "Cộng hòa xã hội chủ nghĩa Việt Nam";
    let doc = document(vec![Block::Para(para(text, Align::Left, 13.5, false))]);
    let r = render("fractional", &doc);
    let pages = pdf::read(&r.pdf);
    let span = pages[0]
        .spans
        .iter()
        .find(|s| s.text.trim() == text)
        .unwrap_or_else(|| panic!("{:?}", pages[0].spans));
    assert_eq!(span.size, 13.5);
    let fonts = FontBook::builtin();
    let expected = fonts.width_mm(text, false, false, 13.5);
    let at_13 = fonts.width_mm(text, false, false, 13.0);
    assert!(
        (span.x1 - span.x0 - expected).abs() < 0.05 && (expected - at_13) > 1.0,
        "drawn {} mm, measured {expected} mm at 13.5 pt ({at_13} at 13)",
        span.x1 - span.x0
    );
    assert!(document_xml(&r.docx).contains("<w:sz w:val=\"27\" />"));
}
