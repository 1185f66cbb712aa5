//! Renders a small hand-built notice and checks the package and the XML parts; streams long
//! documents and checks them against the whole-`Docx` build, byte for byte.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use zip::{CompressionMethod, DateTime, ZipArchive};

use super::blocks::{Builder, Item};
use super::{package, splice, DocxRenderer};
use crate::doc::model::{
    Align, Block, CellBlock, Columns, Document, PageNumberStyle, PageSetup, Paragraph, Rule, Run,
    Table as ModelTable,
};
use crate::doc::DocumentStream;
use crate::error::{Error, Result};
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
        left_indent: 0.0,
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
        left_indent: 0.0,
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

/// A paragraph or rule made for a `Columns` cell.
fn cell(b: Block) -> CellBlock {
    match b {
        Block::Para(p) => CellBlock::Para(p),
        Block::Rule(r) => CellBlock::Rule(r),
        other => unreachable!("not a cell block: {other:?}"),
    }
}

/// A header block with a rule, a title, two body paragraphs and a closing block.
fn sample() -> Document {
    let header = Columns {
        widths: vec![70.0, 95.0],
        rows: vec![
            vec![
                vec![
                    cell(para("ĐẢNG ỦY XÃ AN BÌNH", Align::Center, 14.0, true)),
                    cell(rule(30.0)),
                ],
                vec![
                    cell(para("ĐẢNG CỘNG SẢN VIỆT NAM", Align::Center, 15.0, true)),
                    cell(rule(60.0)),
                ],
            ],
            vec![
                vec![cell(para("Số: 12-TB/ĐU", Align::Center, 14.0, false))],
                vec![cell(para(
                    "An Bình, ngày 5 tháng 3 năm 2025",
                    Align::Center,
                    14.0,
                    false,
                ))],
            ],
        ],
        space_before_pt: 0.0,
        signing_spaces: Vec::new(),
    };
    let closing = Columns {
        widths: vec![80.0, 85.0],
        rows: vec![vec![
            vec![cell(para(
                "Nơi nhận:\n- Như trên;\n- Lưu\tVT.",
                Align::Left,
                12.0,
                false,
            ))],
            vec![
                cell(para("T/M ĐẢNG ỦY", Align::Center, 14.0, true)),
                cell(para("Nguyễn Văn An", Align::Center, 14.0, true)),
            ],
        ]],
        space_before_pt: 12.0,
        signing_spaces: Vec::new(),
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
                line_pitch_pt: 15.0,
            },
            first_page_footer: None,
            electronic_mark: None,
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
        pdf: Default::default(),
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
    // The header has two rows, the closing block one.
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
    // A render that fails half-way (columns that do not fit) must not shift the next one.
    let mut bad = sample();
    if let Some(Block::Columns(c)) = bad.blocks.last_mut() {
        c.widths = vec![0.0, 0.0];
    }
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
        pdf: Default::default(),
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

/// A ruled table of `rows` body rows, `space_before_pt` above it.
fn table(rows: usize, space_before_pt: f32) -> Block {
    let cell = |t: String| match para(&t, Align::Left, 13.0, false) {
        Block::Para(p) => p,
        _ => unreachable!("para() builds a paragraph"),
    };
    Block::Table(ModelTable {
        widths: vec![20.0, 100.0, 45.0],
        header: ["TT", "Nội dung", "Ghi chú"]
            .map(|t| cell(t.into()))
            .to_vec(),
        rows: (0..rows)
            .map(|i| {
                vec![
                    cell(format!("{i}")),
                    cell(format!("Việc {i}")),
                    cell(String::new()),
                ]
            })
            .collect(),
        padding: 1.5,
        border_pt: 0.5,
        space_before_pt,
        space_after_pt: 0.0,
    })
}

/// The text of body block `i` of [`long_doc`].
fn long_text(i: usize) -> String {
    format!("Đoạn {i}: kết luận <số {i}> & \"ý kiến\" của Đảng ủy.")
}

/// `n` blocks: mostly paragraphs, with rules, ruled tables (some adjacent to a two-column
/// block, one with space before) and a table at the very end.
fn long_block(i: usize, n: usize) -> Block {
    let columns = || {
        let Block::Columns(c) = sample().blocks[0].clone() else {
            unreachable!("the sample starts with columns")
        };
        Block::Columns(c)
    };
    match i {
        _ if i + 1 == n => table(2, 0.0),
        _ if i % 97 == 40 => columns(),
        _ if i % 97 == 41 => table(3, 6.0),
        _ if i % 97 == 42 => table(1, 0.0),
        _ if i % 31 == 7 => rule(40.0),
        _ => body(&long_text(i)),
    }
}

fn long_doc(n: usize) -> Document {
    Document {
        blocks: (0..n).map(|i| long_block(i, n)).collect(),
        ..sample()
    }
}

/// What the renderer wrote before it streamed: one docx-rs `Docx` holding the whole body,
/// packed and re-compressed.
fn render_whole(doc: &Document) -> Vec<u8> {
    let fonts = FontBook::builtin();
    let family = &fonts.docx_family;
    let date = package::rfc3339(0);
    let (mut docx, mut body) = Builder::new(&fonts).setup(&doc.page, &date).expect("setup");
    let mut items = Vec::new();
    let mut emit = |item| {
        items.push(item);
        Ok(())
    };
    for block in &doc.blocks {
        body.block(block, &mut emit).expect("block");
    }
    body.finish(&mut emit).expect("finish");
    let mut open: Option<docx_rs::Table> = None;
    for item in items {
        docx = match item {
            Item::Para(p) => docx.add_paragraph(*p),
            Item::Table(t) => docx.add_table(*t),
            Item::TableOpen(t) => {
                open = Some(*t);
                docx
            }
            Item::Row(r) | Item::HeaderRow(r) => {
                open = open.map(|t| t.add_row(*r));
                docx
            }
            Item::TableClose => docx.add_table(open.take().expect("an open table")),
            Item::SectionEnd(..) => panic!("no sections in this document"),
        };
    }
    let stored = splice::pack(docx).expect("pack");
    let sink = Cursor::new(Vec::new());
    package::recompress(&stored, &doc.meta_title, family, None, sink)
        .expect("recompress")
        .into_inner()
}

/// Streams `blocks` (produced one at a time, owned) with the sample's page setup.
fn render_stream(blocks: impl Iterator<Item = Result<Block>> + Send + 'static) -> Result<Vec<u8>> {
    let doc = sample();
    let stream = DocumentStream {
        kind: doc.kind,
        meta_title: doc.meta_title,
        page: doc.page,
        blocks: Box::new(blocks.map(|b| b.map(Cow::Owned))),
    };
    let fonts = FontBook::builtin();
    let ctx = RenderContext {
        fonts: &fonts,
        epoch: 0,
        pdf: Default::default(),
    };
    // A render that fails may have written part of the archive: callers write to a temp file
    // and keep it only when the render succeeds (`output.rs`, the bundle).
    let mut out = std::io::Cursor::new(Vec::new());
    DocxRenderer
        .render_to(stream, &ctx, &mut out)
        .map(|()| out.into_inner())
}

/// The text of each paragraph of the body outside tables, in order.
fn body_texts(xml: &str) -> Vec<String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut out, mut tables, mut cur, mut in_t) = (Vec::new(), 0, None::<String>, false);
    loop {
        match r.read_event().expect("document.xml is XML") {
            Event::Start(e) => match e.name().as_ref() {
                b"w:tbl" => tables += 1,
                b"w:p" if tables == 0 => cur = Some(String::new()),
                b"w:t" => in_t = true,
                _ => {}
            },
            Event::Text(t) if in_t => {
                if let Some(s) = cur.as_mut() {
                    s.push_str(&t.decode().expect("UTF-8"));
                }
            }
            Event::GeneralRef(g) if in_t => {
                if let Some(s) = cur.as_mut() {
                    let c = g.resolve_char_ref().expect("char ref");
                    s.push(c.unwrap_or_else(|| match &*g {
                        b"amp" => '&',
                        b"lt" => '<',
                        b"gt" => '>',
                        b"quot" => '"',
                        b"apos" => '\'',
                        other => panic!("entity {other:?}"),
                    }));
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:tbl" => tables -= 1,
                b"w:t" => in_t = false,
                b"w:p" if tables == 0 => out.extend(cur.take()),
                _ => {}
            },
            Event::Eof => return out,
            _ => {}
        }
    }
}

