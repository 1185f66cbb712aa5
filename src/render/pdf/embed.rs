//! The fonts a document embeds, subset while the pages are written.
//!
//! Each glyph gets its number in the subset the first time it is drawn (subsetter's
//! `GlyphRemapper`), so a page's content is final the moment the page is laid out and can be
//! written at once. When the last page is out, each face that was used is written as a CID
//! font: the subset program (subsetter, then the hinting dropped by [`super::strip`]), its
//! widths, a descriptor with the face's real metrics, and a Unicode map so text extraction
//! returns exactly the text drawn. Names carry the six-letter subset tag the PDF
//! specification requires (`ABCDEF+LiberationSerif-Bold`), derived from the program bytes.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Name, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::error::{Error, Result};
use crate::fonts::{Face, FontBook, FontFace};
use crate::render::pdf::compress::deflate;
use crate::render::pdf::file::PdfFile;

/// The glyphs used so far, per face.
#[derive(Default)]
pub(super) struct FontUse {
    faces: [Option<FaceUse>; 4],
    /// The first character drawn with the missing glyph (the fonts have none for it).
    missing: Option<char>,
}

struct FaceUse {
    remapper: GlyphRemapper,
    /// By number in the subset: the glyph in the full font and the text it was drawn for.
    glyphs: Vec<(u16, Option<char>)>,
}

/// The resource name of a face on every page.
pub(super) fn resource_name(face: Face) -> Name<'static> {
    Name(match face {
        Face::Regular => b"F0",
        Face::Bold => b"F1",
        Face::Italic => b"F2",
        Face::BoldItalic => b"F3",
    })
}

impl FontUse {
    /// The number in the subset of glyph `gid` of `face`, drawn for `text`.
    pub(super) fn glyph(&mut self, face: Face, gid: u16, text: char) -> u16 {
        if gid == 0 && self.missing.is_none() {
            self.missing = Some(text);
        }
        let f = self.faces[face as usize].get_or_insert_with(|| FaceUse {
            remapper: GlyphRemapper::new(),
            glyphs: vec![(0, None)],
        });
        let new = f.remapper.remap(gid);
        let i = usize::from(new);
        if f.glyphs.len() <= i {
            f.glyphs.resize(i + 1, (0, None));
        }
        if f.glyphs[i].1.is_none() {
            f.glyphs[i] = (gid, Some(text));
        }
        new
    }

    /// The first character drawn with the missing glyph, if any.
    pub(super) fn missing(&self) -> Option<char> {
        self.missing
    }

    /// Writes every face used; returns each with its font dictionary.
    pub(super) fn write(self, file: &mut PdfFile<'_>, book: &FontBook) -> Result<Vec<(Face, Ref)>> {
        let mut out = Vec::new();
        for (face, used) in Face::ALL.into_iter().zip(self.faces) {
            if let Some(used) = used {
                out.push((face, write_face(file, book, face, &used)?));
            }
        }
        Ok(out)
    }
}

fn subset_tag(program: &[u8]) -> String {
    Sha256::digest(program)
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn write_face(file: &mut PdfFile<'_>, book: &FontBook, face: Face, used: &FaceUse) -> Result<Ref> {
    let font = book.face(face);
    let subset = subsetter::subset(&font.data, 0, &used.remapper).map_err(|e| {
        Error::Pdf(format!(
            "subsetting {}: {e} (the font is not embedded whole instead)",
            font.postscript_name
        ))
    })?;
    let program = super::strip::strip_hinting(&subset).unwrap_or(subset);
    let base = format!("{}+{}", subset_tag(&program), font.postscript_name);
    let base = Name(base.as_bytes());
    let metrics = Metrics::of(font, face);

    let (type0, cid, descriptor, program_ref, cmap_ref) = (
        file.alloc(),
        file.alloc(),
        file.alloc(),
        file.alloc(),
        file.alloc(),
    );
    file.packed(|c| {
        c.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_ref);
    })?;
    let advances: Vec<f32> = used
        .glyphs
        .iter()
        .map(|&(gid, _)| font.pen().advance_milli(gid) as f32)
        .collect();
    file.packed(|c| {
        let mut f = c.cid_font(cid);
        f.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        f.widths().consecutive(0, advances.iter().copied());
    })?;
    file.packed(|c| {
        c.font_descriptor(descriptor)
            .name(base)
            .flags(metrics.flags)
            .bbox(metrics.bbox)
            .italic_angle(metrics.italic_angle)
            .ascent(metrics.ascent)
            .descent(metrics.descent)
            .cap_height(metrics.cap_height)
            .stem_v(metrics.stem_v)
            .font_file2(program_ref);
    })?;
    let packed = deflate(&program)?;
    file.object(|c| {
        c.stream(program_ref, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), i32::try_from(program.len()).unwrap_or(0));
    })?;
    write_to_unicode(file, cmap_ref, used)?;
    Ok(type0)
}

/// The subset's ToUnicode map, deflated into the file.
fn write_to_unicode(file: &mut PdfFile<'_>, cmap_ref: Ref, used: &FaceUse) -> Result<()> {
    let cmap = deflate(&unicode_cmap(&used.glyphs))?;
    file.object(|c| {
        c.cmap(cmap_ref, &cmap).filter(Filter::FlateDecode);
    })?;
    Ok(())
}

/// A subset's ToUnicode CMap (uncompressed): each new glyph number (the index in `glyphs`) to
/// the character it was first drawn for. `sign` writes its text signature's font with it too.
pub(crate) fn unicode_cmap(glyphs: &[(u16, Option<char>)]) -> Vec<u8> {
    let mut cmap = UnicodeCmap::new(
        Name(b"Vanthu-UTF16"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for (new, &(_, text)) in glyphs.iter().enumerate() {
        if let (Some(text), Ok(new)) = (text, u16::try_from(new)) {
            cmap.pair(new, text);
        }
    }
    cmap.finish().to_vec()
}

/// A face's descriptor values, in thousandths of an em.
struct Metrics {
    flags: FontFlags,
    bbox: Rect,
    italic_angle: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

impl Metrics {
    fn of(font: &FontFace, face: Face) -> Metrics {
        let d = font.descriptor;
        let k = 1000.0 / f32::from(font.units_per_em());
        let s = |v: i16| f32::from(v) * k;
        let [x_min, y_min, x_max, y_max] = d.bbox;
        let italic = matches!(face, Face::Italic | Face::BoldItalic);
        let bold = matches!(face, Face::Bold | Face::BoldItalic);
        let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
        if italic {
            flags |= FontFlags::ITALIC;
        }
        Metrics {
            flags,
            bbox: Rect::new(s(x_min), s(y_min), s(x_max), s(y_max)),
            italic_angle: d.italic_angle,
            ascent: s(d.ascender),
            descent: s(d.descender),
            cap_height: d.cap_height.map_or(s(d.ascender) * 0.7, s),
            // No face records it; the usual estimate from the weight class.
            stem_v: if bold { 140.0 } else { 80.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_character_drawn_with_the_missing_glyph_is_kept() {
        let mut used = FontUse::default();
        used.glyph(Face::Regular, 36, 'A');
        assert_eq!(used.missing(), None);
        assert_eq!(used.glyph(Face::Regular, 0, '\u{1F600}'), 0);
        used.glyph(Face::Bold, 0, '\u{2603}');
        assert_eq!(used.missing(), Some('\u{1F600}'));
    }
}
