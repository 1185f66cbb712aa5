//! Issue 10: one record per NĐ 30 Phụ lục III form (and the Party kinds), each rendered to PDF
//! and DOCX, run through the format-spec §10 checks that apply to it, and compared with
//! LibreOffice page for page (the DOCX opened by LibreOffice has the PDF's pages, each page
//! starting and ending with the same line).

use crate::common;

use std::path::{Path, PathBuf};

use common::layout::{check_docx, check_pdf, check_same_text, Expect, Report};
use common::*;

fn form(name: &str) -> PathBuf {
    root().join("tests/fixtures/forms").join(name)
}

fn render_form(record: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    render_ok(record, dir.path());
    let stem = record
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = dir.path().join(stem);
    (dir, out)
}

/// The text lines of a page (pdftotext, normalised), without empty lines and page numbers.
fn page_lines(pdf: &Path, page: usize) -> Vec<String> {
    let text = run_tool(
        std::process::Command::new("pdftotext")
            .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(pdf)
            .arg("-"),
    );
    text.lines()
        .map(normalise)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// LibreOffice opens the DOCX with the PDF's page count, and every page starts and ends with
/// the same line.
fn same_pages_as_libreoffice(out: &Path, stem: &str, rep: &mut Report) {
    if !(have("soffice") && have("pdfinfo") && have("pdftotext")) {
        return;
    }
    let lo = tempfile::tempdir().expect("tempdir");
    let ours = out.join(format!("{stem}.pdf"));
    let theirs = libreoffice_pdf(&out.join(format!("{stem}.docx")), lo.path());
    let (a, b) = (pdf_pages(&ours), pdf_pages(&theirs));
    rep.check(42, a == b, || {
        format!("{stem}: PDF {a} pages, LibreOffice {b}")
    });
    for page in 1..=a.min(b) {
        let (x, y) = (page_lines(&ours, page), page_lines(&theirs, page));
        rep.check(42, x.first() == y.first() && x.last() == y.last(), || {
            format!(
                "{stem} page {page}: here {:?} … {:?}, LibreOffice {:?} … {:?}",
                x.first(),
                x.last(),
                y.first(),
                y.last()
            )
        });
    }
}

/// Renders a form record and checks each of its documents; returns the report.
fn check_form(record: &str, stems: &[&str], ex: impl Fn() -> Expect, official: bool) -> Report {
    let (_dir, out) = render_form(&form(record));
    let mut rep = Report::default();
    for stem in stems {
        let pdf = out.join(format!("{stem}.pdf"));
        let docx = out.join(format!("{stem}.docx"));
        assert!(
            pdf.is_file() && docx.is_file(),
            "{record}: no {stem}.pdf/.docx"
        );
        if official {
            check_pdf(&pdf, &ex(), &mut rep);
            check_docx(&docx, &ex(), &mut rep);
        }
        check_same_text(&pdf, &docx, &mut rep);
        same_pages_as_libreoffice(&out, stem, &mut rep);
    }
    eprintln!(
        "{record}: §10 checks passed: {:?} ({} of {})",
        rep.passed(),
        rep.passed().len(),
        rep.results.len()
    );
    let failures = rep.failures();
    assert!(failures.is_empty(), "{record}:\n{}", failures.join("\n"));
    rep
}

#[test]
fn issue10_mau_1_4_ke_hoach() {
    check_form(
        "mau-1-4-ke-hoach.yaml",
        &["ke-hoach"],
        || Expect::state().kind("KẾ HOẠCH"),
        true,
    );
}

#[test]
fn issue10_mau_1_7_giay_moi() {
    check_form(
        "mau-1-7-giay-moi.yaml",
        &["giay-moi"],
        || Expect::state().kind("GIẤY MỜI"),
        true,
    );
}

#[test]
fn issue10_mau_3_1_ban_sao() {
    check_form(
        "mau-3-1-ban-sao.yaml",
        &["thong-bao-ket-luan"],
        Expect::state,
        true,
    );
    // The copies: the copied text, then the copy block (§10 checks 47 and, new, 58).
    let (_dir, out) = render_form(&form("mau-3-1-ban-sao.yaml"));
    let original = pdf::body_lines(&pdf::read(&out.join("thong-bao-ket-luan.pdf")));
    for (stem, form_name, number) in [
        ("thong-bao-ket-luan-sao-y", "SAO Y", "Số: 07/SY-VP"),
        ("thong-bao-ket-luan-trich-sao", "TRÍCH SAO", "Số: 08/TrS-VP"),
    ] {
        let mut rep = Report::default();
        check_same_text(
            &out.join(format!("{stem}.pdf")),
            &out.join(format!("{stem}.docx")),
            &mut rep,
        );
        same_pages_as_libreoffice(&out, stem, &mut rep);
        let pages = pdf::read(&out.join(format!("{stem}.pdf")));
        let lines: Vec<_> = pages.iter().flat_map(|p| p.text_lines()).collect();
        let texts: Vec<String> = lines.iter().map(|l| normalise(&l.text())).collect();
        let at = |t: &str| texts.iter().position(|x| x == t);
        let form_at = at(form_name);
        rep.check(47, form_at.is_some_and(|i| lines[i].all_bold()), || {
            format!("{stem}: no bold {form_name:?} line")
        });
        rep.check(47, at(number).is_some(), || {
            format!("{stem}: no {number:?}")
        });
        rep.check(
            47,
            texts
                .iter()
                .any(|t| t == "Thuận Bắc, ngày 12 tháng 01 năm 2023"),
            || format!("{stem}: no copy date line"),
        );
        // 58: a rule across the whole text width (165 mm) above the copy block, on the same
        // page as the copy's form line.
        let page_of_form = pages.iter().position(|p| {
            p.text_lines()
                .iter()
                .any(|l| normalise(&l.text()) == form_name)
        });
        let full_rule = page_of_form.and_then(|i| {
            pages[i]
                .lines
                .iter()
                .find(|r| ((r.x1 - r.x0) - 165.0).abs() <= 1.0)
        });
        rep.check(58, full_rule.is_some(), || {
            format!("{stem}: no full-width rule on the copy block's page")
        });
        if stem.ends_with("sao-y") {
            // A SAO Y copy reproduces the original's every line, in order, before its block.
            let copied: Vec<String> = pdf::body_lines(&pages)
                .iter()
                .map(|l| normalise(l))
                .collect();
            let original: Vec<String> = original.iter().map(|l| normalise(l)).collect();
            rep.check(47, copied.starts_with(&original), || {
                format!("{stem}: the copied text differs from the original")
            });
        }
        let failures = rep.failures();
        assert!(failures.is_empty(), "{stem}:\n{}", failures.join("\n"));
    }
}

#[test]
fn issue10_party_ket_luan() {
    check_form(
        "party-ket-luan.yaml",
        &["ket-luan"],
        || Expect::party().kind("KẾT LUẬN"),
        true,
    );
}

#[test]
fn issue10_mau_1_5_cong_van_several_recipients() {
    check_form(
        "mau-1-5-cong-van.yaml",
        &["cong-van"],
        || Expect::state().letter(),
        true,
    );
}

#[test]
fn issue10_mau_1_5_cong_van_one_recipient() {
    check_form(
        "mau-1-5-cong-van-mot.yaml",
        &["cong-van"],
        || Expect::state().letter(),
        true,
    );
}

#[test]
fn issue10_mau_1_9_bien_ban() {
    check_form(
        "mau-1-9-bien-ban.yaml",
        &["bien-ban"],
        || {
            Expect::state()
                .kind("BIÊN BẢN")
                .minutes("THƯ KÝ", "CHỦ TỌA")
        },
        true,
    );
}

#[test]
fn issue10_party_bien_ban() {
    check_form(
        "party-bien-ban.yaml",
        &["bien-ban"],
        || {
            Expect::party()
                .kind("BIÊN BẢN")
                .minutes("THƯ KÝ HỘI NGHỊ", "CHỦ TRÌ HỘI NGHỊ")
        },
        true,
    );
}

/// Mẫu 2.1: two appendices after a report, each on new pages numbered on their own (check 57,
/// new): `Phụ lục I` bold and centred, its title in bold capitals, the "(Kèm theo …)" line in
/// italics, the second page of an appendix numbered 2; the DOCX restarts the numbering too.
#[test]
fn issue10_mau_2_1_phu_luc() {
    let record = form("mau-2-1-phu-luc.yaml");
    let (_dir, out) = render_form(&record);
    let mut rep = Report::default();
    let pdf_path = out.join("bao-cao.pdf");
    let docx_path = out.join("bao-cao.docx");
    check_same_text(&pdf_path, &docx_path, &mut rep);
    same_pages_as_libreoffice(&out, "bao-cao", &mut rep);
    let pages = pdf::read(&pdf_path);
    let starts: Vec<(usize, &str)> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let lines = p.text_lines();
            let first = lines.first()?;
            ["Phụ lục I", "Phụ lục II"]
                .into_iter()
                .find(|t| {
                    first.text() == *t && first.all_bold() && (first.centre() - 112.5).abs() <= 1.0
                })
                .map(|t| (i, t))
        })
        .collect();
    rep.check(57, starts.len() == 2, || {
        format!("appendix starts {starts:?}")
    });
    for (i, _) in &starts {
        let lines = pages[*i].text_lines();
        rep.check(
            57,
            lines
                .get(1)
                .is_some_and(|t| t.all_bold() && t.text().chars().all(|c| !c.is_lowercase())),
            || {
                format!(
                    "page {}: the title {:?}",
                    i + 1,
                    lines.get(1).map(|t| t.text())
                )
            },
        );
        rep.check(
            57,
            lines.get(2).is_some_and(|t| {
                t.all_italic()
                    && t.text()
                        .starts_with("(Kèm theo Báo cáo số 112/BC-UBND ngày 20 tháng 5 năm 2024")
            }),
            || {
                format!(
                    "page {}: the Kèm theo line {:?}",
                    i + 1,
                    lines.get(2).map(|t| t.text())
                )
            },
        );
    }
    // Each appendix's own page numbers: none on its first page, 2 on its second.
    if let Some((second_start, _)) = starts.get(1) {
        let next = pages.get(second_start + 1).map(|p| p.text_lines());
        let number = next.as_ref().and_then(|l| l.first()).map(|l| l.text());
        rep.check(57, number.as_deref() == Some("2"), || {
            format!("the second page of Phụ lục II is numbered {number:?}")
        });
    }
    let xml = docx::part(&docx_path, "word/document.xml");
    rep.check(
        57,
        xml.matches("<w:sectPr").count() == 3 && xml.contains("w:start=\"1\""),
        || "the DOCX has no section per appendix restarting at 1".into(),
    );
    let failures = rep.failures();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
