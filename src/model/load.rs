//! Loading a record: size cap, UTF-8, NFC, YAML (serde-saphyr with budgets) and the mapping
//! of every failure to a [`Diagnostic`] with file, line, column and field path.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::diag::Diagnostic;
use crate::model::record::Record;
use crate::model::validate;

/// Records larger than this are refused before parsing.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// A record that loaded, with its NFC source (for diagnostics) and any warnings.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub source: String,
    pub record: Record,
    pub warnings: Vec<Diagnostic>,
}

pub fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        vec![Diagnostic::error(
            path,
            format!("cannot read the file: {e}"),
        )]
    })?;
    if meta.len() > MAX_RECORD_BYTES as u64 {
        return Err(vec![too_large(path, meta.len())]);
    }
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            path,
            format!("cannot read the file: {e}"),
        )]
    })?;
    load_bytes(path, &bytes)
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        format!("the file is {len} bytes; records are limited to {MAX_RECORD_BYTES} bytes"),
    )
    .hint("one file holds one working session; split larger material into several records")
}

pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Loaded, Vec<Diagnostic>> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(vec![too_large(path, bytes.len() as u64)]);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        vec![Diagnostic::error(path, "the file is not valid UTF-8")
            .at("", line, 1)
            .hint("save the file as UTF-8 (Unicode); legacy TCVN3/VNI encodings are not supported")]
    })?;
    load_str(path, text)
}

/// Parses a record from text. Every string is normalised to NFC first; NFC never changes
/// line breaks, so line numbers stay those of the clerk's file.
pub fn load_str(path: &Path, text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let source: String = text.trim_start_matches('\u{feff}').nfc().collect();
    if source
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(vec![Diagnostic::error(path, "the file is empty")
            .hint("copy input/thuan-2022-11-10.yaml and fill in the session")]);
    }
    let record = parse(path, &source).map_err(|d| vec![*d])?;
    let diags = validate::validate(path, &source, &record);
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(all);
    }
    Ok(Loaded {
        path: path.to_path_buf(),
        source,
        record,
        warnings,
    })
}

fn parse(path: &Path, source: &str) -> Result<Record, Box<Diagnostic>> {
    let field_path = RefCell::new(String::new());
    let result = serde_saphyr::with_deserializer_from_str_with_options(source, options(), |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            *field_path.borrow_mut() = e.path().to_string();
            e.into_inner()
        })
    });
    result.map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((0, 0));
        let raw = e.to_string();
        let first = raw.lines().next().unwrap_or("invalid YAML");
        let message = strip_location_prefix(first);
        let path_str = field_path.into_inner();
        let path_str = if path_str == "." {
            String::new()
        } else {
            path_str
        };
        let mut d = Diagnostic::error(path, message.clone())
            .at(source, line, column)
            .field(path_str);
        if let Some(h) = hint_for(&message) {
            d = d.hint(h);
        }
        Box::new(d)
    })
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::Options::default()
}

fn strip_location_prefix(s: &str) -> String {
    let s = s.strip_prefix("error: ").unwrap_or(s);
    match s.find(": ") {
        Some(i) if s.starts_with("line ") => s[i + 2..].to_string(),
        _ => s.to_string(),
    }
}

/// Hints for the common mistakes: a misspelt key, a bad `format`, a tab.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (unknown, tail) = rest.split_once('`')?;
        let expected: Vec<&str> = tail
            .split_once("expected one of ")
            .map(|(_, list)| {
                list.split(',')
                    .map(|s| s.trim().trim_matches('`'))
                    .collect()
            })
            .or_else(|| {
                tail.split_once("expected ")
                    .map(|(_, one)| vec![one.trim().trim_matches('`')])
            })
            .unwrap_or_default();
        let best = expected
            .iter()
            .map(|k| (strsim_distance(unknown, k), *k))
            .min();
        return Some(match best {
            Some((d, k)) if d <= 3 => format!("did you mean `{k}`?"),
            _ => format!("allowed keys here: {}", expected.join(", ")),
        });
    }
    if message.contains("unknown variant") && message.contains("party") {
        return Some(
            "`format` is `party` (Hướng dẫn 36-HD/VPTW) or `state` (Nghị định 30/2020/NĐ-CP)"
                .into(),
        );
    }
    if message.contains("tab") {
        return Some("indent with spaces, not tabs".into());
    }
    if message.contains("impossible date") {
        return Some("check the day against the calendar".into());
    }
    None
}

/// Levenshtein distance, for "did you mean".
fn strsim_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
