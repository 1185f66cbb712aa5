//! Issue 12: `--pdfa` writes PDF/A-2b. veraPDF is not available offline, so the rules of
//! ISO 19005-2 that a file of ours could break are listed below as data ([`RULES`]: the
//! clause and test number as veraPDF's PDF/A-2 profile names them, what the rule asks, and a
//! check that reads the file back: the raw bytes for the file structure, lopdf for the
//! objects, quick-xml for the XMP packet, skrifa for the embedded font programs). Every
//! document kind of both profiles is checked, with and without `--signing-fields`, and the
//! monthly report of a bundle; `qpdf --check` must also find nothing (skipped loudly without
//! qpdf, failing under `VANTHU_REQUIRE_TOOLS=1`).
//!
//! Not checked, because nothing in the renderer can produce it: images and their
//! `/Alternates`, `/Interpolate`; transparency groups and blend modes; optional content;
//! embedded files; PostScript and reference XObjects; Type 1/3 and simple TrueType fonts (all
//! our fonts are CID fonts); the stream `/Length` against the bytes (qpdf checks it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};
use skrifa::prelude::{LocationRef, Size};
use skrifa::raw::{FontRef, TableProvider};
use skrifa::MetadataProvider;

use crate::common::{self, bin, have, root};
use crate::issue12_fields::{fields, models, records, render_with};

/// A PDF under test: its bytes and the objects lopdf reads from them.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub doc: Document,
}

/// One rule: its id (ISO 19005-2 clause and veraPDF test number), what it asks, the check.
pub struct Rule {
    pub id: &'static str,
    pub asks: &'static str,
    pub check: fn(&Pdf) -> Result<(), String>,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "6.1.2-1",
        asks: "the file starts with %PDF-1.n",
        check: header,
    },
    Rule {
        id: "6.1.2-2",
        asks: "a comment of four bytes > 127 follows the header",
        check: binary_comment,
    },
    Rule {
        id: "6.1.3-1",
        asks: "the trailer has an /ID",
        check: trailer_id,
    },
    Rule {
        id: "6.1.3-2",
        asks: "no /Encrypt in the trailer",
        check: no_encryption,
    },
    Rule {
        id: "6.1.3-3",
        asks: "nothing after %%EOF but one end of line",
        check: nothing_after_eof,
    },
    Rule {
        id: "6.1.7.1-2",
        asks: "no stream has /F, /FFilter or /FDecodeParms",
        check: no_external_streams,
    },
    Rule {
        id: "6.1.7.2-1",
        asks: "no LZWDecode (only FlateDecode is used)",
        check: only_flate,
    },
    Rule {
        id: "6.1.13-7",
        asks: "at most 8,388,607 indirect objects",
        check: object_count,
    },
    Rule {
        id: "6.2.2-1",
        asks: "one PDF/A output intent (/S /GTS_PDFA1)",
        check: output_intent,
    },
    Rule {
        id: "6.2.3-2",
        asks: "its profile is a valid ICC v2-4 mntr/prtr RGB profile, /N 3",
        check: output_profile,
    },
    Rule {
        id: "6.2.4.3-4",
        asks: "no CMYK device colour with an RGB output intent",
        check: no_cmyk,
    },
    Rule {
        id: "6.2.5-2",
        asks: "no transfer functions (/TR, /TR2 other than Default)",
        check: no_transfer_functions,
    },
    Rule {
        id: "6.2.11.3.1-1",
        asks: "Type0 fonts use Identity-H with an Adobe-Identity CIDFont",
        check: cid_system_info,
    },
    Rule {
        id: "6.2.11.3.2-1",
        asks: "every CIDFontType2 has /CIDToGIDMap /Identity or a stream",
        check: cid_to_gid_map,
    },
    Rule {
        id: "6.2.11.4.1-1",
        asks: "every font program is embedded (/FontFile2)",
        check: fonts_embedded,
    },
    Rule {
        id: "6.2.11.4.2-2",
        asks: "no /CIDSet (allowed: it is left out, never incomplete)",
        check: no_cid_set,
    },
    Rule {
        id: "6.2.11.5-1",
        asks: "/W widths match the embedded program within 1/1000 em",
        check: widths_match,
    },
    Rule {
        id: "6.2.11.8-1",
        asks: "no text shows CID 0 (.notdef)",
        check: no_notdef,
    },
    Rule {
        id: "6.3.1-1",
        asks: "annotations are of allowed types (Widget)",
        check: annotation_types,
    },
    Rule {
        id: "6.3.2-1",
        asks: "annotations print and are not hidden (/F 4)",
        check: annotation_flags,
    },
    Rule {
        id: "6.3.3-1",
        asks: "every annotation has /AP holding only /N",
        check: annotation_appearance,
    },
    Rule {
        id: "6.4.1-1",
        asks: "widgets have no /A or /AA; the form no NeedAppearances, XFA",
        check: form_without_actions,
    },
    Rule {
        id: "6.5.1-1",
        asks: "no JavaScript and no additional actions in the catalog",
        check: no_javascript,
    },
    Rule {
        id: "6.6.2.1-1",
        asks: "the catalog's /Metadata is an XML stream, a well-formed XMP packet",
        check: metadata_stream,
    },
    Rule {
        id: "6.6.2.3.1-1",
        asks: "Info /Title, /Producer, dates equal the XMP's",
        check: info_matches_xmp,
    },
    Rule {
        id: "6.6.4-1",
        asks: "pdfaid:part 2 and pdfaid:conformance B",
        check: pdfa_identification,
    },
];

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

