//! Line breaking for the PDF renderer: words measured with the document's fonts, greedy
//! breaking (as Word and LibreOffice do), forced breaks at a `\n` in the text (the DOCX's
//! `<w:br/>`), left and first-line indents, and tokens wider than the line broken across
//! lines so nothing is ever dropped.

use crate::doc::model::{Align, Mm, Paragraph};
use crate::fonts::FontBook;

/// A stretch of a word in one style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub width: Mm,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Word {
    pub pieces: Vec<Piece>,
    pub width: Mm,
    /// Width of the space that followed the word in the text (0 at the end).
    pub space: Mm,
    /// A forced line break (`\n`) follows the word: the line ends here. A word without
    /// pieces is an empty line (`\n` right after another, or at the start).
    pub break_after: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub words: Vec<Word>,
    /// Where the line starts, from the left of the column.
    pub indent: Mm,
    /// Width available to this line.
    pub avail: Mm,
    pub last: bool,
    /// The line ends at a forced break. It is not stretched, as LibreOffice lays out such a
    /// line of the DOCX (measured: it ends where its words end; Word stretches it unless the
    /// document sets `doNotExpandShiftReturn`).
    pub forced: bool,
}

impl Line {
    /// Width with normal spaces.
    pub(crate) fn natural_width(&self) -> Mm {
        let n = self.words.len();
        self.words
            .iter()
            .enumerate()
            .map(|(i, w)| w.width + if i + 1 < n { w.space } else { 0.0 })
            .sum()
    }

    /// The x of each word (from the left of the column) for the given alignment.
    pub(crate) fn word_positions(&self, align: Align) -> Vec<Mm> {
        let natural = self.natural_width();
        let gaps = self.words.len().saturating_sub(1);
        let extra = match align {
            Align::Justify if !self.last && !self.forced && gaps > 0 && natural < self.avail => {
                (self.avail - natural) / gaps as f32
            }
            _ => 0.0,
        };
        let start = self.indent
            + match align {
                Align::Center => ((self.avail - natural) / 2.0).max(0.0),
                Align::Right => (self.avail - natural).max(0.0),
                _ => 0.0,
            };
        let mut x = start;
        self.words
            .iter()
            .map(|w| {
                let here = x;
                x += w.width + w.space + extra;
                here
            })
            .collect()
    }
}

fn measure(fonts: &FontBook, text: &str, bold: bool, italic: bool, size: f32) -> Mm {
    fonts.width_mm(text, bold, italic, size)
}

/// Splits the paragraph's runs into words; consecutive spaces count as one.
pub(crate) fn words(p: &Paragraph, fonts: &FontBook) -> Vec<Word> {
    let size = p.size_pt;
    let mut out: Vec<Word> = Vec::new();
    let mut cur = Word::default();
    for run in &p.runs {
        let mut buf = String::new();
        let flush_piece = |cur: &mut Word, buf: &mut String| {
            if buf.is_empty() {
                return;
            }
            let width = measure(fonts, buf, run.bold, run.italic, size);
            cur.width += width;
            cur.pieces.push(Piece {
                text: std::mem::take(buf),
                bold: run.bold,
                italic: run.italic,
                underline: run.underline,
                width,
            });
        };
        for c in run.text.chars() {
            if c == '\n' {
                flush_piece(&mut cur, &mut buf);
                match out.last_mut() {
                    // `a \nb`: the word before the space ends the line.
                    Some(prev) if cur.pieces.is_empty() && !prev.break_after => {
                        prev.break_after = true;
                        prev.space = 0.0;
                    }
                    // A word, or an empty line (`\n\n`, a leading `\n`).
                    _ => {
                        cur.break_after = true;
                        out.push(std::mem::take(&mut cur));
                    }
                }
                continue;
            }
            // No-break spaces are part of a word.
            if c.is_whitespace() && c != '\u{a0}' {
                flush_piece(&mut cur, &mut buf);
                if !cur.pieces.is_empty() {
                    cur.space = measure(fonts, " ", run.bold, run.italic, size);
                    out.push(std::mem::take(&mut cur));
                }
            } else {
                buf.push(c);
            }
        }
        flush_piece(&mut cur, &mut buf);
    }
    if !cur.pieces.is_empty() {
        out.push(cur);
    }
    if let Some(last) = out.last_mut() {
        last.space = 0.0;
    }
    out
}

