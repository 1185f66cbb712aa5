//! The session record: serde types for the keys a record may have.
//!
//! Unknown keys are refused (`deny_unknown_fields`); dates are real calendar dates.
//! These keys are the contract between the secretariat and the tool: more may come later,
//! none may silently change meaning. A session field is optional here: what a document needs
//! is declared by its template (`requires:` in the front matter) and checked before rendering.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub(crate) use crate::calendar::Date;
pub(crate) use crate::model::values::{Content, Recipient, Text, Time};
use crate::profile::{Profile, PARTY, STATE};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub issuer: Issuer,
    #[schemars(schema_with = "crate::model::schema::format_schema")]
    pub format: Format,
    pub session: Session,
    pub documents: Vec<DocumentEntry>,
}

/// Which rules the documents follow: `party` (Hướng dẫn 36-HD/VPTW) or `state` (Nghị định
/// 30/2020/NĐ-CP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Party,
    State,
}

impl Format {
    /// The layout profile of the format: every number of its official layout.
    pub fn profile(self) -> &'static Profile {
        match self {
            Format::Party => &PARTY,
            Format::State => &STATE,
        }
    }
}

/// The issuing body (cơ quan ban hành).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// Superior body, e.g. `ĐẢNG BỘ TỈNH QUẢNG TRỊ`. A line break typed here is a line break
    /// in both files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Issuing body, e.g. `HUYỆN ỦY HƯỚNG HÓA`, or `ỦY BAN NHÂN DÂN\nTỈNH SƠN LA`.
    pub name: String,
    /// Abbreviation used in document numbers: `245-TB/HU`.
    pub code: String,
    /// Place name (địa danh) on the date line.
    pub place: String,
    /// The body's name as used in running text ("Ủy ban nhân dân huyện Thuận Bắc"), for the
    /// appendix line "Kèm theo … của …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Address, telephone, e-mail: printed at the foot of page 1 (NĐ 30 ô 13) when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The working session. Every field is optional: a template names the ones it prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Session {
    #[serde(default)]
    pub date: Option<Date>,
    /// Start and end time (`08:00`), for the invitation and the minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// Where the session takes place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub counterpart: Option<String>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub chair: Option<Chair>,
    /// The secretary who keeps the minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secretary: Option<Person>,
    #[serde(default)]
    pub attendees: Vec<Text>,
    /// Results achieved; one paragraph per blank-line-separated block.
    #[serde(default)]
    pub results: Option<Content>,
    /// Shortcomings and difficulties.
    #[serde(default)]
    pub shortcomings: Option<Content>,
    #[serde(default)]
    pub conclusions: Option<Conclusions>,
    /// The proceedings, for the minutes (biên bản).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chair {
    pub name: String,
    #[serde(default)]
    pub titles: Vec<String>,
    pub position: String,
}

/// A person named in the text: a name and, optionally, a position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conclusions {
    #[serde(default)]
    pub period: Option<String>,
    /// Groups of tasks and solutions, numbered (1)…(n) in order.
    #[serde(default)]
    pub directives: Vec<Content>,
}

