//! Format profiles: every number of the official layout, one place per profile.
//!
//! `party` follows Hướng dẫn 36-HD/VPTW, `state` follows Nghị định 30/2020/NĐ-CP
//! (see `format-spec.md` §2 and §3). Where the spec marks a value UNVERIFIED, the
//! recommended default is used and flagged here. Renderers never read a profile directly:
//! the assembler turns these numbers into the document model.

mod party;
mod state;

pub(crate) use party::PARTY;
pub(crate) use state::STATE;

/// Millimetres: every length in the profiles and in the document model.
pub type Mm = f32;

/// A text line style: size in points and weight/slant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

const fn style(size: f32, bold: bool, italic: bool, underline: bool) -> LineStyle {
    LineStyle {
        size,
        bold,
        italic,
        underline,
    }
}

/// How the rule under the summary is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SummaryMark {
    /// A centred text line, e.g. `-----` (Party).
    Text(&'static str),
    /// A solid rule of this fraction of the summary's longest line (State: 1/3–1/2).
    Rule(f32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub name: &'static str,
    // Page geometry (mm).
    pub margin_top: Mm,
    pub margin_bottom: Mm,
    pub margin_left: Mm,
    pub margin_right: Mm,
    pub page_number_size: f32,
    pub page_number_from_top: Mm,
    // Header block.
    pub header_left_width: Mm,
    /// Right-column national title lines with their styles; a rule of the last line's own
    /// length follows them.
    pub national_title: &'static [(&'static str, LineStyle)],
    pub superior: LineStyle,
    pub issuer: LineStyle,
    /// Party: a centred `*` under the issuing body. State: none (a rule instead).
    pub issuer_mark: Option<&'static str>,
    /// State: a rule of this fraction of the issuing-body line width.
    pub issuer_rule_fraction: Option<f32>,
    pub number: LineStyle,
    /// How a document's number is written: `{n}` (the number), `{type}` (the type
    /// abbreviation) and `{issuer}` (the issuer's code) are filled in.
    pub number_form: &'static str,
    pub date: LineStyle,
    /// State: `Số:` and the date share a row.
    pub number_and_date_same_row: bool,
    pub rule_thickness_pt: f32,
    // Title block.
    pub type_name: LineStyle,
    pub summary: LineStyle,
    /// State summaries are sentence case: the first letter is capitalised.
    pub summary_sentence_case: bool,
    pub summary_mark: SummaryMark,
    // Body.
    pub body_size: f32,
    pub body_indent: Mm,
    pub body_space_before: f32,
    pub body_line_pitch: f32,
    /// Text appended to the body's last paragraph if it does not already end with it
    /// (State: `./.`). Party documents end with a plain full stop.
    pub body_end_mark: Option<&'static str>,
    /// Text size inside tables (a report's summary table).
    pub table_size: f32,
    // Closing block.
    pub closing_left_width: Mm,
    pub recipients_label: LineStyle,
    pub recipients_item: LineStyle,
    pub authority: LineStyle,
    pub position: LineStyle,
    pub signer_name: LineStyle,
    /// Blank space for the signature and seal (≥ 20 mm).
    pub signature_space: Mm,
    /// Allowed prefixes of the authority line.
    pub authority_prefixes: &'static [&'static str],
    /// The signer's other title (ô 7b), between the signature space and the name. NĐ 30
    /// gives no style: the name's, as typed (UNVERIFIED).
    pub other_title: LineStyle,
    /// Nested recipients (`+ item`): left indent of the `+`.
    pub nested_recipient_indent: Mm,
    /// The drafter and number of copies (ô 12), under the last recipient.
    pub drafter: LineStyle,
    /// Kính gửi (ô 9a).
    pub to: LineStyle,
    /// Công văn (Mẫu 1.5): the summary under the number, after this prefix (Party's prefix is
    /// UNVERIFIED), 6 pt below it.
    pub letter_summary_prefix: &'static str,
    pub letter_summary: LineStyle,
    /// The type abbreviation in a copy's number (Party `BS`); `None`: the form's own (State
    /// `SY`, `SL`, `TrS`).
    pub copy_number_abbr: Option<&'static str>,
    /// Whether a công văn number carries a type abbreviation (Party `Số 12-CV/HU`; State
    /// `Số: 12/UBND-VX` has none).
    pub letter_number_has_abbr: bool,
    /// Whether the minutes (Mẫu 1.9) have the place and date line (State: no; Party:
    /// UNVERIFIED, kept).
    pub minutes_date_line: bool,
    /// The boxed marks (ô 10a, 10b, 11): caps bold.
    pub mark: LineStyle,
    /// The issuer's address at the foot of page 1 (ô 13).
    pub address: LineStyle,
    /// The rest of the layout's numbers: paper, spacing, boxes, tables.
    pub measures: Measures,
}

