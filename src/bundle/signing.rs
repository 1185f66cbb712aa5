//! `bundle --sign`: every PDF of the bundle signed by the organisation (PAdES B-B, see
//! `sign/`): the seal in the `organisation` field the PDFs are rendered with, or an
//! invisible signature where a document has no such field (the news item, the monthly
//! report); and `manifest.json` signed with a detached CMS (`manifest.json.p7s`, which
//! `openssl cms -verify -binary -content manifest.json` checks). The key's certificates and
//! the seal enter the cache keys: a rerun signs again only what it renders again.

use std::sync::Mutex;

use der::Encode;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use crate::error::SignError;
use crate::hashing::sha256_hex;
use crate::sign::{self, cms, Image, KeySigner, Moment, NewField, Role, SignatureAlgorithm};

/// How a bundle signs.
pub struct BundleSigning {
    pub key: SharedKey,
    /// The seal image (real size from its pHYs, else `seal_mm` wide); none: the seal's field
    /// is signed without an image.
    pub seal: Option<Image>,
    pub seal_mm: f32,
    /// The claimed signing time of every signature of the run.
    pub time: Moment,
}

/// A key the bundle's threads share: its certificates and algorithm, and the key itself
/// behind a lock (a token's session serves one call at a time).
pub struct SharedKey {
    chain: Vec<Certificate>,
    algorithm: SignatureAlgorithm,
    key: Mutex<Box<dyn KeySigner + Send>>,
}

impl SharedKey {
    pub fn new(key: Box<dyn KeySigner + Send>) -> SharedKey {
        SharedKey {
            chain: key.chain().to_vec(),
            algorithm: key.algorithm(),
            key: Mutex::new(key),
        }
    }
}

impl KeySigner for SharedKey {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        let key = self
            .key
            .lock()
            .map_err(|_| SignError::Crypto("a signing thread panicked".into()))?;
        key.sign(data)
    }
}

impl BundleSigning {
    /// What the signatures depend on besides the documents, for the cache keys: the
    /// certificates and the seal.
    pub(crate) fn identity(&self) -> String {
        let mut h = Sha256::new();
        for c in &self.chain_der() {
            h.update((c.len() as u64).to_be_bytes());
            h.update(c);
        }
        if let Some(seal) = &self.seal {
            h.update(seal.fingerprint());
        }
        h.update(self.seal_mm.to_be_bytes());
        format!("signed {}", sha256_hex(&h.finalize()))
    }

    fn chain_der(&self) -> Vec<Vec<u8>> {
        self.key
            .chain()
            .iter()
            .filter_map(|c| c.to_der().ok())
            .collect()
    }

    /// `pdf` signed as the organisation: the seal in its field, or invisibly on page 1 when
    /// the document has no `organisation` field.
    pub(crate) fn sign_pdf(&self, pdf: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut options = sign::Options {
            role: Role::Organisation,
            field: None,
            new_field: None,
            image: self.seal.clone(),
            seal_mm: self.seal_mm,
            time: self.time,
        };
        match sign::sign_pdf(pdf, &options, &self.key) {
            Err(SignError::NoFreeField(_)) => {
                options.new_field = Some(NewField {
                    page: 1,
                    rect_mm: [0.0; 4],
                });
                options.image = None;
                sign::sign_pdf(pdf, &options, &self.key)
            }
            signed => signed,
        }
    }

    /// A detached CMS signature (DER) over `bytes`: what `manifest.json.p7s` holds.
    pub(crate) fn sign_detached(&self, bytes: &[u8]) -> Result<Vec<u8>, SignError> {
        let signer = self
            .key
            .chain()
            .first()
            .ok_or_else(|| SignError::Certificate("no certificate".into()))?;
        sign::cert::check_can_sign(signer, self.time)?;
        let attrs = cms::signed_attributes(&Sha256::digest(bytes), signer)?;
        let signature = self.key.sign(&cms::to_be_signed(&attrs)?)?;
        cms::signed_data(
            self.key.chain(),
            attrs,
            self.key.algorithm().identifier()?,
            signature,
        )
    }
}
