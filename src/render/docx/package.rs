//! The DOCX package after docx-rs: re-compression with fixed entry metadata (completing the
//! body part through a [`CompleteBody`], which `splice` gives), and the two parts docx-rs cannot fill in (the title in
//! `docProps/core.xml`, the fonts of the `Normal` style in `word/styles.xml`).

use std::io::{Cursor, Read, Seek, Write};
use std::sync::{Arc, Mutex};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipArchive, ZipWriter};

use crate::error::{Error, Result};

/// The part that holds the body.
pub(super) const DOCUMENT: &str = "word/document.xml";

/// Writes the finished body part, given docx-rs's [`DOCUMENT`], into the archive's writer.
pub(super) type CompleteBody<'a> = Box<dyn FnOnce(&[u8], &mut dyn Write) -> Result<()> + 'a>;

/// `epoch` (seconds since 1970, UTC) as `YYYY-MM-DDTHH:MM:SSZ`, clamped to years 0–9999.
pub(super) fn rfc3339(epoch: i64) -> String {
    let t = crate::calendar::Utc::from_epoch(epoch);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Re-writes docx-rs's stored (uncompressed) archive with Deflate, in the same entry order,
/// with a fixed time stamp, fixed permissions and no extra fields, into `sink`; patches two
/// parts and completes `word/document.xml` with `complete` if given.
pub(super) fn recompress<W: Write + Seek>(
    stored: &[u8],
    title: &str,
    family: &str,
    mut complete: Option<CompleteBody<'_>>,
    sink: W,
) -> Result<W> {
    let err = |e: zip::result::ZipError| Error::Docx(format!("re-packing the archive: {e}"));
    let mut input = ZipArchive::new(Cursor::new(stored)).map_err(err)?;
    let mut output = ZipWriter::new(sink);
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .system(System::Unix)
        .large_file(false);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).map_err(err)?;
        let name = entry.name().to_owned();
        if entry.is_dir() {
            output
                .add_directory(name, base.unix_permissions(0o755))
                .map_err(err)?;
            continue;
        }
        let mut data = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .read_to_end(&mut data)
            .map_err(|e| Error::Docx(format!("re-packing {name}: {e}")))?;
        let data = patch(&name, data, title, family)?;
        let options = file_options(base, DOCUMENT_LEVEL);
        if name != DOCUMENT && name != CORE {
            let part = compressed_part(&name, &data, base)?;
            let mut part = ZipArchive::new(Cursor::new(&part[..])).map_err(err)?;
            output
                .raw_copy_file(part.by_index_raw(0).map_err(err)?)
                .map_err(err)?;
            continue;
        }
        output.start_file(name.as_str(), options).map_err(err)?;
        match complete.take_if(|_| name == DOCUMENT) {
            Some(complete) => complete(&data, &mut output)?,
            None => output
                .write_all(&data)
                .map_err(|e| Error::Docx(format!("re-packing {name}: {e}")))?,
        }
    }
    if complete.is_some() {
        return Err(Error::Docx(format!("docx-rs wrote no {DOCUMENT}")));
    }
    output.finish().map_err(err)
}

/// The part that holds the title: it differs from document to document.
const CORE: &str = "docProps/core.xml";

/// The Deflate level of the two parts written for each document (the body and the title's
/// part). Measured on the reference notice's `word/document.xml` (29.8 KB; zlib-rs, one
/// core, best of 7): 0.30 ms to 4,064 bytes at 9, 0.14 ms to 4,434 at 3 (zlib-rs's medium
/// matcher, shortest chains); the notice's DOCX grows from 11,956 to 12,332 bytes.
const DOCUMENT_LEVEL: i64 = 3;

/// The Deflate level of the parts that are the same in every document of a run: compressed
/// once ([`compressed_part`]), so the best compression costs nothing per document.
const SHARED_PART_LEVEL: i64 = 9;

/// How every file entry is written: Deflate at `level`, permissions 0644.
fn file_options(base: SimpleFileOptions, level: i64) -> SimpleFileOptions {
    base.compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
        .unix_permissions(0o644)
}

/// Parts compressed before, as one-entry archives: the name, the part's bytes, the archive.
type Parts = Vec<(String, Vec<u8>, Arc<Vec<u8>>)>;

/// The compressed parts kept; the oldest goes first. A run renders a few page setups and
/// font families, each giving about 15 parts that are the same in every document.
const PARTS_KEPT: usize = 128;

static PARTS: Mutex<Parts> = Mutex::new(Vec::new());

