//! vanthu turns YAML records of working sessions of Vietnamese Party committees and State
//! bodies into official-format PDF and DOCX documents.
//!
//! The pipeline, one way: a record is loaded (size cap, NFC, serde with unknown keys
//! refused) and validated ([`model`]); each document it lists is rendered from a Handlebars
//! template into a small markup ([`template`]), parsed and assembled with the numbers of its
//! format profile ([`profile`]) into a format-neutral [`doc::Document`]; each
//! [`render::Renderer`] turns that into bytes (PDF with pdf-writer, subsetter and the
//! font layer of [`fonts`] on skrifa; DOCX on docx-rs), and
//! [`output`] writes them atomically. [`env::Env`] holds the templates, fonts and the clock.
//! [`bundle`] runs the pipeline over a month of records in parallel, with the monthly
//! report, a manifest and a reproducible zip.

pub mod bundle;
pub mod calendar;
pub mod cmd;
pub mod diag;
pub mod doc;
pub mod env;
pub mod error;
pub mod fonts;
pub mod hashing;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod printed;
pub mod profile;
pub mod render;
pub mod report;
pub mod template;

pub use diag::Diagnostic;
pub use doc::Document;
pub use error::{Error, Result};