fn header(p: &Pdf) -> Result<(), String> {
    let ok = p.bytes.starts_with(b"%PDF-1.") && (b'0'..=b'7').contains(&p.bytes[7]);
    ensure(ok, || {
        format!("{:?}", String::from_utf8_lossy(&p.bytes[..9]))
    })
}

fn binary_comment(p: &Pdf) -> Result<(), String> {
    let second = p.bytes.split(|&b| b == b'\n').nth(1).unwrap_or_default();
    let high = second.iter().filter(|&&b| b > 127).count();
    ensure(second.first() == Some(&b'%') && high >= 4, || {
        format!("{second:?}")
    })
}

fn trailer_id(p: &Pdf) -> Result<(), String> {
    let id = p.doc.trailer.get(b"ID").map_err(|e| e.to_string())?;
    let id = id.as_array().map_err(|e| e.to_string())?;
    ensure(id.len() == 2, || format!("{id:?}"))
}

fn no_encryption(p: &Pdf) -> Result<(), String> {
    ensure(p.doc.trailer.get(b"Encrypt").is_err(), || {
        "encrypted".into()
    })
}

fn nothing_after_eof(p: &Pdf) -> Result<(), String> {
    let at = p
        .bytes
        .windows(5)
        .rposition(|w| w == b"%%EOF")
        .ok_or("no %%EOF")?;
    let rest = &p.bytes[at + 5..];
    ensure(matches!(rest, b"" | b"\n" | b"\r\n" | b"\r"), || {
        format!("{rest:?}")
    })
}

/// Every dictionary of the file, streams' dictionaries included, nested ones too.
fn dictionaries(doc: &Document) -> Vec<&Dictionary> {
    fn walk<'a>(o: &'a Object, out: &mut Vec<&'a Dictionary>) {
        match o {
            Object::Dictionary(d) => {
                out.push(d);
                d.iter().for_each(|(_, v)| walk(v, out));
            }
            Object::Stream(s) => walk_dict(&s.dict, out),
            Object::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    fn walk_dict<'a>(d: &'a Dictionary, out: &mut Vec<&'a Dictionary>) {
        out.push(d);
        d.iter().for_each(|(_, v)| walk(v, out));
    }
    let mut out = Vec::new();
    doc.objects.values().for_each(|o| walk(o, &mut out));
    out
}

fn streams(doc: &Document) -> impl Iterator<Item = &lopdf::Stream> {
    doc.objects.values().filter_map(|o| o.as_stream().ok())
}