/// Breaks a word wider than `width` into chunks that fit (at least one character each).
fn split_wide(word: Word, width: Mm, fonts: &FontBook, size: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = Word::default();
    for piece in word.pieces {
        let mut buf = String::new();
        let mut buf_w = 0.0;
        for c in piece.text.chars() {
            let cw = measure(
                fonts,
                c.encode_utf8(&mut [0; 4]),
                piece.bold,
                piece.italic,
                size,
            );
            if cur.width + buf_w + cw > width && (cur.width + buf_w) > 0.0 {
                if !buf.is_empty() {
                    cur.pieces.push(Piece {
                        text: std::mem::take(&mut buf),
                        width: buf_w,
                        ..piece.clone()
                    });
                    cur.width += buf_w;
                    buf_w = 0.0;
                }
                out.push(std::mem::take(&mut cur));
            }
            buf.push(c);
            buf_w += cw;
        }
        if !buf.is_empty() {
            cur.pieces.push(Piece {
                text: buf,
                width: buf_w,
                ..piece
            });
            cur.width += buf_w;
        }
    }
    cur.space = word.space;
    cur.break_after = word.break_after;
    out.push(cur);
    out
}

/// Snaps a length to the twip grid (1/1440 in) that the DOCX uses, so both renderers break
/// lines against the same widths.
pub(crate) fn on_twips(mm: Mm) -> Mm {
    (mm * 1440.0 / 25.4).round() * 25.4 / 1440.0
}

