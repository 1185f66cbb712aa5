//! The official layout (issue 3): every applicable check of format-spec §10 on the PDF and
//! the DOCX of both profiles — the Party reference record, a State record and a long one.

use crate::common;

use std::path::{Path, PathBuf};

use common::layout::{check_docx, check_pdf, check_same_text, Expect, Report};
use common::pages::{assert_same_pages_as_libreoffice, first_line};
use common::words;
use common::*;

fn render_to(record: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    render_ok(record, dir.path());
    let stem = record.file_stem().unwrap().to_string_lossy().into_owned();
    let out = dir.path().join(stem);
    (dir, out)
}

fn run_checks(record: &Path, ex: Expect) -> Report {
    let (_dir, out) = render_to(record);
    let mut rep = Report::default();
    let pdf = out.join("thong-bao-ket-luan.pdf");
    let docx = out.join("thong-bao-ket-luan.docx");
    check_pdf(&pdf, &ex, &mut rep);
    check_docx(&docx, &ex, &mut rep);
    check_same_text(&pdf, &docx, &mut rep);
    if have("soffice") && have("pdfinfo") {
        let lo = tempfile::tempdir().unwrap();
        for stem in ["thong-bao-ket-luan", "tin-bai"] {
            let ours = pdf_pages(&out.join(format!("{stem}.pdf")));
            let theirs = pdf_pages(&libreoffice_pdf(
                &out.join(format!("{stem}.docx")),
                lo.path(),
            ));
            rep.check(42, ours == theirs, || {
                format!("{stem}: PDF {ours} pages, LibreOffice {theirs}")
            });
            // Page for page: each page starts with the same line.
            for page in 1..=ours.min(theirs) {
                let a = first_line(&out.join(format!("{stem}.pdf")), page);
                let b = first_line(&lo.path().join(format!("{stem}.pdf")), page);
                rep.check(42, a == b, || {
                    format!("{stem} page {page} starts with {a:?} here, {b:?} in LibreOffice")
                });
            }
        }
    }
    let failures = rep.failures();
    eprintln!(
        "{}: §10 checks passed: {:?} ({} of {})",
        record.display(),
        rep.passed(),
        rep.passed().len(),
        rep.results.len()
    );
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        record.display(),
        failures.join("\n")
    );
    rep
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/good").join(name)
}

#[test]
fn issue3_party_reference_notice_passes_every_applicable_check() {
    let rep = run_checks(&reference_record(), Expect::party());
    // Party: 13 (State issuer rule) and 36 (State recipients) do not apply.
    for n in [
        1, 2, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 31, 32,
        33, 34, 35, 37, 39, 40, 42,
    ] {
        assert!(rep.results.contains_key(&n), "check {n} did not run");
    }
}

#[test]
fn issue3_state_notice_passes_every_applicable_check() {
    let rep = run_checks(&fixture("xa-an-phu-2023-01-05.yaml"), Expect::state());
    for n in [
        1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 31, 32,
        33, 34, 35, 36, 39, 40, 42,
    ] {
        assert!(rep.results.contains_key(&n), "check {n} did not run");
    }
}

#[test]
fn issue3_forty_directives_give_a_multi_page_notice_that_stays_correct() {
    let rep = run_checks(&fixture("long-40-directives.yaml"), Expect::party());
    assert!(
        rep.results.contains_key(&9),
        "page numbers were not checked"
    );
    let (_d, out) = render_to(&fixture("long-40-directives.yaml"));
    let pages = pdf::read(&out.join("thong-bao-ket-luan.pdf"));
    assert!(pages.len() >= 3, "only {} pages", pages.len());
    // The closing block is on the last page, with body text above it.
    let last = pages.last().unwrap().text_lines();
    let label = last
        .iter()
        .position(|l| l.text() == "Nơi nhận:")
        .expect("closing on the last page");
    let body_above = last[..label]
        .iter()
        .filter(|l| l.size() == 14.0 && l.y() > 20.0)
        .count();
    assert!(
        body_above >= 2,
        "closing block stranded: {body_above} body lines above it"
    );
}

#[test]
fn issue3_dates_pad_days_and_only_months_one_and_two() {
    use vanthu::Date;
    for (d, want) in [
        ("2023-01-05", "ngày 05 tháng 01 năm 2023"),
        ("2023-03-07", "ngày 07 tháng 3 năm 2023"),
        ("2022-02-28", "ngày 28 tháng 02 năm 2022"),
    ] {
        assert_eq!(Date::parse(d).unwrap().written_out(), want);
        assert!(common::layout::date_line(&format!("An Phú, {want}")));
    }
    assert!(!common::layout::date_line(
        "An Phú, ngày 7 tháng 03 năm 2023"
    ));
}

