//! The DOCX package after docx-rs: re-compression with fixed entry metadata (completing the
//! body part through a [`CompleteBody`], which `splice` gives), and the two parts docx-rs cannot fill in (the title in
//! `docProps/core.xml`, the fonts of the `Normal` style in `word/styles.xml`).

use std::io::{Cursor, Read, Seek, Write};

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
        let options = base
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9))
            .unix_permissions(0o644);
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
