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
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {src}")?;
            let before: String = src
                .chars()
                .take(self.column.saturating_sub(1))
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