fn no_external_streams(p: &Pdf) -> Result<(), String> {
    for s in streams(&p.doc) {
        for key in [&b"F"[..], b"FFilter", b"FDecodeParms"] {
            ensure(s.dict.get(key).is_err(), || {
                format!("a stream with /{}", String::from_utf8_lossy(key))
            })?;
        }
    }
    Ok(())
}

fn only_flate(p: &Pdf) -> Result<(), String> {
    for s in streams(&p.doc) {
        if let Ok(f) = s.dict.get(b"Filter") {
            let names: Vec<&[u8]> = match f {
                Object::Name(n) => vec![n.as_slice()],
                Object::Array(a) => a.iter().filter_map(|n| n.as_name().ok()).collect(),
                _ => return Err(format!("odd /Filter {f:?}")),
            };
            ensure(names.iter().all(|n| *n == b"FlateDecode"), || {
                format!("{f:?}")
            })?;
        }
    }
    Ok(())
}

fn object_count(p: &Pdf) -> Result<(), String> {
    ensure(p.doc.objects.len() <= 8_388_607, || {
        format!("{} objects", p.doc.objects.len())
    })
}

fn catalog(p: &Pdf) -> Result<&Dictionary, String> {
    p.doc.catalog().map_err(|e| e.to_string())
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn intents(p: &Pdf) -> Result<Vec<&Dictionary>, String> {
    let list = catalog(p)?
        .get(b"OutputIntents")
        .map_err(|_| "no /OutputIntents")?;
    let list = resolve(&p.doc, list)
        .as_array()
        .map_err(|e| e.to_string())?;
    list.iter()
        .map(|i| resolve(&p.doc, i).as_dict().map_err(|e| e.to_string()))
        .collect()
}

fn output_intent(p: &Pdf) -> Result<(), String> {
    let intents = intents(p)?;
    let pdfa: Vec<_> = intents
        .iter()
        .filter(|i| i.get(b"S").and_then(Object::as_name).ok() == Some(b"GTS_PDFA1"))
        .collect();
    ensure(pdfa.len() == 1, || format!("{} PDF/A intents", pdfa.len()))?;
    ensure(pdfa[0].get(b"OutputConditionIdentifier").is_ok(), || {
        "no identifier".into()
    })
}

fn output_profile(p: &Pdf) -> Result<(), String> {
    for intent in intents(p)? {
        let id = intent
            .get(b"DestOutputProfile")
            .and_then(Object::as_reference);
        let s = p
            .doc
            .get_object(id.map_err(|e| e.to_string())?)
            .and_then(Object::as_stream);
        let s = s.map_err(|e| e.to_string())?;
        ensure(
            s.dict.get(b"N").and_then(Object::as_i64).ok() == Some(3),
            || "/N".into(),
        )?;
        let icc = s.decompressed_content().map_err(|e| e.to_string())?;
        let size = u32::from_be_bytes([icc[0], icc[1], icc[2], icc[3]]) as usize;
        ensure(size == icc.len() && &icc[36..40] == b"acsp", || {
            "not an ICC profile".into()
        })?;
        ensure((2..=4).contains(&icc[8]), || {
            format!("ICC version {}", icc[8])
        })?;
        ensure(matches!(&icc[12..16], b"mntr" | b"prtr"), || "class".into())?;
        ensure(&icc[16..20] == b"RGB ", || "not RGB".into())?;
    }
    Ok(())
}

/// Every operation of every page's content and every form XObject.
fn operations(p: &Pdf) -> Vec<lopdf::content::Operation> {
    let mut ids: Vec<lopdf::ObjectId> = Vec::new();
    for page in p.doc.get_pages().values() {
        ids.extend(p.doc.get_page_contents(*page));
    }
    for (id, o) in &p.doc.objects {
        if let Ok(s) = o.as_stream() {
            if is_type(&s.dict, b"Subtype", b"Form") {
                ids.push(*id);
            }
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let s = p
            .doc
            .get_object(id)
            .and_then(Object::as_stream)
            .expect("a content stream");
        let bytes = s
            .decompressed_content()
            .unwrap_or_else(|_| s.content.clone());
        out.extend(Content::decode(&bytes).expect("content parses").operations);
    }
    out
}

fn no_cmyk(p: &Pdf) -> Result<(), String> {
    let bad = operations(p)
        .into_iter()
        .find(|o| matches!(o.operator.as_str(), "k" | "K"));
    ensure(bad.is_none(), || format!("{bad:?}"))
}

fn no_transfer_functions(p: &Pdf) -> Result<(), String> {
    for d in dictionaries(&p.doc) {
        ensure(d.get(b"TR").is_err(), || "/TR".into())?;
        if let Ok(tr2) = d.get(b"TR2") {
            ensure(tr2.as_name().ok() == Some(b"Default"), || "/TR2".into())?;
        }
    }
    Ok(())
}

fn is_type(d: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key).and_then(Object::as_name).ok() == Some(value)
}

fn fonts(p: &Pdf) -> Vec<&Dictionary> {
    dictionaries(&p.doc)
        .into_iter()
        .filter(|d| is_type(d, b"Type", b"Font"))
        .collect()
}

fn cid_fonts(p: &Pdf) -> Vec<&Dictionary> {
    fonts(p)
        .into_iter()
        .filter(|d| {
            is_type(d, b"Subtype", b"CIDFontType2") || is_type(d, b"Subtype", b"CIDFontType0")
        })
        .collect()
}

fn cid_system_info(p: &Pdf) -> Result<(), String> {
    for f in fonts(p)
        .into_iter()
        .filter(|d| is_type(d, b"Subtype", b"Type0"))
    {
        ensure(is_type(f, b"Encoding", b"Identity-H"), || {
            "not Identity-H".into()
        })?;
    }
    for f in cid_fonts(p) {
        let info = resolve(&p.doc, f.get(b"CIDSystemInfo").map_err(|e| e.to_string())?);
        let info = info.as_dict().map_err(|e| e.to_string())?;
        let s = |k: &[u8]| {
            info.get(k)
                .and_then(Object::as_str)
                .map(<[u8]>::to_vec)
                .ok()
        };
        ensure(s(b"Registry").as_deref() == Some(b"Adobe"), || {
            "Registry".into()
        })?;
        ensure(s(b"Ordering").as_deref() == Some(b"Identity"), || {
            "Ordering".into()
        })?;
    }
    Ok(())
}

fn cid_to_gid_map(p: &Pdf) -> Result<(), String> {
    for f in cid_fonts(p) {
        let ok = match f.get(b"CIDToGIDMap") {
            Ok(Object::Name(n)) => n == b"Identity",
            Ok(Object::Reference(id)) => p.doc.get_object(*id).and_then(Object::as_stream).is_ok(),
            _ => false,
        };
        ensure(ok, || "no /CIDToGIDMap".into())?;
    }
    Ok(())
}

fn descriptor<'a>(p: &'a Pdf, font: &'a Dictionary) -> Result<&'a Dictionary, String> {
    let d = font.get(b"FontDescriptor").map_err(|e| e.to_string())?;
    resolve(&p.doc, d).as_dict().map_err(|e| e.to_string())
}

fn program(p: &Pdf, font: &Dictionary) -> Result<Vec<u8>, String> {
    let id = descriptor(p, font)?
        .get(b"FontFile2")
        .and_then(Object::as_reference)
        .map_err(|_| "no /FontFile2".to_string())?;
    let s = p
        .doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| e.to_string())?;
    s.decompressed_content().map_err(|e| e.to_string())
}

