//! The PDF to sign, read with lopdf (its latest revision): the trailer entries an update
//! repeats, where its last cross-reference section is and of which kind, its pages, and its
//! signature fields.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::update::Trailer;
use crate::error::SignError;

/// The PDF to sign.
pub struct Source {
    pub doc: Document,
    pub trailer: Trailer,
}

/// A signature field: a merged field and widget dictionary (the shape vanthu, pyHanko and
/// most tools write).
#[derive(Debug, Clone)]
pub struct SigField {
    pub id: ObjectId,
    pub name: String,
    /// Has a signature value (`/V`).
    pub signed: bool,
    /// `[x0 y0 x1 y1]` in points, normalised (x0 < x1, y0 < y1).
    pub rect: [f32; 4],
    pub dict: Dictionary,
}

fn unreadable(what: impl std::fmt::Display) -> SignError {
    SignError::Unreadable(what.to_string())
}

impl Source {
    /// Reads `bytes`; an encrypted PDF is refused.
    pub fn load(bytes: &[u8]) -> Result<Source, SignError> {
        let doc = Document::load_mem(bytes).map_err(unreadable)?;
        if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
            return Err(unreadable("the file is encrypted; sign an unencrypted PDF"));
        }
        let (prev, stream) = last_xref(bytes)?;
        let mut kept = Dictionary::new();
        for key in [&b"Root"[..], b"Info", b"ID"] {
            if let Ok(v) = doc.trailer.get(key) {
                kept.set(key, v.clone());
            }
        }
        let size = doc
            .trailer
            .get(b"Size")
            .and_then(Object::as_i64)
            .unwrap_or(0)
            .max(i64::from(doc.max_id) + 1);
        let size = u32::try_from(size).map_err(|_| unreadable("its /Size is out of range"))?;
        Ok(Source {
            doc,
            trailer: Trailer {
                kept,
                size,
                prev,
                stream,
            },
        })
    }

    /// The catalog's object number.
    pub fn root_id(&self) -> Result<ObjectId, SignError> {
        self.doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|_| unreadable("no document catalog (/Root)"))
    }

    /// `key` of `dict`, following a reference.
    pub fn resolve<'a>(&'a self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let v = dict.get(key).ok()?;
        match v {
            Object::Reference(id) => self.doc.get_object(*id).ok(),
            other => Some(other),
        }
    }

    /// The AcroForm: its object number when it is an object of its own, and its dictionary.
    pub fn acroform(&self) -> Result<(Option<ObjectId>, Option<Dictionary>), SignError> {
        let catalog = self.doc.catalog().map_err(unreadable)?;
        Ok(match catalog.get(b"AcroForm") {
            Ok(Object::Reference(id)) => (Some(*id), self.doc.get_dictionary(*id).ok().cloned()),
            Ok(Object::Dictionary(d)) => (None, Some(d.clone())),
            _ => (None, None),
        })
    }

    /// The signature fields of the AcroForm, in its order (their kids included).
    pub fn signature_fields(&self) -> Result<Vec<SigField>, SignError> {
        let (_, form) = self.acroform()?;
        let mut found = Vec::new();
        if let Some(form) = form {
            if let Some(Object::Array(fields)) = self.resolve(&form, b"Fields") {
                for f in fields {
                    self.collect_fields(f, None, &mut found, 0);
                }
            }
        }
        Ok(found)
    }

    fn collect_fields(
        &self,
        f: &Object,
        inherited_ft: Option<Vec<u8>>,
        out: &mut Vec<SigField>,
        depth: u32,
    ) {
        let Ok(id) = f.as_reference() else { return };
        let Ok(dict) = self.doc.get_dictionary(id) else {
            return;
        };
        if depth > 32 {
            return;
        }
        let ft = dict
            .get(b"FT")
            .and_then(Object::as_name)
            .map(<[u8]>::to_vec)
            .ok()
            .or(inherited_ft);
        if let Some(Object::Array(kids)) = self.resolve(dict, b"Kids") {
            for k in kids {
                self.collect_fields(k, ft.clone(), out, depth + 1);
            }
            return;
        }
        if ft.as_deref() != Some(b"Sig") {
            return;
        }
        let name = match dict.get(b"T") {
            Ok(Object::String(s, _)) => String::from_utf8_lossy(s).into_owned(),
            _ => String::new(),
        };
        let rect = self.rect(dict).unwrap_or([0.0; 4]);
        let signed = !matches!(dict.get(b"V"), Err(_) | Ok(Object::Null));
        out.push(SigField {
            id,
            name,
            signed,
            rect,
            dict: dict.clone(),
        });
    }

    /// The `/Rect` of a widget, normalised.
    pub fn rect(&self, dict: &Dictionary) -> Option<[f32; 4]> {
        let Some(Object::Array(a)) = self.resolve(dict, b"Rect") else {
            return None;
        };
        let n: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
        let [x0, y0, x1, y1] = n[..] else { return None };
        Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
    }

    /// The page `number` (from 1) and its object number.
    pub fn page(&self, number: u32) -> Result<ObjectId, SignError> {
        let pages = self.doc.get_pages();
        pages.get(&number).copied().ok_or_else(|| {
            SignError::Placement(format!(
                "the document has {} page(s), not a page {number}",
                pages.len()
            ))
        })
    }

    /// The `/MediaBox` of a page (inherited from its parents), in points.
    pub fn media_box(&self, page: ObjectId) -> [f32; 4] {
        let mut at = Some(page);
        for _ in 0..32 {
            let Some(id) = at else { break };
            let Ok(d) = self.doc.get_dictionary(id) else {
                break;
            };
            if let Some(r) = self.rect_of(d, b"MediaBox") {
                return r;
            }
            at = d.get(b"Parent").and_then(Object::as_reference).ok();
        }
        [0.0, 0.0, 595.28, 841.89]
    }

    fn rect_of(&self, d: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
        let mut probe = Dictionary::new();
        probe.set("Rect", self.resolve(d, key)?.clone());
        self.rect(&probe)
    }
}

/// The offset of the last cross-reference section (`startxref`) and whether it is a stream.
fn last_xref(bytes: &[u8]) -> Result<(usize, bool), SignError> {
    let tail_from = bytes.len().saturating_sub(2048);
    let tail = &bytes[tail_from..];
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or_else(|| unreadable("no startxref at its end"))?;
    let digits: String = tail[at + 9..]
        .iter()
        .map(|&b| b as char)
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(char::is_ascii_digit)
        .collect();
    let offset: usize = digits
        .parse()
        .map_err(|_| unreadable("its startxref has no offset"))?;
    let section = bytes
        .get(offset..)
        .ok_or_else(|| unreadable("its startxref points past its end"))?;
    Ok((offset, !section.starts_with(b"xref")))
}
