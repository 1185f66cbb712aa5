//! The elements of the document model, drawn page by page: a justified paragraph that splits
//! across pages with widow/orphan and keep-with-next control, a centred rule, and the page
//! decorator (margins, page numbers from page 2), all drawn through [`Canvas`].

use crate::render::pdf::flow::{RenderResult, Size};

use crate::doc::model::{Footer, Mm, PageSetup, Paragraph, Rule, SectionStart};
use crate::fonts::{Face, FontBook, MM_PER_PT};
use crate::render::pdf::canvas::{Canvas, Frame, Run};
use crate::render::pdf::lines::{break_lines, Line};

/// Slack when comparing lengths (mm).
pub(super) const EPS: Mm = 0.01;

pub(super) fn pt(v: f32) -> Mm {
    v * MM_PER_PT
}

/// Where the baseline sits in a line box of `pitch_pt`: the descent above the box bottom.
fn baseline_in_line(pitch_pt: f32, size_pt: f32) -> Mm {
    pt(pitch_pt - 0.216 * size_pt)
}

/// Draws one laid-out line whose box starts at `top` (relative to `frame`).
fn draw_line(cx: &Canvas<'_>, frame: &Frame, line: &Line, p: &Paragraph, x0: Mm, top: Mm) {
    let baseline = top + baseline_in_line(p.line_pitch_pt, p.size_pt);
    let xs = line.word_positions(p.align);
    // Underlines run continuously across the spaces between underlined words.
    let mut underline: Option<(Mm, Mm)> = None;
    let underline_y = baseline + pt(p.size_pt * 0.1);
    let draw_underline = |span: (Mm, Mm)| {
        let y = frame.y + underline_y;
        cx.stroke((frame.x + span.0, y), (frame.x + span.1, y), pt(0.6));
    };
    let mut runs = Vec::new();
    for (i, (word, x)) in line.words.iter().zip(xs).enumerate() {
        let mut x = x0 + x;
        for (j, piece) in word.pieces.iter().enumerate() {
            // The glyph origin where Word and LibreOffice put it.
            runs.push(Run {
                x: frame.x + x,
                text: &piece.text,
                face: Face::of(piece.bold, piece.italic),
                size_pt: p.size_pt,
                space_before: i > 0 && j == 0,
            });
            underline = match (piece.underline, underline) {
                (true, Some((start, _))) => Some((start, x + piece.width)),
                (true, None) => Some((x, x + piece.width)),
                (false, Some(span)) => {
                    draw_underline(span);
                    None
                }
                (false, None) => None,
            };
            x += piece.width;
        }
    }
    cx.line(frame.y + baseline, &runs);
    if let Some(span) = underline {
        draw_underline(span);
    }
}

/// A paragraph element: lines are laid out once, then placed page by page.
pub(super) struct ParaElement {
    pub para: Paragraph,
    lines: Vec<Line>,
    next: usize,
    /// Height the following block needs on the same page (keep-with-next).
    pub reserve_after: Mm,
    /// Full text-block height: an area this tall is the top of a page.
    page_height: Mm,
    /// In a table cell, the space before is kept at the top of a page (LibreOffice keeps
    /// it there; it drops it only for a paragraph of the page's own flow).
    in_cell: bool,
    /// The column's width.
    width: Mm,
    /// This paragraph's space before is signer N's signing space.
    pub signing: Option<usize>,
}

impl ParaElement {
    pub(super) fn new(
        para: Paragraph,
        width: Mm,
        fonts: &FontBook,
        page_height: Mm,
    ) -> ParaElement {
        let lines = break_lines(&para, width, fonts);
        ParaElement {
            para,
            lines,
            next: 0,
            reserve_after: 0.0,
            page_height,
            in_cell: false,
            width,
            signing: None,
        }
    }

    /// A paragraph in a table cell; `page_room` is the height the cell has on a page.
    pub(super) fn in_cell(
        para: Paragraph,
        width: Mm,
        fonts: &FontBook,
        page_room: Mm,
    ) -> ParaElement {
        ParaElement {
            in_cell: true,
            ..ParaElement::new(para, width, fonts, page_room)
        }
    }

    pub(super) fn pitch(&self) -> Mm {
        pt(self.para.line_pitch_pt)
    }

    /// Height of the whole paragraph, with its spacing.
    pub(super) fn height(&self) -> Mm {
        pt(self.para.space_before_pt + self.para.space_after_pt)
            + self.lines.len() as f32 * self.pitch()
    }

