//! Issue 10: three documents in the shape of real published ones, each reproduced word for
//! word from a record with the built-in templates (no `--templates`, no triple-stash), read
//! back from the PDF (lopdf) and the DOCX XML.
//!
//! - R1 `r1-tin-xa-an-phu`: a commune news report starting "Vừa qua," with no byline;
//! - R2 `r2-tb-tinh-son-la`: a provincial notice whose conclusions have `I.` / `1.` / `a)` /
//!   `-` levels and a bold phrase (one `structured:` value);
//! - R3 `r3-tb-huyen-thuan-bac`: a district notice signed `TM. ỦY BAN NHÂN DÂN` /
//!   `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` whose recipients nest and end `- Lưu: VT, VP.`.
//!
//! Each `X.txt` beside the record is the document's text as published, one paragraph per line
//! (for R2 and R3: the body, between the title and the closing block).

use crate::common;

use std::path::PathBuf;

use common::*;

fn real(name: &str) -> PathBuf {
    root().join("tests/fixtures/real").join(name)
}

/// Renders `stem.yaml` and returns (PDF lines, DOCX paragraphs), both normalised.
fn render_real(stem: &str, template: &str) -> (Vec<String>, Vec<String>, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir").keep();
    render_ok(&real(&format!("{stem}.yaml")), &out);
    let dir = out.join(stem);
    let pages = pdf::read(&dir.join(format!("{template}.pdf")));
    let lines: Vec<String> = pdf::body_lines(&pages)
        .iter()
        .map(|l| normalise(l))
        .collect();
    let xml = docx::part(&dir.join(format!("{template}.docx")), "word/document.xml");
    let paras: Vec<String> = docx::paragraphs(&xml)
        .into_iter()
        .map(|p| normalise(&p.text))
        .filter(|t| !t.is_empty())
        .collect();
    (lines, paras, dir)
}

fn expected(stem: &str) -> Vec<String> {
    std::fs::read_to_string(real(&format!("{stem}.txt")))
        .expect("expected text")
        .lines()
        .map(normalise)
        .filter(|l| !l.is_empty())
        .collect()
}

/// `needle`'s paragraphs appear in `hay` one after the other.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_body(stem: &str, template: &str) -> (Vec<String>, Vec<String>, PathBuf) {
    let (lines, paras, dir) = render_real(stem, template);
    let want = expected(stem);
    assert!(
        contains_run(&paras, &want),
        "{stem}: the DOCX paragraphs do not hold the published text in order.\nDOCX: {paras:#?}\nwant: {want:#?}"
    );
    // The PDF's lines joined: the published text word for word, in order.
    let pdf_text = normalise(&lines.join(" "));
    let want_text = normalise(&want.join(" "));
    assert!(
        pdf_text.contains(&want_text),
        "{stem}: the PDF text does not hold the published text.\nPDF: {pdf_text}\nwant: {want_text}"
    );
    (lines, paras, dir)
}

/// The text of a DOCX paragraph's bold runs.
fn bold_text(paragraph_xml: &str) -> String {
    paragraph_xml
        .split("<w:r>")
        .skip(1)
        .filter(|run| {
            run.split("</w:rPr>")
                .next()
                .is_some_and(|props| props.contains("<w:b />"))
        })
        .filter_map(|run| {
            let start = run.find("<w:t")?;
            let text = &run[start..];
            let open = text.find('>')? + 1;
            let close = text.find("</w:t>")?;
            Some(text[open..close].to_string())
        })
        .collect()
}

#[test]
fn issue10_r1_news_report_starts_vua_qua_and_has_no_byline() {
    let (lines, paras, _) = assert_body("r1-tin-xa-an-phu", "tin-bai");
    // Word for word, nothing more: no byline, no date.
    assert_eq!(paras, expected("r1-tin-xa-an-phu"));
    assert_eq!(
        normalise(&lines.join(" ")),
        normalise(&expected("r1-tin-xa-an-phu").join(" "))
    );
}

