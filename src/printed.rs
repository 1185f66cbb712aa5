//! What a record's documents will print, checked after they are built (design §4.9): a value
//! that is blank, an empty list, or looks like a placeholder copied from a form (`…`,
//! `___`, `TODO`, `[tên cơ quan]`) is only a problem if a document prints it. That is found
//! exactly, without reading the templates: the document's template is rendered again with
//! the value replaced by a sentinel, and the sentinel shows up in the output or not.
//!
//! A record with nothing suspect (the normal case) costs a scan of its strings and no extra
//! render. Also warned about here: a body whose last paragraph ends in `,` `;` `:` `-` `–`
//! (no `./.` is written after it) and recipients (`Nơi nhận`) that do not end with the
//! `Lưu` line (format-spec checks 36 and 37).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::doc::markup::{self, MarkupBlock};
use crate::env::Env;
use crate::model::locate::locate;
use crate::model::record::Format;
use crate::model::values::{Recipient, STRUCTURED_MARK};
use crate::model::Loaded;
use crate::template::structured::escape_markup;
use crate::template::{Layout, Rendered};

/// Stands for a suspect value in the second render: private-use characters, which no record
/// can contain (`check_glyphs` refuses them) and no helper changes (`upper`, `cap`).
const SENTINEL: &str = "\u{F8FF}\u{F8FE}\u{F8FF}";

/// Keys of a document entry that the template itself may print (slots and the byline); the
/// others (signer, recipients, number, …) are drawn by the layout.
const TEMPLATE_KEYS: [&str; 5] = ["template", "author", "text", "content", "summary"];

/// Why a value is suspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Suspicion {
    /// Empty or whitespace-only text.
    Blank,
    /// An empty list.
    EmptyList,
    /// Looks like a placeholder copied from a form; the part that does.
    Placeholder(String),
}

/// A suspect value of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suspect {
    /// The field path as diagnostics name it (`session.topic`, `documents[1].content.structured`).
    pub path: String,
    /// Where the value is in the template data.
    pointer: Vec<Step>,
    pub why: Suspicion,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The part of `s` that makes it look like a placeholder: the whole value when it is made of
/// `.…_-–?xX` and spaces only, else the first of `...`, `…`, `___`, `TODO`, `???`, `[…]`,
/// `<…>` (a bracketed blank such as `[tên cơ quan]`).
pub(crate) fn placeholder(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| ".…_-–?xX ".contains(c)) {
        return Some(t.to_string());
    }
    for needle in ["...", "…", "___", "TODO", "???"] {
        if t.contains(needle) {
            return Some(needle.to_string());
        }
    }
    for (open, close) in [('[', ']'), ('<', '>')] {
        if let Some(start) = t.find(open) {
            if let Some(len) = t[start..].find(close) {
                return Some(t[start..start + len + close.len_utf8()].to_string());
            }
        }
    }
    None
}

/// Every suspect value of the record data (`serde_json::to_value(record)`).
pub(crate) fn suspects(data: &Value) -> Vec<Suspect> {
    let mut out = Vec::new();
    walk(data, &mut String::new(), &mut Vec::new(), &mut out);
    out
}

