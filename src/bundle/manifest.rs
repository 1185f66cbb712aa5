//! `manifest.json`: what a bundle holds and what it was made from. Every file with its
//! SHA-256 and size, each input record's SHA-256 and cache key, the template and font hashes,
//! the tool version, and the records that failed with their errors. The same inputs give
//! the same bytes: no wall clock, no absolute paths, fixed order.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::error::Result;

/// Identifies the manifest format, for readers.
pub const FORMAT: &str = "vanthu-bundle/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// `vanthu 0.1.0`.
    pub tool: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `SOURCE_DATE_EPOCH` (or 0): the dates written into the files and the zip.
    pub source_date_epoch: i64,
    /// Set in a shard's part manifest; absent from the combined `manifest.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
    pub templates: Templates,
    /// SHA-256 of the four font faces, in order Regular, Bold, Italic, BoldItalic.
    pub fonts_sha256: String,
    /// The records rendered into this bundle, by file name.
    pub records: Vec<RecordEntry>,
    /// The monthly report; absent when no record of the month rendered (or in a shard part).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportEntry>,
    /// Records of the month that failed, with their errors; nothing of theirs is in the bundle.
    pub failed: Vec<FailedEntry>,
    /// Every file of the bundle except this manifest and the zip, sorted by path.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Templates {
    /// SHA-256 over every template's name and source, in name order.
    pub sha256: String,
    /// Each template's SHA-256, by name.
    pub each: Vec<NamedHash>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedHash {
    pub name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEntry {
    /// The record's file name, e.g. `thuan-2022-11-10.yaml`.
    pub file: String,
    /// SHA-256 of the record file's bytes.
    pub sha256: String,
    /// The session date, `YYYY-MM-DD`.
    pub date: String,
    /// SHA-256 of (record bytes, templates, fonts, tool version, epoch): a rerun whose key
    /// matches and whose files are intact renders nothing.
    pub cache_key: String,
    /// The record's files (paths relative to the bundle folder).
    pub outputs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEntry {
    /// SHA-256 over the month, each included record's name and cache key, and the same
    /// environment as the records' keys.
    pub cache_key: String,
    pub outputs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedEntry {
    pub file: String,
    /// SHA-256 of the file's bytes; absent when it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub errors: Vec<ErrorEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEntry {
    /// 1-based; 0 when the problem has no place in the file.
    pub line: usize,
    pub column: usize,
    /// Field path, e.g. `session.chair.titles`; empty for the whole file.
    pub field: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl ErrorEntry {
    pub fn from_diagnostic(d: &Diagnostic) -> ErrorEntry {
        ErrorEntry {
            line: d.line,
            column: d.column,
            field: d.path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the bundle folder, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

impl Manifest {
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Reads a manifest written by an earlier run; `None` if it is missing, unreadable or
    /// not a regular file (an unreadable manifest only means nothing can be reused).
    pub fn read(path: &Path) -> Option<Manifest> {
        let bytes = crate::output::read_regular(path).ok()?;
        serde_json::from_slice::<Manifest>(&bytes)
            .ok()
            .filter(|m| m.format == FORMAT)
    }
}
