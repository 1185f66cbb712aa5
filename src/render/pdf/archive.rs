//! PDF/A-2b (`--pdfa`): what an archival PDF holds besides the pages. The catalog gets an
//! XMP metadata stream (`pdfaid:part 2`, `pdfaid:conformance B`, and the title, dates and
//! producer of the Info dictionary, which it must repeat exactly) and an sRGB output intent
//! (`/S /GTS_PDFA1`) whose profile is `srgb-v2.icc`.
//!
//! The rest of PDF/A-2b the plain PDF already has: every font embedded as a CID font with
//! `/CIDToGIDMap /Identity`, `/W` widths from the embedded program's advances (truncated to
//! thousandths, so within the rule's 1/1000), a ToUnicode map, no `/CIDSet` (PDF/A-2 allows
//! leaving it out); the trailer `/ID`; a binary comment after the header; nothing after
//! `%%EOF` but one end of line; no encryption, JavaScript, transfer functions or LZW. The
//! signature widgets of `--signing-fields` carry the Print flag and an `/AP` with only `/N`.
//! `tests/it/issue12_pdfa.rs` lists the rules checked.
//!
//! `srgb-v2.icc` (528 bytes) was made for vanthu and is dedicated to the public domain
//! (CC0 1.0): an ICC v2 display profile (`mntr`, RGB to XYZ) with the sRGB colorants of
//! IEC 61966-2-1 adapted to D50 (the values every sRGB ICC profile carries), a D50 white
//! point, and the sRGB tone curve sampled at 32 points (`curv`, shared by the three
//! channels). LittleCMS reads it, and converting sRGB to it leaves 8-bit colours unchanged.
//! The unit test below checks its structure and numbers.

use pdf_writer::{Filter, Name, Ref, Str, TextStr};

use crate::error::Result;
use crate::render::pdf::compress::deflate;
use crate::render::pdf::file::PdfFile;

/// The output intent's profile (see the module documentation for its provenance).
const SRGB_PROFILE: &[u8] = include_bytes!("srgb-v2.icc");

/// What the Info dictionary says, which the XMP metadata must repeat.
pub(super) struct Info<'a> {
    pub title: &'a str,
    pub producer: &'a str,
    /// Seconds since the Unix epoch (`SOURCE_DATE_EPOCH`): creation and modification.
    pub epoch: i64,
}

/// The objects the catalog of a PDF/A file points to.
pub(super) struct Archival {
    pub metadata: Ref,
    pub profile: Ref,
}

/// Writes the XMP metadata stream (uncompressed, so a reader finds it without inflating)
/// and the ICC profile stream.
pub(super) fn write(file: &mut PdfFile<'_>, info: &Info<'_>) -> Result<Archival> {
    let (metadata, profile) = (file.alloc(), file.alloc());
    let xmp = xmp(info);
    file.object(|c| {
        c.metadata(metadata, xmp.as_bytes());
    })?;
    let packed = deflate(SRGB_PROFILE)?;
    file.object(|c| {
        c.icc_profile(profile, &packed)
            .n(3)
            .filter(Filter::FlateDecode);
    })?;
    Ok(Archival { metadata, profile })
}

