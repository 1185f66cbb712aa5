//! The signature fields of a PDF read back with lopdf (each checked against the contract's
//! dictionary), and the word boxes of `pdftotext -bbox`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::common::run_tool;

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
