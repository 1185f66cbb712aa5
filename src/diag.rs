//! Diagnostics: what a clerk is told about a record, rustc-style, with file, line, column,
//! the field path, the source line with a marker, and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based; 0 when the problem has no place in the file (e.g. an unreadable file).
    pub line: usize,
    pub column: usize,
    /// Field path such as `session.chair.titles`; empty for the whole file.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the marker points into.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            path: String::new(),
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, source: &str, line: usize, column: usize) -> Diagnostic {
        self.line = line;
        self.column = column.max(1);
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(str::to_string);
        self
    }

    pub fn field(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = path.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if !self.path.is_empty() {
            write!(f, " (field `{}`)", self.path)?;
        }
        writeln!(f)?;
        if self.line > 0 {
            writeln!(
                f,
                "  --> {}:{}:{}",
                self.file.display(),
                self.line,
                self.column
            )?;
        } else {
            writeln!(f, "  --> {}", self.file.display())?;
        }
        if let Some(src) = &self.source_line {
            let (src, column) = crop(&visible(src), self.column);
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {src}")?;
            let before: String = src
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {before}^")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "  = hint: {h}")?;
        }
        Ok(())
    }
}

/// The source line as it can be printed: control characters (a NUL, an escape) become
/// their visible Control Pictures, one character each, so the marker stays aligned and
/// the terminal is not disturbed.
fn visible(line: &str) -> String {
    line.chars()
        .map(|c| match c as u32 {
            0x09 => c,
            n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
            0x7f => '\u{2421}',
            n if c.is_control() => {
                let _ = n;
                '\u{fffd}'
            }
            _ => c,
        })
        .collect()
}

/// At most [`MAX_SHOWN`] characters of a long line, around the column, with `…` where cut;
/// returns the shown text and the column within it.
fn crop(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN {
        return (line.to_string(), column);
    }
    let col0 = column.saturating_sub(1).min(chars.len());
    let start = col0.saturating_sub(MAX_SHOWN / 2);
    let end = (start + MAX_SHOWN).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    (out, col0 - start + 1 + usize::from(start > 0))
}

/// The longest source line shown in full.
const MAX_SHOWN: usize = 100;
