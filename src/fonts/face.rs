//! One face, read once with skrifa (and the read-fonts tables it re-exports): its names, the
//! character map, advance widths and side bearings, pair kerning, and the vertical and
//! descriptor metrics. Everything is copied into plain tables when the face is loaded, so
//! measuring and drawing text never parses the font again.
//!
//! Two measures live here:
//! - [`FontFace::width_mm`]: advance widths without kerning, at any fractional size: how
//!   lines are broken (Word and LibreOffice measure that way by default);
//! - [`FontFace::pen`]: the arithmetic of the PDF pen (advances in thousandths of an em, pair
//!   kerning from the `kern` table), in the same floating-point steps as the genpdf engine
//!   this renderer grew from, so pages keep their exact positions.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use skrifa::raw::tables::kern::{Kern, Subtable, SubtableKind};
use skrifa::raw::types::NameId;
use skrifa::raw::{FontRef, TableProvider};
use skrifa::MetadataProvider;

use super::check;
use super::MM_PER_PT;

/// Characters below this are looked up in a flat table; the rest in a map.
const FLAT: usize = 0x1_0000;

/// One loaded face: its bytes, names and the metrics layout and drawing need.
pub struct FontFace {
    pub data: Arc<Vec<u8>>,
    pub postscript_name: String,
    /// The family name (name ID 16, else 1), as a word processor lists it.
    pub family_name: String,
    units_per_em: u16,
    /// Glyph of each BMP character; 0 where the character map has none.
    flat_cmap: Box<[u16]>,
    /// Glyphs of characters beyond the BMP.
    astral_cmap: HashMap<char, u16>,
    /// Advance width of each glyph, font units.
    advances: Vec<u16>,
    /// Left side bearing of each glyph, font units.
    side_bearings: Vec<i16>,
    /// Pair kerning in font units.
    kerning: PairKerning,
    pub descriptor: Descriptor,
    /// The pen's scale: an em per font unit (see [`Pen`]).
    em_per_unit: f32,
    /// The same scale for advances and side bearings, as the genpdf engine derived it.
    em_per_unit_x: f32,
}

/// The values of a PDF font descriptor, in font units.
#[derive(Debug, Clone, Copy)]
pub struct Descriptor {
    pub bbox: [i16; 4],
    pub italic_angle: f32,
    pub ascender: i16,
    pub descender: i16,
    pub cap_height: Option<i16>,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("postscript_name", &self.postscript_name)
            .finish()
    }
}

impl FontFace {
    /// Reads and checks a face; `origin` names it in errors (a path, or "built-in").
    pub(super) fn parse(data: Vec<u8>, origin: &str) -> Result<FontFace, String> {
        check::check_tables(&data)?;
        let font = FontRef::new(&data).map_err(|e| format!("not a usable TrueType font ({e})"))?;
        check::check_glyphs(&font)?;
        let unusable = |table: &str, e: skrifa::raw::ReadError| {
            format!("the font's `{table}` table cannot be read ({e})")
        };
        let head = font.head().map_err(|e| unusable("head", e))?;
        let hhea = font.hhea().map_err(|e| unusable("hhea", e))?;
        let units_per_em = head.units_per_em();
        if units_per_em == 0 {
            return Err("the font's `head` table gives 0 units per em".into());
        }
        let (flat_cmap, astral_cmap) = character_map(&font);
        let (advances, side_bearings) = horizontal_metrics(&font)?;
        let (ascent, descent) = (
            f32::from(hhea.ascender().to_i16()),
            f32::from(hhea.descender().to_i16()),
        );
        let glyph_height = (ascent - descent) / f32::from(units_per_em);
        let em_per_unit = glyph_height / (ascent - descent);
        Ok(FontFace {
            postscript_name: name(&font, NameId::POSTSCRIPT_NAME)
                .unwrap_or_else(|| origin.to_string()),
            family_name: name(&font, NameId::TYPOGRAPHIC_FAMILY_NAME)
                .or_else(|| name(&font, NameId::FAMILY_NAME))
                .unwrap_or_else(|| origin.to_string()),
            units_per_em,
            flat_cmap,
            astral_cmap,
            advances,
            side_bearings,
            kerning: pair_kerning(&font),
            descriptor: descriptor(&font),
            em_per_unit,
            em_per_unit_x: em_per_unit * glyph_height / glyph_height,
            data: Arc::new(data),
        })
    }

    pub fn units_per_em(&self) -> u16 {
        self.units_per_em
    }

    /// The glyph the character map gives `c`, if any.
    pub fn glyph(&self, c: char) -> Option<u16> {
        let gid = match self.flat_cmap.get(c as usize) {
            Some(&g) => g,
            None => self.astral_cmap.get(&c).copied().unwrap_or(0),
        };
        (gid != 0).then_some(gid)
    }

