//! The format-neutral document model: every renderer reads only this.
//!
//! A [`Document`] is a page setup plus a flow of [`Block`]s whose styles are already resolved
//! (sizes, alignment, spacing, rule lengths). The format profile decided those numbers when the
//! document was assembled; renderers only draw what they are given and never re-interpret text.

/// Lengths in the model are millimetres; font sizes and vertical spacing are points.
pub use crate::profile::Mm;

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Template name, e.g. `thong-bao-ket-luan`.
    pub kind: String,
    /// Title for the PDF metadata and DOCX core properties.
    pub meta_title: String,
    pub page: PageSetup,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageSetup {
    pub width: Mm,
    pub height: Mm,
    pub margin_top: Mm,
    pub margin_bottom: Mm,
    pub margin_left: Mm,
    pub margin_right: Mm,
    /// Page numbers: centred in the top margin, from page 2.
    pub page_number: PageNumberStyle,
    /// A footer on page 1 only (NĐ 30 ô 13: the issuer's address and contacts).
    pub first_page_footer: Option<Footer>,
    /// The place for the text of an electronic signature in the top margin of page 1
    /// (attachments and electronic copies, NĐ 30 Phụ lục I Phần II); `None`: no such place.
    pub electronic_mark: Option<ElectronicMark>,
}

/// The top-right corner of page 1 kept for the electronic signature's text: a box `width`
/// wide and `height` high, right-aligned at the right margin, its bottom `gap` above the top
/// of the text area. Nothing is drawn there: a PDF rendered for signing gets a signature
/// field of that size (`electronic`), which the signer fills.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectronicMark {
    /// The lines the signature's text starts with: the number and symbol; for a copy, the
    /// form of copy, the copying body and the copy's number.
    pub lines: Vec<String>,
    pub width: Mm,
    pub height: Mm,
    pub gap: Mm,
}

impl ElectronicMark {
    /// The mark of the field contract: 90 mm wide, 2 mm above the text area, 14 mm high or
    /// as high as its lines and the signing time need in Times New Roman 10 pt (NĐ 30, Phụ
    /// lục I, Phần II): a copy's three lines and the time need 17.4 mm.
    pub fn new(lines: Vec<String>) -> ElectronicMark {
        let height = Self::text_height(lines.len() + 1).max(14.0);
        ElectronicMark {
            lines,
            width: 90.0,
            height,
            gap: 2.0,
        }
    }

    /// The height `lines` lines of the signer's text take (`sign/text.rs` draws them with
    /// the same numbers): [`ElectronicMark::SIZE_PT`] at a pitch of
    /// [`ElectronicMark::LEADING`], the first line's ascent and the last one's descent (1.12 em
    /// in Liberation Serif and Times New Roman, 1.107 rounded up), [`ElectronicMark::PAD_PT`]
    /// from the top and the bottom.
    pub fn text_height(lines: usize) -> Mm {
        let em = 1.12 + Self::LEADING * lines.saturating_sub(1) as f32;
        (2.0 * Self::PAD_PT + Self::SIZE_PT * em) * crate::fonts::MM_PER_PT
    }

    /// The text's size: Times New Roman 10 pt (NĐ 30, Phụ lục I, Phần II).
    pub const SIZE_PT: f32 = 10.0;
    /// Line pitch, in font sizes.
    pub const LEADING: f32 = 1.2;
    /// Space kept between the text and the field's edges.
    pub const PAD_PT: f32 = 1.0;
}

