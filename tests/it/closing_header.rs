//! Issue 10, header and closing elements: the checks 48–55 and 59 of the design
//! (`docs/design/issue10-real-documents.md` §5) on the PDF (text positions read back) and the
//! DOCX XML, and LibreOffice page for page, for the records in `tests/fixtures/closing-header/`
//! rendered with the test templates in `tests/fixtures/closing-header/templates/`.

use crate::common;

use std::path::{Path, PathBuf};

use common::docx;
use common::pages::assert_same_pages_as_libreoffice;
use common::pdf::{self, TextLine, PT};
use common::*;

/// Left edge of the text block and the widths of the header and closing columns (mm).
const LEFT: f32 = 30.0;
const HEADER_LEFT: f32 = 66.0;
const CLOSING_LEFT: f32 = 70.0;

/// Renders a form fixture with the test templates; the output folder of the record.
fn render_form(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let record = root()
        .join("tests/fixtures/closing-header")
        .join(format!("{name}.yaml"));
    let out = bin()
        .arg("render")
        .arg(&record)
        .arg("--templates")
        .arg(root().join("tests/fixtures/closing-header/templates"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = dir.path().join(name);
    (dir, folder)
}

fn lines_of(pdf_path: &Path, page: usize) -> Vec<TextLine> {
    pdf::read(pdf_path)[page].text_lines()
}

fn line<'a>(lines: &'a [TextLine], text: &str) -> &'a TextLine {
    lines
        .iter()
        .find(|l| l.text().trim() == text)
        .unwrap_or_else(|| {
            panic!(
                "no line {text:?} in {:?}",
                lines.iter().map(TextLine::text).collect::<Vec<_>>()
            )
        })
}

fn starting<'a>(lines: &'a [TextLine], prefix: &str) -> &'a TextLine {
    lines
        .iter()
        .find(|l| l.text().trim().starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"))
}

fn docx_paras(docx_path: &Path) -> Vec<docx::DocxPara> {
    docx::paragraphs(&docx::part(docx_path, "word/document.xml"))
}

/// Check 49/50/51: the lines of one signature column share a centre axis (±1 mm), are bold,
/// and the name is at least 20 mm below the line above it.
fn assert_signature(lines: &[TextLine], texts: &[&str], name: &str) {
    let name_l = line(lines, name);
    let mut prev_y = 0.0;
    for t in texts {
        let l = line(lines, t);
        assert!(
            (l.centre() - name_l.centre()).abs() <= 1.0,
            "{t:?} centred at {:.1}, the name at {:.1}",
            l.centre(),
            name_l.centre()
        );
        assert!(l.all_bold(), "{t:?} is not bold");
        assert!(l.y() > prev_y, "{t:?} out of order");
        prev_y = l.y();
    }
    assert!(name_l.all_bold());
    assert!(
        name_l.y() - prev_y >= 20.0 || texts.len() > 2,
        "the name is {:.1} mm below the line above it",
        name_l.y() - prev_y
    );
}

fn lo_pages(folder: &Path, stem: &str) {
    if have("soffice") && have("pdfinfo") {
        assert_same_pages_as_libreoffice(
            &folder.join(format!("{stem}.pdf")),
            &folder.join(format!("{stem}.docx")),
        );
    }
}

