//! Renders a small hand-built notice and checks the package and the XML parts.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, DateTime, ZipArchive};

use super::DocxRenderer;
use crate::doc::model::{
    Align, Block, Columns, Document, PageNumberStyle, PageSetup, Paragraph, Rule, Run,
};
use crate::fonts::FontBook;
use crate::render::{RenderContext, Renderer};

fn para(text: &str, align: Align, size_pt: f32, bold: bool) -> Block {
    Block::Para(Paragraph {
        runs: vec![Run {
            text: text.into(),
            bold,
            ..Run::default()
        }],
        align,
        size_pt,
        first_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_pitch_pt: size_pt * 1.2,
        keep_with_next: false,
    })
}

fn body(text: &str) -> Block {
    Block::Para(Paragraph {
        runs: vec![
            Run::plain(text),
            Run {
                text: " nhấn mạnh".into(),
                italic: true,
                underline: true,
                ..Run::default()
            },
        ],
        align: Align::Justify,
        size_pt: 14.0,
        first_indent: 10.0,
        space_before_pt: 6.0,
        space_after_pt: 0.0,
        line_pitch_pt: 18.0,
        keep_with_next: false,
    })
}

fn rule(length: f32) -> Block {
    Block::Rule(Rule {
        length,
        thickness_pt: 0.5,
        space_before_pt: 2.0,
        space_after_pt: 4.0,
    })
}

/// A header block with a rule, a title, two body paragraphs and a closing block.
fn sample() -> Document {
    let header = Columns {
        left_width: 70.0,
        left: vec![
            para("ĐẢNG ỦY XÃ AN BÌNH", Align::Center, 14.0, true),
            rule(30.0),
            para("Số: 12-TB/ĐU", Align::Center, 14.0, false),
        ],
        right: vec![
            para("ĐẢNG CỘNG SẢN VIỆT NAM", Align::Center, 15.0, true),
            rule(60.0),
            para(
                "An Bình, ngày 5 tháng 3 năm 2025",
                Align::Center,
                14.0,
                false,
            ),
        ],
        align_last: true,
        space_before_pt: 0.0,
    };
    let closing = Columns {
        left_width: 80.0,
        left: vec![para(
            "Nơi nhận:\n- Như trên;\n- Lưu\tVT.",
            Align::Left,
            12.0,
            false,
        )],
        right: vec![
            para("T/M ĐẢNG ỦY", Align::Center, 14.0, true),
            para("Nguyễn Văn An", Align::Center, 14.0, true),
        ],
        align_last: false,
        space_before_pt: 12.0,
    };
    let mut title = para("THÔNG BÁO & KẾT LUẬN", Align::Center, 15.0, true);
    if let Block::Para(p) = &mut title {
        p.keep_with_next = true;
        p.space_before_pt = 18.0;
    }
    Document {
        kind: "thong-bao".into(),
        meta_title: "Thông báo <kết luận> & \"số\" 12".into(),
        page: PageSetup {
            width: 210.0,
            height: 297.0,
            margin_top: 20.0,
            margin_bottom: 20.0,
            margin_left: 30.0,
            margin_right: 15.0,
            page_number: PageNumberStyle {
                size_pt: 13.0,
                from_top: 10.0,
            },
        },
        blocks: vec![
            Block::Columns(header),
            title,
            body("Ngày 1 tháng 3 năm 2025, Ban Thường vụ Đảng ủy xã họp phiên thường kỳ."),
            body("Hội nghị thống nhất các nội dung sau."),
            Block::Columns(closing),
        ],
    }
}

