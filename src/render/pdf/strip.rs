//! Font programs as embedded: the subset (subsetter) keeps the TrueType hinting —
//! the `cvt `, `fpgm` and `prep` tables and each glyph's instructions, over half the glyph
//! data of Liberation Serif — the whole `name` table and the glyph names in `post`. PDF
//! viewers draw the outlines unhinted at any size, so the hinting is dropped; `name` keeps
//! only the Windows records of the copyright, names, trademark and licence (IDs 0–7, 13, 14);
//! `post` becomes version 3 (no names: a CID font is addressed by glyph number).
//!
//! Anything unexpected in the font (a table out of bounds, an unknown glyph layout) returns
//! `None` and the caller embeds the program unchanged.

use std::collections::BTreeMap;

/// Tables kept; everything else (hinting, layout, device metrics) is dropped.
const KEEP: [&[u8; 4]; 10] = [
    b"OS/2", b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"post",
];
const NAME_IDS: [u16; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14];

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The font without hinting, or `None` to keep it as it is.
pub(super) fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables: BTreeMap<[u8; 4], &[u8]> = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        tables.insert(tag, font.get(offset..offset.checked_add(len)?)?);
    }
    let head = *tables.get(b"head")?;
    let maxp = *tables.get(b"maxp")?;
    let long_loca = u16_at(head, 50)? != 0;
    let glyphs = usize::from(u16_at(maxp, 4)?);
    let (glyf, loca) = strip_glyphs(
        tables.get(b"glyf")?,
        tables.get(b"loca")?,
        glyphs,
        long_loca,
    )?;
    let (loca, long_loca) = loca;

    let mut out: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for (tag, data) in &tables {
        if KEEP.contains(&tag) {
            out.insert(*tag, data.to_vec());
        }
    }
    out.insert(*b"glyf", glyf);
    out.insert(*b"loca", loca);
    let head = out.get_mut(b"head")?;
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    head.get_mut(50..52)?
        .copy_from_slice(&u16::from(long_loca).to_be_bytes());
    let maxp = out.get_mut(b"maxp")?;
    if maxp.len() >= 32 {
        // maxZones 1; no twilight points, storage, functions, instructions or stack.
        maxp[14..16].copy_from_slice(&1u16.to_be_bytes());
        maxp[16..28].fill(0);
    }
    if let Some(name) = out.get(b"name").and_then(|n| slim_name(n)) {
        out.insert(*b"name", name);
    }
    if let Some(post) = out.get_mut(b"post") {
        // Version 3: the same header without glyph names (a CID font is addressed by number).
        if post.len() >= 32 {
            post.truncate(32);
            post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        }
    }
    Some(assemble(u32_at(font, 0)?, &out))
}

type Loca = (Vec<u8>, bool);

/// `glyf` without instructions, and its new `loca` (short when it fits).
fn strip_glyphs(glyf: &[u8], loca: &[u8], glyphs: usize, long: bool) -> Option<(Vec<u8>, Loca)> {
    let offset = |i: usize| -> Option<usize> {
        if long {
            u32_at(loca, 4 * i).map(|o| o as usize)
        } else {
            u16_at(loca, 2 * i).map(|o| 2 * usize::from(o))
        }
    };
    let mut out = Vec::with_capacity(glyf.len());
    let mut offsets = Vec::with_capacity(glyphs + 1);
    for i in 0..glyphs {
        offsets.push(out.len());
        let (start, end) = (offset(i)?, offset(i + 1)?);
        if end <= start {
            continue;
        }
        let g = glyf.get(start..end)?;
        let contours = u16_at(g, 0)? as i16;
        if contours >= 0 {
            let ends = 10 + 2 * contours as usize;
            let n = usize::from(u16_at(g, ends)?);
            let rest = g.get(ends + 2 + n..)?;
            out.extend_from_slice(g.get(..ends)?);
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(rest);
        } else {
            let at = out.len();
            let mut pos = 10;
            loop {
                let flags = u16_at(g, pos)?;
                pos += component_len(flags);
                if flags & 0x0020 == 0 {
                    break;
                }
            }
            out.extend_from_slice(g.get(..pos)?);
            // Clear WE_HAVE_INSTRUCTIONS in every component's flags.
            let mut p = at + 10;
            loop {
                let flags = u16_at(&out, p)? & !0x0100;
                out.get_mut(p..p + 2)?.copy_from_slice(&flags.to_be_bytes());
                p += component_len(flags);
                if flags & 0x0020 == 0 {
                    break;
                }
            }
        }
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    offsets.push(out.len());
    let short = out.len() / 2 <= usize::from(u16::MAX);
    let mut loca = Vec::with_capacity(offsets.len() * 4);
    for o in offsets {
        if short {
            loca.extend_from_slice(&((o / 2) as u16).to_be_bytes());
        } else {
            loca.extend_from_slice(&(o as u32).to_be_bytes());
        }
    }
    Some((out, (loca, !short)))
}

/// The bytes of one component of a composite glyph with these flags: flags and glyph index,
/// its two arguments (words or bytes), then its scale (none, one, two or four values).
fn component_len(flags: u16) -> usize {
    let arguments = if flags & 0x0001 != 0 { 4 } else { 2 };
    let scale = if flags & 0x0008 != 0 {
        2
    } else if flags & 0x0040 != 0 {
        4
    } else if flags & 0x0080 != 0 {
        8
    } else {
        0
    };
    4 + arguments + scale
}

/// `name` with the Windows-platform records of [`NAME_IDS`] only.
fn slim_name(name: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(name, 2)?);
    let strings = usize::from(u16_at(name, 4)?);
    let mut kept: Vec<([u16; 4], &[u8])> = Vec::new();
    for i in 0..count {
        let r = 6 + 12 * i;
        let (platform, encoding, language, id) = (
            u16_at(name, r)?,
            u16_at(name, r + 2)?,
            u16_at(name, r + 4)?,
            u16_at(name, r + 6)?,
        );
        let len = usize::from(u16_at(name, r + 8)?);
        let off = strings + usize::from(u16_at(name, r + 10)?);
        if platform == 3 && NAME_IDS.contains(&id) {
            kept.push((
                [platform, encoding, language, id],
                name.get(off..off + len)?,
            ));
        }
    }
    if kept.is_empty() {
        return None;
    }
    let start = 6 + 12 * kept.len();
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(kept.len() as u16).to_be_bytes());
    out.extend_from_slice(&(start as u16).to_be_bytes());
    let mut data = Vec::new();
    for (ids, s) in &kept {
        for v in ids {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&(s.len() as u16).to_be_bytes());
        out.extend_from_slice(&(data.len() as u16).to_be_bytes());
        data.extend_from_slice(s);
    }
    out.extend_from_slice(&data);
    Some(out)
}

