//! Refusing `!!binary` values. serde-saphyr decodes a base64 scalar tagged `!!binary` into
//! the text it encodes, so a record could print words nobody can read in the file. A record
//! is text a clerk typed: a binary-tagged value is an error naming its line and field.
//!
//! Only a source that mentions `binary` is scanned (with the parser serde-saphyr uses), so
//! ordinary records cost nothing.

use std::path::Path;

use serde_saphyr::granit_parser::{Event, Parser};

use crate::diag::Diagnostic;

/// The first value tagged `!!binary` (or `!binary`, or the full tag) in `source`.
pub(crate) fn check(file: &Path, source: &str) -> Option<Diagnostic> {
    if !source.contains("binary") {
        return None;
    }
    let mut path = FieldPath::default();
    for result in Parser::new_from_str(source) {
        // A syntax error is left to the real parse, which explains it.
        let (event, span) = result.ok()?;
        let tagged = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => {
                tag.as_ref().is_some_and(|t| t.suffix().ends_with("binary"))
            }
            _ => false,
        };
        if tagged {
            let line = span.start.line();
            let column = tag_column(source, line, span.start.col() + 1);
            return Some(
                Diagnostic::error(file, "the value is tagged `!!binary` (base64-encoded data)")
                    .field(path.current())
                    .at(source, line, column)
                    .hint("write the text itself, without the `!!binary` tag"),
            );
        }
        path.step(&event);
    }
    None
}

/// The column of the tag written before the value at (line, column), else `column`.
fn tag_column(source: &str, line: usize, column: usize) -> usize {
    let Some(text) = source.lines().nth(line.saturating_sub(1)) else {
        return column;
    };
    let before: Vec<char> = text.chars().take(column.saturating_sub(1)).collect();
    let end = before.iter().rposition(|c| !c.is_whitespace());
    let start = end.and_then(|e| before[..=e].iter().rposition(|c| c.is_whitespace()));
    let token = start.map_or(0, |s| s + 1);
    match before.get(token) {
        Some('!') if end.is_some() => token + 1,
        _ => column,
    }
}

/// The field path (`documents[1].signer.name`) of the next value, followed event by event.
#[derive(Default)]
struct FieldPath {
    frames: Vec<Frame>,
}

enum Frame {
    /// A mapping: the key of the value being read, or `None` while a key is awaited.
    Map(Option<String>),
    /// A sequence: the index of the next item.
    Seq(usize),
}

impl FieldPath {
    fn current(&self) -> String {
        let mut out = String::new();
        for f in &self.frames {
            match f {
                Frame::Map(Some(k)) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Frame::Map(None) => {}
                Frame::Seq(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    fn step(&mut self, event: &Event) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map(key @ None)) = self.frames.last_mut() {
                    *key = Some(value.to_string());
                } else {
                    self.value_done();
                }
            }
            Event::Alias(_) => self.value_done(),
            Event::SequenceStart(..) => self.frames.push(Frame::Seq(0)),
            Event::MappingStart(..) => self.frames.push(Frame::Map(None)),
            Event::SequenceEnd | Event::MappingEnd => {
                self.frames.pop();
                self.value_done();
            }
            _ => {}
        }
    }

    /// A value ended: the mapping awaits its next key, the sequence its next item.
    fn value_done(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map(key)) => *key = None,
            Some(Frame::Seq(i)) => *i += 1,
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue9_a_binary_value_is_refused_with_its_line_and_field() {
        let src = "issuer:\n  name: X\ndocuments:\n  - template: a\n  - template: b\n    author: !!binary TmfGsOG7nWkgQQ==\n";
        let d = check(Path::new("r.yaml"), src).expect("refused");
        assert_eq!(d.path, "documents[1].author");
        assert_eq!((d.line, d.column), (6, 13));
        assert!(check(Path::new("r.yaml"), "topic: binary search\n").is_none());
    }
}
