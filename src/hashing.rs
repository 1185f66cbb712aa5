//! Hashing, in one place: SHA-256 of bytes and of files on disk, written as lowercase hex.
//! What a bundle's manifest, its cache keys, its shards and the report's record checks hash.

use std::io::Read;
use std::path::Path;

pub(crate) use sha2::{Digest, Sha256};

use crate::output::open_regular;

/// `digest` as lowercase hex.
pub(crate) fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The SHA-256 of `bytes` in lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 and size of a regular file, streaming; `None` when it cannot be read or is not
/// a regular file (a FIFO, device or symbolic link is never opened: see
/// [`crate::output::open_regular`]).
pub(crate) fn hash_file(path: &Path) -> Option<(String, u64)> {
    let mut f = open_regular(path).ok()?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Some((hex(&h.finalize()), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_bytes_and_files_agree() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(hash_file(&path), Some((sha256_hex(b"abc"), 3)));
        assert_eq!(hash_file(&dir.path().join("missing")), None);
    }
}
