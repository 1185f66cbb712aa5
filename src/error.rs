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
    /// `vanthu sign` cannot sign as asked; `path` is the input the problem is in (the PDF,
    /// the key file, the image, the signature or certificate file).
    #[error("{}: {source}", path.display())]
    Sign {
        path: PathBuf,
        #[source]
        source: SignError,
    },
}

/// Which input of `vanthu sign` a [`SignError`] is about (the command names its file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInput {
    /// The PDF to sign (or the prepared PDF of a two-step signature).
    Pdf,
    /// The PKCS#12 file or the certificate file.
    Key,
    /// The signature or seal image.
    Image,
    /// The raw signature made elsewhere (`--finish --signature`).
    Signature,
}

/// Why a PDF cannot be signed, each said so that a clerk knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("wrong password for this key file; check the password (the variable or file given)")]
    WrongPassword,
    #[error("cannot read this key file ({0}); give a PKCS#12 file (.p12/.pfx) with one key")]
    KeyFile(String),
    #[error("the key is {0}; vanthu signs with RSA or ECDSA P-256 keys")]
    UnsupportedKey(String),
    #[error("cannot read the certificate ({0}); give the signer's certificate in PEM or DER")]
    Certificate(String),
    #[error(
        "the certificate is not valid yet at the signing time {at} (valid from {not_before}); \
         check --time or the computer's clock"
    )]
    NotYetValid { at: String, not_before: String },
    #[error(
        "the certificate expired before the signing time {at} (valid until {not_after}); \
         renew the certificate or sign with another key"
    )]
    Expired { at: String, not_after: String },
    #[error(
        "the certificate may not sign documents (its key usage has neither digitalSignature \
         nor nonRepudiation); ask the issuer for a signing certificate"
    )]
    NoSigningUsage,
    #[error(
        "the image has no transparency (no alpha channel); export the signature or seal as a \
         PNG with a transparent background"
    )]
    OpaqueImage,
    #[error("cannot read the image ({0}); give a PNG file")]
    Image(String),
    #[error("cannot read the PDF ({0})")]
    Unreadable(String),
    #[error("the field `{0}` is already signed; sign another field (--field) or the signed copy")]
    FieldSigned(String),
    #[error("the document is already signed as {0}; each role signs once")]
    RoleSigned(String),
    #[error(
        "no free signature field for the role {0}; render it with --signing-fields or give \
         --page and --rect to create one"
    )]
    NoFreeField(String),
    #[error("no signature field named `{0}`")]
    NoSuchField(String),
    #[error("{0}")]
    Placement(String),
    #[error(
        "the signature does not match the prepared document and certificate ({0}); sign \
             the digest printed by --prepare with the key of that certificate"
    )]
    SignatureMismatch(String),
    #[error("cannot sign: {0}")]
    Crypto(String),
    #[error("wrong PIN for the token; check the PIN (the variable or file given)")]
    WrongPin,
    #[error("{0}")]
    TokenModule(String),
    #[error("{0}")]
    NoToken(String),
    #[error("{0}")]
    TokenKey(String),
    #[error("the token failed: {0}")]
    Token(String),
}

impl SignError {
    /// The input this problem is in.
    pub fn input(&self) -> SignInput {
        match self {
            SignError::WrongPassword
            | SignError::KeyFile(_)
            | SignError::UnsupportedKey(_)
            | SignError::Certificate(_)
            | SignError::NotYetValid { .. }
            | SignError::Expired { .. }
            | SignError::NoSigningUsage
            | SignError::Crypto(_)
            | SignError::WrongPin
            | SignError::TokenModule(_)
            | SignError::NoToken(_)
            | SignError::TokenKey(_)
            | SignError::Token(_) => SignInput::Key,
            SignError::OpaqueImage | SignError::Image(_) => SignInput::Image,
            SignError::SignatureMismatch(_) => SignInput::Signature,
            SignError::Unreadable(_)
            | SignError::FieldSigned(_)
            | SignError::RoleSigned(_)
            | SignError::NoFreeField(_)
            | SignError::NoSuchField(_)
            | SignError::Placement(_) => SignInput::Pdf,
        }
    }
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