#[test]
fn streamed_bytes_match_the_whole_docx() {
    let mut tables = sample();
    // Adjacent tables, a table with space before, and a table last.
    tables.blocks.insert(1, table(2, 0.0));
    tables.blocks.insert(2, table(1, 8.0));
    tables.blocks.push(table(4, 0.0));
    let empty = Document {
        blocks: Vec::new(),
        ..sample()
    };
    for doc in [sample(), tables, empty, long_doc(600)] {
        let (streamed, whole) = (render(&doc, 0), render_whole(&doc));
        let zip = ZipArchive::new(Cursor::new(&streamed)).expect("zip");
        let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
        for name in names {
            // docx-rs cannot mark a header row; the streamed body does (`w:tblHeader`).
            let ours = part(&streamed, &name).replace("<w:tblHeader />", "");
            assert_eq!(
                ours,
                part(&whole, &name),
                "{name}, {} blocks",
                doc.blocks.len()
            );
        }
    }
}

/// Issue 9, item 11: the header row of a ruled table repeats on every page in Word and
/// LibreOffice as it does in the PDF; body rows are not header rows.
#[test]
fn issue9_table_header_row_repeats_on_every_page() {
    let mut doc = sample();
    doc.blocks.push(table(3, 0.0));
    let xml = part(&render(&doc, 0), "word/document.xml");
    assert_eq!(xml.matches("<w:tblHeader />").count(), 1, "{xml}");
    let table = &xml[xml.rfind("<w:tbl>").expect("a table")..];
    let first_row = &table[table.find("<w:tr>").expect("a row")..];
    let first_row = &first_row[..first_row.find("</w:tr>").expect("row end")];
    assert!(
        first_row.contains("<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"),
        "{first_row}"
    );
}

