//! What a token says about itself, read without verifying it.
//!
//! Sign-in Doctor never makes an authorisation decision from these claims: Graph checks the token
//! itself. They are read only to show who is signed in and to warn early when a permission the
//! diagnosis needs (Policy.Read.All for Conditional Access details) was not granted.

use base64::Engine as _;
use serde::Deserialize;

/// The claims of an access or ID token that the app shows or checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Claims {
    /// Tenant ID.
    #[serde(default)]
    pub tid: Option<String>,
    /// Object ID of the signed-in user or service principal.
    #[serde(default)]
    pub oid: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub unique_name: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// Delegated permissions, space-separated.
    #[serde(default)]
    pub scp: Option<String>,
    /// Application permissions.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub appid: Option<String>,
    /// Expiry, seconds since 1970.
    #[serde(default)]
    pub exp: Option<i64>,
}

impl Claims {
    /// Reads the middle part of a JWT. A token that is not a JWT (some clouds issue opaque
    /// tokens) has no claims, which is not an error.
    pub fn of(token: &str) -> Claims {
        let Some(payload) = token.split('.').nth(1) else {
            return Claims::default();
        };
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// The account's sign-in name, as people know it.
    pub fn account(&self) -> Option<&str> {
        self.upn
            .as_deref()
            .or(self.preferred_username.as_deref())
            .or(self.unique_name.as_deref())
    }

    /// Every permission the token carries, delegated or application, without resource prefixes.
    pub fn permissions(&self) -> Vec<String> {
        self.scp
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .chain(self.roles.iter().cloned())
            .map(|p| p.rsplit('/').next().unwrap_or_default().to_owned())
            .collect()
    }

    /// Whether the token carries `permission`, or one that includes it.
    pub fn grants(&self, permission: &str) -> bool {
        let held = self.permissions();
        let includes = |p: &str| held.iter().any(|h| h.eq_ignore_ascii_case(p));
        includes(permission)
            || match permission {
                // Broader permissions that also allow reading.
                "Policy.Read.All" => {
                    includes("Policy.ReadWrite.ConditionalAccess")
                        || includes("Policy.Read.ConditionalAccess")
                }
                "Directory.Read.All" => {
                    includes("Directory.ReadWrite.All") || includes("Directory.AccessAsUser.All")
                }
                _ => false,
            }
    }

    /// Whether permissions are known at all (an opaque token tells nothing).
    pub fn knows_permissions(&self) -> bool {
        self.scp.is_some() || !self.roles.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"none"}"#), b64(payload))
    }

    #[test]
    fn reads_delegated_and_application_permissions() {
        let delegated = Claims::of(&token(
            r#"{"scp":"AuditLog.Read.All Directory.AccessAsUser.All openid","upn":"ann@contoso.com","tid":"t1"}"#,
        ));
        assert_eq!(delegated.account(), Some("ann@contoso.com"));
        assert!(delegated.grants("AuditLog.Read.All"));
        assert!(
            delegated.grants("Directory.Read.All"),
            "AccessAsUser includes read"
        );
        assert!(!delegated.grants("Policy.Read.All"));

        let app = Claims::of(&token(
            r#"{"roles":["https://graph.microsoft.com/AuditLog.Read.All","Policy.Read.All"]}"#,
        ));
        assert!(app.grants("AuditLog.Read.All") && app.grants("Policy.Read.All"));
    }

    #[test]
    fn anything_else_has_no_claims() {
        for text in ["", "opaque", "a.!!!.c", "a.e30.c"] {
            let claims = Claims::of(text);
            assert!(!claims.knows_permissions(), "{text}");
        }
    }
}
