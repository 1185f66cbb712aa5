//! Slots: every sentence a template writes can be replaced from the record, without a new
//! template.
//!
//! A template wraps a sentence or phrase in `{{#slot "name"}}default{{/slot}}`. When the
//! document entry has `text: {name: …}`, that value is written instead (escaped like any record
//! value, or translated when it is `structured:`), and the default is not rendered. Three more
//! slots exist for every template: `summary`, `headline` and `byline` replace the front matter
//! values of that name, and `body` replaces the whole body (`content:` and `summary:` on the
//! entry are shorthands for `text.body` and `text.summary`).
//!
//! A record value that only a replaced slot's default reads is no longer needed: the
//! template's `requires:` entry for it is waived (see [`Slots::waived`]).

use std::collections::BTreeSet;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
    Renderable,
};
use serde_json::Value;

use crate::template::structured::escape_markup;

/// The slots of one template and where record paths are read in it.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    /// Every slot a record may replace, in name order.
    pub names: BTreeSet<String>,
    /// Each part of the template (the body, and each front matter value) with the slots that
    /// enclose each byte range of it.
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    /// The slot the whole part is (`body`, `summary`, …).
    whole: String,
    source: String,
    /// `(start, end, name)` of each `{{#slot}}` block.
    ranges: Vec<(usize, usize, String)>,
}

const OPEN: &str = "{{#slot \"";
const CLOSE: &str = "{{/slot}}";

/// The `{{#slot "name"}}…{{/slot}}` blocks of a source, nested ones included.
fn scan(source: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    while i < source.len() {
        let rest = &source[i..];
        if let Some(after) = rest.strip_prefix(OPEN) {
            let name: String = after.chars().take_while(|c| *c != '"').collect();
            open.push((i, name));
            i += OPEN.len();
        } else if rest.starts_with(CLOSE) {
            if let Some((start, name)) = open.pop() {
                out.push((start, i + CLOSE.len(), name));
            }
            i += CLOSE.len();
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

impl Slots {
    /// The slots of a template: its body and its front matter values by name.
    pub fn of(body: &str, front_values: &[(&str, Option<&str>)]) -> Slots {
        let mut slots = Slots::default();
        slots.add_part("body", body);
        // A front matter value the template does not have is no sentence of it (`summary:`
        // on the entry still gives a công văn its V/v line).
        for (name, src) in front_values {
            if let Some(src) = src {
                slots.add_part(name, src);
            }
        }
        slots
    }

    fn add_part(&mut self, whole: &str, source: &str) {
        let ranges = scan(source);
        self.names.insert(whole.to_string());
        self.names.extend(ranges.iter().map(|r| r.2.clone()));
        self.parts.push(Part {
            whole: whole.to_string(),
            source: source.to_string(),
            ranges,
        });
    }

    /// Whether the record path `path` (`session.date`) is read only inside slots the entry
    /// replaces (`replaced`), so that the template does not need it. A path the template
    /// never names is not waived: assembly may need it.
    pub fn waived(&self, path: &str, replaced: &BTreeSet<String>) -> bool {
        let mut seen = false;
        for part in &self.parts {
            for at in occurrences(&part.source, path) {
                seen = true;
                let covered = replaced.contains(&part.whole)
                    || part
                        .ranges
                        .iter()
                        .any(|(s, e, name)| *s <= at && at < *e && replaced.contains(name));
                if !covered {
                    return false;
                }
            }
        }
        seen
    }
}

/// Byte offsets where `path` is named as a whole path (or the start of a longer one).
fn occurrences(source: &str, path: &str) -> Vec<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    source
        .match_indices(path)
        .filter(|(i, _)| {
            let before = source[..*i].chars().next_back();
            let after = source[i + path.len()..].chars().next();
            !before.is_some_and(ident) && !after.is_some_and(|c| ident(c) && c != '.')
        })
        .map(|(i, _)| i)
        .collect()
}

/// The slots an entry replaces: the keys of `text`, plus `body` for `content` and `summary`
/// for `summary`.
pub(crate) fn replaced(entry: &Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = entry
        .get("text")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if entry.get("content").is_some_and(|v| !v.is_null()) {
        out.insert("body".into());
    }
    if entry.get("summary").is_some_and(|v| !v.is_null()) {
        out.insert("summary".into());
    }
    out
}

/// The record's replacement for slot `name`, if it gives one.
pub(crate) fn replacement<'a>(data: &'a Value, name: &str) -> Option<&'a str> {
    let doc = data.get("doc")?;
    let shorthand = match name {
        "body" => doc.get("content"),
        "summary" => doc.get("summary"),
        _ => None,
    };
    shorthand
        .filter(|v| !v.is_null())
        .or_else(|| doc.get("text")?.get(name))
        .and_then(Value::as_str)
}

/// `{{#slot "name"}}default{{/slot}}`.
pub(crate) struct SlotHelper;

impl HelperDef for SlotHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("slot", 0))?;
        match replacement(ctx.data(), name) {
            // `cap=true`: the slot starts a sentence, so `ông` prints `Ông` there.
            Some(text)
                if h.hash_get("cap")
                    .is_some_and(|v| v.value().as_bool() == Some(true)) =>
            {
                let mut c = text.chars();
                let capped: String = match c.next() {
                    Some(f) => f.to_uppercase().chain(c).collect(),
                    None => String::new(),
                };
                out.write(&escape_markup(&capped))?
            }
            Some(text) => out.write(&escape_markup(text))?,
            None => {
                if let Some(t) = h.template() {
                    t.render(r, ctx, rc, out)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_read_only_in_replaced_slots_is_waived() {
        let body = "{{#slot \"when\"}}{{cap (ngay session.date)}}{{/slot}}, {{session.host}} làm việc. {{#slot \"chair\"}}Đồng chí {{session.chair.name}}{{/slot}}";
        let s = Slots::of(body, &[("headline", Some("{{upper session.host}}"))]);
        assert!(s.names.contains("when") && s.names.contains("chair") && s.names.contains("body"));
        let replaced: BTreeSet<String> = ["when".to_string()].into();
        assert!(s.waived("session.date", &replaced));
        assert!(!s.waived("session.host", &replaced));
        assert!(!s.waived("session.chair", &replaced));
        assert!(s.waived("session.chair", &["chair".to_string()].into()));
        assert!(!s.waived("session.dates", &replaced), "never named");
        let all: BTreeSet<String> = ["body".to_string(), "headline".to_string()].into();
        assert!(s.waived("session.host", &all));
    }
}
