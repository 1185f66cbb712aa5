//! Assembly: a rendered template plus the record and the format profile become a
//! [`Document`] whose every size, spacing and rule length is resolved.

use crate::doc::markup::{self, MarkupBlock};
use crate::doc::model::*;
use crate::doc::names;
use crate::fonts::FontBook;
use crate::model::record::{Date, DocumentEntry, Format, Issuer, Recipient, Record, Signer};
use crate::profile::{single_pitch, LineStyle, Profile, SummaryMark};
use crate::template::{Layout, Rendered};

/// Everything assembly needs besides the rendered template: who issues the document, its
/// number, date, signer and recipients.
pub(crate) struct AssemblyInput<'a> {
    /// Template name.
    pub kind: &'a str,
    pub format: Format,
    pub issuer: &'a Issuer,
    /// `None` leaves the number blank for the register (`Số     -BC/HU`).
    pub number: Option<u32>,
    /// `None` for a document without a date line (the minutes).
    pub date: Option<Date>,
    /// Left to right; empty for a document without a closing block.
    pub signers: Vec<&'a Signer>,
    pub recipients: &'a [Recipient],
    /// The whole entry, for the optional elements (urgency, drafter, Kính gửi, …).
    pub entry: Option<&'a DocumentEntry>,
    pub rendered: &'a Rendered,
    pub fonts: &'a FontBook,
}

impl<'a> AssemblyInput<'a> {
    /// The input for one document entry of a session record.
    pub(crate) fn for_entry(
        record: &'a Record,
        entry: &'a DocumentEntry,
        rendered: &'a Rendered,
        fonts: &'a FontBook,
    ) -> AssemblyInput<'a> {
        AssemblyInput {
            kind: &entry.template,
            format: record.format,
            issuer: &record.issuer,
            number: entry.number,
            date: entry.date.or(record.session.date),
            signers: entry.all_signers(),
            recipients: entry.recipients.as_deref().unwrap_or(&[]),
            entry: Some(entry),
            rendered,
            fonts,
        }
    }
}

/// What comes before the body: the page setup, the metadata title, and the header and title
/// blocks (official) or the headline (news). The body of `input.rendered` is not read.
pub(crate) struct Head {
    pub page: PageSetup,
    pub meta_title: String,
    pub blocks: Vec<Block>,
}

pub(crate) fn head(input: &AssemblyInput) -> Head {
    let profile = input.format.profile();
    let mut page = page_setup(profile);
    page.first_page_footer = address_footer(input, profile);
    let mut blocks = Vec::new();
    let r = input.rendered;
    if r.front.layout != Layout::News {
        page.electronic_mark = Some(ElectronicMark::new(vec![number_line(input, profile)]));
    }
    let meta_title = match r.front.layout {
        Layout::Official | Layout::Minutes => {
            blocks.push(header(input, profile));
            let (title_blocks, title) = title_block(input, profile, page.text_width());
            blocks.extend(title_blocks);
            blocks.extend(kinh_gui(input, profile, page.text_width()));
            title
        }
        Layout::Letter => {
            blocks.push(header(input, profile));
            blocks.extend(kinh_gui(input, profile, page.text_width()));
            letter_summary(input)
        }
        Layout::News => {
            let headline = r
                .headline
                .as_deref()
                .map(markup::inline_text)
                .unwrap_or_default();
            if !headline.is_empty() {
                let mut p = para(&headline, profile.measures.headline, Align::Center);
                p.keep_with_next = true;
                blocks.push(Block::Para(p));
            }
            headline
        }
    };
    Head {
        page,
        meta_title,
        blocks,
    }
}

