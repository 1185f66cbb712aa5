//! Templates: Handlebars sources with a small front matter, rendered in strict mode with
//! record values escaped for the markup, then parsed into markup blocks.

pub mod builtin;
pub mod each_session;
pub mod engine;
pub mod front;
pub mod partials;
pub mod requires;
pub mod slots;
pub mod structured;

pub use builtin::{TemplateSource, TemplateText};
pub use engine::{render_template, Rendered};
pub use front::{FrontMatter, Layout};
