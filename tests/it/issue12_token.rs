//! Issue 12: a key on a PKCS#11 token. SoftHSM2 holds the P-256 signer's key and certificate
//! (imported with `softhsm2-util` and `pkcs11-tool`); `vanthu sign --pkcs11` signs the notice
//! rendered with `--signing-fields` as its signer (person-1), the seal is added with the
//! PKCS#12 key, and both signatures pass pdfsig, pyHanko, `openssl cms` and qpdf. A wrong
//! PIN, an unknown token label and a missing module are errors naming what to do.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;
use crate::sign_support::{fixture, time, Fixture};
use crate::sign_validators::{
    assert_pdfsig_valid, assert_pyhanko_valid, openssl_verify, qpdf_clean,
};

/// SoftHSM2's module, where Debian puts it; `None` (skipped loudly) without SoftHSM2.
fn softhsm() -> Option<PathBuf> {
    if !common::have("softhsm2-util") || !common::have("pkcs11-tool") {
        return None;
    }
    let module = [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists());
    assert!(
        module.is_some(),
        "softhsm2-util is installed but not its module"
    );
    module
}

/// A token `vanthu-test` (user PIN 1234) in its own folder, holding `ec.key` and `ec.pem`
/// under ID 01; the SOFTHSM2_CONF that finds it.
fn token(fx: &Fixture, module: &Path, dir: &Path) -> PathBuf {
    let conf = dir.join("softhsm2.conf");
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    std::fs::write(
        &conf,
        format!("directories.tokendir = {}\n", dir.join("tokens").display()),
    )
    .unwrap();
    let script = format!(
        "set -e
softhsm2-util --init-token --free --label vanthu-test --pin 1234 --so-pin 5678 >/dev/null
openssl pkcs8 -topk8 -nocrypt -in '{key}' -out ec.pk8
softhsm2-util --import ec.pk8 --token vanthu-test --label signer --id 01 --pin 1234 >/dev/null
openssl x509 -in '{cert}' -outform DER -out ec.der
pkcs11-tool --module '{module}' --token-label vanthu-test --login --pin 1234 \
  --write-object ec.der --type cert --id 01 --label signer >/dev/null 2>&1",
        key = fx.path("ec.key").display(),
        cert = fx.path("ec.pem").display(),
        module = module.display(),
    );
    let o = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("SOFTHSM2_CONF", &conf)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    conf
}

fn sign_with_token(conf: &Path, dir: &Path, module: &Path, extra: &[&str], pin: &str) -> Output {
    common::bin()
        .arg("sign")
        .args(["notice.pdf", "-o", "t1.pdf", "--role", "person"])
        .args(["--pkcs11", &module.display().to_string()])
        .args(["--password-env", "PIN", "--time", time()])
        .args(extra)
        .env("SOFTHSM2_CONF", conf)
        .env("PIN", pin)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn issue12_a_token_key_signs_as_the_signer_and_validates() {
    let (Some(fx), Some(module)) = (fixture(), softhsm()) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conf = token(fx, &module, dir);
    let o = common::bin()
        .args(["render"])
        .arg(common::root().join("../shared/examples/thuan-2022-11-10.yaml"))
        .args(["--out", "out", "--signing-fields"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::copy(
        dir.join("out/thuan-2022-11-10/thong-bao-ket-luan.pdf"),
        dir.join("notice.pdf"),
    )
    .unwrap();
    let image = fx.path("sig.png").display().to_string();
    let o = sign_with_token(&conf, dir, &module, &["--image", &image], "1234");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The seal, with the organisation's PKCS#12 key, by incremental update.
    let o = common::bin()
        .arg("sign")
        .args(["t1.pdf", "-o", "t2.pdf", "--role", "organisation"])
        .arg("--p12")
        .arg(fx.path("rsa.p12"))
        .arg("--image")
        .arg(fx.path("seal.png"))
        .args(["--password-env", "P12PW", "--time", time()])
        .env("P12PW", "secret")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let signed = dir.join("t2.pdf");
    assert_pdfsig_valid(fx, &signed, 2);
    assert_pyhanko_valid(fx, &signed, &["person-1", "organisation"]);
    assert_eq!(
        openssl_verify(fx, &std::fs::read(&signed).unwrap()),
        vec![true, true]
    );
    if let Some(clean) = qpdf_clean(&signed) {
        assert!(clean, "qpdf --check");
    }
    // The certificate came from the token: the signer is the P-256 one.
    let text = String::from_utf8_lossy(
        &std::process::Command::new("pdfsig")
            .arg(&signed)
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(text.contains("Common Name: ec"), "{text}");
}

#[test]
fn issue12_token_errors_say_what_to_do() {
    let (Some(fx), Some(module)) = (fixture(), softhsm()) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let conf = token(fx, &module, dir);
    std::fs::copy(fx.path("notice.pdf"), dir.join("notice.pdf")).unwrap();
    let cases: [(&[&str], &str, &str); 3] = [
        (&[], "0000", "wrong PIN for the token"),
        (&["--token", "nobody"], "1234", "no token labelled `nobody`"),
        (
            &["--key-label", "nobody"],
            "1234",
            "no signing key labelled `nobody`",
        ),
    ];
    for (extra, pin, says) in cases {
        let mut args = vec![
            "--image",
            "sig.png",
            "--page",
            "3",
            "--rect",
            "112,175,182,199",
        ];
        args.extend_from_slice(extra);
        std::fs::copy(fx.path("sig.png"), dir.join("sig.png")).unwrap();
        let o = sign_with_token(&conf, dir, &module, &args, pin);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(says), "{extra:?}: {err}");
        assert!(!dir.join("t1.pdf").exists(), "{extra:?}: written");
    }
    // A module that is not there: named, with what to do.
    let o = sign_with_token(
        &conf,
        dir,
        Path::new("/nonexistent/libtoken.so"),
        &["--image", "sig.png"],
        "1234",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("/nonexistent/libtoken.so") && err.contains("install the token's driver"),
        "{err}"
    );
}
