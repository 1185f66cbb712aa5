//! Running a bundle: read, load and render every input in parallel (writing each record's
//! files as soon as they are rendered, so only hashes and sizes stay in memory), then the
//! monthly report, then the manifest and the zip.
//!
//! Three passes:
//! 1. *records*, parallel across records with rayon: each file read once, hashed, loaded
//!    and validated; other months dropped; intact outputs of an earlier run under the same
//!    cache key reused; the rest rendered from that very record (the bytes that were hashed,
//!    parsed once) and written. A record keeps only its path, stem, date, hashes and
//!    outcome, so memory does not grow with the month;
//! 2. *report*: over exactly the records in the bundle (those that failed while rendering,
//!    for an unknown template, a missing field or a character the fonts lack, are already
//!    known and left out), reading each again when its turn comes;
//! 3. *commit*: one filesystem sync, then the manifest, the zip, and removal of files that
//!    earlier runs wrote and the bundle no longer holds.
//!
//! The run holds the month's lock (`OUT/.YYYY-MM.lock`, shared among shards) from before it
//! reads the earlier manifest until it ends; the report reads a record only if it still has
//! the SHA-256 the first pass hashed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::bundle::cache::{EnvHashes, Previous};
use crate::bundle::files::{
    release_free_memory, remove_leftover_temps, remove_stale, sha256_hex, sync_dir,
};
use crate::bundle::manifest::{
    ErrorEntry, FailedEntry, FileEntry, Manifest, RecordEntry, ReportEntry, ShardInfo, FORMAT,
};
use crate::bundle::plan::{self, Input, Month, Shard};
use crate::bundle::report::{report, Candidate};
use crate::bundle::signing::BundleSigning;
use crate::bundle::zip;
use crate::diag::Diagnostic;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::model::load::{load_bytes, read_record};
use crate::model::record::Date;
use crate::model::Loaded;
use crate::output::{lock_folder, real_dir, write_atomic, write_together, FolderLock, WriteMode};
use crate::pipeline::render_loaded;
use crate::report::SessionRef;

pub struct Options {
    /// The record files, already expanded from the command line's paths.
    pub files: Vec<PathBuf>,
    /// `--out`: the bundle goes to `out/YYYY-MM/`.
    pub out: PathBuf,
    pub month: Month,
    pub shard: Option<Shard>,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// `--sign`: every PDF signed by the organisation, and `manifest.json.p7s`.
    pub sign: Option<BundleSigning>,
}

