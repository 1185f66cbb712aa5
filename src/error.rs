//! The crate's error type. User-facing problems with a record are [`crate::diag::Diagnostic`]s;
//! this type covers everything else (arguments, fonts, templates, rendering, files), one
//! variant per kind of failure, each keeping its cause (`source`) and the path it concerns.
//! `cmd::exit::for_error` gives each variant its exit code (2: asked wrongly, 3: the run
//! could not finish).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A font cannot be used (a `--fonts` folder without the four faces, a face refused).
    #[error("font: {0}")]
    Font(String),
    /// A template cannot be loaded or rendered.
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    /// The PDF renderer failed for a reason other than its output (see [`Error::Io`]).
    #[error("PDF: {0}")]
    Pdf(String),
    /// The DOCX renderer failed for a reason other than its output (see [`Error::Io`]).
    #[error("DOCX: {0}")]
    Docx(String),
    /// Reading or writing `path` failed (a full disk, a folder that cannot be written).
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// What was asked cannot be done as asked (an argument, a path, an environment value).
    #[error("{0}")]
    Usage(String),
    /// Another run holds the output folder's lock.
    #[error(
        "{}: another vanthu run is writing this folder (it holds {}); wait until it ends, \
         then run again",
        folder.display(),
        lock_file.display()
    )]
    Locked { folder: PathBuf, lock_file: PathBuf },
    /// The zip archive `path` could not be written (its I/O failures are [`Error::Io`]).
    #[error("{}: {source}", path.display())]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    /// The manifest could not be serialised.
    #[error("writing the manifest: {0}")]
    Manifest(#[from] serde_json::Error),
    /// A record read at the start of a bundle cannot be read again as it was.
    #[error("{}: {source}", path.display())]
    Reread {
        path: PathBuf,
        #[source]
        source: Reread,
    },
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    /// A thread of the run (the report's producer) could not be started.
    #[error("cannot start a thread: {0}")]
    Spawn(#[source] std::io::Error),
}

/// Why a record cannot be read again with the bytes the bundle hashed at its start (the
/// message does not name the file: [`Error::Reread`] or the record's diagnostic does).
#[derive(Debug, thiserror::Error)]
pub enum Reread {
    #[error(
        "the file changed while the bundle was being made (it no longer has the SHA-256 read \
         at the start, {sha256}); run the bundle again"
    )]
    Changed { sha256: String },
    #[error("cannot read the file again: {0}")]
    Unreadable(#[source] std::io::Error),
    /// The same bytes no longer load (they did in the scan): the first problem.
    #[error("no longer loads: {0}")]
    NoLongerLoads(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
