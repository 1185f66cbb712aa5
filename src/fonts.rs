//! The font book: which four faces a run uses, where their bytes come from (compiled in, or
//! `--fonts DIR`), text measurement, and glyph coverage.
//!
//! Liberation Serif 2.1.5 is compiled into the binary: it has the metrics of Times New Roman
//! and all 134 Vietnamese letters. A directory given with `--fonts` overrides it with files
//! named `<Family>-{Regular,Bold,Italic,BoldItalic}.ttf` (the first family found).
//!
//! A font is checked when it is loaded ([`check_tables`], [`check_glyphs`]): every table inside the file, the
//! tables a TrueType font needs, and a drawable glyph with a width for every printable ASCII
//! character. A truncated or damaged file is refused naming the file, instead of every record
//! being blamed later for characters "that cannot be printed".

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    pub fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    pub fn file_suffix(self) -> &'static str {
        match self {
            Face::Regular => "Regular",
            Face::Bold => "Bold",
            Face::Italic => "Italic",
            Face::BoldItalic => "BoldItalic",
        }
    }
}

const BUILTIN: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// One loaded face: its bytes, PostScript name and the advance widths needed for layout.
pub struct FontFace {
    pub data: Arc<Vec<u8>>,
    pub postscript_name: String,
    units_per_em: f32,
    /// Advance width in font units per char, for quick lookup.
    advances: std::collections::HashMap<char, u16>,
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("postscript_name", &self.postscript_name)
            .finish()
    }
}

impl FontFace {
    fn parse(data: Vec<u8>, origin: &str) -> Result<FontFace, Error> {
        let refused = |problem: String| Error::Font(format!("{origin}: {problem}; refused"));
        check_tables(&data).map_err(refused)?;
        let face = ttf_parser::Face::parse(&data, 0)
            .map_err(|e| Error::Font(format!("{origin}: not a usable TrueType font ({e})")))?;
        check_glyphs(&face).map_err(refused)?;
        let postscript_name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| origin.to_string());
        let units_per_em = f32::from(face.units_per_em());
        let mut advances = std::collections::HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp) {
                        if let Some(gid) = sub.glyph_index(cp) {
                            let adv = face.glyph_hor_advance(gid).unwrap_or(0);
                            advances.entry(c).or_insert(adv);
                        }
                    }
                });
            }
        }
        Ok(FontFace {
            data: Arc::new(data),
            postscript_name,
            units_per_em,
            advances,
        })
    }

    pub fn has_char(&self, c: char) -> bool {
        c.is_whitespace() || self.advances.contains_key(&c)
    }

    /// Width of `text` at `size_pt`, in millimetres (advance widths, no kerning: the same
    /// measure Word and LibreOffice use by default).
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.advances.get(&c).copied().unwrap_or(0)))
            .sum();
        units as f32 / self.units_per_em * size_pt * MM_PER_PT
    }
}

pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// A table of the font file reaching past its end: a truncated copy.
pub fn check_tables(data: &[u8]) -> Result<(), String> {
    let raw = ttf_parser::RawFace::parse(data, 0)
        .map_err(|e| format!("not a usable TrueType font ({e})"))?;
    for record in raw.table_records {
        let end = u64::from(record.offset) + u64::from(record.length);
        if end > data.len() as u64 {
            return Err(format!(
                "the file is truncated or damaged: its `{}` table ends at byte {end}, but the \
                 file has {} bytes",
                record.tag,
                data.len()
            ));
        }
    }
    Ok(())
}

/// A table the layout or the PDF needs is missing, or a printable ASCII character has no
/// glyph with a width and an outline.
pub fn check_glyphs(face: &ttf_parser::Face) -> Result<(), String> {
    let tables = face.tables();
    let outlines = tables.glyf.is_some() || tables.cff.is_some();
    for (table, present) in [
        ("cmap", tables.cmap.is_some()),
        ("hmtx", tables.hmtx.is_some()),
        ("glyf", outlines),
    ] {
        if !present {
            return Err(format!("the font has no usable `{table}` table"));
        }
    }
    let mut sink = OutlineSink;
    for c in (0x21u8..0x7f).map(char::from) {
        let drawn = face.glyph_index(c).filter(|&g| {
            face.glyph_hor_advance(g).is_some_and(|a| a > 0)
                && face.outline_glyph(g, &mut sink).is_some()
        });
        if drawn.is_none() {
            return Err(format!(
                "the font has no usable glyph for `{c}` (missing from its character map, \
                 or without a width or an outline)"
            ));
        }
    }
    Ok(())
}

/// Discards an outline: [`check_glyphs`] only asks whether it can be read.
struct OutlineSink;

impl ttf_parser::OutlineBuilder for OutlineSink {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// The four faces of the document family.
#[derive(Debug, Clone)]
pub struct FontBook {
    faces: Arc<[FontFace; 4]>,
    /// Family name written into DOCX runs (the font every office machine has).
    pub docx_family: String,
}

impl FontBook {
    /// The compiled-in Liberation Serif faces.
    pub fn builtin() -> FontBook {
        static BOOK: std::sync::OnceLock<Arc<[FontFace; 4]>> = std::sync::OnceLock::new();
        let faces = BOOK
            .get_or_init(|| {
                Arc::new(BUILTIN.map(|bytes| {
                    // The compiled-in files are checked by the test suite; a failure here is a
                    // build defect, not a user error.
                    FontFace::parse(bytes.to_vec(), "built-in Liberation Serif")
                        .expect("built-in font parses")
                }))
            })
            .clone();
        FontBook {
            faces,
            docx_family: "Times New Roman".into(),
        }
    }

    /// Loads `<Family>-{Regular,Bold,Italic,BoldItalic}.ttf` from `dir`.
    pub fn from_dir(dir: &Path) -> Result<FontBook, Error> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            Error::Font(format!("{}: cannot read font folder ({e})", dir.display()))
        })?;
        let mut families: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix("-Regular.ttf").map(str::to_string)
            })
            .collect();
        families.sort();
        let family = families.into_iter().next().ok_or_else(|| {
            Error::Font(format!(
                "{}: no <Family>-Regular.ttf found (need Regular, Bold, Italic and BoldItalic)",
                dir.display()
            ))
        })?;
        let mut faces = Vec::with_capacity(4);
        for face in Face::ALL {
            let path = dir.join(format!("{family}-{}.ttf", face.file_suffix()));
            let data = std::fs::read(&path)
                .map_err(|e| Error::Font(format!("{}: {e}", path.display())))?;
            faces.push(FontFace::parse(data, &path.display().to_string())?);
        }
        let faces: [FontFace; 4] = faces
            .try_into()
            .map_err(|_| Error::Font("expected four faces".into()))?;
        Ok(FontBook {
            faces: Arc::new(faces),
            docx_family: "Times New Roman".into(),
        })
    }

    pub fn face(&self, face: Face) -> &FontFace {
        &self.faces[face as usize]
    }

    pub fn width_mm(&self, text: &str, bold: bool, italic: bool, size_pt: f32) -> f32 {
        self.face(Face::of(bold, italic)).width_mm(text, size_pt)
    }

    /// The first character of `text` that some face cannot draw.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        text.chars()
            .find(|&c| !c.is_control() && Face::ALL.iter().any(|&f| !self.face(f).has_char(c)))
    }

    /// A stable digest of the four faces, for manifests and caches.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for f in Face::ALL {
            h.update(self.face(f).data.as_slice());
        }
        format!("{:x}", h.finalize())
    }
}