/// What a run did, for the one-line summary and the exit code.
#[derive(Debug)]
pub struct Summary {
    pub month: Month,
    pub shard: Option<Shard>,
    /// Records of the month (in this shard).
    pub records: usize,
    pub rendered: usize,
    pub reused: usize,
    pub failed: usize,
    /// Inputs whose session is in another month.
    pub other_months: usize,
    /// PDF and DOCX files in the bundle (the report included), and how many were rendered now.
    pub documents: usize,
    pub documents_rendered: usize,
    pub dir: PathBuf,
    pub zip: Option<PathBuf>,
    pub elapsed: Duration,
    /// Wall time of each phase (`check`, `render`, `sync`, `manifest+zip`), for `--timings`.
    pub phases: Vec<(&'static str, Duration)>,
    /// Each input's diagnostics (errors, then warnings), in input order.
    pub diagnostics: Vec<Diagnostic>,
}

/// One input after the scan.
enum Scanned {
    OtherMonth,
    Failed {
        sha256: Option<String>,
        diags: Vec<Diagnostic>,
    },
    Ready(Ready),
}

/// A record of the month that loaded.
struct Ready {
    sha256: String,
    key: String,
    /// The session date, for the monthly report's order (the report reads the record
    /// again when its turn comes).
    session_date: Date,
    date: String,
    warnings: Vec<Diagnostic>,
    /// Intact files of an earlier run under the same key.
    reused: Option<Vec<FileEntry>>,
    /// The files rendered and written now, or why the record failed (when not reused).
    rendered: Option<Rendered>,
}

impl Ready {
    /// Whether the record is in the bundle: reused, or rendered without error.
    fn in_bundle(&self) -> bool {
        self.reused.is_some() || matches!(self.rendered, Some(Ok(_)))
    }
}

pub fn run(env: &Env, opts: &Options) -> Result<Summary> {
    let start = Instant::now();
    let dir = opts.out.join(opts.month.key());
    let inputs = plan::inputs(&opts.files, opts.month, opts.shard)?;
    let mut hashes = EnvHashes::of(env);
    hashes.signing = opts
        .sign
        .as_ref()
        .map(BundleSigning::identity)
        .unwrap_or_default();
    let _lock = lock_month(&opts.out, opts.month, opts.shard)?;
    let mut prev = Previous::load(&dir);
    let manifest_warnings = std::mem::take(&mut prev.warnings);
    let bar = Bar::new(opts.progress, inputs.len(), "rendering");
    let run = Run {
        env,
        opts,
        dir,
        inputs,
        hashes,
        prev,
        bar,
    };
    let mut phases = Phases::new(start);
    let scanned = run.records()?;
    phases.mark("records");
    let report = run.report(&scanned)?;
    phases.mark("report");
    let mut summary = run.summary(manifest_warnings);
    let tally = run.tally(scanned, report, &mut summary);
    run.commit(tally, &mut summary, &mut phases)?;
    summary.elapsed = start.elapsed();
    summary.phases = phases.0;
    Ok(summary)
}

/// What the three passes share: the inputs, the environment's hashes and what an earlier
/// run left in the month's folder.
struct Run<'a> {
    env: &'a Env,
    opts: &'a Options,
    dir: PathBuf,
    inputs: Vec<Input>,
    hashes: EnvHashes,
    prev: Previous,
    bar: Bar,
}

/// The report's cache key, its files, and whether they were rendered by this run.
type ReportFiles = (String, Vec<FileEntry>, bool);

/// What the manifest lists, gathered from every input's outcome.
#[derive(Default)]
struct Tally {
    records: Vec<RecordEntry>,
    failed: Vec<FailedEntry>,
    files: Vec<FileEntry>,
    report: Option<ReportEntry>,
}

