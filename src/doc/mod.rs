//! The document side: the format-neutral model, the markup parser and assembly.

pub(crate) mod appendices;
pub(crate) mod appendix;
pub(crate) mod assemble;
pub(crate) mod chunk;
pub(crate) mod copy;
pub(crate) mod document;
pub(crate) mod markup;
pub(crate) mod model;
pub(crate) mod names;
pub(crate) mod stream;

pub use model::Document;
pub use stream::DocumentStream;
