//! `YYYY-MM.zip`: the bundle in one archive, byte-identical on every run with the same
//! inputs. Entries are `YYYY-MM/manifest.json` first, then every file of the manifest in
//! path order, with the time of `SOURCE_DATE_EPOCH` (clamped to the DOS range 1980–2107),
//! Unix permissions 0644 and no extra fields. DOCX and JSON entries are Deflate-compressed;
//! PDFs, whose streams are Deflate-compressed already, are stored: measured on 1,000 records,
//! deflating them again saves 1.6 % of the archive and doubles the time to write it.
//!
//! Beside it, `YYYY-MM.zip.sha256` holds its SHA-256 (`sha256sum -c` reads it): a rerun
//! does not rebuild a zip that still has that hash and holds the current manifest, byte for
//! byte ([`matches`]); any other zip (one a killed run left behind its new manifest) is
//! rebuilt.
//!
//! Entries are compressed in parallel, a batch of files per worker, and copied compressed
//! into the archive in order (the bytes are those of a sequential write). A file larger than
//! [`STREAM_ABOVE`] (the monthly report of a large month) is instead copied from disk into the
//! archive as it is read, in fixed 64 KiB pieces, never held whole: a stored entry (PDF) has
//! the same bytes either way; a deflated one (DOCX) compresses a little differently when fed
//! in pieces, the same on every run. The archive goes
//! to a temp file next to the old one; when the result equals the zip already there, the old
//! one is left untouched.

use std::io::{BufWriter, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use crate::bundle::files::hash_file;
use crate::bundle::manifest::FileEntry;
use crate::error::{Error, Result};
use crate::output::{
    open_regular, read_regular, set_readable, temp_in, write_atomic, QuietAfterError,
};

/// The Deflate level of every entry (6: zlib's default; PDFs and DOCX are compressed
/// inside already, so higher levels buy almost nothing).
pub(crate) const LEVEL: i64 = 6;

/// A DOS date-time for `epoch` seconds since 1970 (UTC), clamped to what ZIP can store.
pub(crate) fn dos_time(epoch: i64) -> DateTime {
    let min = 315_532_800; // 1980-01-01T00:00:00Z
    let max = 4_354_819_198; // 2107-12-31T23:59:58Z
    let t = crate::calendar::Utc::from_epoch(epoch.clamp(min, max));
    let small = |v: u32| u8::try_from(v).unwrap_or(0);
    DateTime::from_date_and_time(
        u16::try_from(t.year).unwrap_or(1980),
        small(t.month),
        small(t.day),
        small(t.hour),
        small(t.minute),
        small(t.second),
    )
    .unwrap_or_default()
}

/// Files compressed together by one worker before their entries are copied, compressed, into
/// the archive: the Deflate work runs on every core while the archive is written in order.
const BATCH: usize = 32;

/// Files larger than this are streamed from disk into the archive on the writing thread.
pub(crate) const STREAM_ABOVE: u64 = 4 * 1024 * 1024;

fn options(epoch: i64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(LEVEL))
        .last_modified_time(dos_time(epoch))
        .system(System::Unix)
        .unix_permissions(0o644)
        .large_file(false)
}

/// Stored for PDFs (see the module documentation), Deflate otherwise.
fn options_for(name: &str, epoch: i64) -> SimpleFileOptions {
    if name.ends_with(".pdf") {
        options(epoch)
            .compression_method(CompressionMethod::Stored)
            .compression_level(None)
    } else {
        options(epoch)
    }
}