fn render(doc: &Document, epoch: i64) -> Vec<u8> {
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch,
    };
    DocxRenderer.render(doc, &ctx).expect("renders")
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[test]
fn page_setup_and_header() {
    let bytes = render(&sample(), 0);
    let xml = part(&bytes, "word/document.xml");
    assert!(
        xml.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "{xml}"
    );
    assert!(
        xml.contains(
            r#"<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567""#
        ),
        "{xml}"
    );
    assert!(xml.contains("<w:titlePg />"), "{xml}");
    assert!(xml.contains(r#"<w:headerReference w:type="default""#));
    assert!(xml.contains(r#"<w:headerReference w:type="first""#));
    // The default header has the PAGE field at 13 pt; the first-page header has none.
    let headers: Vec<String> = ["word/header1.xml", "word/header2.xml"]
        .iter()
        .map(|n| part(&bytes, n))
        .collect();
    let with_page: Vec<&String> = headers
        .iter()
        .filter(|h| h.contains("<w:instrText>PAGE</w:instrText>"))
        .collect();
    assert_eq!(with_page.len(), 1);
    assert!(with_page[0].contains(r#"<w:sz w:val="26" />"#));
    assert!(with_page[0].contains(r#"<w:jc w:val="center" />"#));
    assert!(with_page[0].contains(r#"w:ascii="Times New Roman""#));
}

#[test]
fn paragraphs_runs_and_fonts() {
    let bytes = render(&sample(), 0);
    let xml = part(&bytes, "word/document.xml");
    assert!(xml.contains(r#"<w:jc w:val="both" />"#));
    assert!(xml.contains(r#"w:firstLine="567""#));
    assert!(
        xml.contains(r#"<w:spacing w:before="120" w:after="0" w:line="360" w:lineRule="exact" />"#)
    );
    assert!(xml.contains(r#"<w:sz w:val="28" /><w:szCs w:val="28" />"#));
    assert!(xml.contains(r#"<w:u w:val="single" />"#));
    assert!(xml.contains("<w:keepNext />"));
    assert!(xml.contains(r#"<w:widowControl w:val="1" />"#));
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(xml.contains("THÔNG BÁO &amp; KẾT LUẬN"));
    assert!(!xml.contains("w:numPr"));
    let fonts = r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" />"#;
    // Every run and every paragraph mark names the family.
    let runs: Vec<&str> = xml.split("<w:r>").skip(1).collect();
    assert!(runs.len() >= 12);
    for run in runs {
        assert!(
            run[..run.find("</w:r>").expect("run end")].contains(fonts),
            "{run}"
        );
    }
    assert_eq!(
        xml.matches("<w:p ").count(),
        xml.matches("<w:pPr><w:rPr><w:sz").count()
    );
    assert!(!xml.contains("rsid"));
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.matches(fonts).count() >= 2, "{styles}");
    assert!(!part(&bytes, "word/numbering.xml").contains("w:numPr"));
}

#[test]
fn rules_and_columns() {
    let xml = part(&render(&sample(), 0), "word/document.xml");
    // Header table: 70 mm + 95 mm = 165 mm text width; fixed, no borders, no margins.
    assert!(
        xml.contains(r#"<w:tblW w:w="9354" w:type="dxa" />"#),
        "{xml}"
    );
    assert!(xml
        .contains(r#"<w:gridCol w:w="3969" w:type="dxa" /><w:gridCol w:w="5385" w:type="dxa" />"#));
    assert!(xml.contains(r#"<w:tblLayout w:type="fixed" />"#));
    assert!(xml.contains(r#"<w:tblInd w:w="0" w:type="dxa" />"#));
    assert!(xml.contains("<w:cantSplit />"));
    assert_eq!(xml.matches("<w:tbl>").count(), 2);
    // align_last: the header has two rows, the closing block one.
    assert_eq!(xml.matches("<w:tr>").count(), 3);
    // Rule of 30 mm in a 70 mm cell: indents (3969 - 1701) / 2 = 1134.
    assert!(
        xml.contains(r#"<w:ind w:left="1134" w:right="1134" />"#),
        "{xml}"
    );
    // Rule of 60 mm in a 95 mm cell: (5385 - 3402) / 2 = 991.
    assert!(xml.contains(r#"<w:ind w:left="991" w:right="991" />"#));
    assert!(
        xml.contains(r#"<w:bottom w:val="single" w:space="0" w:sz="4" w:color="000000" />"#),
        "{xml}"
    );
    // Line feeds and tabs in runs.
    assert!(
        xml.contains(r#"Nơi nhận:</w:t><w:br w:type="textWrapping" /><w:t"#),
        "{xml}"
    );
    assert!(xml.contains(r#"Lưu</w:t><w:tab /><w:t xml:space="preserve">VT.</w:t>"#));
    // The document ends with a 1 pt spacer after the closing table.
    let tail = &xml[xml.rfind("</w:tbl>").expect("table")..];
    assert_eq!(tail.matches("<w:p ").count(), 1);
    assert!(tail.contains(r#"w:line="20" w:lineRule="exact""#));
    // Space before the closing table: 12 pt on the first paragraph of each cell.
    assert_eq!(xml.matches(r#"<w:spacing w:before="240" "#).count(), 2);
}

#[test]
fn package_is_deflated_fixed_and_reproducible() {
    let doc = sample();
    let a = render(&doc, 0);
    // A render that fails half-way (nested columns) must not shift the next one.
    let mut bad = sample();
    let nested = bad.blocks.clone();
    if let Some(Block::Columns(c)) = bad.blocks.last_mut() {
        c.right.push(nested[0].clone());
    }
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
    };
    assert!(DocxRenderer.render(&bad, &ctx).is_err());
    assert_eq!(a, render(&doc, 0), "a second render differs");
    let b = std::thread::spawn(move || render(&doc, 0))
        .join()
        .expect("thread");
    assert_eq!(a, b, "a render in another thread differs");
    let mut zip = ZipArchive::new(Cursor::new(&a[..])).expect("zip");
    let mut files = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).expect("entry");
        assert_eq!(entry.last_modified(), Some(DateTime::default()));
        assert!(entry.extra_data().is_none_or(|e| e.is_empty()));
        if !entry.is_dir() {
            assert_eq!(
                entry.compression(),
                CompressionMethod::Deflated,
                "{}",
                entry.name()
            );
            files += 1;
        }
    }
    assert!(files >= 10);
    assert!(a.len() < 12_000, "{} bytes", a.len());
}

#[test]
fn core_properties_from_epoch_and_title() {
    let core = part(&render(&sample(), 1_741_132_800), "docProps/core.xml");
    assert!(
        core.contains(">2025-03-05T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    assert!(core.contains(">2025-03-05T00:00:00Z</dcterms:modified>"));
    assert!(
        core.contains("<dc:title>Thông báo &lt;kết luận&gt; &amp; &quot;số&quot; 12</dc:title>")
    );
    let core0 = part(&render(&sample(), 0), "docProps/core.xml");
    assert!(core0.contains(">1970-01-01T00:00:00Z</dcterms:created>"));
    assert_eq!(super::package::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(super::package::rfc3339(-1), "1969-12-31T23:59:59Z");
}
