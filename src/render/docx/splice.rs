//! The streamed package: every part but the body comes from a docx-rs `Docx` whose body is one
//! placeholder paragraph; `word/document.xml` is docx-rs's part with the placeholder replaced
//! by the body, written (and deflated) block by block as it is built, straight into the
//! output, so memory does not grow with the length of the document.
//!
//! Section breaks copy docx-rs's body `w:sectPr` (page size, margins, header references,
//! `titlePg`) into the paragraph that ends each section; a section that restarts the page
//! numbers gets `<w:pgNumType w:start="1" />`. The markup is checked, never assumed: an
//! unexpected shape is an error.

use std::io::{Cursor, Write};

use docx_rs::{BuildXML, Docx, Paragraph, Run};

use super::package::{self, CompleteBody, DOCUMENT};
use crate::doc::model::SectionStart;
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
    body: impl FnOnce(&mut dyn Write, &str) -> Result<Option<SectionStart>> + 'a,
    out: &mut dyn Output,
) -> Result<()> {
    let placeholder = Paragraph::new()
        .id("00000000")
        .add_run(Run::new().add_text("vanthu: the body goes here"));
    let splice = Splice::new(placeholder.build(), body);
    let stored = pack(skeleton.add_paragraph(placeholder))?;
    package::recompress(&stored, title, family, Some(splice.completer()), out).map(drop)
}

/// docx-rs's own (stored, uncompressed) archive of `docx`.
pub(super) fn pack(docx: Docx) -> Result<Vec<u8>> {
    let mut stored = Cursor::new(Vec::new());
    docx.pack(&mut stored)
        .map_err(|e| Error::Docx(format!("cannot write the package: {e}")))?;
    Ok(stored.into_inner())
}

/// Writes the body into the (deflating) writer of `word/document.xml`, given docx-rs's body
/// `w:sectPr`; returns how the last section started (`None`: one section).
type WriteBody<'a> = Box<dyn FnOnce(&mut dyn Write, &str) -> Result<Option<SectionStart>> + 'a>;

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
        body: impl FnOnce(&mut dyn Write, &str) -> Result<Option<SectionStart>> + 'a,
    ) -> Self {
        Splice {
            marker,
            body: Box::new(body),
        }
    }

    /// What completes the body part in [`package::recompress`].
    pub(super) fn completer(self) -> CompleteBody<'a> {
        Box::new(move |xml, out| self.write(xml, out))
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
        let tail = std::str::from_utf8(tail)
            .map_err(|_| Error::Docx(format!("{DOCUMENT} from docx-rs is not UTF-8")))?;
        let (at, end) = body_sect_pr(tail)?;
        out.write_all(head).map_err(io)?;
        let last = (self.body)(out, &tail[at..end])?;
        match last {
            None => out.write_all(tail.as_bytes()).map_err(io),
            Some(start) => {
                let sect = section_properties(&tail[at..end], Some(start))?;
                let patched = format!("{}{sect}{}", &tail[..at], &tail[end..]);
                out.write_all(patched.as_bytes()).map_err(io)
            }
        }
    }
}

const SECT_OPEN: &str = "<w:sectPr>";
const SECT_CLOSE: &str = "</w:sectPr>";

/// Where docx-rs's body `w:sectPr` is in the part's end: it must occur exactly once.
fn body_sect_pr(tail: &str) -> Result<(usize, usize)> {
    let shape = || Error::Docx(format!("unexpected {DOCUMENT} from docx-rs (body sectPr)"));
    let at = tail.find(SECT_OPEN).ok_or_else(shape)?;
    let end = tail[at..].find(SECT_CLOSE).ok_or_else(shape)? + at + SECT_CLOSE.len();
    if tail[end..].contains(SECT_OPEN) {
        return Err(shape());
    }
    Ok((at, end))
}

/// The `w:sectPr` of a section, from docx-rs's body one: the first section's is that one
/// unchanged; a later section starts on a new page (`w:type nextPage`) and, when it restarts
/// the numbering, at 1 with its first page unnumbered (`pgNumType start=1`, `titlePg`),
/// otherwise numbered on from the section before, its first page included.
pub(super) fn section_properties(base: &str, start: Option<SectionStart>) -> Result<String> {
    let Some(start) = start else {
        return Ok(base.to_owned());
    };
    let shape = || Error::Docx("unexpected sectPr from docx-rs".into());
    if !base.starts_with(SECT_OPEN) || !base.ends_with(SECT_CLOSE) || base.contains("pgNumType") {
        return Err(shape());
    }
    const TITLE_PG: &str = "<w:titlePg />";
    let mut sect = base.to_owned();
    if !start.restart_numbering {
        sect = sect.replacen(TITLE_PG, "", 1);
    }
    let extra = if start.restart_numbering {
        r#"<w:pgNumType w:start="1" /><w:type w:val="nextPage" />"#
    } else {
        r#"<w:type w:val="nextPage" />"#
    };
    // docx-rs's order: page number type and section type come before `titlePg`.
    let at = sect.find(TITLE_PG).unwrap_or(sect.len() - SECT_CLOSE.len());
    sect.insert_str(at, extra);
    Ok(sect)
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