/// One batch of entries as a small in-memory archive.
fn batch(zip_path: &Path, entries: &[(String, Source<'_>)], epoch: i64) -> Result<Vec<u8>> {
    let zerr = |e| zip_error(zip_path, e);
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, src) in entries {
        let owned;
        let bytes: &[u8] = match src {
            Source::Bytes(b) => b,
            Source::File(path) => {
                owned = read_regular(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                &owned
            }
        };
        z.start_file(name.as_str(), options_for(name, epoch))
            .map_err(zerr)?;
        z.write_all(bytes).map_err(|e| zerr(e.into()))?;
    }
    Ok(z.finish().map_err(zerr)?.into_inner())
}

/// A zip failure writing `zip_path`: an I/O failure (a full disk) is told as one.
fn zip_error(zip_path: &Path, e: ZipError) -> Error {
    match e {
        ZipError::Io(source) => Error::Io {
            path: zip_path.to_path_buf(),
            source,
        },
        source => Error::Zip {
            path: zip_path.to_path_buf(),
            source,
        },
    }
}

/// Copies a file into `out` in pieces of exactly 64 KiB (the last one shorter), so that a
/// compressor sees the same pieces on every run whatever the reads return.
fn copy_in_pieces(path: &Path, out: &mut impl Write) -> std::io::Result<()> {
    use std::io::Read;
    let mut f = open_regular(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut filled = 0;
        while filled < buf.len() {
            match f.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if filled == 0 {
            return Ok(());
        }
        out.write_all(&buf[..filled])?;
    }
}

enum Source<'a> {
    Bytes(&'a [u8]),
    File(PathBuf),
}

/// Writes `zip_path` holding `manifest` (as `<prefix>/manifest.json`) and every file of
/// `files`, read from `dir`. Returns whether the file on disk changed.
pub(crate) fn write_bundle_zip(
    zip_path: &Path,
    dir: &Path,
    prefix: &str,
    (manifest, signature): (&[u8], Option<&[u8]>),
    files: &[FileEntry],
    epoch: i64,
) -> Result<bool> {
    let manifest = Manifest {
        json: manifest,
        signature,
    };
    write_zip(zip_path, dir, prefix, manifest, files, epoch, STREAM_ABOVE)
}

/// `manifest.json` and, for a signed bundle, its detached signature `manifest.json.p7s`.
struct Manifest<'a> {
    json: &'a [u8],
    signature: Option<&'a [u8]>,
}

fn write_zip(
    zip_path: &Path,
    dir: &Path,
    prefix: &str,
    manifest: Manifest<'_>,
    files: &[FileEntry],
    epoch: i64,
    stream_above: u64,
) -> Result<bool> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| Error::Io { path: p, source }
    };
    let zerr = |e| zip_error(zip_path, e);
    let folder = zip_path.parent().unwrap_or(Path::new("."));
    let tmp = temp_in(folder).map_err(io(zip_path))?;
    let mut sorted: Vec<&FileEntry> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut entries = vec![(
        format!("{prefix}/manifest.json"),
        Source::Bytes(manifest.json),
    )];
    if let Some(p7s) = manifest.signature {
        entries.push((format!("{prefix}/manifest.json.p7s"), Source::Bytes(p7s)));
    }
    entries.extend(sorted.iter().map(|f| {
        (
            format!("{prefix}/{}", f.path),
            Source::File(dir.join(&f.path)),
        )
    }));
    // Quiet after an error: a full disk is reported once, by the `?` that meets it.
    let mut zip = ZipWriter::new(BufWriter::with_capacity(
        256 * 1024,
        QuietAfterError::new(tmp.reopen().map_err(io(zip_path))?),
    ));
    // A few batches per worker at a time: memory stays a few megabytes at any size.
    let wave = BATCH * 2 * rayon::current_num_threads().max(1);
    let large: Vec<bool> = entries
        .iter()
        .map(|(_, src)| match src {
            Source::File(p) => std::fs::metadata(p).is_ok_and(|m| m.len() > stream_above),
            Source::Bytes(_) => false,
        })
        .collect();
    let mut start = 0;
    while start < entries.len() {
        let end = (start..entries.len())
            .find(|&i| large[i])
            .unwrap_or(entries.len());
        for group in entries[start..end].chunks(wave) {
            let packed: Vec<Vec<u8>> = group
                .par_chunks(BATCH)
                .map(|b| batch(zip_path, b, epoch))
                .collect::<Result<_>>()?;
            for bytes in packed {
                let mut part = ZipArchive::new(Cursor::new(bytes)).map_err(zerr)?;
                for i in 0..part.len() {
                    let entry = part.by_index_raw(i).map_err(zerr)?;
                    zip.raw_copy_file(entry).map_err(zerr)?;
                }
            }
        }
        if let Some((name, Source::File(path))) = entries.get(end) {
            zip.start_file(name.as_str(), options_for(name, epoch))
                .map_err(zerr)?;
            copy_in_pieces(path, &mut zip).map_err(io(path))?;
        }
        start = end + 1;
    }
    let mut out = zip.finish().map_err(zerr)?;
    out.flush().map_err(io(zip_path))?;
    drop(out);
    publish(tmp, zip_path)
}

