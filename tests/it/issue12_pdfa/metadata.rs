//! Annotations and the form (ISO 19005-2 6.3, 6.4) and the XMP metadata (6.6).

use lopdf::{Dictionary, Object};

use super::structure::{catalog, dictionaries, is_type, resolve};
use super::{ensure, Pdf};

pub fn annotations(p: &Pdf) -> Vec<&Dictionary> {
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

pub fn annotation_types(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        ensure(is_type(a, b"Subtype", b"Widget"), || {
            format!("{:?}", a.get(b"Subtype"))
        })?;
    }
    Ok(())
}

pub fn annotation_flags(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        let f = a.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        ensure(f & 4 != 0 && f & (1 | 2 | 32 | 256) == 0, || {
            format!("/F {f}")
        })?;
    }
    Ok(())
}

pub fn annotation_appearance(p: &Pdf) -> Result<(), String> {
    for a in annotations(p) {
        let ap = resolve(&p.doc, a.get(b"AP").map_err(|_| "no /AP")?);
        let ap = ap.as_dict().map_err(|e| e.to_string())?;
        ensure(ap.len() == 1 && ap.get(b"N").is_ok(), || format!("{ap:?}"))?;
    }
    Ok(())
}

pub fn form_without_actions(p: &Pdf) -> Result<(), String> {
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

pub fn no_javascript(p: &Pdf) -> Result<(), String> {
    ensure(catalog(p)?.get(b"AA").is_err(), || "catalog /AA".into())?;
    for d in dictionaries(&p.doc) {
        ensure(
            d.get(b"JS").is_err() && d.get(b"JavaScript").is_err(),
            || "JavaScript".into(),
        )?;
    }
    Ok(())
}

pub fn xmp(p: &Pdf) -> Result<String, String> {
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
pub fn xmp_values(xml: &str, name: &str) -> Result<Vec<String>, String> {
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

pub fn metadata_stream(p: &Pdf) -> Result<(), String> {
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

pub fn info_string(p: &Pdf, key: &[u8]) -> Result<String, String> {
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
pub fn xmp_form(date: &str) -> String {
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

pub fn info_matches_xmp(p: &Pdf) -> Result<(), String> {
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

pub fn pdfa_identification(p: &Pdf) -> Result<(), String> {
    let x = xmp(p)?;
    ensure(xmp_values(&x, "pdfaid:part")? == ["2"], || {
        "pdfaid:part".into()
    })?;
    ensure(xmp_values(&x, "pdfaid:conformance")? == ["B"], || {
        "pdfaid:conformance".into()
    })
}