/// One document to render from the session. Which fields a template needs is declared in
/// the template's front matter and checked before rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    #[schemars(schema_with = "crate::model::schema::template_schema")]
    pub template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// The drafting unit in a công văn number: `Số: 128/UBND-VP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Urgency (ô 10b): `KHẨN`, `THƯỢNG KHẨN` or `HỎA TỐC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
    /// Confidentiality (ô 10a): `MẬT`, `TỐI MẬT` or `TUYỆT MẬT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<String>,
    /// Circulation (ô 11): `LƯU HÀNH NỘI BỘ`, `XEM XONG TRẢ LẠI`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circulation: Option<String>,
    /// Drafter's initials and number of copies (ô 12), e.g. `PL.(30)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drafter: Option<String>,
    /// Print the issuer's address at the foot of page 1 (ô 13). Default: when it is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<bool>,
    /// The summary (trích yếu); shorthand for `text.summary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Content>,
    /// Kính gửi (ô 9a): one recipient prints on one line, several as a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<Text>>,
    /// The whole body, replacing the template's; shorthand for `text.body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    // Replacements for the template's built-in sentences, by slot name: `headline`, `when`,
    // `lead`, `closing`, `byline`, … (a `//` comment: a doc comment would replace the
    // description `text_schema` writes, with every built-in template's slots).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "crate::model::schema::text_schema")]
    pub text: BTreeMap<String, Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// Two or more signers side by side, left to right (minutes, joint documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signers: Option<Vec<Signer>>,
    /// The other issuers of a joint document (liên tịch).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_issuers: Vec<CoIssuer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<Recipient>>,
    /// Appendices (Phụ lục, Mẫu 2.1), each on new pages numbered on their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appendices: Vec<Appendix>,
    /// Copies (bản sao, Mẫu 3.1): each is one more output file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<Copy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// `T/M BAN THƯỜNG VỤ`, `TM. ỦY BAN NHÂN DÂN`, or several lines:
    /// `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// `PHÓ CHỦ TỊCH`; in the minutes, the caption `THƯ KÝ` / `CHỦ TỌA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The signer's other title (ô 7b), above the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_title: Option<String>,
    pub name: String,
}

/// Another issuer of a joint document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoIssuer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name: String,
    pub code: String,
}

/// An appendix (Phụ lục).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// The appendix title, printed in capitals as typed.
    pub title: String,
    /// The "(Kèm theo …)" line; by default built from the document's number, date and issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached: Option<String>,
    pub content: Content,
}

/// A copy (bản sao) of the document, made by a copying body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Copy {
    /// `SAO Y`, `SAO LỤC` or `TRÍCH SAO`.
    pub form: String,
    pub issuer: CopyIssuer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    pub date: Date,
    pub signer: Signer,
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// The part copied, for `TRÍCH SAO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<Content>,
}

/// The three forms of a copy: the name, the number abbreviation (State; a Party copy is
/// numbered `BS`) and the file name suffix.
pub(crate) const COPY_FORMS: &[(&str, &str, &str)] = &[
    ("SAO Y", "SY", "sao-y"),
    ("SAO LỤC", "SL", "sao-luc"),
    ("TRÍCH SAO", "TrS", "trich-sao"),
];

impl Copy {
    /// The copy's form as listed in [`COPY_FORMS`] (any case, spaces around ignored), or
    /// `None` for a form that is not one of the three.
    pub fn known_form(&self) -> Option<&'static (&'static str, &'static str, &'static str)> {
        let upper = self.form.trim().to_uppercase();
        COPY_FORMS.iter().find(|(name, _, _)| *name == upper)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyIssuer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name: String,
    pub code: String,
    pub place: String,
}

impl DocumentEntry {
    /// The signers left to right: `signers`, or the one `signer`.
    pub fn all_signers(&self) -> Vec<&Signer> {
        match (&self.signers, &self.signer) {
            (Some(v), _) if !v.is_empty() => v.iter().collect(),
            (_, Some(s)) => vec![s],
            _ => Vec::new(),
        }
    }
}

impl Record {
    /// The JSON Schema (draft-07) of a record, a document's `text:` described with `slots`
    /// (for each built-in template, the sentences a record may replace): see
    /// `model/schema.rs`.
    pub fn schema(slots: &[(String, Vec<String>)]) -> serde_json::Value {
        let root = schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<Record>();
        crate::model::schema::finish(root, slots)
    }

    /// The day of the session: `session.date`, or for a record that gives none (a news item
    /// written "Vừa qua,") the earliest date of its documents.
    pub fn session_date(&self) -> Option<Date> {
        self.session
            .date
            .or_else(|| self.documents.iter().filter_map(|d| d.date).min())
    }
}