impl Run<'_> {
    /// Pass 1, *records*: every input read once, hashed, loaded and validated, and
    /// rendered (unless reused) from that same record, in parallel. An I/O failure while
    /// writing stops the run.
    fn records(&self) -> Result<Vec<Scanned>> {
        let month = self.opts.month;
        self.inputs
            .par_iter()
            .enumerate()
            .map(|(i, input)| {
                let scanned = match scan(&self.hashes, &self.prev, &self.dir, month, input) {
                    Err(done) => *done,
                    Ok((mut ready, loaded)) => {
                        if ready.reused.is_none() {
                            ready.rendered = Some(render_one(
                                self.env,
                                self.opts.sign.as_ref(),
                                &self.dir,
                                input,
                                loaded,
                            )?);
                            if i % 16 == 0 {
                                release_free_memory();
                            }
                        }
                        Scanned::Ready(ready)
                    }
                };
                self.bar.inc();
                Ok(scanned)
            })
            .collect()
    }

    /// Pass 2, *report*: the monthly report over the records in the bundle, its files put
    /// in place.
    fn report(&self, scanned: &[Scanned]) -> Result<Option<ReportFiles>> {
        self.bar.finish();
        let candidates = candidates(&self.inputs, scanned);
        let report = report(
            self.env,
            &self.hashes,
            &self.prev,
            &self.dir,
            (self.opts.month, self.opts.shard),
            &candidates,
            self.opts.sign.as_ref(),
        )?;
        let Some(r) = report else {
            return Ok(None);
        };
        let (key, outputs, now) = (r.key.clone(), r.outputs.clone(), r.rendered_now());
        r.write(&self.dir)?;
        Ok(Some((key, outputs, now)))
    }

    fn summary(&self, diagnostics: Vec<Diagnostic>) -> Summary {
        Summary {
            month: self.opts.month,
            shard: self.opts.shard,
            records: 0,
            rendered: 0,
            reused: 0,
            failed: 0,
            other_months: 0,
            documents: 0,
            documents_rendered: 0,
            dir: self.dir.clone(),
            zip: None,
            elapsed: Duration::ZERO,
            phases: Vec::new(),
            diagnostics,
        }
    }

    /// Every input's outcome (scan, render, reuse) into the manifest's lists, sorted, and
    /// counted in `summary`.
    fn tally(
        &self,
        scanned: Vec<Scanned>,
        report: Option<ReportFiles>,
        summary: &mut Summary,
    ) -> Tally {
        let mut t = Tally::default();
        for (input, s) in self.inputs.iter().zip(scanned) {
            match s {
                Scanned::OtherMonth => summary.other_months += 1,
                Scanned::Failed { sha256, diags } => {
                    summary.records += 1;
                    summary.failed += 1;
                    t.failed.push(failed_entry(input, sha256, &diags));
                    push_diagnostics(&mut summary.diagnostics, diags);
                }
                Scanned::Ready(ready) => t.ready(input, ready, summary),
            }
        }
        t.report = report.map(|(key, outputs, rendered_now)| {
            if rendered_now {
                summary.documents_rendered += outputs.len();
            }
            t.files.extend(outputs.iter().cloned());
            ReportEntry {
                cache_key: key,
                outputs: outputs.into_iter().map(|f| f.path).collect(),
            }
        });
        t.records.sort_by(|a, b| a.file.cmp(&b.file));
        t.failed.sort_by(|a, b| a.file.cmp(&b.file));
        t.files.sort();
        summary.documents = t.files.len();
        t
    }

    /// Pass 3, *commit*: one filesystem sync, then the manifest (the commit point), the zip,
    /// and removal of the files earlier runs wrote that the bundle no longer holds.
    fn commit(&self, tally: Tally, summary: &mut Summary, phases: &mut Phases) -> Result<()> {
        let dir = &self.dir;
        if summary.documents_rendered > 0 {
            let written: Vec<PathBuf> = tally.files.iter().map(|f| dir.join(&f.path)).collect();
            sync_dir(dir, &written)?;
        }
        phases.mark("sync");
        let manifest = self.manifest(tally);
        let bytes = manifest.to_bytes()?;
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        match self.opts.shard {
            Some(shard) => {
                write_atomic(&dir.join(shard.part_name()), &bytes)?;
            }
            None => summary.zip = Some(self.write_manifest_and_zip(&manifest, &bytes)?),
        }
        phases.mark("manifest+zip");
        prune(dir, &self.prev, &manifest, self.opts.shard);
        Ok(())
    }

    fn manifest(&self, tally: Tally) -> Manifest {
        let hashes = &self.hashes;
        Manifest {
            format: FORMAT.into(),
            tool: hashes.tool.clone(),
            month: self.opts.month.key(),
            source_date_epoch: hashes.epoch,
            shard: self.opts.shard.map(|s| ShardInfo {
                index: s.index,
                count: s.count,
            }),
            templates: hashes.templates.clone(),
            fonts_sha256: hashes.fonts.clone(),
            records: tally.records,
            report: tally.report,
            failed: tally.failed,
            files: tally.files,
        }
    }

    /// `manifest.json.p7s` for a signed bundle, and whether it was made now: signed again
    /// when the manifest changed or the signature is missing, else kept. Without `--sign`, an
    /// earlier run's signature (of another manifest) is removed.
    fn manifest_signature(
        &self,
        manifest: &[u8],
        changed: bool,
    ) -> Result<(Option<Vec<u8>>, bool)> {
        let path = self.dir.join("manifest.json.p7s");
        let Some(sign) = &self.opts.sign else {
            let _ = std::fs::remove_file(&path);
            return Ok((None, false));
        };
        if !changed {
            if let Ok(kept) = std::fs::read(&path) {
                return Ok((Some(kept), false));
            }
        }
        let p7s = sign.sign_detached(manifest).map_err(|source| Error::Sign {
            path: path.clone(),
            source,
        })?;
        write_atomic(&path, &p7s)?;
        Ok((Some(p7s), true))
    }

    /// `manifest.json` and the zip of an unsharded run (the shards' parts are folded into
    /// it now); returns the zip's path.
    fn write_manifest_and_zip(&self, manifest: &Manifest, bytes: &[u8]) -> Result<PathBuf> {
        let (dir, key) = (&self.dir, self.opts.month.key());
        let changed = write_atomic(&dir.join("manifest.json"), bytes)?;
        let (signature, signed_now) = self.manifest_signature(bytes, changed)?;
        let zip = dir.join(format!("{key}.zip"));
        // Same manifest, same files (their hashes are in it): the same zip, if intact and
        // holding this manifest (a run killed after writing the manifest left the old zip).
        if changed || signed_now || !zip::matches(&zip, &key, bytes) {
            let manifest_files = (bytes, signature.as_deref());
            let epoch = self.hashes.epoch;
            zip::write_bundle_zip(&zip, dir, &key, manifest_files, &manifest.files, epoch)?;
        }
        for part in &self.prev.parts {
            let _ = std::fs::remove_file(part);
        }
        Ok(zip)
    }
}

