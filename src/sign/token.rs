//! Keys on a PKCS#11 token or HSM: the USB tokens Vietnamese offices sign with, SoftHSM2 in
//! the tests. The private key never leaves the token; the token signs the DER of the signed
//! attributes (RSA: `CKM_SHA256_RSA_PKCS` or `CKM_SHA256_RSA_PKCS_PSS`; EC: `CKM_ECDSA` over
//! their SHA-256, which every EC token has, the raw `r || s` turned into DER here). The
//! signer's certificate is read from the token (the certificate object with the key's
//! `CKA_ID`) unless one is given. Built on `cryptoki`, which loads the token's driver (the
//! `.so` module) at run time: nothing is linked.

use std::path::{Path, PathBuf};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as P11Error, RvError};
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::types::AuthPin;
use der::Decode;
use sha2::Digest;
use x509_cert::Certificate;

use crate::error::SignError;
use crate::sign::key::{KeySigner, SignatureAlgorithm};

/// Which key on which token.
#[derive(Debug, Clone, Default)]
pub struct TokenSpec {
    /// The token's PKCS#11 module (its driver), e.g. `/usr/lib/softhsm/libsofthsm2.so`.
    pub module: PathBuf,
    /// The token's label; the only token present when `None`.
    pub token_label: Option<String>,
    /// The key's label (`CKA_LABEL`); the only signing key when `None`.
    pub key_label: Option<String>,
    /// Sign with RSA-PSS rather than PKCS#1 v1.5 (RSA keys).
    pub pss: bool,
}

/// A private key on a token, logged in, with its certificate chain.
pub struct TokenKey {
    session: Session,
    key: ObjectHandle,
    chain: Vec<Certificate>,
    algorithm: SignatureAlgorithm,
    // Dropped last: the session belongs to the loaded module.
    _module: Pkcs11,
}

impl TokenKey {
    /// Loads the module, finds the token and the key, logs in with `pin`. `chain`, when not
    /// empty, is the certificate chain to use instead of the certificate on the token.
    pub fn open(
        spec: &TokenSpec,
        pin: &str,
        chain: Vec<Certificate>,
    ) -> Result<TokenKey, SignError> {
        let module = load(&spec.module)?;
        let slot = {
            let slots = module.get_slots_with_token().map_err(token)?;
            let mut labelled = Vec::new();
            for slot in slots {
                let info = module.get_token_info(slot).map_err(token)?;
                // A reader's empty slot (SoftHSM always has one) is no token to sign with.
                if info.token_initialized() {
                    labelled.push((slot, info.label().trim().to_string()));
                }
            }
            choose_token(labelled, spec.token_label.as_deref())?
        };
        let session = module.open_ro_session(slot).map_err(token)?;
        login(&session, pin)?;
        let (key, id, key_type) = find_key(&session, spec.key_label.as_deref())?;
        let chain = if chain.is_empty() {
            vec![certificate_on_token(&session, &id)?]
        } else {
            chain
        };
        let algorithm = match (key_type, spec.pss) {
            (k, false) if k == KeyType::RSA => SignatureAlgorithm::RsaPkcs1v15,
            (k, true) if k == KeyType::RSA => SignatureAlgorithm::RsaPss,
            (k, _) if k == KeyType::EC => SignatureAlgorithm::EcdsaP256,
            (k, _) => return Err(SignError::UnsupportedKey(format!("a {k} key on the token"))),
        };
        Ok(TokenKey {
            session,
            key,
            chain,
            algorithm,
            _module: module,
        })
    }
}

