//! The appearance streams of a signature widget: a form XObject the size of the widget's
//! `/Rect` (so the rect never changes) drawing the signature image, the seal, or text. And the
//! rules that place them (docs/ARCHITECTURE.md, "sign"):
//! - a signature image at its real size (the PNG's pHYs), shrunk (aspect kept) when larger
//!   than the rect; without pHYs, fitted to the rect; centred;
//! - a seal at its real size (pHYs, else `--seal-mm` wide), its centre on the vertical line at
//!   one third of the `person-1` signature image's width from that image's left edge and at
//!   the image's mid-height, so it covers the image's left third.

use super::image::Image;
use super::object::{Dictionary, Object, ObjectId, Stream};
use super::serialize::real;
use super::source::{SigField, Source};
use super::update::Update;

/// A box in points: left, bottom, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Where a signature image goes in a rect of `rect_w` × `rect_h` points (origin at the
/// rect's lower-left corner).
pub fn fit_signature(image: &Image, rect_w: f32, rect_h: f32) -> Placed {
    let (w, h) = match image.real_size_pt {
        Some((w, h)) => {
            let shrink = (rect_w / w).min(rect_h / h).min(1.0);
            (w * shrink, h * shrink)
        }
        None => {
            let scale = (rect_w / image.width as f32).min(rect_h / image.height as f32);
            (image.width as f32 * scale, image.height as f32 * scale)
        }
    };
    Placed {
        x: (rect_w - w) / 2.0,
        y: (rect_h - h) / 2.0,
        w,
        h,
    }
}

/// Where the seal goes in the organisation field's rect `org` (page points), the person's
/// signature image being at `person` (page points); `seal` is the seal's size in points.
pub fn place_seal(seal: (f32, f32), person: Placed, org: [f32; 4]) -> Placed {
    let centre_x = person.x + person.w / 3.0;
    let centre_y = person.y + person.h / 2.0;
    Placed {
        x: centre_x - seal.0 / 2.0 - org[0],
        y: centre_y - seal.1 / 2.0 - org[1],
        w: seal.0,
        h: seal.1,
    }
}

/// The signature image box of a signed field, in page points: read back from the `cm` that
/// places the image in its appearance stream (the one vanthu writes); the whole rect when the
/// stream is another tool's.
pub fn drawn_image_box(source: &Source, field: &SigField) -> Placed {
    let [x0, y0, x1, y1] = field.rect;
    let whole = Placed {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    };
    let appearance = source
        .resolve(&field.dict, b"AP")
        .and_then(|ap| ap.as_dict()?.get(b"N")?.as_reference())
        .and_then(|id| source.object(id));
    let Some(Object::Stream(Stream { content, .. })) = appearance else {
        return whole;
    };
    let text = String::from_utf8_lossy(&content);
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    let Some(cm) = tokens.iter().position(|t| *t == "cm") else {
        return whole;
    };
    let nums: Vec<f32> = tokens[cm.saturating_sub(6)..cm]
        .iter()
        .filter_map(|t| t.parse().ok())
        .collect();
    match nums[..] {
        [w, _, _, h, x, y] if w > 0.0 && h > 0.0 => Placed {
            x: x0 + x,
            y: y0 + y,
            w,
            h,
        },
        _ => whole,
    }
}

/// Adds the image (and its soft mask) and a form XObject of `size` drawing it at `at`;
/// the form's reference.
pub fn image_form(update: &mut Update, image: &Image, size: (f32, f32), at: Placed) -> ObjectId {
    let smask = update.add(&image.smask());
    let picture = update.add(&image.xobject(smask));
    let content = format!(
        "q {} 0 0 {} {} {} cm /Im0 Do Q",
        real(at.w),
        real(at.h),
        real(at.x),
        real(at.y)
    );
    let mut xobjects = Dictionary::new();
    xobjects.set("Im0", Object::Reference(picture));
    let mut resources = Dictionary::new();
    resources.set("XObject", Object::Dictionary(xobjects));
    update.add(&form(size, resources, content.into_bytes()))
}

/// A form XObject of `size` (its `/BBox` from the origin).
pub fn form(size: (f32, f32), resources: Dictionary, content: Vec<u8>) -> Object {
    let mut d = Dictionary::new();
    d.set("Type", Object::name("XObject"));
    d.set("Subtype", Object::name("Form"));
    d.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), size.0.into(), size.1.into()]),
    );
    d.set("Resources", Object::Dictionary(resources));
    Object::Stream(Stream::new(d, content))
}

#[cfg(test)]
mod tests {
    use super::{place_seal, Placed};

    #[test]
    fn issue12_the_seal_centre_is_on_the_first_third_of_the_signature() {
        let person = Placed {
            x: 300.0,
            y: 100.0,
            w: 120.0,
            h: 60.0,
        };
        let org = [215.0, 70.0, 470.0, 190.0];
        let seal = place_seal((100.0, 100.0), person, org);
        assert_eq!(seal.x + 50.0 + org[0], 340.0);
        assert_eq!(seal.y + 50.0 + org[1], 130.0);
    }
}
