//! [`Secret`]: a token or client secret that cannot leak by accident.
//!
//! It has no `Serialize`, no `Display`, and its `Debug` prints a placeholder, so a secret cannot
//! reach a log line, a JSON reply to the webview or a settings file without someone calling
//! [`Secret::expose`] on purpose. Its memory is wiped when it is dropped.

use zeroize::Zeroizing;

/// A secret string: an access or refresh token, a client secret, a device code.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret text, for the one place that must send it (an HTTP header or form, the vault).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_output_never_shows_the_value() {
        let secret = Secret::new("eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.refresh");
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("eyJ0"), "{shown}");
        assert_eq!(
            secret.expose(),
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.refresh"
        );
    }
}