/// Part `name` holding `data`, compressed, as a one-entry archive written with
/// [`file_options`] at [`SHARED_PART_LEVEL`]; copied raw into the package, it gives the bytes
/// compressing it there would. The parts docx-rs writes besides the body and the title are
/// the same in every document of a page setup and font family: each is compressed once, not
/// once a document (the reference notice's DOCX: 15 of its 18 parts, 0.7 of 2.6 ms on one core).
fn compressed_part(name: &str, data: &[u8], base: SimpleFileOptions) -> Result<Arc<Vec<u8>>> {
    let lock = || {
        PARTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let found = lock()
        .iter()
        .find(|(n, d, _)| n == name && d == data)
        .map(|(_, _, part)| Arc::clone(part));
    if let Some(part) = found {
        return Ok(part);
    }
    let err = |e: zip::result::ZipError| Error::Docx(format!("compressing {name}: {e}"));
    let mut one = ZipWriter::new(Cursor::new(Vec::new()));
    one.start_file(name, file_options(base, SHARED_PART_LEVEL))
        .map_err(err)?;
    one.write_all(data)
        .map_err(|e| Error::Docx(format!("compressing {name}: {e}")))?;
    let part = Arc::new(one.finish().map_err(err)?.into_inner());
    let mut parts = lock();
    if parts.len() >= PARTS_KEPT {
        parts.remove(0);
    }
    parts.push((name.to_owned(), data.to_vec(), Arc::clone(&part)));
    Ok(part)
}

fn patch(name: &str, data: Vec<u8>, title: &str, family: &str) -> Result<Vec<u8>> {
    let (anchor, replacement) = match name {
        "docProps/core.xml" if !title.trim().is_empty() => (
            "</cp:coreProperties>".to_owned(),
            format!("<dc:title>{}</dc:title></cp:coreProperties>", escape(title)),
        ),
        // docx-rs always writes a `Normal` style with empty run properties.
        "word/styles.xml" => {
            let f = escape(family);
            (
                NORMAL_RPR.to_owned(),
                format!(
                    r#"<w:name w:val="Normal" /><w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}" w:eastAsia="{f}" /></w:rPr>"#
                ),
            )
        }
        _ => return Ok(data),
    };
    let text = String::from_utf8(data)
        .map_err(|_| Error::Docx(format!("{name} from docx-rs is not UTF-8")))?;
    if !text.contains(&anchor) {
        return Err(Error::Docx(format!(
            "{name}: unexpected layout from docx-rs (no `{anchor}`)"
        )));
    }
    Ok(text.replacen(&anchor, &replacement, 1).into_bytes())
}

pub(super) const NORMAL_RPR: &str = r#"<w:name w:val="Normal" /><w:rPr />"#;

/// XML text and attribute escaping; characters XML cannot hold are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SimpleFileOptions {
        SimpleFileOptions::default()
            .last_modified_time(DateTime::default())
            .system(System::Unix)
            .large_file(false)
    }

    /// An archive of `parts`, each compressed in place or copied from [`compressed_part`].
    fn archive(parts: &[(&str, &[u8])], copied: bool) -> Vec<u8> {
        let mut out = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            if copied {
                let part = compressed_part(name, data, base()).unwrap();
                let mut one = ZipArchive::new(Cursor::new(&part[..])).unwrap();
                out.raw_copy_file(one.by_index_raw(0).unwrap()).unwrap();
            } else {
                out.start_file(*name, file_options(base(), SHARED_PART_LEVEL))
                    .unwrap();
                out.write_all(data).unwrap();
            }
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn issue11_parts_compressed_once_give_the_bytes_compressed_in_place() {
        let styles = "<w:styles>".repeat(300);
        let parts: [(&str, &[u8]); 3] = [
            ("word/styles.xml", styles.as_bytes()),
            ("word/settings.xml", b"<w:settings />"),
            ("word/empty.xml", b""),
        ];
        let direct = archive(&parts, false);
        // Twice: the second time every part comes from the kept ones.
        assert_eq!(archive(&parts, true), direct);
        assert_eq!(archive(&parts, true), direct);
        // A part is found by its bytes, not only its name.
        let other: [(&str, &[u8]); 1] = [("word/settings.xml", b"<w:settings/>")];
        assert_eq!(archive(&other, true), archive(&other, false));
        let mut zip = ZipArchive::new(Cursor::new(&direct[..])).unwrap();
        let mut text = String::new();
        zip.by_name("word/styles.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, styles);
    }
}
