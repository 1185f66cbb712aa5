//! The PDF to sign, read with hayro-syntax (its latest revision: cross-reference tables and
//! streams, object streams, the `/Prev` chain): the trailer entries an update repeats, where
//! its last cross-reference section is and of which kind, its pages, and its signature
//! fields. Objects come out as [`super::object`]'s types ([`super::syntax`] reads the bytes
//! hayro-syntax finds), so an object rewritten keeps its entries and reals as written.

use hayro_syntax::object::{self as hayro, ObjectIdentifier};
use hayro_syntax::{LoadPdfError, Pdf};

use super::object::{Dictionary, Object, ObjectId};
use super::syntax;
use super::update::Trailer;
use crate::error::SignError;

/// The PDF to sign.
pub struct Source {
    pdf: Pdf,
    pub trailer: Trailer,
    root: ObjectId,
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

fn identifier((number, generation): ObjectId) -> ObjectIdentifier {
    ObjectIdentifier::new(number, i32::from(generation))
}

impl Source {
    /// Reads `bytes`; an encrypted PDF is refused.
    pub fn load(bytes: &[u8]) -> Result<Source, SignError> {
        let (prev, stream) = last_xref(bytes)?;
        let last = last_trailer(bytes, prev, stream)?;
        if last.has(b"Encrypt") {
            return Err(unreadable("the file is encrypted; sign an unencrypted PDF"));
        }
        let pdf = Pdf::new(std::sync::Arc::new(bytes.to_vec())).map_err(|e| match e {
            LoadPdfError::Decryption(_) => {
                unreadable("the file is encrypted; sign an unencrypted PDF")
            }
            LoadPdfError::Invalid => unreadable("no cross-reference section or catalog found"),
        })?;
        let root = last
            .get(b"Root")
            .and_then(Object::as_reference)
            .ok_or_else(|| unreadable("no document catalog (/Root)"))?;
        let mut kept = Dictionary::new();
        for key in [&b"Root"[..], b"Info", b"ID"] {
            if let Some(v) = last.get(key) {
                kept.set(key, v.clone());
            }
        }
        let mut size = last
            .get(b"Size")
            .and_then(Object::as_i64)
            .and_then(|s| u32::try_from(s).ok())
            .filter(|&s| s > root.0)
            .ok_or_else(|| unreadable("its trailer's /Size is missing or out of range"))?;
        // A /Size too small (some tools write one) would give a new object an old one's
        // number: step past any object the file has at it.
        while pdf
            .xref()
            .get::<hayro::Object<'_>>(identifier((size, 0)))
            .is_some()
        {
            size = size
                .checked_add(1)
                .ok_or_else(|| unreadable("its object numbers are out of range"))?;
        }
        Ok(Source {
            pdf,
            root,
            trailer: Trailer {
                kept,
                size,
                prev,
                stream,
            },
        })
    }

    /// The catalog's object number.
    pub fn root_id(&self) -> ObjectId {
        self.root
    }

    /// The catalog.
    pub fn catalog(&self) -> Result<Dictionary, SignError> {
        self.dictionary(self.root)
            .ok_or_else(|| unreadable("its document catalog is not a dictionary"))
    }

    /// The object `id` (a stream with its content decoded); `None` when it is missing or
    /// unreadable.
    pub fn object(&self, id: ObjectId) -> Option<Object> {
        let found = self.pdf.xref().get::<hayro::Object<'_>>(identifier(id))?;
        match found {
            hayro::Object::Dict(d) => syntax::parse(d.data()),
            hayro::Object::Array(a) => syntax::parse(a.data()),
            hayro::Object::Stream(s) => Some(Object::Stream(super::object::Stream::new(
                syntax::parse_dictionary(s.dict().data())?,
                s.decoded().ok()?.into_owned(),
            ))),
            hayro::Object::Name(n) => Some(Object::Name(n.as_ref().to_vec())),
            hayro::Object::String(s) => Some(Object::String(s.as_bytes().to_vec())),
            hayro::Object::Boolean(b) => Some(Object::Boolean(b)),
            hayro::Object::Null(_) => Some(Object::Null),
            hayro::Object::Number(n) => Some(match n.as_f64() {
                f if f.fract() == 0.0 && f.abs() < 1e15 => Object::Integer(n.as_i64()),
                f => Object::Written(format!("{f}").into_bytes()),
            }),
        }
    }