    pub fn has_char(&self, c: char) -> bool {
        // The map first: one array read, where `is_whitespace` looks up a Unicode table.
        self.glyph(c).is_some() || c.is_whitespace()
    }

    /// The number of glyphs with metrics.
    pub fn glyph_count(&self) -> usize {
        self.advances.len()
    }

    /// Glyph `gid`'s advance width in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// Width of `text` at `size_pt`, in millimetres (advance widths, no kerning: the same
    /// measure Word and LibreOffice use by default). A character the font cannot draw
    /// measures nothing.
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .filter_map(|c| self.glyph(c))
            .map(|g| u32::from(self.advance(g)))
            .sum();
        units as f32 / f32::from(self.units_per_em) * size_pt * MM_PER_PT
    }

    /// The PDF pen's arithmetic for this face.
    pub fn pen(&self) -> Pen<'_> {
        Pen { face: self }
    }
}

/// How the PDF pen moves: advances as written into a font's `/W` array (thousandths of an
/// em, truncated), pair kerning in thousandths of an em, and a string's width in mm with its
/// kerning, computed in the same floating-point steps as the genpdf engine (glyph heights
/// from `hhea`, millimetres from points by 0.352778), so positions are unchanged.
#[derive(Clone, Copy)]
pub struct Pen<'f> {
    face: &'f FontFace,
}

/// Millimetres per point, as the genpdf engine converted them.
const GENPDF_MM_PER_PT: f32 = 0.352_778;

impl Pen<'_> {
    /// Glyph `gid`'s advance in thousandths of an em, truncated.
    pub fn advance_milli(&self, gid: u16) -> i64 {
        let scale = 1000.0 / f32::from(self.face.units_per_em);
        (f32::from(self.face.advance(gid)) * scale) as i64
    }

    /// The glyph for `c` (0, the missing glyph, where the map has none).
    pub fn glyph(&self, c: char) -> u16 {
        self.face.glyph(c).unwrap_or(0)
    }

    /// The pair kerning between `left` and `right`, in ems (negative pulls together).
    fn kern_em(&self, left: u16, right: u16) -> f32 {
        let units = self.face.kerning.get(left, right);
        self.face.em_per_unit * f32::from(units)
    }

    /// The `TJ` adjustment before `right` when it follows `left`: minus the kerning, in
    /// thousandths of an em, truncated.
    pub fn kern_adjust(&self, left: u16, right: u16) -> i64 {
        (-self.kern_em(left, right) * 1000.0) as i64
    }

    /// Width of `text` at `size_pt` in mm, kerning included.
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let mm = |em: f32| em * size_pt * GENPDF_MM_PER_PT;
        let advances: f32 = text
            .chars()
            .map(|c| mm(f32::from(self.face.advance(self.glyph(c))) * self.face.em_per_unit_x))
            .sum();
        let mut kerning = 0.0;
        let mut last: Option<u16> = None;
        for c in text.chars() {
            let g = self.glyph(c);
            kerning += mm(last.map_or(0.0, |l| self.kern_em(l, g)));
            last = Some(g);
        }
        advances + kerning
    }

    /// The left side bearing of `c`'s glyph at `size_pt`, in mm.
    pub fn side_bearing_mm(&self, c: char, size_pt: f32) -> f32 {
        let g = usize::from(self.glyph(c));
        let units = self.face.side_bearings.get(g).copied().unwrap_or(0);
        f32::from(units) * self.face.em_per_unit_x * size_pt * GENPDF_MM_PER_PT
    }
}

/// The Unicode character map, BMP in a flat table.
fn character_map(font: &FontRef<'_>) -> (Box<[u16]>, HashMap<char, u16>) {
    let mut flat = vec![0u16; FLAT].into_boxed_slice();
    let mut astral = HashMap::new();
    for (cp, gid) in font.charmap().mappings() {
        let (Some(c), Ok(g)) = (char::from_u32(cp), u16::try_from(gid.to_u32())) else {
            continue;
        };
        match flat.get_mut(cp as usize) {
            Some(slot) => *slot = g,
            None => {
                astral.insert(c, g);
            }
        }
    }
    (flat, astral)
}

/// Advance widths and left side bearings of every glyph, font units.
fn horizontal_metrics(font: &FontRef<'_>) -> Result<(Vec<u16>, Vec<i16>), String> {
    let glyphs = font
        .maxp()
        .map_err(|e| format!("the font's `maxp` table cannot be read ({e})"))?
        .num_glyphs();
    let hmtx = font
        .hmtx()
        .map_err(|e| format!("the font's `hmtx` table cannot be read ({e})"))?;
    let ids = (0..glyphs).map(skrifa::GlyphId::from);
    let advances = ids.clone().map(|g| hmtx.advance(g).unwrap_or(0)).collect();
    let side_bearings = ids.map(|g| hmtx.side_bearing(g).unwrap_or(0)).collect();
    Ok((advances, side_bearings))
}

