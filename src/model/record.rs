//! The session record: serde types for exactly the keys of the reference record.
//!
//! Unknown keys are refused (`deny_unknown_fields`); dates are real calendar dates.
//! These keys are the contract between the secretariat and the tool: more may come later,
//! none may silently change meaning.

use serde::{Deserialize, Serialize};

pub use crate::model::date::Date;
pub use crate::profile::Format;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub issuer: Issuer,
    #[schemars(schema_with = "crate::cmd::schema::format_schema")]
    pub format: Format,
    pub session: Session,
    pub documents: Vec<DocumentEntry>,
}

/// The issuing body (cơ quan ban hành).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// Superior body, e.g. `ĐẢNG BỘ TỈNH QUẢNG TRỊ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Issuing body, e.g. `HUYỆN ỦY HƯỚNG HÓA`.
    pub name: String,
    /// Abbreviation used in document numbers: `245-TB/HU`.
    pub code: String,
    /// Place name (địa danh) on the date line.
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub date: Date,
    pub host: String,
    pub counterpart: String,
    pub topic: String,
    pub chair: Chair,
    pub attendees: Vec<String>,
    /// Results achieved; one paragraph per blank-line-separated block.
    pub results: String,
    /// Shortcomings and difficulties.
    pub shortcomings: String,
    pub conclusions: Conclusions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chair {
    pub name: String,
    #[serde(default)]
    pub titles: Vec<String>,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conclusions {
    pub period: String,
    /// Groups of tasks and solutions, numbered (1)…(n) in order.
    pub directives: Vec<String>,
}

/// One document to render from the session. Which fields a template needs is declared in
/// the template's front matter and checked before rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    #[schemars(schema_with = "crate::cmd::schema::template_schema")]
    pub template: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// `T/M BAN THƯỜNG VỤ`, `TM. ỦY BAN NHÂN DÂN`, …
    pub authority: String,
    pub position: String,
    pub name: String,
}