/// What comes after the body: the closing block (official) or the byline (news).
pub(crate) fn tail(input: &AssemblyInput) -> Vec<Block> {
    let profile = input.format.profile();
    let r = input.rendered;
    let mut blocks = Vec::new();
    match r.front.layout {
        Layout::Official | Layout::Letter | Layout::Minutes => {
            blocks.extend(closing(input, profile))
        }
        Layout::News => {
            let byline = r.byline.as_deref().map(markup::inline_text);
            if let Some(byline) = byline.filter(|b| !b.trim().is_empty()) {
                let mut p = para(&byline, profile.measures.byline, Align::Right);
                p.space_before_pt = profile.measures.byline_space_before;
                blocks.push(Block::Para(p));
            }
        }
    }
    blocks
}

/// One piece of body markup as blocks. Pieces cut where a cut cannot change the parse
/// (`doc::chunk`) give, one after the other, the blocks of the whole body; the last body
/// paragraph is finished by [`LastBodyBlock`].
pub(crate) fn body_blocks(
    markup_text: &str,
    p: &Profile,
    fonts: &FontBook,
    width: Mm,
) -> Vec<Block> {
    body(markup_text, p, fonts, width)
}

/// Passes body blocks through with one block of look-ahead, so that the last one can be
/// finished when the body ends: in an official document the last body paragraph is kept with
/// the closing block and, when the profile has one, gets the end mark (`./.`). Errors pass
/// through unchanged.
pub(crate) struct LastBodyBlock<I> {
    inner: I,
    held: Option<Block>,
    official: bool,
    mark: Option<&'static str>,
}

impl<I> LastBodyBlock<I> {
    pub(crate) fn new(inner: I, layout: Layout, p: &Profile) -> LastBodyBlock<I> {
        LastBodyBlock {
            inner,
            held: None,
            official: layout.is_official(),
            mark: p.body_end_mark,
        }
    }
}

impl<I, E> Iterator for LastBodyBlock<I>
where
    I: Iterator<Item = Result<Block, E>>,
{
    type Item = Result<Block, E>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.inner.next() {
                Some(Ok(block)) => {
                    if let Some(prev) = self.held.replace(block) {
                        return Some(Ok(prev));
                    }
                }
                Some(Err(e)) => return Some(Err(e)),
                None => {
                    let mut last = self.held.take()?;
                    if self.official {
                        finish_last(&mut last, self.mark);
                    }
                    return Some(Ok(last));
                }
            }
        }
    }
}

/// The closing block never stands alone: keep the last paragraph with it, and end it with
/// the profile's mark.
fn finish_last(block: &mut Block, mark: Option<&'static str>) {
    if let Block::Para(last) = block {
        last.keep_with_next = true;
        if let (Some(mark), Some(run)) = (mark, last.runs.last_mut()) {
            let trimmed = run.text.trim_end().trim_end_matches('.');
            // Never `,./.` or `:./.`: a body ending in such a mark is left as it is (`check`
            // warns about it).
            let open_end = trimmed.ends_with([',', ';', ':', '-', '–']);
            if !run.text.ends_with(mark) && !open_end {
                run.text = format!("{trimmed}{mark}");
            }
        }
    }
}

/// The page of a document in profile `p`.
pub fn page_setup(p: &Profile) -> PageSetup {
    PageSetup {
        width: p.measures.page_width,
        height: p.measures.page_height,
        margin_top: p.margin_top,
        margin_bottom: p.margin_bottom,
        margin_left: p.margin_left,
        margin_right: p.margin_right,
        page_number: PageNumberStyle {
            size_pt: p.page_number_size,
            from_top: p.page_number_from_top,
            line_pitch_pt: single_pitch(p.page_number_size),
        },
        first_page_footer: None,
        electronic_mark: None,
    }
}

/// A one-style paragraph at single line pitch.
pub(crate) fn para(text: &str, s: LineStyle, align: Align) -> Paragraph {
    Paragraph {
        runs: vec![Run {
            text: text.to_string(),
            bold: s.bold,
            italic: s.italic,
            underline: s.underline,
        }],
        align,
        size_pt: s.size,
        first_indent: 0.0,
        left_indent: 0.0,
        space_before_pt: 0.0,
        space_after_pt: 0.0,
        line_pitch_pt: single_pitch(s.size),
        keep_with_next: false,
    }
}

