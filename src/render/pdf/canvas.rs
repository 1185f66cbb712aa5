//! Drawing text on a page without genpdf's per-word text objects.
//!
//! genpdf's `Area::print_str` opens a text object per call (`BT`, `TL`, `Td`, `Tf`, `TJ`,
//! `ET`) and printpdf keeps every glyph as its own PDF string until the document is saved:
//! about 1 MB of memory per page and most of the time spent drawing. [`Canvas::line`] draws a
//! whole laid-out line as one text object: one `Td` to the first word, then the words and
//! the spaces between them in `TJ` arrays, each word moved to its exact place by a number (the
//! pen position is known: the advances printpdf writes into the font's `/W` array). Glyphs,
//! kerning and positions are those genpdf would draw; the spaces are real space glyphs, so
//! text extraction needs no guessing.
//!
//! A [`Frame`] is genpdf's drawing area (still used for rules and borders) together with its
//! absolute position on the page, which genpdf keeps private.

use genpdfi::fonts::FontCache;
use genpdfi::render::Area;
use genpdfi::style::Style;
use genpdfi::Position;
use printpdf::lopdf::content::Operation;
use printpdf::lopdf::{Object, StringFormat};

use crate::doc::model::Mm;
use crate::fonts::{Face, FontBook};

/// An area of the page and where its top-left corner is, in mm from the page's top-left.
#[derive(Clone)]
pub struct Frame<'p> {
    pub area: Area<'p>,
    pub x: Mm,
    pub y: Mm,
}

impl<'p> Frame<'p> {
    pub fn height(&self) -> Mm {
        self.area.size().height.into()
    }

    pub fn width(&self) -> Mm {
        self.area.size().width.into()
    }

    /// The part of the frame below `dy`.
    pub fn offset(&mut self, dy: Mm) {
        self.area.add_offset(Position::new(0.0, dy));
        self.y += dy;
    }

    /// The same origin, with no bottom limit (for drawing what was already measured).
    pub fn unbounded(&self) -> Frame<'p> {
        let mut f = self.clone();
        f.area.set_height(genpdfi::Mm::from(10_000.0));
        f
    }
}

/// Advances in thousandths of an em, truncated as printpdf writes them into `/W`.
struct Widths {
    per_face: [Vec<i64>; 4],
}

impl Widths {
    fn new(fonts: &FontBook) -> Widths {
        let per_face = Face::ALL.map(|f| {
            let Ok(face) = ttf_parser::Face::parse(fonts.face(f).data.as_slice(), 0) else {
                return Vec::new();
            };
            let scale = 1000.0 / f32::from(face.units_per_em());
            (0..face.number_of_glyphs())
                .map(|g| {
                    face.glyph_hor_advance(ttf_parser::GlyphId(g))
                        .map_or(0, |w| (f32::from(w) * scale) as i64)
                })
                .collect()
        });
        Widths { per_face }
    }

    fn get(&self, face: Face, gid: u16) -> i64 {
        self.per_face[face as usize]
            .get(usize::from(gid))
            .copied()
            .unwrap_or(0)
    }
}

/// The current page's layer, the fonts, and the glyph advances.
pub struct Canvas<'a> {
    pub font_cache: &'a FontCache,
    pub layer: printpdf::PdfLayerReference,
    /// Paper height, mm (PDF's y axis points up).
    pub page_height: Mm,
    widths: &'a WidthTable,
}

/// The advances of the four faces, computed once per font book.
pub struct WidthTable(Widths);

impl WidthTable {
    pub fn new(fonts: &FontBook) -> WidthTable {
        WidthTable(Widths::new(fonts))
    }
}

/// A piece of a line: `text` in `style`, its glyph origin `x` mm from the page's left edge.
pub struct Run<'t> {
    pub x: Mm,
    pub text: &'t str,
    pub style: Style,
    /// A space glyph goes before the text (the gap between two words).
    pub space_before: bool,
}

