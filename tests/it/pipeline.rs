//! End-to-end: the reference record through `vanthu render`, read back with lopdf, poppler,
//! the DOCX XML and LibreOffice (issue 2).

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;

/// Renders the reference record once per test binary.
fn reference_out() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        render_ok(&reference_record(), &dir);
        dir.join("thuan-2022-11-10")
    })
}

fn seed_normalised() -> String {
    normalise(&seed_text())
}

#[test]
fn issue2_tin_bai_pdf_text_read_with_lopdf_equals_the_seed() {
    let pages = pdf::read(&reference_out().join("tin-bai.pdf"));
    let lines = pdf::body_lines(&pages);
    assert_eq!(normalise(&lines.join("\n")), seed_normalised());
}

#[test]
fn issue2_tin_bai_pdftotext_layout_equals_the_seed() {
    if !have("pdftotext") {
        return;
    }
    let text = pdftotext_layout(&reference_out().join("tin-bai.pdf"));
    assert_eq!(normalise(&without_page_numbers(&text)), seed_normalised());
}

#[test]
fn issue2_tin_bai_docx_paragraph_text_equals_the_seed() {
    let xml = docx::part(&reference_out().join("tin-bai.docx"), "word/document.xml");
    let paras: Vec<String> = docx::paragraphs(&xml)
        .into_iter()
        .map(|p| p.text)
        .filter(|t| !t.trim().is_empty())
        .collect();
    let seed_paras: Vec<String> = seed_text()
        .split("\n\n")
        .map(normalise)
        .filter(|p| !p.is_empty())
        .collect();
    let ours: Vec<String> = paras.iter().map(|p| normalise(p)).collect();
    assert_eq!(ours, seed_paras);
}

#[test]
fn issue2_notice_has_header_number_date_title_directives_signature_recipients() {
    let pages = pdf::read(&reference_out().join("thong-bao-ket-luan.pdf"));
    let all = pdf::body_lines(&pages);
    let text = normalise(&all.join("\n"));
    for needle in [
        "ĐẢNG BỘ TỈNH QUẢNG TRỊ",
        "HUYỆN ỦY HƯỚNG HÓA",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 245-TB/HU",
        "Hướng Hóa, ngày 14 tháng 11 năm 2022",
        "THÔNG BÁO",
        "kết luận của Ban Thường vụ Huyện ủy tại buổi làm việc với Đảng ủy xã Thuận",
        "T/L BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
        "Lê Văn Minh",
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy (để báo cáo),",
        "- Các đồng chí Ủy viên Ban Thường vụ Huyện ủy,",
        "- Đảng ủy xã Thuận,",
        "- Lưu Văn phòng Huyện ủy.",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let record = std::fs::read_to_string(reference_record()).unwrap();
    let loaded = vanthu::load_str(Path::new("x.yaml"), &record).expect("loads");
    let directives = &loaded
        .record
        .session
        .conclusions
        .as_ref()
        .unwrap()
        .directives;
    assert_eq!(directives.len(), 8);
    for d in directives {
        let d = d.source();
        assert!(text.contains(&normalise(d)), "directive missing: {d}");
    }
    // The lines that must stand alone on their own line.
    for exact in [
        "Số 245-TB/HU",
        "THÔNG BÁO",
        "T/L BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
        "Lê Văn Minh",
    ] {
        assert!(
            all.iter().any(|l| l.trim() == exact),
            "no line is exactly {exact:?}"
        );
    }
}

#[test]
fn issue2_fonts_are_embedded_subset_and_named_with_unicode_maps() {
    for name in ["tin-bai.pdf", "thong-bao-ket-luan.pdf"] {
        let path = reference_out().join(name);
        let pages = pdf::read(&path);
        let fonts: std::collections::BTreeSet<String> = pages
            .iter()
            .flat_map(|p| p.spans.iter().map(|s| s.font.clone()))
            .collect();
        assert!(!fonts.is_empty());
        for f in &fonts {
            let (tag, real) = f
                .split_once('+')
                .unwrap_or_else(|| panic!("{f}: no subset tag"));
            assert!(
                tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "{f}"
            );
            assert!(real.starts_with("LiberationSerif"), "{f}");
        }
        // Every span decoded through a ToUnicode map: no replacement characters.
        assert!(pages
            .iter()
            .all(|p| p.spans.iter().all(|s| !s.text.contains('\u{FFFD}'))));
        if have("pdffonts") {
            let out = run_tool(std::process::Command::new("pdffonts").arg(&path));
            let rows: Vec<&str> = out.lines().skip(2).collect();
            assert!(!rows.is_empty());
            for row in rows {
                let cols: Vec<&str> = row.split_whitespace().collect();
                // name type... emb sub uni id gen
                let n = cols.len();
                assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{row}");
            }
        }
    }
}

#[test]
fn issue2_pdf_title_metadata_is_correct_unicode() {
    let doc = lopdf::Document::load(reference_out().join("thong-bao-ket-luan.pdf")).unwrap();
    let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_id).unwrap();
    let raw = info.get(b"Title").unwrap().as_str().unwrap();
    assert_eq!(&raw[..2], &[0xFE, 0xFF]);
    let units: Vec<u16> = raw[2..]
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&units).unwrap(),
        "THÔNG BÁO kết luận của Ban Thường vụ Huyện ủy tại buổi làm việc với Đảng ủy xã Thuận"
    );
    assert_eq!(
        info.get(b"CreationDate").unwrap().as_str().unwrap(),
        b"D:19700101000000Z"
    );
}

