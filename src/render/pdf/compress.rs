//! Deflate for every PDF stream (page content, font programs, maps, the object and
//! cross-reference streams), one compressor per thread.

use std::io::Write;

use crate::error::{Error, Result};

/// The Deflate level of every stream: 2, zlib-rs's fast matcher (no lazy matches, dynamic
/// Huffman trees); 3 to 6 are its medium matcher, 7 to 9 the slow one. Measured on the
/// reference notice's streams (three pages of content, 55 KB; three font programs, 20 KB;
/// zlib-rs, one core, best of 7): pages 1.03 ms to 11,198 bytes at 5, 0.55 ms to 14,041 at
/// 2; fonts 0.29 ms to 13,460 bytes at 5, 0.26 ms to 13,742 at 2; level 1 (static trees
/// only) is faster again but the whole file grows by 38 %. At 2, with hexadecimal glyph
/// strings (`content.rs`), the notice's PDF is 30,765 bytes instead of 29,196 (+5.4 %;
/// Typst's comparable notice: 59.7 KB).
pub(super) const LEVEL: u32 = 2;

type Encoder = flate2::write::ZlibEncoder<Vec<u8>>;

thread_local! {
    /// One compressor per thread, reset between streams: a new one allocates and clears
    /// about 300 KB of tables, which cost more than compressing a small stream (measured on
    /// the reference notice: 11 streams, the smallest a few hundred bytes). A reset
    /// compressor writes the same bytes as a new one.
    static ENCODER: std::cell::RefCell<Option<Encoder>> = const { std::cell::RefCell::new(None) };
}

/// `data` as a zlib stream at [`LEVEL`].
pub(super) fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    ENCODER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let z =
            slot.get_or_insert_with(|| Encoder::new(Vec::new(), flate2::Compression::new(LEVEL)));
        z.get_mut().reserve(data.len() / 2 + 64);
        let packed = z.write_all(data).and_then(|_| z.reset(Vec::new()));
        if packed.is_err() {
            // Never reused after a failure: the next stream starts from a new compressor.
            *slot = None;
        }
        packed.map_err(|e| Error::Pdf(format!("compressing: {e}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn fresh(data: &[u8]) -> Vec<u8> {
        let mut z = Encoder::new(Vec::new(), flate2::Compression::new(LEVEL));
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn issue11_a_reused_compressor_writes_what_a_new_one_does() {
        let page: Vec<u8> = (0..40_000u32)
            .flat_map(|i| format!("{} {} Td [(x)] TJ\n", i % 97, i % 13).into_bytes())
            .collect();
        let inputs: [&[u8]; 4] = [&page, b"", b"BT ET", &page[..1000]];
        for data in inputs.iter().chain(inputs.iter()) {
            let packed = deflate(data).unwrap();
            assert_eq!(packed, fresh(data));
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(&back, data);
        }
    }
}
