//! `vanthu sign` (issue 12): signatures that pdfsig, pyHanko, `openssl cms` and qpdf accept,
//! one after another on the reference notice (a signer, the seal, an electronic copy), on a
//! PDF with a classic cross-reference table and on one signed by pyHanko first; a changed
//! byte fails every validator; the same inputs give the same bytes; the two-step flow.

use std::path::Path;

use crate::sign_support::{
    fixture, rect_arg, sh, sign_as, sign_ok, time, Fixture, ORGANISATION_RECT, PERSON_RECT,
};
use crate::sign_validators::{
    assert_pdfsig_valid, assert_pyhanko_valid, openssl_verify, pdfsig, pyhanko, pyhanko_judgements,
    qpdf_clean,
};

/// Signs `input` as person-1 (RSA, AES p12) into `out`.
pub fn sign_person(fx: &Fixture, input: &str, out: &str) {
    let rect = rect_arg(PERSON_RECT);
    sign_as(
        fx,
        (Path::new(input), Path::new(out)),
        "person",
        "rsa.p12",
        &["--image", "sig.png", "--page", "3", "--rect", &rect],
    );
}

/// Signs `input` as the organisation (P-256 key) into `out`.
pub fn sign_organisation(fx: &Fixture, input: &str, out: &str) {
    let rect = rect_arg(ORGANISATION_RECT);
    sign_as(
        fx,
        (Path::new(input), Path::new(out)),
        "organisation",
        "ec.p12",
        &["--image", "seal.png", "--page", "3", "--rect", &rect],
    );
}

pub fn check_all(fx: &Fixture, pdf: &Path, fields: &[&str]) {
    assert_pdfsig_valid(fx, pdf, fields.len());
    assert_pyhanko_valid(fx, pdf, fields);
    let bytes = std::fs::read(pdf).unwrap();
    assert_eq!(
        openssl_verify(fx, &bytes),
        vec![true; fields.len()],
        "openssl cms -verify"
    );
    if let Some(clean) = qpdf_clean(pdf) {
        assert!(clean, "qpdf --check finds a problem in {}", pdf.display());
    }
}

#[test]
fn issue12_a_signer_the_seal_and_a_copy_each_validate_and_keep_the_earlier_ones() {
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "a1.pdf");
    check_all(fx, &fx.path("a1.pdf"), &["person-1"]);
    sign_organisation(fx, "a1.pdf", "a2.pdf");
    check_all(fx, &fx.path("a2.pdf"), &["person-1", "organisation"]);
    sign_ok(
        &fx.dir,
        &[
            "a2.pdf",
            "-o",
            "a3.pdf",
            "--role",
            "copy",
            "--p12",
            "third.p12",
            "--password-file",
            "pw.txt",
            "--time",
            time(),
        ],
    );
    check_all(
        fx,
        &fx.path("a3.pdf"),
        &["person-1", "organisation", "electronic"],
    );
    // Incremental: each file starts with the one before, byte for byte.
    let (notice, a1, a3) = (
        read(fx, "notice.pdf"),
        read(fx, "a1.pdf"),
        read(fx, "a3.pdf"),
    );
    assert!(a1.starts_with(&notice) && a3.starts_with(&read(fx, "a2.pdf")));
}

fn read(fx: &Fixture, name: &str) -> Vec<u8> {
    std::fs::read(fx.path(name)).unwrap()
}

#[test]
fn issue12_one_changed_byte_in_the_signed_range_fails_pdfsig_pyhanko_and_openssl() {
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "t1.pdf");
    let mut bytes = read(fx, "t1.pdf");
    // A digit of the claimed time in the signature dictionary: signed, and still a PDF.
    let at = bytes.windows(6).rposition(|w| w == b"/M (D:").unwrap() + 8;
    bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
    let tampered = fx.path("t1-tampered.pdf");
    std::fs::write(&tampered, &bytes).unwrap();
    assert_eq!(openssl_verify(fx, &bytes), vec![false]);
    if let Some(sigs) = pdfsig(fx, &tampered) {
        assert_eq!(sigs.len(), 1);
        assert!(!sigs[0].contains("Signature is Valid."), "{}", sigs[0]);
    }
    if let Some(judged) = pyhanko_judgements(fx, &tampered) {
        assert!(judged.iter().all(|(_, ok)| !ok), "{judged:#?}");
    }
}

