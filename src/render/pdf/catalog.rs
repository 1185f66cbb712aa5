//! The last objects of the file: the document catalog (with the signature form of
//! `--signing-fields` and the PDF/A entries of `--pdfa`) and the Info dictionary.

use pdf_writer::{Name, Ref, Str, TextStr};

use crate::error::Result;
use crate::render::pdf::archive::{self, Info};
use crate::render::pdf::file::PdfFile;

/// What the catalog and the Info dictionary say.
pub(super) struct Ending<'a> {
    pub catalog: Ref,
    pub pages: Ref,
    pub info: Ref,
    /// The signature fields, in the form's order (none: no form).
    pub form: Vec<Ref>,
    pub title: &'a str,
    pub epoch: i64,
    pub pdfa: bool,
}

/// Writes the catalog and the Info dictionary (and, for PDF/A, the metadata and the output
/// intent's profile), then the object stream and the cross-reference.
pub(super) fn finish(mut file: PdfFile<'_>, end: &Ending<'_>) -> Result<()> {
    let producer = format!("vanthu {}", env!("CARGO_PKG_VERSION"));
    let archival = if end.pdfa {
        let info = Info {
            title: end.title,
            producer: &producer,
            epoch: end.epoch,
        };
        Some(archive::write(&mut file, &info)?)
    } else {
        None
    };
    file.packed(|c| {
        let mut d = c.indirect(end.catalog).dict();
        d.pair(Name(b"Type"), Name(b"Catalog"))
            .pair(Name(b"Pages"), end.pages);
        if !end.form.is_empty() {
            // No /SigFlags while unsigned: the signer sets them.
            d.insert(Name(b"AcroForm"))
                .dict()
                .insert(Name(b"Fields"))
                .array()
                .items(end.form.iter().copied());
        }
        if let Some(a) = &archival {
            a.catalog_entries(&mut d);
        }
    })?;
    let date = pdf_date(end.epoch);
    file.packed(|c| {
        c.indirect(end.info)
            .dict()
            .pair(Name(b"Title"), TextStr(end.title))
            .pair(Name(b"Producer"), Str(producer.as_bytes()))
            .pair(Name(b"CreationDate"), Str(date.as_bytes()))
            .pair(Name(b"ModDate"), Str(date.as_bytes()));
    })?;
    file.finish(end.catalog, end.info)
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since the epoch.
pub(crate) fn pdf_date(epoch: i64) -> String {
    let t = crate::calendar::Utc::from_epoch(epoch);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}
