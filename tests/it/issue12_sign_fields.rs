//! `vanthu sign` on a PDF that has the fields of the contract (`person-1`, `organisation`,
//! `electronic` with its `/TU` lines; the shape `vanthu render --signing-fields` writes, made
//! here with lopdf on the reference notice until that flag exists): each role finds its field
//! without `--page`/`--rect`, keeps its `/Rect`, replaces its empty appearance, and the copy
//! shows the `/TU` lines above the time.

use lopdf::{dictionary, Document, Object, ObjectId, Stream, StringFormat};

use std::path::Path;

use crate::issue12_sign::check_all;
use crate::sign_support::{
    fixture, sign, sign_as, sign_ok, time, Fixture, ORGANISATION_RECT, PERSON_RECT,
};

const PT_PER_MM: f32 = 72.0 / 25.4;

/// A merged signature field and widget with an empty appearance, listed on its page.
fn field(
    doc: &mut Document,
    name: &str,
    page: ObjectId,
    rect_mm: [f32; 4],
    tu: Option<&str>,
) -> ObjectId {
    let r = rect_mm.map(|v| v * PT_PER_MM);
    let bbox = vec![
        0.into(),
        0.into(),
        (r[2] - r[0]).into(),
        (r[3] - r[1]).into(),
    ];
    let ap = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => bbox },
        Vec::new(),
    ));
    let mut d = dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Sig",
        "T" => Object::string_literal(name), "F" => 4, "P" => page,
        "Rect" => r.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
        "AP" => dictionary! { "N" => ap },
    };
    if let Some(tu) = tu {
        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend(tu.encode_utf16().flat_map(u16::to_be_bytes));
        d.set("TU", Object::String(utf16, StringFormat::Hexadecimal));
    }
    let id = doc.add_object(d);
    let page = doc.get_dictionary_mut(page).unwrap();
    let mut annots = page
        .get(b"Annots")
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    annots.push(id.into());
    page.set("Annots", annots);
    id
}

/// The notice with the three fields, as `fields.pdf` in the fixture.
fn notice_with_fields(fx: &Fixture) {
    let mut doc = Document::load(fx.path("notice.pdf")).unwrap();
    let pages = doc.get_pages();
    let (first, last) = (pages[&1], pages[&3]);
    let person = field(&mut doc, "person-1", last, PERSON_RECT, None);
    let organisation = field(&mut doc, "organisation", last, ORGANISATION_RECT, None);
    let electronic = field(
        &mut doc,
        "electronic",
        first,
        [105.0, 280.0, 195.0, 294.0],
        Some("Số 245-TB/HU\nBản sao điện tử\nVăn phòng Huyện ủy"),
    );
    let fields = vec![person.into(), organisation.into(), electronic.into()];
    doc.catalog_mut()
        .unwrap()
        .set("AcroForm", dictionary! { "Fields" => fields });
    doc.save(fx.path("fields.pdf")).unwrap();
}

fn rect_of(doc: &Document, name: &str) -> Vec<f32> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"T").and_then(|t| t.as_str()).ok() == Some(name.as_bytes()))
        .map(|d| {
            d.get(b"Rect")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_float().unwrap())
                .collect()
        })
        .unwrap()
}

#[test]
fn issue12_each_role_fills_its_contract_field_without_page_or_rect() {
    let Some(fx) = fixture() else { return };
    notice_with_fields(fx);
    let base = [
        "--p12",
        "rsa.p12",
        "--password-env",
        "P12PW",
        "--time",
        time(),
    ];
    sign_ok(
        &fx.dir,
        &[
            &[
                "fields.pdf",
                "-o",
                "g1.pdf",
                "--role",
                "person",
                "--image",
                "sig.png",
            ][..],
            &base,
        ]
        .concat(),
    );
    sign_ok(
        &fx.dir,
        &[
            "g1.pdf",
            "-o",
            "g2.pdf",
            "--role",
            "organisation",
            "--image",
            "seal.png",
            "--p12",
            "ec.p12",
            "--password-env",
            "P12PW",
            "--time",
            time(),
        ],
    );
    sign_as(
        fx,
        (Path::new("g2.pdf"), Path::new("g3.pdf")),
        "copy",
        "third.p12",
        &[],
    );
    check_all(
        fx,
        &fx.path("g3.pdf"),
        &["person-1", "organisation", "electronic"],
    );
    let (before, after) = (
        Document::load(fx.path("fields.pdf")).unwrap(),
        Document::load(fx.path("g3.pdf")).unwrap(),
    );
    for name in ["person-1", "organisation", "electronic"] {
        assert_eq!(
            rect_of(&before, name),
            rect_of(&after, name),
            "{name}: the rect never changes"
        );
    }
    if crate::common::have("pdftotext") {
        let text = crate::common::run_tool(
            std::process::Command::new("pdftotext")
                .args([
                    "-f", "1", "-l", "1", "-y", "0", "-H", "60", "-x", "280", "-W", "320",
                ])
                .arg(fx.path("g3.pdf"))
                .arg("-"),
        );
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            &lines[..3],
            ["Số 245-TB/HU", "Bản sao điện tử", "Văn phòng Huyện ủy"],
            "{text}"
        );
        assert!(lines[3].ends_with("+07:00"), "{text}");
    }
    // person-1 is signed and there is no person-2: a second signer needs a field.
    let o = sign(
        &fx.dir,
        &[
            &[
                "g3.pdf", "-o", "g4.pdf", "--role", "person", "--image", "sig.png",
            ][..],
            &base,
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("g3.pdf: no free signature field for the role person"));
}
