//! The monthly summary report (`bao-cao-thang`): one document built from every record of a
//! month, through the same template → assembly → renderers path as a record's documents.

use serde_json::{json, Value};

use crate::doc::assemble::{assemble, AssemblyInput};
use crate::doc::Document;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::model::record::Record;

pub const TEMPLATE: &str = "bao-cao-thang";

/// `tháng 11 năm 2022` (months 1 and 2 padded, as on date lines).
pub fn month_label(year: i32, month: u32) -> String {
    let m = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("tháng {m} năm {year}")
}

/// The template data: the month, and each session with its file stem.
pub fn report_data(year: i32, month: u32, records: &[(String, &Record)]) -> Value {
    let sessions: Vec<Value> = records
        .iter()
        .map(|(stem, r)| {
            let mut s = serde_json::to_value(&r.session).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut s {
                m.insert("file".into(), json!(stem));
                m.insert(
                    "issuer".into(),
                    serde_json::to_value(&r.issuer).unwrap_or(Value::Null),
                );
            }
            s
        })
        .collect();
    json!({
        "month": { "year": year, "month": month, "label": month_label(year, month),
                   "key": format!("{year:04}-{month:02}") },
        "sessions": sessions,
    })
}

/// Builds the month's report; the issuer and format are those of the month's first record
/// (by session date, then file name), the date that of its last session. `None` for an
/// empty month.
pub fn month_report(
    env: &Env,
    year: i32,
    month: u32,
    records: &[(String, &Record)],
) -> Result<Option<Document>> {
    let mut sorted: Vec<(String, &Record)> = records.to_vec();
    sorted.sort_by(|a, b| (a.1.session.date, &a.0).cmp(&(b.1.session.date, &b.0)));
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return Ok(None);
    };
    if !env.engine.has(TEMPLATE) {
        return Err(Error::Template {
            name: TEMPLATE.into(),
            message: "the monthly report template is missing".into(),
        });
    }
    let data = report_data(year, month, &sorted);
    let rendered = env.engine.render(TEMPLATE, &data)?;
    Ok(Some(assemble(&AssemblyInput {
        kind: TEMPLATE,
        format: first.1.format,
        issuer: &first.1.issuer,
        number: None,
        date: last.1.session.date,
        signer: None,
        recipients: &[],
        rendered: &rendered,
        fonts: &env.fonts,
    })))
}
