//! Drawing a page: text a whole laid-out line at a time, and straight lines.
//!
//! [`Canvas::line`] draws a line of text as one text object: one `Td` to the first word,
//! then the words and the spaces between them in `TJ` arrays, each word moved to its exact
//! place by a number (the pen position is known: the same advances are written into the
//! font's `/W` array). Glyphs, advances and kerning are the face's [`Pen`]; glyph numbers are
//! those of the subset
//! ([`FontUse`]); the spaces are real space glyphs, so text extraction needs no guessing.
//! The page's content goes into a [`Content`] (pdf-writer's syntax, glyph strings in
//! hexadecimal) that is written out and dropped as soon as the page is complete.
//!
//! A [`Frame`] is the part of the page an element may draw in: its top-left corner and size
//! in mm from the page's top-left.

use std::cell::RefCell;

use crate::doc::model::Mm;
use crate::fonts::{Face, FontBook, Pen};
use crate::render::pdf::content::{Content, TjItem};
use crate::render::pdf::embed::{resource_name, FontUse};

/// Millimetres to points, as the genpdf engine converted them.
pub(super) fn to_pt(mm: Mm) -> f32 {
    mm * 2.834_646
}

/// An area of the page: its top-left corner and size, in mm from the page's top-left.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    pub x: Mm,
    pub y: Mm,
    pub width: Mm,
    pub height: Mm,
}

impl Frame {
    pub(super) fn height(&self) -> Mm {
        self.height
    }

    pub(super) fn width(&self) -> Mm {
        self.width
    }

    /// The part of the frame below `dy`.
    pub(super) fn offset(&mut self, dy: Mm) {
        self.y += dy;
        self.height -= dy;
    }

    /// The frame inside these margins.
    pub(super) fn inset(&self, top: Mm, right: Mm, bottom: Mm, left: Mm) -> Frame {
        Frame {
            x: self.x + left,
            y: self.y + top,
            width: self.width - left - right,
            height: self.height - top - bottom,
        }
    }
}

/// A signer's signing space as drawn on this page: the area in mm from the page's top-left.
#[derive(Clone, Debug)]
pub(super) struct SigningArea {
    /// The signer's number, from 1.
    pub signer: usize,
    pub area: Frame,
}

/// The page being drawn: its content, the glyphs used so far, the fonts and their advances,
/// and where the signing spaces fell.
pub(super) struct Canvas<'a> {
    pub fonts: &'a FontBook,
    /// Paper height, mm (PDF's y axis points up).
    pub page_height: Mm,
    /// The page's number, from 1.
    pub page: usize,
    glyphs: &'a RefCell<FontUse>,
    content: RefCell<Content>,
    /// The line width set last (pt), so it is written only when it changes.
    line_width: RefCell<Option<f32>>,
    signing: RefCell<Vec<SigningArea>>,
}

/// A piece of a line: `text` in `face` at `size_pt`, its glyph origin `x` mm from the page's
/// left edge.
pub(super) struct Run<'t> {
    pub x: Mm,
    pub text: &'t str,
    pub face: Face,
    pub size_pt: f32,
    /// A space glyph goes before the text (the gap between two words).
    pub space_before: bool,
}

/// What goes into a `TJ` array.
enum Item {
    Glyphs(Vec<u8>),
    Adjust(f32),
}

