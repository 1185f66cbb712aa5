//! Issue 12: `render --signing-fields` gives the PDF the signature fields of the field
//! contract (`person-N`, `organisation`, `electronic`), read back with lopdf and placed
//! against the word boxes `pdftotext -bbox` finds, for every document kind of both profiles;
//! and the fields move nothing: the page contents, the word boxes and the DOCX are the same
//! with and without the flag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::{Dictionary, Document, Object, ObjectId};
use vanthu::document::{Block, CellBlock, Document as Model};
use vanthu::{documents_for, Env};

use crate::common::{self, bin, have, root, run_tool};

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

/// One field as read back.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// x0, y0, x1, y1 in points, origin bottom-left.
    pub rect: [f32; 4],
    /// The page, from 1.
    pub page: usize,
    pub tu: Option<String>,
}

fn num(o: &Object) -> f32 {
    o.as_float()
        .or_else(|_| o.as_i64().map(|i| i as f32))
        .unwrap()
}

fn text_string(o: &Object) -> String {
    let bytes = o.as_str().unwrap();
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        }
        None => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

/// The form's fields, each checked against the contract's dictionary: a merged signature
/// field and widget with the Print flag, its page's `/P` and `/Annots`, a `/Rect` inside the
/// page and an appearance with only `/N`, an empty form as large as the rect.
pub fn fields(doc: &Document) -> Vec<Field> {
    let catalog = doc.catalog().unwrap();
    let Ok(form) = catalog.get(b"AcroForm") else {
        return Vec::new();
    };
    let form = deref(doc, form).as_dict().unwrap();
    assert!(
        form.get(b"SigFlags").is_err(),
        "no /SigFlags while unsigned"
    );
    assert!(form.get(b"NeedAppearances").is_err());
    let pages: BTreeMap<u32, ObjectId> = doc.get_pages();
    let page_of: BTreeMap<ObjectId, usize> =
        pages.iter().map(|(n, id)| (*id, *n as usize)).collect();
    let mut out = Vec::new();
    for f in form.get(b"Fields").unwrap().as_array().unwrap() {
        let id = f.as_reference().unwrap();
        let d = doc.get_dictionary(id).unwrap();
        let name = String::from_utf8(d.get(b"T").unwrap().as_str().unwrap().to_vec()).unwrap();
        let is = |k: &[u8], v: &[u8]| d.get(k).unwrap().as_name().unwrap() == v;
        assert!(is(b"Type", b"Annot") && is(b"Subtype", b"Widget"), "{name}");
        assert!(is(b"FT", b"Sig"), "{name}: /FT /Sig");
        assert_eq!(d.get(b"F").unwrap().as_i64().unwrap(), 4, "{name}: /F 4");
        let page_id = d.get(b"P").unwrap().as_reference().unwrap();
        let page = *page_of.get(&page_id).expect("/P is a page");
        let page_dict = doc.get_dictionary(page_id).unwrap();
        let annots = deref(doc, page_dict.get(b"Annots").unwrap())
            .as_array()
            .unwrap();
        assert!(
            annots.iter().any(|a| a.as_reference().ok() == Some(id)),
            "{name} is in its page's /Annots"
        );
        let r: Vec<f32> = d
            .get(b"Rect")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        let rect = [r[0], r[1], r[2], r[3]];
        let media: Vec<f32> = page_dict
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        assert!(rect[0] < rect[2] && rect[1] < rect[3], "{name}: {rect:?}");
        assert!(
            rect[0] >= media[0] && rect[1] >= media[1] && rect[2] <= media[2] + 0.01,
            "{name}: {rect:?} inside {media:?}"
        );
        assert!(
            rect[3] <= media[3] + 0.01,
            "{name}: {rect:?} inside {media:?}"
        );
        check_appearance(doc, d, &name, rect);
        let tu = d.get(b"TU").ok().map(text_string);
        out.push(Field {
            name,
            rect,
            page,
            tu,
        });
    }
    out
}

fn check_appearance(doc: &Document, d: &Dictionary, name: &str, rect: [f32; 4]) {
    let ap = deref(doc, d.get(b"AP").unwrap()).as_dict().unwrap();
    assert_eq!(ap.len(), 1, "{name}: /AP holds only /N");
    let n = ap.get(b"N").unwrap().as_reference().unwrap();
    let stream = doc.get_object(n).unwrap().as_stream().unwrap();
    assert_eq!(
        stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"Form"
    );
    let bbox: Vec<f32> = stream
        .dict
        .get(b"BBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
    assert!(
        bbox[0] == 0.0
            && bbox[1] == 0.0
            && (bbox[2] - w).abs() < 0.01
            && (bbox[3] - h).abs() < 0.01,
        "{name}: /BBox {bbox:?} for a {w} × {h} rect"
    );
}

/// A word box of `pdftotext -bbox`: points from the page's top-left.
#[derive(Debug, Clone)]
pub struct WordBox {
    pub text: String,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// The word boxes of every page, and `pdftotext -bbox`'s whole output.
pub fn word_boxes(pdf: &Path) -> (Vec<Vec<WordBox>>, String) {
    let html = run_tool(Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-"));
    let attr = |tag: &str, key: &str| -> f32 {
        let at = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for w in page.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            words.push(WordBox {
                text,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            });
        }
        pages.push(words);
    }
    (pages, html)
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
        assert!((e.rect[3] - e.rect[1] - 14.0 * PT_PER_MM).abs() < 0.05);
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