fn walk(v: &Value, path: &mut String, pointer: &mut Vec<Step>, out: &mut Vec<Suspect>) {
    match v {
        Value::String(s) => {
            if matches!(pointer.as_slice(), [Step::Key(d), Step::Index(_), Step::Key(t)] if d == "documents" && t == "template")
            {
                return;
            }
            let (text, shown) = match s.strip_prefix(STRUCTURED_MARK) {
                Some(text) => (text, format!("{path}.structured")),
                None => (s.as_str(), path.clone()),
            };
            let why = if text.trim().is_empty() {
                Some(Suspicion::Blank)
            } else {
                placeholder(text).map(Suspicion::Placeholder)
            };
            if let Some(why) = why {
                out.push(Suspect {
                    path: shown,
                    pointer: pointer.clone(),
                    why,
                });
            }
        }
        Value::Array(items) if items.is_empty() => out.push(Suspect {
            path: path.clone(),
            pointer: pointer.clone(),
            why: Suspicion::EmptyList,
        }),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                pointer.push(Step::Index(i));
                walk(x, path, pointer, out);
                pointer.pop();
                path.truncate(len);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                pointer.push(Step::Key(k.clone()));
                walk(x, path, pointer, out);
                pointer.pop();
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn slot<'a>(root: &'a mut Value, pointer: &[Step]) -> Option<&'a mut Value> {
    pointer.iter().try_fold(root, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// The document entry a suspect belongs to, if it is under `documents[i]`, and the entry's key.
fn entry_of(s: &Suspect) -> Option<(usize, &str)> {
    match s.pointer.as_slice() {
        [Step::Key(d), Step::Index(i), Step::Key(k), ..] if d == "documents" => {
            Some((*i, k.as_str()))
        }
        _ => None,
    }
}

/// The template's output: what the record's values can reach.
fn output_of(r: &Rendered) -> String {
    [&r.summary, &r.headline, &r.byline]
        .into_iter()
        .flatten()
        .chain(std::iter::once(&r.body))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\u{0}\n")
}

/// The template data of document `i`: the record and the entry as `doc`.
fn context(data: &Value, i: usize) -> Value {
    let mut ctx = data.clone();
    let doc = data
        .get("documents")
        .and_then(|d| d.get(i))
        .cloned()
        .unwrap_or(Value::Null);
    if let Value::Object(m) = &mut ctx {
        m.insert("doc".into(), doc);
    }
    ctx
}

/// Warnings about the suspect values of a record whose documents were all built: one per
/// value that a document prints, naming every template that prints it.
pub(crate) fn check(env: &Env, loaded: &Loaded) -> Vec<Diagnostic> {
    let suspects = suspects(&loaded.data);
    let mut out = Vec::new();
    if suspects.is_empty() {
        return out;
    }
    let templates: Vec<&str> = loaded
        .record
        .documents
        .iter()
        .map(|d| d.template.as_str())
        .collect();
    // The output of each document as it is, rendered again only when a blank value needs it.
    let mut original: BTreeMap<usize, Option<String>> = BTreeMap::new();
    for s in &suspects {
        let entry = entry_of(s);
        let mut printers = Vec::new();
        for (i, template) in templates.iter().enumerate() {
            if entry.is_some_and(|(e, _)| e != i) {
                continue;
            }
            if prints(env, &loaded.data, i, template, s, &mut original)
                && !printers.contains(template)
            {
                printers.push(*template);
            }
        }
        let by_layout = matches!(s.why, Suspicion::Placeholder(_))
            && (s.path.starts_with("issuer.")
                || entry.is_some_and(|(_, key)| !TEMPLATE_KEYS.contains(&key)));
        if printers.is_empty() && !by_layout {
            continue;
        }
        out.push(diagnostic(&loaded.path, &loaded.source, s, &printers));
    }
    out
}

/// Whether the template of document `i` prints the suspect value: a placeholder when the
/// sentinel shows up; a blank value or an empty list when, besides, the output with the
/// value put back is the output as it is (so no `{{#if}}` left the sentence out).
fn prints(
    env: &Env,
    data: &Value,
    i: usize,
    template: &str,
    s: &Suspect,
    original: &mut BTreeMap<usize, Option<String>>,
) -> bool {
    let mut changed = data.clone();
    let Some(value) = slot(&mut changed, &s.pointer) else {
        return false;
    };
    let put_back = match (&s.why, &*value) {
        (Suspicion::EmptyList, _) => {
            *value = Value::Array(vec![Value::String(SENTINEL.into())]);
            Some(String::new())
        }
        (Suspicion::Blank, Value::String(v)) => {
            let v = escape_markup(v.trim_start_matches(STRUCTURED_MARK));
            *value = Value::String(SENTINEL.into());
            Some(v)
        }
        _ => {
            *value = Value::String(SENTINEL.into());
            None
        }
    };
    let Ok(rendered) = env.engine.render(template, &context(&changed, i)) else {
        return false;
    };
    let with_sentinel = output_of(&rendered);
    if !with_sentinel.contains(SENTINEL) {
        return false;
    }
    if matches!(s.why, Suspicion::Placeholder(_)) {
        return true;
    }
    let before = original.entry(i).or_insert_with(|| {
        env.engine
            .render(template, &context(data, i))
            .ok()
            .map(|r| output_of(&r))
    });
    let Some(before) = before.as_deref() else {
        return false;
    };
    // An empty list is put back as nothing: what a helper writes around items (`(1)`, a
    // separator) makes a difference, so only a list printed bare in a sentence counts.
    put_back.is_some_and(|v| with_sentinel.replace(SENTINEL, &v) == before)
}

/// "the `tin-bai` template prints it", "the `tin-bai` and `ket-luan` templates print it", or
/// with no template, "the document's layout prints it".
pub(crate) fn who_prints<S: AsRef<str>>(templates: &[S]) -> String {
    match templates {
        [] => "the document's layout prints it".to_string(),
        [one] => format!("the `{}` template prints it", one.as_ref()),
        many => format!(
            "the {} templates print it",
            many.iter()
                .map(|t| format!("`{}`", t.as_ref()))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    }
}

fn diagnostic(file: &Path, source: &str, s: &Suspect, printers: &[&str]) -> Diagnostic {
    let (l, c) = locate(source, &s.path);
    let who = who_prints(printers);
    let (message, hint) = match &s.why {
        Suspicion::Blank => (
            format!("`{}` is blank but {} in a sentence", s.path, who),
            "write the text, or delete the key if the document should not mention it".to_string(),
        ),
        Suspicion::EmptyList => (
            format!("`{}` is empty but {} in a sentence", s.path, who),
            "add the items, or delete the key if the document should not mention them".to_string(),
        ),
        Suspicion::Placeholder(p) => (
            format!(
                "`{}` looks like a placeholder copied from a form (`{p}`); {who}",
                s.path
            ),
            "replace it with the real text before the document is signed".to_string(),
        ),
    };
    Diagnostic::warning(file, message)
        .at(source, l, c)
        .field(s.path.clone())
        .hint(hint)
}

/// A warning when the body of an official document ends in `,` `;` `:` `-` `–`: no `./.`
/// is written after such a mark (`assemble::finish_last`).
pub(crate) fn body_end(loaded: &Loaded, i: usize, rendered: &Rendered) -> Option<Diagnostic> {
    if rendered.front.layout != Layout::Official {
        return None;
    }
    let last = match markup::parse(&rendered.body).pop()? {
        MarkupBlock::Paragraph(runs) | MarkupBlock::Item { runs, .. } => runs,
        _ => return None,
    };
    let text: String = last.iter().map(|r| r.text.as_str()).collect();
    let trimmed = text.trim_end().trim_end_matches('.');
    let mark = trimmed.chars().last()?;
    if !",;:-–".contains(mark) {
        return None;
    }
    let entry = loaded.record.documents.get(i)?;
    let here = format!("documents[{i}]");
    // The value the last words come from: the entry's body, else a record value ending so.
    let tail: String = {
        let chars: Vec<char> = trimmed.chars().collect();
        chars[chars.len().saturating_sub(16)..].iter().collect()
    };
    let field = if entry.content.is_some() {
        format!("{here}.content")
    } else if entry.text.contains_key("body") {
        format!("{here}.text.body")
    } else {
        let mut strings = Vec::new();
        crate::model::validate::collect_strings(&loaded.data, String::new(), &mut strings);
        strings
            .into_iter()
            .filter(|(p, _)| !p.starts_with("documents[") || p.starts_with(&format!("{here}.")))
            .find(|(_, v)| v.trim_end().trim_end_matches('.').ends_with(tail.as_str()))
            .map(|(p, _)| p)
            .unwrap_or_else(|| format!("{here}.template"))
    };
    let (l, c) = locate(&loaded.source, &field);
    Some(
        Diagnostic::warning(
            &loaded.path,
            format!(
                "the body of `{}` ends in `{mark}`, so no `./.` is written after it",
                entry.template
            ),
        )
        .at(&loaded.source, l, c)
        .field(field)
        .hint("end the last sentence with `.` (or finish it), and the end mark `./.` follows"),
    )
}

/// Warnings about `Nơi nhận`: a State list ends with the `Lưu: VT, …` line (format-spec
/// check 36), a Party list with `Lưu …` (check 37).
pub(crate) fn recipients(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, entry) in loaded.record.documents.iter().enumerate() {
        let Some(items) = entry.recipients.as_deref() else {
            continue;
        };
        let Some(last) = items.last() else {
            continue;
        };
        let text = match last {
            Recipient::Item(t) => t.as_str().trim(),
            Recipient::Group { heading, .. } => heading.trim(),
        };
        let (ok, want) = match loaded.record.format {
            Format::State => (text.starts_with("Lưu"), "`- Lưu: VT, …` (the archive line)"),
            Format::Party => (
                text.starts_with("Lưu "),
                "`- Lưu Văn phòng …` or `- Lưu VT.`",
            ),
        };
        if ok && matches!(last, Recipient::Item(_)) {
            continue;
        }
        let path = format!("documents[{i}].recipients[{}]", items.len() - 1);
        let (l, c) = locate(&loaded.source, &path);
        out.push(
            Diagnostic::warning(
                &loaded.path,
                format!(
                    "the recipients of `{}` do not end with the archive line (`Lưu …`)",
                    entry.template
                ),
            )
            .at(&loaded.source, l, c)
            .field(path)
            .hint(format!("end `recipients` with {want}")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_are_told_apart_from_real_text() {
        for (s, p) in [
            ("…", "…"),
            ("...", "..."),
            ("x", "x"),
            ("XX", "XX"),
            ("___", "___"),
            (" - ", "-"),
            ("? ?", "? ?"),
            ("về việc ...", "..."),
            ("TODO: viết sau", "TODO"),
            ("Ủy ban nhân dân [tên xã]", "[tên xã]"),
            ("<tên cơ quan>", "<tên cơ quan>"),
            ("ngày ___ tháng", "___"),
        ] {
            assert_eq!(placeholder(s).as_deref(), Some(p), "{s}");
        }
        for s in [
            "tình hình thực hiện nhiệm vụ năm 2022",
            "Xã Thuận là xã biên giới, đời sống kinh tế - xã hội còn nhiều khó khăn.",
            "Lưu: VT, VP.",
            "Max",
            "",
            "   ",
        ] {
            assert_eq!(placeholder(s), None, "{s}");
        }
    }

    #[test]
    fn suspects_are_blank_strings_empty_lists_and_placeholders_with_their_paths() {
        let data = json!({
            "session": {
                "topic": "…",
                "host": "Ban Thường vụ",
                "place": "  ",
                "attendees": [],
                "results": format!("{STRUCTURED_MARK}I. KẾT QUẢ\n..."),
            },
            "documents": [{"template": "x", "recipients": ["Như trên;", "TODO"]}],
        });
        let got: Vec<(String, Suspicion)> = suspects(&data)
            .into_iter()
            .map(|s| (s.path, s.why))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "documents[0].recipients[1]".to_string(),
                    Suspicion::Placeholder("TODO".into())
                ),
                ("session.attendees".to_string(), Suspicion::EmptyList),
                ("session.place".to_string(), Suspicion::Blank),
                (
                    "session.results.structured".to_string(),
                    Suspicion::Placeholder("...".into())
                ),
                (
                    "session.topic".to_string(),
                    Suspicion::Placeholder("…".into())
                ),
            ]
        );
    }

    #[test]
    fn the_reference_record_has_nothing_suspect() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded =
            crate::model::load::load_file(&root.join("input/thuan-2022-11-10.yaml")).unwrap();
        let data = serde_json::to_value(&loaded.record).unwrap();
        assert_eq!(suspects(&data), vec![]);
        assert_eq!(recipients(&loaded), vec![]);
    }

    fn warnings_of(yaml_edit: impl Fn(String) -> String) -> Vec<Diagnostic> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("input/thuan-2022-11-10.yaml")).unwrap();
        let loaded = crate::model::load::load_str(Path::new("r.yaml"), &yaml_edit(text)).unwrap();
        let env = Env::new(None, None).unwrap();
        check(&env, &loaded)
    }

    /// The warnings of the reference record with its topic written as `topic`.
    fn with_topic(topic: &str) -> Vec<Diagnostic> {
        warnings_of(|t| {
            t.replace(
                "topic: tình hình triển khai thực hiện nhiệm vụ năm 2022",
                &format!("topic: {topic}"),
            )
        })
    }

    #[test]
    fn a_printed_placeholder_is_warned_at_its_line_naming_both_templates() {
        let w = with_topic("…");
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].path, "session.topic");
        assert!(
            w[0].message.contains("placeholder") && w[0].message.contains("`tin-bai`"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn an_empty_list_behind_an_if_is_not_printed_and_a_guarded_blank_neither() {
        let w = warnings_of(|t| {
            let start = t.find("  attendees:").unwrap();
            let end = start + t[start..].find("  results:").unwrap();
            format!("{}  attendees: []\n{}", &t[..start], &t[end..]).replace(
                "period: từ nay đến cuối năm 2022 cũng như năm 2023",
                "period: ''",
            )
        });
        assert_eq!(w, vec![], "{w:?}");
    }

    #[test]
    fn a_blank_value_printed_in_a_sentence_is_warned() {
        let w = with_topic("'  '");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].message.contains("`session.topic` is blank"),
            "{}",
            w[0].message
        );
    }
}