impl Tally {
    /// A record that loaded: reused, rendered now, or failed while rendering.
    fn ready(&mut self, input: &Input, ready: Ready, summary: &mut Summary) {
        let Ready {
            sha256,
            key,
            date,
            warnings,
            reused,
            rendered,
            ..
        } = ready;
        summary.records += 1;
        let result = match (reused, rendered) {
            (Some(outputs), _) => {
                summary.reused += 1;
                Ok(outputs)
            }
            (None, Some(Ok(outputs))) => {
                summary.rendered += 1;
                summary.documents_rendered += outputs.len();
                Ok(outputs)
            }
            (None, Some(Err(diags))) => Err(diags),
            (None, None) => Err(vec![Diagnostic::error(&input.path, "not rendered")]),
        };
        match result {
            Ok(outputs) => {
                self.records.push(RecordEntry {
                    file: input.name.clone(),
                    sha256,
                    date,
                    cache_key: key,
                    outputs: outputs.iter().map(|f| f.path.clone()).collect(),
                });
                self.files.extend(outputs);
                push_diagnostics(&mut summary.diagnostics, warnings);
            }
            Err(mut diags) => {
                summary.failed += 1;
                for w in warnings {
                    if !diags.contains(&w) {
                        diags.push(w);
                    }
                }
                self.failed.push(failed_entry(input, Some(sha256), &diags));
                push_diagnostics(&mut summary.diagnostics, diags);
            }
        }
    }
}

/// Reads, hashes, loads and validates one input: a record of the month, with what loaded
/// (to render it from), or why it goes no further (another month, or failed).
fn scan(
    hashes: &EnvHashes,
    prev: &Previous,
    dir: &Path,
    month: Month,
    input: &Input,
) -> std::result::Result<(Ready, Loaded), Box<Scanned>> {
    let path = &input.path;
    let bytes = match read_record(path) {
        Ok(b) => b,
        Err(e) => {
            // The same message as `render` and `check`.
            return Err(Box::new(Scanned::Failed {
                sha256: None,
                diags: vec![e.diagnostic(path)],
            }));
        }
    };
    let sha256 = sha256_hex(&bytes);
    let loaded = match load_bytes(path, &bytes) {
        Ok(l) => l,
        Err(diags) => {
            // A record that does not load still counts for the month its date names, or for
            // every month when no date can be found: a bad record is never silently skipped.
            if sniff_month(&bytes).is_some_and(|m| m != month) {
                return Err(Box::new(Scanned::OtherMonth));
            }
            return Err(Box::new(Scanned::Failed {
                sha256: Some(sha256),
                diags,
            }));
        }
    };
    let Some(date) = loaded.record.session_date() else {
        let (line, col) = crate::model::locate::locate(&loaded.source, "session");
        return Err(Box::new(Scanned::Failed {
            sha256: Some(sha256),
            diags: vec![Diagnostic::error(
                path,
                "a record in a monthly bundle needs `session.date`",
            )
            .at(&loaded.source, line, col)
            .field("session")
            .hint("add `date: YYYY-MM-DD` under `session`, or a `date` to one of its documents")],
        }));
    };
    if (date.year, date.month) != (month.year, month.month) {
        return Err(Box::new(Scanned::OtherMonth));
    }
    let key = hashes.record_key(&sha256);
    // Templates, fields and glyphs are checked when the record renders.
    let reused = prev.reuse_record(dir, &input.name, &key);
    let ready = Ready {
        sha256,
        key,
        session_date: date,
        date: date.to_string(),
        warnings: loaded.warnings.clone(),
        reused,
        rendered: None,
    };
    Ok((ready, loaded))
}