#[test]
fn issue3_party_documents_before_hd36_get_a_warning_not_an_error() {
    // §10.41: a Party document dated before 2018-04-03 is flagged, and still renders.
    let dir = tempfile::tempdir().unwrap();
    let rec = std::fs::read_to_string(reference_record())
        .unwrap()
        .replace("date: 2022-11-10", "date: 2017-11-10")
        .replace("date: 2022-11-14", "date: 2017-11-14");
    let path = dir.path().join("old.yaml");
    std::fs::write(&path, rec).unwrap();
    let o = bin()
        .arg("render")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning") && stderr.contains("36-HD/VPTW"),
        "{stderr}"
    );
    assert!(stderr.contains("old.yaml:"), "{stderr}");
    assert!(dir.path().join("out/old/thong-bao-ket-luan.pdf").is_file());
}

/// The monthly report (a table of the sessions, then each session's conclusions) against
/// LibreOffice's rendering of its DOCX: the same pages, each starting with the same line.
/// Twelve records made by `benches/gen_records.py 12` (half Party, half State).
#[test]
fn issue4_monthly_report_matches_libreoffice_page_for_page() {
    if !have("soffice") || !have("pdfinfo") {
        return;
    }
    let (_out, dir) = bundle_month("month-2022-11");
    let pdf = dir.join("bao-cao-thang.pdf");
    assert!(pdf_pages(&pdf) >= 8, "{} pages", pdf_pages(&pdf));
    assert_same_pages_as_libreoffice(&pdf, &dir.join("bao-cao-thang.docx"));
}

/// `vanthu bundle` of a fixture folder for November 2022; the month's folder.
fn bundle_month(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["bundle", "--month", "2022-11", "--out"])
        .arg(out.path())
        .arg(root().join("tests/fixtures").join(fixture))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let dir = out.path().join("2022-11");
    (out, dir)
}

/// Issue 9, item 1: a closing block taller than a page (140 recipients) starts on a new page
/// and continues on the next ones, in the PDF as LibreOffice lays out the DOCX, and no
/// recipient is lost.
#[test]
fn issue9_closing_block_taller_than_a_page_continues_on_the_next_pages() {
    let (_dir, out) = render_to(&fixture("recipients-140.yaml"));
    let pdf = out.join("thong-bao-ket-luan.pdf");
    let text = normalise(&pdftotext_layout(&pdf));
    for i in 1..140 {
        assert!(
            text.contains(&format!("- Đảng ủy xã số {i} của huyện Hướng")),
            "recipient {i} is missing from the PDF"
        );
    }
    assert!(
        text.contains("- Lưu Văn phòng Huyện ủy."),
        "the last recipient"
    );
    if !have("soffice") || !have("pdfinfo") {
        return;
    }
    assert_same_pages_as_libreoffice(&pdf, &out.join("thong-bao-ket-luan.docx"));
}

/// Issue 9, items 1 and 11: the monthly report of 40 sessions has a table over several pages
/// whose header row repeats on each (`w:tblHeader` in the DOCX), and one row taller than a page
/// (a 500-place unit name) that continues across three pages. Same pages as LibreOffice.
#[test]
fn issue9_multi_page_table_with_a_row_taller_than_a_page_matches_libreoffice() {
    let (_out, dir) = bundle_month("month-2022-11-tall-row");
    let pdf = dir.join("bao-cao-thang.pdf");
    // Every word of the DOCX, in order, in the PDF (and inside the text block).
    let docx = std::fs::read(dir.join("bao-cao-thang.docx")).unwrap();
    let docx_words = words::docx_paragraphs(&docx);
    assert!(
        docx_words.iter().flatten().any(|w| w == "499"),
        "the tall row"
    );
    let setup = vanthu::internals::page_setup(vanthu::Format::Party.profile());
    let (pdf_words, pages) = words::pdf_words(&std::fs::read(&pdf).unwrap(), &setup).unwrap();
    // The header row, marked to repeat (item 11), is drawn again on each page.
    let xml = common::docx::part_of(&docx, "word/document.xml");
    let marked = xml.find("<w:tblHeader />").expect("a header row");
    let row = &xml[xml[..marked].rfind("<w:tr>").unwrap()..];
    let row = &row[..row.find("</w:tr>").unwrap()];
    let header: Vec<String> = common::docx::paragraphs(row)
        .iter()
        .flat_map(|p| {
            p.text
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(header.starts_with(&["STT".to_owned()]), "{header:?}");
    words::check_pdf("bao-cao-thang", &docx_words, pdf_words, &header).unwrap();
    assert!(pages >= 30, "{pages} pages");
    // The header row starts each page the table is on.
    for page in 2..=5 {
        assert!(
            first_line(&pdf, page).starts_with("STT Ngày Đơn vị"),
            "page {page}"
        );
    }
    if !have("soffice") || !have("pdfinfo") {
        return;
    }
    assert_same_pages_as_libreoffice(&pdf, &dir.join("bao-cao-thang.docx"));
}