#[test]
fn issue12_the_same_inputs_give_the_same_bytes_and_a_legacy_p12_the_same_key() {
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "d1.pdf");
    sign_person(fx, "notice.pdf", "d2.pdf");
    assert_eq!(
        read(fx, "d1.pdf"),
        read(fx, "d2.pdf"),
        "PKCS#1 v1.5 is deterministic"
    );
    let rect = rect_arg(PERSON_RECT);
    sign_as(
        fx,
        (Path::new("notice.pdf"), Path::new("d3.pdf")),
        "person",
        "rsa-legacy.p12",
        &["--image", "sig.png", "--page", "3", "--rect", &rect],
    );
    assert_eq!(
        read(fx, "d1.pdf"),
        read(fx, "d3.pdf"),
        "3DES/RC2 p12 opens to the same key"
    );
    sign_ok(
        &fx.dir,
        &[
            "notice.pdf",
            "-o",
            "d4.pdf",
            "--role",
            "person",
            "--p12",
            "rsa.p12",
            "--pss",
            "--password-env",
            "P12PW",
            "--image",
            "sig.png",
            "--page",
            "3",
            "--rect",
            &rect,
            "--time",
            time(),
        ],
    );
    check_all(fx, &fx.path("d4.pdf"), &["person-1"]);
}

