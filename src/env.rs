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

/// Reads `SOURCE_DATE_EPOCH` (reproducible-builds.org); 0 when unset.
pub fn source_date_epoch() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH=`{v}` is not a whole number of seconds"
            ))
        }),
        _ => Ok(0),
    }
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
