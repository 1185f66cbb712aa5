//! A boxed mark (NĐ 30 ô 10a/10b/11: `HỎA TỐC`, `MẬT`, …): a stroked rectangle of fixed
//! height, centred in its column, its paragraph centred in it horizontally and vertically —
//! what LibreOffice draws for the DOCX's nested 1×1 table of exact row height with
//! `vAlign=center`. Drawn at the top level of the page and inside a two-column cell.

use crate::render::pdf::flow::{RenderResult, Size};

use crate::doc::model::{Boxed, Mm};
use crate::fonts::FontBook;
use crate::render::boxed::{box_width, inner_para, space_above, CELL_TRAILER_PT};
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{pt, ParaElement, EPS};

pub(super) struct BoxedElement {
    lines: ParaElement,
    width: Mm,
    height: Mm,
    border: Mm,
    space_above: Mm,
    space_below: Mm,
}

impl BoxedElement {
    /// A box in a column `column` wide; `in_cell` adds the paragraph the DOCX puts after a
    /// nested table.
    pub(super) fn new(b: &Boxed, column: Mm, fonts: &FontBook, in_cell: bool) -> BoxedElement {
        let width = box_width(b, column, fonts);
        BoxedElement {
            lines: ParaElement::new(inner_para(b), width, fonts, f32::MAX),
            width,
            height: b.height.max(0.0),
            border: pt(b.border_pt.max(0.0)),
            space_above: pt(space_above(b.space_before_pt)),
            space_below: if in_cell { pt(CELL_TRAILER_PT) } else { 0.0 },
        }
    }

    /// The height taken in the flow: the space above, the box, and a cell's trailer.
    pub(super) fn height(&self) -> Mm {
        self.space_above + self.height + self.space_below
    }

    /// Draws the box centred in the column at `x0` (`column` wide, relative to `frame`),
    /// its flow space starting at `top`; returns the height taken.
    pub(super) fn draw(&self, cx: &Canvas<'_>, frame: &Frame, x0: Mm, column: Mm, top: Mm) -> Mm {
        let left = x0 + ((column - self.width) / 2.0).max(0.0);
        let box_top = top + self.space_above;
        cx.rect(
            frame.x + left,
            frame.y + box_top,
            self.width,
            self.height,
            self.border,
        );
        // The lines centred vertically: their boxes (the line pitch each) in the middle.
        let text = self.lines.height();
        let text_top = box_top + ((self.height - text) / 2.0).max(0.0);
        self.lines.draw_all(cx, frame, left, text_top);
        self.height()
    }

    /// At the top level of the page: drawn whole where it fits, else on the next page.
    pub(super) fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        let h = self.height();
        if h > frame.height() + EPS {
            return RenderResult {
                size: Size::ZERO,
                has_more: true,
            };
        }
        let width = frame.width();
        self.draw(cx, &frame, 0.0, width, 0.0);
        RenderResult {
            size: Size::new(width, h),
            has_more: false,
        }
    }
}