/// The `YYYY-MM` of `session.date` in a record that did not load, read from the text: the
/// first `date:` one level under a top-level `session:`.
pub fn sniff_month(bytes: &[u8]) -> Option<Month> {
    let text = String::from_utf8_lossy(bytes);
    let mut in_session = false;
    let mut indent: Option<usize> = None;
    for line in text.lines() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let depth = line.len() - body.len();
        if depth == 0 {
            in_session = body.trim_end().strip_prefix("session:").is_some_and(|r| {
                let r = r.trim_start();
                r.is_empty() || r.starts_with('#')
            });
            indent = None;
            continue;
        }
        if !in_session || *indent.get_or_insert(depth) != depth {
            continue;
        }
        if let Some(v) = body.strip_prefix("date:") {
            let v = v.trim().trim_matches(['"', '\'']);
            return Month::parse(v.get(..7)?).ok();
        }
    }
    None
}

/// Renders one record and writes its files; a record's failure is its diagnostics, an I/O
/// failure stops the run.
type Rendered = std::result::Result<Vec<FileEntry>, Vec<Diagnostic>>;

/// Renders the record the scan loaded (from the bytes it hashed) and writes its files, all
/// or none.
fn render_one(
    env: &Env,
    sign: Option<&BundleSigning>,
    dir: &Path,
    input: &Input,
    loaded: Loaded,
) -> Result<Rendered> {
    let outcome = render_loaded(env, &input.path, loaded);
    let mut files = match outcome.result {
        Ok(files) => files,
        Err(diags) => return Ok(Err(diags)),
    };
    if let Some(sign) = sign {
        for f in files.iter_mut().filter(|f| f.extension == "pdf") {
            match sign.sign_pdf(&f.bytes) {
                Ok(signed) => f.bytes = signed,
                Err(e) => {
                    let what = format!("{}.{}", f.template, f.extension);
                    let d = Diagnostic::error(&input.path, format!("signing {what}: {e}"));
                    return Ok(Err(vec![d]));
                }
            }
        }
    }
    let mut entries = Vec::with_capacity(files.len());
    let mut writes = Vec::with_capacity(files.len());
    for f in &files {
        let rel = format!("{}/{}.{}", input.stem, f.template, f.extension);
        writes.push((dir.join(&rel), f.bytes.as_slice()));
        entries.push(FileEntry {
            path: rel,
            sha256: sha256_hex(&f.bytes),
            size: f.bytes.len() as u64,
        });
    }
    real_dir(&dir.join(&input.stem))?;
    // No fsync per file: the run syncs the filesystem once before the manifest.
    let mode = WriteMode {
        sync: false,
        skip_unchanged: false,
    };
    write_together(&writes, mode)?;
    Ok(Ok(entries))
}

/// One run at a time writes a month's bundle: the unsharded run locks the month alone;
/// shards share the month lock (they write disjoint records) and each locks its own part.
fn lock_month(out: &Path, month: Month, shard: Option<Shard>) -> Result<Vec<FolderLock>> {
    let dir = out.join(month.key());
    let month_lock = out.join(format!(".{}.lock", month.key()));
    let mut locks = vec![lock_folder(&dir, &month_lock, shard.is_some())?];
    if let Some(s) = shard {
        let part = out.join(format!(
            ".{}.part-{}-of-{}.lock",
            month.key(),
            s.index,
            s.count
        ));
        locks.push(lock_folder(&dir, &part, false)?);
    }
    Ok(locks)
}

