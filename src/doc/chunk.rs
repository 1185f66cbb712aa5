//! Cutting a month-sized body's markup into pieces that parse, one after the other, into
//! exactly the blocks the whole text would give, so the text is never held whole.
//!
//! The template engine marks candidate cuts (the end of each `{{#each_session}}` iteration);
//! [`Chunker`] cuts at a candidate only when nothing on either side can reach across it:
//!
//! 1. the candidate is at the start of a line, and no fenced code block is open there;
//! 2. a blank line lies between the last non-blank line before the cut and the first one after
//!    it (so every paragraph, table and block quote before the cut has ended: a table's rows
//!    have no blank lines between them, so a table is never cut);
//! 3. the first non-blank line after the cut is not indented and does not start a list item
//!    (an indented line could continue a list item or an indented code block across the blank
//!    line, and a list item could continue the list before it, whose numbering counts on).
//!
//! The decision waits until the first non-blank line after the candidate has arrived. Two
//! things reach further than a blank line and are not tracked: HTML blocks (`<!-- … -->`,
//! `<pre>`) and link reference definitions (`[x]: url`, which apply to the whole text). Record
//! values are escaped, so only the template can write them: a template whose body contains `<`,
//! `]:` or an unescaped value (`{{{`, `{{&`) is never cut
//! ([`crate::template::each_session::template_allows_cuts`]).

/// Collects markup text and hands it out in pieces that are safe to parse on their own.
#[derive(Debug, Default)]
pub struct Chunker {
    enabled: bool,
    buf: String,
    /// End of the complete lines already scanned for fences.
    scanned: usize,
    /// The open fence: its character and length.
    fence: Option<(char, usize)>,
    /// A candidate cut waiting for the first non-blank line after it.
    candidate: Option<usize>,
}

impl Chunker {
    /// `enabled: false` never cuts: [`Chunker::finish`] returns the whole text.
    pub fn new(enabled: bool) -> Chunker {
        Chunker {
            enabled,
            ..Chunker::default()
        }
    }

    /// Appends text; returns a piece ready to parse when a pending cut was decided.
    pub fn push(&mut self, text: &str) -> Option<String> {
        self.buf.push_str(text);
        self.scan_lines();
        self.decide()
    }

    /// Marks a candidate cut at the end of the text so far.
    pub fn boundary(&mut self) {
        if !self.enabled || self.candidate.is_some() || self.fence.is_some() {
            return;
        }
        if self.buf.is_empty() || !self.buf.ends_with('\n') {
            return;
        }
        self.candidate = Some(self.buf.len());
    }

    /// The text not yet handed out.
    pub fn finish(self) -> String {
        self.buf
    }

    /// Bytes held now (for tests and measurements).
    pub fn held(&self) -> usize {
        self.buf.len()
    }

    fn scan_lines(&mut self) {
        while let Some(nl) = self.buf[self.scanned..].find('\n') {
            let line = &self.buf[self.scanned..self.scanned + nl];
            self.fence = next_fence(self.fence, line);
            self.scanned += nl + 1;
        }
    }

    fn decide(&mut self) -> Option<String> {
        let cut = self.candidate?;
        let after = &self.buf[cut..];
        // The first non-blank complete line after the cut.
        let mut blank_after = false;
        let mut first = None;
        let mut rest = after;
        while let Some(nl) = rest.find('\n') {
            let line = &rest[..nl];
            if line.trim().is_empty() {
                blank_after = true;
                rest = &rest[nl + 1..];
            } else {
                first = Some(line);
                break;
            }
        }
        let first = first?;
        self.candidate = None;
        let before = &self.buf[..cut];
        let blank_before = before
            .trim_end_matches('\n')
            .rsplit('\n')
            .next()
            .is_some_and(|l| l.trim().is_empty())
            || before.ends_with("\n\n");
        let safe = (blank_before || blank_after)
            && !first.starts_with([' ', '\t'])
            && !starts_list_item(first);
        if !safe {
            return None;
        }
        let piece: String = self.buf.drain(..cut).collect();
        self.scanned -= cut;
        Some(piece)
    }
}

