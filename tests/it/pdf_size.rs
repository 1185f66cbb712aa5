//! The PDF stays small (issue 4): the reference notice is at most 60 KB, and every embedded
//! font program is a subset, never the whole TrueType file (printpdf, which the renderer
//! used to write through, fell back to that silently when subsetting failed).

use crate::common;

use common::*;
use skrifa::raw::types::Tag;
use skrifa::raw::{FontRef, TableProvider};

/// The embedded font programs (`FontFile2`, decompressed) of a PDF, by font name.
fn font_programs(pdf: &[u8]) -> Vec<(String, Vec<u8>)> {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf loads the PDF");
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        let name = d
            .get(b"FontName")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let stream = d
            .get(b"FontFile2")
            .and_then(|o| o.as_reference())
            .and_then(|id| doc.get_object(id))
            .and_then(|o| o.as_stream())
            .unwrap_or_else(|_| panic!("{name}: no embedded FontFile2"));
        let data = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        out.push((name, data));
    }
    out.sort();
    out
}

fn full_font_sizes() -> Vec<usize> {
    ["Regular", "Bold", "Italic", "BoldItalic"]
        .iter()
        .map(|f| {
            std::fs::metadata(root().join(format!("fonts/LiberationSerif-{f}.ttf")))
                .expect("font file")
                .len() as usize
        })
        .collect()
}

#[test]
fn issue4_reference_notice_pdf_is_at_most_60_kb() {
    let out = tempfile::tempdir().expect("tempdir");
    render_ok(&reference_record(), out.path());
    for (name, limit) in [
        ("thong-bao-ket-luan.pdf", 60 * 1024),
        ("tin-bai.pdf", 60 * 1024),
    ] {
        let len = std::fs::metadata(out.path().join("thuan-2022-11-10").join(name))
            .expect("pdf")
            .len();
        assert!(len <= limit, "{name} is {len} bytes, over {limit}");
    }
}

#[test]
fn issue4_every_embedded_font_is_a_small_tagged_subset_not_the_whole_ttf() {
    let out = tempfile::tempdir().expect("tempdir");
    render_ok(&reference_record(), out.path());
    let smallest_full = full_font_sizes().into_iter().min().unwrap_or(0);
    assert!(smallest_full > 300_000, "the full faces are ~370 KB");
    for doc in ["thong-bao-ket-luan.pdf", "tin-bai.pdf"] {
        let pdf = std::fs::read(out.path().join("thuan-2022-11-10").join(doc)).expect("pdf");
        let fonts = font_programs(&pdf);
        assert!(!fonts.is_empty(), "{doc}: no embedded fonts");
        for (name, program) in &fonts {
            // A subset of the few hundred glyphs a notice uses is well under a tenth of the
            // face; the whole face (the fallback) is over 300 KB.
            assert!(
                program.len() * 10 < smallest_full,
                "{doc}: {name} embeds {} bytes: not subset",
                program.len()
            );
            let face = FontRef::new(program)
                .unwrap_or_else(|e| panic!("{doc}: {name}: not a TrueType program: {e}"));
            let glyphs = face.maxp().map(|m| m.num_glyphs()).unwrap_or(u16::MAX);
            assert!(glyphs < 400, "{doc}: {name}: {glyphs} glyphs");
            // Hinting is dropped (viewers draw unhinted): no programs, no control values.
            for tag in [b"fpgm", b"prep", b"cvt "] {
                assert!(
                    face.table_data(Tag::new(tag)).is_none(),
                    "{doc}: {name} still has {}",
                    String::from_utf8_lossy(tag)
                );
            }
            let (tag, base) = name
                .split_once('+')
                .unwrap_or_else(|| panic!("{name}: no tag"));
            assert!(
                tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
                "{name}"
            );
            assert!(base.starts_with("LiberationSerif"), "{name}");
        }
        // Only faces the document uses are embedded: at most the four.
        assert!(
            fonts.len() <= 4,
            "{doc}: {fonts:?}",
            fonts = fonts.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    }
}
