//! Signature and seal images: a PNG with transparency decoded with the png crate, its colour
//! into a Flate image XObject and its alpha into the `/SMask`. A PNG without alpha is
//! refused: drawn over the page, its white background would hide the name and the text.

use std::io::Write;

use png::{ColorType, Transformations, Unit};

use super::object::{Dictionary, Object, ObjectId, Stream};
use crate::error::SignError;

/// Points per metre.
const PT_PER_METRE: f32 = 72.0 / 0.0254;

/// A decoded image, ready to be written.
#[derive(Clone)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// The size it is meant to be printed at (from the PNG's pHYs chunk), in points.
    pub real_size_pt: Option<(f32, f32)>,
    /// The colour samples (RGB), deflated.
    rgb: Vec<u8>,
    /// The alpha samples, deflated.
    alpha: Vec<u8>,
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, SignError> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(data)
        .and_then(|_| z.finish())
        .map_err(|e| SignError::Image(e.to_string()))
}

impl Image {
    /// The SHA-256 of what is drawn (size, real size, colour and alpha samples).
    pub fn fingerprint(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(self.width.to_be_bytes());
        h.update(self.height.to_be_bytes());
        if let Some((w, hgt)) = self.real_size_pt {
            h.update(w.to_be_bytes());
            h.update(hgt.to_be_bytes());
        }
        h.update(&self.rgb);
        h.update(&self.alpha);
        h.finalize().into()
    }

    /// Decodes the PNG `bytes`.
    pub fn from_png(bytes: &[u8]) -> Result<Image, SignError> {
        let bad = |e: png::DecodingError| SignError::Image(e.to_string());
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(bad)?;
        let info = reader.info();
        let (width, height) = (info.width, info.height);
        let real_size_pt = info
            .pixel_dims
            .filter(|d| d.unit == Unit::Meter && d.xppu > 0 && d.yppu > 0)
            .map(|d| {
                (
                    width as f32 / d.xppu as f32 * PT_PER_METRE,
                    height as f32 / d.yppu as f32 * PT_PER_METRE,
                )
            });
        let size = reader
            .output_buffer_size()
            .ok_or_else(|| SignError::Image("the image is too large".into()))?;
        let mut buf = vec![0; size];
        let frame = reader.next_frame(&mut buf).map_err(bad)?;
        let samples = &buf[..frame.buffer_size()];
        let (rgb, alpha): (Vec<u8>, Vec<u8>) = match frame.color_type {
            ColorType::Rgba => (
                samples
                    .chunks_exact(4)
                    .flat_map(|p| [p[0], p[1], p[2]])
                    .collect(),
                samples.chunks_exact(4).map(|p| p[3]).collect(),
            ),
            ColorType::GrayscaleAlpha => (
                samples
                    .chunks_exact(2)
                    .flat_map(|p| [p[0], p[0], p[0]])
                    .collect(),
                samples.chunks_exact(2).map(|p| p[1]).collect(),
            ),
            _ => return Err(SignError::OpaqueImage),
        };
        Ok(Image {
            width,
            height,
            real_size_pt,
            rgb: deflate(&rgb)?,
            alpha: deflate(&alpha)?,
        })
    }

    /// The alpha channel as a `/SMask` image XObject.
    pub fn smask(&self) -> Object {
        Object::Stream(Stream::new(self.dict(b"DeviceGray"), self.alpha.clone()))
    }

    /// The colour image XObject, its soft mask `smask`.
    pub fn xobject(&self, smask: ObjectId) -> Object {
        let mut dict = self.dict(b"DeviceRGB");
        dict.set("SMask", Object::Reference(smask));
        Object::Stream(Stream::new(dict, self.rgb.clone()))
    }

    fn dict(&self, space: &[u8]) -> Dictionary {
        let mut d = Dictionary::new();
        d.set("Type", Object::name("XObject"));
        d.set("Subtype", Object::name("Image"));
        d.set("Width", Object::Integer(i64::from(self.width)));
        d.set("Height", Object::Integer(i64::from(self.height)));
        d.set("ColorSpace", Object::Name(space.to_vec()));
        d.set("BitsPerComponent", Object::Integer(8));
        d.set("Filter", Object::name("FlateDecode"));
        d
    }
}
