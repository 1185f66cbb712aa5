//! The DOCX renderer: turns a [`Document`] into a Word file with docx-rs.
//!
//! This module owns the page setup (A4, margins, header distance), the page-number header
//! (none on page 1), and the mapping of blocks: paragraphs with exact line pitch, rules as
//! bordered empty paragraphs, and two-column blocks as borderless fixed tables.
//! [`package`] re-compresses the archive deterministically and adds the title.

mod package;
#[cfg(test)]
mod tests;

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Header, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph as DPara, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, Run as DRun, RunFonts, SpecialIndentType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, WidthType,
};

use crate::doc::model::{
    Align, Block, Columns, Document, Mm, Paragraph, Rule, Run, Table as ModelTable,
};
use crate::doc::DocumentStream;
use crate::error::{Error, Result};
use crate::render::{RenderContext, Renderer};

/// Renders the `.docx` output.
pub struct DocxRenderer;

impl Renderer for DocxRenderer {
    fn extension(&self) -> &'static str {
        "docx"
    }

    fn render_to(
        &self,
        doc: DocumentStream<'_>,
        ctx: &RenderContext,
        out: &mut dyn std::io::Write,
    ) -> Result<()> {
        let doc = doc.collect()?;
        let bytes = render_whole(&doc, ctx)?;
        out.write_all(&bytes)
            .map_err(|e| crate::render::write_error("docx output", e))
    }
}

fn render_whole(doc: &Document, ctx: &RenderContext) -> Result<Vec<u8>> {
    let f = &ctx.fonts.docx_family;
    let mut b = Builder {
        fonts: RunFonts::new().ascii(f).hi_ansi(f).cs(f).east_asia(f),
        next_id: 0,
    };
    let docx = b.document(doc, &package::rfc3339(ctx.epoch))?;
    let mut stored = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut stored)
        .map_err(|e| Error::Docx(format!("cannot write the package: {e}")))?;
    package::recompress(
        &stored.into_inner(),
        &doc.meta_title,
        &ctx.fonts.docx_family,
    )
}

/// Millimetres to twentieths of a point (twips).
fn twips(mm: Mm) -> i32 {
    (f64::from(mm) * 1440.0 / 25.4).round() as i32
}

/// Points to twentieths of a point; negative and non-finite values become 0.
fn pt20(pt: f32) -> u32 {
    (f64::from(pt) * 20.0).round().clamp(0.0, 1e6) as u32
}

/// Points to half-points (`w:sz`), within what Word accepts (0.5–1638 pt).
fn half_points(pt: f32) -> usize {
    (f64::from(pt) * 2.0).round().clamp(1.0, 3276.0) as usize
}

/// A paragraph's place in a table: extra space before (the table's) and forced keep-next.
#[derive(Clone, Copy, Default)]
struct Place {
    extra_before_pt: f32,
    keep_next: bool,
}

struct Builder {
    fonts: RunFonts,
    next_id: u32,
}

impl Builder {
    fn document(&mut self, doc: &Document, date: &str) -> Result<Docx> {
        let page = &doc.page;
        let text_width = twips(page.text_width());
        if text_width <= 0 {
            return Err(Error::Docx(format!(
                "the margins leave no text width ({} mm)",
                page.text_width()
            )));
        }
        let header_dist = twips(page.page_number.from_top).max(0);
        let margin = PageMargin {
            top: twips(page.margin_top),
            left: twips(page.margin_left),
            bottom: twips(page.margin_bottom),
            right: twips(page.margin_right),
            header: header_dist,
            footer: header_dist,
            gutter: 0,
        };
        let size = |mm: Mm| u32::try_from(twips(mm)).unwrap_or(0);
        let mut docx = Docx::new()
            .page_size(size(page.width), size(page.height))
            .page_margin(margin)
            .default_fonts(self.fonts.clone())
            .default_size(28)
            .default_tab_stop(720)
            .created_at(date)
            .updated_at(date)
            .header(self.number_header(page.page_number.size_pt))
            .first_header(Header::new().add_paragraph(self.base(1.0, 0.0, 0.0, 1.0)));
        // Word merges adjacent tables and gives a document ending in a table a full-size
        // empty paragraph: a 1 pt spacer avoids both.
        let mut after_table = false;
        for block in &doc.blocks {
            let is_table = matches!(block, Block::Columns(_) | Block::Table(_));
            if after_table && is_table {
                docx = docx.add_paragraph(self.base(1.0, 0.0, 0.0, 1.0));
            }
            after_table = is_table;
            docx = match block {
                Block::Para(p) => docx.add_paragraph(self.para(p, Place::default())),
                Block::Rule(r) => docx.add_paragraph(self.rule(r, text_width, Place::default())),
                Block::Columns(c) => docx.add_table(self.columns(c, text_width)?),
                Block::Table(t) => {
                    if t.space_before_pt > 0.0 {
                        docx =
                            docx.add_paragraph(self.base(1.0, t.space_before_pt - 1.0, 0.0, 1.0));
                    }
                    docx.add_table(self.table(t))
                }
            };
        }
        if after_table {
            docx = docx.add_paragraph(self.base(1.0, 0.0, 0.0, 1.0));
        }
        Ok(docx)
    }