impl<'a> Canvas<'a> {
    pub fn new(
        font_cache: &'a FontCache,
        layer: printpdf::PdfLayerReference,
        page_height: Mm,
        widths: &'a WidthTable,
    ) -> Canvas<'a> {
        Canvas {
            font_cache,
            layer,
            page_height,
            widths,
        }
    }

    /// Draws `runs` (left to right) on the baseline `baseline` mm from the page's top, as one
    /// text object.
    pub fn line(&self, baseline: Mm, runs: &[Run<'_>]) {
        if runs.is_empty() {
            return;
        }
        self.layer.add_operation(Operation::new("BT", vec![]));
        let mut font: Option<(genpdfi::fonts::Font, u8)> = None;
        // Pen position in pt from the left edge, once the text cursor is set.
        let mut pen: Option<f32> = None;
        let mut items: Vec<Object> = Vec::new();
        let mut glyphs: Vec<u8> = Vec::new();
        let flush_glyphs = |items: &mut Vec<Object>, glyphs: &mut Vec<u8>| {
            if !glyphs.is_empty() {
                items.push(Object::String(
                    std::mem::take(glyphs),
                    StringFormat::Hexadecimal,
                ));
            }
        };
        for run in runs {
            let f = run.style.font(self.font_cache);
            let size = run.style.font_size();
            let face = Face::of(run.style.is_bold(), run.style.is_italic());
            let size_pt = f32::from(size);
            if font.is_none_or(|(cur, s)| cur != f || s != size) {
                flush_glyphs(&mut items, &mut glyphs);
                if !items.is_empty() {
                    self.layer.add_operation(Operation::new(
                        "TJ",
                        vec![Object::Array(std::mem::take(&mut items))],
                    ));
                }
                if let Some(pdf_font) = self.font_cache.get_pdf_font(f) {
                    self.layer.set_font(pdf_font, size_pt);
                }
                font = Some((f, size));
            }
            let advance = |gid: u16| self.widths.0.get(face, gid) as f32 / 1000.0 * size_pt;
            // The space between two words, as a glyph (not before a line's first word).
            if let (true, Some(p)) = (run.space_before, pen) {
                if let Some(&space) = f.glyph_ids(self.font_cache, [' ']).first() {
                    glyphs.extend_from_slice(&space.to_be_bytes());
                    pen = Some(p + advance(space));
                }
            }
            // Then the text, its first glyph origin moved exactly to `x`.
            let target = printpdf::Pt::from(printpdf::Mm(run.x)).0;
            match pen {
                None => self.layer.set_text_cursor(
                    printpdf::Mm(run.x),
                    printpdf::Mm(self.page_height - baseline),
                ),
                Some(p) => {
                    let adjust = (p - target) * 1000.0 / size_pt;
                    if adjust.abs() > 1e-3 {
                        flush_glyphs(&mut items, &mut glyphs);
                        items.push(Object::Real(adjust));
                    }
                }
            }
            let mut x = target;
            let gids = f.glyph_ids(self.font_cache, run.text.chars());
            let kerning = f.kerning(self.font_cache, run.text.chars());
            for (gid, kern) in gids.into_iter().zip(kerning) {
                // Pair kerning within the text, as genpdf applies it.
                let k = (-kern * 1000.0) as i64;
                if k != 0 {
                    flush_glyphs(&mut items, &mut glyphs);
                    items.push(Object::Integer(k));
                    x -= k as f32 / 1000.0 * size_pt;
                }
                glyphs.extend_from_slice(&gid.to_be_bytes());
                x += advance(gid);
            }
            pen = Some(x);
        }
        flush_glyphs(&mut items, &mut glyphs);
        if !items.is_empty() {
            self.layer
                .add_operation(Operation::new("TJ", vec![Object::Array(items)]));
        }
        self.layer.add_operation(Operation::new("ET", vec![]));
    }
}
