//! The crate's error type. User-facing problems with a record are [`crate::diag::Diagnostic`]s;
//! this type covers everything else (fonts, templates, rendering, I/O).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("font: {0}")]
    Font(String),
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("DOCX: {0}")]
    Docx(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// The run could not finish (the output folder is locked, an archive cannot be written).
    #[error("{0}")]
    Unfinished(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
