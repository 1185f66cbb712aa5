//! The bundle's monthly report: rendered as a stream (`report::with_report_stream`, which
//! reads each record again from disk when its turn comes) straight into a temp file in the
//! bundle folder, hashed and counted as it is written; renamed into place only once the month
//! is final. A record failing later takes it out, and the report is rendered again: the
//! first temp files are then dropped (deleted) unread.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

use crate::bundle::cache::{EnvHashes, Previous};
use crate::bundle::files::hash_file;
use crate::bundle::manifest::FileEntry;
use crate::bundle::plan::{Input, Month, Shard};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::output::{set_readable, temp_in, QuietAfterError};
use crate::render::{self, RenderContext};
use crate::report::{with_report_stream, MonthSessions, SessionRef, TEMPLATE as REPORT};

/// A record of the month as the report needs it: its input, its cache key and where to find
/// it again.
pub(crate) struct Candidate<'a> {
    pub input: &'a Input,
    pub key: &'a str,
    pub session: SessionRef,
}

pub(crate) struct ReportOutcome {
    pub key: String,
    pub outputs: Vec<FileEntry>,
    /// The rendered files, in temp files next to their final place, when rendered now (not
    /// reused); renamed by [`ReportOutcome::write`] once the report is final.
    pub temps: Option<Vec<NamedTempFile>>,
}

impl ReportOutcome {
    pub(crate) fn rendered_now(&self) -> bool {
        self.temps.is_some()
    }

    /// Renames the temp files into place (no `fsync`: the run syncs the folder once).
    pub(crate) fn write(self, dir: &Path) -> Result<()> {
        for (f, tmp) in self.outputs.iter().zip(self.temps.into_iter().flatten()) {
            let path = dir.join(&f.path);
            tmp.persist(&path).map_err(|e| Error::Io {
                path,
                source: e.error,
            })?;
        }
        Ok(())
    }
}

/// The monthly report over `candidates` (index, candidate) but those in `exclude` (a shard
/// writes none).
pub(crate) fn report(
    env: &Env,
    hashes: &EnvHashes,
    prev: &Previous,
    dir: &Path,
    (month, shard): (Month, Option<Shard>),
    candidates: &[(usize, Candidate<'_>)],
    exclude: &HashSet<usize>,
) -> Result<Option<ReportOutcome>> {
    if shard.is_some() {
        return Ok(None);
    }
    let mut included: Vec<&Candidate> = candidates
        .iter()
        .filter(|(i, _)| !exclude.contains(i))
        .map(|(_, c)| c)
        .collect();
    if included.is_empty() {
        return Ok(None);
    }
    included.sort_by(|a, b| a.input.name.cmp(&b.input.name));
    let keyed: Vec<(&str, &str)> = included
        .iter()
        .map(|c| (c.input.name.as_str(), c.key))
        .collect();
    let key = hashes.report_key(month, &keyed);
    if let Some(outputs) = prev.reuse_report(dir, &key) {
        return Ok(Some(ReportOutcome {
            key,
            outputs,
            temps: None,
        }));
    }
    let refs: Vec<SessionRef> = included.iter().map(|c| c.session.clone()).collect();
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut outputs = Vec::new();
    let mut temps = Vec::new();
    for r in render::all() {
        let Some((output, tmp)) = report_file(env, r.as_ref(), dir, month, &refs)? else {
            return Ok(None);
        };
        outputs.push(output);
        temps.push(tmp);
    }
    Ok(Some(ReportOutcome {
        key,
        outputs,
        temps: Some(temps),
    }))
}

/// The report rendered by `r` into a temp file in `dir`, hashed; `None` for an empty month.
fn report_file(
    env: &Env,
    r: &dyn render::Renderer,
    dir: &Path,
    month: Month,
    refs: &[SessionRef],
) -> Result<Option<(FileEntry, NamedTempFile)>> {
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: env.epoch,
        pdf: env.pdf,
    };
    let path = format!("{REPORT}.{}", r.extension());
    let final_path = dir.join(&path);
    let io = |source| Error::Io {
        path: final_path.clone(),
        source,
    };
    let tmp = temp_in(dir).map_err(io)?;
    // Written in place (a DOCX archive seeks back to fill in sizes), hashed once complete.
    let mut out =
        BufWriter::with_capacity(256 * 1024, QuietAfterError::new(tmp.reopen().map_err(io)?));
    // Each renderer gets its own stream: the records are read again.
    let sessions = MonthSessions::from_disk(refs.to_vec());
    let written = with_report_stream(env, month.year, month.month, sessions, |stream| {
        r.render_to(stream, &ctx, &mut out)
    });
    // A renderer that could not write says so without the path: the file's own error.
    let written = match (written, out.get_mut().take_error()) {
        (Err(_), Some(source)) => return Err(io(source)),
        (written, _) => written?,
    };
    if written.is_none() {
        return Ok(None);
    }
    out.flush().map_err(io)?;
    drop(out);
    let (sha256, size) = hash_file(tmp.path()).ok_or_else(|| {
        io(std::io::Error::other(
            "the report just written cannot be read back",
        ))
    })?;
    set_readable(tmp.as_file()).map_err(io)?;
    Ok(Some((FileEntry { path, sha256, size }, tmp)))
}