pub(crate) fn rule(length: Mm, p: &Profile) -> Rule {
    Rule {
        length,
        thickness_pt: p.rule_thickness_pt,
        space_before_pt: p.measures.rule_space_before,
        // Never space after: Word adds space-after and the next space-before, LibreOffice
        // takes the larger. With one of the two always zero, all renderers agree.
        space_after_pt: 0.0,
    }
}

pub(crate) fn width_of(fonts: &FontBook, text: &str, s: LineStyle) -> Mm {
    fonts.width_mm(text, s.bold, s.italic, s.size)
}

/// `text` with each typed line wrapped in balanced lines to fit `width` ([`names`]).
pub(crate) fn wrap(text: &str, width: Mm, s: LineStyle, fonts: &FontBook) -> String {
    text.split('\n')
        .map(|line| names::balance(line, width, |t| width_of(fonts, t, s)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The summary of a công văn (the `V/v` line), without its prefix.
fn letter_summary(input: &AssemblyInput) -> String {
    input
        .rendered
        .summary
        .as_deref()
        .map(markup::inline_text)
        .unwrap_or_default()
}

/// The document's number and symbol as the header writes it (`Số: 12-TB/HU`).
pub(crate) fn number_line(input: &AssemblyInput, p: &Profile) -> String {
    let co_issuers = input.entry.map_or(&[][..], |e| e.co_issuers.as_slice());
    let code = std::iter::once(input.issuer.code.as_str())
        .chain(co_issuers.iter().map(|c| c.code.as_str()))
        .collect::<Vec<_>>()
        .join("-");
    let abbr = input.rendered.front.abbr.as_deref().unwrap_or("");
    if input.rendered.front.layout == Layout::Letter {
        let unit = input.entry.and_then(|e| e.unit.as_deref());
        p.letter_number_line(input.number, abbr, &code, unit)
    } else {
        p.number_line(input.number, abbr, &code)
    }
}

/// The header's left stack: the superior bodies, the issuer's name (and its co-issuers'),
/// the profile's mark under it, and the rule under the name's widest line.
fn issuer_names(input: &AssemblyInput, p: &Profile) -> Vec<CellBlock> {
    let (issuer, fonts, left_w) = (input.issuer, input.fonts, p.header_left_width);
    let co_issuers = input.entry.map_or(&[][..], |e| e.co_issuers.as_slice());
    let mut left = Vec::new();
    // The superior bodies, each once, joined like the names.
    let mut parents: Vec<&str> = Vec::new();
    for parent in std::iter::once(&issuer.parent)
        .chain(co_issuers.iter().map(|c| &c.parent))
        .flatten()
    {
        if !parents.contains(&parent.as_str()) {
            parents.push(parent);
        }
    }
    if !parents.is_empty() {
        let text = wrap(&parents.join(" - "), left_w, p.superior, fonts);
        left.push(CellBlock::Para(para(&text, p.superior, Align::Center)));
    }
    let name = std::iter::once(issuer.name.as_str())
        .chain(co_issuers.iter().map(|c| c.name.as_str()))
        .collect::<Vec<_>>()
        .join(" - ");
    let name = wrap(&name, left_w, p.issuer, fonts);
    left.push(CellBlock::Para(para(&name, p.issuer, Align::Center)));
    if let Some(mark) = p.issuer_mark {
        left.push(CellBlock::Para(para(mark, p.superior, Align::Center)));
    }
    if let Some(frac) = p.issuer_rule_fraction {
        // The rule follows the widest line of the name.
        let w = names::widest(&name, |t| width_of(fonts, t, p.issuer)).min(left_w);
        left.push(CellBlock::Rule(rule(w * frac, p)));
    }
    left
}

/// The header's right stack: the national title (or the Party's), with its rule.
fn national_title(p: &Profile, fonts: &FontBook) -> Vec<CellBlock> {
    let mut right = Vec::new();
    for (text, s) in p.national_title {
        right.push(CellBlock::Para(para(text, *s, Align::Center)));
    }
    if let Some((last, s)) = p.national_title.last() {
        right.push(CellBlock::Rule(rule(width_of(fonts, last, *s), p)));
    }
    right
}

/// The header block: the names | the national title in the first row; the number (with the
/// công văn's V/v line and the marks ô 10a, 10b, 11 under it) | the date in the second row
/// (State: they start on one line), or in the same row (Party).
fn header(input: &AssemblyInput, p: &Profile) -> Block {
    let issuer = input.issuer;
    let fonts = input.fonts;
    let left_w = p.header_left_width;
    let layout = input.rendered.front.layout;
    let mut left = issuer_names(input, p);
    let number = number_line(input, p);
    let mut number_para = para(&number, p.number, Align::Center);
    let dated = layout != Layout::Minutes || p.minutes_date_line;
    let date_line = input
        .date
        .filter(|_| dated)
        .map(|d| format!("{}, {}", issuer.place, d.written_out()))
        .unwrap_or_default();
    let mut date_para = para(&date_line, p.date, Align::Center);
    let mut right = national_title(p, fonts);
    if p.number_and_date_same_row {
        // The shared row sits a little below both stacks.
        number_para.space_before_pt = p.measures.number_row_space_before;
        date_para.space_before_pt = p.measures.number_row_space_before;
        number_para.line_pitch_pt = single_pitch(p.date.size);
    } else {
        date_para.space_before_pt = p.measures.date_space_before;
    }
    let mut under_number = vec![CellBlock::Para(number_para)];
    if layout == Layout::Letter {
        let summary = letter_summary(input);
        if !summary.is_empty() {
            let text = format!("{}{summary}", p.letter_summary_prefix);
            let text = wrap(&text, left_w, p.letter_summary, fonts);
            let mut v = para(&text, p.letter_summary, Align::Center);
            v.space_before_pt = p.measures.letter_summary_space_before;
            under_number.push(CellBlock::Para(v));
        }
    }
    under_number.extend(marks(input, p));
    let date_cell = if dated && !date_line.is_empty() {
        vec![CellBlock::Para(date_para)]
    } else {
        Vec::new()
    };
    let rows = if p.number_and_date_same_row {
        // The number and the date start on the same line: a row of their own.
        vec![vec![left, right], vec![under_number, date_cell]]
    } else {
        left.extend(under_number);
        right.extend(date_cell);
        vec![vec![left, right]]
    };
    Block::Columns(Columns {
        widths: vec![left_w, page_setup(p).text_width() - left_w],
        rows,
        space_before_pt: 0.0,
        signing_spaces: Vec::new(),
    })
}

/// The marks under the number: secrecy (ô 10a), urgency (ô 10b), circulation (ô 11).
pub(crate) fn marks(input: &AssemblyInput, p: &Profile) -> Vec<CellBlock> {
    let Some(entry) = input.entry else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let marks = [
        (&entry.secrecy, MarkKind::Secrecy),
        (&entry.urgency, MarkKind::Urgency),
        (&entry.circulation, MarkKind::Circulation),
    ];
    for (text, kind) in marks {
        let Some(text) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        out.push(CellBlock::Boxed(Boxed {
            para: para(text, p.mark, Align::Center),
            width: mark_width(text, kind, p),
            height: p.measures.mark_height,
            border_pt: p.measures.mark_border_pt,
            space_before_pt: p.measures.mark_space_before,
        }));
    }
    out
}

#[derive(Clone, Copy)]
enum MarkKind {
    Secrecy,
    Urgency,
    Circulation,
}

/// The width of a mark's box: the profile's width for an urgency or secrecy mark it lists
/// (`HOẢ` read as `HỎA`); anything else, and circulation, sized to the text.
fn mark_width(text: &str, kind: MarkKind, p: &Profile) -> Option<Mm> {
    let key = text.to_uppercase().replace("HOẢ", "HỎA");
    let widths = match kind {
        MarkKind::Urgency => p.measures.urgency_widths,
        MarkKind::Secrecy => p.measures.secrecy_widths,
        MarkKind::Circulation => &[],
    };
    widths
        .iter()
        .find(|(mark, _)| *mark == key)
        .map(|(_, w)| *w)
}

/// The issuer's address at the foot of page 1 (ô 13), unless the entry switches it off.
fn address_footer(input: &AssemblyInput, p: &Profile) -> Option<Footer> {
    if input.rendered.front.layout == Layout::News {
        return None;
    }
    if input.entry.and_then(|e| e.address) == Some(false) {
        return None;
    }
    let address = input.issuer.address.as_deref()?.trim();
    if address.is_empty() {
        return None;
    }
    Some(Footer {
        paras: vec![para(address, p.address, Align::Left)],
        rule_pt: p.measures.footer_rule_pt,
        from_bottom: p.measures.footer_from_bottom,
    })
}

/// Kính gửi (ô 9a) from the entry's `to`: one recipient on one line, `Kính gửi: X`, centred;
/// several as `Kính gửi:` then `- item` lines aligned under the colon, the block centred on
/// its widest line.
fn kinh_gui(input: &AssemblyInput, p: &Profile, text_width: Mm) -> Vec<Block> {
    let Some(to) = input.entry.and_then(|e| e.to.as_deref()) else {
        return Vec::new();
    };
    let items: Vec<&str> = to
        .iter()
        .map(|t| t.as_str().trim())
        .filter(|t| !t.is_empty())
        .collect();
    let label = "Kính gửi:";
    let mut out = Vec::new();
    let first_space = p.measures.to_space_before;
    match items.as_slice() {
        [] => {}
        [one] => {
            let mut k = para(&format!("{label} {one}"), p.to, Align::Center);
            k.space_before_pt = first_space;
            k.keep_with_next = true;
            out.push(Block::Para(k));
        }
        many => {
            let fonts = input.fonts;
            let label_w = width_of(fonts, &format!("{label} "), p.to);
            let widest = many
                .iter()
                .map(|i| width_of(fonts, &format!("- {i}"), p.to))
                .fold(0.0, f32::max);
            let start = ((text_width - label_w - widest) / 2.0).max(0.0);
            let mut k = para(label, p.to, Align::Left);
            k.first_indent = start;
            k.space_before_pt = first_space;
            k.keep_with_next = true;
            out.push(Block::Para(k));
            for item in many {
                let mut i = para(&format!("- {item}"), p.to, Align::Left);
                indent(&mut i, start + label_w, 0.0);
                i.keep_with_next = true;
                out.push(Block::Para(i));
            }
        }
    }
    out
}

/// Sets a paragraph's left indent and first-line indent (relative to the left indent).
fn indent(para: &mut Paragraph, left: Mm, first: Mm) {
    para.left_indent = left;
    para.first_indent = first;
}

fn title_block(input: &AssemblyInput, p: &Profile, text_width: Mm) -> (Vec<Block>, String) {
    let r = input.rendered;
    let type_name = r.front.type_name.clone().unwrap_or_default();
    let mut summary = r
        .summary
        .as_deref()
        .map(markup::inline_text)
        .unwrap_or_default();
    if p.summary_sentence_case {
        let mut c = summary.chars();
        if let Some(f) = c.next() {
            summary = f.to_uppercase().chain(c).collect();
        }
    }
    let mut out = Vec::new();
    let mut t = para(&type_name, p.type_name, Align::Center);
    t.space_before_pt = p.measures.type_name_space_before;
    t.keep_with_next = true;
    out.push(Block::Para(t));
    if !summary.is_empty() {
        let mut s = para(&summary, p.summary, Align::Center);
        s.keep_with_next = true;
        out.push(Block::Para(s));
        match p.summary_mark {
            SummaryMark::Text(mark) => {
                let mut m = para(
                    mark,
                    LineStyle {
                        bold: false,
                        ..p.summary
                    },
                    Align::Center,
                );
                m.keep_with_next = true;
                out.push(Block::Para(m));
            }
            SummaryMark::Rule(frac) => {
                let w = width_of(input.fonts, &summary, p.summary).min(text_width);
                out.push(Block::Rule(rule(w * frac, p)));
            }
        }
    }
    let title = if summary.is_empty() {
        type_name
    } else {
        format!("{type_name} {summary}")
    };
    (out, title)
}

fn body(markup_text: &str, p: &Profile, fonts: &FontBook, width: Mm) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for block in markup::parse(markup_text) {
        // Level 1 (`Phần I`, `Chương II` and their titles): centred, without indent.
        let mut centred = false;
        let (mut runs, heading) = match block {
            MarkupBlock::Heading { runs, level } => {
                centred = level == 1;
                (runs, true)
            }
            MarkupBlock::Paragraph(runs) => (runs, false),
            MarkupBlock::Item { label, mut runs } => {
                runs.insert(0, Run::plain(format!("{label} ")));
                (runs, false)
            }
            MarkupBlock::Table { header, rows } => {
                out.push(Block::Table(table(header, rows, p, fonts, width)));
                continue;
            }
        };
        if heading {
            for r in runs.iter_mut() {
                r.bold = true;
            }
        }
        out.push(Block::Para(Paragraph {
            runs,
            align: if centred {
                Align::Center
            } else {
                Align::Justify
            },
            size_pt: p.body_size,
            first_indent: if centred { 0.0 } else { p.body_indent },
            left_indent: 0.0,
            space_before_pt: p.body_space_before,
            space_after_pt: 0.0,
            line_pitch_pt: p.body_line_pitch,
            keep_with_next: heading,
        }));
    }
    out
}

/// Room a cell's text needs beyond its measured width: the PDF fills a line only to within
/// 0.05 mm and both formats round widths to twips, so a column exactly as wide as its longest
/// word would break that word (`08/11/202` + `2`).
const FIT_SLACK: Mm = 1.0;

/// The widths of a table's `n` columns: in proportion to each column's widest content when
/// that fits `width`; otherwise every column gets its longest word, and the rest is shared by
/// widest content.
fn column_widths(
    header: &[Vec<Run>],
    rows: &[Vec<Vec<Run>>],
    n: usize,
    p: &Profile,
    fonts: &FontBook,
    width: Mm,
) -> Vec<Mm> {
    let (size, padding) = (p.table_size, p.measures.table_padding);
    let measure = |runs: &[Run], bold: bool| -> (Mm, Mm) {
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        let full = fonts.width_mm(&text, bold, false, size);
        let word = text
            .split_whitespace()
            .map(|w| fonts.width_mm(w, bold, false, size))
            .fold(0.0, f32::max);
        (full, word)
    };
    let mut natural = vec![0.0f32; n];
    let mut minimum = vec![0.0f32; n];
    for (row, bold) in
        std::iter::once((header, true)).chain(rows.iter().map(|r| (r.as_slice(), false)))
    {
        for (i, c) in row.iter().enumerate().take(n) {
            let (full, word) = measure(c, bold);
            natural[i] = natural[i].max(full + 2.0 * padding + FIT_SLACK);
            minimum[i] = minimum[i].max(word + 2.0 * padding + FIT_SLACK);
        }
    }
    let total: f32 = natural.iter().sum();
    if total <= width {
        natural.iter().map(|w| w * width / total.max(1.0)).collect()
    } else {
        // Give every column its minimum, share the rest by natural width.
        let min_total: f32 = minimum.iter().sum();
        let spare = (width - min_total).max(0.0);
        let extra: Vec<f32> = natural.iter().zip(&minimum).map(|(n, m)| n - m).collect();
        let extra_total: f32 = extra.iter().sum::<f32>().max(1.0);
        minimum
            .iter()
            .zip(&extra)
            .map(|(m, e)| m + spare * e / extra_total)
            .collect()
    }
}

/// Table cells are set a size below the body, single-spaced; column widths follow the
/// widest content of each column, never narrower than its longest word.
fn table(
    header: Vec<Vec<Run>>,
    rows: Vec<Vec<Vec<Run>>>,
    p: &Profile,
    fonts: &FontBook,
    width: Mm,
) -> Table {
    let size = p.table_size;
    let padding = p.measures.table_padding;
    let n = header
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let cell = |runs: Vec<Run>, bold: bool, align: Align| {
        let mut c = Paragraph {
            runs,
            align,
            size_pt: size,
            first_indent: 0.0,
            left_indent: 0.0,
            space_before_pt: p.measures.table_cell_space,
            space_after_pt: p.measures.table_cell_space,
            line_pitch_pt: single_pitch(size),
            keep_with_next: false,
        };
        if bold {
            for r in c.runs.iter_mut() {
                r.bold = true;
            }
        }
        c
    };
    let widths = column_widths(&header, &rows, n, p, fonts, width);
    let pad_row = |mut r: Vec<Vec<Run>>| {
        r.resize(n, Vec::new());
        r
    };
    Table {
        widths,
        header: pad_row(header)
            .into_iter()
            .map(|c| cell(c, true, Align::Center))
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| {
                pad_row(r)
                    .into_iter()
                    .map(|c| cell(c, false, Align::Left))
                    .collect()
            })
            .collect(),
        padding,
        border_pt: p.measures.table_border_pt,
        space_before_pt: p.body_space_before,
        space_after_pt: 0.0,
    }
}

/// One signature column: the authority lines, the position, the signature space, the other
/// title (ô 7b) and the name, all centred on one axis; and the index of the paragraph whose
/// space before is the signing space.
fn signature(signer: &Signer, p: &Profile, fonts: &FontBook, width: Mm) -> (Vec<CellBlock>, usize) {
    let mut out = Vec::new();
    if let Some(a) = signer.authority.as_deref().filter(|a| !a.trim().is_empty()) {
        let text = wrap(a, width, p.authority, fonts);
        out.push(CellBlock::Para(para(&text, p.authority, Align::Center)));
    }
    if let Some(pos) = signer.position.as_deref().filter(|a| !a.trim().is_empty()) {
        let text = wrap(pos, width, p.position, fonts);
        out.push(CellBlock::Para(para(&text, p.position, Align::Center)));
    }
    let space = p.signature_space / crate::fonts::MM_PER_PT;
    let mut name = para(&signer.name, p.signer_name, Align::Center);
    match signer
        .other_title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        Some(t) => {
            let text = wrap(t, width, p.other_title, fonts);
            let mut o = para(&text, p.other_title, Align::Center);
            o.space_before_pt = space;
            out.push(CellBlock::Para(o));
        }
        None => name.space_before_pt = space,
    }
    out.push(CellBlock::Para(name));
    // The other title (when there is one) follows the space, then the name.
    let spaced = if out.len() >= 2 && signer_has_other_title(signer) {
        out.len() - 2
    } else {
        out.len() - 1
    };
    (out, spaced)
}

