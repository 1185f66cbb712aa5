//! Issue 11: `vanthu sign` reads the PDF with hayro-syntax instead of lopdf. A PDF whose
//! catalog, page tree and pages live in compressed object streams behind a cross-reference
//! stream (qpdf's `--object-streams=generate`), signed twice (three sections chained by
//! `/Prev`), validates with pdfsig, pyHanko, `openssl cms` and qpdf, and the page rewritten
//! keeps its values as qpdf wrote them. An encrypted PDF (even one with an empty user password,
//! which a reader opens silently) is refused.

use std::path::Path;

use crate::common::have;
use crate::issue12_sign::{check_all, sign_organisation, sign_person};
use crate::sign_support::{fixture, sh, sign};

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn issue11_object_streams_and_a_prev_chain_sign_and_validate() {
    let Some(fx) = fixture() else { return };
    if !have("qpdf") {
        return;
    }
    sh(
        &fx.dir,
        "qpdf --object-streams=generate notice.pdf objstm.pdf",
    );
    let original = std::fs::read(fx.path("objstm.pdf")).unwrap();
    assert!(
        count(&original, b"/ObjStm") > 0,
        "qpdf made no object stream"
    );
    assert_eq!(
        count(&original, b"/Type /Page"),
        0,
        "the pages are not inside compressed object streams"
    );
    sign_person(fx, "objstm.pdf", "os1.pdf");
    check_all(fx, &fx.path("os1.pdf"), &["person-1"]);
    let signed = std::fs::read(fx.path("os1.pdf")).unwrap();
    let update = &signed[original.len()..];
    // Page 3, taken out of its object stream, is written whole with the widget in /Annots,
    // its media box as qpdf wrote it, spaces and digits.
    assert_eq!(count(update, b"/Type /Page"), 1);
    assert_eq!(count(update, b"/MediaBox [ 0 0 595.27563 841.88983 ]"), 1);
    assert!(count(update, b"/Annots [") == 1 && count(update, b"/Type /XRef") == 1);
    sign_organisation(fx, "os1.pdf", "os2.pdf");
    check_all(fx, &fx.path("os2.pdf"), &["person-1", "organisation"]);
    let twice = std::fs::read(fx.path("os2.pdf")).unwrap();
    assert_eq!(
        count(&twice, b"/Prev "),
        2,
        "two updates, each pointing back"
    );
}

#[test]
fn issue11_an_encrypted_pdf_is_refused_even_with_an_empty_password() {
    let Some(fx) = fixture() else { return };
    if !have("qpdf") {
        return;
    }
    sh(
        &fx.dir,
        "qpdf --encrypt '' owner-secret 256 -- notice.pdf encrypted.pdf",
    );
    let out = Path::new("never.pdf");
    let o = sign(
        &fx.dir,
        &[
            "encrypted.pdf",
            "-o",
            out.to_str().unwrap(),
            "--role",
            "copy",
            "--p12",
            "rsa.p12",
            "--password-env",
            "P12PW",
        ],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{stderr}");
    assert!(stderr.contains("encrypted"), "{stderr}");
    assert!(!fx.path("never.pdf").exists());
}
