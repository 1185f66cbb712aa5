//! A font is checked when it is loaded: every table inside the file, the tables layout and
//! the PDF need, and a drawable glyph with a width for every printable ASCII character. A
//! truncated or damaged file is refused naming the file, instead of every record being
//! blamed later for characters "that cannot be printed".

use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::prelude::{LocationRef, Size};
use skrifa::raw::{FileRef, FontRef, TableProvider};
use skrifa::MetadataProvider;

/// A table of the font file reaching past its end: a truncated copy.
pub(super) fn check_tables(data: &[u8]) -> Result<(), String> {
    let file = FileRef::new(data).map_err(|e| format!("not a usable TrueType font ({e})"))?;
    let font = match file {
        FileRef::Font(f) => f,
        FileRef::Collection(c) => c
            .get(0)
            .map_err(|e| format!("not a usable TrueType font ({e})"))?,
    };
    for record in font.table_directory().table_records() {
        let end = u64::from(record.offset()) + u64::from(record.length());
        if end > data.len() as u64 {
            return Err(format!(
                "the file is truncated or damaged: its `{}` table ends at byte {end}, but the \
                 file has {} bytes",
                record.tag(),
                data.len()
            ));
        }
    }
    Ok(())
}

/// A table the layout or the PDF needs is missing, or a printable ASCII character has no
/// glyph with a width and an outline.
pub(super) fn check_glyphs(font: &FontRef<'_>) -> Result<(), String> {
    let outlines = font.glyf().is_ok() || font.cff().is_ok();
    for (table, present) in [
        ("cmap", font.cmap().is_ok()),
        ("hmtx", font.hmtx().is_ok()),
        ("glyf", outlines),
    ] {
        if !present {
            return Err(format!("the font has no usable `{table}` table"));
        }
    }
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let glyphs = font.outline_glyphs();
    for c in (0x21u8..0x7f).map(char::from) {
        let drawn = charmap.map(c).filter(|&g| {
            metrics.advance_width(g).is_some_and(|a| a > 0.0)
                && glyphs.get(g).is_some_and(|outline| {
                    let mut pen = CountSegments(0);
                    let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                    outline.draw(settings, &mut pen).is_ok() && pen.0 > 0
                })
        });
        if drawn.is_none() {
            return Err(format!(
                "the font has no usable glyph for `{c}` (missing from its character map, \
                 or without a width or an outline)"
            ));
        }
    }
    Ok(())
}

/// Counts an outline's segments: [`check_glyphs`] only asks whether one can be read and
/// draws something.
struct CountSegments(usize);

impl OutlinePen for CountSegments {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {
        self.0 += 1;
    }
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn close(&mut self) {}
}