fn signer_has_other_title(signer: &Signer) -> bool {
    signer
        .other_title
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty())
}

/// Side-by-side signatures: the space before each signature's last two-or-one lines (the other
/// title, the name) grows so that the names share a baseline.
fn align_names(sigs: &mut [Vec<CellBlock>]) {
    let above = |sig: &[CellBlock]| -> f32 {
        sig.iter()
            .map(|b| match b {
                CellBlock::Para(q) => {
                    q.space_before_pt
                        + q.line_pitch_pt * (q.text().matches('\n').count() + 1) as f32
                }
                _ => 0.0,
            })
            .sum::<f32>()
    };
    // The paragraph that carries the signature space: the one with the largest space before.
    let heights: Vec<f32> = sigs.iter().map(|s| above(s)).collect();
    let top = heights.iter().copied().fold(0.0, f32::max);
    for (sig, h) in sigs.iter_mut().zip(heights) {
        let spaced = sig.iter_mut().filter_map(|b| match b {
            CellBlock::Para(q) => Some(q),
            _ => None,
        });
        if let Some(q) = spaced.max_by(|a, b| a.space_before_pt.total_cmp(&b.space_before_pt)) {
            q.space_before_pt += top - h;
        }
    }
}

/// The closing block's left stack: `Nơi nhận:` and its lines (nested ones as `+ item`), then
/// the drafter's initials.
fn recipients(input: &AssemblyInput, p: &Profile) -> Vec<CellBlock> {
    let fonts = input.fonts;
    let mut left = Vec::new();
    let auth_pitch = single_pitch(p.authority.size);
    if !input.recipients.is_empty() {
        let mut label = para("Nơi nhận:", p.recipients_label, Align::Left);
        // Same pitch as the authority line, so both share a baseline.
        label.line_pitch_pt = auth_pitch;
        left.push(CellBlock::Para(label));
    }
    let plus_w = width_of(fonts, "+ ", p.recipients_item);
    for (depth, item) in Recipient::lines(input.recipients) {
        if depth == 0 {
            left.push(CellBlock::Para(para(
                &format!("- {item}"),
                p.recipients_item,
                Align::Left,
            )));
        } else {
            // `+ item` at the nested indent, continuation lines under the item's text.
            let mut q = para(&format!("+ {item}"), p.recipients_item, Align::Left);
            indent(&mut q, p.nested_recipient_indent + plus_w, -plus_w);
            left.push(CellBlock::Para(q));
        }
    }
    if let Some(d) = input
        .entry
        .and_then(|e| e.drafter.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        left.push(CellBlock::Para(para(d, p.drafter, Align::Left)));
    }
    left
}