/// The pairs of the `kern` table's first subtable, when it is a plain horizontal format 0
/// table (coverage exactly 1): the kerning the PDF pen has always applied. GPOS kerning is
/// not applied (LibreOffice and Word do not kern by default either).
fn pair_kerning(font: &FontRef<'_>) -> PairKerning {
    let mut kerning = PairKerning::default();
    let Ok(Kern::Ot(kern)) = font.kern() else {
        return kerning;
    };
    let Some(Ok(Subtable::Ot(sub))) = Kern::Ot(kern).subtables().next() else {
        return kerning;
    };
    if sub.coverage() != 1 {
        return kerning;
    }
    if let Ok(SubtableKind::Format0(table)) = Subtable::Ot(sub).kind() {
        for p in table.pairs() {
            kerning.insert(p.left().to_u16(), p.right().to_u16(), p.value());
        }
    }
    kerning
}

/// Pair kerning, looked up for every pair of glyphs measured or drawn (several times a
/// character: line breaking measures words, the PDF pen draws them). Most left glyphs kern
/// with nothing (Liberation Serif: the capitals and some punctuation do), so a flag per left
/// glyph answers most lookups; the pairs are hashed with one multiplication, not SipHash
/// (the keys are the font's, not an attacker's).
#[derive(Default)]
struct PairKerning {
    /// Whether glyph `i` is the left glyph of any pair.
    lefts: Vec<bool>,
    /// `(left << 16) | right` to the adjustment in font units.
    pairs: HashMap<u32, i16, BuildHasherDefault<PairHasher>>,
}

impl PairKerning {
    /// Adds a pair; the first value given for a pair is kept.
    fn insert(&mut self, left: u16, right: u16, value: i16) {
        let at = usize::from(left);
        if self.lefts.len() <= at {
            self.lefts.resize(at + 1, false);
        }
        self.lefts[at] = true;
        self.pairs.entry(pair_key(left, right)).or_insert(value);
    }

    /// The adjustment of the pair `left`, `right`, 0 if it has none.
    fn get(&self, left: u16, right: u16) -> i16 {
        if !self.lefts.get(usize::from(left)).copied().unwrap_or(false) {
            return 0;
        }
        self.pairs.get(&pair_key(left, right)).copied().unwrap_or(0)
    }
}

/// The key of a pair in [`PairKerning::pairs`].
fn pair_key(left: u16, right: u16) -> u32 {
    (u32::from(left) << 16) | u32::from(right)
}

/// The hash of a pair key: a folded 64×64-bit multiplication (both halves of the key reach
/// the bucket bits and the tag bits).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        let product = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The first Unicode (Windows, else any Unicode) record of name `id`.
fn name(font: &FontRef<'_>, id: NameId) -> Option<String> {
    let table = font.name().ok()?;
    let records = table.name_record();
    let unicode = records
        .iter()
        .filter(|r| r.name_id() == id && r.is_unicode());
    let mut best = None;
    for r in unicode {
        let text: String = r.string(table.string_data()).ok()?.chars().collect();
        if r.platform_id() == 3 {
            return Some(text);
        }
        best.get_or_insert(text);
    }
    best
}

/// The font descriptor's values: the bounding box from `head`, the italic angle from `post`,
/// ascender and descender as typesetters read them (OS/2 typographic metrics when the font
/// asks for them, else `hhea`, else OS/2), and the cap height from OS/2.
fn descriptor(font: &FontRef<'_>) -> Descriptor {
    let head = font.head().ok();
    let bbox = head.map_or([0; 4], |h| [h.x_min(), h.y_min(), h.x_max(), h.y_max()]);
    let italic_angle = font.post().map_or(0.0, |p| p.italic_angle().to_f32());
    let os2 = font.os2().ok();
    let typo = os2.as_ref().filter(|o| {
        o.fs_selection()
            .contains(skrifa::raw::tables::os2::SelectionFlags::USE_TYPO_METRICS)
    });
    let hhea = font.hhea().ok();
    let (mut ascender, mut descender) =
        hhea.map_or((0, 0), |h| (h.ascender().to_i16(), h.descender().to_i16()));
    if let Some(o) = typo {
        (ascender, descender) = (o.s_typo_ascender(), o.s_typo_descender());
    } else if let Some(o) = &os2 {
        if ascender == 0 {
            ascender = if o.s_typo_ascender() != 0 {
                o.s_typo_ascender()
            } else {
                o.us_win_ascent() as i16
            };
        }
        if descender == 0 {
            descender = if o.s_typo_descender() != 0 {
                o.s_typo_descender()
            } else {
                -(o.us_win_descent() as i16)
            };
        }
    }
    Descriptor {
        bbox,
        italic_angle,
        ascender,
        descender,
        cap_height: os2.and_then(|o| o.s_cap_height()),
    }
}