/// A footer on the first page: paragraphs under a rule across the text width, the bottom of
/// the last line `from_bottom` above the paper's bottom edge. When the footer and that
/// distance are taller than the bottom margin, page 1's text ends higher (as in Word).
#[derive(Debug, Clone, PartialEq)]
pub struct Footer {
    pub paras: Vec<Paragraph>,
    /// Thickness of the rule above the paragraphs.
    pub rule_pt: f32,
    /// Distance from the paper's bottom edge to the bottom of the footer.
    pub from_bottom: Mm,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageNumberStyle {
    pub size_pt: f32,
    /// Distance from the top edge of the paper to the top of the number's line box.
    pub from_top: Mm,
    /// The height of the number's line box (the header paragraph's exact line pitch).
    pub line_pitch_pt: f32,
}

impl PageSetup {
    pub fn text_width(&self) -> Mm {
        self.width - self.margin_left - self.margin_right
    }
    pub fn text_height(&self) -> Mm {
        self.height - self.margin_top - self.margin_bottom
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Paragraph),
    Rule(Rule),
    /// Side-by-side columns (header block, closing block). Never split across pages.
    Columns(Columns),
    /// A ruled table; it may break between rows, repeating its header row.
    Table(Table),
    /// A bordered box of fixed height holding one centred paragraph (NĐ 30 ô 10a/10b/11:
    /// urgency, secrecy), centred in its column; in a `Columns` cell too.
    Boxed(Boxed),
    /// A new section on a new page (an appendix); with `restart_numbering` its pages are
    /// numbered from 1 and its first page shows no number.
    Section(SectionStart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Boxed {
    /// The text, drawn centred horizontally and vertically in the box (its own spacing and
    /// indents do not apply).
    pub para: Paragraph,
    /// Width of the box; `None`: the text's widest line plus [`BOX_PADDING`] each side.
    pub width: Option<Mm>,
    pub height: Mm,
    pub border_pt: f32,
    pub space_before_pt: f32,
}

/// The padding each side of a boxed mark's text when the box is as wide as its text.
pub const BOX_PADDING: Mm = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionStart {
    pub restart_numbering: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    pub align: Align,
    pub size_pt: f32,
    /// First-line indent, added to `left_indent` on the first line (negative: a hanging
    /// indent).
    pub first_indent: Mm,
    /// Every line starts this far from the column's left edge and is that much narrower.
    pub left_indent: Mm,
    pub space_before_pt: f32,
    pub space_after_pt: f32,
    /// Exact distance between baselines.
    pub line_pitch_pt: f32,
    /// Keep on the same page as the next block (headings, the last body paragraph before
    /// the closing block).
    pub keep_with_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }
}

/// A centred horizontal rule of a given length.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub length: Mm,
    pub thickness_pt: f32,
    pub space_before_pt: f32,
    pub space_after_pt: f32,
}

/// A borderless grid of side-by-side cells (header block, closing block), built row by row
/// by assembly: the header's names | titles row and its number | date row (which then share
/// a first line), the closing block's signatures and, with two or more signers, a row with
/// `Nơi nhận` on the left. Never split across pages while it fits on one.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// Column widths, left to right; they add up to the text width.
    pub widths: Vec<Mm>,
    /// Rows of cells, each cell a stack of paragraphs, rules and boxed marks (what both
    /// renderers draw in a cell: the type holds nothing else); a row may have fewer cells than
    /// there are columns (the rest are empty).
    pub rows: Vec<Vec<Vec<CellBlock>>>,
    pub space_before_pt: f32,
    /// The signing spaces in this block (the closing block's signature columns).
    pub signing_spaces: Vec<SigningSpace>,
}

/// A signer's signing space (NĐ 30 ô 7c): the space before one paragraph of a [`Columns`]
/// cell (the name, or the other title above it), between the position line and the name. A
/// PDF rendered for signing gets a signature field there (`person-N`, N = `signer`); the DOCX
/// draws nothing for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSpace {
    pub row: usize,
    pub column: usize,
    /// The index of the paragraph in the cell whose space before is the signing space.
    pub block: usize,
    /// The signer's number, from 1, in the record's signer order.
    pub signer: usize,
}

impl Columns {
    /// The rows as every renderer lays them out: each row with one cell per column.
    pub fn grid(&self) -> Vec<Vec<&[CellBlock]>> {
        self.rows
            .iter()
            .map(|row| {
                (0..self.widths.len())
                    .map(|i| row.get(i).map_or(&[][..], Vec::as_slice))
                    .collect()
            })
            .collect()
    }
}

/// What a [`Columns`] cell may hold: a paragraph, a rule or a boxed mark, never another
/// two-column block, a table or a section.
#[derive(Debug, Clone, PartialEq)]
pub enum CellBlock {
    Para(Paragraph),
    Rule(Rule),
    Boxed(Boxed),
}

impl From<CellBlock> for Block {
    fn from(c: CellBlock) -> Block {
        match c {
            CellBlock::Para(p) => Block::Para(p),
            CellBlock::Rule(r) => Block::Rule(r),
            CellBlock::Boxed(b) => Block::Boxed(b),
        }
    }
}

/// A table with a header row. Each cell is one paragraph; widths add up to the text width.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub widths: Vec<Mm>,
    pub header: Vec<Paragraph>,
    pub rows: Vec<Vec<Paragraph>>,
    /// Horizontal padding inside each cell.
    pub padding: Mm,
    pub border_pt: f32,
    pub space_before_pt: f32,
    pub space_after_pt: f32,
}

impl Paragraph {
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

impl Document {
    /// The text of the document in reading order, one entry per paragraph (a two-column
    /// block row by row, each row left to right): what a text extractor should find (used by
    /// tests and by `check`).
    pub fn paragraphs(&self) -> Vec<&Paragraph> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Paragraph>) {
            for b in blocks {
                match b {
                    Block::Para(p) => out.push(p),
                    Block::Rule(_) | Block::Section(_) => {}
                    Block::Boxed(b) => out.push(&b.para),
                    Block::Columns(c) => {
                        for cell in c.grid().into_iter().flatten() {
                            out.extend(cell.iter().filter_map(|b| match b {
                                CellBlock::Para(p) => Some(p),
                                CellBlock::Boxed(b) => Some(&b.para),
                                CellBlock::Rule(_) => None,
                            }));
                        }
                    }
                    Block::Table(t) => {
                        out.extend(t.header.iter());
                        out.extend(t.rows.iter().flatten());
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }
}