/// The records of the bundle, as the report finds them again.
fn candidates<'a>(inputs: &'a [Input], scanned: &'a [Scanned]) -> Vec<Candidate<'a>> {
    inputs
        .iter()
        .zip(scanned)
        .filter_map(|(input, s)| match s {
            Scanned::Ready(ready) if ready.in_bundle() => Some(Candidate {
                input,
                key: ready.key.as_str(),
                session: SessionRef {
                    path: input.path.clone(),
                    stem: input.stem.clone(),
                    date: ready.session_date,
                    sha256: ready.sha256.clone(),
                },
            }),
            _ => None,
        })
        .collect()
}

fn failed_entry(input: &Input, sha256: Option<String>, diags: &[Diagnostic]) -> FailedEntry {
    FailedEntry {
        file: input.name.clone(),
        sha256,
        errors: diags
            .iter()
            .filter(|d| d.is_error())
            .map(ErrorEntry::from_diagnostic)
            .collect(),
    }
}

/// Errors first, then warnings: a clerk fixes the errors, then reads the warnings.
fn push_diagnostics(out: &mut Vec<Diagnostic>, diags: Vec<Diagnostic>) {
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(|d| d.is_error());
    out.extend(errors);
    out.extend(warnings);
}

/// Removes the files that earlier manifests list and this one does not (records that left
/// the month, failed or were deleted). A shard touches only its own records' files.
fn prune(dir: &Path, prev: &Previous, manifest: &Manifest, shard: Option<Shard>) {
    let keep: std::collections::HashSet<&str> =
        manifest.files.iter().map(|f| f.path.as_str()).collect();
    for rel in &prev.known {
        if keep.contains(rel.as_str()) {
            continue;
        }
        let owner = rel.split('/').next().unwrap_or("");
        let mine = match shard {
            None => true,
            // The report's files (no folder) belong to the unsharded run.
            Some(s) => rel.contains('/') && s.owns(owner),
        };
        if mine {
            remove_stale(dir, rel);
        }
    }
    // Temp files of an interrupted run: in this run's record folders (no other run writes
    // there), and at the top only when not a shard (shards share the top folder).
    let folders: std::collections::BTreeSet<&str> = manifest
        .files
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(d, _)| d))
        .collect();
    for folder in folders {
        remove_leftover_temps(&dir.join(folder));
    }
    if shard.is_none() {
        remove_leftover_temps(dir);
    }
}

/// Phase durations, measured from the end of the previous phase.
struct Phases(Vec<(&'static str, Duration)>, Instant);

impl Phases {
    fn new(start: Instant) -> Phases {
        Phases(Vec::new(), start)
    }

    fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.0.push((name, now - self.1));
        self.1 = now;
    }
}

/// A progress bar on stderr when asked for, otherwise nothing.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(show: bool, len: usize, what: &'static str) -> Bar {
        if !show {
            return Bar(None);
        }
        let pb = ProgressBar::new(len as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>9} [{wide_bar}] {pos}/{len} records, eta {eta}")
        {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(what);
        Bar(Some(pb))
    }

    fn inc(&self) {
        if let Some(pb) = &self.0 {
            pb.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_month;

    #[test]
    fn sniffs_the_session_month_of_a_broken_record() {
        let y = b"issuer:\n  name: X\n  date: 2021-01-01\nsession:\n  # c\n  date: 2022-11-10\n  chair:\n    date: 2020-01-01\n  bad: [\n";
        assert_eq!(sniff_month(y).map(|m| m.key()), Some("2022-11".into()));
        let q = b"session:\n  host: x\n  date: '2023-02-01'\n";
        assert_eq!(sniff_month(q).map(|m| m.key()), Some("2023-02".into()));
        assert_eq!(sniff_month(b"session: {date: 2022-11-10}\n"), None);
        assert_eq!(sniff_month(b"\xff\xfe garbage"), None);
    }
}
