//! The two-column block (header, closing): both columns laid out side by side and kept on
//! one page. With `align_last`, the last block of each column starts on a shared row.

use genpdfi::error::Error as GenError;
use genpdfi::{RenderResult, Size};

use crate::doc::model::{Block, Columns, Mm};
use crate::fonts::FontBook;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{draw_rule, pt, rule_height, ParaElement};

enum Cell {
    Para(ParaElement),
    Rule(crate::doc::model::Rule),
}

impl Cell {
    fn height(&self) -> Mm {
        match self {
            Cell::Para(p) => p.height(),
            Cell::Rule(r) => rule_height(r),
        }
    }
}

pub struct ColumnsElement {
    left_width: Mm,
    right_width: Mm,
    left: Vec<Cell>,
    right: Vec<Cell>,
    align_last: bool,
    space_before: Mm,
    page_height: Mm,
}

fn cells(blocks: &[Block], width: Mm, fonts: &FontBook) -> Vec<Cell> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(p) => Some(Cell::Para(ParaElement::new(
                p.clone(),
                width,
                fonts,
                f32::MAX,
            ))),
            Block::Rule(r) => Some(Cell::Rule(r.clone())),
            // Nested columns and tables are not part of the model's contract.
            Block::Columns(_) | Block::Table(_) => None,
        })
        .collect()
}

impl ColumnsElement {
    pub fn new(c: &Columns, text_width: Mm, fonts: &FontBook, page_height: Mm) -> ColumnsElement {
        let right_width = (text_width - c.left_width).max(1.0);
        ColumnsElement {
            left_width: c.left_width,
            right_width,
            left: cells(&c.left, c.left_width, fonts),
            right: cells(&c.right, right_width, fonts),
            align_last: c.align_last,
            space_before: pt(c.space_before_pt),
            page_height,
        }
    }

    /// Tops of each cell in one column, and where a shared last row starts.
    fn stack(cells: &[Cell], last_row_top: Option<Mm>) -> (Vec<Mm>, Mm) {
        let mut y = 0.0;
        let mut tops = Vec::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                if let Some(t) = last_row_top {
                    y = t;
                }
            }
            tops.push(y);
            y += c.height();
        }
        (tops, y)
    }

    fn body_without_last(cells: &[Cell]) -> Mm {
        cells.iter().rev().skip(1).map(Cell::height).sum()
    }

    pub fn height(&self) -> Mm {
        let row = self.shared_row();
        let (_, l) = Self::stack(&self.left, row);
        let (_, r) = Self::stack(&self.right, row);
        self.space_before + l.max(r)
    }

    fn shared_row(&self) -> Option<Mm> {
        self.align_last
            .then(|| Self::body_without_last(&self.left).max(Self::body_without_last(&self.right)))
    }
}

impl ColumnsElement {
    pub fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> Result<RenderResult, GenError> {
        let avail = frame.height();
        let height = self.height();
        let at_top = avail >= self.page_height - 0.01;
        if height > avail + 0.01 && !at_top {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        let row = self.shared_row();
        for (cells, x0, width) in [
            (&self.left, 0.0, self.left_width),
            (&self.right, self.left_width, self.right_width),
        ] {
            let (tops, _) = Self::stack(cells, row);
            for (cell, top) in cells.iter().zip(tops) {
                let top = top + self.space_before;
                match cell {
                    Cell::Para(p) => {
                        p.draw_all(cx, &frame, x0, top)?;
                    }
                    Cell::Rule(r) => {
                        draw_rule(cx, &frame, r, x0, width, top);
                    }
                }
            }
        }
        Ok(RenderResult {
            size: Size::new(frame.width(), height.min(avail)),
            has_more: false,
        })
    }
}
