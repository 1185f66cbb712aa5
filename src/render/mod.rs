//! Renderers: each turns a [`Document`] into the bytes of one output format.
//!
//! Adding an output format means adding a module here and a [`Renderer`] implementation.

pub mod docx;
pub mod pdf;

use crate::doc::model::Document;
use crate::error::Result;
use crate::fonts::FontBook;

/// What a renderer may use besides the document: fonts and the fixed clock.
pub struct RenderContext<'a> {
    pub fonts: &'a FontBook,
    /// Seconds since the Unix epoch written as creation/modification time
    /// (`SOURCE_DATE_EPOCH`, or 0). Never the wall clock.
    pub epoch: i64,
}

pub trait Renderer: Sync {
    /// File extension without the dot.
    fn extension(&self) -> &'static str;
    fn render(&self, doc: &Document, ctx: &RenderContext) -> Result<Vec<u8>>;
}

/// Every built-in renderer, in output order.
pub fn all() -> Vec<Box<dyn Renderer>> {
    vec![Box::new(pdf::PdfRenderer), Box::new(docx::DocxRenderer)]
}
