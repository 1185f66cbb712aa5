//! Rules beyond YAML: what a well-formed record must also satisfy. Errors stop a record;
//! warnings are reported and the record still renders.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::locate::locate;
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
    out.into_inner()
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
