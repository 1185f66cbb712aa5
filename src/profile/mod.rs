//! Format profiles: every number of the official layout, one place per profile.
//!
//! `party` follows Hướng dẫn 36-HD/VPTW, `state` follows Nghị định 30/2020/NĐ-CP
//! (see `format-spec.md` §2 and §3). Where the spec marks a value UNVERIFIED, the
//! recommended default is used and flagged here. Renderers never read a profile directly:
//! the assembler turns these numbers into the document model.

mod party;
mod state;

use serde::{Deserialize, Serialize};

use crate::doc::model::Mm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Party,
    State,
}

impl Format {
    pub fn profile(self) -> &'static Profile {
        match self {
            Format::Party => &party::PARTY,
            Format::State => &state::STATE,
        }
    }
}

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
}

impl Profile {
    /// `Số 245-TB/HU` (Party) or `Số: 87/TB-UBND` (State). Numbers under 10 are padded;
    /// a document without a number yet leaves room for the register: `Số      -BC/HU`.
    pub fn number_line(&self, number: Option<u32>, type_abbr: &str, issuer_code: &str) -> String {
        // No-break spaces: the blank must survive line layout and text extraction.
        let n = number.map_or_else(|| "\u{a0}".repeat(8), |n| format!("{n:02}"));
        match self.name {
            "party" => format!("Số {n}-{type_abbr}/{issuer_code}"),
            _ => format!("Số: {n}/{type_abbr}-{issuer_code}"),
        }
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

/// Line pitch for header, title and closing lines: single spacing of Times New Roman
/// (ascent + descent = 1.149 em), rounded up to a quarter point so both renderers agree.
pub fn single_pitch(size_pt: f32) -> f32 {
    ((size_pt * 1.15) * 4.0).ceil() / 4.0
}
