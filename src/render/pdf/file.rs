//! The PDF file as it is written: each object goes to the output the moment it is complete
//! (pdf-writer builds its syntax), so a document of any length costs the memory of one page.
//! The cross-reference table and the trailer come last; the file ID is a digest of every
//! byte before it, so equal documents get equal IDs and the bytes are reproducible.

use std::io::Write;

use pdf_writer::{Chunk, Ref, Settings};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub struct PdfFile<'w> {
    out: &'w mut dyn Write,
    written: usize,
    digest: Sha256,
    /// Byte offset of each object, by object number (index 0 is the free-list head).
    offsets: Vec<Option<usize>>,
    next_id: i32,
}

fn io(e: std::io::Error) -> Error {
    Error::Pdf(format!("writing: {e}"))
}

impl<'w> PdfFile<'w> {
    /// Writes the header (PDF 1.7, with the binary marker viewers expect).
    pub fn new(out: &'w mut dyn Write) -> Result<PdfFile<'w>> {
        let mut file = PdfFile {
            out,
            written: 0,
            digest: Sha256::new(),
            offsets: vec![None],
            next_id: 1,
        };
        file.put(b"%PDF-1.7\n%\x80\x80\x80\x80\n")?;
        Ok(file)
    }

    /// A new object number, to be written later with [`PdfFile::object`].
    pub fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next_id);
        self.next_id += 1;
        self.offsets.push(None);
        r
    }

    /// Writes the one object `build` adds to the chunk.
    pub fn object(&mut self, build: impl FnOnce(&mut Chunk)) -> Result<()> {
        // Compact syntax: no indentation (the objects are small; a human reads them decoded).
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        build(&mut chunk);
        let mut refs = chunk.refs();
        let (Some(r), None) = (refs.next(), refs.next()) else {
            return Err(Error::Pdf("internal: one object per chunk".into()));
        };
        let slot = usize::try_from(r.get())
            .ok()
            .and_then(|i| self.offsets.get_mut(i))
            .ok_or_else(|| Error::Pdf(format!("internal: object {} was not allocated", r.get())))?;
        if slot.is_some() {
            return Err(Error::Pdf(format!(
                "internal: object {} written twice",
                r.get()
            )));
        }
        *slot = Some(self.written);
        self.put(chunk.as_bytes())
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(io)?;
        self.digest.update(bytes);
        self.written += bytes.len();
        Ok(())
    }

    /// The cross-reference table and the trailer. Every allocated object must be written.
    pub fn finish(mut self, catalog: Ref, info: Ref) -> Result<()> {
        let start = self.written;
        let id: String = self.digest.clone().finalize()[..16]
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let mut xref = format!("xref\n0 {}\n0000000000 65535 f\r\n", self.offsets.len());
        for (n, offset) in self.offsets.iter().enumerate().skip(1) {
            let Some(offset) = offset else {
                return Err(Error::Pdf(format!("internal: object {n} never written")));
            };
            xref.push_str(&format!("{offset:010} 00000 n\r\n"));
        }
        xref.push_str(&format!(
            "trailer\n<< /Size {} /Root {} 0 R /Info {} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{start}\n%%EOF\n",
            self.offsets.len(),
            catalog.get(),
            info.get(),
        ));
        self.put(xref.as_bytes())?;
        self.out.flush().map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::Name;

    #[test]
    fn objects_are_indexed_where_they_start() {
        let mut out = Vec::new();
        let mut f = PdfFile::new(&mut out).unwrap();
        let (catalog, pages, info) = (f.alloc(), f.alloc(), f.alloc());
        f.object(|c| {
            c.pages(pages).count(0);
        })
        .unwrap();
        f.object(|c| {
            c.indirect(info)
                .dict()
                .pair(Name(b"Producer"), pdf_writer::Str(b"t"));
        })
        .unwrap();
        f.object(|c| {
            c.indirect(catalog)
                .dict()
                .pair(Name(b"Type"), Name(b"Catalog"))
                .pair(Name(b"Pages"), pages);
        })
        .unwrap();
        assert!(f
            .object(|c| {
                c.pages(pages).count(0);
            })
            .is_err());
        f.finish(catalog, info).unwrap();
        let doc = lopdf::Document::load_mem(&out).unwrap();
        assert_eq!(
            doc.trailer.get(b"Root").unwrap().as_reference().unwrap(),
            (1, 0)
        );
        let at = out.windows(7).position(|w| w == b"2 0 obj").unwrap();
        let entry = format!("{at:010} 00000 n");
        assert!(out.windows(entry.len()).any(|w| w == entry.as_bytes()));
    }

    #[test]
    fn an_object_never_written_is_an_error() {
        let mut out = Vec::new();
        let mut f = PdfFile::new(&mut out).unwrap();
        let (catalog, info) = (f.alloc(), f.alloc());
        assert!(f.finish(catalog, info).is_err());
    }
}
