//! vanthu turns YAML records of working sessions of Vietnamese Party committees and State
//! bodies into official-format PDF and DOCX documents.
//!
//! The pipeline, one way: a record is loaded (size cap, NFC, serde with unknown keys
//! refused) and validated (`model`); each document it lists is rendered from a Handlebars
//! template into a small markup (`template`), parsed and assembled with the numbers of its
//! format profile (`profile`) into a format-neutral [`Document`]; each [`Renderer`] turns
//! that into bytes (PDF with pdf-writer, subsetter and the font layer on skrifa; DOCX on
//! docx-rs), written atomically. [`Env`] holds the templates, fonts and the clock. A bundle
//! runs the pipeline over a month of records in parallel, with the monthly report, a
//! manifest and a reproducible zip. `docs/ARCHITECTURE.md` draws the layers.
//!
//! # The API
//! Everything else is private to the crate.
//! - Load a record: [`load_file`], [`load_str`] → [`Loaded`] (a [`Record`]) or
//!   [`Diagnostic`]s naming file, line and field.
//! - Render it: [`Env::new`] (templates, fonts, `SOURCE_DATE_EPOCH`), then
//!   [`documents_for`] gives each document of a record as a [`Document`] ([`document`] holds
//!   the model's types); [`PdfRenderer`] and [`DocxRenderer`] turn one into bytes
//!   ([`Renderer::render`]).
//! - Bundle a month: [`bundle_month()`] with [`BundleOptions`] → [`BundleSummary`].
//! - The command line: [`cmd::main`].
//!
//! ```no_run
//! use vanthu::{documents_for, Env, PdfRenderer, RenderContext, Renderer};
//! let env = Env::new(None, None)?;
//! let (_, documents) = documents_for(&env, "input/record.yaml".as_ref()).map_err(|d| d.len()).unwrap();
//! let ctx = RenderContext { fonts: &env.fonts, epoch: env.epoch, pdf: env.pdf };
//! let pdf: Vec<u8> = PdfRenderer.render(&documents[0], &ctx)?;
//! # Ok::<(), vanthu::Error>(())
//! ```

#![warn(unreachable_pub)]

mod bundle;
mod calendar;
pub mod cmd;
mod diag;
mod doc;
mod env;
mod error;
mod fonts;
mod hashing;
mod model;
mod output;
mod pipeline;
mod printed;
mod profile;
mod render;
mod report;
pub mod sign;
mod template;

pub use bundle::{
    run as bundle_month, BundleSigning, Month, Options as BundleOptions, Shard, SharedKey,
    Summary as BundleSummary,
};
pub use calendar::Date;
pub use diag::Diagnostic;
pub use doc::{Document, DocumentStream};
pub use env::Env;
pub use error::{Error, Result, SignError, SignInput};
pub use fonts::FontBook;
pub use model::{load_file, load_str, Format, Loaded, Record};
pub use pipeline::{documents_for, documents_for_bytes};
pub use render::docx::DocxRenderer;
pub use render::pdf::PdfRenderer;
pub use render::{all as renderers, Output, PdfOptions, RenderContext, Renderer};
pub use report::month_report;

/// The format-neutral document model a [`Renderer`] draws: pages, blocks, paragraphs, runs.
pub mod document {
    pub use crate::doc::model::*;
}

/// Not API: the hooks the integration tests, the fuzz target and the examples reach into
/// (the monthly report's stream, the markup parser, the YAML options). They may change with
/// any commit.
#[doc(hidden)]
pub mod internals {
    pub use crate::doc::appendix::appendix_blocks;
    pub use crate::doc::assemble::page_setup;
    pub use crate::doc::chunk::Chunker;
    pub use crate::doc::markup::parse as parse_markup;
    pub use crate::env::record_files;
    pub use crate::model::load::{load_bytes, yaml_options};
    pub use crate::report::bridge::MarkupSink;
    pub use crate::report::{
        report_data, with_report_stream, with_report_streams, MonthSessions, SessionRef, TEMPLATE,
    };
}