fn fonts_embedded(p: &Pdf) -> Result<(), String> {
    ensure(!cid_fonts(p).is_empty(), || "no fonts".into())?;
    for f in cid_fonts(p) {
        ensure(!program(p, f)?.is_empty(), || "empty program".into())?;
    }
    Ok(())
}

fn no_cid_set(p: &Pdf) -> Result<(), String> {
    for f in cid_fonts(p) {
        ensure(descriptor(p, f)?.get(b"CIDSet").is_err(), || {
            "/CIDSet".into()
        })?;
    }
    Ok(())
}

fn num(o: &Object) -> Option<f32> {
    o.as_float()
        .ok()
        .or_else(|| o.as_i64().ok().map(|i| i as f32))
}

/// The widths of `/W` by CID (only the `c [w1 w2 …]` form is written).
fn widths(w: &[Object]) -> Result<Vec<(u32, f32)>, String> {
    let mut out = Vec::new();
    let mut items = w.iter();
    while let Some(first) = items.next() {
        let first = first.as_i64().map_err(|e| e.to_string())? as u32;
        let list = items
            .next()
            .ok_or("odd /W")?
            .as_array()
            .map_err(|e| e.to_string())?;
        for (i, v) in list.iter().enumerate() {
            out.push((first + i as u32, num(v).ok_or("odd width")?));
        }
    }
    Ok(out)
}