/// Greedy line breaking at `width` (the column width), honouring the left and first-line
/// indents and forced breaks.
pub(crate) fn break_lines(p: &Paragraph, width: Mm, fonts: &FontBook) -> Vec<Line> {
    // LibreOffice measures a line a little wider than the sum of the advance widths (it
    // positions glyphs on a twip grid); a line is only filled to within this margin, so the
    // PDF breaks where the DOCX opened in LibreOffice breaks (checked page for page in tests).
    const FIT_MARGIN: Mm = 0.05;
    let width = on_twips(width);
    let left = on_twips(p.left_indent);
    let first_avail = (width - left - on_twips(p.first_indent)).max(1.0);
    let rest_avail = (width - left).max(1.0);
    let mut lines: Vec<Line> = Vec::new();
    // Ends the line being filled.
    let end_line = |lines: &mut Vec<Line>, words: Vec<Word>, last: bool, forced: bool| {
        let first = lines.is_empty();
        lines.push(Line {
            words,
            indent: p.left_indent + if first { p.first_indent } else { 0.0 },
            avail: if first { first_avail } else { rest_avail },
            last,
            forced,
        });
    };
    let mut cur: Vec<Word> = Vec::new();
    let mut cur_w: Mm = 0.0;
    let mut queue: std::collections::VecDeque<Word> = words(p, fonts).into();
    while let Some(word) = queue.pop_front() {
        let avail = if lines.is_empty() {
            first_avail
        } else {
            rest_avail
        };
        let needed = if cur.is_empty() {
            word.width
        } else {
            cur_w + cur.last().map_or(0.0, |w| w.space) + word.width
        };
        let word = if needed <= avail - FIT_MARGIN || (cur.is_empty() && word.pieces.is_empty()) {
            cur_w = needed;
            word
        } else if cur.is_empty() {
            // A token wider than the whole line: break it across lines. The first part goes
            // on this line whatever its width (one character at least), so this progresses.
            let mut parts = split_wide(word, avail, fonts, p.size_pt);
            while let Some(part) = parts.pop() {
                queue.push_front(part);
            }
            let Some(first) = queue.pop_front() else {
                continue;
            };
            cur_w = first.width;
            first
        } else {
            end_line(&mut lines, std::mem::take(&mut cur), false, false);
            queue.push_front(word);
            cur_w = 0.0;
            continue;
        };
        let forced = word.break_after;
        cur.push(word);
        if forced {
            end_line(&mut lines, std::mem::take(&mut cur), false, true);
            cur_w = 0.0;
        }
    }
    // The last line; after a forced break that ends the text, an empty one (as Word shows).
    end_line(&mut lines, cur, true, false);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::model::Run;

    fn para(text: &str) -> Paragraph {
        Paragraph {
            runs: vec![Run::plain(text)],
            align: Align::Justify,
            size_pt: 14.0,
            first_indent: 10.0,
            left_indent: 0.0,
            space_before_pt: 6.0,
            space_after_pt: 0.0,
            line_pitch_pt: 18.0,
            keep_with_next: false,
        }
    }

    #[test]
    fn a_300_character_token_is_broken_not_dropped() {
        let fonts = FontBook::builtin();
        let token = "x".repeat(300);
        let lines = break_lines(&para(&format!("đầu {token} cuối")), 165.0, &fonts);
        let text: String = lines
            .iter()
            .flat_map(|l| {
                l.words
                    .iter()
                    .flat_map(|w| w.pieces.iter().map(|p| p.text.clone()))
            })
            .collect();
        assert_eq!(text, format!("đầu{token}cuối"));
        for l in &lines {
            assert!(
                l.natural_width() <= l.avail + 0.01,
                "{} > {}",
                l.natural_width(),
                l.avail
            );
        }
        assert!(lines.len() >= 3);
    }

    #[test]
    fn justified_lines_fill_the_width() {
        let fonts = FontBook::builtin();
        let text = "Tập trung rà soát các chỉ tiêu, nhiệm vụ đã đề ra trên các lĩnh vực; tiếp tục xây dựng kế hoạch, phân công nhiệm vụ cụ thể cho các bộ phận.";
        let lines = break_lines(&para(text), 165.0, &fonts);
        assert!(lines.len() >= 2);
        let l = &lines[0];
        let xs = l.word_positions(Align::Justify);
        let end = xs.last().unwrap() + l.words.last().unwrap().width;
        assert!(
            (end - (l.indent + l.avail)).abs() < 0.01,
            "line ends at {end}"
        );
        assert_eq!(xs[0], 10.0);
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.words
                    .iter()
                    .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn a_line_feed_ends_the_line_and_two_make_an_empty_line() {
        let fonts = FontBook::builtin();
        let lines = break_lines(&para("một hai \nba\n\nbốn"), 165.0, &fonts);
        assert_eq!(texts(&lines), ["một hai", "ba", "", "bốn"]);
        assert!(lines[0].forced && lines[1].forced && lines[2].forced && !lines[3].forced);
        // A line ending at a break is not stretched.
        let xs = lines[0].word_positions(Align::Justify);
        assert!((xs[1] - (lines[0].words[0].width + lines[0].words[0].space + 10.0)).abs() < 1e-4);
        assert_eq!(lines[1].indent, 0.0);
        let lead = break_lines(&para("\nmột"), 165.0, &fonts);
        assert_eq!(texts(&lead), ["", "một"]);
    }

    #[test]
    fn left_indent_narrows_every_line_and_first_indent_adds_to_it() {
        let fonts = FontBook::builtin();
        let text = "Tập trung rà soát các chỉ tiêu, nhiệm vụ đã đề ra trên các lĩnh vực; tiếp tục xây dựng kế hoạch, phân công nhiệm vụ cụ thể cho các bộ phận.";
        let p = Paragraph {
            left_indent: 20.0,
            first_indent: -20.0,
            ..para(text)
        };
        let lines = break_lines(&p, 120.0, &fonts);
        assert!(lines.len() >= 2);
        assert_eq!(lines[0].indent, 0.0);
        assert!((lines[0].avail - on_twips(120.0)).abs() < 1e-4);
        assert_eq!(lines[1].indent, 20.0);
        assert!((lines[1].avail - (on_twips(120.0) - on_twips(20.0))).abs() < 1e-4);
    }
}
