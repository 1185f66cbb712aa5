//! Incremental runs: the cache key of a record and of the report, and what earlier runs left
//! in the bundle folder (`manifest.json` and shard parts) that this run may reuse.
//!
//! A record's key is the SHA-256 of its file's bytes, the templates' hash, the fonts' hash,
//! the tool version and `SOURCE_DATE_EPOCH`: everything its output depends on. A record is
//! reused when an earlier manifest lists it under the same key and every one of its files is
//! on disk with the listed size and SHA-256; otherwise it is rendered again.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::hashing::{Digest, Sha256};

use crate::bundle::files::{hex, intact, safe_relative, sha256_hex};
use crate::bundle::manifest::{FileEntry, Manifest, NamedHash, Templates};
use crate::bundle::plan::Month;
use crate::diag::Diagnostic;
use crate::env::Env;

/// The hashes of everything besides the record that its output depends on.
#[derive(Debug, Clone)]
pub(crate) struct EnvHashes {
    pub templates: Templates,
    pub fonts: String,
    pub tool: String,
    pub epoch: i64,
    /// The PDF options that change the PDF (`--signing-fields`, `--pdfa`), empty without
    /// them, so the keys of a plain run are those of earlier versions.
    pub pdf_options: String,
    /// `bundle --sign`: who signs and with which seal (`BundleSigning::identity`), empty
    /// without signing.
    pub signing: String,
}

/// The PDF options as they enter the cache key: `signing-fields pdfa`, or empty.
fn pdf_options(env: &Env) -> String {
    let mut on = Vec::new();
    if env.pdf.signing_fields {
        on.push("signing-fields");
    }
    if env.pdf.pdfa {
        on.push("pdfa");
    }
    on.join(" ")
}

impl EnvHashes {
    pub(crate) fn of(env: &Env) -> EnvHashes {
        let mut each = Vec::new();
        let mut all = Sha256::new();
        // The very texts the engine compiled (read once by `Env::new`), never the folder again.
        for t in &env.templates {
            let (name, sha256) = (t.name.clone(), sha256_hex(t.text.as_bytes()));
            all.update(name.as_bytes());
            all.update([0]);
            all.update(sha256.as_bytes());
            all.update([b'\n']);
            each.push(NamedHash { name, sha256 });
        }
        EnvHashes {
            templates: Templates {
                sha256: hex(&all.finalize()),
                each,
            },
            fonts: env.fonts.digest(),
            tool: format!("vanthu {}", env!("CARGO_PKG_VERSION")),
            epoch: env.epoch,
            pdf_options: pdf_options(env),
            signing: String::new(),
        }
    }

    fn hasher(&self, what: &str) -> Sha256 {
        let mut h = Sha256::new();
        for part in [
            what,
            &self.templates.sha256,
            &self.fonts,
            &self.tool,
            &self.epoch.to_string(),
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        for extra in [&self.pdf_options, &self.signing] {
            if !extra.is_empty() {
                h.update((extra.len() as u64).to_be_bytes());
                h.update(extra.as_bytes());
            }
        }
        h
    }

    pub(crate) fn record_key(&self, record_sha256: &str) -> String {
        hex(&self.hasher("record").chain_update(record_sha256).finalize())
    }

    /// The report depends on the month and on exactly which records it summarises.
    pub(crate) fn report_key(&self, month: Month, records: &[(&str, &str)]) -> String {
        let mut h = self.hasher("report");
        h.update(month.key());
        for (name, key) in records {
            h.update(b"\n");
            h.update(name.as_bytes());
            h.update(b"\0");
            h.update(key.as_bytes());
        }
        hex(&h.finalize())
    }
}

/// One earlier rendering of a record or of the report: its key and its files.
#[derive(Debug, Clone)]
struct Candidate {
    key: String,
    outputs: Vec<FileEntry>,
}

/// What earlier runs wrote into a bundle folder.
#[derive(Debug, Default)]
pub(crate) struct Previous {
    records: HashMap<String, Vec<Candidate>>,
    report: Vec<Candidate>,
    /// Every output path an earlier manifest lists: the files this tool may remove.
    pub known: BTreeSet<String>,
    /// Shard part manifests found (`manifest.part-K-of-N.json`).
    pub parts: Vec<PathBuf>,
    /// Entries ignored because their path would leave the bundle or belongs to another
    /// record: one warning each, naming the manifest.
    pub warnings: Vec<Diagnostic>,
}

impl Previous {
    /// Reads `manifest.json` and every shard part in `dir`; unreadable ones are skipped.
    pub(crate) fn load(dir: &Path) -> Previous {
        let mut prev = Previous::default();
        let mut sources = vec![dir.join("manifest.json")];
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut parts: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("manifest.part-") && n.ends_with(".json"))
                })
                .collect();
            parts.sort();
            sources.extend(parts.iter().cloned());
            prev.parts = parts;
        }
        for path in sources {
            if let Some(m) = Manifest::read(&path) {
                prev.absorb(m, &path);
            }
        }
        prev
    }

    fn absorb(&mut self, m: Manifest, source: &Path) {
        let files: HashMap<&str, &FileEntry> =
            m.files.iter().map(|f| (f.path.as_str(), f)).collect();
        let mut outputs = |owner: Option<&str>, paths: &[String]| -> Option<Vec<FileEntry>> {
            let outside: Vec<&String> = paths.iter().filter(|p| !owned_path(owner, p)).collect();
            if !outside.is_empty() {
                self.warnings.push(outside_warning(source, owner, &outside));
                return None;
            }
            self.known.extend(paths.iter().cloned());
            paths
                .iter()
                .map(|p| files.get(p.as_str()).map(|f| (*f).clone()))
                .collect()
        };
        for r in &m.records {
            let stem = Path::new(&r.file).file_stem().and_then(|s| s.to_str());
            if let Some(outputs) = outputs(Some(stem.unwrap_or("")), &r.outputs) {
                self.records
                    .entry(r.file.clone())
                    .or_default()
                    .push(Candidate {
                        key: r.cache_key.clone(),
                        outputs,
                    });
            }
        }
        if let Some(rep) = &m.report {
            if let Some(outputs) = outputs(None, &rep.outputs) {
                self.report.push(Candidate {
                    key: rep.cache_key.clone(),
                    outputs,
                });
            }
        }
    }

    /// The files of record `name` rendered under `key`, if all are intact in `dir`.
    pub(crate) fn reuse_record(&self, dir: &Path, name: &str, key: &str) -> Option<Vec<FileEntry>> {
        reuse(self.records.get(name)?, dir, key)
    }

    pub(crate) fn reuse_report(&self, dir: &Path, key: &str) -> Option<Vec<FileEntry>> {
        reuse(&self.report, dir, key)
    }
}

