//! Issue 12: `render --signing-fields` gives the PDF the signature fields of the field
//! contract (`person-N`, `organisation`, `electronic`), read back with lopdf and placed
//! against the word boxes `pdftotext -bbox` finds, for every document kind of both profiles;
//! and the fields move nothing: the page contents, the word boxes and the DOCX are the same
//! with and without the flag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lopdf::Document;
use vanthu::document::{Block, CellBlock, Document as Model};
use vanthu::{documents_for, Env};

use crate::common::{self, bin, have, root};

mod read;

pub use read::{fields, word_boxes, Field, WordBox};

/// Millimetres to points as the renderer converts them.
pub const PT_PER_MM: f32 = 2.834_646;

/// Records that hold every document kind of both profiles: the reference record (party:
/// notice, news), the State commune record, and the forms of NĐ 30 Phụ lục III (plan, two
/// letters, invitation, minutes, report with an appendix, a copy in three forms) and the
/// party minutes and conclusions.
pub fn records() -> Vec<PathBuf> {
    let mut out = vec![
        common::reference_record(),
        root().join("tests/fixtures/good/xa-an-phu-2023-01-05.yaml"),
        // A closing block taller than a page: the signature column flows on line by line.
        root().join("tests/fixtures/good/recipients-140.yaml"),
    ];
    let mut forms: Vec<PathBuf> = common::walk(&root().join("tests/fixtures/forms"));
    forms.sort();
    out.extend(forms);
    out
}

