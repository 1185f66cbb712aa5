//! Built-in templates, compiled into the binary; a user's `--templates DIR` overrides them
//! file by file (`DIR/<name>.hbs`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::validate::is_template_name;

const BUILTIN: &[(&str, &[u8])] = &[
    ("tin-bai", include_bytes!("../../templates/tin-bai.hbs")),
    (
        "thong-bao-ket-luan",
        include_bytes!("../../templates/thong-bao-ket-luan.hbs"),
    ),
    ("bao-cao", include_bytes!("../../templates/bao-cao.hbs")),
    ("ke-hoach", include_bytes!("../../templates/ke-hoach.hbs")),
    ("ket-luan", include_bytes!("../../templates/ket-luan.hbs")),
    ("giay-moi", include_bytes!("../../templates/giay-moi.hbs")),
    ("cong-van", include_bytes!("../../templates/cong-van.hbs")),
    ("bien-ban", include_bytes!("../../templates/bien-ban.hbs")),
    (
        "bao-cao-thang",
        include_bytes!("../../templates/bao-cao-thang.hbs"),
    ),
];

/// Where template sources come from.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateSource {
    pub override_dir: Option<PathBuf>,
}

/// One template's source text and where it came from (for messages and manifests).
#[derive(Debug, Clone)]
pub struct TemplateText {
    pub name: String,
    pub origin: String,
    pub text: String,
}

impl TemplateSource {
    pub(crate) fn new(override_dir: Option<&Path>) -> TemplateSource {
        TemplateSource {
            override_dir: override_dir.map(Path::to_path_buf),
        }
    }

    /// Every template name available: built-in ones and those in the override folder.
    pub(crate) fn available(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(
            self.override_stems()
                .into_iter()
                .filter(|stem| is_template_name(stem)),
        );
        names.sort();
        names.dedup();
        names
    }

    /// The `*.hbs` files of the override folder whose names are not template names, so
    /// they are never used: each with the reason, for a warning.
    pub(crate) fn ignored(&self) -> Vec<String> {
        let Some(dir) = &self.override_dir else {
            return Vec::new();
        };
        let mut ignored: Vec<String> = self
            .override_stems()
            .into_iter()
            .filter(|stem| !is_template_name(stem))
            .map(|stem| {
                format!(
                    "{}: ignored, `{stem}` is not a template name (lowercase letters a-z, \
                     digits, `-` and `_`, at most 64 characters); rename the file",
                    dir.join(format!("{stem}.hbs")).display()
                )
            })
            .collect();
        ignored.sort();
        ignored
    }

    /// The stems of the override folder's `*.hbs` files (a name that is not UTF-8 lossily).
    fn override_stems(&self) -> Vec<String> {
        let Some(dir) = &self.override_dir else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                file.strip_suffix(".hbs").map(str::to_string)
            })
            .collect()
    }

    /// Every available template's source, read once (by name): what the engine compiles
    /// and the bundle's cache key hashes.
    pub(crate) fn read_all(&self) -> Result<Vec<TemplateText>> {
        let mut texts = Vec::new();
        for name in self.available() {
            match self.get(&name)? {
                Some(t) => texts.push(t),
                None => {
                    return Err(Error::Template {
                        name,
                        message: "listed but not readable".into(),
                    })
                }
            }
        }
        Ok(texts)
    }

    /// The source of template `name`; `Ok(None)` when no such template exists.
    pub(crate) fn get(&self, name: &str) -> Result<Option<TemplateText>> {
        if !is_template_name(name) {
            return Ok(None);
        }
        if let Some(dir) = &self.override_dir {
            let path = dir.join(format!("{name}.hbs"));
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                // Editors on Windows start UTF-8 files with a byte order mark.
                let text = match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_string(),
                    None => text,
                };
                return Ok(Some(TemplateText {
                    name: name.to_string(),
                    origin: path.display().to_string(),
                    text,
                }));
            }
        }
        Ok(BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, bytes)| TemplateText {
                name: n.to_string(),
                origin: format!("built-in {n}.hbs"),
                text: String::from_utf8_lossy(bytes).into_owned(),
            }))
    }
}
