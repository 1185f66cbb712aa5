//! The ruled table: never split inside a row; the header row is repeated at the top of every
//! page the table continues on. Rows are laid out as they are placed, a page's worth at a
//! time, so a table of thousands of rows (the monthly report's) costs the memory of its
//! model, not of its laid-out lines.

use genpdfi::error::Error as GenError;
use genpdfi::{RenderResult, Size};

use crate::doc::model::{Mm, Paragraph, Table};
use crate::fonts::FontBook;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{pt, ParaElement};

struct Row {
    cells: Vec<ParaElement>,
    height: Mm,
}

pub struct TableElement {
    fonts: FontBook,
    widths: Vec<Mm>,
    padding: Mm,
    border: Mm,
    header: Row,
    /// The body rows, as the model has them; laid out when their page comes.
    rows: Vec<Vec<Paragraph>>,
    next: usize,
    /// Row `next`, laid out already (it did not fit on the last page, or its height was asked).
    pending: Option<Row>,
    space_before: Mm,
    space_after: Mm,
    page_height: Mm,
}

fn row(cells: &[Paragraph], widths: &[Mm], padding: Mm, fonts: &FontBook) -> Row {
    let cells: Vec<ParaElement> = cells
        .iter()
        .zip(widths)
        .map(|(p, w)| ParaElement::new(p.clone(), (w - 2.0 * padding).max(1.0), fonts, f32::MAX))
        .collect();
    let height = cells.iter().map(ParaElement::height).fold(0.0, f32::max);
    Row { cells, height }
}

impl TableElement {
    pub fn new(t: Table, fonts: &FontBook, page_height: Mm) -> TableElement {
        let mut table = TableElement {
            fonts: fonts.clone(),
            header: row(&t.header, &t.widths, t.padding, fonts),
            widths: t.widths,
            padding: t.padding,
            border: pt(t.border_pt),
            rows: t.rows,
            next: 0,
            pending: None,
            space_before: pt(t.space_before_pt),
            space_after: pt(t.space_after_pt),
            page_height,
        };
        table.pending = table.layout(0);
        table
    }

    fn layout(&self, i: usize) -> Option<Row> {
        let cells = self.rows.get(i)?;
        Some(row(cells, &self.widths, self.padding, &self.fonts))
    }

    /// Height the table needs to start on a page: its header and first row.
    pub fn start_height(&self) -> Mm {
        self.space_before + self.header.height + self.pending.as_ref().map_or(0.0, |r| r.height)
    }

    fn draw_row(&self, cx: &Canvas<'_>, frame: &Frame, row: &Row, top: Mm) -> Result<(), GenError> {
        let mut x = 0.0;
        for (cell, w) in row.cells.iter().zip(&self.widths) {
            cell.draw_all(cx, frame, x + self.padding, top)?;
            x += w;
        }
        let total: Mm = self.widths.iter().sum();
        let (left, top, bottom) = (frame.x, frame.y + top, frame.y + top + row.height);
        cx.stroke((left, bottom), (left + total, bottom), self.border);
        let mut x = left;
        for w in std::iter::once(&0.0).chain(&self.widths) {
            x += w;
            cx.stroke((x, top), (x, bottom), self.border);
        }
        Ok(())
    }
}

impl TableElement {
    pub fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> Result<RenderResult, GenError> {
        let avail = frame.height();
        let at_top = avail >= self.page_height - 0.01;
        let before = if self.next == 0 {
            self.space_before
        } else {
            0.0
        };
        // The rows that fit on this page, laid out one by one; the first that does not stays
        // pending for the next page.
        let mut y = before + self.header.height;
        let mut placed: Vec<Row> = Vec::new();
        let mut end = self.next;
        while let Some(r) = self.pending.take().or_else(|| self.layout(end)) {
            if y + r.height <= avail + 0.01 || (end == self.next && at_top) {
                y += r.height;
                placed.push(r);
                end += 1;
            } else {
                self.pending = Some(r);
                break;
            }
        }
        if placed.is_empty() && !self.rows.is_empty() {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        let total: Mm = self.widths.iter().sum();
        let top = before;
        cx.stroke(
            (frame.x, frame.y + top),
            (frame.x + total, frame.y + top),
            self.border,
        );
        self.draw_row(cx, &frame, &self.header, top)?;
        let mut t = top + self.header.height;
        for r in &placed {
            self.draw_row(cx, &frame, r, t)?;
            t += r.height;
        }
        self.next = end;
        let has_more = self.next < self.rows.len();
        let used = if has_more { t } else { t + self.space_after };
        Ok(RenderResult {
            size: Size::new(frame.width(), used.min(avail)),
            has_more,
        })
    }
}
