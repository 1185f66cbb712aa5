//! The fonts (ISO 19005-2 6.2.11): CID fonts, their maps, programs and widths, and the
//! glyphs the text shows.

use lopdf::content::Content;
use lopdf::{Dictionary, Object};
use skrifa::prelude::{LocationRef, Size};
use skrifa::raw::{FontRef, TableProvider};
use skrifa::MetadataProvider;

use super::structure::{dictionaries, is_type, resolve};
use super::{ensure, Pdf};

pub fn fonts(p: &Pdf) -> Vec<&Dictionary> {
    dictionaries(&p.doc)
        .into_iter()
        .filter(|d| is_type(d, b"Type", b"Font"))
        .collect()
}

pub fn cid_fonts(p: &Pdf) -> Vec<&Dictionary> {
    fonts(p)
        .into_iter()
        .filter(|d| {
            is_type(d, b"Subtype", b"CIDFontType2") || is_type(d, b"Subtype", b"CIDFontType0")
        })
        .collect()
}

pub fn cid_system_info(p: &Pdf) -> Result<(), String> {
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

pub fn cid_to_gid_map(p: &Pdf) -> Result<(), String> {
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

pub fn descriptor<'a>(p: &'a Pdf, font: &'a Dictionary) -> Result<&'a Dictionary, String> {
    let d = font.get(b"FontDescriptor").map_err(|e| e.to_string())?;
    resolve(&p.doc, d).as_dict().map_err(|e| e.to_string())
}

pub fn program(p: &Pdf, font: &Dictionary) -> Result<Vec<u8>, String> {
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

pub fn fonts_embedded(p: &Pdf) -> Result<(), String> {
    ensure(!cid_fonts(p).is_empty(), || "no fonts".into())?;
    for f in cid_fonts(p) {
        ensure(!program(p, f)?.is_empty(), || "empty program".into())?;
    }
    Ok(())
}

pub fn no_cid_set(p: &Pdf) -> Result<(), String> {
    for f in cid_fonts(p) {
        ensure(descriptor(p, f)?.get(b"CIDSet").is_err(), || {
            "/CIDSet".into()
        })?;
    }
    Ok(())
}

pub fn num(o: &Object) -> Option<f32> {
    o.as_float()
        .ok()
        .or_else(|| o.as_i64().ok().map(|i| i as f32))
}

/// The widths of `/W` by CID (only the `c [w1 w2 …]` form is written).
pub fn widths(w: &[Object]) -> Result<Vec<(u32, f32)>, String> {
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

pub fn widths_match(p: &Pdf) -> Result<(), String> {
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
pub fn listed_cids(p: &Pdf, page: lopdf::ObjectId) -> Result<Vec<(Vec<u8>, usize)>, String> {
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

pub fn no_notdef(p: &Pdf) -> Result<(), String> {
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
