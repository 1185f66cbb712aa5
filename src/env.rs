//! The environment of a run: where templates and fonts come from and what "now" is, so
//! output is reproducible and tests can swap each one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::render::PdfOptions;
use crate::template::engine::Engine;
use crate::template::{TemplateSource, TemplateText};

pub struct Env {
    /// Every template's source, read once when the environment is made (by name): the
    /// engine compiled these and the bundle's cache key hashes these; the templates folder
    /// is never read again.
    pub templates: Vec<TemplateText>,
    pub engine: Engine,
    pub fonts: FontBook,
    /// Seconds since the epoch for document metadata: `SOURCE_DATE_EPOCH`, else 0.
    /// The wall clock is never read.
    pub epoch: i64,
    /// The PDF's options (signature fields, PDF/A), from the command line.
    pub pdf: PdfOptions,
}

impl Env {
    pub fn new(templates_dir: Option<&Path>, fonts_dir: Option<&Path>) -> Result<Env> {
        let templates = TemplateSource::new(templates_dir);
        if let Some(dir) = templates_dir {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "--templates {}: no such folder",
                    dir.display()
                )));
            }
        }
        for ignored in templates.ignored() {
            eprintln!("vanthu: warning: {ignored}");
        }
        let texts = templates.read_all()?;
        let engine = Engine::compile(&texts)?;
        let fonts = match fonts_dir {
            Some(dir) => FontBook::from_dir(dir)?,
            None => FontBook::builtin(),
        };
        Ok(Env {
            templates: texts,
            engine,
            fonts,
            epoch: source_date_epoch()?,
            pdf: PdfOptions::default(),
        })
    }

    /// The names of the templates this environment has, sorted.
    pub fn template_names(&self) -> Vec<&str> {
        self.templates.iter().map(|t| t.name.as_str()).collect()
    }
}

/// The last second `SOURCE_DATE_EPOCH` may name: 9999-12-31T23:59:59Z, the last one the
/// four-digit years of PDF, DOCX and ZIP dates can hold.
pub(crate) const MAX_SOURCE_DATE_EPOCH: i64 = 253_402_300_799;

/// Reads `SOURCE_DATE_EPOCH` (reproducible-builds.org); 0 when unset. A value outside
/// 1970-01-01 (0) … 9999-12-31 ([`MAX_SOURCE_DATE_EPOCH`]) is a usage error: it would
/// otherwise be written as some other date (year 0000).
pub(crate) fn source_date_epoch() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => parse_source_date_epoch(&v),
        _ => Ok(0),
    }
}

fn parse_source_date_epoch(v: &str) -> Result<i64> {
    let secs = v.trim().parse::<i64>().map_err(|_| {
        Error::Usage(format!(
            "SOURCE_DATE_EPOCH=`{v}` is not a whole number of seconds"
        ))
    })?;
    if !(0..=MAX_SOURCE_DATE_EPOCH).contains(&secs) {
        return Err(Error::Usage(format!(
            "SOURCE_DATE_EPOCH=`{v}` is outside 0 (1970-01-01) … {MAX_SOURCE_DATE_EPOCH} \
             (9999-12-31): the dates written into the files cannot hold it"
        )));
    }
    Ok(secs)
}

/// The record files a command line names, and the folder entries that looked like records
/// but were skipped (each with a warning saying why).
#[derive(Debug, Default)]
pub struct RecordFiles {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Diagnostic>,
}

/// Expands the command-line paths into record files: files as given, folders to their
/// `*.yaml`/`*.yml` files (any case: `.YAML`, `.Yml`; sorted, not recursive). An entry with
/// that extension that is not a regular file (a FIFO, a device, a folder, a symbolic link
/// that leads nowhere or in a loop) is skipped with a warning, never opened. Two records with
/// the same file stem are refused: their outputs would overwrite each other.
pub fn record_files(paths: &[PathBuf]) -> Result<RecordFiles> {
    let mut out = RecordFiles::default();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|source| Error::Io {
                    path: p.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| has_record_extension(f))
                .collect();
            found.sort();
            for f in found {
                match not_a_record_file(&f) {
                    None => out.files.push(f),
                    Some(why) => out.skipped.push(
                        Diagnostic::warning(&f, format!("skipped: {why}"))
                            .hint("only regular `.yaml`/`.yml` files are read as records"),
                    ),
                }
            }
        } else if p.is_file() {
            out.files.push(p.clone());
        } else {
            let why = not_a_record_file(p).unwrap_or_else(|| "no such file or folder".into());
            return Err(Error::Usage(format!("{}: {why}", p.display())));
        }
    }
    check_distinct_stems(&out.files)?;
    Ok(out)
}

fn has_record_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Why `path` cannot be read as a record file, if it cannot.
fn not_a_record_file(path: &Path) -> Option<String> {
    let link = std::fs::symlink_metadata(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => None,
        Ok(m) if m.is_dir() => Some("a folder, not a record file".into()),
        Ok(_) => Some("not a regular file (a FIFO, socket or device)".into()),
        Err(e) if link.is_ok() => Some(format!("a symbolic link that leads to no file ({e})")),
        Err(_) => Some("no such file or folder".into()),
    }
}

/// Refuses two records with the same file stem (`thuan.yaml` and `thuan.yml`): both would
/// be written to `thuan/`.
pub(crate) fn check_distinct_stems(files: &[PathBuf]) -> Result<()> {
    let mut seen: BTreeMap<String, &Path> = BTreeMap::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(first) = seen.insert(stem.clone(), path) {
            return Err(Error::Usage(format!(
                "{} and {} would both be written to `{stem}/`; give each record its own file name",
                first.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod utc_tests {
    use crate::calendar::Utc;

    #[test]
    fn issue9_source_date_epoch_out_of_range_is_a_usage_error_naming_it() {
        use super::parse_source_date_epoch as parse;
        for bad in ["-99999999999", "-1", "253402300800", "9223372036854775807"] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains("SOURCE_DATE_EPOCH") && e.contains(bad), "{e}");
        }
        assert_eq!(parse(" 0 ").unwrap(), 0);
        assert_eq!(parse("253402300799").unwrap(), 253_402_300_799);
        assert_eq!(Utc::from_epoch(parse("253402300799").unwrap()).year, 9999);
    }
}
