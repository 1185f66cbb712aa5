//! A page's content stream as bytes: the few operators the canvas draws with (line width,
//! straight lines, rectangles, text objects with `Tf`, `Td` and `TJ`), written as pdf-writer's
//! `Content` writes them (one operation a line, operands separated by spaces, the shortest
//! decimal that reads back as the same `f32`), except the glyph strings: pdf-writer writes a
//! string of bytes below 128 as a literal string, where each byte of a two-byte glyph code
//! under 32 takes a four-character octal escape (`\000\017`: 8 characters a glyph), and a
//! subset's glyph codes are all small. Here they are hexadecimal (`<000F>`: 4 characters a
//! glyph). The reference notice's three content streams went from 55.3 to 41.2 KB before
//! Deflate; what a reader draws and extracts is the same (PDF 32000-1, 7.3.4.3).

use std::io::Write;

/// The content stream being written.
pub(super) struct Content {
    buf: Vec<u8>,
}

/// What goes into a `TJ` array.
pub(super) enum TjItem<'g> {
    /// Two-byte glyph codes.
    Glyphs(&'g [u8]),
    /// A position adjustment in thousandths of an em.
    Adjust(f32),
}

impl Content {
    pub(super) fn new() -> Content {
        Content {
            buf: Vec::with_capacity(16 * 1024),
        }
    }

    /// The stream's bytes (no newline after the last operation).
    pub(super) fn finish(mut self) -> Vec<u8> {
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        self.buf
    }

    /// A number as pdf-writer 0.15 writes an `f32`: an integer without a decimal point,
    /// otherwise ryu's shortest decimal that reads back as the same value (the standard
    /// library's formatting can round the last digit the other way: -55.664063 for ryu's
    /// -55.664062, the same `f32`), and outside ryu's plain range the standard library's.
    fn number(&mut self, value: f32) {
        if value as i32 as f32 == value {
            let _ = write!(self.buf, "{}", value as i32);
        } else if value.abs() > 1e-6 && value.abs() < 1e12 {
            let mut digits = ryu::Buffer::new();
            self.buf.extend_from_slice(digits.format(value).as_bytes());
        } else {
            let _ = write!(self.buf, "{value}");
        }
    }

    /// `operands` then `operator`, one line.
    fn op(&mut self, operands: &[f32], operator: &[u8]) {
        for &v in operands {
            self.number(v);
            self.buf.push(b' ');
        }
        self.buf.extend_from_slice(operator);
        self.buf.push(b'\n');
    }

    /// `w`: the line width.
    pub(super) fn set_line_width(&mut self, width: f32) {
        self.op(&[width], b"w");
    }

    /// `m`, `l`, `S`: a stroked straight line.
    pub(super) fn stroke_line(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.op(&[from.0, from.1], b"m");
        self.op(&[to.0, to.1], b"l");
        self.op(&[], b"S");
    }

    /// `re`, `S`: a stroked rectangle.
    pub(super) fn stroke_rect(&mut self, x: f32, y: f32, width: f32, height: f32) {
        self.op(&[x, y, width, height], b"re");
        self.op(&[], b"S");
    }

    /// `BT`.
    pub(super) fn begin_text(&mut self) {
        self.op(&[], b"BT");
    }

    /// `ET`.
    pub(super) fn end_text(&mut self) {
        self.op(&[], b"ET");
    }

    /// `Tf`: font resource `name` (without the slash, a plain PDF name) at `size`.
    pub(super) fn set_font(&mut self, name: &[u8], size: f32) {
        self.buf.push(b'/');
        self.buf.extend_from_slice(name);
        self.buf.push(b' ');
        self.op(&[size], b"Tf");
    }

    /// `Td`: the start of the next line.
    pub(super) fn next_line(&mut self, x: f32, y: f32) {
        self.op(&[x, y], b"Td");
    }

    /// `TJ`: glyph strings and position adjustments.
    pub(super) fn show_positioned<'g>(&mut self, items: impl IntoIterator<Item = TjItem<'g>>) {
        self.buf.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push(b' ');
            }
            match item {
                TjItem::Glyphs(codes) => self.hex_string(codes),
                TjItem::Adjust(a) => self.number(a),
            }
        }
        self.buf.extend_from_slice(b"] TJ\n");
    }

    /// `bytes` as a hexadecimal string, upper-case digits as pdf-writer writes them.
    fn hex_string(&mut self, bytes: &[u8]) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        self.buf.reserve(bytes.len() * 2 + 2);
        self.buf.push(b'<');
        for &b in bytes {
            self.buf.push(DIGITS[usize::from(b >> 4)]);
            self.buf.push(DIGITS[usize::from(b & 0xF)]);
        }
        self.buf.push(b'>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Name, Str};

    /// The same operations through pdf-writer's `Content`, glyph strings aside.
    #[test]
    fn issue11_operations_are_written_as_pdf_writer_writes_them() {
        let numbers: [f32; 11] = [
            0.0,
            -0.0,
            14.0,
            0.7500001,
            771.97095,
            -0.67247665,
            1e-3,
            595.27563,
            -55.664062,
            5e-7,
            -2.5e12,
        ];
        let mut ours = Content::new();
        let mut theirs = pdf_writer::Content::new();
        for &v in &numbers {
            // pdf-writer refuses a negative width.
            ours.set_line_width(v.abs());
            theirs.set_line_width(v.abs());
            ours.stroke_line((v, 1.5), (2.0, v));
            theirs.move_to(v, 1.5).line_to(2.0, v).stroke();
            ours.stroke_rect(v, 1.0, 2.25, v);
            theirs.rect(v, 1.0, 2.25, v).stroke();
            ours.begin_text();
            theirs.begin_text();
            ours.set_font(b"F1", v);
            theirs.set_font(Name(b"F1"), v);
            ours.next_line(v, 3.0);
            theirs.next_line(v, 3.0);
            ours.show_positioned([TjItem::Adjust(v), TjItem::Adjust(2.5)]);
            theirs.show_positioned().items().adjust(v).adjust(2.5);
            ours.end_text();
            theirs.end_text();
        }
        let theirs = theirs.finish().into_vec();
        assert_eq!(
            String::from_utf8(ours.finish()).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    fn issue11_glyph_strings_are_hexadecimal() {
        let mut ours = Content::new();
        ours.show_positioned([
            TjItem::Glyphs(&[0, 1, 0, 0x2F]),
            TjItem::Adjust(-74.00077),
            TjItem::Glyphs(&[0xAB, 0xCD]),
        ]);
        assert_eq!(ours.finish(), b"[<0001002F> -74.00077 <ABCD>] TJ".to_vec());
        // pdf-writer: the same bytes as a literal string with octal escapes.
        let mut theirs = pdf_writer::Content::new();
        theirs.show_positioned().items().show(Str(&[0, 1]));
        assert_eq!(theirs.finish().into_vec(), br"[(\000\001)] TJ".to_vec());
    }
}