    /// The dictionary `id`.
    pub fn dictionary(&self, id: ObjectId) -> Option<Dictionary> {
        match self.object(id)? {
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }

    /// The bytes of the dictionary `id` as the file writes it, from `<<` to `>>`.
    pub fn dictionary_bytes(&self, id: ObjectId) -> Option<&[u8]> {
        let d = self.pdf.xref().get::<hayro::Dict<'_>>(identifier(id))?;
        Some(d.data())
    }

    /// `key` of `dict`, following a reference.
    pub fn resolve(&self, dict: &Dictionary, key: &[u8]) -> Option<Object> {
        match dict.get(key)? {
            Object::Reference(id) => self.object(*id),
            other => Some(other.clone()),
        }
    }

    /// The AcroForm: its object number when it is an object of its own, and its dictionary.
    pub fn acroform(&self) -> Result<(Option<ObjectId>, Option<Dictionary>), SignError> {
        Ok(match self.catalog()?.get(b"AcroForm") {
            Some(Object::Reference(id)) => (Some(*id), self.dictionary(*id)),
            Some(Object::Dictionary(d)) => (None, Some(d.clone())),
            _ => (None, None),
        })
    }

    /// The signature fields of the AcroForm, in its order (their kids included).
    pub fn signature_fields(&self) -> Result<Vec<SigField>, SignError> {
        let (_, form) = self.acroform()?;
        let mut found = Vec::new();
        if let Some(Object::Array(fields)) = form.and_then(|f| self.resolve(&f, b"Fields")) {
            for f in &fields {
                self.collect_fields(f, None, &mut found, 0);
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
        let Some(id) = f.as_reference() else { return };
        let Some(dict) = self.dictionary(id) else {
            return;
        };
        if depth > 32 {
            return;
        }
        let ft = dict
            .get(b"FT")
            .and_then(Object::as_name)
            .map(<[u8]>::to_vec)
            .or(inherited_ft);
        if let Some(Object::Array(kids)) = self.resolve(&dict, b"Kids") {
            for k in &kids {
                self.collect_fields(k, ft.clone(), out, depth + 1);
            }
            return;
        }
        if ft.as_deref() != Some(b"Sig") {
            return;
        }
        let name = match dict.get(b"T") {
            Some(Object::String(s)) => String::from_utf8_lossy(s).into_owned(),
            _ => String::new(),
        };
        let rect = self.rect(&dict, b"Rect").unwrap_or([0.0; 4]);
        let signed = !matches!(dict.get(b"V"), None | Some(Object::Null));
        out.push(SigField {
            id,
            name,
            signed,
            rect,
            dict,
        });
    }

    /// The rectangle `key` of `dict` (`/Rect` of a widget), normalised.
    pub fn rect(&self, dict: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
        let Some(Object::Array(a)) = self.resolve(dict, key) else {
            return None;
        };
        let n: Vec<f32> = a.iter().filter_map(Object::as_f32).collect();
        let [x0, y0, x1, y1] = n[..] else { return None };
        Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
    }

    /// The page `number` (from 1) and its object number.
    pub fn page(&self, number: u32) -> Result<ObjectId, SignError> {
        let pages = self.pdf.pages();
        let page = number
            .checked_sub(1)
            .and_then(|i| pages.get(i as usize))
            .ok_or_else(|| {
                SignError::Placement(format!(
                    "the document has {} page(s), not a page {number}",
                    pages.len()
                ))
            })?;
        let id = page
            .raw()
            .obj_id()
            .ok_or_else(|| unreadable(format!("page {number} is not an object of its own")))?;
        let generation = u16::try_from(id.gen_number)
            .map_err(|_| unreadable(format!("page {number} has a bad generation number")))?;
        Ok((id.obj_number, generation))
    }

    /// The `/MediaBox` of page `number` (from 1; inherited from its parents), in points.
    pub fn media_box(&self, number: u32) -> [f32; 4] {
        let pages = self.pdf.pages();
        match number.checked_sub(1).and_then(|i| pages.get(i as usize)) {
            Some(page) => {
                let r = page.media_box();
                [r.x0, r.y0, r.x1, r.y1].map(|v| v as f32)
            }
            None => [0.0, 0.0, 595.28, 841.89],
        }
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

/// The trailer of the last cross-reference section (at `offset`): the dictionary after
/// `trailer` for a table, the stream's dictionary for a cross-reference stream.
fn last_trailer(bytes: &[u8], offset: usize, stream: bool) -> Result<Dictionary, SignError> {
    let section = &bytes[offset..];
    let keyword: &[u8] = if stream { b"obj" } else { b"trailer" };
    let at = section
        .windows(keyword.len())
        .position(|w| w == keyword)
        .ok_or_else(|| unreadable("no trailer after its last cross-reference section"))?;
    syntax::parse_dictionary(&section[at + keyword.len()..])
        .ok_or_else(|| unreadable("its last trailer is not a dictionary"))
}

#[cfg(test)]
mod tests {
    use super::Source;

    /// A one-page PDF with a classic cross-reference table and the trailer's `/Size` given.
    fn tiny_pdf(size: u32) -> Vec<u8> {
        let objects = [
            "<</Type /Catalog /Pages 2 0 R>>",
            "<</Type /Pages /Kids [3 0 R] /Count 1>>",
            "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200.5 100]>>",
        ];
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 4\n0000000000 65535 f\r\n");
        for at in offsets {
            out.extend_from_slice(format!("{at:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<</Size {size} /Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    #[test]
    fn issue11_reads_the_trailer_pages_and_steps_past_a_size_too_small() {
        let source = Source::load(&tiny_pdf(4)).unwrap();
        assert_eq!(source.trailer.size, 4);
        assert!(!source.trailer.stream);
        assert_eq!(source.root_id(), (1, 0));
        assert_eq!(source.page(1).unwrap(), (3, 0));
        assert!(source.page(2).is_err() && source.page(0).is_err());
        assert_eq!(source.media_box(1), [0.0, 0.0, 200.5, 100.0]);
        assert_eq!(
            source.dictionary_bytes((3, 0)).unwrap(),
            b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 200.5 100]>>"
        );
        assert_eq!(Source::load(&tiny_pdf(2)).unwrap().trailer.size, 4);
        assert!(Source::load(b"%PDF-1.7\nnothing here").is_err());
    }
}