/// Check 48 and 49: the minutes (Mẫu 1.9) have no date line in the State header; the
/// secretary signs on the left, the chair on the right, the names on one baseline; Nơi nhận
/// sits below the left signature.
#[test]
fn issue10_minutes_have_two_signers_and_no_date_line() {
    let (_dir, out) = render_form("bien-ban");
    let pdf_path = out.join("bien-ban.pdf");
    let pages = pdf::read(&pdf_path);
    let all: Vec<TextLine> = pages.iter().flat_map(|p| p.text_lines()).collect();
    assert!(
        !all.iter()
            .any(|l| common::layout::date_line(l.text().trim())),
        "a date line in the minutes"
    );
    let last = pages.len() - 1;
    let lines = lines_of(&pdf_path, last);
    let secretary = line(&lines, "THƯ KÝ");
    let chair = line(&lines, "CHỦ TỌA");
    assert!(
        secretary.centre() < LEFT + CLOSING_LEFT,
        "THƯ KÝ not on the left"
    );
    assert!(
        chair.centre() > LEFT + CLOSING_LEFT,
        "CHỦ TỌA not on the right"
    );
    assert!(
        (secretary.y() - chair.y()).abs() < 0.5,
        "captions not on one line"
    );
    assert_signature(&lines, &["THƯ KÝ"], "Lê Thị Hoa");
    assert_signature(&lines, &["CHỦ TỌA", "CHỦ TỊCH UBND XÃ"], "Trần Văn Bình");
    let (a, b) = (line(&lines, "Lê Thị Hoa"), line(&lines, "Trần Văn Bình"));
    assert!(
        (a.y() - b.y()).abs() < 0.5,
        "names {:.1} / {:.1}",
        a.y(),
        b.y()
    );
    let label = line(&lines, "Nơi nhận:");
    assert!(label.y() > a.y() && label.y() > b.y(), "Nơi nhận not below");
    assert!((label.x0() - LEFT).abs() < 1.0);
    assert_eq!(line(&lines, "- Lưu: VT, Hồ sơ.").size(), 11.0);
    // The DOCX closing table: a signatures row and a Nơi nhận row.
    let xml = docx::part(&out.join("bien-ban.docx"), "word/document.xml");
    let closing = &xml[xml.rfind("<w:tbl>").unwrap()..];
    assert_eq!(closing.matches("<w:tr>").count(), 2);
    lo_pages(&out, "bien-ban");
}

/// Checks 52 (placement), 53, 54 and 59 on a công văn (Mẫu 1.5): the number without a type
/// abbreviation, V/v 12 pt upright 6 pt under it in the left column, the urgency mark under
/// it, Kính gửi with the items aligned under the colon, the drafter line under the last
/// recipient.
#[test]
fn issue10_cong_van_has_vv_marks_kinh_gui_and_drafter() {
    let (_dir, out) = render_form("cong-van");
    let pdf_path = out.join("cong-van.pdf");
    let lines = lines_of(&pdf_path, 0);
    let number = line(&lines, "Số: 128/UBND-VP");
    let vv = starting(&lines, "V/v triển khai");
    assert_eq!(vv.size(), 12.0);
    assert!(
        !vv.all_bold() && !vv.all_italic(),
        "V/v is not upright regular"
    );
    assert!(
        vv.x1() <= LEFT + HEADER_LEFT + 0.5,
        "V/v outside the left column"
    );
    assert!(
        (vv.centre() - number.centre()).abs() < 1.0,
        "V/v not centred under the number"
    );
    // Check 54: the gap between the number's line and the V/v line is 6 pt (±1.5 pt, the
    // lines' own leading included).
    let gap = (vv.y() - 0.891 * 12.0 * PT) - (number.y() + 0.216 * 13.0 * PT);
    assert!(
        (gap / PT - 6.0).abs() <= 2.0,
        "V/v is {:.1} pt below the number",
        gap / PT
    );
    // No title block: no type-name line.
    assert!(!lines.iter().any(|l| l.text().trim() == "CÔNG VĂN"));
    // Check 52 (placement): the urgency mark under the V/v line, in the left column, caps bold.
    let urgent = line(&lines, "HỎA TỐC");
    assert!(urgent.y() > vv.y() && urgent.all_bold());
    assert!(urgent.x1() <= LEFT + HEADER_LEFT + 0.5);
    // Check 52 (box): HỎA TỐC in a stroked 30 × 8 mm rectangle (±1), the text centred in it.
    let page1 = &pdf::read(&pdf_path)[0];
    let bx = page1
        .rects
        .iter()
        .find(|r| {
            r.x0 <= urgent.x0() && r.x1 >= urgent.x1() && r.y0 <= urgent.y() && r.y1 >= urgent.y()
        })
        .expect("a box around HỎA TỐC");
    assert!(
        ((bx.x1 - bx.x0) - 30.0).abs() <= 1.0,
        "box {:.1} mm wide",
        bx.x1 - bx.x0
    );
    assert!(
        ((bx.y1 - bx.y0) - 8.0).abs() <= 1.0,
        "box {:.1} mm high",
        bx.y1 - bx.y0
    );
    assert!(((bx.x0 + bx.x1) / 2.0 - urgent.centre()).abs() < 0.5);
    // ô 13: the address at the foot of page 1, 11 pt upright, under a rule across the text
    // width.
    let addr = starting(&lines, "Địa chỉ: Thôn Ba Tháp");
    assert_eq!(addr.size(), 11.0);
    assert!(addr.y() > 265.0, "address at {:.1} mm", addr.y());
    let foot_rule = page1
        .lines
        .iter()
        .find(|h| h.y < addr.y() && h.y > addr.y() - 10.0)
        .expect("the rule above the address");
    assert!(((foot_rule.x1 - foot_rule.x0) - 165.0).abs() <= 1.0);
    // Check 59: Kính gửi with three items aligned under the colon, 14 pt upright.
    let label = line(&lines, "Kính gửi:");
    let items: Vec<&TextLine> = [
        "- Ủy ban nhân dân các xã, thị trấn;",
        "- Phòng Nông nghiệp và Phát triển nông thôn;",
        "- Hợp tác xã nông nghiệp An Phú.",
    ]
    .iter()
    .map(|t| line(&lines, t))
    .collect();
    for i in &items {
        assert_eq!(i.size(), 14.0);
        assert!(!i.all_bold() && !i.all_italic());
        assert!((i.x0() - items[0].x0()).abs() < 0.3, "items not aligned");
        assert!(
            i.x0() >= label.x1() - 0.5,
            "an item starts before the colon"
        );
        assert!(i.x0() - label.x1() < 3.0, "an item far from the colon");
    }
    assert!(label.y() > urgent.y() && items[0].y() > label.y());
    // Check 53: the drafter line, 11 pt upright, flush left, right under `- Lưu: VT, VP.`.
    let pages = pdf::read(&pdf_path);
    let last = pages[pages.len() - 1].text_lines();
    let lưu = line(&last, "- Lưu: VT, VP.");
    let drafter = line(&last, "PL.(30)");
    assert_eq!(drafter.size(), 11.0);
    assert!(!drafter.all_bold() && !drafter.all_italic());
    assert!((drafter.x0() - LEFT).abs() < 0.5);
    let pitch = drafter.y() - lưu.y();
    assert!(
        (3.5..=5.5).contains(&pitch),
        "drafter {pitch:.1} mm under Lưu"
    );
    // The DOCX: the same lines, the items indented by the label's width.
    let paras = docx_paras(&out.join("cong-van.docx"));
    assert!(paras
        .iter()
        .any(|p| p.text.replace('\n', " ")
            == "V/v triển khai kết luận của Chủ tịch Ủy ban nhân dân xã"));
    let item = paras
        .iter()
        .find(|p| p.text == "- Ủy ban nhân dân các xã, thị trấn;")
        .expect("item");
    assert!(item.xml.contains("w:left="), "{}", item.xml);
    assert!(paras.iter().any(|p| p.text == "PL.(30)"));
    lo_pages(&out, "cong-van");
}

