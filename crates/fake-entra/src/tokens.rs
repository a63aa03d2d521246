//! Tokens the fake tenant issues and remembers: access tokens, ID tokens, refresh tokens,
//! authorization codes and device codes.
//!
//! Faithful: access and ID tokens are JWT-shaped with the claims clients read (`aud`, `iss`,
//! `tid`, `exp`, `iat`, `nbf`, `appid`, `uti`, and `scp`, `upn`, `name`, `oid` for a user or
//! `roles` and the service principal's `oid` for an app). Scopes are granted the way Entra
//! grants Graph permissions: the `https://graph.microsoft.com/` prefix is dropped, `.default`
//! means every consented permission, OIDC scopes pass through. Refresh tokens rotate: using one
//! returns a new one and retires the old. Authorization codes are single-use, live ten
//! minutes and are bound to the client, the redirect URI and the PKCE challenge.
//!
//! Simplified: tokens are NOT signed. The header is `{"typ":"JWT","alg":"none"}` and the
//! signature part is the text `fake-signature`; Graph here accepts only tokens this server
//! issued, by exact match, which stands in for signature validation. Access tokens carry
//! Graph's `aud` and v2-style `iss` (`{base}/{tenant}/v2.0`) rather than the v1 issuer real
//! Graph tokens have. Refresh tokens do not expire. The consented permissions are fixed:
//! AuditLog.Read.All, Directory.Read.All and Policy.Read.All.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::{Failure, FakeUser};
use crate::errors::format_guid;

/// Graph's resource URI, the `aud` of its tokens.
pub(crate) const GRAPH: &str = "https://graph.microsoft.com";
/// Graph's application ID, also accepted as an audience.
pub(crate) const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// The Graph permissions the fake tenant has consented to, in the order they are listed.
pub(crate) const GRAPH_PERMISSIONS: [&str; 3] =
    ["AuditLog.Read.All", "Directory.Read.All", "Policy.Read.All"];
/// OpenID Connect scopes a client may ask for alongside Graph permissions.
const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// How long an authorization code lives.
const CODE_LIFETIME: Duration = Duration::from_secs(600);

/// The delegated scopes Entra grants for a `scope` request: requested Graph permissions (or all
/// of them for `.default`) and OIDC scopes, minus Policy.Read.All under
/// [`Failure::NoPolicyScope`]. Unknown scopes, and permissions of other resources, are not
/// granted. `graph` lists the resource identifiers that name Graph (see
/// [`graph_resources`]).
pub(crate) fn grant_delegated(
    requested: &str,
    failure: Option<Failure>,
    graph: &[String],
) -> Vec<String> {
    let mut granted: Vec<&str> = Vec::new();
    for scope in requested.split_whitespace() {
        let (resource, bare) = split_resource(scope, graph);
        if bare == ".default" && resource {
            granted.extend(GRAPH_PERMISSIONS);
            continue;
        }
        // Bare names may be Graph's permissions (Graph is the default resource) or OIDC scopes.
        let oidc: &[&'static str] = if resource { &[] } else { &OIDC_SCOPES };
        if let Some(known) = GRAPH_PERMISSIONS
            .iter()
            .chain(oidc)
            .find(|k| k.eq_ignore_ascii_case(bare))
        {
            granted.push(known);
        }
    }
    if failure == Some(Failure::NoPolicyScope) {
        granted.retain(|s| *s != "Policy.Read.All");
    }
    // Graph permissions first, then OIDC scopes, each once.
    GRAPH_PERMISSIONS
        .iter()
        .chain(OIDC_SCOPES.iter())
        .filter(|s| granted.contains(s))
        .map(|s| s.to_string())
        .collect()
}

/// The resource identifiers that mean Graph: its public URI and application ID, and this
/// server's own origin (a client configured for a custom cloud names Graph by the fake's URL,
/// as it would name `https://graph.microsoft.us` in a national cloud).
pub(crate) fn graph_resources(base_url: &str) -> Vec<String> {
    let mut list = vec![
        GRAPH.to_owned(),
        GRAPH_APP_ID.to_owned(),
        base_url.to_owned(),
    ];
    for (a, b) in [
        ("://127.0.0.1:", "://localhost:"),
        ("://localhost:", "://127.0.0.1:"),
    ] {
        if base_url.contains(a) {
            list.push(base_url.replace(a, b));
        }
    }
    list
}

/// Whether `resource` (`https://graph.microsoft.com/`, say) names Graph.
pub(crate) fn is_graph(resource: &str, graph: &[String]) -> bool {
    let resource = resource.trim_end_matches('/');
    graph.iter().any(|g| g.eq_ignore_ascii_case(resource))
}

/// `https://graph.microsoft.com/AuditLog.Read.All` → `(true, "AuditLog.Read.All")`;
/// `openid` → `(false, "openid")`; another resource's scope is returned whole, unmatched.
fn split_resource<'a>(scope: &'a str, graph: &[String]) -> (bool, &'a str) {
    if let Some(slash) = scope.rfind('/')
        && is_graph(&scope[..slash], graph)
    {
        return (true, &scope[slash + 1..]);
    }
    (false, scope)
}

