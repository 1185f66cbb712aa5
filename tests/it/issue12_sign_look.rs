//! How `vanthu sign` draws (issue 12, the fields contract): the signature image at its real
//! size (pHYs) centred in the person field, the seal at its real size centred on the first
//! third of that image, both with a soft mask; an electronic copy's text at the top right of
//! page 1 in embedded Liberation Serif with the time at +07:00. Read back with lopdf.

use lopdf::{Document, Object, Stream};

use std::path::Path;

use crate::issue12_sign::{sign_organisation, sign_person};
use crate::sign_support::{fixture, sign_as, time, ORGANISATION_RECT, PERSON_RECT};

const PT_PER_MM: f32 = 72.0 / 25.4;

/// The widget named `name`: its rect and the `cm` of its appearance (w, h, x, y) and the
/// image XObject it draws.
fn widget(doc: &Document, name: &str) -> ([f32; 4], [f32; 4], Stream) {
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"T").and_then(|t| t.as_str()).ok() != Some(name.as_bytes()) {
            continue;
        }
        let rect: Vec<f32> = d
            .get(b"Rect")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        let ap = d
            .get(b"AP")
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"N")
            .unwrap()
            .as_reference()
            .unwrap();
        let form = doc.get_object(ap).unwrap().as_stream().unwrap();
        let text = String::from_utf8(form.content.clone()).unwrap();
        let nums: Vec<f32> = text
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        let im = form
            .dict
            .get(b"Resources")
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"XObject")
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"Im0")
            .unwrap()
            .as_reference()
            .unwrap();
        let image = doc.get_object(im).unwrap().as_stream().unwrap().clone();
        return (
            [rect[0], rect[1], rect[2], rect[3]],
            [nums[0], nums[3], nums[4], nums[5]],
            image,
        );
    }
    panic!("no widget {name}");
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.05
}

#[test]
fn issue12_the_signature_and_the_seal_are_placed_at_real_size_per_the_contract() {
    let Some(fx) = fixture() else { return };
    sign_person(fx, "notice.pdf", "look1.pdf");
    sign_organisation(fx, "look1.pdf", "look2.pdf");
    let doc = Document::load(fx.path("look2.pdf")).unwrap();
    let (rect, [w, h, x, y], image) = widget(&doc, "person-1");
    let want: Vec<f32> = PERSON_RECT.iter().map(|v| v * PT_PER_MM).collect();
    assert!(
        rect.iter().zip(&want).all(|(a, b)| close(*a, *b)),
        "{rect:?} {want:?}"
    );
    // sig.png: 400 × 160 px at 7874 px/m = 50.8 × 20.32 mm, centred in the rect.
    assert!(
        close(w, 50.8 * PT_PER_MM) && close(h, 20.32 * PT_PER_MM),
        "{w} {h}"
    );
    assert!(close(x, (rect[2] - rect[0] - w) / 2.0) && close(y, (rect[3] - rect[1] - h) / 2.0));
    assert!(
        matches!(image.dict.get(b"SMask"), Ok(Object::Reference(_))),
        "alpha as /SMask"
    );
    let (org, [sw, sh, sx, sy], seal) = widget(&doc, "organisation");
    let want: Vec<f32> = ORGANISATION_RECT.iter().map(|v| v * PT_PER_MM).collect();
    assert!(org.iter().zip(&want).all(|(a, b)| close(*a, *b)), "{org:?}");
    // seal.png: 300 px at 7874 px/m = 38.1 mm; its centre on the signature's first third.
    assert!(close(sw, 38.1 * PT_PER_MM) && close(sh, 38.1 * PT_PER_MM));
    let (image_left, image_mid) = (rect[0] + x, rect[1] + y + h / 2.0);
    assert!(
        close(org[0] + sx + sw / 2.0, image_left + w / 3.0),
        "seal centre x"
    );
    assert!(close(org[1] + sy + sh / 2.0, image_mid), "seal centre y");
    assert!(matches!(seal.dict.get(b"SMask"), Ok(Object::Reference(_))));
    assert_eq!(
        opaque_colours(&doc, &image),
        vec![[20, 40, 200]],
        "blue strokes"
    );
    assert_eq!(
        opaque_colours(&doc, &seal),
        vec![[220, 20, 20]],
        "a red seal"
    );
}

/// The distinct colours of the pixels an image's soft mask does not hide.
fn opaque_colours(doc: &Document, image: &Stream) -> Vec<[u8; 3]> {
    let rgb = image.decompressed_content().unwrap();
    let mask = image.dict.get(b"SMask").unwrap().as_reference().unwrap();
    let alpha = doc
        .get_object(mask)
        .unwrap()
        .as_stream()
        .unwrap()
        .decompressed_content()
        .unwrap();
    assert_eq!(rgb.len(), alpha.len() * 3);
    let mut colours: Vec<[u8; 3]> = rgb
        .chunks(3)
        .zip(&alpha)
        .filter(|(_, a)| **a > 0)
        .map(|(c, _)| [c[0], c[1], c[2]])
        .collect();
    colours.sort();
    colours.dedup();
    colours
}

#[test]
fn issue12_without_phys_the_signature_fits_the_rect() {
    let Some(fx) = fixture() else { return };
    let rect = crate::sign_support::rect_arg(PERSON_RECT);
    sign_as(
        fx,
        (Path::new("notice.pdf"), Path::new("fit.pdf")),
        "person",
        "rsa.p12",
        &["--image", "sig-nophys.png", "--page", "3", "--rect", &rect],
    );
    let doc = Document::load(fx.path("fit.pdf")).unwrap();
    let (rect, [w, h, _, _], _) = widget(&doc, "person-1");
    let (rw, rh) = (rect[2] - rect[0], rect[3] - rect[1]);
    // 400 × 160 px: the height binds (the rect is 70.5 × 25.2 mm).
    assert!(close(h, rh) && close(w, rh * 2.5), "{w} {h} in {rw} × {rh}");
}

#[test]
fn issue12_an_electronic_copy_shows_its_time_at_the_top_right_in_liberation_serif() {
    let Some(fx) = fixture() else { return };
    sign_as(
        fx,
        (Path::new("notice.pdf"), Path::new("copy.pdf")),
        "copy",
        "third.p12",
        &[],
    );
    let doc = Document::load(fx.path("copy.pdf")).unwrap();
    let fonts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| {
            let d = o.as_dict().ok()?;
            (d.get(b"Subtype").ok()?.as_name().ok()? == b"CIDFontType2").then(|| {
                String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned()
            })
        })
        .collect();
    assert!(
        fonts
            .iter()
            .filter(|f| f.ends_with("+LiberationSerif"))
            .count()
            >= 2,
        "{fonts:?}"
    );
    if !crate::common::have("pdftotext") {
        return;
    }
    let text = crate::common::run_tool(
        std::process::Command::new("pdftotext")
            .args([
                "-f", "1", "-l", "1", "-x", "280", "-y", "0", "-W", "320", "-H", "60",
            ])
            .arg(fx.path("copy.pdf"))
            .arg("-"),
    );
    // The claimed time (UTC) at +07:00.
    let local = crate::common::run_tool(std::process::Command::new("date").args([
        "-u",
        "-d",
        &format!("{} 7 hours", time()),
        "+%Y-%m-%dT%H:%M:%S+07:00",
    ]));
    assert!(text.contains(local.trim()), "{text} / {local}");
}
