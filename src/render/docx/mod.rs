//! The DOCX renderer: turns a [`DocumentStream`] into a Word file with docx-rs, block by block.
//!
//! [`blocks`] owns the page setup (A4, margins, header distance), the page-number header
//! (none on page 1), and the mapping of blocks: paragraphs with exact line pitch, rules as
//! bordered empty paragraphs, and two-column blocks as borderless fixed tables.
//! [`splice`] writes the archive: every part but the body comes from a docx-rs package with a
//! placeholder body, and the body is deflated as its blocks are built, so memory does not grow
//! with the length of the document. [`package`] fixes the archive's metadata and compression.

mod blocks;
mod package;
mod splice;
#[cfg(test)]
mod tests;

use std::io::Write;

use crate::doc::model::Mm;
use crate::doc::DocumentStream;
use crate::error::{Error, Result};
use crate::render::{Output, RenderContext, Renderer};

/// Renders the `.docx` output.
pub struct DocxRenderer;

impl Renderer for DocxRenderer {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render_to(
        &self,
        doc: DocumentStream<'_>,
        ctx: &RenderContext,
        out: &mut dyn Output,
    ) -> Result<()> {
        let family = &ctx.fonts.docx_family;
        let date = package::rfc3339(ctx.epoch);
        let (skeleton, mut body) = blocks::Builder::new(ctx.fonts).setup(&doc.page, &date)?;
        let blocks = doc.blocks;
        let write_body = |w: &mut dyn Write, sect_pr: &str| {
            let mut xml = blocks::ItemXml::default();
            xml.sect_pr = Some(sect_pr.to_owned());
            let mut emit = |item: blocks::Item| {
                w.write_all(&xml.xml(&item)?)
                    .map_err(|e| Error::Docx(format!("writing the document body: {e}")))
            };
            for block in blocks {
                let block = block?;
                body.block(&block, &mut emit)?;
            }
            body.finish(&mut emit)
        };
        splice::write(skeleton, &doc.meta_title, family, write_body, out)
    }
}

/// Millimetres to twentieths of a point (twips).
fn twips(mm: Mm) -> i32 {
    (f64::from(mm) * 1440.0 / 25.4).round() as i32
}

/// Points to twentieths of a point; negative and non-finite values become 0.
fn pt20(pt: f32) -> u32 {
    (f64::from(pt) * 20.0).round().clamp(0.0, 1e6) as u32
}

/// Points to half-points (`w:sz`), within what Word accepts (0.5–1638 pt).
fn half_points(pt: f32) -> usize {
    (f64::from(pt) * 2.0).round().clamp(1.0, 3276.0) as usize
}
