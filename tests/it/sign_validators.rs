//! The validators the `vanthu sign` tests read (issue 12): pdfsig with an NSS database that
//! trusts the test CA (never `-no-ocsp`), pyHanko (`VANTHU_PYHANKO` or `pyhanko` on PATH),
//! `openssl cms -verify` over each signature's byte range, and `qpdf --check`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use crate::sign_support::Fixture;

/// The NSS database trusting the test CA (made once per fixture).
fn nss(fx: &Fixture) -> PathBuf {
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = fx.path("nss");
    if !dir.join("cert9.db").exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let db = format!("sql:{}", dir.display());
        common::run_tool(Command::new("certutil").args(["-N", "--empty-password", "-d", &db]));
        common::run_tool(
            Command::new("certutil")
                .args(["-A", "-n", "ca", "-t", "CT,C,C", "-i"])
                .arg(fx.path("ca.pem"))
                .args(["-d", &db]),
        );
    }
    dir
}

/// pdfsig's report, one entry per signature (`None`: pdfsig or certutil missing); the empty
/// signature fields of a PDF rendered with `--signing-fields` are left out.
pub fn pdfsig(fx: &Fixture, pdf: &Path) -> Option<Vec<String>> {
    if !common::have("pdfsig") || !common::have("certutil") {
        return None;
    }
    let db = format!("sql:{}", nss(fx).display());
    let o = Command::new("pdfsig")
        .args(["-nssdir", &db])
        .arg(pdf)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    Some(
        text.split("Signature #")
            .skip(1)
            .filter(|s| !s.contains("The signature form field is not signed"))
            .map(str::to_string)
            .collect(),
    )
}

/// Asserts pdfsig finds `count` signatures, each valid, trusted and ETSI.CAdES.detached, the
/// last covering the whole document.
pub fn assert_pdfsig_valid(fx: &Fixture, pdf: &Path, count: usize) {
    let Some(sigs) = pdfsig(fx, pdf) else { return };
    assert_eq!(sigs.len(), count, "{sigs:#?}");
    for s in &sigs {
        for want in [
            "Signature is Valid.",
            "Certificate is Trusted.",
            "ETSI.CAdES.detached",
        ] {
            assert!(s.contains(want), "pdfsig: no `{want}` in\n{s}");
        }
    }
    let last = sigs.last().unwrap();
    assert!(last.contains("Total document signed"), "{last}");
}

/// The pyHanko command, if installed.
pub fn pyhanko() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("VANTHU_PYHANKO") {
        return Some(PathBuf::from(p));
    }
    common::have("pyhanko").then(|| PathBuf::from("pyhanko"))
}

/// pyHanko's judgement of each signature field: (field, VALID?).
pub fn pyhanko_judgements(fx: &Fixture, pdf: &Path) -> Option<Vec<(String, bool)>> {
    let exe = pyhanko()?;
    let o = Command::new(exe)
        .args([
            "sign",
            "validate",
            "--pretty-print",
            "--no-revocation-check",
            "--trust-replace",
        ])
        .arg("--trust")
        .arg(fx.path("ca.pem"))
        .arg(pdf)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    let mut out = Vec::new();
    for part in text.split("Field ").skip(1) {
        let field = part
            .lines()
            .next()
            .unwrap_or("")
            .split(": ")
            .nth(1)
            .unwrap_or("")
            .to_string();
        out.push((field, part.contains("The signature is judged VALID.")));
    }
    if out.is_empty() {
        out.push((text, false));
    }
    Some(out)
}

pub fn assert_pyhanko_valid(fx: &Fixture, pdf: &Path, fields: &[&str]) {
    let Some(judged) = pyhanko_judgements(fx, pdf) else {
        return;
    };
    let names: Vec<&str> = judged.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, fields, "{judged:#?}");
    assert!(judged.iter().all(|(_, ok)| *ok), "pyHanko: {judged:#?}");
}

/// Each signature's CMS (DER, padding cut) and the bytes its byte range covers, from the PDF.
pub fn signatures(pdf: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"Sig") {
            continue;
        }
        let range: Vec<usize> = d
            .get(b"ByteRange")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_i64().unwrap() as usize)
            .collect();
        let contents = d.get(b"Contents").unwrap().as_str().unwrap();
        out.push((range[1], der_cut(contents), range));
    }
    out.sort_by_key(|s| s.0);
    out.into_iter()
        .map(|(_, cms, r)| {
            let mut signed = pdf[r[0]..r[0] + r[1]].to_vec();
            signed.extend_from_slice(&pdf[r[2]..r[2] + r[3]]);
            (cms, signed)
        })
        .collect()
}

/// The DER value at the start of `bytes` (the rest is the zero padding).
fn der_cut(bytes: &[u8]) -> Vec<u8> {
    let len = if bytes[1] & 0x80 == 0 {
        2 + bytes[1] as usize
    } else {
        let n = (bytes[1] & 0x7f) as usize;
        2 + n
            + bytes[2..2 + n]
                .iter()
                .fold(0usize, |a, &b| a << 8 | b as usize)
    };
    bytes[..len].to_vec()
}

/// `openssl cms -verify` of each signature of `pdf` against the test CA: succeeded?
pub fn openssl_verify(fx: &Fixture, pdf: &[u8]) -> Vec<bool> {
    let dir = tempfile::tempdir().unwrap();
    signatures(pdf)
        .iter()
        .enumerate()
        .map(|(i, (cms, signed))| {
            let (sig, content) = (
                dir.path().join(format!("{i}.der")),
                dir.path().join(format!("{i}.bin")),
            );
            std::fs::write(&sig, cms).unwrap();
            std::fs::write(&content, signed).unwrap();
            Command::new("openssl")
                .args([
                    "cms",
                    "-verify",
                    "-binary",
                    "-inform",
                    "DER",
                    "-purpose",
                    "any",
                    "-out",
                    "/dev/null",
                    "-in",
                ])
                .arg(&sig)
                .arg("-content")
                .arg(&content)
                .arg("-CAfile")
                .arg(fx.path("ca.pem"))
                .output()
                .unwrap()
                .status
                .success()
        })
        .collect()
}

/// `qpdf --check` finds no problem (`None` without qpdf).
pub fn qpdf_clean(pdf: &Path) -> Option<bool> {
    if !common::have("qpdf") {
        return None;
    }
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    Some(o.status.success() && text.contains("No syntax or stream encoding errors found"))
}