/// Check 59 with one recipient: `Kính gửi: X` on one line; the công văn number with the unit.
#[test]
fn issue10_one_recipient_is_one_kinh_gui_line() {
    let (_dir, out) = render_form("cong-van-one");
    let lines = lines_of(&out.join("cong-van.pdf"), 0);
    line(&lines, "Số: 07/UBND-VX");
    let k = line(&lines, "Kính gửi: Sở Nông nghiệp và Phát triển nông thôn");
    assert_eq!(k.size(), 14.0);
    assert!(!k.all_bold() && !k.all_italic());
    let c = (LEFT + 195.0) / 2.0;
    assert!((k.centre() - c).abs() < 1.0, "Kính gửi not centred");
    // `address: false`: no ô 13 although the issuer has an address.
    assert!(!lines.iter().any(|l| l.text().contains("Thôn Ba Tháp")));
}

/// Checks 50, 51 and 55 on a UBND notice: `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` typed as
/// two lines, `PHÓ CHỦ TỊCH`, the other title between the signature space and the name, all
/// on one axis; nested recipients at a 5 mm indent with a hanging continuation.
#[test]
fn issue10_ubnd_notice_signature_and_nested_recipients() {
    let (_dir, out) = render_form("ubnd-notice");
    let pdf_path = out.join("thong-bao-ket-luan.pdf");
    let pages = pdf::read(&pdf_path);
    let lines = pages[pages.len() - 1].text_lines();
    assert_signature(
        &lines,
        &[
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Ủy viên Ban Thường vụ Huyện ủy",
        ],
        "Nguyễn Văn An",
    );
    // Check 51: the signature space lies between the position and the other title.
    let pos = line(&lines, "PHÓ CHỦ TỊCH");
    let other = line(&lines, "Ủy viên Ban Thường vụ Huyện ủy");
    let name = line(&lines, "Nguyễn Văn An");
    assert!(other.y() - pos.y() >= 20.0, "no signature space above ô 7b");
    assert!(name.y() - other.y() < 8.0, "ô 7b not right above the name");
    // Nested recipients: `+` at 5 mm (±0.5), the continuation under the item's text.
    let plus = starting(&lines, "+ Đồng chí Bí thư");
    assert!(
        (plus.x0() - (LEFT + 5.0)).abs() <= 0.5,
        "+ at {:.1}",
        plus.x0() - LEFT
    );
    let cont = starting(&lines, "Hội đồng nhân dân huyện;");
    assert!(cont.x0() > plus.x0() + 1.0 && cont.x0() < plus.x0() + 4.0);
    let top = starting(&lines, "- Thường trực Huyện ủy:");
    assert!((top.x0() - LEFT).abs() < 0.5);
    line(&lines, "TH.(15)");
    // Check 55 in the DOCX: the typed break is a line break in the authority paragraph.
    let paras = docx_paras(&out.join("thong-bao-ket-luan.docx"));
    assert!(paras
        .iter()
        .any(|p| p.text == "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"));
    let nested = paras
        .iter()
        .find(|p| p.text.starts_with("+ Đồng chí Bí thư"))
        .expect("nested item");
    assert!(nested.xml.contains("w:hanging="), "{}", nested.xml);
    lo_pages(&out, "thong-bao-ket-luan");
}

