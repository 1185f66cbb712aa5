//! The monthly summary report (`bao-cao-thang`, issue 4): a table of the month's sessions
//! and a section per session, in PDF and DOCX.

mod common;

use std::path::Path;

use common::*;
use vanthu::env::Env;
use vanthu::model::load_file;
use vanthu::render::{self, RenderContext};

#[test]
fn issue4_monthly_report_has_a_session_table_and_each_sessions_conclusions() {
    let env = Env::new(None, None).unwrap();
    let a = load_file(&reference_record()).unwrap();
    let long = load_file(&root().join("tests/fixtures/good/long-40-directives.yaml")).unwrap();
    let records = vec![
        ("thuan-2022-11-10".to_string(), &a.record),
        ("long-40-directives".to_string(), &long.record),
    ];
    let doc = vanthu::report::month_report(&env, 2022, 11, &records)
        .unwrap()
        .expect("a report");
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let dir_keep = std::env::var("VANTHU_KEEP").ok();
    let mut files = Vec::new();
    for r in render::all() {
        let bytes = r.render(&doc, &ctx).unwrap();
        let base = dir_keep.as_deref().map(Path::new).unwrap_or(dir.path());
        let path = base.join(format!("bao-cao-thang.{}", r.extension()));
        std::fs::write(&path, bytes).unwrap();
        files.push(path);
    }
    let pages = pdf::read(&files[0]);
    let lines = pdf::body_lines(&pages);
    let text = normalise(&lines.join("\n"));
    assert!(text.contains("BÁO CÁO"));
    assert!(
        text.contains("kết quả các buổi làm việc tháng 11 năm 2022"),
        "{text}"
    );
    // The table: header cells and one row per session, as separate cells on one row.
    let p1 = pages[0].text_lines();
    let header = p1.iter().find(|l| l.text() == "STT").expect("table header");
    let row_cells: Vec<String> = p1
        .iter()
        .filter(|l| (l.y() - header.y()).abs() < 0.3)
        .map(|l| l.text())
        .collect();
    assert!(
        row_cells.contains(&"Ngày".to_string()) && row_cells.contains(&"Chủ trì".to_string()),
        "{row_cells:?}"
    );
    let rows: Vec<Vec<String>> = p1
        .iter()
        .filter(|l| l.text() == "10/11/2022")
        .map(|d| {
            p1.iter()
                .filter(|l| (l.y() - d.y()).abs() < 0.3)
                .map(|l| l.text())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let counts: Vec<&String> = rows.iter().filter_map(|r| r.last()).collect();
    assert_eq!(
        counts,
        ["40", "8"],
        "sessions sorted by date then file: {rows:?}"
    );
    assert!(rows
        .iter()
        .all(|r| r.contains(&"Nguyễn Tăng".to_string())
            && r.contains(&"Đảng ủy xã Thuận".to_string())));
    // Ruled: a line above the header, under it and under each row.
    let table_rules = pages[0]
        .lines
        .iter()
        .filter(|r| r.y >= header.y() - 8.0 && r.y <= header.y() + 20.0 && r.x1 - r.x0 > 150.0)
        .count();
    assert!(table_rules >= 4, "{table_rules} horizontal rules");
    // Each session's conclusions.
    assert!(text.contains("Buổi làm việc với Đảng ủy xã Thuận (ngày 10 tháng 11 năm 2022)"));
    assert!(text.contains("(8) Quan tâm công tác đào tạo"));
    assert!(text.contains("(40)"));
    // The number is left blank for the register.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Số \u{a0}") && l.ends_with("-BC/HU")),
        "{lines:?}"
    );
    // DOCX: same words, a real table.
    let xml = docx::part(&files[1], "word/document.xml");
    assert!(xml.contains("<w:tbl>") || xml.contains("<w:tbl "));
    let mut rep = layout::Report::default();
    layout::check_same_text(&files[0], &files[1], &mut rep);
    assert!(rep.failures().is_empty(), "{:?}", rep.failures());
    if have("soffice") && have("pdfinfo") {
        let lo = tempfile::tempdir().unwrap();
        assert_eq!(
            pdf_pages(&files[0]),
            pdf_pages(&libreoffice_pdf(&files[1], lo.path()))
        );
    }
}
