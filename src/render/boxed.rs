//! The geometry of a boxed mark that both renderers share: its width (given, or measured from
//! its text), its paragraph, and the spacer paragraphs the DOCX needs around a table, which the
//! PDF reproduces so that both lay out the same heights.

use crate::doc::model::{Boxed, Mm, Paragraph, BOX_PADDING};
use crate::fonts::FontBook;
use crate::render::pdf::lines::{break_lines, on_twips};

/// The box's own paragraph: its spacing and indents do not apply inside the box (the DOCX
/// writes the same paragraph).
pub(crate) fn inner_para(b: &Boxed) -> Paragraph {
    Paragraph {
        first_indent: 0.0,
        left_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        keep_with_next: false,
        ..b.para.clone()
    }
}

/// The box's width in a column `column` wide: the given width, or the widest line of the
/// text plus the padding each side, snapped to twips (the DOCX's unit); never wider than the
/// column.
pub(crate) fn box_width(b: &Boxed, column: Mm, fonts: &FontBook) -> Mm {
    let width = b.width.unwrap_or_else(|| {
        let widest = break_lines(&inner_para(b), 10_000.0, fonts)
            .iter()
            .map(|l| l.natural_width())
            .fold(0.0, f32::max);
        widest + 2.0 * BOX_PADDING
    });
    on_twips(width.min(column).max(1.0))
}

/// The space above the box (pt) as the DOCX has it: a spacer paragraph 1 pt high with the
/// rest as its space before, or nothing.
pub(crate) fn space_above(space_before_pt: f32) -> f32 {
    if space_before_pt > 0.0 {
        (space_before_pt - 1.0).max(0.0) + 1.0
    } else {
        0.0
    }
}

/// The height of the 1 pt paragraph that follows the nested table in a DOCX cell (a cell
/// must end with a paragraph).
pub(crate) const CELL_TRAILER_PT: f32 = 1.0;
