//! The signer's certificate: read (PEM chain or DER), checked before signing (valid at the
//! claimed signing time, a key usage that allows signing) and used to check a signature made
//! elsewhere (the two-step flow).

use der::{Decode, Encode};
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::Certificate;

use super::time::Moment;
use crate::error::SignError;

/// The certificates in `bytes`: a PEM file (the signer's first, then its chain) or one DER
/// certificate.
pub fn read_chain(bytes: &[u8]) -> Result<Vec<Certificate>, SignError> {
    let chain = if bytes.starts_with(b"-----") || bytes.windows(5).any(|w| w == b"-----") {
        Certificate::load_pem_chain(bytes).map_err(|e| SignError::Certificate(e.to_string()))?
    } else {
        vec![Certificate::from_der(bytes).map_err(|e| SignError::Certificate(e.to_string()))?]
    };
    if chain.is_empty() {
        return Err(SignError::Certificate("no certificate in the file".into()));
    }
    Ok(chain)
}

/// Refuses a certificate that cannot sign at `at`: outside its validity, or with a key
/// usage that has neither digitalSignature nor nonRepudiation.
pub fn check_can_sign(cert: &Certificate, at: Moment) -> Result<(), SignError> {
    let validity = cert.tbs_certificate().validity();
    let not_before = validity.not_before.to_unix_duration().as_secs() as i64;
    let not_after = validity.not_after.to_unix_duration().as_secs() as i64;
    if at.unix < not_before {
        return Err(SignError::NotYetValid {
            at: at.iso_utc(),
            not_before: Moment::utc(not_before).iso_utc(),
        });
    }
    if at.unix > not_after {
        return Err(SignError::Expired {
            at: at.iso_utc(),
            not_after: Moment::utc(not_after).iso_utc(),
        });
    }
    let usage = cert
        .tbs_certificate()
        .get_extension::<KeyUsage>()
        .map_err(|e| SignError::Certificate(e.to_string()))?;
    if let Some((_, usage)) = usage {
        if !usage.digital_signature() && !usage.non_repudiation() {
            return Err(SignError::NoSigningUsage);
        }
    }
    Ok(())
}

/// The public key's kind, from the certificate.
fn is_rsa(cert: &Certificate) -> bool {
    cert.tbs_certificate()
        .subject_public_key_info()
        .algorithm
        .oid
        .to_string()
        == "1.2.840.113549.1.1.1"
}

/// Checks `signature` over `data` with the certificate's public key (RSA PKCS#1 v1.5 or
/// PSS, or ECDSA P-256 in DER); returns the algorithm it was made with.
pub fn verify(
    cert: &Certificate,
    data: &[u8],
    signature: &[u8],
) -> Result<super::key::SignatureAlgorithm, SignError> {
    use super::key::SignatureAlgorithm;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| SignError::Certificate(e.to_string()))?;
    let mismatch = |e: &dyn std::fmt::Display| SignError::SignatureMismatch(e.to_string());
    if is_rsa(cert) {
        // ring takes the RSAPublicKey, the SPKI's bit string.
        let public_key = cert
            .tbs_certificate()
            .subject_public_key_info()
            .subject_public_key
            .raw_bytes();
        use ring::signature::{
            UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
        };
        if UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key)
            .verify(data, signature)
            .is_ok()
        {
            return Ok(SignatureAlgorithm::RsaPkcs1v15);
        }
        UnparsedPublicKey::new(&RSA_PSS_2048_8192_SHA256, public_key)
            .verify(data, signature)
            .map_err(|e| mismatch(&e))?;
        return Ok(SignatureAlgorithm::RsaPss);
    }
    use p256::ecdsa::signature::Verifier as _;
    use p256::pkcs8::DecodePublicKey as _;
    let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
        .map_err(|e| SignError::UnsupportedKey(format!("not RSA or P-256 ({e})")))?;
    let sig = p256::ecdsa::Signature::from_der(signature).map_err(|e| mismatch(&e))?;
    key.verify(data, &sig).map_err(|e| mismatch(&e))?;
    Ok(SignatureAlgorithm::EcdsaP256)
}