/// `vanthu render RECORDS --out OUT FLAGS…`, which must succeed.
pub fn render_with(records: &[PathBuf], out: &Path, flags: &[&str]) {
    let o = bin()
        .arg("render")
        .args(records)
        .arg("--out")
        .arg(out)
        .args(flags)
        .output()
        .expect("run vanthu");
    assert!(
        o.status.success(),
        "render {flags:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every record's documents (the model), with the stem of the record's output folder.
pub fn models(records: &[PathBuf]) -> Vec<(String, Model)> {
    let env = Env::new(None, None).expect("env");
    let mut out = Vec::new();
    for r in records {
        let stem = r.file_stem().unwrap().to_string_lossy().into_owned();
        let (_, docs) = documents_for(&env, r).unwrap_or_else(|d| panic!("{r:?}: {d:?}"));
        out.extend(docs.into_iter().map(|d| (stem.clone(), d)));
    }
    out
}

/// What the model says a document's fields are: person-N for each signing space (with the
/// paragraph above it and the paragraph that carries it), electronic with its lines.
struct Expected {
    persons: BTreeMap<usize, (String, String)>,
    electronic: Option<String>,
}

fn expected(model: &Model) -> Expected {
    let mut persons = BTreeMap::new();
    for b in &model.blocks {
        let Block::Columns(c) = b else { continue };
        for s in &c.signing_spaces {
            let cell = &c.rows[s.row][s.column];
            let text = |i: usize| match &cell[i] {
                CellBlock::Para(p) => p.text(),
                other => panic!("not a paragraph: {other:?}"),
            };
            let above = if s.block > 0 {
                text(s.block - 1)
            } else {
                String::new()
            };
            persons.insert(s.signer, (above, text(s.block)));
        }
    }
    let electronic = model
        .page
        .electronic_mark
        .as_ref()
        .map(|m| m.lines.join("\n"));
    Expected {
        persons,
        electronic,
    }
}

const TOL: f32 = 0.05;

/// person-N lies across its column between the word boxes of the line above (the position)
/// and the paragraph below (the name, or the other title): nothing of the column inside it.
fn check_person(f: &Field, words: &[WordBox], page_h: f32, above: &str, below: &str) {
    let (top, bottom) = (page_h - f.rect[3], page_h - f.rect[1]);
    let column: Vec<&WordBox> = words
        .iter()
        .filter(|w| (w.x0 + w.x1) / 2.0 > f.rect[0] && (w.x0 + w.x1) / 2.0 < f.rect[2])
        .collect();
    for w in &column {
        assert!(
            w.y1 <= top + TOL || w.y0 >= bottom - TOL,
            "{}: word {w:?} inside [{top}, {bottom}]",
            f.name
        );
    }
    let line_at = |pick: &dyn Fn(&WordBox) -> bool| -> String {
        column
            .iter()
            .filter(|w| pick(w))
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let under = line_at(&|w| w.y0 >= bottom - TOL && w.y0 < bottom + 2.0);
    let over = line_at(&|w| w.y1 <= top + TOL && w.y1 > top - 2.0);
    let first_below = below.lines().next().unwrap_or_default();
    let first_below = common::normalise(first_below);
    assert!(
        !under.is_empty() && first_below.starts_with(&under) || under.starts_with(&first_below),
        "{}: under the field `{under}`, expected the line `{first_below}`",
        f.name
    );
    let last_above = common::normalise(above);
    let last_word = last_above.split(' ').next_back().unwrap_or_default();
    assert!(
        !over.is_empty() && over.ends_with(last_word),
        "{}: over the field `{over}`, expected the end of `{last_above}`",
        f.name
    );
}

/// The fields of one PDF against its model.
fn check_document(pdf: &Path, model: &Model, poppler: bool) {
    let doc = Document::load(pdf).unwrap();
    let fields = fields(&doc);
    let exp = expected(model);
    let mut names: Vec<String> = exp.persons.keys().map(|n| format!("person-{n}")).collect();
    if exp.persons.contains_key(&1) {
        names.push("organisation".into());
    }
    if exp.electronic.is_some() {
        names.push("electronic".into());
    }
    let got: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    assert_eq!(got, names, "{pdf:?}: the fields, in the form's order");
    let setup = &model.page;
    let (page_w, page_h) = (setup.width * PT_PER_MM, setup.height * PT_PER_MM);
    let by_name: BTreeMap<&str, &Field> = fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let boxes = poppler.then(|| word_boxes(pdf).0);
    for (n, (above, below)) in &exp.persons {
        let f = by_name[format!("person-{n}").as_str()];
        if let Some(pages) = &boxes {
            check_person(f, &pages[f.page - 1], page_h, above, below);
        }
    }
    if let Some(p1) = by_name.get("person-1") {
        let o = by_name["organisation"];
        let want = [
            (p1.rect[0] - 30.0 * PT_PER_MM).max(0.0),
            (p1.rect[1] - 10.0 * PT_PER_MM).max(0.0),
            p1.rect[2],
            (p1.rect[3] + 10.0 * PT_PER_MM).min(page_h),
        ];
        for (g, w) in o.rect.iter().zip(want) {
            assert!(
                (g - w).abs() < 0.05,
                "{pdf:?}: organisation {:?} ≠ {want:?}",
                o.rect
            );
        }
        assert_eq!(o.page, p1.page);
    }
    if let Some(lines) = &exp.electronic {
        let e = by_name["electronic"];
        assert_eq!(e.page, 1);
        assert_eq!(e.tu.as_deref(), Some(lines.as_str()), "{pdf:?}: /TU");
        let right = page_w - setup.margin_right * PT_PER_MM;
        assert!(
            (e.rect[2] - right).abs() < 0.05,
            "{pdf:?}: {:?} at the right margin {right}",
            e.rect
        );
        assert!((e.rect[2] - e.rect[0] - 90.0 * PT_PER_MM).abs() < 0.05);
        // 14 mm, or what its lines and the signing time need at 10 pt (a copy: 17.4 mm).
        let n = lines.split('\n').count() + 1;
        let need = ((2.0 + 10.0 * (1.12 + 1.2 * (n - 1) as f32)) / PT_PER_MM).max(14.0);
        assert!(
            (e.rect[3] - e.rect[1] - need * PT_PER_MM).abs() < 0.05,
            "{pdf:?}: electronic {:?}, {n} lines",
            e.rect
        );
        assert!(e.rect[3] <= page_h, "{pdf:?}: off the paper");
        let text_top = page_h - setup.margin_top * PT_PER_MM;
        assert!(
            (e.rect[1] - text_top - 2.0 * PT_PER_MM).abs() < 0.05,
            "{pdf:?}: {:?}",
            e.rect
        );
        if let Some(pages) = &boxes {
            let first_text = pages[0].iter().map(|w| w.y0).fold(f32::MAX, f32::min);
            assert!(
                e.rect[1] > page_h - first_text,
                "{pdf:?}: electronic {:?} above the first text line (top {first_text} pt from the top)",
                e.rect
            );
        }
    }
}

fn pdf_of(out: &Path, stem: &str, model: &Model) -> PathBuf {
    out.join(stem).join(format!("{}.pdf", model.kind))
}

#[test]
fn issue12_signing_fields_follow_the_contract_in_every_kind_of_both_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let records = records();
    render_with(&records, tmp.path(), &["--signing-fields"]);
    let poppler = have("pdftotext");
    let models = models(&records);
    let mut kinds = std::collections::BTreeSet::new();
    let mut several_signers = false;
    for (stem, model) in &models {
        let pdf = pdf_of(tmp.path(), stem, model);
        check_document(&pdf, model, poppler);
        kinds.insert(model.kind.clone());
        several_signers |= expected(model).persons.len() >= 2;
    }
    assert!(several_signers, "the minutes have two signers");
    for kind in [
        "thong-bao-ket-luan",
        "tin-bai",
        "ke-hoach",
        "cong-van",
        "giay-moi",
        "bien-ban",
        "bao-cao",
        "ket-luan",
        "thong-bao-ket-luan-sao-y",
    ] {
        assert!(kinds.contains(kind), "{kind} is checked");
    }
}

#[test]
fn issue12_a_document_without_signer_or_number_gets_no_form() {
    let tmp = tempfile::tempdir().unwrap();
    render_with(
        &[common::reference_record()],
        tmp.path(),
        &["--signing-fields"],
    );
    let news = tmp.path().join("thuan-2022-11-10/tin-bai.pdf");
    let doc = Document::load(&news).unwrap();
    assert!(doc.catalog().unwrap().get(b"AcroForm").is_err());
    assert!(fields(&doc).is_empty());
}

/// The decompressed content of every page.
pub fn page_contents(pdf: &Path) -> Vec<Vec<u8>> {
    let doc = Document::load(pdf).unwrap();
    doc.get_pages()
        .values()
        .map(|id| {
            let streams = doc.get_page_contents(*id);
            assert_eq!(streams.len(), 1, "one content stream a page");
            let s = doc.get_object(streams[0]).unwrap().as_stream().unwrap();
            let bytes = s.decompressed_content().unwrap();
            assert!(!bytes.is_empty());
            bytes
        })
        .collect()
}

#[test]
fn issue12_signing_fields_move_no_text_and_leave_the_docx_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let records = records();
    let (plain, signing) = (tmp.path().join("plain"), tmp.path().join("fields"));
    render_with(&records, &plain, &[]);
    render_with(&records, &signing, &["--signing-fields"]);
    let poppler = have("pdftotext");
    for (stem, model) in models(&records) {
        let (a, b) = (
            pdf_of(&plain, &stem, &model),
            pdf_of(&signing, &stem, &model),
        );
        let contents = page_contents(&a);
        assert!(!contents.is_empty());
        assert_eq!(contents, page_contents(&b), "{b:?}: the same page contents");
        let plain_doc = Document::load(&a).unwrap();
        assert!(plain_doc.catalog().unwrap().get(b"AcroForm").is_err());
        if poppler {
            assert_eq!(
                word_boxes(&a).1,
                word_boxes(&b).1,
                "{b:?}: the same word boxes"
            );
        }
        let docx = |dir: &Path| std::fs::read(dir.join(&stem).join(format!("{}.docx", model.kind)));
        assert_eq!(
            docx(&plain).unwrap(),
            docx(&signing).unwrap(),
            "{stem}: the DOCX"
        );
    }
}
