//! Writing outputs: atomic (a temp file in the same folder, then a rename), all of a record's
//! files or none, never outside the chosen output folder, and never through anything but a
//! regular file: an output path holding a FIFO, a device or a symbolic link is neither read
//! nor followed, only replaced. Also the lock that keeps two runs out of one output folder.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
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

/// Opens `path` for reading only if it is a regular file. A symbolic link is not followed
/// and a FIFO is not waited on (`O_NOFOLLOW | O_NONBLOCK`); either, or a device or folder,
/// is an error of kind `InvalidInput`.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    let not_regular = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a symbolic link, FIFO, device or folder); vanthu reads only \
             regular files here",
        )
    };
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        // Closes the gap between the check above and the open.
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The bytes of `path` if it is a regular file (see [`open_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
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

/// How [`write_together`] writes.
#[derive(Debug, Clone, Copy)]
pub struct WriteMode {
    /// `fsync` each file before its rename (`render`); `bundle` syncs the filesystem once.
    pub sync: bool,
    /// Leave a file that already has these bytes untouched (its time stamp too).
    pub skip_unchanged: bool,
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new one, never a
/// partial one. Unchanged files are left untouched. Returns whether the file was replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    let mode = WriteMode {
        sync: true,
        skip_unchanged: true,
    };
    Ok(write_together(&[(path.to_path_buf(), bytes)], mode)? == 1)
}

/// Writes a set of files (one record's documents) all or none: each goes to a temp file
/// beside its place; only once every one is complete are they renamed into place. If any
/// write fails (a full disk), the temp files are removed and no file is replaced. Returns
/// how many files were replaced.
pub fn write_together(files: &[(PathBuf, &[u8])], mode: WriteMode) -> Result<usize> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        if mode.skip_unchanged && holds(path, bytes) {
            continue;
        }
        // On error the temps staged so far are dropped, which deletes them.
        staged.push((stage(path, bytes, mode.sync)?, path));
    }
    let replaced = staged.len();
    for (tmp, path) in staged {
        tmp.persist(path).map_err(|e| Error::Io {
            path: path.clone(),
            source: e.error,
        })?;
    }
    Ok(replaced)
}

/// Does the regular file at `path` already hold exactly `bytes`?
fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && read_regular(path).is_ok_and(|old| old == bytes)
}

/// `bytes` in a complete temp file beside `path`.
fn stage(path: &Path, bytes: &[u8], sync: bool) -> Result<NamedTempFile> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = temp_in(dir).map_err(io)?;
    // Through the `File`: `NamedTempFile`'s own errors add the temp file's name, which
    // would only confuse (the error names `path`).
    tmp.as_file_mut().write_all(bytes).map_err(io)?;
    set_readable(tmp.as_file()).map_err(io)?;
    if sync {
        tmp.as_file().sync_all().map_err(io)?;
    }
    Ok(tmp)
}

/// Creates `dir` (a record's output folder) if needed and checks it is a real folder, not a
/// symbolic link that would take the files written into it elsewhere.
pub fn real_dir(dir: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    if std::fs::symlink_metadata(dir).map_err(io)?.is_symlink() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "is a symbolic link; vanthu writes only into real folders under the output folder",
        )));
    }
    Ok(())
}

/// An exclusive (or shared) lock on an output folder, held until dropped: a lock file
/// beside the folder, locked with `flock`. The file stays (removing it would let a third
/// run lock a new file while the second still waits on the old one).
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

/// Locks `folder` through `lock_file`, failing at once when another run holds it.
/// `shared` locks coexist (shards of one month); an exclusive lock excludes every other.
pub fn lock_folder(folder: &Path, lock_file: &Path, shared: bool) -> Result<FolderLock> {
    let io = |source| Error::Io {
        path: lock_file.to_path_buf(),
        source,
    };
    if let Some(parent) = lock_file.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits() as i32);
    }
    let file = options.open(lock_file).map_err(io)?;
    // `File::try_lock` is `flock(LOCK_EX | LOCK_NB)` on Linux.
    let taken = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match taken {
        Ok(()) => Ok(FolderLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked {
            folder: folder.to_path_buf(),
            lock_file: lock_file.to_path_buf(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// A writer that, after its first write error, discards whatever follows (seeking past it
/// instead, so positions stay right). A `ZipWriter` dropped after a failed write finishes
/// its archive on drop; through this it finishes into nothing, silently, instead of failing
/// again and printing `ZipWriter::drop: failed to finalize archive` to stderr, glued to the
/// real error. The output is abandoned either way (its temp file is removed).
///
/// It also keeps that first error ([`QuietAfterError::take_error`]): a renderer that meets
/// it reports it in its own words, without the path; the caller, which knows the path,
/// reports the I/O error itself.
pub struct QuietAfterError<W> {
    inner: W,
    failed: bool,
    first: Option<std::io::Error>,
}

impl<W> QuietAfterError<W> {
    pub fn new(inner: W) -> QuietAfterError<W> {
        QuietAfterError {
            inner,
            failed: false,
            first: None,
        }
    }

    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The first write or flush error met, if any (once).
    pub fn take_error(&mut self) -> Option<std::io::Error> {
        self.first.take()
    }

    /// Keeps `e` and gives the writer's caller an equal error.
    fn fail(&mut self, e: std::io::Error) -> std::io::Error {
        let copy = match e.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code),
            None => std::io::Error::new(e.kind(), e.to_string()),
        };
        self.failed = true;
        self.first = Some(e);
        copy
    }
}

impl<W: Write + Seek> Write for QuietAfterError<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.failed {
            let len = i64::try_from(buf.len()).unwrap_or(i64::MAX);
            self.inner.seek(SeekFrom::Current(len))?;
            return Ok(buf.len());
        }
        self.inner.write(buf).map_err(|e| self.fail(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.failed {
            return Ok(());
        }
        self.inner.flush().map_err(|e| self.fail(e))
    }
}

impl<W: Seek> Seek for QuietAfterError<W> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write after `room` bytes, like a full disk.
    struct Full {
        data: std::io::Cursor<Vec<u8>>,
        room: u64,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.data.position() + buf.len() as u64 > self.room {
                return Err(std::io::Error::other("No space left on device"));
            }
            self.data.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Seek for Full {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.data.seek(pos)
        }
    }

    #[test]
    fn issue11_the_first_write_error_is_kept_for_the_caller() {
        let mut sink = QuietAfterError::new(Full {
            data: std::io::Cursor::new(Vec::new()),
            room: 10,
        });
        sink.write_all(b"12345").expect("fits");
        let told = sink.write_all(&[0u8; 100]).expect_err("full");
        assert_eq!(told.to_string(), "No space left on device");
        // Later writes vanish; the first error is still the one kept.
        sink.write_all(b"more").expect("quiet");
        let kept = sink.take_error().expect("kept");
        assert_eq!(
            (kept.kind(), kept.to_string()),
            (told.kind(), told.to_string())
        );
        assert!(sink.take_error().is_none());
    }

    #[test]
    fn issue9_a_zip_writer_dropped_after_a_full_disk_finishes_silently() {
        let sink = QuietAfterError::new(Full {
            data: std::io::Cursor::new(Vec::new()),
            room: 100,
        });
        let mut z = zip::ZipWriter::new(sink);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("a", stored).expect("start");
        let big = vec![7u8; 10_000];
        assert!(z.write_all(&big).and_then(|_| z.flush()).is_err());
        // Dropping must not fail (the crate prints its failure to stderr): the second
        // finalize goes to the discarding writer and succeeds.
        let finished = z.finish();
        assert!(finished.is_ok(), "{:?}", finished.err());
    }
}
