//! The ruled table: a row is not split while it fits on a page; a row taller than a page
//! starts where it stands and continues on the next pages (see [`row`](super::row)). The header row is repeated at the top of every page the table
//! continues on. Rows are laid out as they are placed, a page's worth at a
//! time, so a table of thousands of rows (the monthly report's) costs the memory of its
//! model, not of its laid-out lines.

use crate::render::pdf::flow::{RenderResult, Size};

use crate::doc::model::{Block, Mm, Paragraph, Table};
use crate::fonts::FontBook;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{pt, EPS};
use crate::render::pdf::row::{Cell, Row};

/// A table row: one cell a paragraph, each inset by the padding.
fn row(cells: &[Paragraph], widths: &[Mm], padding: Mm, fonts: &FontBook, room: Mm) -> Row {
    let mut x = 0.0;
    let cells = cells
        .iter()
        .zip(widths)
        .map(|(p, w)| {
            let cell = Cell::new(
                [Block::Para(p.clone())],
                x + padding,
                (w - 2.0 * padding).max(1.0),
                fonts,
                room,
            );
            x += w;
            cell
        })
        .collect();
    Row::new(cells)
}

pub(super) struct TableElement {
    fonts: FontBook,
    widths: Vec<Mm>,
    padding: Mm,
    border: Mm,
    header: Row,
    /// The body rows, as the model has them; laid out when their page comes.
    rows: Vec<Vec<Paragraph>>,
    next: usize,
    /// Row `next`, laid out already (it did not fit on the last page, its height was asked,
    /// or it is taller than a page and continues from the last page).
    pending: Option<Row>,
    space_before: Mm,
    space_after: Mm,
    page_height: Mm,
}

impl TableElement {
    pub(super) fn new(t: Table, fonts: &FontBook, page_height: Mm) -> TableElement {
        let header = row(&t.header, &t.widths, t.padding, fonts, page_height);
        let mut table = TableElement {
            fonts: fonts.clone(),
            widths: t.widths,
            padding: t.padding,
            border: pt(t.border_pt),
            rows: t.rows,
            next: 0,
            pending: None,
            space_before: pt(t.space_before_pt),
            space_after: pt(t.space_after_pt),
            page_height,
            header,
        };
        table.pending = table.layout(0);
        table
    }

    /// The room a body row has on a page of its own: the text block less the header.
    fn body_room(&self) -> Mm {
        self.page_height - self.boxed(&self.header)
    }

    /// The height a whole row takes: its content and its bottom border (LibreOffice adds the
    /// border's width to every row; measured on a 40-session report).
    fn boxed(&self, row: &Row) -> Mm {
        row.height + self.border
    }

    fn layout(&self, i: usize) -> Option<Row> {
        let cells = self.rows.get(i)?;
        Some(row(
            cells,
            &self.widths,
            self.padding,
            &self.fonts,
            self.body_room(),
        ))
    }

    /// Height the table needs to start on a page: its header and first row.
    pub(super) fn start_height(&self) -> Mm {
        let first = self.pending.as_ref().map_or(0.0, |r| self.boxed(r));
        self.space_before + self.boxed(&self.header) + first
    }

    /// The ruling of a row (or of the part of it on this page) `height` tall at `top`, its
    /// bottom border inside that height.
    fn rule_row(&self, cx: &Canvas<'_>, frame: &Frame, top: Mm, height: Mm) {
        let total: Mm = self.widths.iter().sum();
        let bottom = frame.y + top + height - self.border / 2.0;
        let (left, top) = (frame.x, frame.y + top);
        cx.stroke((left, bottom), (left + total, bottom), self.border);
        let mut x = left;
        for w in std::iter::once(&0.0).chain(&self.widths) {
            x += w;
            cx.stroke((x, top), (x, bottom), self.border);
        }
    }
}

impl TableElement {
    pub(super) fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        let avail = frame.height();
        let continuing = self.next > 0 || self.pending.as_ref().is_some_and(Row::started);
        let top = if continuing { 0.0 } else { self.space_before };
        // A row that fits on a page but not under the header here: the table moves on.
        if let Some(first) = self.pending.take().or_else(|| self.layout(self.next)) {
            let fits = top + self.boxed(&self.header) + self.boxed(&first) <= avail + EPS;
            let moves = !first.started() && !fits && first.height <= self.body_room() + EPS;
            self.pending = Some(first);
            if moves {
                return RenderResult {
                    size: Size::ZERO,
                    has_more: true,
                };
            }
        }
        let total: Mm = self.widths.iter().sum();
        cx.stroke(
            (frame.x, frame.y + top),
            (frame.x + total, frame.y + top),
            self.border,
        );
        self.header.draw_all(cx, &frame, top);
        self.rule_row(cx, &frame, top, self.boxed(&self.header));
        let mut t = top + self.boxed(&self.header);
        // The rows that fit here whole, laid out one by one. The first that does not waits
        // for the next page, unless it is taller than a page: then it starts here and
        // continues on the next pages, as LibreOffice splits such a row where it stands.
        while let Some(mut r) = self.pending.take().or_else(|| self.layout(self.next)) {
            if !r.started() && t + self.boxed(&r) <= avail + EPS {
                r.draw_all(cx, &frame, t);
                self.rule_row(cx, &frame, t, self.boxed(&r));
                t += self.boxed(&r);
            } else if r.started() || self.boxed(&r) > self.body_room() + EPS {
                let mut rest = frame.clone();
                rest.offset(t);
                let (h, more) = r.flow(cx, &rest);
                let h = if more { h } else { h + self.border };
                self.rule_row(cx, &frame, t, h);
                t += h;
                if more {
                    self.pending = Some(r);
                    break;
                }
            } else {
                self.pending = Some(r);
                break;
            }
            self.next += 1;
        }
        let has_more = self.next < self.rows.len();
        let used = if has_more { t } else { t + self.space_after };
        RenderResult {
            size: Size::new(frame.width(), used.min(avail)),
            has_more,
        }
    }
}
