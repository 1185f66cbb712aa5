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

/// The sentences (slots) of each built-in template a record may replace, in template order
/// (the monthly report, which no record names, left out): what the record schema lists
/// under a document's `text:`.
pub fn builtin_slots() -> Vec<(String, Vec<String>)> {
    let source = TemplateSource::new(None);
    let Ok(engine) = engine::Engine::load(&source) else {
        return Vec::new();
    };
    source
        .available()
        .into_iter()
        .filter(|name| name != "bao-cao-thang")
        .filter_map(|name| {
            let front = engine.front(&name)?;
            let slots = front.slots.names.iter().cloned().collect();
            Some((name, slots))
        })
        .collect()
}