fn widths_match(p: &Pdf) -> Result<(), String> {
    for f in cid_fonts(p) {
        let data = program(p, f)?;
        let font = FontRef::new(&data).map_err(|e| e.to_string())?;
        let upem = f32::from(font.head().map_err(|e| e.to_string())?.units_per_em());
        let glyphs = font.maxp().map_err(|e| e.to_string())?.num_glyphs();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let w = resolve(&p.doc, f.get(b"W").map_err(|e| e.to_string())?);
        let w = widths(w.as_array().map_err(|e| e.to_string())?)?;
        // The program may hold more glyphs than /W lists: the parts of composite glyphs,
        // never shown (6.2.11.8-1's check sees that every CID shown is in /W).
        ensure(w.len() <= usize::from(glyphs), || {
            format!("/W has {} of {glyphs} glyphs", w.len())
        })?;
        for (cid, width) in w {
            let advance = metrics
                .advance_width(skrifa::GlyphId::new(cid))
                .ok_or(format!("no advance for glyph {cid}"))?;
            let want = advance * 1000.0 / upem;
            ensure((width - want).abs() <= 1.0, || {
                format!("CID {cid}: /W {width}, program {want}")
            })?;
        }
    }
    Ok(())
}

/// The number of CIDs each font resource of `page` lists in `/W`, by resource name.
fn listed_cids(p: &Pdf, page: lopdf::ObjectId) -> Result<Vec<(Vec<u8>, usize)>, String> {
    let d = p.doc.get_dictionary(page).map_err(|e| e.to_string())?;
    let res = resolve(&p.doc, d.get(b"Resources").map_err(|e| e.to_string())?);
    let res = res.as_dict().map_err(|e| e.to_string())?;
    let fonts = resolve(&p.doc, res.get(b"Font").map_err(|e| e.to_string())?);
    let mut out = Vec::new();
    for (name, font) in fonts.as_dict().map_err(|e| e.to_string())?.iter() {
        let font = resolve(&p.doc, font).as_dict().map_err(|e| e.to_string())?;
        let kids = font.get(b"DescendantFonts").and_then(Object::as_array);
        let cid = resolve(&p.doc, &kids.map_err(|e| e.to_string())?[0]);
        let w = cid
            .as_dict()
            .and_then(|c| c.get(b"W"))
            .map_err(|e| e.to_string())?;
        let w = widths(resolve(&p.doc, w).as_array().map_err(|e| e.to_string())?)?;
        out.push((name.clone(), w.len()));
    }
    Ok(out)
}

