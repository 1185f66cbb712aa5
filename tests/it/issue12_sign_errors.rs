//! `vanthu sign` refusals a clerk can act on (issue 12): each exits 2, names the file the
//! problem is in, says what to do, and writes nothing.

use crate::issue12_sign::{sign_organisation, sign_person};
use crate::sign_support::{fixture, rect_arg, sign, time, PERSON_RECT};

/// Runs `vanthu sign` expecting a refusal naming `file` and saying `says`.
fn refused(args: &[&str], file: &str, says: &str) {
    let Some(fx) = fixture() else { return };
    let out = args[args.iter().position(|a| *a == "-o").unwrap() + 1];
    let o = sign(&fx.dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("error: {file}: ")) && err.contains(says),
        "{err}"
    );
    assert!(!fx.path(out).exists(), "{out} written despite the error");
}

fn person(out: &str, p12: &str, image: &str, time: &str) -> Vec<String> {
    let rect = rect_arg(PERSON_RECT);
    [
        "notice.pdf",
        "-o",
        out,
        "--role",
        "person",
        "--p12",
        p12,
        "--password-env",
        "P12PW",
        "--image",
        image,
        "--page",
        "3",
        "--rect",
        &rect,
        "--time",
        time,
    ]
    .map(String::from)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn issue12_a_wrong_password_names_the_key_file() {
    let Some(fx) = fixture() else { return };
    std::fs::write(fx.path("wrong.txt"), "not-it\n").unwrap();
    let mut args = person("e1.pdf", "rsa.p12", "sig.png", time());
    args[7] = "--password-file".into();
    args[8] = "wrong.txt".into();
    refused(&strs(&args), "rsa.p12", "wrong password");
}

#[test]
fn issue12_an_expired_or_not_yet_valid_certificate_is_refused_at_the_claimed_time() {
    refused(
        &strs(&person(
            "e2.pdf",
            "ec.p12",
            "sig.png",
            "2099-01-01T00:00:00+07:00",
        )),
        "ec.p12",
        "expired",
    );
    refused(
        &strs(&person(
            "e3.pdf",
            "ec.p12",
            "sig.png",
            "2001-01-01T00:00:00Z",
        )),
        "ec.p12",
        "not valid yet",
    );
}

#[test]
fn issue12_a_certificate_without_a_signing_key_usage_is_refused() {
    refused(
        &strs(&person("e4.pdf", "encipher.p12", "sig.png", time())),
        "encipher.p12",
        "digitalSignature",
    );
}

#[test]
fn issue12_a_png_without_transparency_is_refused() {
    refused(
        &strs(&person("e5.pdf", "rsa.p12", "opaque.png", time())),
        "opaque.png",
        "no transparency",
    );
}

#[test]
fn issue12_a_signed_field_a_signed_role_and_no_free_field_are_refused() {
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "f1.pdf");
    sign_organisation(fx, "f1.pdf", "f2.pdf");
    refused(
        &[
            "f1.pdf",
            "-o",
            "e6.pdf",
            "--role",
            "person",
            "--field",
            "person-1",
            "--p12",
            "ec.p12",
            "--password-env",
            "P12PW",
            "--image",
            "sig.png",
            "--time",
            time(),
        ],
        "f1.pdf",
        "already signed",
    );
    refused(
        &[
            "f2.pdf",
            "-o",
            "e7.pdf",
            "--role",
            "organisation",
            "--p12",
            "third.p12",
            "--password-env",
            "P12PW",
            "--image",
            "seal.png",
            "--time",
            time(),
        ],
        "f2.pdf",
        "already signed as organisation",
    );
    refused(
        &[
            "f1.pdf",
            "-o",
            "e8.pdf",
            "--role",
            "person",
            "--p12",
            "third.p12",
            "--password-env",
            "P12PW",
            "--image",
            "sig.png",
            "--time",
            time(),
        ],
        "f1.pdf",
        "no free signature field",
    );
}
