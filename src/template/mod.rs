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
    let Ok(texts) = TemplateSource::new(None).read_all() else {
        return Vec::new();
    };
    let Ok(engine) = engine::Engine::compile(&texts) else {
        return Vec::new();
    };
    texts
        .into_iter()
        .map(|t| t.name)
        .filter(|name| name != "bao-cao-thang")
        .filter_map(|name| {
            let front = engine.front(&name)?;
            let slots = front.slots.names.iter().cloned().collect();
            Some((name, slots))
        })
        .collect()
}
