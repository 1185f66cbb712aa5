//! Keys that sign. [`KeySigner`] is what the signing code needs of a key (its certificate
//! chain, its algorithm, and a signature over bytes), so a key kept elsewhere (a PKCS#11
//! token later, or the raw signature of the two-step flow) plugs in beside the software key
//! read from a PKCS#12 file ([`SoftwareKey`]).

use der::asn1::ObjectIdentifier;
use rsa::sha2::Sha256;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::error::SignError;

/// sha256WithRSAEncryption (RFC 4055).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// ecdsa-with-SHA256 (RFC 5758).
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// How a key signs. Every algorithm hashes with SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5: deterministic (same bytes signed, same signature).
    RsaPkcs1v15,
    /// RSA-PSS with a 32-byte random salt: each signature differs.
    RsaPss,
    /// ECDSA on P-256 with RFC 6979 nonces: deterministic; the signature in DER.
    EcdsaP256,
}

impl SignatureAlgorithm {
    /// The `signatureAlgorithm` of the CMS SignerInfo.
    pub fn identifier(self) -> Result<AlgorithmIdentifierOwned, SignError> {
        Ok(match self {
            SignatureAlgorithm::RsaPkcs1v15 => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(der::asn1::Null.into()),
            },
            SignatureAlgorithm::RsaPss => rsa::pss::get_default_pss_signature_algo_id::<Sha256>()
                .map_err(|e| SignError::Crypto(e.to_string()))?,
            SignatureAlgorithm::EcdsaP256 => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
        })
    }
}

/// A key that signs, with its certificates.
pub trait KeySigner {
    /// The signer's certificate first, then the rest of its chain (may be just the first).
    fn chain(&self) -> &[Certificate];
    /// The algorithm [`KeySigner::sign`] uses.
    fn algorithm(&self) -> SignatureAlgorithm;
    /// The signature over `data` (hashed with SHA-256 by the key's algorithm): for a CMS
    /// signature, the DER of the signed attributes.
    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// The private key itself.
pub(crate) enum PrivateKey {
    Rsa(Box<rsa::PrivateKey>),
    P256(p256::ecdsa::SigningKey),
}

/// A private key held in memory (read from a PKCS#12 file) and its certificate chain.
pub struct SoftwareKey {
    pub(crate) key: PrivateKey,
    pub(crate) chain: Vec<Certificate>,
    pub(crate) algorithm: SignatureAlgorithm,
}

impl SoftwareKey {
    /// Signs with RSA-PSS instead of PKCS#1 v1.5 (RSA keys only; ignored for ECDSA).
    pub fn use_pss(&mut self) {
        if matches!(self.key, PrivateKey::Rsa(_)) {
            self.algorithm = SignatureAlgorithm::RsaPss;
        }
    }
}

impl KeySigner for SoftwareKey {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        let crypto = |e: &dyn std::fmt::Display| SignError::Crypto(e.to_string());
        match (&self.key, self.algorithm) {
            (PrivateKey::Rsa(k), SignatureAlgorithm::RsaPss) => {
                k.pss_sign::<Sha256>(data).map_err(|e| crypto(&e))
            }
            (PrivateKey::Rsa(k), _) => k.pkcs1v15_sign::<Sha256>(data).map_err(|e| crypto(&e)),
            (PrivateKey::P256(k), _) => {
                use p256::ecdsa::signature::Signer;
                let signature: p256::ecdsa::Signature = k.try_sign(data).map_err(|e| crypto(&e))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}