#[test]
fn long_stream_keeps_every_paragraph_in_order() {
    const N: usize = 4000;
    let bytes = render_stream((0..N).map(|i| Ok(long_block(i, N)))).expect("renders");
    assert_eq!(bytes, render(&long_doc(N), 0));
    let xml = part(&bytes, "word/document.xml");
    let expected: Vec<String> = (0..N)
        .filter_map(|i| match long_block(i, N) {
            Block::Para(p) => Some(p.text()),
            Block::Rule(_) => Some(String::new()),
            Block::Columns(_) | Block::Table(_) | Block::Boxed(_) | Block::Section(_) => None,
        })
        .collect();
    // Spacers (empty paragraphs after tables) aside, the body is every paragraph in order.
    let texts: Vec<String> = body_texts(&xml);
    let non_empty = |v: &[String]| {
        v.iter()
            .filter(|t| !t.is_empty())
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(non_empty(&texts), non_empty(&expected));
    assert!(non_empty(&texts).len() > N * 9 / 10);
    assert_eq!(
        texts.last().map(String::as_str),
        Some(""),
        "no spacer after the last table"
    );
    assert_eq!(xml.matches("<w:body>").count(), 1);
    assert_eq!(xml.matches("<w:sectPr>").count(), 1);
    assert!(xml
        .trim_end()
        .ends_with("</w:sectPr></w:body></w:document>"));
    assert!(!xml.contains("vanthu: the body goes here"));
    let tables = (0..N)
        .filter(|&i| matches!(long_block(i, N), Block::Columns(_) | Block::Table(_)))
        .count();
    assert!(tables > 100);
    assert_eq!(xml.matches("<w:tbl>").count(), tables);
    // Paragraph ids stay unique and sequential across the stream.
    let ids: Vec<&str> = xml
        .split("w14:paraId=\"")
        .skip(1)
        .map(|s| &s[..8])
        .collect();
    let first = u32::from_str_radix(ids[0], 16).expect("hex id");
    for (k, id) in ids.iter().enumerate() {
        assert_eq!(u32::from_str_radix(id, 16).ok(), Some(first + k as u32));
    }
}

#[test]
fn a_stream_error_is_the_render_error() {
    let blocks = (0..10).map(|i| match i {
        6 => Err(Error::Usage("record 6 cannot be read".into())),
        7.. => panic!("block {i} pulled after the error"),
        _ => Ok(body(&long_text(i))),
    });
    let err = render_stream(blocks).expect_err("the stream failed");
    assert!(
        matches!(err, Error::Usage(ref m) if m == "record 6 cannot be read"),
        "{err}"
    );
    // A bad block from a stream fails the same way.
    let unfit = Block::Columns(Columns {
        widths: vec![0.0, 0.0],
        ..match sample().blocks[0].clone() {
            Block::Columns(c) => c,
            _ => unreachable!("the sample starts with columns"),
        }
    });
    let err = render_stream([Ok(body("a")), Ok(unfit)].into_iter()).expect_err("unfit");
    assert!(err.to_string().contains("do not fit"), "{err}");
}

#[test]
fn a_missing_placeholder_is_an_error() {
    let fonts = FontBook::builtin();
    let (docx, _) = Builder::new(&fonts)
        .setup(&sample().page, "1970-01-01T00:00:00Z")
        .expect("setup");
    let stored = splice::pack(docx).expect("pack");
    let splice = splice::Splice::new(b"<w:p>not there</w:p>".to_vec(), |_, _| {
        panic!("the body is not written without the placeholder")
    });
    let sink = Cursor::new(Vec::new());
    let err = package::recompress(
        &stored,
        "t",
        "Times New Roman",
        Some(splice.completer()),
        sink,
    )
    .expect_err("no placeholder");
    assert!(err.to_string().contains("placeholder"), "{err}");
}

#[test]
fn a_later_section_copies_the_body_sect_pr_and_restarts_or_continues_the_numbers() {
    use crate::doc::model::SectionStart;
    let base = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:titlePg /></w:sectPr>"#;
    let of = |restart_numbering| {
        splice::section_properties(base, Some(SectionStart { restart_numbering })).expect("sectPr")
    };
    assert_eq!(splice::section_properties(base, None).expect("first"), base);
    assert_eq!(
        of(true),
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgNumType w:start="1" /><w:type w:val="nextPage" /><w:titlePg /></w:sectPr>"#
    );
    // Numbered on from the section before, its first page numbered too.
    assert_eq!(
        of(false),
        r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:type w:val="nextPage" /></w:sectPr>"#
    );
    let restart = Some(SectionStart {
        restart_numbering: true,
    });
    assert!(splice::section_properties("<w:p />", restart).is_err());
}

/// docx-rs is pinned (`=` in Cargo.toml) because its XML is patched as text: the body's
/// `w:sectPr` (splice.rs), a paragraph's `</w:pPr>` and a row's `</w:trPr>` (blocks.rs),
/// the `Normal` style and the core properties' end (package.rs). If an update writes any
/// of them otherwise, this fails, naming it.
#[test]
fn issue11_docx_rs_writes_the_markup_we_patch() {
    use docx_rs::{
        AlignmentType, BuildXML, Docx, Header, Paragraph, Run, Table, TableCell, TableRow,
    };
    let placeholder = Paragraph::new().add_run(Run::new().add_text("placeholder"));
    let docx = Docx::new()
        .page_size(11906, 16838)
        .header(Header::new().add_paragraph(Paragraph::new()))
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .add_paragraph(placeholder.clone());
    let stored = splice::pack(docx).expect("docx-rs packs");
    let document = part(&stored, "word/document.xml");
    let styles = part(&stored, "word/styles.xml");
    let core = part(&stored, "docProps/core.xml");
    let body_end = document
        .split_once(&String::from_utf8(placeholder.build()).expect("utf-8"))
        .map(|(_, tail)| tail.to_string())
        .unwrap_or_default();
    let para = String::from_utf8(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("x"))
            .build(),
    )
    .expect("utf-8");
    let cell = || TableCell::new().add_paragraph(Paragraph::new());
    let row = String::from_utf8(TableRow::new(vec![cell()]).cant_split().build()).expect("utf-8");
    let table =
        String::from_utf8(Table::new(vec![TableRow::new(vec![cell()])]).build()).expect("utf-8");
    let checks = [
        (
            "the placeholder once in document.xml",
            document.matches("placeholder").count() == 1,
        ),
        (
            "one <w:sectPr> after the body",
            body_end.matches("<w:sectPr>").count() == 1,
        ),
        ("its </w:sectPr>", body_end.contains("</w:sectPr>")),
        ("<w:titlePg /> in it", body_end.contains("<w:titlePg />")),
        ("no pgNumType in it", !body_end.contains("pgNumType")),
        (
            "</w:pPr> in a paragraph",
            para.matches("</w:pPr>").count() == 1,
        ),
        ("</w:trPr> in a row", row.matches("</w:trPr>").count() == 1),
        ("a row inside a table's XML", table.contains("<w:tr>")),
        (
            "the Normal style's empty run properties",
            styles.matches(package::NORMAL_RPR).count() == 1,
        ),
        (
            "</cp:coreProperties>",
            core.contains("</cp:coreProperties>"),
        ),
    ];
    let changed: Vec<&str> = checks
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(what, _)| *what)
        .collect();
    assert!(
        changed.is_empty(),
        "docx-rs writes its XML otherwise; update the text patches and the pin: {changed:?}"
    );
}
