//! The delegated sign-in flows, spoken directly to Entra's v2.0 endpoints.
//!
//! * **Browser** (authorization code with PKCE): the admin signs in in their own browser, which
//!   Entra then sends to a one-shot listener on `127.0.0.1` at a port the OS picks. The `state`
//!   value ties the answer to this request; the PKCE verifier proves the code is ours.
//! * **Device code**: for remote desktops and machines without a browser; the admin types a
//!   short code on another device.
//! * **Refresh**: a new access token from the saved refresh token. Entra rotates refresh tokens,
//!   so the newest one must always be saved.
//!
//! These are written on `reqwest` rather than a generic OAuth crate so that Entra's error replies
//! (`error_codes`, `correlation_id`, `suberror`) reach the explainer intact and one HTTP client
//! serves sign-in and Graph alike.

use signin_core::Lang;
use signin_core::messages::Message;
use signin_core::messages::tr;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use rand::RngCore as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::claims::Claims;
use crate::error::{EntraError, LiveError};
use crate::secret::Secret;

/// The Graph permissions Sign-in Doctor asks for: read sign-in logs, read the directory (user
/// and app names), read Conditional Access policies. All read-only.
pub const GRAPH_PERMISSIONS: [&str; 3] =
    ["AuditLog.Read.All", "Directory.Read.All", "Policy.Read.All"];

/// Where a tenant's sign-in endpoints are, and who is asking.
#[derive(Debug, Clone)]
pub struct Authority {
    /// `https://login.microsoftonline.com` or the cloud's equivalent.
    pub host: Url,
    /// `organizations`, a tenant ID or a domain.
    pub tenant: String,
    pub client_id: String,
    /// The Graph resource permissions are named under (`https://graph.microsoft.com`).
    pub graph_resource: String,
}

impl Authority {
    /// `{host}/{tenant}/oauth2/v2.0/{name}`.
    pub fn endpoint(&self, name: &str) -> Result<Url, LiveError> {
        let mut url = self.host.clone();
        url.path_segments_mut()
            .map_err(|()| {
                LiveError::InvalidInput(
                    Message::new("live.fetch.no-path").with("address", &self.host),
                )
            })?
            .pop_if_empty()
            .extend([self.tenant.as_str(), "oauth2", "v2.0", name]);
        Ok(url)
    }

    /// The scopes of a delegated sign-in: the Graph permissions plus `offline_access` (for a
    /// refresh token) and `openid profile` (for the account's name).
    pub fn delegated_scopes(&self) -> String {
        GRAPH_PERMISSIONS
            .iter()
            .map(|p| format!("{}/{p}", self.graph_resource))
            .chain(["offline_access".into(), "openid".into(), "profile".into()])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The scope of an app-only token: every permission granted to the app registration.
    pub fn app_scope(&self) -> String {
        format!("{}/.default", self.graph_resource)
    }
}

/// An access token, kept in memory only.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub secret: Secret,
    pub expires_at: DateTime<Utc>,
    pub claims: Claims,
}

impl AccessToken {
    pub fn new(secret: Secret, expires_at: DateTime<Utc>) -> AccessToken {
        let claims = Claims::of(secret.expose());
        AccessToken {
            secret,
            expires_at,
            claims,
        }
    }

    /// Whether it stays valid for another five minutes after `now`.
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at - chrono::Duration::minutes(5) > now
    }
}

/// What a successful delegated sign-in or refresh gives.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: AccessToken,
    /// Present when `offline_access` was granted. Rotated on every refresh.
    pub refresh: Option<Secret>,
    /// Who signed in (from the ID token, else the access token).
    pub account: Claims,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    #[serde(deserialize_with = "number_or_text")]
    expires_in: i64,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
}

/// Some endpoints send `expires_in` as text.
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(i64),
        Text(String),
    }
    match Either::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// Posts a form to the token endpoint and reads tokens or Entra's error.
async fn token_request(
    http: &reqwest::Client,
    authority: &Authority,
    form: &[(&str, &str)],
) -> Result<Tokens, LiveError> {
    let url = authority.endpoint("token")?;
    let (status, body) = post_form(http, url, form).await?;
    if !(200..300).contains(&status) {
        return Err(LiveError::from(EntraError::from_body(status, &body)));
    }
    parse_tokens(&body, Utc::now())
}

