//! The file structure, the output intent, colours and actions (ISO 19005-2 6.1, 6.2.2-6.2.5,
//! 6.5).

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

use super::{ensure, Pdf};

pub fn header(p: &Pdf) -> Result<(), String> {
    let ok = p.bytes.starts_with(b"%PDF-1.") && (b'0'..=b'7').contains(&p.bytes[7]);
    ensure(ok, || {
        format!("{:?}", String::from_utf8_lossy(&p.bytes[..9]))
    })
}

pub fn binary_comment(p: &Pdf) -> Result<(), String> {
    let second = p.bytes.split(|&b| b == b'\n').nth(1).unwrap_or_default();
    let high = second.iter().filter(|&&b| b > 127).count();
    ensure(second.first() == Some(&b'%') && high >= 4, || {
        format!("{second:?}")
    })
}

pub fn trailer_id(p: &Pdf) -> Result<(), String> {
    let id = p.doc.trailer.get(b"ID").map_err(|e| e.to_string())?;
    let id = id.as_array().map_err(|e| e.to_string())?;
    ensure(id.len() == 2, || format!("{id:?}"))
}

pub fn no_encryption(p: &Pdf) -> Result<(), String> {
    ensure(p.doc.trailer.get(b"Encrypt").is_err(), || {
        "encrypted".into()
    })
}

pub fn nothing_after_eof(p: &Pdf) -> Result<(), String> {
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
pub fn dictionaries(doc: &Document) -> Vec<&Dictionary> {
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

pub fn streams(doc: &Document) -> impl Iterator<Item = &lopdf::Stream> {
    doc.objects.values().filter_map(|o| o.as_stream().ok())
}

pub fn no_external_streams(p: &Pdf) -> Result<(), String> {
    for s in streams(&p.doc) {
        for key in [&b"F"[..], b"FFilter", b"FDecodeParms"] {
            ensure(s.dict.get(key).is_err(), || {
                format!("a stream with /{}", String::from_utf8_lossy(key))
            })?;
        }
    }
    Ok(())
}

pub fn only_flate(p: &Pdf) -> Result<(), String> {
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

pub fn object_count(p: &Pdf) -> Result<(), String> {
    ensure(p.doc.objects.len() <= 8_388_607, || {
        format!("{} objects", p.doc.objects.len())
    })
}

pub fn catalog(p: &Pdf) -> Result<&Dictionary, String> {
    p.doc.catalog().map_err(|e| e.to_string())
}

pub fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

pub fn intents(p: &Pdf) -> Result<Vec<&Dictionary>, String> {
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

pub fn output_intent(p: &Pdf) -> Result<(), String> {
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

pub fn output_profile(p: &Pdf) -> Result<(), String> {
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
pub fn operations(p: &Pdf) -> Vec<lopdf::content::Operation> {
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

pub fn no_cmyk(p: &Pdf) -> Result<(), String> {
    let bad = operations(p)
        .into_iter()
        .find(|o| matches!(o.operator.as_str(), "k" | "K"));
    ensure(bad.is_none(), || format!("{bad:?}"))
}

pub fn no_transfer_functions(p: &Pdf) -> Result<(), String> {
    for d in dictionaries(&p.doc) {
        ensure(d.get(b"TR").is_err(), || "/TR".into())?;
        if let Ok(tr2) = d.get(b"TR2") {
            ensure(tr2.as_name().ok() == Some(b"Default"), || "/TR2".into())?;
        }
    }
    Ok(())
}

pub fn is_type(d: &Dictionary, key: &[u8], value: &[u8]) -> bool {
    d.get(key).and_then(Object::as_name).ok() == Some(value)
}

pub fn plain_form_xobjects(p: &Pdf) -> Result<(), String> {
    for s in streams(&p.doc) {
        let d = &s.dict;
        ensure(!is_type(d, b"Subtype", b"PS"), || {
            "a PostScript XObject".into()
        })?;
        if is_type(d, b"Subtype", b"Form") {
            for key in [&b"OPI"[..], b"Ref", b"Subtype2", b"PS"] {
                ensure(d.get(key).is_err(), || {
                    format!("a form with /{}", String::from_utf8_lossy(key))
                })?;
            }
        }
    }
    Ok(())
}
