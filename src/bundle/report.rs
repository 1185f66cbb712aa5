//! The bundle's monthly report: rendered as streams (`report::with_report_streams`, which
//! reads each record again from disk when its turn comes, once for every renderer) straight
//! into one temp file per renderer in the bundle folder, the renderers side by side, each file
//! hashed once complete; renamed into place only once the month is final (the records that
//! failed are known before it starts).

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::NamedTempFile;

use crate::bundle::cache::{EnvHashes, Previous};
use crate::bundle::files::hash_file;
use crate::bundle::manifest::FileEntry;
use crate::bundle::plan::{Input, Month, Shard};
use crate::bundle::signing::BundleSigning;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::output::{set_readable, temp_in, QuietAfterError};
use crate::render::{self, RenderContext};
use crate::report::{with_report_streams, MonthSessions, SessionRef, TEMPLATE as REPORT};

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

/// The monthly report over `candidates`, the records in the bundle (a shard writes none).
pub(crate) fn report(
    env: &Env,
    hashes: &EnvHashes,
    prev: &Previous,
    dir: &Path,
    (month, shard): (Month, Option<Shard>),
    candidates: &[Candidate<'_>],
    sign: Option<&BundleSigning>,
) -> Result<Option<ReportOutcome>> {
    if shard.is_some() {
        return Ok(None);
    }
    let mut included: Vec<&Candidate> = candidates.iter().collect();
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
    let Some((outputs, temps)) = report_files(env, dir, month, &refs, sign)? else {
        return Ok(None);
    };
    Ok(Some(ReportOutcome {
        key,
        outputs,
        temps: Some(temps),
    }))
}

/// One renderer's file while the report is written.
struct Job {
    renderer: Box<dyn render::Renderer>,
    path: String,
    final_path: PathBuf,
    tmp: NamedTempFile,
    out: BufWriter<QuietAfterError<File>>,
}

impl Job {
    /// A temp file in `dir` for `renderer`'s report.
    fn open(renderer: Box<dyn render::Renderer>, dir: &Path) -> Result<Job> {
        let path = format!("{REPORT}.{}", renderer.extension());
        let final_path = dir.join(&path);
        let io = |source| Error::Io {
            path: final_path.clone(),
            source,
        };
        let tmp = temp_in(dir).map_err(io)?;
        // Written in place (a DOCX archive seeks back to fill in sizes), hashed once complete.
        let out =
            BufWriter::with_capacity(256 * 1024, QuietAfterError::new(tmp.reopen().map_err(io)?));
        Ok(Job {
            renderer,
            path,
            final_path,
            tmp,
            out,
        })
    }

    /// The written file, flushed and hashed, and its temp file to rename later.
    fn finish(mut self, sign: Option<&BundleSigning>) -> Result<(FileEntry, NamedTempFile)> {
        self.out.flush().map_err(|e| self.io(e))?;
        if let (Some(sign), "pdf") = (sign, self.renderer.extension()) {
            self.sign(sign)?;
        }
        let Job {
            path,
            final_path,
            tmp,
            out,
            ..
        } = self;
        drop(out);
        let io = |source| Error::Io {
            path: final_path.clone(),
            source,
        };
        let (sha256, size) = hash_file(tmp.path()).ok_or_else(|| {
            io(std::io::Error::other(
                "the report just written cannot be read back",
            ))
        })?;
        set_readable(tmp.as_file()).map_err(io)?;
        Ok((FileEntry { path, sha256, size }, tmp))
    }

    /// The written PDF signed by the organisation, in place of what was written.
    fn sign(&mut self, sign: &BundleSigning) -> Result<()> {
        let pdf = std::fs::read(self.tmp.path()).map_err(|e| self.io(e))?;
        let signed = sign.sign_pdf(&pdf).map_err(|source| Error::Sign {
            path: self.final_path.clone(),
            source,
        })?;
        let file = self.tmp.as_file_mut();
        file.set_len(0)
            .and_then(|()| file.seek(std::io::SeekFrom::Start(0)).map(drop))
            .and_then(|()| file.write_all(&signed))
            .map_err(|e| self.io(e))
    }

    fn io(&self, source: std::io::Error) -> Error {
        Error::Io {
            path: self.final_path.clone(),
            source,
        }
    }
}

/// The report rendered by every renderer from one reading of the records, each into a temp
/// file in `dir`, hashed; `None` for an empty month.
fn report_files(
    env: &Env,
    dir: &Path,
    month: Month,
    refs: &[SessionRef],
    sign: Option<&BundleSigning>,
) -> Result<Option<(Vec<FileEntry>, Vec<NamedTempFile>)>> {
    let ctx = RenderContext {
        fonts: &env.fonts,
        epoch: env.epoch,
        pdf: env.pdf,
    };
    let jobs = render::all()
        .into_iter()
        .map(|r| Job::open(r, dir).map(Mutex::new))
        .collect::<Result<Vec<_>>>()?;
    let sessions = MonthSessions::from_disk(refs.to_vec());
    let written = with_report_streams(
        env,
        (month.year, month.month),
        sessions,
        jobs.len(),
        |i, stream| {
            let mut job = jobs
                .get(i)
                .ok_or_else(poisoned)?
                .lock()
                .map_err(|_| poisoned())?;
            let Job { renderer, out, .. } = &mut *job;
            let written = renderer.render_to(stream, &ctx, out);
            // A renderer that could not write says so without the path: the file's own error.
            match (written, out.get_mut().take_error()) {
                (Err(_), Some(source)) => Err(job.io(source)),
                (written, _) => written,
            }
        },
    )?;
    if written.is_none() {
        return Ok(None);
    }
    let mut outputs = Vec::new();
    let mut temps = Vec::new();
    for job in jobs {
        let (output, tmp) = job.into_inner().map_err(|_| poisoned())?.finish(sign)?;
        outputs.push(output);
        temps.push(tmp);
    }
    Ok(Some((outputs, temps)))
}

fn poisoned() -> Error {
    Error::Template {
        name: REPORT.into(),
        message: "a renderer of the report panicked".into(),
    }
}