#[test]
fn issue2_libreoffice_opens_each_docx_with_the_pdf_page_count() {
    if !have("soffice") || !have("pdfinfo") {
        return;
    }
    let lo = tempfile::tempdir().unwrap();
    for stem in ["tin-bai", "thong-bao-ket-luan"] {
        let ours = pdf_pages(&reference_out().join(format!("{stem}.pdf")));
        let theirs = pdf_pages(&libreoffice_pdf(
            &reference_out().join(format!("{stem}.docx")),
            lo.path(),
        ));
        assert!(ours >= 1);
        assert_eq!(
            ours, theirs,
            "{stem}: our PDF has {ours} pages, LibreOffice's {theirs}"
        );
    }
}

#[test]
fn issue2_two_renders_are_byte_identical_and_honour_source_date_epoch() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    render_ok(&reference_record(), a.path());
    render_ok(&reference_record(), b.path());
    for f in [
        "tin-bai.pdf",
        "tin-bai.docx",
        "thong-bao-ket-luan.pdf",
        "thong-bao-ket-luan.docx",
    ] {
        let x = std::fs::read(a.path().join("thuan-2022-11-10").join(f)).unwrap();
        let y = std::fs::read(b.path().join("thuan-2022-11-10").join(f)).unwrap();
        assert!(x == y, "{f} differs between two renders");
    }
    let c = tempfile::tempdir().unwrap();
    let o = bin()
        .env("SOURCE_DATE_EPOCH", "1668384000")
        .args(["render"])
        .arg(reference_record())
        .arg("--out")
        .arg(c.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let pdf = std::fs::read(c.path().join("thuan-2022-11-10/tin-bai.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    assert_eq!(
        info.get(b"CreationDate").unwrap().as_str().unwrap(),
        b"D:20221114000000Z"
    );
    let core = docx::part(
        &c.path().join("thuan-2022-11-10/tin-bai.docx"),
        "docProps/core.xml",
    );
    assert!(core.contains("2022-11-14T00:00:00Z"), "{core}");
}

#[test]
fn issue2_a_bad_record_fails_with_exit_1_and_the_others_still_render() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(reference_record(), input.join("a-good.yaml")).unwrap();
    let bad = std::fs::read_to_string(reference_record())
        .unwrap()
        .replace("format: party", "format: partee");
    std::fs::write(input.join("b-bad.yaml"), bad).unwrap();
    let out = dir.path().join("out");
    let o = render(&input, &out);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("b-bad.yaml:9:9"), "{stderr}");
    assert!(stderr.contains("format"), "{stderr}");
    assert!(out.join("a-good/tin-bai.pdf").is_file());
    assert!(!out.join("b-bad").exists());
    // A usage error: exit 2.
    let o = bin().args(["render", "no/such/folder"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin().args(["render", "--bogus"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn issue2_templates_folder_overrides_one_template_and_adds_a_new_kind() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    std::fs::create_dir(&tpl).unwrap();
    std::fs::write(
        tpl.join("tin-bai.hbs"),
        "---\nlayout: news\nheadline: TIN RIÊNG {{upper session.counterpart}}\nbyline: {{doc.author}}\n---\nBản tin của văn phòng về {{session.topic}}.\n",
    )
    .unwrap();
    std::fs::write(
        tpl.join("bien-ban.hbs"),
        "---\nlayout: official\ntype: BIÊN BẢN\nabbr: BB\nrequires: number, date, signer\nsummary: buổi làm việc với {{session.counterpart}}\n---\nHôm nay, {{ngay session.date}}.\n",
    )
    .unwrap();
    let rec = std::fs::read_to_string(reference_record()).unwrap().replace(
        "  - template: thong-bao-ket-luan\n",
        "  - template: bien-ban\n    number: 7\n    date: 2022-11-10\n    signer:\n      authority: T/M BAN THƯỜNG VỤ\n      position: BÍ THƯ\n      name: Nguyễn Tăng\n  - template: thong-bao-ket-luan\n",
    );
    let rec_path = dir.path().join("rec.yaml");
    std::fs::write(&rec_path, rec).unwrap();
    let out = dir.path().join("out");
    let o = bin()
        .arg("render")
        .arg(&rec_path)
        .arg("--out")
        .arg(&out)
        .arg("--templates")
        .arg(&tpl)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = docx::part(&out.join("rec/tin-bai.docx"), "word/document.xml");
    let texts: Vec<String> = docx::paragraphs(&xml).into_iter().map(|p| p.text).collect();
    assert!(
        texts.iter().any(|t| t == "TIN RIÊNG ĐẢNG ỦY XÃ THUẬN"),
        "{texts:?}"
    );
    let bb = docx::part(&out.join("rec/bien-ban.docx"), "word/document.xml");
    let bb_texts: Vec<String> = docx::paragraphs(&bb).into_iter().map(|p| p.text).collect();
    assert!(bb_texts.iter().any(|t| t == "Số 07-BB/HU"), "{bb_texts:?}");
    assert!(bb_texts.iter().any(|t| t == "BIÊN BẢN"));
    // The built-in notice is still used.
    assert!(out.join("rec/thong-bao-ket-luan.pdf").is_file());
}

#[test]
fn issue2_record_values_print_literally() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "Tăng *cường* # 1. {{x}} <b> & [a](b) _c_ `d`";
    let rec = std::fs::read_to_string(reference_record())
        .unwrap()
        .replace(
            "topic: tình hình triển khai thực hiện nhiệm vụ năm 2022",
            &format!("topic: \"{hostile}\""),
        );
    let rec_path = dir.path().join("rec.yaml");
    std::fs::write(&rec_path, rec).unwrap();
    render_ok(&rec_path, &dir.path().join("out"));
    let xml = docx::part(
        &dir.path().join("out/rec/tin-bai.docx"),
        "word/document.xml",
    );
    let text: String = docx::paragraphs(&xml)
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains(&format!("về {hostile}. Đồng chí")), "{text}");
    let pages = pdf::read(&dir.path().join("out/rec/tin-bai.pdf"));
    let pdf_text: String = pages
        .iter()
        .flat_map(|p| p.text_lines())
        .map(|l| l.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        normalise(&pdf_text).contains(&format!("về {hostile}. Đồng chí")),
        "{pdf_text}"
    );
}

#[test]
fn issue2_fonts_folder_replaces_the_embedded_fonts_and_a_missing_face_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    for face in ["Regular", "Bold", "Italic"] {
        std::fs::copy(
            root().join(format!("fonts/LiberationSerif-{face}.ttf")),
            fonts.join(format!("Office-{face}.ttf")),
        )
        .unwrap();
    }
    let run = |out: &str| {
        bin()
            .arg("render")
            .arg(reference_record())
            .arg("--out")
            .arg(dir.path().join(out))
            .arg("--fonts")
            .arg(&fonts)
            .output()
            .unwrap()
    };
    let o = run("a");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("Office-BoldItalic.ttf"), "{stderr}");
    assert!(!dir.path().join("a").exists());
    std::fs::copy(
        root().join("fonts/LiberationSerif-BoldItalic.ttf"),
        fonts.join("Office-BoldItalic.ttf"),
    )
    .unwrap();
    let o = run("b");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = pdf::read(&dir.path().join("b/thuan-2022-11-10/tin-bai.pdf"));
    assert_eq!(
        normalise(&pdf::body_lines(&pages).join("\n")),
        seed_normalised()
    );
}