fn no_notdef(p: &Pdf) -> Result<(), String> {
    let shown = |o: &Object| -> Vec<Vec<u8>> {
        match o {
            Object::String(s, _) => vec![s.clone()],
            Object::Array(a) => a
                .iter()
                .filter_map(|i| i.as_str().ok().map(<[u8]>::to_vec))
                .collect(),
            _ => Vec::new(),
        }
    };
    for page in p.doc.get_pages().values() {
        let listed = listed_cids(p, *page)?;
        let bytes = p.doc.get_page_content(*page);
        let ops = Content::decode(&bytes)
            .map_err(|e| e.to_string())?
            .operations;
        let mut limit = 0;
        for op in ops {
            if op.operator == "Tf" {
                let name = op.operands[0].as_name().map_err(|e| e.to_string())?;
                limit = listed
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(0, |(_, l)| *l);
            }
            if matches!(op.operator.as_str(), "Tj" | "TJ" | "'" | "\"") {
                for s in op.operands.iter().flat_map(shown) {
                    for c in s.chunks(2) {
                        let cid = usize::from(u16::from_be_bytes([c[0], c[1]]));
                        ensure(cid != 0, || format!("CID 0 shown in {s:?}"))?;
                        ensure(cid < limit, || format!("CID {cid} not in /W ({limit})"))?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn annotations(p: &Pdf) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    for page in p.doc.get_pages().values() {
        let Ok(d) = p.doc.get_dictionary(*page) else {
            continue;
        };
        if let Ok(a) = d.get(b"Annots") {
            if let Ok(list) = resolve(&p.doc, a).as_array() {
                out.extend(
                    list.iter()
                        .filter_map(|o| resolve(&p.doc, o).as_dict().ok()),
                );
            }
        }
    }
    out
}

fn annotation_types(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        ensure(is_type(a, b"Subtype", b"Widget"), || {
            format!("{:?}", a.get(b"Subtype"))
        })?;
    }
    Ok(())
}

fn annotation_flags(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        let f = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        ensure(f & 4 != 0 && f & (1 | 2 | 32 | 256) == 0, || {
            format!("/F {f}")
        })?;
    }
    Ok(())
}

fn annotation_appearance(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        let ap = resolve(&p.doc, a.get(b"AP").map_err(|_| "no /AP")?);
        let ap = ap.as_dict().map_err(|e| e.to_string())?;
        ensure(ap.len() == 1 && ap.get(b"N").is_ok(), || format!("{ap:?}"))?;
    }
    Ok(())
}

fn form_without_actions(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        ensure(a.get(b"A").is_err() && a.get(b"AA").is_err(), || {
            "an action".into()
        })?;
    }
    if let Ok(form) = catalog(p)?.get(b"AcroForm") {
        let form = resolve(&p.doc, form).as_dict().map_err(|e| e.to_string())?;
        let need = form
            .get(b"NeedAppearances")
            .and_then(Object::as_bool)
            .unwrap_or(false);
        ensure(!need && form.get(b"XFA").is_err(), || {
            "NeedAppearances or XFA".into()
        })?;
    }
    Ok(())
}

fn no_javascript(p: &Pdf) -> Result<(), String> {
    ensure(catalog(p)?.get(b"AA").is_err(), || "catalog /AA".into())?;
    for d in dictionaries(&p.doc) {
        ensure(
            d.get(b"JS").is_err() && d.get(b"JavaScript").is_err(),
            || "JavaScript".into(),
        )?;
    }
    Ok(())
}

fn xmp(p: &Pdf) -> Result<String, String> {
    let id = catalog(p)?
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .map_err(|_| "no /Metadata")?;
    let s = p
        .doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| e.to_string())?;
    ensure(
        is_type(&s.dict, b"Type", b"Metadata") && is_type(&s.dict, b"Subtype", b"XML"),
        || "not /Type /Metadata /Subtype /XML".into(),
    )?;
    let bytes = s
        .decompressed_content()
        .unwrap_or_else(|_| s.content.clone());
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The text of every element named `name` in the XMP (namespace prefix included).
fn xmp_values(xml: &str, name: &str) -> Result<Vec<String>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut inside, mut depth) = (Vec::new(), false, 0usize);
    loop {
        match reader.read_event().map_err(|e| format!("XMP: {e}"))? {
            Event::Start(e) => {
                depth += 1;
                if e.name().as_ref() == name.as_bytes() {
                    inside = true;
                    out.push(String::new());
                }
            }
            Event::End(e) => {
                depth = depth.checked_sub(1).ok_or("XMP: unbalanced")?;
                if e.name().as_ref() == name.as_bytes() {
                    inside = false;
                }
            }
            Event::Text(t) if inside => {
                let text = t.decode().map_err(|e| e.to_string())?;
                let text = quick_xml::escape::unescape(&text).map_err(|e| e.to_string())?;
                if let Some(last) = out.last_mut() {
                    last.push_str(&text);
                }
            }
            Event::GeneralRef(r) if inside => {
                let c = match &*r {
                    b"amp" => '&',
                    b"lt" => '<',
                    b"gt" => '>',
                    b"quot" => '"',
                    b"apos" => '\'',
                    other => return Err(format!("XMP: &{};", String::from_utf8_lossy(other))),
                };
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    ensure(depth == 0, || "XMP: unbalanced".into())?;
    Ok(out)
}

fn metadata_stream(p: &Pdf) -> Result<(), String> {
    let x = xmp(p)?;
    ensure(
        x.starts_with("<?xpacket begin=") && x.trim_end().ends_with("<?xpacket end=\"w\"?>"),
        || "no xpacket wrapper".into(),
    )?;
    let head = x.lines().next().unwrap_or_default();
    ensure(
        !head.contains("bytes=") && !head.contains("encoding="),
        || head.to_string(),
    )?;
    xmp_values(&x, "rdf:RDF").map(|_| ())
}

fn info_string(p: &Pdf, key: &[u8]) -> Result<String, String> {
    let info = p
        .doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    let info = p.doc.get_dictionary(info).map_err(|e| e.to_string())?;
    let bytes = info
        .get(key)
        .and_then(Object::as_str)
        .map_err(|e| e.to_string())?;
    Ok(match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(u) => String::from_utf16_lossy(
            &u.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        ),
        None => String::from_utf8_lossy(bytes).into_owned(),
    })
}

/// `D:YYYYMMDDHHmmSSZ` as `YYYY-MM-DDTHH:MM:SSZ`.
fn xmp_form(date: &str) -> String {
    let d = date.trim_start_matches("D:");
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[8..10],
        &d[10..12],
        &d[12..14]
    )
}

