//! Renderers: each turns a [`Document`] into the bytes of one output format.
//!
//! Adding an output format means adding a module here and a [`Renderer`] implementation.

pub(crate) mod boxed;
pub(crate) mod docx;
pub(crate) mod pdf;

use std::io::{Cursor, Seek, Write};

use crate::doc::model::Document;
use crate::doc::DocumentStream;
use crate::error::Result;
use crate::fonts::FontBook;

/// What a renderer may use besides the document: fonts and the fixed clock.
pub struct RenderContext<'a> {
    pub fonts: &'a FontBook,
    /// Seconds since the Unix epoch written as creation/modification time
    /// (`SOURCE_DATE_EPOCH`, or 0). Never the wall clock.
    pub epoch: i64,
    /// What the PDF holds besides the pages (the DOCX ignores it).
    pub pdf: PdfOptions,
}

/// Options of the PDF output; both off gives the plain PDF, byte for byte as before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Signature fields at the places the model keeps for signatures (`person-N`,
    /// `organisation`, `electronic`): `--signing-fields`.
    pub signing_fields: bool,
    /// PDF/A-2b: XMP metadata, an sRGB output intent: `--pdfa`.
    pub pdfa: bool,
}

pub trait Renderer: Send + Sync {
    /// File extension without the dot.
    fn extension(&self) -> &'static str;
    /// Writes the document to `out` (from its current position, which should be the start),
    /// pulling its blocks as it goes.
    fn render_to(
        &self,
        doc: DocumentStream<'_>,
        ctx: &RenderContext,
        out: &mut dyn Output,
    ) -> Result<()>;

    /// The document's bytes (exporters are functions that return bytes).
    fn render(&self, doc: &Document, ctx: &RenderContext) -> Result<Vec<u8>> {
        let mut out = Cursor::new(Vec::with_capacity(64 * 1024));
        self.render_to(doc.stream(), ctx, &mut out)?;
        Ok(out.into_inner())
    }
}

/// Where a renderer writes: a file or a buffer. A DOCX archive seeks back to fill in each
/// entry's sizes, so a long document goes straight to its (temporary) file and nowhere else.
pub trait Output: Write + Seek {}

impl<T: Write + Seek> Output for T {}

/// Every built-in renderer, in output order.
pub fn all() -> Vec<Box<dyn Renderer>> {
    vec![Box::new(pdf::PdfRenderer), Box::new(docx::DocxRenderer)]
}
