//! The monthly summary report (`bao-cao-thang`): one document built from every record of a
//! month, through the same template → assembly → renderers path as a record's documents, but
//! as a stream: the month is never held. Only each session's file, stem, date and SHA-256
//! are kept ([`SessionRef`]); `{{#each_session}}` reads a record from disk when its turn
//! comes, checks it is still the file that was scanned, and drops it after its iteration
//! ([`bridge`] turns the template's output into the blocks a renderer pulls).

pub(crate) mod bridge;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::doc::Document;
use crate::env::Env;
use crate::error::{Error, Reread, Result};
use crate::model::load::{load_bytes, read_record, ReadError};
use crate::model::record::{Date, Record};
use crate::template::each_session::Sessions;

pub use bridge::with_report_stream;
pub use bridge::with_report_streams;

pub const TEMPLATE: &str = "bao-cao-thang";

/// `tháng 11 năm 2022` (months 1 and 2 padded, as on date lines).
pub(crate) fn month_label(year: i32, month: u32) -> String {
    crate::calendar::Month { year, month }.written_out()
}

/// The template data given up front: the month and the number of sessions (the sessions
/// themselves come one at a time through `{{#each_session}}`).
pub fn report_data(year: i32, month: u32, session_count: usize) -> Value {
    json!({
        "month": { "year": year, "month": month, "label": month_label(year, month),
                   "key": format!("{year:04}-{month:02}") },
        "session_count": session_count,
    })
}

/// One session as `{{#each_session}}` gives it: the record's `session` fields plus `file`
/// (the file stem) and `issuer`.
pub(crate) fn session_value(stem: &str, r: &Record) -> Value {
    let mut s = serde_json::to_value(&r.session).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut s {
        m.insert("file".into(), json!(stem));
        m.insert(
            "issuer".into(),
            serde_json::to_value(&r.issuer).unwrap_or(Value::Null),
        );
    }
    s
}

/// What the report keeps of a record between the scan and its turn: enough to order it and
/// to find it again, unchanged.
#[derive(Debug, Clone)]
pub struct SessionRef {
    pub path: PathBuf,
    pub stem: String,
    pub date: Date,
    /// SHA-256 (hex) of the bytes read in the scan.
    pub sha256: String,
}

/// The month's sessions in report order: by session date, then file stem.
pub enum MonthSessions {
    /// Read from disk when needed (`bundle`), counting the reads.
    Disk(Vec<SessionRef>, Arc<AtomicUsize>),
    /// Already loaded (tests, small callers).
    Memory(Vec<(String, Record)>),
}

impl MonthSessions {
    pub fn from_disk(mut refs: Vec<SessionRef>) -> MonthSessions {
        refs.sort_by(|a, b| (a.date, &a.stem).cmp(&(b.date, &b.stem)));
        MonthSessions::Disk(refs, Arc::default())
    }

    pub fn from_records(records: &[(String, &Record)]) -> MonthSessions {
        let mut owned: Vec<(String, Record)> = records
            .iter()
            .map(|(stem, r)| (stem.clone(), (*r).clone()))
            .collect();
        owned.sort_by(|a, b| (a.1.session_date(), &a.0).cmp(&(b.1.session_date(), &b.0)));
        MonthSessions::Memory(owned)
    }

    pub fn len(&self) -> usize {
        match self {
            MonthSessions::Disk(v, _) => v.len(),
            MonthSessions::Memory(v) => v.len(),
        }
    }

    /// How many records have been read from disk, and will be: a counter shared with these
    /// sessions (always zero for records held in memory).
    pub fn reads(&self) -> Arc<AtomicUsize> {
        match self {
            MonthSessions::Disk(_, reads) => Arc::clone(reads),
            MonthSessions::Memory(_) => Arc::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn date(&self, i: usize) -> Option<Date> {
        match self {
            MonthSessions::Disk(v, _) => v.get(i).map(|s| s.date),
            MonthSessions::Memory(v) => v.get(i).and_then(|(_, r)| r.session_date()),
        }
    }

    /// Session `i`'s stem and record; from disk, only if the file still has the SHA-256 it
    /// had in the scan.
    pub fn record(&self, i: usize) -> Result<(String, Record)> {
        match self {
            MonthSessions::Memory(v) => v.get(i).cloned().ok_or_else(|| out_of_range(i)),
            MonthSessions::Disk(v, reads) => {
                let s = v.get(i).ok_or_else(|| out_of_range(i))?;
                reads.fetch_add(1, Ordering::Relaxed);
                Ok((s.stem.clone(), read_checked(s)?))
            }
        }
    }
}

fn out_of_range(i: usize) -> Error {
    Error::Template {
        name: TEMPLATE.into(),
        message: format!("no session {i} in the month"),
    }
}

/// Reads a record again for the report: the same bytes as in the scan, or an error naming
/// the file.
fn read_checked(s: &SessionRef) -> Result<Record> {
    let reread = |source| Error::Reread {
        path: s.path.clone(),
        source,
    };
    let bytes = read_unchanged(&s.path, &s.sha256).map_err(reread)?;
    match load_bytes(&s.path, &bytes) {
        Ok(loaded) => Ok(loaded.record),
        Err(diags) => Err(reread(Reread::NoLongerLoads(
            diags
                .first()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "unknown error".into()),
        ))),
    }
}

/// The bytes of the record at `path` if they still have the SHA-256 read at the start of
/// the run; otherwise why not.
pub(crate) fn read_unchanged(path: &Path, sha256: &str) -> std::result::Result<Vec<u8>, Reread> {
    let changed = || Reread::Changed {
        sha256: sha256.to_string(),
    };
    let bytes = match read_record(path) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge(_)) => return Err(changed()),
        Err(ReadError::Io(e)) => return Err(Reread::Unreadable(e)),
    };
    if crate::hashing::sha256_hex(&bytes) != sha256 {
        return Err(changed());
    }
    Ok(bytes)
}

impl Sessions for MonthSessions {
    fn len(&self) -> usize {
        MonthSessions::len(self)
    }

    fn get(&self, i: usize) -> Result<Value> {
        let (stem, record) = self.record(i)?;
        Ok(session_value(&stem, &record))
    }
}

/// Builds the month's report whole (for tests and small callers); the issuer and format are
/// those of the month's first record (by session date, then file name), the date that of its
/// last session. `None` for an empty month.
pub fn month_report(
    env: &Env,
    year: i32,
    month: u32,
    records: &[(String, &Record)],
) -> Result<Option<Document>> {
    with_report_stream(
        env,
        year,
        month,
        MonthSessions::from_records(records),
        |s| s.collect(),
    )
}