/// The fence state after `line`: an opening fence is three or more backticks or tildes after
/// at most three spaces; it closes at a line of at least as many of the same character.
fn next_fence(open: Option<(char, usize)>, line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return open;
    }
    let body = &line[indent..];
    let Some(c) = body.chars().next().filter(|c| *c == '`' || *c == '~') else {
        return open;
    };
    let n = body.chars().take_while(|x| *x == c).count();
    if n < 3 {
        return open;
    }
    match open {
        None => Some((c, n)),
        Some((oc, on)) if oc == c && n >= on && body[n..].trim().is_empty() => None,
        Some(o) => Some(o),
    }
}

/// `- `, `+ `, `* ` or `1. ` / `1) ` (up to nine digits), or such a marker alone on the line.
fn starts_list_item(line: &str) -> bool {
    let spaced = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    if let Some(rest) = line.strip_prefix(['-', '+', '*']) {
        return spaced(rest);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (1..=9).contains(&digits) && line[digits..].strip_prefix(['.', ')']).is_some_and(spaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::markup::{parse, MarkupBlock};
    use crate::template::each_session::template_allows_cuts;

    /// Feeds `parts`, marking a candidate after each; returns the pieces.
    fn pieces(parts: &[&str]) -> Vec<String> {
        let mut c = Chunker::new(true);
        let mut out = Vec::new();
        for p in parts {
            out.extend(c.push(p));
            c.boundary();
        }
        out.push(c.finish());
        out
    }

    fn chunked_blocks(parts: &[&str]) -> Vec<MarkupBlock> {
        pieces(parts).iter().flat_map(|p| parse(p)).collect()
    }

    #[test]
    fn a_table_is_never_cut() {
        let parts = [
            "Mở đầu.\n\n| A | B |\n|---|---|\n",
            "| 1 | x |\n",
            "| 2 | y |\n",
            "| 3 | z |\n",
            "\n**Tiếp**\n",
        ];
        let p = pieces(&parts);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].ends_with("| 3 | z |\n"), "{p:?}");
        assert_eq!(chunked_blocks(&parts), parse(&parts.concat()));
    }

    #[test]
    fn sections_are_cut_between_blank_separated_blocks() {
        let parts = ["**1.**\n\na\n", "\n**2.**\n\nb\n", "\n**3.**\n\nc\n"];
        let p = pieces(&parts);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(chunked_blocks(&parts), parse(&parts.concat()));
    }

    #[test]
    fn tricky_markup_parses_the_same_cut_or_not() {
        let cases: &[&[&str]] = &[
            // A fenced code block spanning the candidates.
            &["a\n\n```\ncode\n\n", "more\n", "\n```\n\nb\n"],
            &["~~~~\nx\n~~~\n\n", "y\n~~~~\n\nz\n"],
            // An indented code block continuing after a blank line.
            &["    code\n\n", "    more \\*\n\nc\n"],
            // A list continued after a blank line: numbering counts on.
            &["1. a\n\n", "1. b\n\n", "1. c\n"],
            &["- a\n\n", "  continued \\*x\\*\n\n", "- b\n"],
            // Lazy continuation and paragraphs without a blank line.
            &["para\n", "continued\n", "\nnext\n"],
            // A block quote, headings, a table straight after.
            &[
                "> q\n\n",
                "> r\n\n",
                "# H\n| a |\n|---|\n| 1 |\n\n",
                "end\n",
            ],
            // Candidate not at a line start.
            &["abc", "def\n\n", "ghi\n"],
        ];
        for parts in cases {
            assert_eq!(
                chunked_blocks(parts),
                parse(&parts.concat()),
                "{parts:?} cut as {:?}",
                pieces(parts)
            );
        }
    }

    #[test]
    fn templates_with_html_or_link_definitions_are_never_cut() {
        assert!(template_allows_cuts("**a** {{x}}\n\n| b |\n"));
        assert!(!template_allows_cuts("<!-- c\n\n-->"));
        assert!(!template_allows_cuts("[a]: /b\n"));
        assert!(!template_allows_cuts("{{{raw}}}"));
        let mut c = Chunker::new(false);
        assert_eq!(c.push("a\n\n"), None);
        c.boundary();
        assert_eq!(c.push("b\n\n"), None);
        assert_eq!(c.finish(), "a\n\nb\n\n");
    }
}
