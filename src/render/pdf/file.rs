//! The PDF file as it is written: each stream (page content, font program) goes to the
//! output the moment it is complete (pdf-writer builds its syntax), so a document of any
//! length costs the memory of one page. The small dictionaries written at the end (fonts,
//! descriptors, the page tree, catalog, info) are packed into one compressed object stream,
//! and the cross-reference is a compressed stream too (PDF 1.5): the reference notice went
//! from 31,578 to 29,103 bytes. The file ID is a digest of every byte before it, so equal
//! documents get equal IDs and the bytes are reproducible.

use std::io::Write;

use pdf_writer::{Chunk, Filter, Name, Ref, Settings, Str};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::render::pdf::compress::deflate;

pub(super) struct PdfFile<'w> {
    out: &'w mut dyn Write,
    written: usize,
    digest: Sha256,
    /// Where each object is, by object number (index 0 is the free-list head).
    places: Vec<Option<Place>>,
    /// Dictionaries for the object stream: number and body.
    packed: Vec<(Ref, Vec<u8>)>,
    next_id: i32,
}

#[derive(Clone, Copy)]
enum Place {
    /// At this byte offset.
    At(usize),
    /// The n-th object of the object stream.
    Packed(usize),
}

fn io(e: std::io::Error) -> Error {
    Error::Pdf(format!("writing: {e}"))
}

