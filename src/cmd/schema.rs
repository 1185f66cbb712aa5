//! `vanthu schema`: prints the JSON Schema (draft-07) of a record
//! ([`crate::model::Record::schema`]), so an editor can complete keys and flag mistakes
//! as the clerk types. Put the schema beside the records and start each file with
//!
//! ```yaml
//! # yaml-language-server: $schema=./record.schema.json
//! ```
//!
//! The schema checks the shape (keys, types, the date pattern, `party`/`state`); `vanthu
//! check` remains the authority (real calendar days, dates in order, signing prefixes,
//! templates, glyphs).

use clap::Args;
use serde_json::Value;

use crate::cmd::exit;
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub(super) struct SchemaArgs {}

/// The JSON Schema of a record, as printed by `vanthu schema`: the model's schema, its
/// `text:` described with the built-in templates' sentences.
pub(super) fn record_schema() -> Value {
    crate::model::Record::schema(&crate::template::builtin_slots())
}

pub(super) fn execute(_: &SchemaArgs) -> Result<i32> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(&record_schema()).unwrap_or_default();
    match writeln!(std::io::stdout().lock(), "{text}") {
        // `vanthu schema | head` is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            path: "<stdout>".into(),
            source: e,
        }),
        _ => Ok(exit::OK),
    }
}
