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
        if let Some(signer) = &doc.signer {
            let a = signer.authority.trim_start();
            let ok =
                profile.authority_prefixes.iter().any(|p| a.starts_with(p)) || !looks_prefixed(a);
            if !ok {
                let other = match record.format {
                    Format::Party => "State (`TM.`, `KT.`, `TL.`)",
                    Format::State => "Party (`T/M`, `K/T`, `T/L`)",
                };
                err(
                    &format!("{here}.signer.authority"),
                    format!(
                        "`{a}` uses the {other} prefix in a `{}` document",
                        profile.name
                    ),
                    &format!(
                        "use one of: {}",
                        profile
                            .authority_prefixes
                            .iter()
                            .map(|p| p.trim())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
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

/// Does the authority line start with any known signing prefix (of either profile)?
fn looks_prefixed(a: &str) -> bool {
    [
        "T/M ", "K/T ", "T/L ", "TM. ", "KT. ", "TL. ", "TUQ. ", "Q. ",
    ]
    .iter()
    .any(|p| a.starts_with(p))
}