/// Puts the complete archive `tmp` at `zip_path` unless that already holds the same bytes,
/// and writes its checksum beside it; returns whether the file on disk changed.
fn publish(tmp: tempfile::NamedTempFile, zip_path: &Path) -> Result<bool> {
    let io = |source| Error::Io {
        path: zip_path.to_path_buf(),
        source,
    };
    let fresh = hash_file(tmp.path());
    let changed = fresh.is_none() || fresh != hash_file(zip_path);
    if changed {
        set_readable(tmp.as_file()).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(zip_path).map_err(|e| io(e.error))?;
    }
    if let Some((sha256, _)) = fresh {
        write_atomic(
            &sidecar(zip_path),
            checksum_line(zip_path, &sha256).as_bytes(),
        )?;
    }
    Ok(changed)
}

/// `YYYY-MM.zip.sha256`.
pub(crate) fn sidecar(zip_path: &Path) -> PathBuf {
    let mut name = zip_path.file_name().unwrap_or_default().to_os_string();
    name.push(".sha256");
    zip_path.with_file_name(name)
}

fn checksum_line(zip_path: &Path, sha256: &str) -> String {
    let name = zip_path.file_name().unwrap_or_default().to_string_lossy();
    format!("{sha256}  {name}\n")
}

/// Does the zip on disk still have the hash its checksum file records?
pub(crate) fn intact(zip_path: &Path) -> bool {
    let Ok(line) = read_regular(&sidecar(zip_path)) else {
        return false;
    };
    hash_file(zip_path)
        .is_some_and(|(sha256, _)| line == checksum_line(zip_path, &sha256).as_bytes())
}

/// Is the zip on disk the bundle of `manifest`: intact (see [`intact`]) and holding exactly
/// these bytes as `<prefix>/manifest.json`? A zip left by a run interrupted after writing a
/// new manifest, or an old zip with its old checksum, holds another manifest.
pub(crate) fn matches(zip_path: &Path, prefix: &str, manifest: &[u8]) -> bool {
    intact(zip_path) && manifest_inside(zip_path, prefix).is_some_and(|m| m == manifest)
}

fn manifest_inside(zip_path: &Path, prefix: &str) -> Option<Vec<u8>> {
    let file = open_regular(zip_path).ok()?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let mut entry = archive.by_name(&format!("{prefix}/manifest.json")).ok()?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dos_times_clamp_and_convert() {
        assert_eq!(dos_time(0), zip::DateTime::default());
        let t = dos_time(1_668_384_000); // 2022-11-14T00:00:00Z
        assert_eq!((t.year(), t.month(), t.day()), (2022, 11, 14));
        assert_eq!(dos_time(i64::MAX).year(), 2107);
    }

    #[test]
    fn files_streamed_from_disk_are_stored_alike_and_deflated_reproducibly() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (name, len) in [
            ("a/x.pdf", 300_000usize),
            ("b.docx", 200_000),
            ("c.pdf", 10),
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            files.push(FileEntry {
                path: name.into(),
                sha256: String::new(),
                size: len as u64,
            });
        }
        let out = tempfile::tempdir().unwrap();
        let zip = |name: &str, files: &[FileEntry], above: u64| {
            let path = out.path().join(name);
            let manifest = Manifest {
                json: b"{}",
                signature: None,
            };
            write_zip(&path, dir.path(), "m", manifest, files, 0, above).unwrap();
            std::fs::read(path).unwrap()
        };
        // PDFs are stored: streamed or batched, the same bytes.
        let pdfs = [files[0].clone(), files[2].clone()];
        assert_eq!(zip("b.zip", &pdfs, u64::MAX), zip("s.zip", &pdfs, 100));
        // Every entry streamed: the same zip on every run, with the files' contents.
        let streamed = zip("s1.zip", &files, 100);
        assert_eq!(streamed, zip("s2.zip", &files, 100));
        let mut archive = ZipArchive::new(Cursor::new(streamed)).unwrap();
        for f in &files {
            let mut entry = archive.by_name(&format!("m/{}", f.path)).unwrap();
            let mut got = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut got).unwrap();
            assert_eq!(got, std::fs::read(dir.path().join(&f.path)).unwrap());
        }
    }
}
