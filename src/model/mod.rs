//! The record side of the pipeline: serde types, loading with limits and NFC, validation.

pub(crate) mod binary;
pub(crate) mod load;
pub(crate) mod locate;
pub(crate) mod record;
pub(crate) mod schema;
pub(crate) mod validate;
pub(crate) mod values;

pub use load::{load_file, load_str, Loaded};
pub use record::{Format, Record};