/// Check 55 and balanced wrapping: a 72-character issuer name breaks at natural points in
/// both files, never inside a word group; the typed break in the parent is kept; the rule
/// under the name follows its widest line.
#[test]
fn issue10_long_issuer_name_wraps_in_balanced_lines() {
    let (_dir, out) = render_form("long-name");
    let pdf_path = out.join("thong-bao-ket-luan.pdf");
    let page = &pdf::read(&pdf_path)[0];
    let lines = page.text_lines();
    let expected = [
        "ỦY BAN NHÂN DÂN",
        "TỈNH NINH THUẬN",
        "BAN CHỈ ĐẠO THỰC HIỆN",
        "CÁC CHƯƠNG TRÌNH",
        "MỤC TIÊU QUỐC GIA",
        "HUYỆN THUẬN BẮC",
    ];
    let mut widest: f32 = 0.0;
    for t in expected {
        let l = starting(&lines, t);
        assert!(
            l.x1() <= LEFT + HEADER_LEFT + 0.5,
            "{t:?} outside the column"
        );
        assert!(
            (l.centre() - (LEFT + HEADER_LEFT / 2.0)).abs() < 1.0,
            "{t:?} not centred in the column"
        );
        if t != expected[0] && t != expected[1] {
            widest = widest.max(l.x1() - l.x0());
            assert!(l.all_bold());
        }
    }
    // The rule under the name: 0.4 × its widest line (±1 mm).
    let name_bottom = line(&lines, "HUYỆN THUẬN BẮC").y();
    let rule = page
        .lines
        .iter()
        .find(|h| h.x1 <= LEFT + HEADER_LEFT + 1.0 && h.y > name_bottom && h.y < name_bottom + 8.0)
        .expect("the rule under the name");
    assert!(
        ((rule.x1 - rule.x0) - 0.4 * widest).abs() <= 1.0,
        "rule {:.1} mm, widest line {widest:.1} mm",
        rule.x1 - rule.x0
    );
    // The DOCX has the same breaks.
    let paras = docx_paras(&out.join("thong-bao-ket-luan.docx"));
    assert!(paras
        .iter()
        .any(|p| p.text == "ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN"));
    assert!(paras
        .iter()
        .any(|p| p.text
            == "BAN CHỈ ĐẠO THỰC HIỆN\nCÁC CHƯƠNG TRÌNH\nMỤC TIÊU QUỐC GIA\nHUYỆN THUẬN BẮC"));
    lo_pages(&out, "thong-bao-ket-luan");
}