impl<'a> Canvas<'a> {
    pub(super) fn new(
        fonts: &'a FontBook,
        glyphs: &'a RefCell<FontUse>,
        (page_height, page): (Mm, usize),
    ) -> Canvas<'a> {
        Canvas {
            fonts,
            page_height,
            page,
            glyphs,
            content: RefCell::new(Content::new()),
            line_width: RefCell::new(None),
            signing: RefCell::new(Vec::new()),
        }
    }

    /// The page's content stream (uncompressed) and the signing spaces placed on it.
    pub(super) fn finish(self) -> (Vec<u8>, Vec<SigningArea>) {
        let content = self.content.into_inner().finish();
        (content, self.signing.into_inner())
    }

    /// Notes that signer `signer`'s signing space is `area` on this page (nothing is drawn).
    pub(super) fn signing_space(&self, signer: usize, area: Frame) {
        self.signing.borrow_mut().push(SigningArea { signer, area });
    }

    /// A straight line from `a` to `b` (mm from the page's top-left), `thickness` mm wide.
    pub(super) fn stroke(&self, a: (Mm, Mm), b: (Mm, Mm), thickness: Mm) {
        let mut content = self.content.borrow_mut();
        let w = to_pt(thickness);
        let mut current = self.line_width.borrow_mut();
        if *current != Some(w) {
            content.set_line_width(w);
            *current = Some(w);
        }
        let y = |v: Mm| to_pt(self.page_height - v);
        content.stroke_line((to_pt(a.0), y(a.1)), (to_pt(b.0), y(b.1)));
    }

    /// A stroked rectangle with its top-left corner at (`x`, `y`) (mm from the page's
    /// top-left), `thickness` mm wide lines.
    pub(super) fn rect(&self, x: Mm, y: Mm, width: Mm, height: Mm, thickness: Mm) {
        let mut content = self.content.borrow_mut();
        let w = to_pt(thickness);
        let mut current = self.line_width.borrow_mut();
        if *current != Some(w) {
            content.set_line_width(w);
            *current = Some(w);
        }
        content.stroke_rect(
            to_pt(x),
            to_pt(self.page_height - y - height),
            to_pt(width),
            to_pt(height),
        );
    }

    /// Draws `runs` (left to right) on the baseline `baseline` mm from the page's top, as one
    /// text object.
    pub(super) fn line(&self, baseline: Mm, runs: &[Run<'_>]) {
        if runs.is_empty() {
            return;
        }
        let mut content = self.content.borrow_mut();
        let mut glyphs_used = self.glyphs.borrow_mut();
        content.begin_text();
        let mut font: Option<(Face, f32)> = None;
        // Pen position in pt from the left edge, once the text cursor is set.
        let mut pen: Option<f32> = None;
        let mut shown = Shown::default();
        for run in runs {
            let (face, size_pt) = (run.face, run.size_pt);
            let metrics: Pen<'_> = self.fonts.face(face).pen();
            if font != Some((face, size_pt)) {
                shown.show(&mut content);
                content.set_font(resource_name(face).0, size_pt);
                font = Some((face, size_pt));
            }
            let advance = |gid: u16| metrics.advance_milli(gid) as f32 / 1000.0 * size_pt;
            // The space between two words, as a glyph (not before a line's first word).
            if let (true, Some(p)) = (run.space_before, pen) {
                let space = metrics.glyph(' ');
                shown.glyph(glyphs_used.glyph(face, space, ' '));
                pen = Some(p + advance(space));
            }
            // Then the text, its first glyph origin moved exactly to `x`.
            let target = to_pt(run.x);
            match pen {
                None => {
                    content.next_line(target, to_pt(self.page_height - baseline));
                }
                Some(p) => {
                    let adjust = (p - target) * 1000.0 / size_pt;
                    if adjust.abs() > 1e-3 {
                        shown.adjust(adjust);
                    }
                }
            }
            let mut x = target;
            let mut previous: Option<u16> = None;
            for c in run.text.chars() {
                let gid = metrics.glyph(c);
                // Pair kerning within the text (not across runs).
                let k = previous.map_or(0, |left| metrics.kern_adjust(left, gid));
                previous = Some(gid);
                if k != 0 {
                    shown.adjust(k as f32);
                    x -= k as f32 / 1000.0 * size_pt;
                }
                shown.glyph(glyphs_used.glyph(face, gid, c));
                x += advance(gid);
            }
            pen = Some(x);
        }
        shown.show(&mut content);
        content.end_text();
    }
}

/// The `TJ` array of a line being built: runs of glyph codes between position adjustments.
#[derive(Default)]
struct Shown {
    items: Vec<Item>,
    glyphs: Vec<u8>,
}

impl Shown {
    fn glyph(&mut self, code: u16) {
        self.glyphs.extend_from_slice(&code.to_be_bytes());
    }

    fn adjust(&mut self, thousandths: f32) {
        self.flush();
        self.items.push(Item::Adjust(thousandths));
    }

    fn flush(&mut self) {
        if !self.glyphs.is_empty() {
            self.items
                .push(Item::Glyphs(std::mem::take(&mut self.glyphs)));
        }
    }

    /// Writes what was built as one `TJ` (nothing when empty) and starts again.
    fn show(&mut self, content: &mut Content) {
        self.flush();
        if self.items.is_empty() {
            return;
        }
        content.show_positioned(self.items.iter().map(|item| match item {
            Item::Glyphs(g) => TjItem::Glyphs(g),
            Item::Adjust(a) => TjItem::Adjust(*a),
        }));
        self.items.clear();
    }
}
