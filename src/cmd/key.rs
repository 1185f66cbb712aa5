//! The signing key's options, shared by `sign` and `bundle --sign`: a PKCS#12 file or a
//! PKCS#11 token, and how its password or PIN comes (a variable, a file or a prompt; never an
//! argument).

use std::path::{Path, PathBuf};

use clap::Args;

use crate::error::{Error, Result, SignError};
use crate::output::read_regular;
use crate::sign;

#[derive(Debug, Args)]
pub(super) struct KeyArgs {
    /// The PKCS#12 file (.p12/.pfx) holding the key and its certificate chain.
    #[arg(long, value_name = "KEY.p12", conflicts_with = "pkcs11")]
    pub p12: Option<PathBuf>,
    /// Sign with a key on a PKCS#11 token or HSM: the token's module (its driver's .so file).
    /// The PIN comes from --password-env, --password-file or a prompt; the certificate from
    /// the token (the one with the key's ID) unless --cert gives it.
    #[arg(long, value_name = "MODULE.so")]
    pub pkcs11: Option<PathBuf>,
    /// With --pkcs11: the token's label, when several are plugged in.
    #[arg(long, value_name = "LABEL", requires = "pkcs11")]
    pub token: Option<String>,
    /// With --pkcs11: the key's label, when the token holds several signing keys.
    #[arg(long, value_name = "LABEL", requires = "pkcs11")]
    pub key_label: Option<String>,
    /// The environment variable holding the PKCS#12 password (or the token's PIN).
    #[arg(long, value_name = "VAR", conflicts_with = "password_file")]
    pub password_env: Option<String>,
    /// A file whose first line is the PKCS#12 password (or the token's PIN).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Sign RSA keys with RSA-PSS (randomised) instead of PKCS#1 v1.5 (deterministic).
    #[arg(long)]
    pub pss: bool,
    /// The signer's certificate (PEM, then its chain; or DER).
    #[arg(long, value_name = "CERT.pem")]
    pub cert: Option<PathBuf>,
}

/// Turns a signing problem into an error naming the file it is in.
pub(super) type Blame<'a> = &'a dyn Fn(SignError) -> Error;

impl KeyArgs {
    /// Whether a key is given (`--p12` or `--pkcs11`).
    pub(super) fn given(&self) -> bool {
        self.p12.is_some() || self.pkcs11.is_some()
    }

    /// The key: from the PKCS#12 file, or on the token.
    pub(super) fn load(&self, blame: Blame<'_>) -> Result<Box<dyn sign::KeySigner + Send>> {
        if let Some(module) = &self.pkcs11 {
            return self.token_key(blame, module);
        }
        let Some(p12_path) = &self.p12 else {
            return Err(Error::Usage(
                "no key: give --p12 KEY.p12 or --pkcs11 MODULE.so".into(),
            ));
        };
        let p12 = read(p12_path)?;
        let password = self.password("Password for the key file: ")?;
        let mut key = sign::p12::load_p12(&p12, &password).map_err(blame)?;
        if self.pss {
            key.use_pss();
        }
        Ok(Box::new(key))
    }

    #[cfg(feature = "pkcs11")]
    fn token_key(
        &self,
        blame: Blame<'_>,
        module: &Path,
    ) -> Result<Box<dyn sign::KeySigner + Send>> {
        let chain = match &self.cert {
            Some(path) => sign::cert::read_chain(&read(path)?).map_err(blame)?,
            None => Vec::new(),
        };
        let spec = sign::token::TokenSpec {
            module: module.to_path_buf(),
            token_label: self.token.clone(),
            key_label: self.key_label.clone(),
            pss: self.pss,
        };
        let pin = self.password("PIN of the token: ")?;
        let key = sign::token::TokenKey::open(&spec, &pin, chain).map_err(blame)?;
        Ok(Box::new(key))
    }

    #[cfg(not(feature = "pkcs11"))]
    fn token_key(&self, _: Blame<'_>, _: &Path) -> Result<Box<dyn sign::KeySigner + Send>> {
        Err(Error::Usage(
            "this vanthu was built without PKCS#11 (the `pkcs11` feature); sign with --p12".into(),
        ))
    }

    fn password(&self, prompt: &str) -> Result<String> {
        if let Some(var) = &self.password_env {
            return std::env::var(var).map_err(|_| {
                Error::Usage(format!("--password-env {var}: the variable is not set"))
            });
        }
        if let Some(path) = &self.password_file {
            let bytes = read(path)?;
            let text = String::from_utf8_lossy(&bytes);
            return Ok(text.lines().next().unwrap_or("").to_string());
        }
        super::prompt::read_password(prompt)
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    read_regular(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
