//! The CMS SignedData of a PAdES baseline B-B signature (RFC 5652, ETSI EN 319 142-1):
//! detached, SHA-256, signed attributes content-type, message-digest and
//! signing-certificate-v2 (RFC 5035) and no signing-time (the time is the PDF's `/M`), the
//! signer's certificate and its chain. The signed attributes depend only on the digest of the
//! signed bytes and the certificate, so the two-step flow rebuilds them identically.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use crate::error::SignError;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }`
#[derive(der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial }`: the
/// hash algorithm is SHA-256, the default, so it is left out (DER).
#[derive(der::Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(der::Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

fn der_error(e: der::Error) -> SignError {
    SignError::Crypto(format!("encoding the signature: {e}"))
}

fn attribute(
    oid: ObjectIdentifier,
    value: &impl Encode,
) -> Result<x509_cert::attr::Attribute, SignError> {
    let mut values = SetOfVec::new();
    let any = Any::from_der(&value.to_der().map_err(der_error)?).map_err(der_error)?;
    values.insert(any).map_err(der_error)?;
    Ok(x509_cert::attr::Attribute { oid, values })
}

/// The signed attributes for content whose SHA-256 is `digest`, signed by `signer`.
pub fn signed_attributes(
    digest: &[u8],
    signer: &Certificate,
) -> Result<SignedAttributes, SignError> {
    let cert_der = signer.to_der().map_err(der_error)?;
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(&cert_der).to_vec()).map_err(der_error)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    signer.tbs_certificate().issuer().clone(),
                )],
                serial_number: signer.tbs_certificate().serial_number().clone(),
            },
        }],
    };
    let attrs = vec![
        attribute(ID_CONTENT_TYPE, &ID_DATA)?,
        attribute(
            ID_MESSAGE_DIGEST,
            &OctetString::new(digest.to_vec()).map_err(der_error)?,
        )?,
        attribute(ID_SIGNING_CERTIFICATE_V2, &ess)?,
    ];
    SetOfVec::try_from(attrs).map_err(der_error)
}

/// The bytes a key signs: the DER of the signed attributes as a SET (RFC 5652 §5.4).
pub fn to_be_signed(attrs: &SignedAttributes) -> Result<Vec<u8>, SignError> {
    attrs.to_der().map_err(der_error)
}

/// The DER ContentInfo holding the SignedData.
pub fn signed_data(
    chain: &[Certificate],
    attrs: SignedAttributes,
    algorithm: AlgorithmIdentifierOwned,
    signature: Vec<u8>,
) -> Result<Vec<u8>, SignError> {
    let signer = chain
        .first()
        .ok_or_else(|| SignError::Certificate("no certificate".into()))?;
    let sha256 = AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.tbs_certificate().issuer().clone(),
            serial_number: signer.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: sha256.clone(),
        signed_attrs: Some(attrs),
        signature_algorithm: algorithm,
        signature: OctetString::new(signature).map_err(der_error)?,
        unsigned_attrs: None,
    };
    let certificates = chain
        .iter()
        .map(|c| CertificateChoices::Certificate(c.clone()))
        .collect::<Vec<_>>();
    let data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256]).map_err(der_error)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet::try_from(certificates).map_err(der_error)?),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![info]).map_err(der_error)?,
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&data).map_err(der_error)?,
    }
    .to_der()
    .map_err(der_error)
}