fn parse_tokens(body: &str, now: DateTime<Utc>) -> Result<Tokens, LiveError> {
    let reply: TokenReply = serde_json::from_str(body).map_err(|e| {
        LiveError::Network(Message::new("live.net.unreadable-reply").with("detail", e))
    })?;
    let access = AccessToken::new(
        Secret::new(reply.access_token),
        now + chrono::Duration::seconds(reply.expires_in.max(0)),
    );
    let account = match &reply.id_token {
        Some(id) => Claims::of(id),
        None => access.claims.clone(),
    };
    Ok(Tokens {
        access,
        refresh: reply.refresh_token.map(Secret::new),
        account,
    })
}

async fn post_form(
    http: &reqwest::Client,
    url: Url,
    form: &[(&str, &str)],
) -> Result<(u16, String), LiveError> {
    let response = http
        .post(url.clone())
        .form(form)
        .send()
        .await
        .map_err(|e| network_error(&url, &e))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| network_error(&url, &e))?;
    Ok((status, body))
}

pub(crate) fn network_error(url: &Url, e: &reqwest::Error) -> LiveError {
    let message = Message::new("live.net.unreachable");
    let message = match url.host_str() {
        Some(host) => message.with("host", host),
        None => message.with_message("host", "live.net.the-server"),
    };
    LiveError::Network(if e.is_timeout() {
        message.with_message("why", "live.net.timeout")
    } else if e.is_connect() {
        message.with_message("why", "live.net.connect")
    } else {
        message.with(
            "why",
            std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| e.to_string()),
        )
    })
}

/// Exchanges a refresh token for new tokens (and a new refresh token).
pub async fn refresh(
    http: &reqwest::Client,
    authority: &Authority,
    refresh_token: &Secret,
) -> Result<Tokens, LiveError> {
    let scopes = authority.delegated_scopes();
    token_request(
        http,
        authority,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &authority.client_id),
            ("refresh_token", refresh_token.expose()),
            ("scope", &scopes),
        ],
    )
    .await
}

fn random_text(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// A browser sign-in in progress: the listener is open, the address is ready to open.
#[derive(Debug)]
pub struct BrowserSignIn {
    /// The address to open in the browser.
    pub url: Url,
    listener: TcpListener,
    redirect_uri: String,
    state: String,
    verifier: Secret,
    /// The language of the page the browser shows when it comes back.
    lang: Lang,
}

/// Opens the loopback listener and builds the sign-in address; the page the browser shows
/// afterwards speaks `lang`.
pub async fn begin_browser(
    authority: &Authority,
    login_hint: Option<&str>,
    lang: Lang,
) -> Result<BrowserSignIn, LiveError> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
        LiveError::Network(Message::new("live.net.no-local-port").with("detail", e))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| LiveError::Network(Message::new("live.net.local-port").with("detail", e)))?
        .port();
    // Entra matches `http://localhost` whatever the port; the browser reaches our listener
    // through it.
    let redirect_uri = format!("http://localhost:{port}/");
    let state = random_text(24);
    let verifier = Secret::new(random_text(48));
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.expose().as_bytes()));
    let mut url = authority.endpoint("authorize")?;
    url.query_pairs_mut()
        .append_pair("client_id", &authority.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("response_mode", "query")
        .append_pair("scope", &authority.delegated_scopes())
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("prompt", "select_account");
    if let Some(hint) = login_hint.filter(|h| !h.trim().is_empty()) {
        url.query_pairs_mut().append_pair("login_hint", hint.trim());
    }
    Ok(BrowserSignIn {
        url,
        listener,
        redirect_uri,
        state,
        verifier,
        lang,
    })
}

