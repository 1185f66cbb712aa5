//! Issue 11: where vanthu reads another crate's output instead of calling an API, the crate is
//! pinned to an exact version in Cargo.toml, and this test pins the shape of that output, so
//! an update that changes it fails here, loudly and by name, before any document is written
//! wrong.

use pdf_writer::{Chunk, Name, Ref, Settings};

/// `render/pdf/file.rs` packs dictionaries into an object stream by cutting the object's body
/// out of what pdf-writer writes for an indirect object: after the first `obj\n`, up to the
/// last `\nendobj`.
#[test]
fn issue11_pdf_writer_writes_an_indirect_object_as_file_rs_cuts_it() {
    let mut chunk = Chunk::with_settings(Settings { pretty: false });
    chunk
        .indirect(Ref::new(7))
        .dict()
        .pair(Name(b"Type"), Name(b"Catalog"))
        .pair(Name(b"Pages"), Ref::new(3));
    let written = String::from_utf8_lossy(chunk.as_bytes()).into_owned();
    assert_eq!(
        written, "7 0 obj\n<</Type/Catalog/Pages 3 0 R>>\nendobj\n",
        "pdf-writer changed how it writes an indirect object: check PdfFile::packed in \
         src/render/pdf/file.rs before updating the pin in Cargo.toml"
    );
}
