//! The document side: the format-neutral model, the markup parser and assembly.

pub mod appendices;
pub mod appendix;
pub mod assemble;
pub mod chunk;
pub mod copy;
pub mod document;
pub mod markup;
pub mod model;
pub mod names;
pub mod stream;

pub use model::Document;
pub use stream::DocumentStream;