fn info_matches_xmp(p: &Pdf) -> Result<(), String> {
    let x = xmp(p)?;
    let one = |name: &str| -> Result<String, String> {
        let v = xmp_values(&x, name)?;
        ensure(v.len() == 1, || format!("{} × {name}", v.len()))?;
        Ok(v[0].clone())
    };
    let pairs = [
        (info_string(p, b"Title")?, one("rdf:li")?, "Title"),
        (
            info_string(p, b"Producer")?,
            one("pdf:Producer")?,
            "Producer",
        ),
        (
            xmp_form(&info_string(p, b"CreationDate")?),
            one("xmp:CreateDate")?,
            "CreationDate",
        ),
        (
            xmp_form(&info_string(p, b"ModDate")?),
            one("xmp:ModifyDate")?,
            "ModDate",
        ),
    ];
    for (info, xmp, what) in pairs {
        ensure(info == xmp, || {
            format!("{what}: Info `{info}`, XMP `{xmp}`")
        })?;
    }
    Ok(())
}

fn pdfa_identification(p: &Pdf) -> Result<(), String> {
    let x = xmp(p)?;
    ensure(xmp_values(&x, "pdfaid:part")? == ["2"], || {
        "pdfaid:part".into()
    })?;
    ensure(xmp_values(&x, "pdfaid:conformance")? == ["B"], || {
        "pdfaid:conformance".into()
    })
}

/// Every rule on `pdf`; the failures, each naming the rule.
pub fn failures(pdf: &Path) -> Vec<String> {
    let bytes = std::fs::read(pdf).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let p = Pdf { bytes, doc };
    RULES
        .iter()
        .filter_map(|r| {
            (r.check)(&p)
                .err()
                .map(|e| format!("{pdf:?}: {} ({}): {e}", r.id, r.asks))
        })
        .collect()
}