#[test]
fn issue12_two_steps_in_two_processes_with_openssl_signing_in_between() {
    let Some(fx) = fixture() else { return };
    let rect = rect_arg(PERSON_RECT);
    let prepare = |out: &str, cert: &str| {
        let o = crate::sign_support::sign(
            &fx.dir,
            &[
                "notice.pdf",
                "-o",
                out,
                "--prepare",
                "--cert",
                cert,
                "--role",
                "person",
                "--image",
                "sig.png",
                "--page",
                "3",
                "--rect",
                &rect,
                "--time",
                time(),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8(o.stdout).unwrap();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("sha256: "))
            .unwrap()
            .to_string()
    };
    // RSA: the digest printed, signed by `openssl pkeyutl` (PKCS#1 v1.5 with DigestInfo).
    let digest = prepare("r.pdf", "rsa-chain.pem");
    std::fs::write(fx.path("r.digest"), hex_decode(&digest)).unwrap();
    sh(
        &fx.dir,
        "openssl pkeyutl -sign -inkey rsa.key -pkeyopt digest:sha256 -in r.digest -out r.sig",
    );
    sign_ok(
        &fx.dir,
        &[
            "--finish",
            "-o",
            "r.pdf",
            "--signature",
            "r.sig",
            "--cert",
            "rsa-chain.pem",
        ],
    );
    assert!(!fx.path("r.pdf.prepared").exists() && !fx.path("r.pdf.tbs").exists());
    sign_person(fx, "notice.pdf", "r-one-step.pdf");
    assert_eq!(
        read(fx, "r.pdf"),
        read(fx, "r-one-step.pdf"),
        "same attributes in both flows"
    );
    // ECDSA: the DER of the signed attributes, signed by `openssl dgst`.
    prepare("e.pdf", "ec-chain.pem");
    sh(
        &fx.dir,
        "openssl dgst -sha256 -sign ec.key -out e.sig e.pdf.tbs",
    );
    sign_ok(
        &fx.dir,
        &[
            "--finish",
            "-o",
            "e.pdf",
            "--signature",
            "e.sig",
            "--cert",
            "ec-chain.pem",
        ],
    );
    check_all(fx, &fx.path("e.pdf"), &["person-1"]);
}

fn hex_decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn issue12_a_classic_xref_table_and_a_pdf_signed_by_pyhanko_sign_again() {
    let Some(fx) = fixture() else { return };
    if crate::common::have("qpdf") {
        sh(
            &fx.dir,
            "qpdf --object-streams=disable --compress-streams=n notice.pdf classic.pdf",
        );
        let classic = read(fx, "classic.pdf");
        let tail = String::from_utf8_lossy(&classic[classic.len() - 64..]).into_owned();
        assert!(
            classic.windows(5).any(|w| w == b"\nxref"),
            "qpdf wrote an xref table: {tail}"
        );
        sign_person(fx, "classic.pdf", "c1.pdf");
        let signed = read(fx, "c1.pdf");
        let update = &signed[classic.len()..];
        assert!(
            update.windows(5).any(|w| w == b"xref\n") && update.windows(7).any(|w| w == b"trailer")
        );
        check_all(fx, &fx.path("c1.pdf"), &["person-1"]);
    }
    let Some(exe) = pyhanko() else { return };
    sh(
        &fx.dir,
        &format!(
            "{} sign addsig --use-pades --field Sig1 pkcs12 --passfile pw.txt notice.pdf ph.pdf third.p12",
            exe.display()
        ),
    );
    sign_organisation(fx, "ph.pdf", "ph2.pdf");
    check_all(fx, &fx.path("ph2.pdf"), &["Sig1", "organisation"]);
}

#[test]
fn issue12_the_library_signs_bytes_in_memory_as_the_command_does() {
    use vanthu::sign::{p12::load_p12, sign_pdf, Image, Moment, NewField, Options, Role};
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "lib-cli.pdf");
    let key = load_p12(&read(fx, "rsa.p12"), "secret").unwrap();
    let options = Options {
        role: Role::Person,
        field: None,
        new_field: Some(NewField {
            page: 3,
            rect_mm: PERSON_RECT,
        }),
        image: Some(Image::from_png(&read(fx, "sig.png")).unwrap()),
        seal_mm: 36.0,
        time: Moment::parse_rfc3339(time()).unwrap(),
    };
    let signed = sign_pdf(&read(fx, "notice.pdf"), &options, &key).unwrap();
    assert_eq!(signed, read(fx, "lib-cli.pdf"));
}

#[test]
fn issue12_a_page_written_with_more_digits_than_an_f32_keeps_them_for_pyhankos_check() {
    let Some(fx) = fixture() else { return };
    if !crate::common::have("qpdf") {
        return;
    }
    let Some(exe) = pyhanko() else { return };
    // The notice's page sizes written with 16 digits (qpdf's QDF form, edited, then fixed).
    sh(
        &fx.dir,
        "qpdf --qdf --object-streams=disable notice.pdf q.pdf \
            && sed -e 's/^    595.27563$/    595.2756299999999/' \
                   -e 's/^    841.88983$/    841.8898299999999/' q.pdf | fix-qdf > hp.pdf",
    );
    assert!(read(fx, "hp.pdf")
        .windows(17)
        .any(|w| w == b"595.2756299999999"));
    // pyHanko signs in a new field on page 3; vanthu adds its field to page 1, which has no
    // /Annots yet, and then to page 3, whose /Annots pyHanko wrote.
    sh(&fx.dir, &format!(
        "{} sign addsig --use-pades --field 3/20,20,120,60/Sig1 pkcs12 --passfile pw.txt hp.pdf hp1.pdf third.p12",
        exe.display()
    ));
    sign_as(
        fx,
        (Path::new("hp1.pdf"), Path::new("hp2.pdf")),
        "copy",
        "rsa.p12",
        &[],
    );
    sign_organisation(fx, "hp2.pdf", "hp3.pdf");
    check_all(
        fx,
        &fx.path("hp3.pdf"),
        &["Sig1", "electronic", "organisation"],
    );
}
