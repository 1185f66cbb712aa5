//! Issue 12: "its unsigned and signed pages look the same apart from the images". A notice of
//! each profile, rendered with `--signing-fields`, is signed by its signer and sealed; every
//! page of both files is rasterised with pdftoppm and compared pixel by pixel. Pixels differ
//! only inside the `person-1` and `organisation` fields (where the images are drawn), and
//! they do differ there.

use std::path::Path;
use std::process::Command;

use crate::common::{have, root};
use crate::issue12_fields::{fields, render_with};
use crate::sign_support::{fixture, sign_as};

const DPI: f32 = 50.0;

/// Page `page` of `pdf` as RGB pixels (pdftoppm's PPM): width, height, samples.
fn raster(pdf: &Path, page: usize) -> (usize, usize, Vec<u8>) {
    let p = page.to_string();
    let o = Command::new("pdftoppm")
        .args(["-r", "50", "-f", &p, "-l", &p])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(o.status.success());
    let bytes = o.stdout;
    // "P6\n<w> <h>\n255\n" then the samples.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let samples = bytes[at + 1..].to_vec();
    assert_eq!(samples.len(), w * h * 3);
    (w, h, samples)
}

#[test]
fn issue12_signed_pages_differ_from_unsigned_only_where_the_images_are() {
    let Some(fx) = fixture() else { return };
    if !have("pdftoppm") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let records = [
        root().join("../shared/examples/thuan-2022-11-10.yaml"),
        root().join("tests/fixtures/good/xa-an-phu-2023-01-05.yaml"),
    ];
    render_with(&records, tmp.path(), &["--signing-fields"]);
    for r in &records {
        let stem = r.file_stem().unwrap().to_string_lossy();
        let plain = tmp.path().join(format!("{stem}/thong-bao-ket-luan.pdf"));
        let (half, signed) = (tmp.path().join("half.pdf"), tmp.path().join("signed.pdf"));
        sign_as(
            fx,
            (&plain, &half),
            "person",
            "rsa.p12",
            &["--image", "sig.png"],
        );
        sign_as(
            fx,
            (&half, &signed),
            "organisation",
            "ec.p12",
            &["--image", "seal.png"],
        );
        let doc = lopdf::Document::load(&plain).unwrap();
        let found = fields(&doc);
        let place = |name: &str| found.iter().find(|f| f.name == name).unwrap().clone();
        let (person, seal) = (place("person-1"), place("organisation"));
        assert_eq!(person.page, seal.page);
        let pages = doc.get_pages().len();
        for page in 1..=pages {
            let (w, h, a) = raster(&plain, page);
            let (_, _, b) = raster(&signed, page);
            let mut changed = 0usize;
            for (i, (pa, pb)) in a.chunks(3).zip(b.chunks(3)).enumerate() {
                if pa == pb {
                    continue;
                }
                changed += 1;
                // The pixel's centre in points, origin bottom-left.
                let (x, y) = ((i % w) as f32 + 0.5, (i / w) as f32 + 0.5);
                let (xp, yp) = (x * 72.0 / DPI, (h as f32 - y) * 72.0 / DPI);
                let inside = |r: [f32; 4]| {
                    let m = 2.0 * 72.0 / DPI;
                    xp >= r[0] - m && xp <= r[2] + m && yp >= r[1] - m && yp <= r[3] + m
                };
                assert!(
                    page == person.page && (inside(person.rect) || inside(seal.rect)),
                    "{stem} page {page}: pixel ({x}, {y}) changed outside the fields"
                );
            }
            if page == person.page {
                assert!(
                    changed > 100,
                    "{stem}: the images are not drawn ({changed} px)"
                );
            }
        }
    }
}
