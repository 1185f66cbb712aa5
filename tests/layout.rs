//! The official layout (issue 3): every applicable check of format-spec §10 on the PDF and
//! the DOCX of both profiles — the Party reference record, a State record and a long one.

mod common;

use std::path::{Path, PathBuf};

use common::layout::{check_docx, check_pdf, check_same_text, Expect, Report};
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

/// The first text line of a page (without its page number), via pdftotext.
fn first_line(pdf: &Path, page: usize) -> String {
    let text = run_tool(
        std::process::Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg("-"),
    );
    text.lines()
        .map(normalise)
        .find(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_default()
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
    use vanthu::model::date::Date;
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
    let out = tempfile::tempdir().unwrap();
    let status = bin()
        .args(["bundle", "--month", "2022-11", "--out"])
        .arg(out.path())
        .arg(root().join("tests/fixtures/month-2022-11"))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let dir = out.path().join("2022-11");
    let pdf = dir.join("bao-cao-thang.pdf");
    let lo = tempfile::tempdir().unwrap();
    let theirs = libreoffice_pdf(&dir.join("bao-cao-thang.docx"), lo.path());
    let (n, m) = (pdf_pages(&pdf), pdf_pages(&theirs));
    assert!(n >= 8, "{n} pages");
    assert_eq!(n, m, "PDF {n} pages, LibreOffice {m}");
    for page in 1..=n {
        let (a, b) = (first_line(&pdf, page), first_line(&theirs, page));
        assert_eq!(
            a, b,
            "page {page} starts differently here and in LibreOffice"
        );
    }
}
