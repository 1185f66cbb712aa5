//! Record values as markup ([`escape_markup`]): a plain value backslash-escaped, and
//! structured content, a value written under `structured:`, translated into the markup the
//! parser reads. This translation *is* that value's escape: everything the clerk typed prints
//! literally except what the syntax below gives meaning to.
//!
//! - Each non-blank line is one paragraph.
//! - A line ending in ` \` continues the same paragraph after a forced line break.
//! - `Phần I`, `Chương II`, `Mục 1`, `Tiểu mục 2` alone on a line: a centred heading; the next
//!   line, when it is in capitals, is its title (also centred).
//! - `Điều 1. …`, `I. …`, `II- …` (Party): a bold heading kept with what follows.
//! - `1.`, `1.1.`, `1-`, `a)`, `-`, `+`: paragraphs whose label is printed as typed.
//! - `**bold**`, `*italic*`, `***both***`; `\*` prints `*`, `\\` prints `\`.
//! - A line starting with `\` is never a heading: the backslash is dropped and the rest printed.

use crate::model::values::STRUCTURED_MARK;

/// Escapes a record value for the markup. A plain value: every ASCII punctuation character
/// that CommonMark could read as syntax gets a backslash, which the parser removes again, and
/// spaces before a line end are dropped (so a plain value can never make a forced line
/// break). A structured value (marked by [`STRUCTURED_MARK`], from the marker on) is
/// translated by [`to_markup`] instead: that translation is its escape.
pub(crate) fn escape_markup(s: &str) -> String {
    match s.split_once(STRUCTURED_MARK) {
        None => escape_plain(s),
        Some((plain, structured)) => {
            let mut out = escape_plain(plain);
            out.push_str(&to_markup(&structured.replace(STRUCTURED_MARK, "")));
            out
        }
    }
}

fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let mut spaces = 1;
            while chars.peek() == Some(&' ') {
                chars.next();
                spaces += 1;
            }
            if !matches!(chars.peek(), Some('\n') | Some('\r')) {
                out.extend(std::iter::repeat_n(' ', spaces));
            }
            continue;
        }
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '.'
                | '!'
                | '<'
                | '>'
                | '&'
                | '|'
                | '~'
                | '='
                | '"'
                | '\''
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The markup for one structured value. Headings are written as setext headings (the text,
/// then a line of `===` for level 1 or `---` for level 2), so that a heading too can continue
/// after a forced line break.
pub(crate) fn to_markup(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut out = String::with_capacity(text.len() + 32);
    let mut i = 0;
    let mut continuing = false;
    // The underline of the heading being written, once its last line is.
    let mut underline: Option<&str> = None;
    // A `Phần`/`Chương` line whose title line comes next.
    let mut title_next = false;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.is_empty() {
            if let Some(u) = underline.take() {
                out.push('\n');
                out.push_str(u);
            }
            continuing = false;
            continue;
        }
        let (body, hard_break) = match line.strip_suffix('\\') {
            Some(rest) if rest.ends_with(' ') && !rest.ends_with("\\ ") => (rest.trim_end(), true),
            _ => (line, false),
        };
        if continuing {
            out.push_str(&inline(body));
        } else {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            let kind = if title_next && is_caps_title(body) {
                Kind::Part
            } else {
                classify(body)
            };
            title_next = false;
            match kind {
                Kind::Part => {
                    out.push_str(&inline(body));
                    underline = Some("===");
                    title_next = !hard_break && matches!(classify(body), Kind::Part);
                }
                Kind::Heading => {
                    out.push_str(&inline(body));
                    underline = Some("---");
                }
                Kind::Literal(rest) => out.push_str(&inline(rest)),
                Kind::Paragraph => out.push_str(&inline(body)),
            }
        }
        if hard_break {
            out.push_str("\\\n");
        } else if let Some(u) = underline.take() {
            out.push('\n');
            out.push_str(u);
        }
        continuing = hard_break;
    }
    if let Some(u) = underline.take() {
        out.push('\n');
        out.push_str(u);
    }
    out
}

enum Kind<'a> {
    Part,
    Heading,
    Literal(&'a str),
    Paragraph,
}

fn classify(line: &str) -> Kind<'_> {
    if let Some(rest) = line.strip_prefix('\\') {
        return Kind::Literal(rest);
    }
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let part_word = ["Phần", "Chương", "Mục"].contains(&first)
        || (first == "Tiểu" && line.starts_with("Tiểu mục "));
    let word_count = line.split_whitespace().count();
    if part_word && (word_count == 2 || (first == "Tiểu" && word_count == 3)) {
        return Kind::Part;
    }
    if is_article(line) || is_roman_heading(line) {
        return Kind::Heading;
    }
    Kind::Paragraph
}

/// `Điều 12. …`, `Điều 3a. …`.
fn is_article(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("Điều ") else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let after: String = rest.chars().skip(digits).collect();
    let after = after
        .strip_prefix(|c: char| c.is_ascii_lowercase() || c == 'đ')
        .unwrap_or(&after);
    after.starts_with('.')
}

/// `I. …`, `IV- …` (a Roman numeral, `.` or `-`, a space).
fn is_roman_heading(line: &str) -> bool {
    let numeral = line
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
        .count();
    if numeral == 0 {
        return false;
    }
    let rest = &line[numeral..];
    (rest.starts_with(". ") || rest.starts_with("- ")) && rest.len() > 2
}

fn is_caps_title(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.iter().all(|c| !c.is_lowercase())
        && !matches!(classify(line), Kind::Heading | Kind::Part)
}

/// One line's text: `*` is emphasis, `\x` prints `x`, everything else is escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next) => out.push_str(&escape_markup(&next.to_string())),
                None => out.push_str("\\\\"),
            },
            '*' => out.push('*'),
            other => out.push_str(&escape_markup(&other.to_string())),
        }
    }
    out
}
