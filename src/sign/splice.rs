//! A page dictionary with one more annotation, made from the page's own bytes: every other
//! value stays as written, spacing and all (pyHanko's modification check compares a page's
//! values as written). A page whose `/Annots` is a reference is left to the caller.

use super::object::ObjectId;

/// The page dictionary `page` (its bytes from `<<` to `>>`, as the file writes them) with
/// `field` added to its `/Annots`.
pub fn page_with_annot(page: &[u8], field: ObjectId) -> Option<Vec<u8>> {
    if !page.starts_with(b"<<") {
        return None;
    }
    let (close, annots) = scan_dict(page, 0)?;
    let reference = format!(" {} {} R", field.0, field.1);
    let mut out = Vec::with_capacity(close + 2 + 32);
    match annots {
        None => {
            out.extend_from_slice(b"<</Annots [");
            out.extend_from_slice(reference.trim_start().as_bytes());
            out.push(b']');
            out.extend_from_slice(&page[2..close + 2]);
        }
        Some(Annots::Array(end)) => {
            out.extend_from_slice(&page[..end]);
            out.extend_from_slice(reference.as_bytes());
            out.extend_from_slice(&page[end..close + 2]);
        }
        Some(Annots::Other) => return None,
    }
    Some(out)
}

/// What the page's `/Annots` holds: an array (the offset of its `]`) or something else.
enum Annots {
    Array(usize),
    Other,
}

/// From the `<<` at `open`: the offset of the matching `>>` and the top-level `/Annots`.
fn scan_dict(pdf: &[u8], open: usize) -> Option<(usize, Option<Annots>)> {
    let (mut i, mut depth, mut annots) = (open, 0usize, None);
    // Nesting of arrays inside the dictionary, and the depth of an `/Annots` array.
    let (mut arrays, mut annots_array): (usize, Option<usize>) = (0, None);
    while i < pdf.len() {
        match pdf[i] {
            b'(' => i = skip_string(pdf, i)?,
            b'%' => i = i + pdf[i..].iter().position(|&b| b == b'\n' || b == b'\r')?,
            b'<' if pdf.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => i += pdf[i..].iter().position(|&b| b == b'>')?,
            b'>' if pdf.get(i + 1) == Some(&b'>') => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, annots));
                }
                i += 1;
            }
            b'[' => arrays += 1,
            b']' => {
                if annots_array == Some(arrays) {
                    annots = Some(Annots::Array(i));
                    annots_array = None;
                }
                arrays = arrays.checked_sub(1)?;
            }
            b'/' if depth == 1 && arrays == 0 && is_key(pdf, i, b"/Annots") => {
                let value = i + 7 + pdf[i + 7..].iter().position(|b| !b.is_ascii_whitespace())?;
                if pdf[value] == b'[' {
                    annots_array = Some(arrays + 1);
                } else {
                    annots = Some(Annots::Other);
                }
                i += 6;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Is the name at `i` exactly `key` (not a longer name starting with it)?
fn is_key(pdf: &[u8], i: usize, key: &[u8]) -> bool {
    pdf[i..].starts_with(key)
        && pdf
            .get(i + key.len())
            .is_none_or(|b| b.is_ascii_whitespace() || b"/[<(".contains(b))
}

/// The offset of the `)` closing the literal string opened at `i`.
fn skip_string(pdf: &[u8], i: usize) -> Option<usize> {
    let (mut j, mut depth) = (i + 1, 1usize);
    while j < pdf.len() {
        match pdf[j] {
            b'\\' => j += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{scan_dict, Annots};

    #[test]
    fn issue12_finds_the_page_dictionary_end_and_its_annots_array() {
        let page = b"<</Type /Page /MediaBox [0 0 595.2755905511812 841.89] /T (a>>(b)) \
                     /Annots [3 0 R] /Res <</F <</A 1>>>>>>";
        let (close, annots) = scan_dict(page, 0).unwrap();
        assert_eq!(close, page.len() - 2);
        let Some(Annots::Array(end)) = annots else {
            panic!("no /Annots array")
        };
        assert_eq!(&page[end - 5..=end], b"3 0 R]");
        let (_, none) = scan_dict(b"<</Type /Page /AnnotsX 1>>", 0).unwrap();
        assert!(none.is_none());
    }
}