/// Is `rel` a path the bundle itself writes for `owner`: `<stem>/<file>` for a record,
/// a plain `<file>` for the report (`None`)? Nothing else is read, reused or removed.
fn owned_path(owner: Option<&str>, rel: &str) -> bool {
    if !safe_relative(rel) {
        return false;
    }
    match (owner, rel.split_once('/')) {
        (Some(stem), Some((folder, file))) => folder == stem && !file.contains('/'),
        (None, None) => true,
        _ => false,
    }
}

fn outside_warning(source: &Path, owner: Option<&str>, paths: &[&String]) -> Diagnostic {
    let whose = match owner {
        Some(stem) => format!("record `{stem}`"),
        None => "the monthly report".into(),
    };
    let listed: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
    Diagnostic::warning(
        source,
        format!(
            "lists {} for {whose}, outside the files the bundle writes for it; ignored \
             (nothing there is read, reused or removed)",
            listed.join(", ")
        ),
    )
    .hint("a manifest lists only paths inside the bundle folder; delete this manifest if it was not written by vanthu")
}

fn reuse(candidates: &[Candidate], dir: &Path, key: &str) -> Option<Vec<FileEntry>> {
    candidates
        .iter()
        .filter(|c| c.key == key && !c.outputs.is_empty())
        .find(|c| {
            c.outputs
                .iter()
                .all(|f| intact(dir, &f.path, &f.sha256, f.size))
        })
        .map(|c| c.outputs.clone())
}

#[cfg(test)]
mod tests {
    use super::EnvHashes;
    use crate::env::Env;

    /// The cache key hashes the template texts the engine compiled: a template edited on
    /// disk after the environment was made changes neither.
    #[test]
    fn issue11_template_changed_after_env_new_changes_neither_key_nor_compiled_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tin-bai.hbs");
        let original = std::fs::read_to_string("templates/tin-bai.hbs").unwrap();
        std::fs::write(&file, &original).unwrap();
        let env = Env::new(Some(dir.path()), None).unwrap();
        let before = EnvHashes::of(&env);
        std::fs::write(&file, format!("{original}\nMột câu thêm sau khi đọc.\n")).unwrap();
        let after = EnvHashes::of(&env);
        assert_eq!(before.templates.sha256, after.templates.sha256);
        let each = |h: &EnvHashes| {
            h.templates
                .each
                .iter()
                .find(|t| t.name == "tin-bai")
                .map(|t| t.sha256.clone())
        };
        assert_eq!(
            each(&after),
            Some(crate::hashing::sha256_hex(original.as_bytes()))
        );
        assert_eq!(before.record_key("abc"), after.record_key("abc"));
        let compiled = env.templates.iter().find(|t| t.name == "tin-bai").unwrap();
        assert_eq!(compiled.text, original);
        // A new environment reads the edited file: the key follows the template.
        let fresh = EnvHashes::of(&Env::new(Some(dir.path()), None).unwrap());
        assert_ne!(fresh.templates.sha256, before.templates.sha256);
    }
}
