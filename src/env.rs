//! The environment of a run: where templates and fonts come from and what "now" is, so
//! output is reproducible and tests can swap each one.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fonts::FontBook;
use crate::template::engine::Engine;
use crate::template::TemplateSource;

pub struct Env {
    pub templates: TemplateSource,
    pub engine: Engine,
    pub fonts: FontBook,
    /// Seconds since the epoch for document metadata: `SOURCE_DATE_EPOCH`, else 0.
    /// The wall clock is never read.
    pub epoch: i64,
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
        let engine = Engine::load(&templates)?;
        let fonts = match fonts_dir {
            Some(dir) => FontBook::from_dir(dir)?,
            None => FontBook::builtin(),
        };
        Ok(Env {
            templates,
            engine,
            fonts,
            epoch: source_date_epoch()?,
        })
    }
}

/// The last second `SOURCE_DATE_EPOCH` may name: 9999-12-31T23:59:59Z, the last one the
/// four-digit years of PDF, DOCX and ZIP dates can hold.
pub const MAX_SOURCE_DATE_EPOCH: i64 = 253_402_300_799;

/// Reads `SOURCE_DATE_EPOCH` (reproducible-builds.org); 0 when unset. A value outside
/// 1970-01-01 (0) … 9999-12-31 ([`MAX_SOURCE_DATE_EPOCH`]) is a usage error: it would
/// otherwise be written as some other date (year 0000).
pub fn source_date_epoch() -> Result<i64> {
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

/// Expands the command-line paths into record files: files as given, folders to their
/// `*.yaml`/`*.yml` files (sorted, not recursive).
pub fn record_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|source| Error::Io {
                    path: p.clone(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && matches!(
                            f.extension().and_then(|e| e.to_str()),
                            Some("yaml") | Some("yml")
                        )
                })
                .collect();
            found.sort();
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    Ok(out)
}

/// A moment in UTC, from seconds since 1970: the one calendar conversion behind every date
/// the outputs carry (PDF metadata, DOCX core properties, ZIP entry times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Utc {
    /// `epoch` seconds since 1970-01-01T00:00:00Z, clamped to years 0–9999.
    pub fn from_epoch(epoch: i64) -> Utc {
        let epoch = epoch.clamp(-62_167_219_200, 253_402_300_799);
        let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let small = |v: i64| u32::try_from(v).unwrap_or(0);
        Utc {
            year: yoe + era * 400 + i64::from(month <= 2),
            month: small(month),
            day: small(day),
            hour: small(secs / 3600),
            minute: small(secs / 60 % 60),
            second: small(secs % 60),
        }
    }
}

#[cfg(test)]
mod utc_tests {
    use super::Utc;

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

    #[test]
    fn civil_dates() {
        let t = Utc::from_epoch(1_668_384_000 + 3_723);
        assert_eq!((t.year, t.month, t.day), (2022, 11, 14));
        assert_eq!((t.hour, t.minute, t.second), (1, 2, 3));
        assert_eq!(Utc::from_epoch(0).year, 1970);
        assert_eq!(Utc::from_epoch(951_782_400).day, 29); // 2000-02-29
        assert_eq!(Utc::from_epoch(i64::MAX).year, 9999);
    }
}