/// The numbers of the layout besides the line styles above. Both profiles use `MEASURES`
/// today; a profile that differs gives its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    /// The paper (A4).
    pub page_width: Mm,
    pub page_height: Mm,
    /// Space above a rule under a line of the header or title block.
    pub rule_space_before: f32,
    /// Space above the number and the date when they share a row (a little below both stacks).
    pub number_row_space_before: f32,
    /// Space above the date line when it sits under the national title.
    pub date_space_before: f32,
    /// Space above a công văn's summary under the number.
    pub letter_summary_space_before: f32,
    /// The boxed marks (ô 10a, 10b, 11): height, border and space above.
    pub mark_height: Mm,
    pub mark_border_pt: f32,
    pub mark_space_before: f32,
    /// Box widths of the urgency marks (NĐ 30 PL I §III.2.b), by the mark's text in capitals;
    /// another text is sized to itself.
    pub urgency_widths: &'static [(&'static str, Mm)],
    /// Box widths of the secrecy marks (UNVERIFIED: the state-secrets stamp rules).
    pub secrecy_widths: &'static [(&'static str, Mm)],
    /// The address footer on page 1 (ô 13): the rule above it, its distance from the paper's
    /// bottom edge.
    pub footer_rule_pt: f32,
    pub footer_from_bottom: Mm,
    /// Space above Kính gửi (ô 9a).
    pub to_space_before: f32,
    /// Space above the type name of the title block.
    pub type_name_space_before: f32,
    /// Tables: padding each side of a cell, space above and below a cell's text, border.
    pub table_padding: Mm,
    pub table_cell_space: f32,
    pub table_border_pt: f32,
    /// A news item's headline, and its byline with the space above it.
    pub headline: LineStyle,
    pub byline: LineStyle,
    pub byline_space_before: f32,
    /// Space above the closing block, and above Nơi nhận in a row of its own (two or more
    /// signers).
    pub closing_space_before: f32,
    pub recipients_row_space_before: f32,
    /// A copy (Mẫu 3.1): space above the rule across the text width under the copied
    /// document, and above the copy's header block.
    pub copy_rule_space_before: f32,
    pub copy_header_space_before: f32,
    /// An appendix (Mẫu 2.1): the size of its heading lines, and its rule's fraction of the
    /// title's width when the profile marks the summary with text, not a rule.
    pub appendix_heading_size: f32,
    pub appendix_rule_fraction: f32,
}

/// The measures both profiles share.
const MEASURES: Measures = Measures {
    page_width: 210.0,
    page_height: 297.0,
    rule_space_before: 1.0,
    number_row_space_before: 6.0,
    date_space_before: 4.0,
    letter_summary_space_before: 6.0,
    mark_height: 8.0,
    mark_border_pt: 0.75,
    mark_space_before: 6.0,
    urgency_widths: &[("KHẨN", 20.0), ("THƯỢNG KHẨN", 40.0), ("HỎA TỐC", 30.0)],
    secrecy_widths: &[("MẬT", 20.0), ("TỐI MẬT", 30.0), ("TUYỆT MẬT", 40.0)],
    footer_rule_pt: 0.5,
    footer_from_bottom: 10.0,
    to_space_before: 12.0,
    type_name_space_before: 18.0,
    table_padding: 1.5,
    table_cell_space: 2.0,
    table_border_pt: 0.5,
    headline: style(16.0, true, false, false),
    byline: style(14.0, true, true, false),
    byline_space_before: 12.0,
    closing_space_before: 12.0,
    recipients_row_space_before: 12.0,
    copy_rule_space_before: 12.0,
    copy_header_space_before: 6.0,
    appendix_heading_size: 14.0,
    appendix_rule_fraction: 1.0 / 3.0,
};

impl Profile {
    /// `Số 245-TB/HU` (Party) or `Số: 87/TB-UBND` (State). Numbers under 10 are padded;
    /// a document without a number yet leaves room for the register: `Số      -BC/HU`.
    pub fn number_line(&self, number: Option<u32>, type_abbr: &str, issuer_code: &str) -> String {
        // No-break spaces: the blank must survive line layout and text extraction.
        let n = number.map_or_else(|| "\u{a0}".repeat(8), |n| format!("{n:02}"));
        fill(
            self.number_form,
            &[
                ("{n}", &n),
                ("{type}", type_abbr),
                ("{issuer}", issuer_code),
            ],
        )
    }
}

impl Profile {
    /// The number of a công văn: `Số: 12/UBND-VX` (State, the drafting unit after the body's
    /// code) or `Số 12-CV/HU` (Party).
    pub fn letter_number_line(
        &self,
        number: Option<u32>,
        type_abbr: &str,
        issuer_code: &str,
        unit: Option<&str>,
    ) -> String {
        if self.letter_number_has_abbr {
            // Party: `CV` unless the template names another abbreviation ([C]).
            let abbr = if type_abbr.is_empty() {
                "CV"
            } else {
                type_abbr
            };
            return self.number_line(number, abbr, issuer_code);
        }
        let n = number.map_or_else(|| "\u{a0}".repeat(8), |n| format!("{n:02}"));
        match unit.map(str::trim).filter(|u| !u.is_empty()) {
            Some(unit) => format!("Số: {n}/{issuer_code}-{unit}"),
            None => format!("Số: {n}/{issuer_code}"),
        }
    }
}

/// `form` with each `{name}` replaced by its value, in one pass (a value is never read as a
/// placeholder).
fn fill(form: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(form.len() + 16);
    let mut rest = form;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match values.iter().find(|(k, _)| rest.starts_with(k)) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &rest[k.len()..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Line pitch for header, title and closing lines: single spacing of Times New Roman
/// (ascent + descent = 1.149 em), rounded up to a quarter point so both renderers agree.
pub(crate) fn single_pitch(size_pt: f32) -> f32 {
    ((size_pt * 1.15) * 4.0).ceil() / 4.0
}
