//! The record side of the pipeline: serde types, loading with limits and NFC, validation.

pub mod binary;
pub mod load;
pub mod locate;
pub mod record;
pub mod schema;
pub mod validate;
pub mod values;

pub use load::{load_file, load_str, Loaded};
pub use record::{Format, Record};
