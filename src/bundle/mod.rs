//! `vanthu bundle`: one month of records as a bundle folder, a manifest and a reproducible zip.
//!
//! The way through, one way: [`plan`] picks the input files (the shard's slice, refusing
//! clashing names) → [`run`] loads them in parallel, keeps the month's records, reuses what
//! an earlier run left ([`cache`]), renders the rest and the monthly report ([`report`], streamed
//! into temp files) while writing each record's files as they finish ([`files`]) → [`manifest`] records every file and
//! input with its hash → [`zip`] packs the bundle with fixed times and order.
//!
//! Layout of `OUT/YYYY-MM/`: `<record stem>/<template>.{pdf,docx}`, `bao-cao-thang.{pdf,docx}`,
//! `manifest.json` and `YYYY-MM.zip`; a shard run writes `manifest.part-K-of-N.json` instead
//! of the last three, and the unsharded run over the same inputs combines the parts.

pub(crate) mod cache;
pub(crate) mod files;
pub(crate) mod manifest;
pub(crate) mod plan;
pub(crate) mod report;
pub mod run;
pub(crate) mod signing;
pub(crate) mod zip;

pub use plan::{Month, Shard};
pub use run::{run, Options, Summary};
pub use signing::{BundleSigning, SharedKey};
