//! Issue 12: signing keeps PDF/A-2b. A notice rendered with `--pdfa --signing-fields`, signed
//! by its signer (image with a soft mask), sealed by the organisation and signed as an
//! electronic copy (text in an embedded font subset), still passes every rule of
//! `issue12_pdfa::RULES`, and qpdf finds nothing.

use crate::common;
use crate::issue12_pdfa::failures;
use crate::sign_support::{fixture, sign_as};
use crate::sign_validators::{assert_pdfsig_valid, qpdf_clean};

#[test]
fn issue12_signatures_keep_pdfa_2b() {
    let Some(fx) = fixture() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = common::bin()
        .arg("render")
        .arg(common::root().join("../shared/examples/thuan-2022-11-10.yaml"))
        .args(["--out", "out", "--pdfa", "--signing-fields"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plain = dir.join("out/thuan-2022-11-10/thong-bao-ket-luan.pdf");
    assert_eq!(failures(&plain), Vec::<String>::new(), "before signing");
    let steps: [(&str, &str, &str, &[&str]); 3] = [
        ("person", "rsa.p12", "s1.pdf", &["--image", "sig.png"]),
        ("organisation", "ec.p12", "s2.pdf", &["--image", "seal.png"]),
        ("copy", "third.p12", "s3.pdf", &[]),
    ];
    let mut input = plain.clone();
    for (role, key, out, extra) in steps {
        let out = dir.join(out);
        sign_as(fx, (&input, &out), role, key, extra);
        assert_eq!(
            failures(&out),
            Vec::<String>::new(),
            "after signing as {role}"
        );
        if let Some(clean) = qpdf_clean(&out) {
            assert!(clean, "qpdf --check after {role}");
        }
        input = out;
    }
    assert_pdfsig_valid(fx, &input, 3);
}
