//! The font book: which four faces a run uses, where their bytes come from (compiled in, or
//! `--fonts DIR`), text measurement, and glyph coverage.
//!
//! Liberation Serif 2.1.5 is compiled into the binary: it has the metrics of Times New Roman
//! and all 134 Vietnamese letters. A directory given with `--fonts` overrides it with files
//! named `<Family>-{Regular,Bold,Italic,BoldItalic}.ttf` (the first family found).
//!
//! The one font layer of the product, on skrifa (read-fonts): [`face`] reads a face once into
//! plain tables (character map, advances, side bearings, kerning, descriptor metrics);
//! [`check`] refuses a damaged file when it is loaded. Layout measures text here and the PDF
//! renderer draws and subsets with the same faces; nothing else parses a font.

mod check;
mod face;

use std::path::Path;
use std::sync::Arc;

pub(crate) use face::{FontFace, Pen};

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
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

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
                        .unwrap_or_else(|e| panic!("built-in font: {e}"))
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
            let origin = path.display().to_string();
            let face = FontFace::parse(data, &origin)
                .map_err(|problem| Error::Font(format!("{origin}: {problem}; refused")))?;
            faces.push(face);
        }
        let faces: [FontFace; 4] = faces
            .try_into()
            .map_err(|_| Error::Font("expected four faces".into()))?;
        // Word and LibreOffice look a run's font up by family name: the DOCX names the
        // family these files are, so it is drawn with the same metrics as the PDF.
        let docx_family = faces[0].family_name.clone();
        Ok(FontBook {
            faces: Arc::new(faces),
            docx_family,
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
