//! Rules beyond YAML: what a well-formed record must also satisfy. Errors stop a record;
//! warnings are reported and the record still renders.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::locate::{locate, locate_char};
use crate::model::record::Format;
use crate::model::record::{Date, Record};

/// The date Hướng dẫn 36-HD/VPTW took effect.
pub(crate) const HD36_FROM: Date = Date {
    year: 2018,
    month: 4,
    day: 3,
};

pub(crate) fn validate(
    file: &Path,
    source: &str,
    record: &Record,
    data: &serde_json::Value,
) -> Vec<Diagnostic> {
    let rules = Rules {
        file,
        source,
        out: std::cell::RefCell::new(Vec::new()),
    };
    let err = |path: &str, message: String, hint: &str| rules.err(path, message, hint);
    // Whether a list may be empty is the templates' call (`requires:`); an empty item never is.
    let directives = record
        .session
        .conclusions
        .as_ref()
        .map(|c| c.directives.as_slice())
        .unwrap_or(&[]);
    for (i, d) in directives.iter().enumerate() {
        if d.is_blank() {
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
    for (i, doc) in record.documents.iter().enumerate() {
        rules.document(record, i, doc, &err);
    }
    let mut out = rules.out.into_inner();
    invisible_characters(file, source, data, &mut out);
    out
}

/// Where the rules' diagnostics go, and what they point into.
struct Rules<'a> {
    file: &'a Path,
    source: &'a str,
    out: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Rules<'_> {
    /// An error at the field `path`, with a hint unless it is empty.
    fn err(&self, path: &str, message: String, hint: &str) {
        let (line, col) = locate(self.source, path);
        let mut d = Diagnostic::error(self.file, message)
            .at(self.source, line, col)
            .field(path);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.out.borrow_mut().push(d);
    }

    /// The rules of document `i` of the record.
    fn document(
        &self,
        record: &Record,
        i: usize,
        doc: &crate::model::record::DocumentEntry,
        err: &dyn Fn(&str, String, &str),
    ) {
        let here = format!("documents[{i}]");
        if !is_template_name(&doc.template) {
            err(
                &format!("{here}.template"),
                format!("`{}` is not a template name", doc.template),
                "template names are lower-case letters, digits and hyphens, e.g. `thong-bao-ket-luan`",
            );
        }
        if let Some(date) = doc.date {
            if record.format == Format::Party && date < HD36_FROM {
                let (line, col) = locate(self.source, &format!("{here}.date"));
                self.out.borrow_mut().push(
                    Diagnostic::warning(
                        self.file,
                        format!("{date} is before Hướng dẫn 36-HD/VPTW took effect (2018-04-03)"),
                    )
                    .at(self.source, line, col)
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
        for (k, copy) in doc.copies.iter().enumerate() {
            if copy.known_form().is_none() {
                err(
                    &format!("{here}.copies[{k}].form"),
                    format!("`{}` is not a form of copy", copy.form),
                    "write `SAO Y`, `SAO LỤC` or `TRÍCH SAO`",
                );
            }
        }
        for (field, signer) in signers_of(doc) {
            let Some(authority) = &signer.authority else {
                continue;
            };
            for (line_no, line) in authority.lines().enumerate() {
                let path = format!("{here}.{field}.authority");
                check_authority_line(record.format, line, line_no, &path, err);
            }
        }
    }
}

/// Characters that print as nothing: control characters (a NUL or an escape from `\u0000`
/// in quotes, a tab), zero-width and direction marks, a byte-order mark inside the text.
/// A document must never lose or hide text silently, so each is an error naming it.
fn invisible_characters(
    file: &Path,
    source: &str,
    data: &serde_json::Value,
    out: &mut Vec<Diagnostic>,
) {
    // Private-use characters print as nothing in the official fonts, and one of them marks a
    // structured value inside the tool: refused wherever they are typed.
    if let Some((i, c)) = source.char_indices().find(|(_, c)| is_private_use(*c)) {
        let line = source[..i].matches('\n').count() + 1;
        let col = source[..i]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        out.push(
            Diagnostic::error(
                file,
                format!(
                    "the text contains the private-use character U+{:04X}, which prints as nothing",
                    c as u32
                ),
            )
            .at(source, line, col)
            .hint("remove it; it often comes from copying text out of another program"),
        );
        return;
    }
    let mut strings = Vec::new();
    collect_strings(data, String::new(), &mut strings);
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

fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
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

/// The entry's signers with the field path of each (`signer`, `signers[1]`).
fn signers_of(
    doc: &crate::model::record::DocumentEntry,
) -> Vec<(String, &crate::model::record::Signer)> {
    let mut out: Vec<(String, &crate::model::record::Signer)> = Vec::new();
    if let Some(s) = &doc.signer {
        out.push(("signer".into(), s));
    }
    for (i, s) in doc.signers.iter().flatten().enumerate() {
        out.push((format!("signers[{i}]"), s));
    }
    out
}

/// One line of a signing authority: the profile's own prefix, or none; never the other
/// profile's. A second or later line may only delegate further (`KT.`, `TL.`; `K/T`, `T/L`).
fn check_authority_line(
    format: Format,
    line: &str,
    line_no: usize,
    path: &str,
    err: &dyn Fn(&str, String, &str),
) {
    let profile = format.profile();
    let a = line.trim_start();
    let word = a.split_whitespace().next().unwrap_or("").to_uppercase();
    let (other_format, other_name) = match format {
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
    let (own, other) = (prefixes(format), prefixes(other_format));
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
            path,
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
            path,
            format!("`{word}` is not written as the prefix is"),
            &format!("write it exactly as one of {own_list}, followed by a space"),
        );
    } else if is_own && line_no > 0 && !matches!(bare(&word).as_str(), "KT" | "TL" | "K/T" | "T/L")
    {
        err(
            path,
            format!("line {} of the authority starts with `{word}`", line_no + 1),
            "only the first line names the collective (`TM.`, `T/M`); later lines delegate: `KT.`, `TL.` (Party `K/T`, `T/L`)",
        );
    }
}

/// Every string of the record with its field path (`session.attendees[1]`). A structured
/// value is given without its marker, at the path of its `structured` key.
pub(crate) fn collect_strings(
    v: &serde_json::Value,
    path: String,
    out: &mut Vec<(String, String)>,
) {
    use serde_json::Value;
    match v {
        Value::String(s) => match s.strip_prefix(crate::model::values::STRUCTURED_MARK) {
            Some(text) => out.push((format!("{path}.structured"), text.to_string())),
            None => out.push((path, s.clone())),
        },
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
pub(crate) fn is_template_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !name.starts_with('-')
}
