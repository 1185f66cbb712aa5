//! Templates: Handlebars sources with a small front matter, rendered in strict mode with
//! record values escaped for the markup, then parsed into markup blocks.

pub(crate) mod builtin;
pub(crate) mod each_session;
pub(crate) mod engine;
pub(crate) mod front;
pub(crate) mod partials;
pub(crate) mod requires;
pub(crate) mod slots;
pub(crate) mod structured;

pub(crate) use builtin::{TemplateSource, TemplateText};
pub(crate) use engine::Rendered;
pub(crate) use front::Layout;

/// The sentences (slots) of each built-in template a record may replace, in template order
/// (the monthly report, which no record names, left out): what the record schema lists
/// under a document's `text:`.
pub(crate) fn builtin_slots() -> Vec<(String, Vec<String>)> {
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
