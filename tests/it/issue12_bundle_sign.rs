//! Issue 12: `bundle --sign`. Every PDF of the month is signed by the organisation (the seal
//! in the `organisation` field of a notice; invisibly on a news item or the monthly report,
//! which have none), `manifest.json.p7s` is a detached CMS that `openssl cms -verify` checks
//! (and that fails once the manifest changes), the zip carries it, a rerun signs nothing
//! again, a run without `--sign` drops the stale signature, and a key that cannot sign stops
//! the run before any work.

use std::path::Path;
use std::process::{Command, Output};

use crate::common;
use crate::sign_support::{fixture, time, Fixture};
use crate::sign_validators::{assert_pdfsig_valid, assert_pyhanko_valid, openssl_verify};

const MONTH: &str = "2022-11";

fn bundle(fx: &Fixture, dir: &Path, sign: bool, p12: &str) -> Output {
    let mut cmd = common::bin();
    cmd.args(["bundle", "in", "--month", MONTH, "--out", "out"])
        .env("P12PW", "secret")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .current_dir(dir);
    if sign {
        cmd.arg("--sign")
            .arg("--p12")
            .arg(fx.path(p12))
            .args(["--password-env", "P12PW", "--time", time()])
            .arg("--seal")
            .arg(fx.path("seal.png"));
    }
    cmd.output().unwrap()
}

/// Three records of the month (the reference record, renumbered).
fn records(dir: &Path) {
    let text =
        std::fs::read_to_string(common::root().join("../shared/examples/thuan-2022-11-10.yaml"))
            .unwrap();
    std::fs::create_dir_all(dir.join("in")).unwrap();
    for i in 0..3 {
        let t = text.replacen("    number: 245", &format!("    number: {}", 300 + i), 1);
        std::fs::write(dir.join(format!("in/r{i}.yaml")), t).unwrap();
    }
}

fn p7s_verifies(fx: &Fixture, month: &Path) -> bool {
    Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(month.join("manifest.json.p7s"))
        .arg("-content")
        .arg(month.join("manifest.json"))
        .arg("-CAfile")
        .arg(fx.path("ca.pem"))
        .args(["-out", "/dev/null"])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn issue12_a_signed_bundle_signs_every_pdf_and_its_manifest() {
    let Some(fx) = fixture() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    records(dir);
    let o = bundle(fx, dir, true, "rsa.p12");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let month = dir.join("out").join(MONTH);
    let notice = month.join("r0/thong-bao-ket-luan.pdf");
    for pdf in [
        notice.clone(),
        month.join("r1/tin-bai.pdf"),
        month.join("bao-cao-thang.pdf"),
    ] {
        assert_pdfsig_valid(fx, &pdf, 1);
        assert_eq!(
            openssl_verify(fx, &std::fs::read(&pdf).unwrap()),
            vec![true]
        );
    }
    assert_pyhanko_valid(fx, &notice, &["organisation"]);
    assert!(
        p7s_verifies(fx, &month),
        "manifest.json.p7s does not verify"
    );
    let zip = std::fs::read(month.join("2022-11.zip")).unwrap();
    const NAME: &[u8] = b"2022-11/manifest.json.p7s";
    assert!(
        zip.windows(NAME.len()).any(|w| w == NAME),
        "the zip lacks manifest.json.p7s"
    );
    // A rerun signs nothing again: the same bytes, nothing rendered.
    let before = std::fs::read(&notice).unwrap();
    let o = bundle(fx, dir, true, "rsa.p12");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("0 rendered, 3 reused"), "{err}");
    assert_eq!(std::fs::read(&notice).unwrap(), before);
    assert!(p7s_verifies(fx, &month));
    // The manifest changed by hand: its signature no longer verifies.
    let manifest = month.join("manifest.json");
    let mut m = std::fs::read(&manifest).unwrap();
    m.push(b'\n');
    std::fs::write(&manifest, &m).unwrap();
    assert!(
        !p7s_verifies(fx, &month),
        "a changed manifest still verifies"
    );
    // Without --sign: the documents are rendered again unsigned and the signature goes.
    let o = bundle(fx, dir, false, "rsa.p12");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!month.join("manifest.json.p7s").exists());
    let plain = std::fs::read(&notice).unwrap();
    assert!(!plain.windows(8).any(|w| w == b"/ByteRan"), "still signed");
}

#[test]
fn issue12_a_bundle_key_that_cannot_sign_stops_before_any_work() {
    let Some(fx) = fixture() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    records(dir);
    // A certificate without a signing key usage: refused up front, naming the key file.
    let o = bundle(fx, dir, true, "encipher.p12");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("encipher.p12") && err.contains("key usage"),
        "{err}"
    );
    assert!(!dir.join("out").join(MONTH).exists(), "it wrote");
    // A key without --sign is a usage error.
    let o = common::bin()
        .args(["bundle", "in", "--month", MONTH, "--out", "out", "--p12"])
        .arg(fx.path("rsa.p12"))
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only with --sign"));
}