    /// Height of the first chunk that could start a page: space before and two lines, or the
    /// whole paragraph when it has three lines or fewer (widow/orphan control moves a 3-line
    /// paragraph whole, so a heading kept with it must reserve all three).
    pub(super) fn min_start_height(&self) -> Mm {
        let n = self.lines.len();
        let first = if n <= 3 { n } else { 2 };
        pt(self.para.space_before_pt) + first as f32 * self.pitch()
    }

    /// Draws every line at `x0`, starting at `top`; returns the height used.
    pub(super) fn draw_all(&self, cx: &Canvas<'_>, frame: &Frame, x0: Mm, top: Mm) -> Mm {
        self.note_signing_space(
            cx,
            frame.x + x0,
            frame.y + top,
            pt(self.para.space_before_pt),
        );
        let mut y = top + pt(self.para.space_before_pt);
        for line in &self.lines {
            draw_line(cx, frame, line, &self.para, x0, y);
            y += self.pitch();
        }
        y + pt(self.para.space_after_pt) - top
    }

    /// A signing space is the space before the paragraph, across its column.
    fn note_signing_space(&self, cx: &Canvas<'_>, x: Mm, y: Mm, height: Mm) {
        if let Some(signer) = self.signing {
            let area = Frame {
                x,
                y,
                width: self.width,
                height,
            };
            cx.signing_space(signer, area);
        }
    }

    /// The space before the lines placed now: none for a continuation, and none at the top of
    /// a page after a page break (Word and LibreOffice drop it there).
    fn space_before_now(&self, at_top: bool, page: usize) -> Mm {
        if self.next > 0 || (at_top && page > 1 && !self.in_cell) {
            0.0
        } else {
            pt(self.para.space_before_pt)
        }
    }

    /// How many of the remaining lines to place in `avail` height, after `before`.
    fn lines_to_place(&self, avail: Mm, at_top: bool, before: Mm) -> usize {
        let first_chunk = self.next == 0;
        let remaining = self.lines.len() - self.next;
        let fit = (((avail - before) + EPS) / self.pitch()).floor().max(0.0) as usize;
        let mut n = fit.min(remaining);
        if n == remaining {
            // Everything fits; keep the next block company if it would not fit after us.
            let used = before + n as f32 * self.pitch() + pt(self.para.space_after_pt);
            if self.reserve_after > 0.0 && used + self.reserve_after > avail + EPS && !at_top {
                n = if remaining >= 4 { remaining - 2 } else { 0 };
                if n == 0 && !first_chunk && remaining >= 2 {
                    n = remaining - 1;
                }
            }
            return n;
        }
        // Widow/orphan control (as Word's): at least two lines on each side of a break,
        // otherwise the whole paragraph moves on.
        if remaining - n < 2 {
            n = remaining.saturating_sub(2);
        }
        if first_chunk && n < 2 {
            n = 0;
        }
        if n == 0 && at_top {
            n = fit.max(1).min(remaining);
        }
        n
    }
}

impl ParaElement {
    pub(super) fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        let avail = frame.height();
        let at_top = avail >= self.page_height - EPS;
        let before = self.space_before_now(at_top, cx.page);
        let n = self.lines_to_place(avail, at_top, before);
        let mut result = RenderResult::default();
        if n == 0 {
            result.has_more = true;
            return result;
        }
        if self.next == 0 {
            self.note_signing_space(cx, frame.x, frame.y, before);
        }
        let mut y = before;
        for line in &self.lines[self.next..self.next + n] {
            draw_line(cx, &frame, line, &self.para, 0.0, y);
            y += self.pitch();
        }
        self.next += n;
        result.has_more = self.next < self.lines.len();
        if !result.has_more {
            y += pt(self.para.space_after_pt);
        }
        result.size = Size::new(frame.width(), y.min(avail));
        result
    }
}

/// Draws a centred rule of `rule.length` inside a column `width` wide; returns its height.
pub(super) fn draw_rule(
    cx: &Canvas<'_>,
    frame: &Frame,
    rule: &Rule,
    x0: Mm,
    width: Mm,
    top: Mm,
) -> Mm {
    let y = frame.y + top + pt(rule.space_before_pt + rule.thickness_pt / 2.0);
    let x = frame.x + x0 + ((width - rule.length) / 2.0).max(0.0);
    cx.stroke(
        (x, y),
        (x + rule.length.min(width), y),
        pt(rule.thickness_pt),
    );
    rule_height(rule)
}

pub(super) fn rule_height(rule: &Rule) -> Mm {
    pt(rule.space_before_pt + rule.thickness_pt + rule.space_after_pt)
}

