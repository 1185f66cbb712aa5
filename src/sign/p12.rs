//! PKCS#12 files (`.p12`, `.pfx`): the AES-256-CBC/PBES2 files OpenSSL 3 writes by default
//! and the legacy 3DES/RC2 ones, opened with p12-keystore. One private key (RSA or P-256)
//! and its certificate chain, the signer's certificate first.

use der::Decode;
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use x509_cert::Certificate;

use super::key::{PrivateKey, SignatureAlgorithm, SoftwareKey};
use crate::error::SignError;

/// The key and chain in the PKCS#12 `bytes`, opened with `password`.
pub fn load_p12(bytes: &[u8], password: &str) -> Result<SoftwareKey, SignError> {
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Strict).map_err(
        |e| match e {
            p12_keystore::error::Error::MacError(_) => SignError::WrongPassword,
            // A wrong password that passes the MAC cannot decrypt: the padding fails.
            p12_keystore::error::Error::UnpadError => SignError::WrongPassword,
            other => SignError::KeyFile(other.to_string()),
        },
    )?;
    let (_, entry) = store
        .private_key_chain()
        .ok_or_else(|| SignError::KeyFile("no private key with its certificate".into()))?;
    let chain = entry
        .certs()
        .iter()
        .map(|c| Certificate::from_der(c.as_der()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SignError::KeyFile(format!("a certificate cannot be read: {e}")))?;
    if chain.is_empty() {
        return Err(SignError::KeyFile("the key has no certificate".into()));
    }
    let (key, algorithm) = private_key(entry.key().as_der())?;
    Ok(SoftwareKey {
        key,
        chain,
        algorithm,
    })
}

/// rsaEncryption (RFC 8017).
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

/// The RSA or P-256 key in a PKCS#8 `PrivateKeyInfo`.
fn private_key(pkcs8: &[u8]) -> Result<(PrivateKey, SignatureAlgorithm), SignError> {
    use p256::pkcs8::DecodePrivateKey as _;
    let info = p256::pkcs8::PrivateKeyInfoRef::try_from(pkcs8);
    let is_rsa = info
        .as_ref()
        .is_ok_and(|i| i.algorithm.oid.to_string() == RSA_ENCRYPTION);
    if is_rsa {
        let k = ring::rsa::KeyPair::from_pkcs8(pkcs8)
            .map_err(|e| SignError::UnsupportedKey(format!("RSA ({e}; 2048 to 4096 bits)")))?;
        return Ok((
            PrivateKey::Rsa(Box::new(k)),
            SignatureAlgorithm::RsaPkcs1v15,
        ));
    }
    if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(pkcs8) {
        return Ok((PrivateKey::P256(k), SignatureAlgorithm::EcdsaP256));
    }
    let what = info
        .map(|info| format!("of type {}", info.algorithm.oid))
        .unwrap_or_else(|_| "unreadable".into());
    Err(SignError::UnsupportedKey(what))
}
