//! Keys that sign. [`KeySigner`] is what the signing code needs of a key (its certificate
//! chain, its algorithm, and a signature over bytes), so a key kept elsewhere (a PKCS#11
//! token later, or the raw signature of the two-step flow) plugs in beside the software key
//! read from a PKCS#12 file ([`SoftwareKey`]).

use der::asn1::ObjectIdentifier;
use der::Decode as _;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::error::SignError;

/// sha256WithRSAEncryption (RFC 4055).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// id-RSASSA-PSS (RFC 4055).
const RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// RSASSA-PSS-params (RFC 4055) of the PSS signatures ring makes: SHA-256, MGF1 with SHA-256,
/// a 32-byte salt, the default trailer field. The DER the `rsa` crate wrote for the same
/// choice, byte for byte (the unit test below decodes it).
const PSS_SHA256_PARAMETERS: [u8; 54] = [
    0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
    0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
    0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
];
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
            SignatureAlgorithm::RsaPss => AlgorithmIdentifierOwned {
                oid: RSASSA_PSS,
                parameters: Some(
                    der::Any::from_der(&PSS_SHA256_PARAMETERS)
                        .map_err(|e| SignError::Crypto(e.to_string()))?,
                ),
            },
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
    /// ring's RSA (constant-time, blinded): 2048 to 4096-bit moduli.
    Rsa(Box<ring::rsa::KeyPair>),
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
            (PrivateKey::Rsa(k), algorithm) => {
                let padding: &'static dyn ring::signature::RsaEncoding =
                    if algorithm == SignatureAlgorithm::RsaPss {
                        &ring::signature::RSA_PSS_SHA256
                    } else {
                        &ring::signature::RSA_PKCS1_SHA256
                    };
                let mut signature = vec![0; k.public().modulus_len()];
                let rng = ring::rand::SystemRandom::new();
                k.sign(padding, &rng, data, &mut signature)
                    .map_err(|e| crypto(&e))?;
                Ok(signature)
            }
            (PrivateKey::P256(k), _) => {
                use p256::ecdsa::signature::Signer;
                let signature: p256::ecdsa::Signature = k.try_sign(data).map_err(|e| crypto(&e))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode as _;

    /// The PSS parameters decode as RFC 4055 says: SHA-256, MGF1-SHA-256, salt 32.
    #[test]
    fn pss_parameters_are_sha256_mgf1_salt_32() {
        let id = SignatureAlgorithm::RsaPss.identifier().unwrap();
        assert_eq!(id.oid, RSASSA_PSS);
        let der = id.parameters.unwrap().to_der().unwrap();
        assert_eq!(der, PSS_SHA256_PARAMETERS);
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        // [0] hashAlgorithm sha256 (with NULL), [1] mgf1(sha256), [2] saltLength 32.
        assert!(hex.starts_with("3034a00f300d0609608648016503040201"));
        assert!(hex.contains("a11c301a06092a864886f70d010108300d0609608648016503040201"));
        assert!(hex.ends_with("a203020120"));
    }
}