/// A top-level centred rule.
pub(super) struct RuleElement {
    pub rule: Rule,
}

impl RuleElement {
    pub(super) fn render(&mut self, cx: &Canvas<'_>, frame: Frame) -> RenderResult {
        let width = frame.width();
        let h = rule_height(&self.rule);
        let avail = frame.height();
        if h > avail {
            return RenderResult {
                size: Size::ZERO,
                has_more: true,
            };
        }
        draw_rule(cx, &frame, &self.rule, 0.0, width, 0.0);
        RenderResult {
            size: Size::new(width, h),
            has_more: false,
        }
    }
}

/// Margins and page numbers: centred in the top margin, none on page 1 (of the document, or
/// of a section that restarts the numbering).
pub(super) struct PageNumbers {
    pub setup: PageSetup,
    /// The number of the page decorated last.
    page: usize,
    /// The next page starts a section that shows no number on its first page.
    hide_next: bool,
}

impl PageNumbers {
    pub(super) fn new(setup: PageSetup) -> PageNumbers {
        PageNumbers {
            setup,
            page: 0,
            hide_next: true,
        }
    }

    /// The next page starts a new section: with `restart_numbering` it is page 1 again, and
    /// shows no number (as page 1 of the document).
    pub(super) fn start_section(&mut self, start: SectionStart) {
        if start.restart_numbering {
            self.page = 0;
            self.hide_next = true;
        }
    }
}

impl PageNumbers {
    /// Draws the page's number (from page 2) on the full-page `frame` and returns the text
    /// block inside the margins.
    pub(super) fn decorate(&mut self, cx: &Canvas<'_>, frame: Frame) -> Frame {
        self.page += 1;
        let hide = std::mem::take(&mut self.hide_next);
        let s = &self.setup;
        if !hide {
            let text = self.page.to_string();
            let size = s.page_number.size_pt;
            let pen = cx.fonts.face(Face::Regular).pen();
            let w = pen.width_mm(&text, size);
            let x = s.margin_left + (s.text_width() - w) / 2.0;
            let baseline =
                s.page_number.from_top + baseline_in_line(s.page_number.line_pitch_pt, size);
            // As genpdf placed it: the pen back by the first digit's side bearing.
            let lsb = text
                .chars()
                .next()
                .map_or(0.0, |c| pen.side_bearing_mm(c, size));
            cx.line(
                frame.y + baseline,
                &[Run {
                    x: frame.x + x - lsb,
                    text: &text,
                    face: Face::Regular,
                    size_pt: size,
                    space_before: false,
                }],
            );
        }
        frame.inset(s.margin_top, s.margin_right, s.margin_bottom, s.margin_left)
    }
}

/// The first page's footer (ô 13): a rule across the text width, then the paragraphs, the
/// last line's box ending `from_bottom` above the paper's edge.
pub(super) struct FooterElement {
    paras: Vec<ParaElement>,
    rule: Mm,
    from_bottom: Mm,
    margin_bottom: Mm,
}

impl FooterElement {
    pub(super) fn new(
        footer: &Footer,
        page: &PageSetup,
        width: Mm,
        fonts: &FontBook,
    ) -> FooterElement {
        FooterElement {
            paras: footer
                .paras
                .iter()
                .map(|p| ParaElement::new(p.clone(), width, fonts, f32::MAX))
                .collect(),
            rule: pt(footer.rule_pt.max(0.0)),
            from_bottom: footer.from_bottom,
            margin_bottom: page.margin_bottom,
        }
    }

    /// The footer's height: the rule and the paragraphs.
    pub(super) fn height(&self) -> Mm {
        self.rule + self.paras.iter().map(ParaElement::height).sum::<Mm>()
    }

    /// How much higher page 1's text must end: what the footer and its distance take beyond
    /// the bottom margin.
    pub(super) fn overlap(&self) -> Mm {
        (self.from_bottom + self.height() - self.margin_bottom).max(0.0)
    }

    /// Draws the footer in `text` (the page's text block, before it is shortened).
    pub(super) fn draw(&self, cx: &Canvas<'_>, text: &Frame) {
        let paper_bottom = text.y + text.height + self.margin_bottom;
        let top = paper_bottom - self.from_bottom - self.height();
        let y = top + self.rule / 2.0;
        cx.stroke((text.x, y), (text.x + text.width, y), self.rule);
        let frame = Frame {
            x: text.x,
            y: 0.0,
            width: text.width,
            height: paper_bottom,
        };
        let mut y = top + self.rule;
        for p in &self.paras {
            y += p.draw_all(cx, &frame, 0.0, y);
        }
    }
}
