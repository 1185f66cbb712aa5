//! The streamed package: every part but the body comes from a docx-rs `Docx` whose body is one
//! placeholder paragraph; `word/document.xml` is docx-rs's part with the placeholder replaced
//! by the body, written (and deflated) block by block as it is built, straight into the
//! output, so memory does not grow with the length of the document.

use std::io::{Cursor, Write};

use docx_rs::{BuildXML, Docx, Paragraph, Run};

use super::package::{self, DOCUMENT};
use crate::error::{Error, Result};
use crate::render::Output;

/// Writes the package of `skeleton` (a `Docx` with everything but the body) to `out`, with
/// the body that `body` writes into the deflating `word/document.xml`: docx-rs's part up to
/// and including `<w:body>`, then `body`'s bytes, then docx-rs's part from the section
/// properties on. The split is found with a placeholder paragraph, so no docx-rs markup is
/// assumed.
pub(super) fn write<'a>(
    skeleton: Docx,
    title: &str,
    family: &str,
    body: impl FnOnce(&mut dyn Write) -> Result<()> + 'a,
    out: &mut dyn Output,
) -> Result<()> {
    let placeholder = Paragraph::new()
        .id("00000000")
        .add_run(Run::new().add_text("vanthu: the body goes here"));
    let splice = Splice::new(placeholder.build(), body);
    let stored = pack(skeleton.add_paragraph(placeholder))?;
    package::recompress(&stored, title, family, Some(splice), out).map(drop)
}

/// docx-rs's own (stored, uncompressed) archive of `docx`.
pub(super) fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut stored = Cursor::new(Vec::new());
    docx.pack(&mut stored)
        .map_err(|e| Error::Docx(format!("cannot write the package: {e}")))?;
    Ok(stored.into_inner())
}

/// Writes the body into the (deflating) writer of `word/document.xml`.
type WriteBody<'a> = Box<dyn FnOnce(&mut dyn Write) -> Result<()> + 'a>;

/// How `word/document.xml` is completed: the bytes of the placeholder to replace, and what
/// writes the body in its place.
pub(super) struct Splice<'a> {
    marker: Vec<u8>,
    body: WriteBody<'a>,
}

impl<'a> Splice<'a> {
    /// Replaces `marker` (the placeholder's XML) with what `body` writes.
    pub(super) fn new(
        marker: Vec<u8>,
        body: impl FnOnce(&mut dyn Write) -> Result<()> + 'a,
    ) -> Self {
        Splice {
            marker,
            body: Box::new(body),
        }
    }

    /// Writes `xml` (docx-rs's `word/document.xml`) to `out` with the body in place of the
    /// placeholder, which must occur exactly once.
    pub(super) fn write(self, xml: &[u8], out: &mut dyn Write) -> Result<()> {
        let missing = || {
            Error::Docx(format!(
                "{DOCUMENT} from docx-rs does not hold the body placeholder exactly once"
            ))
        };
        let (head, tail) = split_at_marker(xml, &self.marker).ok_or_else(missing)?;
        let io = |e: std::io::Error| Error::Docx(format!("writing {DOCUMENT}: {e}"));
        out.write_all(head).map_err(io)?;
        (self.body)(out)?;
        out.write_all(tail).map_err(io)
    }
}

/// What comes before and after `marker` (a placeholder's XML) in `xml`; `None` unless it
/// occurs exactly once.
pub(super) fn split_at_marker<'x>(xml: &'x [u8], marker: &[u8]) -> Option<(&'x [u8], &'x [u8])> {
    let find = |hay: &[u8]| {
        (!marker.is_empty())
            .then(|| hay.windows(marker.len()).position(|w| w == marker))
            .flatten()
    };
    let at = find(xml)?;
    let (head, tail) = (&xml[..at], &xml[at + marker.len()..]);
    find(tail).is_none().then_some((head, tail))
}
