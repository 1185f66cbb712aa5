//! A PDF with its signature's place reserved: `/ByteRange` covering everything but the
//! `/Contents` hex string, which is zeros until the CMS signature is known. Between the two
//! steps of a signature made elsewhere, this file is the state: [`Prepared::parse`] finds the
//! reserved place again.

use sha2::{Digest, Sha256};

use crate::error::SignError;

/// What the signature dictionary holds before the byte range is known.
pub const BYTE_RANGE_PLACEHOLDER: &str = "[0 0000000000 0000000000 0000000000]";

/// A PDF whose last signature dictionary has its `/Contents` still zeros.
pub struct Prepared {
    pub bytes: Vec<u8>,
    /// Offset of the `<` opening the `/Contents` string and one past its `>`.
    contents: (usize, usize),
}

fn broken(what: &str) -> SignError {
    SignError::Unreadable(format!(
        "no signature place prepared by vanthu ({what}); run `vanthu sign --prepare` again"
    ))
}

impl Prepared {
    /// Fixes the byte range of the signature dictionary written with
    /// [`BYTE_RANGE_PLACEHOLDER`] after offset `from`.
    pub fn from_placeholder(mut bytes: Vec<u8>, from: usize) -> Result<Prepared, SignError> {
        let holder = BYTE_RANGE_PLACEHOLDER.as_bytes();
        let at = find(&bytes[from..], holder)
            .map(|i| i + from)
            .ok_or_else(|| broken("no byte range"))?;
        let lt = find(&bytes[at..], b"/Contents <")
            .map(|i| i + at + b"/Contents ".len())
            .ok_or_else(|| broken("no /Contents"))?;
        let gt = find(&bytes[lt..], b">")
            .map(|i| i + lt + 1)
            .ok_or_else(|| broken("an open /Contents"))?;
        let range = format!("[0 {lt} {gt} {}", bytes.len() - gt);
        let mut text = range.into_bytes();
        text.resize(holder.len() - 1, b' ');
        text.push(b']');
        bytes[at..at + holder.len()].copy_from_slice(&text);
        Ok(Prepared {
            bytes,
            contents: (lt, gt),
        })
    }

    /// Finds the reserved place of a prepared file (the last `/ByteRange`).
    pub fn parse(bytes: Vec<u8>) -> Result<Prepared, SignError> {
        let at = bytes
            .windows(12)
            .rposition(|w| w == b"/ByteRange [")
            .ok_or_else(|| broken("no /ByteRange"))?;
        let end = find(&bytes[at..], b"]").ok_or_else(|| broken("an open /ByteRange"))? + at;
        let nums: Vec<usize> = String::from_utf8_lossy(&bytes[at + 12..end])
            .split_ascii_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let [0, lt, gt, rest] = nums[..] else {
            return Err(broken("a byte range that is not four numbers"));
        };
        let whole = gt.checked_add(rest) == Some(bytes.len());
        let hole = whole
            && lt + 2 <= gt
            && bytes.get(lt) == Some(&b'<')
            && bytes.get(gt - 1) == Some(&b'>')
            && bytes[lt + 1..gt - 1].iter().all(|&b| b == b'0');
        if !hole {
            return Err(broken("the file was changed or is already signed"));
        }
        Ok(Prepared {
            bytes,
            contents: (lt, gt),
        })
    }

    /// The SHA-256 of the signed bytes (all but the `/Contents` string).
    pub fn digest(&self) -> Vec<u8> {
        let (lt, gt) = self.contents;
        let mut h = Sha256::new();
        h.update(&self.bytes[..lt]);
        h.update(&self.bytes[gt..]);
        h.finalize().to_vec()
    }

    /// The signed file: the CMS signature `cms` written into `/Contents`.
    pub fn fill(mut self, cms: &[u8]) -> Result<Vec<u8>, SignError> {
        let (lt, gt) = self.contents;
        let room = (gt - lt - 2) / 2;
        if cms.len() > room {
            return Err(SignError::Crypto(format!(
                "the signature ({} bytes) is larger than its reserved place ({room} bytes)",
                cms.len()
            )));
        }
        for (i, b) in cms.iter().enumerate() {
            let hex = format!("{b:02X}");
            self.bytes[lt + 1 + 2 * i..lt + 3 + 2 * i].copy_from_slice(hex.as_bytes());
        }
        Ok(self.bytes)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::Prepared;

    #[test]
    fn issue12_a_file_that_is_not_a_prepared_one_is_refused_without_panicking() {
        for bytes in [
            &b"%PDF-1.7 /ByteRange [0 0 0 0]"[..],
            b"/ByteRange [0 5 4 3]",
            b"/ByteRange [0 1 99999999999999999999 1]",
            b"/ByteRange [0 12 13 10] <>",
            b"x",
        ] {
            assert!(Prepared::parse(bytes.to_vec()).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn issue12_the_byte_range_leaves_out_exactly_the_contents_string() {
        let pdf = format!(
            "%PDF\n1 0 obj\n<</ByteRange {} /Contents <0000>>>\nendobj\ntrailer\n",
            super::BYTE_RANGE_PLACEHOLDER
        );
        let p = Prepared::from_placeholder(pdf.into_bytes(), 0).unwrap();
        let text = String::from_utf8(p.bytes.clone()).unwrap();
        let lt = text.find("<0000>").unwrap();
        assert!(
            text.contains(&format!("/ByteRange [0 {lt} {} ", lt + 6)),
            "{text}"
        );
        let filled = p.fill(&[0xAB]).unwrap();
        assert!(String::from_utf8(filled).unwrap().contains("<AB00>"));
    }
}
