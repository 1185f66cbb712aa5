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
    (
        "bao-cao-thang",
        include_bytes!("../../templates/bao-cao-thang.hbs"),
    ),
];

/// Where template sources come from.
#[derive(Debug, Clone, Default)]
pub struct TemplateSource {
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
    pub fn new(override_dir: Option<&Path>) -> TemplateSource {
        TemplateSource {
            override_dir: override_dir.map(Path::to_path_buf),
        }
    }

    /// Every template name available: built-in ones and those in the override folder.
    pub fn available(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        if let Some(dir) = &self.override_dir {
            if let Ok(entries) = std::fs::read_dir(dir) {
                for e in entries.flatten() {
                    let file = e.file_name().to_string_lossy().into_owned();
                    if let Some(stem) = file.strip_suffix(".hbs") {
                        if is_template_name(stem) {
                            names.push(stem.to_string());
                        }
                    }
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// The source of template `name`; `Ok(None)` when no such template exists.
    pub fn get(&self, name: &str) -> Result<Option<TemplateText>> {
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
