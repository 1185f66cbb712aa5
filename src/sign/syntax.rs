//! One PDF object read from its bytes into [`super::object`]'s types: a dictionary as
//! hayro-syntax hands it over (`Dict::data`, decompressed from its object stream when it
//! lives in one), or a trailer. hayro-syntax finds the objects (cross-reference tables and
//! streams, object streams, `/Prev` chains); this reader exists because hayro-syntax gives a
//! dictionary's keys sorted and its reals as f64, and a rewritten object must keep its
//! entries' order and its reals' digits as the file wrote them.

use super::object::{Dictionary, Object};

/// How deep arrays and dictionaries may nest.
const MAX_DEPTH: u32 = 64;

/// The object at the start of `bytes` (after white space and comments).
pub fn parse(bytes: &[u8]) -> Option<Object> {
    Reader { bytes, at: 0 }.object(0)
}

/// The dictionary at the start of `bytes`.
pub fn parse_dictionary(bytes: &[u8]) -> Option<Dictionary> {
    match parse(bytes)? {
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_regular(b: u8) -> bool {
    !is_white(b) && !b"()<>[]{}/%".contains(&b)
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes[self.at.min(self.bytes.len())..].starts_with(s)
    }

    fn skip_blank(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.at += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters (a number, a keyword, a name's body).
    fn token(&mut self) -> &[u8] {
        let from = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        &self.bytes[from..self.at]
    }

    fn object(&mut self, depth: u32) -> Option<Object> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_blank();
        match self.peek()? {
            b'<' if self.starts_with(b"<<") => self.dictionary(depth).map(Object::Dictionary),
            b'<' => self.hex_string().map(Object::String),
            b'(' => self.literal_string().map(Object::String),
            b'[' => self.array(depth),
            b'/' => {
                self.at += 1;
                Some(Object::Name(decode_name(self.token())?))
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number_or_reference(),
            _ => match self.token() {
                b"true" => Some(Object::Boolean(true)),
                b"false" => Some(Object::Boolean(false)),
                b"null" => Some(Object::Null),
                _ => None,
            },
        }
    }

    fn dictionary(&mut self, depth: u32) -> Option<Dictionary> {
        self.at += 2;
        let mut dict = Dictionary::new();
        loop {
            self.skip_blank();
            if self.starts_with(b">>") {
                self.at += 2;
                return Some(dict);
            }
            let Object::Name(key) = self.object(depth + 1)? else {
                return None;
            };
            let value = self.object(depth + 1)?;
            dict.set(key, value);
        }
    }

    fn array(&mut self, depth: u32) -> Option<Object> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            if self.peek()? == b']' {
                self.at += 1;
                return Some(Object::Array(items));
            }
            items.push(self.object(depth + 1)?);
        }
    }

    /// An integer, a real (kept as written) or a reference `n g R`.
    fn number_or_reference(&mut self) -> Option<Object> {
        let token = self.token().to_vec();
        let text = std::str::from_utf8(&token).ok()?;
        if token.contains(&b'.') {
            text.parse::<f64>().ok()?;
            return Some(Object::Written(token));
        }
        let number: i64 = text.parse().ok()?;
        let back = self.at;
        self.skip_blank();
        let generation = std::str::from_utf8(self.token())
            .ok()
            .map(str::parse::<u16>);
        self.skip_blank();
        if let (Some(Ok(generation)), true) = (generation, self.token() == b"R") {
            if let Ok(id) = u32::try_from(number) {
                return Some(Object::Reference((id, generation)));
            }
        }
        self.at = back;
        Some(Object::Integer(number))
    }

    fn hex_string(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let mut digits = Vec::new();
        loop {
            match self.next()? {
                b'>' => break,
                b if is_white(b) => {}
                b => digits.push(char::from(b).to_digit(16)? as u8),
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(0);
        }
        Some(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
    }

    fn literal_string(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let (mut out, mut depth) = (Vec::new(), 1u32);
        loop {
            match self.next()? {
                b'\\' => self.escape(&mut out)?,
                b'(' => {
                    depth += 1;
                    out.push(b'(');
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(out);
                    }
                    out.push(b')');
                }
                // An end of line in a string is read as a line feed, whichever it was.
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.at += 1;
                    }
                    out.push(b'\n');
                }
                b => out.push(b),
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let e = self.next()?;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            // A backslash at the end of a line continues the string on the next.
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.at += 1;
                }
            }
            b'\n' => {}
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            other => out.push(other),
        }
        Some(())
    }
}

/// A name's body with its `#xx` escapes decoded.
fn decode_name(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'#' {
            let hex = std::str::from_utf8(body.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_dictionary};
    use crate::sign::object::Object;

    #[test]
    fn issue11_reads_a_dictionary_in_order_with_its_reals_as_written() {
        let d = parse_dictionary(
            b"<< /Type /Annot %c\n/Rect [0 0 595.2755905511812 .5] /T (a\\(b\\)\\101\\\nc)\
              /TU <FEFF0041 4> /P 12 0 R /F 4 /N#20x true /V null /AP <</N 3 0 R>> >>",
        )
        .unwrap();
        let keys: Vec<&[u8]> = d.iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                &b"Type"[..],
                b"Rect",
                b"T",
                b"TU",
                b"P",
                b"F",
                b"N x",
                b"V",
                b"AP"
            ]
        );
        let rect = d.get(b"Rect").unwrap().as_array().unwrap();
        assert_eq!(rect[2], Object::Written(b"595.2755905511812".to_vec()));
        assert_eq!(rect[3].as_f32(), Some(0.5));
        assert_eq!(d.get(b"T"), Some(&Object::String(b"a(b)Ac".to_vec())));
        assert_eq!(
            d.get(b"TU"),
            Some(&Object::String(vec![0xFE, 0xFF, 0, 0x41, 0x40]))
        );
        assert_eq!(d.get(b"P").unwrap().as_reference(), Some((12, 0)));
        assert_eq!(d.get(b"F").unwrap().as_i64(), Some(4));
        assert_eq!(d.get(b"N x"), Some(&Object::Boolean(true)));
        let ap = d.get(b"AP").unwrap().as_dict().unwrap();
        assert_eq!(ap.get(b"N").unwrap().as_reference(), Some((3, 0)));
    }

    #[test]
    fn issue11_broken_syntax_is_none_not_a_panic() {
        for bytes in [
            &b"<< /A (open"[..],
            b"<< /A [1 2",
            b"<< 1 2 >>",
            b"<</A <zz>>>",
            b"/A#4",
            b"",
            b"-",
        ] {
            assert_eq!(parse(bytes), None, "{bytes:?}");
        }
        let deep = "[".repeat(200);
        assert_eq!(parse(deep.as_bytes()), None);
        assert_eq!(parse(b"[1 0 R 2]").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(parse(b"[1 2]").unwrap().as_array().unwrap().len(), 2);
    }
}