impl Archival {
    /// The catalog's `/Metadata` and `/OutputIntents` entries.
    pub(super) fn catalog_entries(&self, catalog: &mut pdf_writer::Dict<'_>) {
        catalog.pair(Name(b"Metadata"), self.metadata);
        let mut intents = catalog.insert(Name(b"OutputIntents")).array();
        let mut intent = intents.push().dict();
        intent
            .pair(Name(b"Type"), Name(b"OutputIntent"))
            .pair(Name(b"S"), Name(b"GTS_PDFA1"))
            .pair(
                Name(b"OutputConditionIdentifier"),
                Str(b"sRGB IEC61966-2.1"),
            )
            .pair(Name(b"Info"), TextStr("sRGB IEC61966-2.1"))
            .pair(Name(b"DestOutputProfile"), self.profile);
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the XMP form of the Info dictionary's `D:YYYYMMDDHHmmSSZ`.
fn xmp_date(epoch: i64) -> String {
    let t = crate::calendar::Utc::from_epoch(epoch);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// The text escaped for XML character data.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 allows no other control characters; the title is one line.
            c if c.is_control() && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet: PDF/A identification, Dublin Core title and format, the XMP dates and
/// the PDF producer.
fn xmp(info: &Info<'_>) -> String {
    let date = xmp_date(info.epoch);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
<pdfaid:part>2</pdfaid:part>\n\
<pdfaid:conformance>B</pdfaid:conformance>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
<dc:format>application/pdf</dc:format>\n\
<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n\
<xmp:CreateDate>{date}</xmp:CreateDate>\n\
<xmp:ModifyDate>{date}</xmp:ModifyDate>\n\
<xmp:MetadataDate>{date}</xmp:MetadataDate>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
<pdf:Producer>{producer}</pdf:Producer>\n\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"w\"?>",
        title = escape(info.title),
        producer = escape(info.producer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    fn s15_at(b: &[u8], at: usize) -> f64 {
        f64::from(u32_at(b, at) as i32) / 65536.0
    }

    /// The tag's data, by signature.
    fn tag<'a>(b: &'a [u8], sig: &[u8; 4]) -> &'a [u8] {
        let n = u32_at(b, 128) as usize;
        (0..n)
            .map(|i| 132 + 12 * i)
            .find(|&at| &b[at..at + 4] == sig)
            .map(|at| {
                let (off, len) = (u32_at(b, at + 4) as usize, u32_at(b, at + 8) as usize);
                assert_eq!(off % 4, 0, "tags start on 4-byte boundaries");
                &b[off..off + len]
            })
            .unwrap_or_else(|| panic!("no {sig:?} tag"))
    }

    #[test]
    fn the_srgb_profile_is_a_v2_rgb_display_profile_with_the_srgb_numbers() {
        let b = SRGB_PROFILE;
        assert_eq!(u32_at(b, 0) as usize, b.len());
        assert_eq!(u32_at(b, 8), 0x0210_0000, "ICC v2.1");
        assert_eq!(&b[12..24], b"mntrRGB XYZ ");
        assert_eq!(&b[36..40], b"acsp");
        let close = |got: f64, want: f64| (got - want).abs() < 1.0 / 65536.0;
        for (sig, want) in [
            (b"rXYZ", [0.4360747, 0.2225045, 0.0139322]),
            (b"gXYZ", [0.3850649, 0.7168786, 0.0971045]),
            (b"bXYZ", [0.1430804, 0.0606169, 0.7141733]),
            (b"wtpt", [0.9642, 1.0, 0.8249]),
        ] {
            let t = tag(b, sig);
            assert_eq!(&t[..4], b"XYZ ");
            for (i, w) in want.into_iter().enumerate() {
                assert!(close(s15_at(t, 8 + 4 * i), w), "{sig:?}[{i}]");
            }
        }
        let curve = tag(b, b"rTRC");
        assert_eq!(curve, tag(b, b"gTRC"));
        assert_eq!(curve, tag(b, b"bTRC"));
        assert_eq!(&curve[..4], b"curv");
        let n = u32_at(curve, 8) as usize;
        assert_eq!(n, 32);
        for i in 0..n {
            let v = i as f64 / (n - 1) as f64;
            let linear = if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            };
            let got = u16::from_be_bytes([curve[12 + 2 * i], curve[13 + 2 * i]]);
            assert_eq!(
                i64::from(got),
                (linear * 65535.0).round() as i64,
                "curve[{i}]"
            );
        }
        assert!(tag(b, b"desc").starts_with(b"desc"));
        assert!(tag(b, b"cprt").starts_with(b"text"));
    }

    #[test]
    fn the_xmp_repeats_the_info_and_escapes_the_title() {
        let x = xmp(&Info {
            title: "Thông báo <số> & \"kết luận\"",
            producer: "vanthu 9",
            epoch: 86_400 + 3_661,
        });
        assert!(x.contains(">Thông báo &lt;số&gt; &amp; &quot;kết luận&quot;</rdf:li>"));
        assert!(x.contains("<xmp:CreateDate>1970-01-02T01:01:01Z</xmp:CreateDate>"));
        assert!(x.contains("<pdf:Producer>vanthu 9</pdf:Producer>"));
        assert!(x.starts_with("<?xpacket begin=\"\u{feff}\""));
        assert!(x.ends_with("<?xpacket end=\"w\"?>"));
    }
}
