//! Writing outputs: atomic (a temp file in the same folder, then a rename), and never
//! outside the chosen output folder.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Prefix and suffix of every temp file vanthu writes (`bundle` removes leftovers by them).
pub const TEMP_PREFIX: &str = ".vanthu-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// A temp file in `dir` (the folder of the file it will become, so the rename is atomic).
pub fn temp_in(dir: &Path) -> std::io::Result<NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

/// 0644, like any other file the user creates (tempfile makes 0600).
pub fn set_readable(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// `OUT/<stem>/<name>`, refusing any component that could leave `out`.
pub fn output_path(out: &Path, stem: &str, name: &str) -> Result<PathBuf> {
    for part in [stem, name] {
        let p = Path::new(part);
        let plain = p.components().count() == 1
            && matches!(p.components().next(), Some(Component::Normal(_)));
        if !plain || part.starts_with('.') {
            return Err(Error::Usage(format!(
                "`{part}` cannot be used as an output file name"
            )));
        }
    }
    Ok(out.join(stem).join(name))
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new one, never a
/// partial one. Unchanged files are left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = temp_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    set_readable(tmp.as_file()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(true)
}
