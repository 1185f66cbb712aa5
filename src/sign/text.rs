//! The text of an attachment's or electronic copy's signature (the `electronic` field): the
//! field's `/TU` lines and the signing time in ISO 8601 at +07:00, Liberation Serif 10 pt
//! (the built-in face, subset with subsetter and embedded as a CID font), black,
//! right-aligned, from the top of the field; smaller when the lines do not fit its height.

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::appearance::form;
use super::object::{Dictionary, Object, ObjectId, Stream};
use super::serialize::real;
use super::time::Moment;
use super::update::Update;
use crate::doc::model::ElectronicMark;
use crate::error::SignError;
use crate::fonts::{Face, FontBook, FontFace};

// The numbers the rendered field was sized with.
const SIZE_PT: f32 = ElectronicMark::SIZE_PT;
const LEADING: f32 = ElectronicMark::LEADING;
const PAD_PT: f32 = ElectronicMark::PAD_PT;

/// The text form XObject of `size` for an electronic signature: `lines`, then `time`.
pub fn electronic_form(
    update: &mut Update,
    lines: &[String],
    time: Moment,
    size: (f32, f32),
) -> Result<ObjectId, SignError> {
    let book = FontBook::builtin();
    let font = book.face(Face::Regular);
    let mut all: Vec<String> = lines.to_vec();
    all.push(time.iso_vietnam());
    let mut remapper = GlyphRemapper::new();
    let mut used: Vec<(u16, Option<char>)> = vec![(0, None)];
    let em = f32::from(font.units_per_em());
    let (ascent, descent) = (
        f32::from(font.descriptor.ascender) / em,
        -f32::from(font.descriptor.descender) / em,
    );
    let font_pt = font_size(all.len(), ascent + descent, size.1);
    let mut content = String::from("BT 0 g\n");
    for (i, line) in all.iter().enumerate() {
        let mut hex = String::new();
        let mut width_milli = 0i64;
        for c in line.chars() {
            let gid = font.pen().glyph(c);
            width_milli += font.pen().advance_milli(gid);
            let new = remapper.remap(gid);
            let at = usize::from(new);
            if used.len() <= at {
                used.resize(at + 1, (0, None));
            }
            used[at] = (gid, Some(c));
            hex.push_str(&format!("{new:04X}"));
        }
        let width = width_milli as f32 / 1000.0 * font_pt;
        let x = size.0 - PAD_PT - width;
        let y = size.1 - PAD_PT - ascent * font_pt - LEADING * font_pt * i as f32;
        content.push_str(&format!(
            "/F0 {} Tf 1 0 0 1 {} {} Tm <{hex}> Tj\n",
            real(font_pt),
            real(x),
            real(y)
        ));
    }
    content.push_str("ET");
    let font_ref = embed(update, font, &remapper, &used)?;
    let mut fonts = Dictionary::new();
    fonts.set("F0", Object::Reference(font_ref));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    Ok(update.add(&form(size, resources, content.into_bytes())))
}

/// 10 pt, or smaller when `lines` lines at 10 pt (one `extent` of ascent plus descent, then
/// 1.2 sizes a line) do not fit in `height` (the rendered field fits them at 10 pt:
/// `doc::model::ElectronicMark::text_height`; one made by `--rect` may not).
fn font_size(lines: usize, extent: f32, height: f32) -> f32 {
    let in_sizes = extent + LEADING * lines.saturating_sub(1) as f32;
    SIZE_PT.min((height - 2.0 * PAD_PT) / in_sizes).max(1.0)
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, SignError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(data)
        .and_then(|_| z.finish())
        .map_err(|e| SignError::Placement(format!("compressing the font: {e}")))
}

/// The subset of `font` with the glyphs `used` (by number in the subset) as a Type0 font.
fn embed(
    update: &mut Update,
    font: &FontFace,
    remapper: &GlyphRemapper,
    used: &[(u16, Option<char>)],
) -> Result<ObjectId, SignError> {
    let program = subsetter::subset(&font.data, 0, remapper)
        .map_err(|e| SignError::Placement(format!("subsetting the font: {e}")))?;
    let tag: String = Sha256::digest(&program)
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let base = format!("{tag}+{}", font.postscript_name);
    let mut file = Dictionary::new();
    file.set("Length1", Object::Integer(program.len() as i64));
    file.set("Filter", Object::name("FlateDecode"));
    let file = update.add(&Object::Stream(Stream::new(file, deflate(&program)?)));
    let descriptor = update.add(&Object::Dictionary(descriptor(font, &base, file)));
    let widths: Vec<Object> = used
        .iter()
        .map(|&(gid, _)| Object::Integer(font.pen().advance_milli(gid)))
        .collect();
    let mut cid = Dictionary::new();
    cid.set("Type", Object::name("Font"));
    cid.set("Subtype", Object::name("CIDFontType2"));
    cid.set("BaseFont", Object::name(&base));
    let mut info = Dictionary::new();
    info.set("Registry", Object::string("Adobe"));
    info.set("Ordering", Object::string("Identity"));
    info.set("Supplement", Object::Integer(0));
    cid.set("CIDSystemInfo", Object::Dictionary(info));
    cid.set("FontDescriptor", Object::Reference(descriptor));
    cid.set("DW", Object::Integer(0));
    cid.set("W", Object::Array(vec![0.into(), Object::Array(widths)]));
    cid.set("CIDToGIDMap", Object::name("Identity"));
    let cid = update.add(&Object::Dictionary(cid));
    let mut packed = Dictionary::new();
    packed.set("Filter", Object::name("FlateDecode"));
    let cmap = update.add(&Object::Stream(Stream::new(
        packed,
        deflate(&crate::render::pdf::unicode_cmap(used))?,
    )));
    let mut type0 = Dictionary::new();
    type0.set("Type", Object::name("Font"));
    type0.set("Subtype", Object::name("Type0"));
    type0.set("BaseFont", Object::name(&base));
    type0.set("Encoding", Object::name("Identity-H"));
    type0.set(
        "DescendantFonts",
        Object::Array(vec![Object::Reference(cid)]),
    );
    type0.set("ToUnicode", Object::Reference(cmap));
    Ok(update.add(&Object::Dictionary(type0)))
}

fn descriptor(font: &FontFace, base: &str, file: ObjectId) -> Dictionary {
    let d = font.descriptor;
    let k = 1000.0 / f32::from(font.units_per_em());
    let s = |v: i16| Object::Real(f32::from(v) * k);
    let mut out = Dictionary::new();
    out.set("Type", Object::name("FontDescriptor"));
    out.set("FontName", Object::name(base));
    // Serif (2) and non-symbolic (32).
    out.set("Flags", Object::Integer(34));
    out.set(
        "FontBBox",
        Object::Array(d.bbox.iter().map(|&v| s(v)).collect()),
    );
    out.set("ItalicAngle", Object::Real(d.italic_angle));
    out.set("Ascent", s(d.ascender));
    out.set("Descent", s(d.descender));
    out.set("CapHeight", s(d.cap_height.unwrap_or(d.ascender)));
    out.set("StemV", Object::Integer(80));
    out.set("FontFile2", Object::Reference(file));
    out
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

#[cfg(test)]
mod tests {
    #[test]
    fn issue12_the_text_keeps_10_pt_when_it_fits_and_shrinks_when_not() {
        let field = 14.0 * 72.0 / 25.4;
        assert_eq!(super::font_size(2, 1.107, field), 10.0);
        let four = super::font_size(4, 1.107, field);
        assert!(
            four < 10.0 && 2.0 + four * (1.107 + 3.0 * 1.2) <= field + 0.01,
            "{four}"
        );
    }
}