/// The closing block. One signer: Nơi nhận on the left, the signature on the right. Two or
/// more: the signatures side by side (two at the usual 70 | 95 mm, so the right one sits
/// where a single signer does; more in equal columns), then Nơi nhận in a row of its own on
/// the left.
fn closing(input: &AssemblyInput, p: &Profile) -> Option<Block> {
    if input.signers.is_empty() {
        return None;
    }
    let fonts = input.fonts;
    let text_width = page_setup(p).text_width();
    let n = input.signers.len();
    let widths = if n <= 2 {
        vec![p.closing_left_width, text_width - p.closing_left_width]
    } else {
        vec![text_width / n as f32; n]
    };
    let mut left = recipients(input, p);
    let mut signing_spaces = Vec::with_capacity(n);
    let rows = if n == 1 {
        let (sig, block) = signature(input.signers[0], p, fonts, widths[1]);
        signing_spaces.push(SigningSpace {
            row: 0,
            column: 1,
            block,
            signer: 1,
        });
        vec![vec![left, sig]]
    } else {
        let (mut sigs, blocks): (Vec<Vec<CellBlock>>, Vec<usize>) = input
            .signers
            .iter()
            .zip(&widths)
            .map(|(s, w)| signature(s, p, fonts, *w))
            .unzip();
        signing_spaces.extend(
            blocks
                .into_iter()
                .enumerate()
                .map(|(i, block)| SigningSpace {
                    row: 0,
                    column: i,
                    block,
                    signer: i + 1,
                }),
        );
        align_names(&mut sigs);
        let mut rows = vec![sigs];
        if !left.is_empty() {
            if let Some(CellBlock::Para(first)) = left.first_mut() {
                first.space_before_pt = p.measures.recipients_row_space_before;
            }
            rows.push(vec![left]);
        }
        rows
    };
    Some(Block::Columns(Columns {
        widths,
        rows,
        space_before_pt: p.measures.closing_space_before,
        signing_spaces,
    }))
}
