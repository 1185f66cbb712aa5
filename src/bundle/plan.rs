//! Which input files a bundle run looks at: the month (`--month YYYY-MM`), the shard
//! (`--shard K/N`) and the record files with their output names, checked before any work.
//!
//! A record belongs to shard `K` of `N` when the first eight bytes of the SHA-256 of its file
//! stem, read as a big-endian number, leave remainder `K − 1` when divided by `N`. The slice
//! depends on the file name alone: every shard computes it without reading the others'
//! files, the shards partition any set of records exactly, and a record keeps its shard when
//! others are added or removed.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::hashing::{Digest, Sha256};

pub use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::report::TEMPLATE as REPORT;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "--shard `{s}`: {why}; write K/N with 1 ≤ K ≤ N, e.g. 2/8 (K is 1-based)"
            ))
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(|| bad("no `/`"))?;
        let index: u32 = k.trim().parse().map_err(|_| bad("K is not a number"))?;
        let count: u32 = n.trim().parse().map_err(|_| bad("N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(bad("K is out of range"));
        }
        Ok(Shard { index, count })
    }

    /// Does the record with this file stem belong to this shard?
    pub fn owns(&self, stem: &str) -> bool {
        shard_of(stem, self.count) == self.index
    }

    /// `manifest.part-K-of-N.json`.
    pub fn part_name(&self) -> String {
        format!("manifest.part-{}-of-{}.json", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The 1-based shard of `count` that the record with file stem `stem` belongs to.
pub(crate) fn shard_of(stem: &str, count: u32) -> u32 {
    let digest = Sha256::digest(stem.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32 + 1
}

/// One input file and the name of its output folder.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub path: PathBuf,
    /// File name (`thuan-2022-11-10.yaml`): how the manifest names the record, whatever
    /// path it was given by.
    pub name: String,
    /// File stem: the record's output folder.
    pub stem: String,
}

/// The record files of this run, in command-line order (folders sorted), restricted to the
/// shard. Two records with the same stem, or a stem that is not a plain folder name or is
/// one of the bundle's own file names, are a usage error: their outputs would collide.
pub(crate) fn inputs(files: &[PathBuf], month: Month, shard: Option<Shard>) -> Result<Vec<Input>> {
    crate::env::check_distinct_stems(files)?;
    let mut out = Vec::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        check_stem(&stem, month, path)?;
        if shard.is_none_or(|s| s.owns(&stem)) {
            out.push(Input {
                path: path.clone(),
                name,
                stem,
            });
        }
    }
    Ok(out)
}

/// The names the bundle gives its own files at the top of `YYYY-MM/`: a record folder of
/// one of these names would collide with them.
pub(crate) fn own_file_names(month: Month) -> Vec<String> {
    let mut names: Vec<String> = crate::render::all()
        .iter()
        .map(|r| format!("{REPORT}.{}", r.extension()))
        .collect();
    let zip = format!("{}.zip", month.key());
    names.extend([
        REPORT.to_string(),
        "manifest.json".into(),
        format!("{zip}.sha256"),
        zip,
    ]);
    names
}

fn check_stem(stem: &str, month: Month, path: &Path) -> Result<()> {
    let plain = !stem.is_empty()
        && !stem.starts_with('.')
        && !stem.contains(['/', '\\'])
        && stem != ".."
        && !stem.chars().any(char::is_control);
    // Compared without case: on a case-insensitive disk `Manifest.json` is `manifest.json`.
    let reserved = own_file_names(month)
        .iter()
        .any(|n| n.eq_ignore_ascii_case(stem))
        || stem.to_ascii_lowercase().starts_with("manifest.part-");
    if !plain || reserved {
        return Err(Error::Usage(format!(
            "{}: `{stem}` cannot be a record's output folder in a bundle (it is, or could be, \
             one of the bundle's own files); rename the file",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_shards_parse() {
        assert_eq!(
            Month::parse("2022-11").ok(),
            Some(Month {
                year: 2022,
                month: 11
            })
        );
        for bad in ["2022-13", "2022-1", "22-11", "2022/11", "", "2022-00"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Shard::parse("2/8").ok(), Some(Shard { index: 2, count: 8 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "-1/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_names() {
        let names: Vec<String> = (0..500).map(|i| format!("r{i:05}")).collect();
        for n in 1..6 {
            let mut counts = vec![0usize; n as usize];
            for name in &names {
                let owners: Vec<u32> = (1..=n)
                    .filter(|&k| Shard { index: k, count: n }.owns(name))
                    .collect();
                assert_eq!(owners.len(), 1, "{name} in {owners:?} of {n}");
                counts[owners[0] as usize - 1] += 1;
            }
            // Roughly balanced.
            assert!(
                counts.iter().all(|&c| c * n as usize > 500 / 2),
                "{counts:?}"
            );
        }
    }
}