impl BrowserSignIn {
    /// Waits for the browser to come back, then redeems the code. Gives up after `timeout` or
    /// when `cancel` fires; the listener closes either way.
    pub async fn finish(
        self,
        http: &reqwest::Client,
        authority: &Authority,
        cancel: &CancellationToken,
        timeout: Duration,
    ) -> Result<Tokens, LiveError> {
        let reply = tokio::select! {
            reply = self.wait_for_reply() => reply?,
            () = cancel.cancelled() => return Err(LiveError::Cancelled),
            () = tokio::time::sleep(timeout) => return Err(LiveError::TimedOut(
                Message::new("live.net.browser-timeout")
                    .with("minutes", timeout.as_secs().div_ceil(60)),
            )),
        };
        token_request(
            http,
            authority,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &authority.client_id),
                ("code", reply.expose()),
                ("redirect_uri", &self.redirect_uri),
                ("code_verifier", self.verifier.expose()),
                ("scope", &authority.delegated_scopes()),
            ],
        )
        .await
    }

    /// Serves the listener until a request carries our `state`: the code, or Entra's error.
    async fn wait_for_reply(&self) -> Result<Secret, LiveError> {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|e| {
                LiveError::Network(Message::new("live.net.listener-failed").with("detail", e))
            })?;
            let Some(target) = read_request_target(&mut stream).await else {
                continue;
            };
            let Ok(url) = Url::parse("http://localhost").and_then(|base| base.join(&target)) else {
                respond(
                    &mut stream,
                    400,
                    &page(
                        self.lang,
                        false,
                        &tr(self.lang, "live.page.not-understood", &[]),
                    ),
                )
                .await;
                continue;
            };
            let value = |name: &str| {
                url.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            if value("state").as_deref() != Some(self.state.as_str()) {
                // Not the reply to this sign-in (a favicon, a stale tab, or a forged request).
                respond(
                    &mut stream,
                    404,
                    &page(
                        self.lang,
                        false,
                        &tr(self.lang, "live.page.not-this-sign-in", &[]),
                    ),
                )
                .await;
                continue;
            }
            if let Some(code) = value("code") {
                respond(
                    &mut stream,
                    200,
                    &page(self.lang, true, &tr(self.lang, "live.page.done", &[])),
                )
                .await;
                return Ok(Secret::new(code));
            }
            let description = value("error_description").unwrap_or_default();
            let error = EntraError::from_body(
                400,
                &serde_json::json!({
                    "error": value("error").unwrap_or_else(|| "invalid_request".into()),
                    "error_description": description,
                })
                .to_string(),
            );
            respond(
                &mut stream,
                200,
                &page(self.lang, false, &error.explain_in(self.lang)),
            )
            .await;
            return Err(LiveError::from(error));
        }
    }
}

/// Reads an HTTP request head and returns its target (`/?code=…`), or `None` for anything else.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    let read = async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
            let n = stream.read(&mut buffer).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buffer[..n]);
        }
        Some(())
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()??;
    let line = String::from_utf8_lossy(&head);
    let mut parts = line.lines().next()?.split_whitespace();
    (parts.next()? == "GET").then_some(())?;
    parts.next().map(str::to_owned)
}

async fn respond(stream: &mut TcpStream, status: u16, html: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let reply = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\nConnection: close\r\n\r\n{html}",
        html.len()
    );
    // The browser may already have gone; nothing to do then.
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The small page the browser shows after sign-in, in `lang`.
fn page(lang: Lang, ok: bool, message: &str) -> String {
    let title = tr(
        lang,
        if ok {
            "live.page.signed-in"
        } else {
            "live.page.not-finished"
        },
        &[],
    );
    let tag = lang.tag();
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\"><title>Sign-in Doctor — {title}</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#1b1f24}}\
h1{{font-size:1.4rem}}@media(prefers-color-scheme:dark){{body{{background:#16181c;color:#e6e8eb}}}}</style></head>\
<body><h1>{title}</h1><p>{escaped}</p></body></html>"
    )
}

/// A device-code sign-in waiting for the admin to enter the code.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    /// The short code to type, e.g. `ABCD-EFGH`.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
    /// Entra's own instruction text.
    pub message: String,
    pub expires_at: DateTime<Utc>,
    interval: u64,
    device_code: Secret,
}

#[derive(Deserialize)]
struct DeviceCodeReply {
    device_code: String,
    user_code: String,
    #[serde(alias = "verification_url")]
    verification_uri: String,
    #[serde(deserialize_with = "number_or_text")]
    expires_in: i64,
    #[serde(default = "five", deserialize_with = "number_or_text")]
    interval: i64,
    #[serde(default)]
    message: String,
}