    /// A paragraph with a fixed, unique `w14:paraId` (docx-rs otherwise draws from a
    /// per-thread counter), exact line pitch, widow control and the font at `size_pt`.
    fn base(&mut self, size_pt: f32, before_pt: f32, after_pt: f32, pitch_pt: f32) -> DPara {
        self.next_id += 1;
        DPara::new()
            .id(format!("{:08X}", self.next_id))
            .line_spacing(
                LineSpacing::new()
                    .before(pt20(before_pt))
                    .after(pt20(after_pt))
                    .line(pt20(pitch_pt).max(20) as i32)
                    .line_rule(LineSpacingType::Exact),
            )
            .widow_control(true)
            .fonts(self.fonts.clone())
            .size(half_points(size_pt))
    }

    fn run(&self, size_pt: f32) -> DRun {
        DRun::new()
            .fonts(self.fonts.clone())
            .size(half_points(size_pt))
    }

    fn para(&mut self, p: &Paragraph, place: Place) -> DPara {
        let before = p.space_before_pt + place.extra_before_pt;
        let align = match p.align {
            Align::Left => AlignmentType::Left,
            Align::Center => AlignmentType::Center,
            Align::Right => AlignmentType::Right,
            Align::Justify => AlignmentType::Both,
        };
        let mut out = self
            .base(p.size_pt, before, p.space_after_pt, p.line_pitch_pt)
            .align(align)
            .keep_next(p.keep_with_next || place.keep_next);
        let indent = twips(p.first_indent);
        if indent > 0 {
            out = out.indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None);
        } else if indent < 0 {
            out = out.indent(None, Some(SpecialIndentType::Hanging(-indent)), None, None);
        }
        for run in &p.runs {
            out = out.add_run(self.text_run(run, p.size_pt));
        }
        out
    }

    /// One model run; line feeds become line breaks and tabs become tabs. Other control
    /// characters cannot appear in XML and are dropped.
    fn text_run(&self, run: &Run, size_pt: f32) -> DRun {
        let mut r = self.run(size_pt);
        if run.bold {
            r = r.bold();
        }
        if run.italic {
            r = r.italic();
        }
        if run.underline {
            r = r.underline("single");
        }
        for (i, line) in run.text.split('\n').enumerate() {
            if i > 0 {
                r = r.add_break(BreakType::TextWrapping);
            }
            for (j, part) in line.split('\t').enumerate() {
                if j > 0 {
                    r = r.add_tab();
                }
                let text: String = part.chars().filter(|c| !c.is_control()).collect();
                if !text.is_empty() {
                    r = r.add_text(text);
                }
            }
        }
        r
    }

    /// An empty, 1 pt high paragraph whose bottom border is the rule, centred by indents in
    /// `avail` twips.
    fn rule(&mut self, r: &Rule, avail: i32, place: Place) -> DPara {
        let side = ((avail - twips(r.length)) / 2).max(0);
        // Border widths are eighths of a point; Word accepts 2..=96.
        let width = ((f64::from(r.thickness_pt) * 8.0).round() as usize).clamp(2, 96);
        let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(width)
            .space(0)
            .color("000000");
        let before = r.space_before_pt + place.extra_before_pt;
        self.base(1.0, before, r.space_after_pt, 1.0)
            .indent(Some(side), None, Some(side), None)
            .keep_next(place.keep_next)
            .set_borders(ParagraphBorders::with_empty().set(border))
    }

    /// The default header: a centred PAGE field.
    fn number_header(&mut self, size_pt: f32) -> Header {
        let field = self
            .run(size_pt)
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
            .add_field_char(FieldCharType::Separate, false)
            .add_text("2")
            .add_field_char(FieldCharType::End, false);
        // Single (natural) line height: the line box starts at the header distance.
        let single = LineSpacing::new().before(0).after(0).line(240);
        let single = single.line_rule(LineSpacingType::Auto);
        let para = self.base(size_pt, 0.0, 0.0, size_pt).line_spacing(single);
        Header::new().add_paragraph(para.align(AlignmentType::Center).add_run(field))
    }

    fn columns(&mut self, c: &Columns, text_width: i32) -> Result<Table> {
        let left_w = twips(c.left_width);
        let right_w = text_width - left_w;
        if left_w <= 0 || right_w <= 0 {
            return Err(Error::Docx(format!(
                "left column width {} mm does not fit the text width",
                c.left_width
            )));
        }
        // With `align_last`, the last block of each column gets a row of its own, so the two
        // start on the same line.
        let rows: Vec<(&[Block], &[Block])> = if c.align_last {
            let (l_head, l_last) = c.left.split_at(c.left.len().saturating_sub(1));
            let (r_head, r_last) = c.right.split_at(c.right.len().saturating_sub(1));
            if l_head.is_empty() && r_head.is_empty() {
                vec![(l_last, r_last)]
            } else {
                vec![(l_head, r_head), (l_last, r_last)]
            }
        } else {
            vec![(&c.left, &c.right)]
        };
        let mut out = Vec::with_capacity(rows.len());
        for (i, &(left, right)) in rows.iter().enumerate() {
            // Every row but the last is kept with the next, so the table stays on one page.
            let place = Place {
                extra_before_pt: if i == 0 { c.space_before_pt } else { 0.0 },
                keep_next: i + 1 < rows.len(),
            };
            let cells = vec![
                self.cell(left, left_w, place)?,
                self.cell(right, right_w, place)?,
            ];
            out.push(TableRow::new(cells).cant_split());
        }
        Ok(Table::without_borders(out)
            .set_grid(vec![left_w as usize, right_w as usize])
            .width(text_width as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0))
            .indent(0))
    }

    fn cell(&mut self, blocks: &[Block], width: i32, place: Place) -> Result<TableCell> {
        let mut cell = TableCell::new().width(width as usize, WidthType::Dxa);
        if blocks.is_empty() {
            let filler = self.base(1.0, place.extra_before_pt, 0.0, 1.0);
            return Ok(cell.add_paragraph(filler.keep_next(place.keep_next)));
        }
        for (i, block) in blocks.iter().enumerate() {
            let place = Place {
                extra_before_pt: if i == 0 { place.extra_before_pt } else { 0.0 },
                ..place
            };
            let p = match block {
                Block::Para(p) => self.para(p, place),
                Block::Rule(r) => self.rule(r, width, place),
                Block::Columns(_) | Block::Table(_) => {
                    return Err(Error::Docx("columns and tables cannot be nested".into()));
                }
            };
            cell = cell.add_paragraph(p);
        }
        Ok(cell)
    }

    /// A ruled table; rows never split across pages.
    fn table(&mut self, t: &ModelTable) -> Table {
        let pad = twips(t.padding).max(0) as usize;
        let size = ((f64::from(t.border_pt) * 8.0).round() as usize).clamp(2, 96);
        let border = |pos| {
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(size)
                .color("000000")
        };
        let borders = TableBorders::with_empty()
            .set(border(TableBorderPosition::Top))
            .set(border(TableBorderPosition::Left))
            .set(border(TableBorderPosition::Bottom))
            .set(border(TableBorderPosition::Right))
            .set(border(TableBorderPosition::InsideH))
            .set(border(TableBorderPosition::InsideV));
        let widths: Vec<i32> = t.widths.iter().map(|w| twips(*w)).collect();
        let mut rows = Vec::with_capacity(t.rows.len() + 1);
        for cells in std::iter::once(&t.header).chain(&t.rows) {
            let cells = cells
                .iter()
                .zip(&widths)
                .map(|(p, w)| {
                    TableCell::new()
                        .width((*w).max(0) as usize, WidthType::Dxa)
                        .add_paragraph(self.para(p, Place::default()))
                })
                .collect();
            rows.push(TableRow::new(cells).cant_split());
        }
        Table::new(rows)
            .set_borders(borders)
            .set_grid(widths.iter().map(|w| (*w).max(0) as usize).collect())
            .width(widths.iter().sum::<i32>().max(0) as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, pad, 0, pad))
            .indent(0)
    }
}