#[test]
fn issue10_r2_provincial_notice_has_structured_levels_and_a_bold_phrase() {
    let (lines, _, dir) = assert_body("r2-tb-tinh-son-la", "thong-bao-ket-luan");
    let xml = docx::part(&dir.join("thong-bao-ket-luan.docx"), "word/document.xml");
    let paras = docx::paragraphs(&xml);
    // The bold phrase, and only it, is bold in its paragraph; the `I.` headings are bold.
    let p = paras
        .iter()
        .find(|p| p.text.contains("chủ động, quyết liệt"))
        .expect("the paragraph with the bold phrase");
    assert_eq!(bold_text(&p.xml), "chủ động, quyết liệt");
    for heading in [
        "I. ĐÁNH GIÁ CHUNG",
        "II. NHIỆM VỤ TRONG THỜI GIAN TỚI",
        "III. TỔ CHỨC THỰC HIỆN",
    ] {
        let h = paras.iter().find(|p| p.text == heading).expect(heading);
        assert_eq!(bold_text(&h.xml), heading, "{heading} is not bold");
    }
    for label in [
        "1. Về phát triển kinh tế",
        "a) Tập trung chỉ đạo",
        "- bảo đảm nước tưới",
        "b) Đẩy nhanh",
    ] {
        assert!(
            paras
                .iter()
                .any(|p| p.text.starts_with(label) && bold_text(&p.xml).is_empty()),
            "no upright paragraph starting {label:?}"
        );
    }
    let pages = pdf::read(&dir.join("thong-bao-ket-luan.pdf"));
    let bold_pdf: Vec<String> = pages
        .iter()
        .flat_map(|pg| pg.text_lines())
        .filter(|l| l.all_bold())
        .map(|l| l.text())
        .collect();
    assert!(
        bold_pdf.iter().any(|t| t == "I. ĐÁNH GIÁ CHUNG"),
        "{bold_pdf:?}"
    );
    for exact in [
        "TL. CHỦ TỊCH",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "- Lưu: VT, KT.",
    ] {
        assert!(
            lines.iter().any(|l| l == exact),
            "no line {exact:?}: {lines:#?}"
        );
    }
}

#[test]
fn issue10_r3_district_notice_signed_kt_chu_tich_with_luu_vt_vp() {
    let (lines, paras, dir) = assert_body("r3-tb-huyen-thuan-bac", "thong-bao-ket-luan");
    for exact in [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Hùng",
        "- Các phòng:",
        "+ Nông nghiệp và PTNT;",
        "+ Tài chính - Kế hoạch;",
        "- Lưu: VT, VP.",
        "ỦY BAN NHÂN DÂN",
        "HUYỆN THUẬN BẮC",
    ] {
        assert!(
            lines.iter().any(|l| l == exact),
            "PDF: no line {exact:?}: {lines:#?}"
        );
    }
    // The typed line breaks are line breaks in the DOCX too: one paragraph, two lines.
    assert!(
        paras
            .iter()
            .any(|p| p == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
        "{paras:#?}"
    );
    let xml = docx::part(&dir.join("thong-bao-ket-luan.docx"), "word/document.xml");
    let authority = docx::paragraphs(&xml)
        .into_iter()
        .find(|p| p.text.contains("TM. ỦY BAN NHÂN DÂN") && p.text.contains("KT. CHỦ TỊCH"))
        .expect("the authority paragraph");
    let br = authority.xml.find("<w:br");
    let (tm, kt) = (
        authority.xml.find("TM. ỦY BAN"),
        authority.xml.find("KT. CHỦ TỊCH"),
    );
    assert!(
        matches!((tm, br, kt), (Some(a), Some(b), Some(c)) if a < b && b < c),
        "no <w:br/> between the two authority lines: {}",
        authority.xml
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.as_str() == "- Lưu: VT, VP.")
            .count(),
        1
    );
}