impl KeySigner for TokenKey {
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, SignError> {
        match self.algorithm {
            SignatureAlgorithm::RsaPkcs1v15 => self
                .session
                .sign(&Mechanism::Sha256RsaPkcs, self.key, data)
                .map_err(token),
            SignatureAlgorithm::RsaPss => {
                let params = PkcsPssParams {
                    hash_alg: MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: 32.into(),
                };
                self.session
                    .sign(&Mechanism::Sha256RsaPkcsPss(params), self.key, data)
                    .map_err(token)
            }
            SignatureAlgorithm::EcdsaP256 => {
                let digest = sha2::Sha256::digest(data);
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(token)?;
                let signature = p256::ecdsa::Signature::from_slice(&raw)
                    .map_err(|e| SignError::Crypto(format!("the token's ECDSA signature: {e}")))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}

fn login(session: &Session, pin: &str) -> Result<(), SignError> {
    match session.login(UserType::User, Some(&AuthPin::new(pin.into()))) {
        Ok(()) | Err(P11Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
        Err(P11Error::Pkcs11(RvError::PinIncorrect, _)) => Err(SignError::WrongPin),
        Err(P11Error::Pkcs11(RvError::PinLocked, _)) => Err(SignError::Token(
            "the PIN is locked after too many wrong tries; unlock it with the token's own tool"
                .into(),
        )),
        Err(e) => Err(token(e)),
    }
}

fn load(module: &Path) -> Result<Pkcs11, SignError> {
    let pkcs11 = Pkcs11::new(module).map_err(|e| {
        SignError::TokenModule(format!(
            "cannot load the token's PKCS#11 module {} ({e}); install the token's driver and \
             give the path of its .so file with --pkcs11",
            module.display()
        ))
    })?;
    match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(P11Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => Ok(pkcs11),
        Err(e) => Err(token(e)),
    }
}

/// The slot of the token labelled `wanted`, or of the only token.
fn choose_token<S: Copy>(tokens: Vec<(S, String)>, wanted: Option<&str>) -> Result<S, SignError> {
    let names = || {
        tokens
            .iter()
            .map(|(_, l)| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        Some(w) => tokens
            .iter()
            .find(|(_, l)| l == w)
            .map(|(s, _)| *s)
            .ok_or_else(|| {
                if tokens.is_empty() {
                    SignError::NoToken("no token is plugged in; plug in the USB token".into())
                } else {
                    SignError::NoToken(format!("no token labelled `{w}`; present: {}", names()))
                }
            }),
        None => match tokens.as_slice() {
            [] => Err(SignError::NoToken(
                "no token is plugged in; plug in the USB token".into(),
            )),
            [(s, _)] => Ok(*s),
            _ => Err(SignError::NoToken(format!(
                "several tokens are present ({}); choose one with --token",
                names()
            ))),
        },
    }
}

/// The signing private key (by label, or the only one): its handle, `CKA_ID` and type.
fn find_key(
    session: &Session,
    label: Option<&str>,
) -> Result<(ObjectHandle, Vec<u8>, KeyType), SignError> {
    let mut template = vec![
        Attribute::Class(ObjectClass::PRIVATE_KEY),
        Attribute::Sign(true),
    ];
    if let Some(l) = label {
        template.push(Attribute::Label(l.as_bytes().to_vec()));
    }
    let keys = session.find_objects(&template).map_err(token)?;
    let key = match keys.as_slice() {
        [k] => *k,
        [] => {
            return Err(SignError::TokenKey(match label {
                Some(l) => format!("no signing key labelled `{l}` on the token"),
                None => "no signing key on the token (or the PIN is not the user's)".into(),
            }))
        }
        _ => {
            return Err(SignError::TokenKey(
                "several signing keys on the token; choose one with --key-label".into(),
            ))
        }
    };
    let attrs = session
        .get_attributes(key, &[AttributeType::Id, AttributeType::KeyType])
        .map_err(token)?;
    let mut id = Vec::new();
    let mut key_type = None;
    for a in attrs {
        match a {
            Attribute::Id(v) => id = v,
            Attribute::KeyType(k) => key_type = Some(k),
            _ => {}
        }
    }
    let key_type = key_type.ok_or_else(|| SignError::TokenKey("the key has no type".into()))?;
    Ok((key, id, key_type))
}

/// The certificate object with the key's `CKA_ID`.
fn certificate_on_token(session: &Session, id: &[u8]) -> Result<Certificate, SignError> {
    let certs = session
        .find_objects(&[
            Attribute::Class(ObjectClass::CERTIFICATE),
            Attribute::Id(id.to_vec()),
        ])
        .map_err(token)?;
    let Some(cert) = certs.first() else {
        return Err(SignError::TokenKey(
            "the token holds no certificate for this key; give it with --cert".into(),
        ));
    };
    let value = session
        .get_attributes(*cert, &[AttributeType::Value])
        .map_err(token)?;
    let der = value
        .into_iter()
        .find_map(|a| match a {
            Attribute::Value(v) => Some(v),
            _ => None,
        })
        .ok_or_else(|| SignError::TokenKey("the token's certificate has no value".into()))?;
    Certificate::from_der(&der).map_err(|e| SignError::Certificate(e.to_string()))
}

fn token(e: P11Error) -> SignError {
    SignError::Token(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_only_token_or_the_one_named() {
        let two = vec![(1, "A".to_string()), (2, "B".to_string())];
        assert_eq!(choose_token(two.clone(), Some("B")).ok(), Some(2));
        assert!(
            matches!(choose_token(two.clone(), None), Err(SignError::NoToken(m)) if m.contains("`A`, `B`"))
        );
        assert!(
            matches!(choose_token(two, Some("C")), Err(SignError::NoToken(m)) if m.contains("no token labelled `C`"))
        );
        assert!(
            matches!(choose_token(Vec::<(u8, String)>::new(), None), Err(SignError::NoToken(m)) if m.contains("plug in"))
        );
    }
}