/// The sfnt checksum: the sum of big-endian 32-bit words, the last one padded with zeros.
/// (Whole words first: copying each word into a buffer cost a `memcpy` call a word, about
/// 10,000 a notice.)
fn checksum(data: &[u8]) -> u32 {
    let words = data.chunks_exact(4);
    let rest = words.remainder();
    let sum = words.fold(0u32, |sum, w| {
        sum.wrapping_add(u32::from_be_bytes([w[0], w[1], w[2], w[3]]))
    });
    let mut last = [0u8; 4];
    last[..rest.len()].copy_from_slice(rest);
    sum.wrapping_add(u32::from_be_bytes(last))
}

/// An sfnt from its tables, in tag order, 4-byte aligned, with checksums.
fn assemble(version: u32, tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = tables.len();
    let pow2 = (0..16).rev().find(|&k| 1usize << k <= n).unwrap_or(0);
    let search_range = (1usize << pow2) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&version.to_be_bytes());
    for v in [n, search_range, pow2, n * 16 - search_range] {
        out.extend_from_slice(&(v as u16).to_be_bytes());
    }
    let mut offset = 12 + 16 * n;
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn issue11_the_checksum_pads_the_last_word_with_zeros() {
        assert_eq!(super::checksum(&[]), 0);
        assert_eq!(super::checksum(&[1, 2, 3, 4]), 0x0102_0304);
        assert_eq!(super::checksum(&[1, 2, 3, 4, 5]), 0x0602_0304);
        assert_eq!(super::checksum(&[0xFF; 8]), 0xFFFF_FFFE);
    }

    use skrifa::outline::{DrawSettings, OutlinePen};
    use skrifa::prelude::{LocationRef, Size};
    use skrifa::raw::{FontRef, TableProvider};
    use skrifa::MetadataProvider;

    use super::strip_hinting;

    #[test]
    fn a_whole_face_loses_its_hinting_and_keeps_every_outline() {
        let full = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/LiberationSerif-Regular.ttf"
        ))
        .expect("font");
        let slim = strip_hinting(&full).expect("strips");
        assert!(
            slim.len() * 10 < full.len() * 6,
            "{} -> {}",
            full.len(),
            slim.len()
        );
        let (a, b) = (
            FontRef::new(&full).expect("full parses"),
            FontRef::new(&slim).expect("stripped parses"),
        );
        let glyphs = |f: &FontRef<'_>| f.maxp().expect("maxp").num_glyphs();
        assert_eq!(glyphs(&a), glyphs(&b));
        /// Every outline command, as text.
        struct Commands(String);
        impl OutlinePen for Commands {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("M{x},{y} ");
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("L{x},{y} ");
            }
            fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
                self.0 += &format!("Q{a},{b},{x},{y} ");
            }
            fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
                self.0 += &format!("C{a},{b},{c},{d},{x},{y} ");
            }
            fn close(&mut self) {
                self.0 += "Z ";
            }
        }
        let draw = |f: &FontRef<'_>, g| {
            let mut pen = Commands(String::new());
            let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
            let outline = f.outline_glyphs().get(g).expect("outline");
            outline.draw(settings, &mut pen).expect("draws");
            pen.0
        };
        let advance = |f: &FontRef<'_>, g| {
            f.glyph_metrics(Size::unscaled(), LocationRef::default())
                .advance_width(g)
        };
        for c in "Hướng Hóa, ngày 14 tháng 11 năm 2022 ĐẢNG ỦY ữỹ".chars() {
            let (ga, gb) = (a.charmap().map(c), b.charmap().map(c));
            assert_eq!(ga, gb, "{c}");
            let Some(g) = ga else { continue };
            let outline = draw(&a, g);
            assert_eq!(outline, draw(&b, g), "{c}");
            assert!(c == ' ' || outline.len() > 10, "{c}: {outline}");
            assert_eq!(advance(&a, g), advance(&b, g), "{c}");
        }
        let name = b.name().expect("name table");
        let names: Vec<u16> = name
            .name_record()
            .iter()
            .map(|n| n.name_id().to_u16())
            .collect();
        assert!(names.contains(&0) && names.contains(&13), "{names:?}");
    }
}
