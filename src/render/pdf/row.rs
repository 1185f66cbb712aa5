//! A row of side-by-side cells — a row of a ruled table, a row of a two-column block — that
//! is drawn whole when it fits and otherwise continues across pages.
//!
//! A row is never split while it fits on a page (`cantSplit` in the DOCX). A row taller than a
//! page flows onto as many pages as it needs, each cell continuing by itself, line by line,
//! with the paragraph's widow/orphan control; nothing is ever dropped. Where such a row
//! starts is the caller's rule, measured against LibreOffice's rendering of the DOCX: the
//! first row of a table moves to a new page first (ECMA-376 §17.4.6 says so for every row),
//! a row after other rows or a header row splits where it stands.

use crate::doc::model::{Block, Mm, Rule};
use crate::fonts::FontBook;
use crate::render::pdf::boxed::BoxedElement;
use crate::render::pdf::canvas::{Canvas, Frame};
use crate::render::pdf::elements::{draw_rule, rule_height, ParaElement, EPS};

/// What a cell holds: paragraphs and rules (the model allows nothing else in a cell).
pub(super) enum Item {
    Para(ParaElement),
    Rule(Rule),
    Boxed(BoxedElement),
}

impl Item {
    fn height(&self) -> Mm {
        match self {
            Item::Para(p) => p.height(),
            Item::Rule(r) => rule_height(r),
            Item::Boxed(b) => b.height(),
        }
    }
}

/// One cell: its place in the row, its content, and how much of it is placed.
pub(super) struct Cell {
    /// Left edge of the content, from the row's left edge.
    x: Mm,
    width: Mm,
    items: Vec<Item>,
    /// The first item not yet placed whole.
    next: usize,
}

impl Cell {
    /// A cell of `blocks` laid out `width` wide at `x`. `page_room` is the height a
    /// continuation page gives the cell (the text block, less a repeated table header).
    pub(super) fn new(
        blocks: impl IntoIterator<Item = Block>,
        x: Mm,
        width: Mm,
        fonts: &FontBook,
        page_room: Mm,
    ) -> Cell {
        let items = blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Para(p) => {
                    Some(Item::Para(ParaElement::in_cell(p, width, fonts, page_room)))
                }
                Block::Rule(r) => Some(Item::Rule(r)),
                Block::Boxed(b) => Some(Item::Boxed(BoxedElement::new(&b, width, fonts, true))),
                // The model's contract: a cell holds paragraphs, rules and boxes only; the
                // DOCX renderer refuses anything else, and assembly never builds it.
                Block::Columns(_) | Block::Table(_) | Block::Section(_) => None,
            })
            .collect();
        Cell {
            x,
            width,
            items,
            next: 0,
        }
    }

    /// Marks the `block`-th paragraph of the cell as signer `signer`'s signing space.
    pub(super) fn mark_signing_space(&mut self, block: usize, signer: usize) {
        if let Some(Item::Para(p)) = self.items.get_mut(block) {
            p.signing = Some(signer);
        }
    }

    /// The height of the whole cell.
    pub(super) fn height(&self) -> Mm {
        self.items.iter().map(Item::height).sum()
    }

    /// Draws the whole cell with its top at `top` (relative to `frame`).
    pub(super) fn draw_all(&self, cx: &Canvas<'_>, frame: &Frame, top: Mm) {
        let mut y = top;
        for item in &self.items {
            match item {
                Item::Para(p) => {
                    p.draw_all(cx, frame, self.x, y);
                }
                Item::Rule(r) => {
                    draw_rule(cx, frame, r, self.x, self.width, y);
                }
                Item::Boxed(b) => {
                    b.draw(cx, frame, self.x, self.width, y);
                }
            }
            y += item.height();
        }
    }

    /// Places what fits of the rest of the cell in `frame` (the row's frame on this page);
    /// returns the height used and whether the cell continues on the next page.
    fn flow(&mut self, cx: &Canvas<'_>, frame: &Frame) -> (Mm, bool) {
        let mut used = 0.0;
        while let Some(item) = self.items.get_mut(self.next) {
            let sub = Frame {
                x: frame.x + self.x,
                y: frame.y + used,
                width: self.width,
                height: frame.height - used,
            };
            match item {
                Item::Para(p) => {
                    let r = p.render(cx, sub);
                    used += r.size.height;
                    if r.has_more {
                        return (used, true);
                    }
                }
                Item::Rule(rule) => {
                    let h = rule_height(rule);
                    if h > sub.height + EPS {
                        return (used, true);
                    }
                    draw_rule(cx, &sub, rule, 0.0, self.width, 0.0);
                    used += h;
                }
                Item::Boxed(b) => {
                    let h = b.height();
                    if h > sub.height + EPS {
                        return (used, true);
                    }
                    b.draw(cx, &sub, 0.0, self.width, 0.0);
                    used += h;
                }
            }
            self.next += 1;
        }
        (used, false)
    }
}

/// Side-by-side cells; the row is as tall as its tallest cell.
pub(super) struct Row {
    cells: Vec<Cell>,
    /// Height of the whole row (its tallest cell).
    pub height: Mm,
    /// Some part of the row has been placed on an earlier page.
    started: bool,
}

impl Row {
    pub(super) fn new(cells: Vec<Cell>) -> Row {
        let height = cells.iter().map(Cell::height).fold(0.0, f32::max);
        Row {
            cells,
            height,
            started: false,
        }
    }

    /// Draws every cell whole with the row's top at `top`.
    pub(super) fn draw_all(&self, cx: &Canvas<'_>, frame: &Frame, top: Mm) {
        for cell in &self.cells {
            cell.draw_all(cx, frame, top);
        }
    }

    /// Whether part of the row is on an earlier page.
    pub(super) fn started(&self) -> bool {
        self.started
    }

    /// Places what fits of every cell in `frame`; returns the height the row takes on this
    /// page and whether it continues on the next one.
    pub(super) fn flow(&mut self, cx: &Canvas<'_>, frame: &Frame) -> (Mm, bool) {
        self.started = true;
        let mut used: Mm = 0.0;
        let mut more = false;
        for cell in &mut self.cells {
            let (h, m) = cell.flow(cx, frame);
            used = used.max(h);
            more |= m;
        }
        // A row that goes on fills its page, as a word processor draws it.
        if more {
            used = frame.height;
        }
        (used, more)
    }
}
