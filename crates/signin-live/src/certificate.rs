//! Signing in as an app with a certificate: a client assertion (a short-lived JWT) signed with
//! the certificate's private key, as Entra's certificate credentials expect.
//!
//! The assertion is signed here, in pure Rust (RS256 over the PEM key), rather than with
//! azure_identity's `ClientCertificateCredential`, which needs OpenSSL on every platform we ship
//! to. The file is a PEM holding the certificate and its unencrypted private key (what
//! `az ad sp create-for-rbac --create-cert` writes); it stays where the admin keeps it.

use signin_core::messages::Message;
use std::path::Path;

use base64::Engine as _;
use rand::RngCore as _;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use sha2::{Digest, Sha256};

use crate::error::LiveError;

/// Signs client assertions for one app registration.
pub struct CertificateAssertion {
    key: RsaPrivateKey,
    /// `x5t#S256`: the certificate's SHA-256 thumbprint, base64url.
    thumbprint: String,
    client_id: String,
    /// The token endpoint the assertion is for.
    audience: String,
}

impl std::fmt::Debug for CertificateAssertion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateAssertion")
            .field("thumbprint", &self.thumbprint)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl CertificateAssertion {
    pub fn from_pem_file(
        path: &Path,
        client_id: &str,
        audience: &str,
    ) -> Result<CertificateAssertion, LiveError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            LiveError::InvalidInput(
                Message::new("live.credential.certificate-unreadable")
                    .with("path", path.display())
                    .with("detail", e),
            )
        })?;
        CertificateAssertion::from_pem(&text, client_id, audience).map_err(|why| {
            LiveError::InvalidInput(
                Message::new("live.credential.certificate-bad")
                    .with("path", path.display())
                    .with_nested("detail", why),
            )
        })
    }

    pub fn from_pem(
        text: &str,
        client_id: &str,
        audience: &str,
    ) -> Result<CertificateAssertion, Message> {
        let certificate = pem_block(text, "CERTIFICATE")
            .ok_or_else(|| Message::new("live.credential.no-certificate"))?;
        let unreadable = |e: &dyn std::fmt::Display| {
            Message::new("live.credential.key-unreadable").with("detail", e)
        };
        let key = if let Some(der) = pem_block(text, "PRIVATE KEY") {
            RsaPrivateKey::from_pkcs8_der(&der).map_err(|e| unreadable(&e))?
        } else if let Some(der) = pem_block(text, "RSA PRIVATE KEY") {
            RsaPrivateKey::from_pkcs1_der(&der).map_err(|e| unreadable(&e))?
        } else if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err(Message::new("live.credential.key-encrypted"));
        } else {
            return Err(Message::new("live.credential.no-key"));
        };
        Ok(CertificateAssertion {
            key,
            thumbprint: base64url(&Sha256::digest(&certificate)),
            client_id: client_id.to_owned(),
            audience: audience.to_owned(),
        })
    }

    /// A fresh assertion, valid for ten minutes.
    pub fn sign(&self, now: i64) -> String {
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t#S256": self.thumbprint});
        let mut jti = [0u8; 16];
        rand::rng().fill_bytes(&mut jti);
        let claims = serde_json::json!({
            "aud": self.audience,
            "iss": self.client_id,
            "sub": self.client_id,
            "jti": base64url(&jti),
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        });
        let signing_input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(self.key.clone());
        let signature = signer.sign(signing_input.as_bytes()).to_vec();
        format!("{signing_input}.{}", base64url(&signature))
    }
}

#[async_trait::async_trait]
impl azure_identity::ClientAssertion for CertificateAssertion {
    async fn secret(
        &self,
        _: Option<azure_core::http::ClientMethodOptions<'_>>,
    ) -> azure_core::Result<String> {
        Ok(self.sign(chrono::Utc::now().timestamp()))
    }
}

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The DER bytes of the first `-----BEGIN {label}-----` block.
fn pem_block(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text[start..].find(&end)?;
    let body: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::signature::Verifier as _;

    const TEST_PEM: &str = include_str!("../../../tests/fixtures/certificate/test-app.pem");

    #[test]
    fn assertions_are_signed_with_the_key_and_name_the_certificate() {
        let signer = CertificateAssertion::from_pem(
            TEST_PEM,
            "app-id",
            "https://login.example/t/oauth2/v2.0/token",
        )
        .unwrap();
        let jwt = signer.sign(1_800_000_000);
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let decode = |p: &str| -> serde_json::Value {
            serde_json::from_slice(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(p)
                    .unwrap(),
            )
            .unwrap()
        };
        let cert_der = pem_block(TEST_PEM, "CERTIFICATE").unwrap();
        assert_eq!(
            decode(parts[0])["x5t#S256"],
            base64url(&Sha256::digest(&cert_der))
        );
        let claims = decode(parts[1]);
        assert_eq!(
            (claims["iss"].as_str(), claims["sub"].as_str()),
            (Some("app-id"), Some("app-id"))
        );
        assert_eq!(claims["aud"], "https://login.example/t/oauth2/v2.0/token");
        assert_eq!(claims["exp"], 1_800_000_600);
        let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(signer.key.to_public_key());
        let signature = rsa::pkcs1v15::Signature::try_from(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(parts[2])
                .unwrap()
                .as_slice(),
        )
        .unwrap();
        verifier
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &signature)
            .expect("the signature verifies with the certificate's public key");
    }

    #[test]
    fn explains_files_it_cannot_use() {
        let no_cert = CertificateAssertion::from_pem(
            "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----",
            "a",
            "b",
        );
        assert!(no_cert.unwrap_err().to_string().contains("no certificate"));
        let encrypted = CertificateAssertion::from_pem(
            "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----",
            "a",
            "b",
        );
        assert!(encrypted.unwrap_err().to_string().contains("password"));
    }
}
