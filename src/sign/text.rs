//! The text of an attachment's or electronic copy's signature (the `electronic` field): the
//! field's `/TU` lines and the signing time at +07:00, right-aligned.

use lopdf::ObjectId;

use super::time::Moment;
use super::update::Update;
use crate::error::SignError;

/// The text form XObject of `size` for an electronic signature.
pub fn electronic_form(
    _update: &mut Update,
    _lines: &[String],
    _time: Moment,
    _size: (f32, f32),
) -> Result<ObjectId, SignError> {
    Err(SignError::Placement(
        "text signatures are not made yet".into(),
    ))
}

/// A PDF text string (UTF-16BE with its BOM, or PDFDocEncoding read as Latin-1).
pub fn decode_pdf_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| b as char).collect()
}
