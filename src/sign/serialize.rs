//! [`super::object`]'s objects as PDF syntax, for the objects an incremental update rewrites
//! (a field, the AcroForm, a page, the catalog) and the new ones it adds. Strings are written
//! in hex (lossless whatever their bytes), names with `#xx` escapes, reals read from a file as
//! they were written there, new reals as the shortest decimal of their f32 (content streams:
//! at most four decimals, [`real`]).

use super::object::{Dictionary, Object};

/// The PDF syntax of `object` (a stream with its dictionary, `/Length` set to its content).
pub fn object(object: &Object) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, object);
    out
}

fn write(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        // The shortest decimal that reads back as the same f32 (what pdf-writer writes, and
        // the digits of any value written with up to seven significant ones): an object
        // rewritten keeps its numbers, which pyHanko's modification check compares.
        Object::Real(r) if r.is_finite() => out.extend_from_slice(format!("{r}").as_bytes()),
        Object::Real(_) => out.push(b'0'),
        Object::Written(text) => out.extend_from_slice(text),
        Object::Name(n) => name(out, n),
        Object::String(s) => {
            out.push(b'<');
            for b in s {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => dictionary(out, d),
        Object::Stream(s) => {
            let mut dict = s.dict.clone();
            dict.set("Length", (s.content.len() as i64).into());
            dictionary(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes())
        }
    }
}

fn dictionary(out: &mut Vec<u8>, d: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in d.iter() {
        name(out, key);
        out.push(b' ');
        write(out, value);
    }
    out.extend_from_slice(b">>");
}

/// `/Name`, with the bytes a name cannot hold as they are written `#xx`.
fn name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        let delimiter = b"()<>[]{}/%#".contains(&b);
        if (0x21..=0x7e).contains(&b) && !delimiter {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

/// A real with at most four decimals and no trailing zeros (`12.5`, `0`, `-3.25`).
pub fn real(r: f32) -> String {
    if !r.is_finite() {
        return "0".into();
    }
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::sign::object::{Dictionary, Object};

    #[test]
    fn issue12_writes_names_strings_and_reals_as_pdf_syntax() {
        let mut d = Dictionary::new();
        d.set("T", Object::string("person-1"));
        d.set("N", Object::Name(b"A B#".to_vec()));
        d.set(
            "R",
            Object::Array(vec![
                1.5f32.into(),
                595.27563f32.into(),
                Object::Reference((3, 0)),
                Object::Written(b"841.8897637795276".to_vec()),
            ]),
        );
        let got = String::from_utf8(super::object(&Object::Dictionary(d))).unwrap();
        assert_eq!(
            got,
            "<</T <706572736F6E2D31>/N /A#20B#23/R [1.5 595.27563 3 0 R 841.8897637795276]>>"
        );
        assert_eq!(super::real(-0.00001), "0");
        assert_eq!(super::real(72.0), "72");
    }
}