impl<'w> PdfFile<'w> {
    /// Writes the header (PDF 1.7, with the binary marker viewers expect).
    pub(super) fn new(out: &'w mut dyn Write) -> Result<PdfFile<'w>> {
        let mut file = PdfFile {
            out,
            written: 0,
            digest: Sha256::new(),
            places: vec![None],
            packed: Vec::new(),
            next_id: 1,
        };
        file.put(b"%PDF-1.7\n%\x80\x80\x80\x80\n")?;
        Ok(file)
    }

    /// A new object number, to be written later with [`PdfFile::object`].
    pub(super) fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next_id);
        self.next_id += 1;
        self.places.push(None);
        r
    }

    fn slot(&mut self, r: Ref) -> Result<&mut Option<Place>> {
        let slot = usize::try_from(r.get())
            .ok()
            .and_then(|i| self.places.get_mut(i))
            .ok_or_else(|| Error::Pdf(format!("internal: object {} was not allocated", r.get())))?;
        if slot.is_some() {
            return Err(Error::Pdf(format!(
                "internal: object {} written twice",
                r.get()
            )));
        }
        Ok(slot)
    }

    /// The one object `build` adds, and its bytes.
    fn build(build: impl FnOnce(&mut Chunk)) -> Result<(Ref, Chunk)> {
        // Compact syntax: no indentation (the objects are small; a human reads them decoded).
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        build(&mut chunk);
        let one = {
            let mut refs = chunk.refs();
            match (refs.next(), refs.next()) {
                (Some(r), None) => Some(r),
                _ => None,
            }
        };
        let r = one.ok_or_else(|| Error::Pdf("internal: one object per chunk".into()))?;
        Ok((r, chunk))
    }

    /// Keeps the one dictionary `build` adds for the object stream written by
    /// [`PdfFile::finish`] (no streams: those cannot be packed).
    pub(super) fn packed(&mut self, build: impl FnOnce(&mut Chunk)) -> Result<()> {
        let (r, chunk) = Self::build(build)?;
        let bytes = chunk.as_bytes();
        let body = bytes
            .windows(4)
            .position(|w| w == b"obj\n")
            .map(|at| at + 4)
            .zip(bytes.windows(7).rposition(|w| w == b"\nendobj"))
            .and_then(|(from, to)| bytes.get(from..to))
            .ok_or_else(|| Error::Pdf("internal: unexpected object syntax".into()))?
            .to_vec();
        let index = self.packed.len();
        *self.slot(r)? = Some(Place::Packed(index));
        self.packed.push((r, body));
        Ok(())
    }

    /// Writes the one object `build` adds, now.
    pub(super) fn object(&mut self, build: impl FnOnce(&mut Chunk)) -> Result<()> {
        let (r, chunk) = Self::build(build)?;
        *self.slot(r)? = Some(Place::At(self.written));
        self.put(chunk.as_bytes())
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(io)?;
        self.digest.update(bytes);
        self.written += bytes.len();
        Ok(())
    }

    /// The object stream of the packed dictionaries, then the cross-reference stream with the
    /// trailer entries. Every allocated object must have been written or packed.
    pub(super) fn finish(mut self, catalog: Ref, info: Ref) -> Result<()> {
        let (objstm, xref) = (self.alloc(), self.alloc());
        let packed = std::mem::take(&mut self.packed);
        let mut index = String::new();
        let mut bodies: Vec<u8> = Vec::new();
        for (r, body) in &packed {
            index.push_str(&format!("{} {} ", r.get(), bodies.len()));
            bodies.extend_from_slice(body);
            bodies.push(b'\n');
        }
        let first = index.len();
        let mut data = index.into_bytes();
        data.extend_from_slice(&bodies);
        let data = deflate(&data)?;
        let count = i32::try_from(packed.len()).unwrap_or(i32::MAX);
        let first = i32::try_from(first).unwrap_or(i32::MAX);
        self.object(|c| {
            c.stream(objstm, &data)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Type"), Name(b"ObjStm"))
                .pair(Name(b"N"), count)
                .pair(Name(b"First"), first);
        })?;

        // One row per object: type, then offset (type 1) or object stream and index (type 2).
        let start = self.written;
        *self.slot(xref)? = Some(Place::At(start));
        let mut rows = Vec::with_capacity(self.places.len() * 7);
        rows.extend_from_slice(&[0, 0, 0, 0, 0, 0xFF, 0xFF]);
        for (n, place) in self.places.iter().enumerate().skip(1) {
            let (kind, a, b) = match place {
                Some(Place::At(offset)) => (1u8, *offset, 0usize),
                Some(Place::Packed(i)) => (2u8, objstm.get() as usize, *i),
                None => return Err(Error::Pdf(format!("internal: object {n} never written"))),
            };
            let a = u32::try_from(a).map_err(|_| Error::Pdf("the PDF exceeds 4 GB".into()))?;
            let b = u16::try_from(b)
                .map_err(|_| Error::Pdf("too many objects in the object stream".into()))?;
            rows.push(kind);
            rows.extend_from_slice(&a.to_be_bytes());
            rows.extend_from_slice(&b.to_be_bytes());
        }
        let rows = deflate(&rows)?;
        let id = self.digest.clone().finalize()[..16].to_vec();
        let size = i32::try_from(self.places.len()).unwrap_or(i32::MAX);
        let (r, chunk) = Self::build(|c| {
            let mut s = c.stream(xref, &rows);
            s.filter(Filter::FlateDecode)
                .pair(Name(b"Type"), Name(b"XRef"))
                .pair(Name(b"Size"), size)
                .pair(Name(b"Root"), catalog)
                .pair(Name(b"Info"), info);
            s.insert(Name(b"W")).array().items([1, 4, 2]);
            s.insert(Name(b"ID")).array().item(Str(&id)).item(Str(&id));
        })?;
        debug_assert_eq!(r, xref);
        self.put(chunk.as_bytes())?;
        self.put(format!("startxref\n{start}\n%%EOF\n").as_bytes())?;
        self.out.flush().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::Name;

    #[test]
    fn written_and_packed_objects_are_found_through_the_xref_stream() {
        let mut out = Vec::new();
        let mut f = PdfFile::new(&mut out).unwrap();
        let (catalog, pages, info, content) = (f.alloc(), f.alloc(), f.alloc(), f.alloc());
        f.object(|c| {
            c.stream(content, b"BT ET");
        })
        .unwrap();
        f.packed(|c| {
            c.pages(pages).count(0);
        })
        .unwrap();
        f.packed(|c| {
            c.indirect(info)
                .dict()
                .pair(Name(b"Producer"), pdf_writer::Str(b"t"));
        })
        .unwrap();
        f.packed(|c| {
            c.indirect(catalog)
                .dict()
                .pair(Name(b"Type"), Name(b"Catalog"))
                .pair(Name(b"Pages"), pages);
        })
        .unwrap();
        // Each object once, packed or not.
        assert!(f
            .packed(|c| {
                c.pages(pages).count(0);
            })
            .is_err());
        assert!(f
            .object(|c| {
                c.stream(content, b"");
            })
            .is_err());
        f.finish(catalog, info).unwrap();
        let doc = lopdf::Document::load_mem(&out).unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        assert_eq!(root, (1, 0));
        let catalog = doc.get_dictionary(root).unwrap();
        assert_eq!(
            catalog.get(b"Pages").unwrap().as_reference().unwrap(),
            (2, 0)
        );
        let info = doc.get_dictionary((3, 0)).unwrap();
        assert_eq!(info.get(b"Producer").unwrap().as_str().unwrap(), b"t");
        let stream = doc.get_object((4, 0)).unwrap().as_stream().unwrap();
        assert_eq!(stream.content, b"BT ET");
        assert!(doc.trailer.get(b"ID").is_ok());
    }

    #[test]
    fn an_object_never_written_is_an_error() {
        let mut out = Vec::new();
        let mut f = PdfFile::new(&mut out).unwrap();
        let (catalog, info) = (f.alloc(), f.alloc());
        assert!(f.finish(catalog, info).is_err());
    }
}