/// The application permissions an app token carries.
pub(crate) fn grant_application(failure: Option<Failure>) -> Vec<String> {
    match failure {
        // Without consent an app gets a token with no application permissions at all.
        Some(Failure::NoConsent | Failure::AdminConsentRequired) => Vec::new(),
        Some(Failure::NoPolicyScope) => GRAPH_PERMISSIONS[..2]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        _ => GRAPH_PERMISSIONS.iter().map(|s| s.to_string()).collect(),
    }
}

/// Builds an unsigned JWT around `payload`.
pub(crate) fn unsigned_jwt(payload: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"none"}"#);
    let body = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{header}.{body}.fake-signature")
}

/// Decodes one base64url part of a JWT as JSON.
pub(crate) fn jwt_part(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An opaque random string, `len` characters of `[A-Za-z0-9]` after `prefix`.
pub(crate) fn opaque(prefix: &str, len: usize) -> String {
    let tail: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect();
    format!("{prefix}{tail}")
}

/// A device-flow user code: `ABCD-EFGH`, from letters that are hard to confuse.
pub(crate) fn user_code() -> String {
    const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut rng = rand::rng();
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        code.push(char::from(LETTERS[rng.random_range(0..LETTERS.len())]));
    }
    code
}

/// A stable GUID for a name (the service principal of a client ID).
pub(crate) fn guid_for(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    format_guid(&bytes)
}

/// `BASE64URL-NOPAD(SHA256(verifier))`, the S256 PKCE challenge.
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An access token the server issued.
#[derive(Debug, Clone)]
pub(crate) struct AccessToken {
    pub expires: Instant,
    /// Set by [`crate::FakeEntra::expire_tokens`].
    pub revoked: bool,
    /// `scp` for users, `roles` for apps.
    pub permissions: Vec<String>,
    /// An app-only token (client credentials).
    pub app: bool,
    pub audience: String,
}

impl AccessToken {
    pub(crate) fn expired(&self, now: Instant) -> bool {
        self.revoked || now >= self.expires
    }

    pub(crate) fn has(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }
}

/// A redeemable refresh token.
#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// Already exchanged for a newer refresh token.
    pub used: bool,
}

/// An authorization code from the authorize endpoint.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
    pub used: bool,
}

impl AuthCode {
    pub(crate) fn new(
        client_id: String,
        redirect_uri: String,
        challenge: String,
        scopes: Vec<String>,
    ) -> AuthCode {
        AuthCode {
            client_id,
            redirect_uri,
            challenge,
            scopes,
            expires: Instant::now() + CODE_LIFETIME,
            used: false,
        }
    }
}

/// A device code waiting for (or done with) its user.
#[derive(Debug, Clone)]
pub(crate) struct DeviceCode {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires: Instant,
    /// Polls answered `authorization_pending` so far.
    pub pending_answers: u32,
    pub last_poll: Option<Instant>,
    /// Tokens were issued (or the approval failed); the code cannot be used again.
    pub redeemed: bool,
}

/// Everything issued so far.
#[derive(Debug, Default)]
pub(crate) struct TokenStore {
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshGrant>,
    pub codes: HashMap<String, AuthCode>,
    pub devices: HashMap<String, DeviceCode>,
}

/// What the token endpoint needs to mint tokens.
#[derive(Debug, Clone)]
pub(crate) struct Issuer<'a> {
    pub base_url: &'a str,
    pub user: &'a FakeUser,
    pub lifetime: Duration,
}

