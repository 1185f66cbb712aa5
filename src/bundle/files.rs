//! The bundle's file operations: durability by one filesystem sync per run, paths that stay
//! inside the bundle, and removing files an earlier run wrote that the bundle no longer holds
//! (hashing is [`crate::hashing`]'s, re-exported here for the bundle's modules).
//!
//! A record's files are written together ([`crate::output::write_together`]: temp files,
//! then renames), so a reader (or an interrupted run) never sees a partial file or a partial
//! record; but they are not `fsync`ed one by one, which on ext4 costs about 5 ms a file, more
//! than rendering it. [`sync_dir`] flushes the whole filesystem once, before the manifest
//! (the commit point) is written.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub(crate) use crate::hashing::{hash_file, hex, sha256_hex};
use crate::output::{TEMP_PREFIX, TEMP_SUFFIX};

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Flushes every file written under `dir` to disk: one `syncfs` on Linux.
pub(crate) fn sync_dir(dir: &Path, written: &[PathBuf]) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let _ = written;
        let d = std::fs::File::open(dir).map_err(io_err(dir))?;
        rustix::fs::syncfs(&d).map_err(|e| Error::Io {
            path: dir.to_path_buf(),
            source: e.into(),
        })?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for p in written {
            std::fs::File::open(p)
                .and_then(|f| f.sync_all())
                .map_err(io_err(p))?;
        }
    }
    Ok(())
}

/// Is `rel` a relative, `/`-separated path that stays inside the folder it is joined to:
/// no empty, `.`, `..` or hidden component, no `\`, no root?
pub(crate) fn safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|c| !c.is_empty() && !c.starts_with('.') && !c.contains(['\\', '\0']))
}

/// `root/rel` when `rel` is safe (see [`safe_relative`]) and no folder on the way is a
/// symbolic link: the path cannot lead out of `root`.
pub(crate) fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    if !safe_relative(rel) {
        return None;
    }
    let mut path = root.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        path.push(part);
        if parts.peek().is_some() && !std::fs::symlink_metadata(&path).ok()?.is_dir() {
            return None;
        }
    }
    Some(path)
}

/// Does `root/rel` hold exactly this content, in a regular file inside `root`? Checks the
/// size first, then the hash.
pub(crate) fn intact(root: &Path, rel: &str, sha256: &str, size: u64) -> bool {
    let Some(path) = inside(root, rel) else {
        return false;
    };
    std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() == size)
        && hash_file(&path).is_some_and(|(h, _)| h == sha256)
}

/// Removes `rel` (a file an earlier run wrote) under `root`, and its folder if that is left
/// empty. Paths that could leave `root` are ignored.
pub(crate) fn remove_stale(root: &Path, rel: &str) {
    let Some(path) = inside(root, rel) else {
        return;
    };
    if std::fs::remove_file(&path).is_ok() {
        if let Some(parent) = path.parent().filter(|p| *p != root) {
            // Only succeeds when empty.
            let _ = std::fs::remove_dir(parent);
        }
    }
}

/// Removes the temp files (`.vanthu-*.tmp`) an interrupted run left in `dir`.
pub(crate) fn remove_leftover_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) && e.path().is_file() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Gives the memory the allocator holds free back to the system. glibc keeps freed pages
/// of its heaps, and a bundle's mix of large short-lived buffers (each document's bytes) and
/// small long-lived ones (each file's hash) let the peak RSS of 10,000 records drift between
/// 52 and 650 MB from run to run; trimming every 16 records keeps it at about 50 MB.
pub(crate) fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim has no preconditions; it only returns free memory to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
