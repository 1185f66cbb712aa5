//! Support for the `vanthu sign` tests (issue 12): a test CA made with `openssl` once per run
//! (root, RSA and P-256 signers with keyUsage digitalSignature,nonRepudiation and no
//! AIA/OCSP/CRL, a third signer, one without a signing key usage; PKCS#12 files with OpenSSL
//! 3's defaults (AES) and `-legacy`), test images made with the png crate (blue signature
//! strokes, a red seal ring, both with alpha and pHYs; an opaque one), the reference notice
//! rendered once, and the validators: pdfsig with an NSS database holding the CA, pyHanko,
//! `openssl cms -verify` and `qpdf --check`. Each tool missing skips loudly, or fails under
//! `VANTHU_REQUIRE_TOOLS=1`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common;

/// The claimed signing time of the tests: inside the test certificates' validity (made now,
/// valid from a day ago for a year).
pub fn time() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let out = Command::new("date")
            .args(["-u", "+%Y-%m-%dT%H:00:00Z"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    })
}

/// The test PKI and images, in a folder kept for the whole run.
pub struct Fixture {
    pub dir: PathBuf,
}

impl Fixture {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Runs a bash script (`-eu`) in `dir`; fails the test with its stderr when it fails.
pub fn sh(dir: &Path, script: &str) {
    let o = Command::new("bash")
        .arg("-euc")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const PKI: &str = r#"
cat > ca.cnf <<'E'
[ca]
default_ca = test
[test]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[signer]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[encipher]
basicConstraints = CA:FALSE
keyUsage = critical,keyEncipherment
E
: > index.txt
echo 01 > serial
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
  -subj "/CN=Vanthu Test Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue() { # name keyspec extensions
  if [ "$2" = ec ]; then openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
  else openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; fi
  openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1/O=Huyen uy Thuan" 2>/dev/null
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -out "$1.pem" \
    -extensions "$3" -startdate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" \
    -enddate "$(date -u -d '+365 days' +%Y%m%d%H%M%SZ)" -notext 2>/dev/null
  openssl pkcs12 -export -inkey "$1.key" -in "$1.pem" -certfile ca.pem -out "$1.p12" \
    -passout pass:secret
}
issue rsa rsa signer
issue ec ec signer
issue third rsa signer
issue encipher rsa encipher
openssl pkcs12 -export -legacy -inkey rsa.key -in rsa.pem -certfile ca.pem \
  -out rsa-legacy.p12 -passout pass:secret
cat rsa.pem ca.pem > rsa-chain.pem
cat ec.pem ca.pem > ec-chain.pem
"#;

/// The fixture, made on first use; `None` (skipped loudly) without openssl.
pub fn fixture() -> Option<&'static Fixture> {
    static F: OnceLock<Fixture> = OnceLock::new();
    if !common::have("openssl") {
        return None;
    }
    Some(F.get_or_init(|| {
        // In the target's folder for tests, made afresh each run (so no run leaves a temp
        // folder behind; the last one stays for a look).
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("issue12-sign");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        sh(&dir, PKI);
        write_png(&dir.join("sig.png"), 400, 160, Some(7874), signature_pixel);
        write_png(&dir.join("seal.png"), 300, 300, Some(7874), seal_pixel);
        write_png(&dir.join("sig-nophys.png"), 400, 160, None, signature_pixel);
        write_opaque_png(&dir.join("opaque.png"));
        std::fs::write(dir.join("pw.txt"), "secret\n").unwrap();
        common::render_ok(
            &common::root().join("../shared/examples/thuan-2022-11-10.yaml"),
            &dir.join("out"),
        );
        std::fs::copy(
            dir.join("out/thuan-2022-11-10/thong-bao-ket-luan.pdf"),
            dir.join("notice.pdf"),
        )
        .unwrap();
        Fixture { dir }
    }))
}

/// Blue strokes (two waves), transparent elsewhere.
fn signature_pixel(x: u32, y: u32) -> [u8; 4] {
    let (x, y) = (x as f32, y as f32);
    let wave = (y - 80.0 - 40.0 * (x / 30.0).sin()).abs() < 4.0
        || (y - 100.0 - 25.0 * (x / 17.0).cos()).abs() < 3.0;
    if wave {
        [20, 40, 200, 255]
    } else {
        [0, 0, 0, 0]
    }
}

/// A red ring with a bar, transparent elsewhere.
fn seal_pixel(x: u32, y: u32) -> [u8; 4] {
    let (dx, dy) = (x as f32 - 150.0, y as f32 - 150.0);
    let r = dx.hypot(dy);
    let on = (120.0..140.0).contains(&r)
        || (95.0..100.0).contains(&r)
        || (dx.abs() < 40.0 && dy.abs() < 8.0);
    if on {
        [220, 20, 20, 230]
    } else {
        [0, 0, 0, 0]
    }
}

fn write_png(path: &Path, w: u32, h: u32, ppm: Option<u32>, pixel: fn(u32, u32) -> [u8; 4]) {
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    if let Some(ppm) = ppm {
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
    }
    let mut writer = enc.write_header().unwrap();
    let data: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).flat_map(move |x| pixel(x, y)))
        .collect();
    writer.write_image_data(&data).unwrap();
}

fn write_opaque_png(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 40, 20);
    enc.set_color(png::ColorType::Rgb);
    let mut writer = enc.write_header().unwrap();
    writer.write_image_data(&[255u8; 40 * 20 * 3]).unwrap();
}

/// `vanthu sign` with the password in `P12PW`, in `dir`.
pub fn sign(dir: &Path, args: &[&str]) -> Output {
    common::bin()
        .arg("sign")
        .args(args)
        .env("P12PW", "secret")
        .current_dir(dir)
        .output()
        .unwrap()
}

pub fn sign_ok(dir: &Path, args: &[&str]) {
    let o = sign(dir, args);
    assert!(
        o.status.success(),
        "vanthu sign {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Signs `input` into `out` in `role` with the fixture's `key` (a p12 file in it) at the
/// tests' time, with `extra` arguments (`--image …`), asserting success.
pub fn sign_as(fx: &Fixture, (input, out): (&Path, &Path), role: &str, key: &str, extra: &[&str]) {
    let (input, out) = (input.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec![
        input,
        "-o",
        out,
        "--role",
        role,
        "--p12",
        key,
        "--password-env",
        "P12PW",
        "--time",
        time(),
    ];
    args.extend_from_slice(extra);
    sign_ok(&fx.dir, &args);
}

/// The person-1 rect of the notice's closing block (the signing space of its signer, page 3),
/// in mm: `x0,y0,x1,y1`; and the organisation's (30 mm more to the left, 10 mm up and down).
pub const PERSON_RECT: [f32; 4] = [112.2, 174.7, 182.7, 199.9];
pub const ORGANISATION_RECT: [f32; 4] = [82.2, 164.7, 182.7, 209.9];

pub fn rect_arg(r: [f32; 4]) -> String {
    format!("{},{},{},{}", r[0], r[1], r[2], r[3])
}