impl Issuer<'_> {
    fn iss(&self) -> String {
        format!("{}/{}/v2.0", self.base_url, self.user.tenant_id)
    }

    fn lifetime_secs(&self) -> u64 {
        self.lifetime.as_secs()
    }

    /// Mints a delegated token response (access token, ID token when `openid` was granted,
    /// and a refresh token when `offline_access` was) and records what it issued.
    pub(crate) fn delegated(
        &self,
        store: &mut TokenStore,
        client_id: &str,
        scopes: &[String],
    ) -> Value {
        let now = chrono::Utc::now().timestamp();
        let lifetime = self.lifetime_secs();
        let exp = now + i64::try_from(lifetime).unwrap_or(i64::MAX / 2);
        let scope_text = scopes.join(" ");
        let access_token = unsigned_jwt(&json!({
            "aud": GRAPH,
            "iss": self.iss(),
            "iat": now,
            "nbf": now,
            "exp": exp,
            "idtyp": "user",
            "appid": client_id,
            "azp": client_id,
            "name": self.user.display_name,
            "oid": self.user.object_id,
            "scp": scope_text,
            "sub": guid_for(&format!("{}:{client_id}", self.user.object_id)),
            "tid": self.user.tenant_id,
            "unique_name": self.user.upn,
            "upn": self.user.upn,
            "uti": opaque("", 22),
            "ver": "1.0",
        }));
        store.access.insert(
            access_token.clone(),
            AccessToken {
                expires: Instant::now() + self.lifetime,
                revoked: false,
                permissions: scopes.to_vec(),
                app: false,
                audience: GRAPH.into(),
            },
        );
        let mut response = json!({
            "token_type": "Bearer",
            "scope": scope_text,
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        });
        let Some(map) = response.as_object_mut() else {
            return response;
        };
        if scopes.iter().any(|s| s == "offline_access") {
            let refresh_token = opaque("1.AXkA-fake-refresh.", 96);
            store.refresh.insert(
                refresh_token.clone(),
                RefreshGrant {
                    client_id: client_id.into(),
                    scopes: scopes.to_vec(),
                    used: false,
                },
            );
            map.insert("refresh_token".into(), Value::from(refresh_token));
        }
        if scopes.iter().any(|s| s == "openid") {
            let id_token = unsigned_jwt(&json!({
                "aud": client_id,
                "iss": self.iss(),
                "iat": now,
                "nbf": now,
                "exp": exp,
                "name": self.user.display_name,
                "oid": self.user.object_id,
                "preferred_username": self.user.upn,
                "sub": guid_for(&format!("{}:{client_id}", self.user.object_id)),
                "tid": self.user.tenant_id,
                "ver": "2.0",
            }));
            map.insert("id_token".into(), Value::from(id_token));
        }
        response
    }

    /// Mints an app-only token for `audience` with `roles`.
    pub(crate) fn application(
        &self,
        store: &mut TokenStore,
        client_id: &str,
        audience: &str,
        roles: Vec<String>,
    ) -> Value {
        let now = chrono::Utc::now().timestamp();
        let lifetime = self.lifetime_secs();
        let exp = now + i64::try_from(lifetime).unwrap_or(i64::MAX / 2);
        let service_principal = guid_for(client_id);
        let mut claims = json!({
            "aud": audience,
            "iss": self.iss(),
            "iat": now,
            "nbf": now,
            "exp": exp,
            "idtyp": "app",
            "appid": client_id,
            "azp": client_id,
            "oid": service_principal,
            "sub": service_principal,
            "tid": self.user.tenant_id,
            "uti": opaque("", 22),
            "ver": "1.0",
        });
        if !roles.is_empty()
            && let Some(map) = claims.as_object_mut()
        {
            map.insert("roles".into(), json!(roles));
        }
        let access_token = unsigned_jwt(&claims);
        store.access.insert(
            access_token.clone(),
            AccessToken {
                expires: Instant::now() + self.lifetime,
                revoked: false,
                permissions: roles,
                app: true,
                audience: audience.into(),
            },
        );
        json!({
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn scopes_are_granted_like_entra() {
        let graph = graph_resources("http://127.0.0.1:4000");
        let g = grant_delegated(
            "https://graph.microsoft.com/AuditLog.Read.All https://graph.microsoft.com/policy.read.all openid profile offline_access User.Read",
            None,
            &graph,
        );
        assert_eq!(
            g,
            [
                "AuditLog.Read.All",
                "Policy.Read.All",
                "openid",
                "profile",
                "offline_access"
            ]
        );
        let g = grant_delegated("https://graph.microsoft.com/.default openid", None, &graph);
        assert_eq!(g.len(), 4);
        let g = grant_delegated(
            "https://graph.microsoft.com/.default",
            Some(Failure::NoPolicyScope),
            &graph,
        );
        assert!(!g.iter().any(|s| s == "Policy.Read.All"));
        // The fake's own origin names Graph, as a national cloud's Graph host would.
        let g = grant_delegated(
            "http://localhost:4000/AuditLog.Read.All http://127.0.0.1:4000/Directory.Read.All",
            None,
            &graph,
        );
        assert_eq!(g, ["AuditLog.Read.All", "Directory.Read.All"]);
        // Another resource's permissions are not Graph's.
        let g = grant_delegated(
            "https://management.azure.com/AuditLog.Read.All https://other.example/.default",
            None,
            &graph,
        );
        assert!(g.is_empty());
        assert!(is_graph("https://graph.microsoft.com/", &graph));
        assert_eq!(grant_application(Some(Failure::NoPolicyScope)).len(), 2);
    }

    #[test]
    fn jwts_are_unsigned_and_readable() {
        let jwt = unsigned_jwt(&json!({"a": 1}));
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "fake-signature");
        assert_eq!(jwt_part(parts[0]).unwrap()["alg"], "none");
        assert_eq!(jwt_part(parts[1]).unwrap()["a"], 1);
    }

    #[test]
    fn pkce_matches_rfc_7636_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn user_codes_look_right() {
        let code = user_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
    }
}
