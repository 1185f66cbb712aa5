//! Blocks to docx-rs elements: the page setup and headers of the package, and each body
//! block as the paragraphs and tables docx-rs builds for it, one block at a time.
//!
//! [`Body`] holds the only state that spans blocks (the next paragraph id and whether the
//! last block was a table), so a body of any length is built with constant memory.

use docx_rs::{
    AlignmentType, BorderType, BreakType, BuildXML, Docx, FieldCharType, Footer as DFooter, Header,
    HeightRule, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph as DPara,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run as DRun, RunFonts,
    SpecialIndentType, Table, TableAlignmentType, TableBorder, TableBorderPosition, TableBorders,
    TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::{half_points, pt20, twips};
use crate::doc::model::{
    Align, Block, Boxed, CellBlock, Columns, Footer as ModelFooter, Mm, PageSetup, Paragraph, Rule,
    Run, SectionStart, Table as ModelTable,
};
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::render::boxed::{box_width, inner_para, space_above, CELL_TRAILER_PT};

/// One element of the document body, as docx-rs builds it. A ruled table (it may have
/// thousands of rows) comes as its shell, then one row at a time, then its end.
pub(super) enum Item {
    Para(Box<DPara>),
    Table(Box<Table>),
    /// A table's properties and grid, without rows.
    TableOpen(Box<Table>),
    Row(Box<TableRow>),
    /// The header row, repeated by Word and LibreOffice at the top of every page the table
    /// continues on (`w:tblHeader`, which docx-rs cannot write: added to its XML).
    HeaderRow(Box<TableRow>),
    TableClose,
    /// The paragraph that ends a section (its `w:sectPr` describes the section ending here:
    /// `None` the document's first).
    SectionEnd(Box<DPara>, Option<SectionStart>),
}

impl Item {
    fn para(p: DPara) -> Self {
        Item::Para(Box::new(p))
    }

    fn table(t: Table) -> Self {
        Item::Table(Box::new(t))
    }
}

/// Turns body items into XML exactly as docx-rs writes them inside `<w:body>`.
#[derive(Default)]
pub(super) struct ItemXml {
    /// The end of the open table (after its last row).
    table_tail: Option<Vec<u8>>,
    /// docx-rs's body `w:sectPr`, copied into the paragraphs that end sections.
    pub(super) sect_pr: Option<String>,
}

impl ItemXml {
    /// The item's XML. Numbering is refused: docx-rs would record it in the package's
    /// relationships, which are written before the body.
    pub(super) fn xml(&mut self, item: &Item) -> Result<Vec<u8>> {
        let numbered = || Error::Docx("numbered paragraphs are not supported".into());
        match item {
            Item::Para(p) if p.has_numbering => Err(numbered()),
            Item::Para(p) => Ok(p.build()),
            Item::Table(t) if t.has_numbering => Err(numbered()),
            Item::Table(t) => Ok(t.build()),
            Item::Row(r) if r.has_numbering => Err(numbered()),
            Item::Row(r) => Ok(r.build()),
            Item::HeaderRow(r) if r.has_numbering => Err(numbered()),
            Item::HeaderRow(r) => repeat_as_header(r.build()),
            Item::TableOpen(shell) => {
                // The shell with one placeholder row: what precedes the row is the table's
                // start, what follows it the table's end.
                let marker = placeholder_row();
                let xml = (**shell).clone().add_row(marker.clone()).build();
                let marker = marker.build();
                let (head, tail) =
                    super::splice::split_at_marker(&xml, &marker).ok_or_else(|| {
                        Error::Docx("unexpected table markup from docx-rs (row placeholder)".into())
                    })?;
                self.table_tail = Some(tail.to_vec());
                Ok(head.to_vec())
            }
            Item::TableClose => self
                .table_tail
                .take()
                .ok_or_else(|| Error::Docx("internal: a table closed twice".into())),
            Item::SectionEnd(p, section) => {
                let base = self.sect_pr.as_deref().ok_or_else(|| {
                    Error::Docx("internal: a section break without the body's sectPr".into())
                })?;
                let sect = super::splice::section_properties(base, *section)?;
                let xml = String::from_utf8(p.build()).map_err(|_| {
                    Error::Docx("docx-rs wrote a paragraph that is not UTF-8".into())
                })?;
                const END: &str = "</w:pPr>";
                let at = xml.find(END).ok_or_else(|| {
                    Error::Docx("unexpected paragraph markup from docx-rs (no </w:pPr>)".into())
                })?;
                Ok(format!("{}{sect}{}", &xml[..at], &xml[at..]).into_bytes())
            }
        }
    }
}

/// Marks a row's XML as the table's header row: `<w:tblHeader />` at the end of its
/// `<w:trPr>`.
fn repeat_as_header(row: Vec<u8>) -> Result<Vec<u8>> {
    const END: &[u8] = b"</w:trPr>";
    let at = row
        .windows(END.len())
        .position(|w| w == END)
        .ok_or_else(|| {
            Error::Docx("unexpected table markup from docx-rs (row properties)".into())
        })?;
    let mut xml = Vec::with_capacity(row.len() + 16);
    xml.extend_from_slice(&row[..at]);
    xml.extend_from_slice(b"<w:tblHeader />");
    xml.extend_from_slice(&row[at..]);
    Ok(xml)
}

fn placeholder_row() -> TableRow {
    TableRow::new(vec![TableCell::new().add_paragraph(
        DPara::new()
            .id("FFFFFFFF")
            .add_run(DRun::new().add_text("vanthu: the rows go here")),
    )])
}

/// Where the body's items go: written out (streaming) or added to a whole `Docx` (tests).
pub(super) type Emit<'e> = dyn FnMut(Item) -> Result<()> + 'e;

/// The body of one document, built block by block.
pub(super) struct Body {
    builder: Builder,
    text_width: i32,
    after_table: bool,
    /// The section being written: `None` the first, else how it started.
    section: Option<SectionStart>,
}

impl Body {
    /// Emits the items of one block, preceded by a spacer where Word needs one.
    pub(super) fn block(&mut self, block: &Block, emit: &mut Emit<'_>) -> Result<()> {
        let b = &mut self.builder;
        // Word merges adjacent tables and gives a document ending in a table a full-size
        // empty paragraph: a 1 pt spacer avoids both.
        let is_table = matches!(block, Block::Columns(_) | Block::Table(_) | Block::Boxed(_));
        // A box with space above has a spacer of its own, which also keeps the tables apart.
        let own_spacer = matches!(block, Block::Boxed(bx) if space_above(bx.space_before_pt) > 0.0);
        if self.after_table && is_table && !own_spacer {
            emit(Item::para(b.base(1.0, 0.0, 0.0, 1.0)))?;
        }
        self.after_table = is_table;
        match block {
            Block::Para(p) => emit(Item::para(b.para(p, Place::default()))),
            Block::Rule(r) => emit(Item::para(b.rule(r, self.text_width, Place::default()))),
            Block::Columns(c) => emit(Item::table(b.columns(c, self.text_width)?)),
            Block::Table(t) => {
                if t.space_before_pt > 0.0 {
                    emit(Item::para(b.base(1.0, t.space_before_pt - 1.0, 0.0, 1.0)))?;
                }
                emit(Item::TableOpen(Box::new(b.table_shell(t))))?;
                emit(Item::HeaderRow(Box::new(b.table_row(&t.header, &t.widths))))?;
                for cells in &t.rows {
                    emit(Item::Row(Box::new(b.table_row(cells, &t.widths))))?;
                }
                emit(Item::TableClose)
            }
            Block::Boxed(bx) => {
                let before = space_above(bx.space_before_pt);
                if before > 0.0 {
                    emit(Item::para(b.base(1.0, before - 1.0, 0.0, 1.0)))?;
                }
                let column = self.text_width as f32 * 25.4 / 1440.0;
                emit(Item::table(b.boxed(bx, column)))
            }
            Block::Section(start) => {
                let ending = self.section.replace(*start);
                emit(Item::SectionEnd(
                    Box::new(b.base(1.0, 0.0, 0.0, 1.0)),
                    ending,
                ))
            }
        }
    }

    /// Emits what follows the last block: a spacer if it was a table. Returns how the last
    /// section started (`None`: the document has one section), for the body's `w:sectPr`.
    pub(super) fn finish(mut self, emit: &mut Emit<'_>) -> Result<Option<SectionStart>> {
        if self.after_table {
            emit(Item::para(self.builder.base(1.0, 0.0, 0.0, 1.0)))?;
        }
        Ok(self.section)
    }
}

/// A paragraph's place in a table: extra space before (the table's) and forced keep-next.
#[derive(Clone, Copy, Default)]
struct Place {
    extra_before_pt: f32,
    keep_next: bool,
}

pub(super) struct Builder {
    fonts: RunFonts,
    /// The faces, to measure a boxed mark as wide as its text.
    book: FontBook,
    next_id: u32,
}

impl Builder {
    pub(super) fn new(book: &FontBook) -> Self {
        let f = &book.docx_family;
        Builder {
            fonts: RunFonts::new().ascii(f).hi_ansi(f).cs(f).east_asia(f),
            book: book.clone(),
            next_id: 0,
        }
    }

    /// The package without a body: page size and margins, default fonts, dates and the two
    /// headers; and the [`Body`] that builds the blocks for it.
    pub(super) fn setup(mut self, page: &PageSetup, date: &str) -> Result<(Docx, Body)> {
        let text_width = twips(page.text_width());
        if text_width <= 0 {
            return Err(Error::Docx(format!(
                "the margins leave no text width ({} mm)",
                page.text_width()
            )));
        }
        let header_dist = twips(page.page_number.from_top).max(0);
        let footer_dist = match &page.first_page_footer {
            Some(f) => twips(f.from_bottom).max(0),
            None => header_dist,
        };
        let margin = PageMargin {
            top: twips(page.margin_top),
            left: twips(page.margin_left),
            bottom: twips(page.margin_bottom),
            right: twips(page.margin_right),
            header: header_dist,
            footer: footer_dist,
            gutter: 0,
        };
        let size = |mm: Mm| u32::try_from(twips(mm)).unwrap_or(0);
        let docx = Docx::new()
            .page_size(size(page.width), size(page.height))
            .page_margin(margin)
            .default_fonts(self.fonts.clone())
            .default_size(28)
            .default_tab_stop(720)
            .created_at(date)
            .updated_at(date)
            .header(self.number_header(page.page_number.size_pt))
            .first_header(Header::new().add_paragraph(self.base(1.0, 0.0, 0.0, 1.0)));
        let docx = match &page.first_page_footer {
            Some(f) => docx.first_footer(self.first_footer(f)),
            None => docx,
        };
        let body = Body {
            builder: self,
            text_width,
            after_table: false,
            section: None,
        };
        Ok((docx, body))
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
        // `w:left`, then the first line's own indent (`firstLine`, or `hanging` when negative).
        let left = Some(twips(p.left_indent)).filter(|&l| l != 0);
        let indent = twips(p.first_indent);
        let special = match indent {
            i if i > 0 => Some(SpecialIndentType::FirstLine(i)),
            i if i < 0 => Some(SpecialIndentType::Hanging(-i)),
            _ => None,
        };
        if left.is_some() || special.is_some() {
            out = out.indent(left, special, None, None);
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

    /// The first page's footer: its paragraphs, the first with a top border as the rule
    /// across the text width.
    fn first_footer(&mut self, f: &ModelFooter) -> DFooter {
        let width = ((f64::from(f.rule_pt) * 8.0).round() as usize).clamp(2, 96);
        let mut footer = DFooter::new();
        for (i, p) in f.paras.iter().enumerate() {
            let mut para = self.para(p, Place::default());
            if i == 0 {
                let border = ParagraphBorder::new(ParagraphBorderPosition::Top)
                    .val(BorderType::Single)
                    .size(width)
                    .space(0)
                    .color("000000");
                para = para.set_borders(ParagraphBorders::with_empty().set(border));
            }
            footer = footer.add_paragraph(para);
        }
        footer
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
        // Column edges in twips, rounded once each, the last at the text width: the cells add
        // up to the text width exactly.
        let n = c.widths.len();
        let mut edges = Vec::with_capacity(n + 1);
        let mut x: Mm = 0.0;
        edges.push(0);
        for (i, w) in c.widths.iter().enumerate() {
            x += w;
            edges.push(if i + 1 == n { text_width } else { twips(x) });
        }
        let widths: Vec<i32> = edges.windows(2).map(|e| e[1] - e[0]).collect();
        if widths.is_empty() || widths.iter().any(|w| *w <= 0) {
            return Err(Error::Docx(format!(
                "column widths {:?} mm do not fit the text width",
                c.widths
            )));
        }
        let rows = c.grid();
        let mut out = Vec::with_capacity(rows.len());
        for (i, cells) in rows.iter().enumerate() {
            // Every row but the last is kept with the next, so the table stays on one page.
            let place = Place {
                extra_before_pt: if i == 0 { c.space_before_pt } else { 0.0 },
                keep_next: i + 1 < rows.len(),
            };
            let cells = cells
                .iter()
                .zip(&widths)
                .map(|(blocks, w)| self.cell(blocks, *w, place))
                .collect::<Vec<_>>();
            out.push(TableRow::new(cells).cant_split());
        }
        Ok(Table::without_borders(out)
            .set_grid(widths.iter().map(|w| *w as usize).collect())
            .width(text_width as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0))
            .indent(0))
    }

    fn cell(&mut self, blocks: &[CellBlock], width: i32, place: Place) -> TableCell {
        let mut cell = TableCell::new().width(width as usize, WidthType::Dxa);
        if blocks.is_empty() {
            let filler = self.base(1.0, place.extra_before_pt, 0.0, 1.0);
            return cell.add_paragraph(filler.keep_next(place.keep_next));
        }
        for (i, block) in blocks.iter().enumerate() {
            let place = Place {
                extra_before_pt: if i == 0 { place.extra_before_pt } else { 0.0 },
                ..place
            };
            let p = match block {
                CellBlock::Para(p) => self.para(p, place),
                CellBlock::Rule(r) => self.rule(r, width, place),
                CellBlock::Boxed(bx) => {
                    // A nested table, after a spacer paragraph for the space above (and the
                    // cell's), and before the paragraph a cell must end with.
                    let before = space_above(bx.space_before_pt + place.extra_before_pt);
                    if before > 0.0 {
                        let spacer = self.base(1.0, before - 1.0, 0.0, 1.0);
                        cell = cell.add_paragraph(spacer.keep_next(true));
                    }
                    let column = width as f32 * 25.4 / 1440.0;
                    cell = cell.add_table(self.boxed(bx, column));
                    self.base(1.0, 0.0, 0.0, CELL_TRAILER_PT)
                        .keep_next(place.keep_next)
                }
            };
            cell = cell.add_paragraph(p);
        }
        cell
    }

    /// A boxed mark: a 1×1 table centred in its column, of exact row height, single borders,
    /// the paragraph centred vertically in it.
    fn boxed(&mut self, b: &Boxed, column: Mm) -> Table {
        let width = twips(box_width(b, column, &self.book)).max(1) as usize;
        let borders = single_borders(b.border_pt, false);
        let para = self.para(&inner_para(b), Place::default());
        let cell = TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(para);
        let row = TableRow::new(vec![cell])
            .row_height(twips(b.height).max(1) as f32)
            .height_rule(HeightRule::Exact)
            .cant_split();
        Table::new(vec![row])
            .set_borders(borders)
            .set_grid(vec![width])
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0))
    }

    /// A ruled table; rows never split across pages.
    /// A ruled table's properties and grid; its rows come from [`Builder::table_row`].
    fn table_shell(&mut self, t: &ModelTable) -> Table {
        let pad = twips(t.padding).max(0) as usize;
        let borders = single_borders(t.border_pt, true);
        let widths: Vec<i32> = t.widths.iter().map(|w| twips(*w)).collect();
        Table::new(Vec::new())
            .set_borders(borders)
            .set_grid(widths.iter().map(|w| (*w).max(0) as usize).collect())
            .width(widths.iter().sum::<i32>().max(0) as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, pad, 0, pad))
            .indent(0)
    }

    /// One row of a ruled table, never split across pages.
    fn table_row(&mut self, cells: &[Paragraph], widths: &[Mm]) -> TableRow {
        let cells = cells
            .iter()
            .zip(widths)
            .map(|(p, w)| {
                TableCell::new()
                    .width(twips(*w).max(0) as usize, WidthType::Dxa)
                    .add_paragraph(self.para(p, Place::default()))
            })
            .collect();
        TableRow::new(cells).cant_split()
    }
}

/// Single black borders `border_pt` wide round a table, and between its cells if `inside`.
fn single_borders(border_pt: f32, inside: bool) -> TableBorders {
    // Border widths are eighths of a point; Word accepts 2..=96.
    let size = ((f64::from(border_pt) * 8.0).round() as usize).clamp(2, 96);
    let border = |pos| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(size)
            .color("000000")
    };
    let mut borders = TableBorders::with_empty()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Right));
    if inside {
        borders = borders
            .set(border(TableBorderPosition::InsideH))
            .set(border(TableBorderPosition::InsideV));
    }
    borders
}