fn five() -> i64 {
    5
}

/// Asks Entra for a device code.
pub async fn begin_device_code(
    http: &reqwest::Client,
    authority: &Authority,
) -> Result<DeviceCode, LiveError> {
    let url = authority.endpoint("devicecode")?;
    let scopes = authority.delegated_scopes();
    let (status, body) = post_form(
        http,
        url,
        &[("client_id", &authority.client_id), ("scope", &scopes)],
    )
    .await?;
    // Entra has been seen answering errors here with HTTP 200: look at the body, not the status.
    let reply = match serde_json::from_str::<DeviceCodeReply>(&body) {
        Ok(reply) if (200..300).contains(&status) => reply,
        _ => return Err(LiveError::from(EntraError::from_body(status, &body))),
    };
    Ok(DeviceCode {
        user_code: reply.user_code,
        verification_uri: reply.verification_uri,
        message: reply.message,
        expires_at: Utc::now() + chrono::Duration::seconds(reply.expires_in.max(0)),
        interval: reply.interval.max(0) as u64,
        device_code: Secret::new(reply.device_code),
    })
}

impl DeviceCode {
    /// Polls until the admin has signed in, the code expires, or `cancel` fires.
    pub async fn finish(
        &self,
        http: &reqwest::Client,
        authority: &Authority,
        cancel: &CancellationToken,
    ) -> Result<Tokens, LiveError> {
        let mut interval = self.interval;
        loop {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(interval)) => {}
                () = cancel.cancelled() => return Err(LiveError::Cancelled),
            }
            let result = token_request(
                http,
                authority,
                &[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("client_id", &authority.client_id),
                    ("device_code", self.device_code.expose()),
                ],
            )
            .await;
            match result {
                Ok(tokens) => return Ok(tokens),
                Err(LiveError::SignIn(e)) if e.error == "authorization_pending" => {}
                // RFC 8628: back off by five seconds for this and every later poll.
                Err(LiveError::SignIn(e)) if e.error == "slow_down" => interval += 5,
                Err(LiveError::SignIn(mut e)) if e.error == "expired_token" => {
                    if e.error_codes.is_empty() {
                        e.error_codes.push(70020);
                    }
                    return Err(LiveError::SignIn(e));
                }
                Err(other) => return Err(other),
            }
            if Utc::now() > self.expires_at + chrono::Duration::seconds(30) {
                return Err(LiveError::from(EntraError {
                    error: "expired_token".into(),
                    error_codes: vec![70020],
                    ..EntraError::default()
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> Authority {
        Authority {
            host: Url::parse("https://login.microsoftonline.us/").unwrap(),
            tenant: "contoso.onmicrosoft.com".into(),
            client_id: "client".into(),
            graph_resource: "https://graph.microsoft.us".into(),
        }
    }

    #[test]
    fn endpoints_and_scopes_follow_the_cloud() {
        let a = authority();
        assert_eq!(
            a.endpoint("token").unwrap().as_str(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token"
        );
        assert_eq!(
            a.delegated_scopes(),
            "https://graph.microsoft.us/AuditLog.Read.All https://graph.microsoft.us/Directory.Read.All https://graph.microsoft.us/Policy.Read.All offline_access openid profile"
        );
        assert_eq!(a.app_scope(), "https://graph.microsoft.us/.default");
    }

    #[test]
    fn token_replies_with_text_numbers_are_read() {
        let now = Utc::now();
        let tokens = parse_tokens(
            r#"{"access_token":"a.e30.b","expires_in":"3599","refresh_token":"r"}"#,
            now,
        )
        .unwrap();
        assert_eq!(
            tokens.access.expires_at,
            now + chrono::Duration::seconds(3599)
        );
        assert_eq!(tokens.refresh.unwrap().expose(), "r");
    }

    #[test]
    fn the_reply_page_escapes_what_it_shows() {
        let html = page(Lang::En, false, "<script>alert(1)</script>");
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;"));
        let dutch = page(Lang::Nl, true, "x");
        assert!(dutch.contains("<html lang=\"nl\">") && dutch.contains("<h1>Aangemeld</h1>"));
    }
}
