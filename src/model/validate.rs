//! Rules beyond YAML: what a well-formed record must also satisfy. Errors stop a record;
//! warnings are reported and the record still renders.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::locate::{locate, locate_char};
use crate::model::record::{Date, Record};
use crate::profile::Format;

/// The date Hướng dẫn 36-HD/VPTW took effect.
pub const HD36_FROM: Date = Date {
    year: 2018,
    month: 4,
    day: 3,
};

pub fn validate(file: &Path, source: &str, record: &Record) -> Vec<Diagnostic> {
    let out = std::cell::RefCell::new(Vec::new());
    let err = |path: &str, message: String, hint: &str| {
        let (line, col) = locate(source, path);
        let mut d = Diagnostic::error(file, message)
            .at(source, line, col)
            .field(path);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        out.borrow_mut().push(d);
    };
    let s = &record.session;
    if s.conclusions.directives.is_empty() {
        err(
            "session.conclusions.directives",
            "the list of directives is empty".into(),
            "a notice of conclusions needs at least one directive (nhóm nhiệm vụ)",
        );
    }
    for (i, d) in s.conclusions.directives.iter().enumerate() {
        if d.trim().is_empty() {
            err(
                &format!("session.conclusions.directives[{i}]"),
                format!("directive {} is empty", i + 1),
                "remove the empty item or write the directive",
            );
        }
    }
    if record.documents.is_empty() {
        err(
            "documents",
            "no documents are listed".into(),
            "add at least `- template: tin-bai`",
        );
    }
    let profile = record.format.profile();
    for (i, doc) in record.documents.iter().enumerate() {
        let here = format!("documents[{i}]");
        if !is_template_name(&doc.template) {
            err(
                &format!("{here}.template"),
                format!("`{}` is not a template name", doc.template),
                "template names are lower-case letters, digits and hyphens, e.g. `thong-bao-ket-luan`",
            );
        }
        if let Some(date) = doc.date {
            if date < s.date {
                err(
                    &format!("{here}.date"),
                    format!(
                        "the document is dated {date}, before the session it reports on ({})",
                        s.date
                    ),
                    "a document is dated on or after `session.date`",
                );
            }
            if record.format == Format::Party && date < HD36_FROM {
                let (line, col) = locate(source, &format!("{here}.date"));
                out.borrow_mut().push(
                    Diagnostic::warning(
                        file,
                        format!("{date} is before Hướng dẫn 36-HD/VPTW took effect (2018-04-03)"),
                    )
                    .at(source, line, col)
                    .field(format!("{here}.date"))
                    .hint("the layout follows HD 36; check it against the rules of that time"),
                );
            }
        }
        if doc.number == Some(0) {
            err(
                &format!("{here}.number"),
                "document number 0".into(),
                "numbers start at 1 each year: write the number the register gives this document",
            );
        }
        if let Some(first) = record.documents[..i]
            .iter()
            .position(|d| d.template == doc.template)
        {
            err(
                &format!("{here}.template"),
                format!(
                    "`{}` is listed twice (documents {} and {}); both would be written to the same file",
                    doc.template,
                    first + 1,
                    i + 1
                ),
                "list each template once per record; a second notice of the same session goes in its own record file",
            );
        }
        if let Some(signer) = &doc.signer {
            let a = signer.authority.trim_start();
            let word = a.split_whitespace().next().unwrap_or("").to_uppercase();
            let (other_format, other_name) = match record.format {
                Format::Party => (Format::State, "State"),
                Format::State => (Format::Party, "Party"),
            };
            let prefixes = |f: Format| -> Vec<&'static str> {
                f.profile()
                    .authority_prefixes
                    .iter()
                    .map(|p| p.trim())
                    .collect()
            };
            let (own, other) = (prefixes(record.format), prefixes(other_format));
            // `TM` for `TM.`, `T/M.` for `T/M`: compare without the final dot too.
            let bare = |p: &str| p.trim_end_matches('.').to_string();
            let is_own = own.iter().any(|p| *p == word);
            let is_other = !is_own && other.iter().any(|p| *p == word || bare(p) == bare(&word));
            let own_list = own
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if is_other {
                err(
                    &format!("{here}.signer.authority"),
                    format!(
                        "`{a}` uses the {other_name} prefix `{word}` in a `{}` document",
                        profile.name
                    ),
                    &format!(
                        "a `{}` document signs with {own_list} (`T/M` is Party, `TM.` is State); \
                         or change `format`",
                        profile.name
                    ),
                );
            } else if !is_own && own.iter().any(|p| bare(p) == bare(&word)) {
                err(
                    &format!("{here}.signer.authority"),
                    format!("`{word}` is not written as the prefix is"),
                    &format!("write it exactly as one of {own_list}, followed by a space"),
                );
            }
        }
    }
    invisible_characters(file, source, record, &mut out.borrow_mut());
    out.into_inner()
}

/// Characters that print as nothing: control characters (a NUL or an escape from `\u0000`
/// in quotes, a tab), zero-width and direction marks, a byte-order mark inside the text.
/// A document must never lose or hide text silently, so each is an error naming it.
fn invisible_characters(file: &Path, source: &str, record: &Record, out: &mut Vec<Diagnostic>) {
    let data = serde_json::to_value(record).unwrap_or_default();
    let mut strings = Vec::new();
    collect_strings(&data, String::new(), &mut strings);
    for (path, text) in strings {
        let Some(c) = text.chars().find(|&c| is_invisible(c)) else {
            continue;
        };
        let (line, col) = locate_char(source, &path, c);
        let hint = if c == '\t' {
            "replace the tab with a space"
        } else {
            "remove it; it often comes from copying text out of another program"
        };
        out.push(
            Diagnostic::error(
                file,
                format!(
                    "the text contains the invisible character U+{:04X} ({})",
                    c as u32,
                    invisible_name(c)
                ),
            )
            .at(source, line, col)
            .field(path)
            .hint(hint),
        );
    }
}

fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn invisible_name(c: char) -> &'static str {
    match c {
        '\t' => "a tab",
        '\r' => "a carriage return",
        '\u{200B}' => "zero-width space",
        '\u{200C}' | '\u{200D}' | '\u{2060}' => "zero-width joiner",
        '\u{FEFF}' => "byte-order mark",
        '\u{2028}' | '\u{2029}' => "line or paragraph separator",
        c if c.is_control() => "a control character",
        _ => "a direction mark",
    }
}

/// Every string of the record with its field path (`session.attendees[1]`).
pub fn collect_strings(v: &serde_json::Value, path: String, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match v {
        Value::String(s) => out.push((path, s.clone())),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_strings(x, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect_strings(x, p, out);
            }
        }
        _ => {}
    }
}

/// Template names are plain identifiers: never paths.
pub fn is_template_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !name.starts_with('-')
}
