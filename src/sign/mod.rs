//! `vanthu sign`: PAdES baseline B-B signatures (ETSI EN 319 142-1) added to a PDF by
//! incremental update, so the original bytes and every earlier signature stay as they were.
//!
//! The signature fills a field of the fields contract (`person-N`, `organisation`,
//! `electronic`; see [`place`]) or a new one, with an appearance drawn inside the widget
//! ([`appearance`], [`text`]); the CMS SignedData ([`cms`]) is made by any [`KeySigner`]: a
//! PKCS#12 key ([`p12`]), later a token. [`sign_pdf`] signs bytes in memory (what a bundle
//! calls); [`prepare`] and [`finish`] split it for a key kept elsewhere: the prepared PDF is
//! the state between them and the signed attributes depend only on it and the certificate.

pub mod appearance;
mod build;
pub mod cert;
pub mod cms;
pub mod image;
pub mod key;
pub mod object;
pub mod p12;
pub mod place;
pub mod prepared;
pub mod serialize;
pub mod source;
pub mod splice;
pub mod syntax;
pub mod text;
pub mod time;
#[cfg(feature = "pkcs11")]
pub mod token;
pub mod update;

pub use image::Image;
pub use key::{KeySigner, SignatureAlgorithm, SoftwareKey};
pub use prepared::Prepared;
pub use time::Moment;
use x509_cert::Certificate;

use crate::error::SignError;

/// In which role a signature is made (the field it fills).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A signer's signature image in `person-N`.
    Person,
    /// The organisation's seal in `organisation`, over the first signer's signature.
    Organisation,
    /// An attachment's electronic signature: text in `electronic`.
    Attachment,
    /// An electronic copy's signature: text in `electronic`.
    Copy,
}

impl Role {
    /// As written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Organisation => "organisation",
            Role::Attachment => "attachment",
            Role::Copy => "copy",
        }
    }

    /// The field the role fills (for a person, the prefix of `person-N`).
    pub fn field_name(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Organisation => "organisation",
            Role::Attachment | Role::Copy => "electronic",
        }
    }

    /// Signs with text in the `electronic` field.
    pub fn is_electronic(self) -> bool {
        matches!(self, Role::Attachment | Role::Copy)
    }
}

/// A field to create on a PDF that lacks it: page number (from 1) and rect in millimetres
/// from the page's lower-left corner (`x0, y0, x1, y1`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewField {
    pub page: u32,
    pub rect_mm: [f32; 4],
}

/// What to sign and how it looks.
pub struct Options {
    pub role: Role,
    /// Fill this field instead of the role's.
    pub field: Option<String>,
    /// Create the field here when the PDF has none for the role.
    pub new_field: Option<NewField>,
    /// The signature image (person) or seal (organisation).
    pub image: Option<Image>,
    /// The seal's width in millimetres when its PNG has no pHYs chunk.
    pub seal_mm: f32,
    /// The claimed signing time (`/M`, and the text of an electronic signature).
    pub time: Moment,
}

/// The signed PDF: `pdf` with a signature by `key` appended.
pub fn sign_pdf(pdf: &[u8], options: &Options, key: &dyn KeySigner) -> Result<Vec<u8>, SignError> {
    let prepared = prepare(pdf, options, key.chain())?;
    let signer = signer_of(key.chain())?;
    let attrs = cms::signed_attributes(&prepared.digest(), signer)?;
    let signature = key.sign(&cms::to_be_signed(&attrs)?)?;
    let cms = cms::signed_data(key.chain(), attrs, key.algorithm().identifier()?, signature)?;
    prepared.fill(&cms)
}

/// Step one of a signature made elsewhere: the PDF with its signature's place reserved, for
/// the certificate chain `chain` (the signer's first).
pub fn prepare(
    pdf: &[u8],
    options: &Options,
    chain: &[Certificate],
) -> Result<Prepared, SignError> {
    let signer = signer_of(chain)?;
    cert::check_can_sign(signer, options.time)?;
    build::with_placeholder(pdf, options, contents_room(chain))
}

/// The bytes the key must sign for `prepared` (DER of the signed attributes).
pub fn to_be_signed(prepared: &Prepared, chain: &[Certificate]) -> Result<Vec<u8>, SignError> {
    cms::to_be_signed(&cms::signed_attributes(
        &prepared.digest(),
        signer_of(chain)?,
    )?)
}

/// Step two: the signed PDF, from the prepared one and `signature` over
/// [`to_be_signed`] made with the key of `chain`'s first certificate (checked).
pub fn finish(
    prepared: Prepared,
    chain: &[Certificate],
    signature: Vec<u8>,
) -> Result<Vec<u8>, SignError> {
    let signer = signer_of(chain)?;
    let attrs = cms::signed_attributes(&prepared.digest(), signer)?;
    let algorithm = cert::verify(signer, &cms::to_be_signed(&attrs)?, &signature)?;
    let cms = cms::signed_data(chain, attrs, algorithm.identifier()?, signature)?;
    prepared.fill(&cms)
}

fn signer_of(chain: &[Certificate]) -> Result<&Certificate, SignError> {
    chain
        .first()
        .ok_or_else(|| SignError::Certificate("no certificate".into()))
}

/// Bytes reserved for the CMS signature: the certificates, the signature and the attributes
/// with room to spare, in whole KiB.
fn contents_room(chain: &[Certificate]) -> usize {
    use der::Encode;
    let certs: usize = chain
        .iter()
        .map(|c| {
            c.encoded_len()
                .map(|l| u32::from(l) as usize)
                .unwrap_or(4096)
        })
        .sum();
    (certs + 6144).div_ceil(1024) * 1024
}
