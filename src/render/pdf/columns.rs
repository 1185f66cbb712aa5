//! The two-column block (header, closing): one row of two cells, or two rows with
//! `align_last` (the last block of each column starts on a shared row), exactly the table the
//! DOCX writes. The block is kept on one page while it fits on one; a block taller than a
//! page starts on a new page and flows on (see [`row`](super::row)), so a closing block with
//! a hundred recipients carries `Nơi nhận` over to the next pages instead of losing them.

use genpdfi::error::Error as GenError;
use genpdfi::{RenderResult, Size};

use crate::doc::model::{Block, Columns, Mm};
use crate::fonts::FontBook;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{pt, EPS};
use crate::render::pdf::row::{Cell, Row};

pub struct ColumnsElement {
    rows: Vec<Row>,
    space_before: Mm,
    page_height: Mm,
    /// The row being placed, once the block has started to flow across pages.
    flowing: Option<usize>,
}

impl ColumnsElement {
    pub fn new(c: &Columns, text_width: Mm, fonts: &FontBook, page_height: Mm) -> ColumnsElement {
        let right_width = (text_width - c.left_width).max(1.0);
        let row = |left: &[Block], right: &[Block]| {
            Row::new(vec![
                Cell::new(left.to_vec(), 0.0, c.left_width, fonts, page_height),
                Cell::new(
                    right.to_vec(),
                    c.left_width,
                    right_width,
                    fonts,
                    page_height,
                ),
            ])
        };
        let rows = c.rows().into_iter().map(|(l, r)| row(l, r)).collect();
        ColumnsElement {
            rows,
            space_before: pt(c.space_before_pt),
            page_height,
            flowing: None,
        }
    }

    /// The height of the whole block.
    pub fn height(&self) -> Mm {
        self.space_before + self.rows.iter().map(|r| r.height).sum::<Mm>()
    }

    fn done(height: Mm) -> RenderResult {
        RenderResult {
            size: Size::new(0, height),
            has_more: false,
        }
    }

    fn more(height: Mm) -> RenderResult {
        RenderResult {
            size: Size::new(0, height),
            has_more: true,
        }
    }
}

impl ColumnsElement {
    pub fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> Result<RenderResult, GenError> {
        let avail = frame.height();
        let at_top = avail >= self.page_height - EPS;
        if self.flowing.is_none() {
            let height = self.height();
            if height <= avail + EPS {
                let mut top = self.space_before;
                for row in &self.rows {
                    row.draw_all(cx, &frame, top)?;
                    top += row.height;
                }
                return Ok(Self::done(height));
            }
            if !at_top {
                // Kept together: on to the next page (the whole of it, or its start).
                return Ok(Self::more(0.0));
            }
            self.flowing = Some(0);
        }
        self.flow(cx, frame)
    }

    /// Places the rows from the current one on, each kept whole while it fits on a page.
    fn flow(&mut self, cx: &Canvas<'_>, frame: Frame) -> Result<RenderResult, GenError> {
        let at_top = frame.height() >= self.page_height - EPS;
        let Some(mut i) = self.flowing else {
            return Ok(Self::done(0.0));
        };
        let mut used = if i == 0 && !self.rows[0].started() {
            self.space_before
        } else {
            0.0
        };
        while let Some(row) = self.rows.get_mut(i) {
            let mut rest = frame.clone();
            rest.offset(used);
            let fresh = !row.started();
            if fresh && row.height <= rest.height() + EPS {
                row.draw_all(cx, &rest, 0.0)?;
                used += row.height;
            } else if fresh && row.height <= self.page_height + EPS && !(at_top && used == 0.0) {
                self.flowing = Some(i);
                return Ok(Self::more(used));
            } else {
                let (h, more) = row.flow(cx, &rest)?;
                used += h;
                if more {
                    self.flowing = Some(i);
                    return Ok(Self::more(used.min(frame.height())));
                }
            }
            i += 1;
        }
        self.flowing = Some(i);
        Ok(Self::done(used.min(frame.height())))
    }
}
