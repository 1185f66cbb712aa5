//! The borderless grid (header, closing): rows of N cells at cumulative x offsets, exactly
//! the table the DOCX writes. The block is kept on one page while it fits on one; a block taller than a
//! page starts on a new page and flows on (see [`row`](super::row)), so a closing block with
//! a hundred recipients carries `Nơi nhận` over to the next pages instead of losing them.

use crate::render::pdf::flow::{RenderResult, Size};

use crate::doc::model::{Block, Columns, Mm};
use crate::fonts::FontBook;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{pt, EPS};
use crate::render::pdf::row::{Cell, Row};

pub(super) struct ColumnsElement {
    rows: Vec<Row>,
    space_before: Mm,
    page_height: Mm,
    /// The first row not yet placed whole.
    next: usize,
}

impl ColumnsElement {
    /// The grid `c` in a text block `text_width` wide: the last column takes the rest of the
    /// text width, as the DOCX has it (its edges on the twip grid).
    pub(super) fn new(
        c: &Columns,
        text_width: Mm,
        fonts: &FontBook,
        page_height: Mm,
    ) -> ColumnsElement {
        let n = c.widths.len();
        let mut cols = Vec::with_capacity(n);
        let mut x = 0.0;
        for (i, w) in c.widths.iter().enumerate() {
            let w = if i + 1 == n { text_width - x } else { *w };
            cols.push((x, w.max(1.0)));
            x += w;
        }
        let rows = c
            .grid()
            .into_iter()
            .enumerate()
            .map(|(r, cells)| {
                Row::new(
                    cells
                        .into_iter()
                        .zip(&cols)
                        .enumerate()
                        .map(|(column, (blocks, &(x, w)))| {
                            let blocks = blocks.iter().cloned().map(Block::from);
                            let mut cell = Cell::new(blocks, x, w, fonts, page_height);
                            for s in &c.signing_spaces {
                                if (s.row, s.column) == (r, column) {
                                    cell.mark_signing_space(s.block, s.signer);
                                }
                            }
                            cell
                        })
                        .collect(),
                )
            })
            .collect();
        ColumnsElement {
            rows,
            space_before: pt(c.space_before_pt),
            page_height,
            next: 0,
        }
    }

    /// The height of the whole block.
    pub(super) fn height(&self) -> Mm {
        self.space_before + self.rows.iter().map(|r| r.height).sum::<Mm>()
    }

    fn done(height: Mm) -> RenderResult {
        RenderResult {
            size: Size::new(0.0, height),
            has_more: false,
        }
    }

    fn more(height: Mm) -> RenderResult {
        RenderResult {
            size: Size::new(0.0, height),
            has_more: true,
        }
    }
}

impl ColumnsElement {
    pub(super) fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        let at_top = frame.height() >= self.page_height - EPS;
        let started = self.next > 0 || self.rows.first().is_some_and(Row::started);
        if !started && self.height() > frame.height() + EPS && !at_top {
            // Kept together: on to the next page (the whole of it, or its start).
            return Self::more(0.0);
        }
        self.flow(cx, frame, at_top, started)
    }

    /// Places the rows from the current one on, each drawn whole while it fits on a page.
    fn flow(&mut self, cx: &Canvas<'_>, frame: Frame, at_top: bool, started: bool) -> RenderResult {
        let mut used = if started { 0.0 } else { self.space_before };
        while let Some(row) = self.rows.get_mut(self.next) {
            let mut rest = frame.clone();
            rest.offset(used);
            let fresh = !row.started();
            if fresh && row.height <= rest.height() + EPS {
                row.draw_all(cx, &frame, used);
                used += row.height;
            } else if fresh && row.height <= self.page_height + EPS && !(at_top && used == 0.0) {
                return Self::more(used);
            } else {
                let (h, more) = row.flow(cx, &rest);
                used += h;
                if more {
                    return Self::more(used.min(frame.height()));
                }
            }
            self.next += 1;
        }
        Self::done(used.min(frame.height()))
    }
}