fn qpdf_clean(pdf: &Path) {
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && out.contains("No syntax or stream encoding errors"),
        "qpdf --check {pdf:?}: {out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = common::walk(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    all.sort();
    all
}

#[test]
fn issue12_pdfa_rules_hold_for_every_kind_with_and_without_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let records = records();
    let qpdf = have("qpdf");
    let kinds: BTreeSet<String> = models(&records).into_iter().map(|(_, m)| m.kind).collect();
    for (name, flags) in [
        ("a", vec!["--pdfa"]),
        ("af", vec!["--pdfa", "--signing-fields"]),
    ] {
        let out = tmp.path().join(name);
        render_with(&records, &out, &flags);
        let files = pdfs(&out);
        let seen: BTreeSet<String> = files
            .iter()
            .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(seen, kinds, "every kind rendered");
        let mut with_fields = 0;
        for pdf in &files {
            let bad = failures(pdf);
            assert!(bad.is_empty(), "{}", bad.join("\n"));
            if qpdf {
                qpdf_clean(pdf);
            }
            with_fields += usize::from(!fields(&Document::load(pdf).unwrap()).is_empty());
        }
        assert_eq!(with_fields > 0, flags.contains(&"--signing-fields"));
    }
}

#[test]
fn issue12_the_rules_catch_a_plain_pdf_and_a_broken_ending() {
    let tmp = tempfile::tempdir().unwrap();
    render_with(&[common::reference_record()], tmp.path(), &[]);
    let plain = tmp.path().join("thuan-2022-11-10/thong-bao-ket-luan.pdf");
    let bad = failures(&plain).join("\n");
    for id in ["6.2.2-1", "6.6.2.1-1", "6.6.4-1"] {
        assert!(
            bad.contains(&format!(": {id} (")),
            "{id} fails on a plain PDF:\n{bad}"
        );
    }
    let pdfa = tmp.path().join("a");
    render_with(&[common::reference_record()], &pdfa, &["--pdfa"]);
    let file = pdfa.join("thuan-2022-11-10/thong-bao-ket-luan.pdf");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"junk\n");
    std::fs::write(&file, &bytes).unwrap();
    let bad = failures(&file).join("\n");
    assert!(bad.contains("6.1.3-3"), "{bad}");
}

#[test]
fn issue12_pdfa_without_a_glyph_is_refused_naming_the_character() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::reference_record()).unwrap();
    // A character no built-in face has, in the notice's text.
    let text = text.replacen("Thuận", "Thuận \u{1F600}", 1);
    let record = tmp.path().join("emoji.yaml");
    std::fs::write(&record, text).unwrap();
    let o = bin()
        .args(["render", "--pdfa", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&record)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // The record's check refuses it first; the renderer's own refusal (FontUse::missing)
    // is the second line of defence, unit-tested in render/pdf/embed.rs.
    assert!(err.contains("U+1F600"), "{err}");
    assert!(!tmp.path().join("out/emoji").exists(), "nothing written");
}

#[test]
fn issue12_a_bundle_with_pdfa_and_fields_reaches_the_report_and_reruns_on_a_flag_change() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b");
    let bundle = |flags: &[&str]| {
        let o = bin()
            .arg("bundle")
            .arg(root().join("tests/fixtures/month-2022-11"))
            .args(["--month", "2022-11", "--out"])
            .arg(&out)
            .args(flags)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    bundle(&[]);
    let report = pdfs(&out)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("bao-cao-thang"))
        .expect("the monthly report");
    assert!(!failures(&report).is_empty(), "a plain bundle is not PDF/A");
    bundle(&["--pdfa", "--signing-fields"]);
    let qpdf = have("qpdf");
    for pdf in pdfs(&out) {
        let bad = failures(&pdf);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        if qpdf {
            qpdf_clean(&pdf);
        }
    }
    // The report has no signer: only the electronic field.
    let names: Vec<String> = fields(&Document::load(&report).unwrap())
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, ["electronic"]);
}
