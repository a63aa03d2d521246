//! Entra ID's v2.0 endpoints: OpenID discovery, authorize, device code and token.
//!
//! Faithful:
//! - URLs: `/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/...`, with
//!   any tenant segment (`organizations`, `common`, a GUID, a domain);
//! - authorization code with PKCE (S256 required; the code is single-use, lives ten minutes and
//!   is bound to client, redirect URI and challenge); loopback redirect URIs only, any port,
//!   as Entra allows for public desktop clients;
//! - the device-code flow: `authorization_pending` (AADSTS70016) until the code approves itself
//!   after a set number of polls, `expired_token` (AADSTS70020), and `slow_down` for polls
//!   sooner than `interval`;
//! - rotating refresh tokens; client credentials with a secret or a certificate assertion, with
//!   the `/.default` scope rule (AADSTS1002012);
//! - error bodies and codes as Entra sends them (see `errors.rs`), including AADSTS65001 with
//!   suberror `consent_required`, AADSTS90094, AADSTS53003, AADSTS7000215, AADSTS501481,
//!   AADSTS54005, AADSTS70008, AADSTS900144 for a missing parameter.
//!
//! Simplified:
//! - there is no sign-in page: authorize consents at once and redirects (`prompt` and
//!   `login_hint` are accepted and ignored), and device codes approve themselves;
//! - responses go to the redirect URI's query only (`response_mode` is ignored);
//! - client assertions are checked for shape and claims (three parts, `x5t#S256` or `x5t` in
//!   the header, `iss` = `sub` = client ID, `aud` = this token endpoint, `exp` in the future)
//!   but their signature is NOT verified;
//! - any client ID is a registered app, every tenant segment is the one fake tenant;
//! - real Entra rarely sends `slow_down`; the fake sends it (with code 70016, the pending code)
//!   so that clients' handling of it can be tested.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};
use url::Url;

use crate::config::Failure;
use crate::errors::{EntraError, RequestIds, entra_headers, entra_timestamp, no_store};
use crate::server::{App, lock};
use crate::tokens::{
    AuthCode, DeviceCode, GRAPH, Issuer, grant_application, grant_delegated, is_graph, jwt_part,
    opaque, pkce_challenge, user_code,
};

const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Form or query parameters; the first of a repeated name wins.
fn params(raw: &[u8]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(raw) {
        map.entry(key.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    map
}

/// A parameter that must be present and non-empty.
fn required<'a>(params: &'a HashMap<String, String>, name: &str) -> Result<&'a str, EntraError> {
    params
        .get(name)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| EntraError::missing(name))
}

/// The two path segments that belong to Graph cannot name a tenant.
fn check_tenant(tenant: &str) -> Result<(), EntraError> {
    let tenant = tenant.trim();
    if tenant.is_empty()
        || tenant.eq_ignore_ascii_case("beta")
        || tenant.eq_ignore_ascii_case("v1.0")
    {
        return Err(EntraError::new(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID \
                 and are signing into the correct cloud."
            ),
        ));
    }
    Ok(())
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub(crate) async fn discovery(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ids = RequestIds::from_headers(&headers);
    if let Err(e) = check_tenant(&tenant) {
        return e.respond(&app.base_url, &ids);
    }
    let base = &app.base_url;
    let tid = &app.config.user.tenant_id;
    let host = base.split("://").nth(1).unwrap_or(base);
    let body = json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query"],
        "subject_types_supported": ["pairwise"],
        // The fake's tokens are unsigned.
        "id_token_signing_alg_values_supported": ["none"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{base}/{tid}/v2.0"),
        "request_uri_parameter_supported": false,
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
        "http_logout_supported": false,
        "frontchannel_logout_supported": false,
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": [
            "authorization_code",
            "refresh_token",
            DEVICE_CODE_GRANT,
            "client_credentials",
        ],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "preferred_username",
            "tid", "ver",
        ],
        "tenant_region_scope": "EU",
        "cloud_instance_name": host,
        "cloud_graph_host_name": host,
        "msgraph_host": host,
    });
    let mut response = axum::Json(body).into_response();
    entra_headers(response.headers_mut(), &ids);
    response
}

/// `GET /{tenant}/discovery/v2.0/keys`: no keys, since nothing is signed.
pub(crate) async fn keys() -> Response {
    axum::Json(json!({"keys": []})).into_response()
}

/// The page Entra shows when it cannot even redirect back (bad client or redirect URI).
fn error_page(code: u32, text: &str, ids: &RequestIds) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in to your \
         account</title></head>\n<body><h1>Sign in</h1>\n<p>Sorry, but we're having trouble \
         signing you in.</p>\n<p id=\"error\">AADSTS{code}: {}</p>\n<p>Request Id: {}<br>\
         Correlation Id: {}<br>Timestamp: {}</p>\n<p>This is Sign-in Doctor's local fake of \
         Entra ID.</p></body></html>\n",
        html_escape(text),
        ids.request_id,
        html_escape(&ids.client_request_id),
        entra_timestamp(),
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A loopback redirect URI (`http://localhost[:port][/path]` or `http://127.0.0.1...`).
fn loopback_redirect(uri: &str) -> Option<Url> {
    let url = Url::parse(uri).ok()?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1"));
    (url.scheme() == "http"
        && loopback
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none())
    .then_some(url)
}

/// A 302 to the client's redirect URI with these parameters (and `state` when given).
fn redirect(mut target: Url, pairs: &[(&str, &str)], state: Option<&str>) -> Response {
    {
        let mut query = target.query_pairs_mut();
        for (k, v) in pairs {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(location) = header::HeaderValue::from_str(target.as_str()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// An error sent back to the client through its redirect URI.
fn redirect_error(
    app: &App,
    target: Url,
    error: &str,
    e: &EntraError,
    ids: &RequestIds,
    state: Option<&str>,
) -> Response {
    let description = e.description(ids, &entra_timestamp());
    let error_uri = format!("{}/error?code={}", app.base_url, e.code);
    redirect(
        target,
        &[
            ("error", error),
            ("error_description", &description),
            ("error_uri", &error_uri),
        ],
        state,
    )
}

fn consent_error(app: &App, client_id: &str) -> Option<EntraError> {
    match app.config.failure {
        Some(Failure::NoConsent) => Some(
            EntraError::new(
                "invalid_grant",
                65001,
                format!(
                    "The user or administrator has not consented to use the application with \
                     ID '{client_id}'. Send an interactive authorization request for this user \
                     and resource."
                ),
            )
            .with_suberror("consent_required"),
        ),
        Some(Failure::AdminConsentRequired) => Some(EntraError::new(
            "invalid_grant",
            90094,
            "Admin consent is required for the permissions requested by this application. An \
             admin consent request may be sent to the admin.",
        )),
        _ => None,
    }
}

/// `GET /{tenant}/oauth2/v2.0/authorize`: consents at once and redirects back with a code.
pub(crate) async fn authorize(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let ids = RequestIds::from_headers(&headers);
    if let Err(e) = check_tenant(&tenant) {
        return error_page(e.code, &e.text, &ids);
    }
    let p = params(query.as_deref().unwrap_or_default().as_bytes());
    let client_id = match required(&p, "client_id") {
        Ok(c) => c.to_owned(),
        Err(e) => return error_page(e.code, &e.text, &ids),
    };
    let redirect_uri = p
        .get("redirect_uri")
        .map(String::as_str)
        .unwrap_or_default();
    let Some(target) = loopback_redirect(redirect_uri) else {
        let text = format!(
            "The redirect URI '{redirect_uri}' specified in the request does not match the \
             redirect URIs configured for the application '{client_id}'. Make sure the redirect \
             URI sent in the request matches one added to your application in the Azure portal. \
             (This fake accepts http://localhost and http://127.0.0.1 on any port.)"
        );
        return error_page(50011, &text, &ids);
    };
    let state = p.get("state").map(String::as_str);
    let fail =
        |error: &str, e: EntraError| redirect_error(&app, target.clone(), error, &e, &ids, state);
    match p.get("response_type").map(String::as_str) {
        Some("code") => {}
        Some(other) => {
            let e = EntraError::new(
                "unsupported_response_type",
                70005,
                format!("response_type '{other}' is not enabled for the application."),
            );
            return fail("unsupported_response_type", e);
        }
        None => return fail("invalid_request", EntraError::missing("response_type")),
    }
    let scope = match required(&p, "scope") {
        Ok(s) => s,
        Err(e) => return fail("invalid_request", e),
    };
    let challenge = p
        .get("code_challenge")
        .map(|c| c.trim())
        .filter(|c| !c.is_empty());
    let method = p.get("code_challenge_method").map(String::as_str);
    let Some(challenge) = challenge.filter(|_| method == Some("S256")) else {
        let e = EntraError::new(
            "invalid_request",
            9002325,
            "Proof Key for Code Exchange is required for cross-origin authorization code \
             redemption. (This fake requires code_challenge with code_challenge_method=S256.)",
        );
        return fail("invalid_request", e);
    };
    // Entra reports a missing consent to the app through the redirect, in OAuth's words.
    if let Some(e) = consent_error(&app, &client_id) {
        let error = if e.code == 65001 {
            "consent_required"
        } else {
            "access_denied"
        };
        return fail(error, e);
    }
    let scopes = grant_delegated(scope, app.config.failure, &app.graph_resources);
    let code = opaque("1.AXkA-fake-code.", 64);
    lock(&app.tokens).codes.insert(
        code.clone(),
        AuthCode::new(
            client_id,
            redirect_uri.to_owned(),
            challenge.to_owned(),
            scopes,
        ),
    );
    let session_state = crate::errors::guid();
    redirect(
        target,
        &[("code", &code), ("session_state", &session_state)],
        state,
    )
}

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub(crate) async fn device_code(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ids = RequestIds::from_headers(&headers);
    let result = (|| {
        check_tenant(&tenant)?;
        let p = params(&body);
        let client_id = required(&p, "client_id")?.to_owned();
        let scope = required(&p, "scope")?;
        let config = &app.config;
        let device_code = opaque("DAQABIQEAAAB-fake-device.", 96);
        let user_code = user_code();
        lock(&app.tokens).devices.insert(
            device_code.clone(),
            DeviceCode {
                client_id,
                scopes: grant_delegated(scope, config.failure, &app.graph_resources),
                expires: Instant::now() + Duration::from_secs(config.device_code_expires_in),
                pending_answers: 0,
                last_poll: None,
                redeemed: false,
            },
        );
        let verification_uri = format!("{}/devicelogin", app.base_url);
        Ok(json!({
            "user_code": user_code,
            "device_code": device_code,
            "verification_uri": verification_uri,
            "expires_in": config.device_code_expires_in,
            "interval": config.device_code_interval,
            "message": format!(
                "To sign in, use a web browser to open the page {verification_uri} and enter \
                 the code {user_code} to authenticate."
            ),
        }))
    })();
    token_answer(&app, &ids, result)
}

fn token_answer(app: &App, ids: &RequestIds, result: Result<Value, EntraError>) -> Response {
    match result {
        Ok(body) => {
            let mut response = axum::Json(body).into_response();
            no_store(response.headers_mut());
            entra_headers(response.headers_mut(), ids);
            response
        }
        Err(e) => e.respond(&app.base_url, ids),
    }
}

/// `POST /{tenant}/oauth2/v2.0/token`.
pub(crate) async fn token(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ids = RequestIds::from_headers(&headers);
    let p = params(&body);
    let result = check_tenant(&tenant).and_then(|()| {
        let grant_type = required(&p, "grant_type")?;
        match grant_type {
            "authorization_code" => authorization_code(&app, &p),
            "refresh_token" => refresh_token(&app, &p),
            DEVICE_CODE_GRANT => device_poll(&app, &p),
            "client_credentials" => client_credentials(&app, &tenant, &p),
            other => Err(EntraError::new(
                "unsupported_grant_type",
                70003,
                format!("The app requested an unsupported grant type '{other}'."),
            )),
        }
    });
    token_answer(&app, &ids, result)
}

pub(crate) fn issuer(app: &App) -> Issuer<'_> {
    Issuer {
        base_url: &app.base_url,
        user: &app.config.user,
        lifetime: app.config.token_lifetime,
    }
}

fn invalid_grant(code: u32, text: impl Into<String>) -> EntraError {
    EntraError::new("invalid_grant", code, text)
}

fn authorization_code(app: &App, p: &HashMap<String, String>) -> Result<Value, EntraError> {
    let client_id = required(p, "client_id")?;
    let code = required(p, "code")?;
    let redirect_uri = required(p, "redirect_uri")?;
    let mut store = lock(&app.tokens);
    let Some(grant) = store.codes.get(code).cloned() else {
        return Err(invalid_grant(
            70000,
            "The provided value for the 'code' parameter is not valid.",
        ));
    };
    if grant.used {
        return Err(invalid_grant(
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code \
             or use an existing refresh token.",
        ));
    }
    if Instant::now() >= grant.expires {
        return Err(invalid_grant(
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. \
             Send a new interactive authorization request for this user and resource.",
        ));
    }
    if grant.client_id != client_id {
        return Err(invalid_grant(
            70000,
            "The provided value for the 'code' parameter is not valid: it was issued to a \
             different application.",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(invalid_grant(
            500112,
            format!(
                "The reply address '{redirect_uri}' does not match the reply address '{}' \
                 provided when requesting Authorization code.",
                grant.redirect_uri
            ),
        ));
    }
    let verifier = required(p, "code_verifier")?;
    if pkce_challenge(verifier) != grant.challenge {
        return Err(invalid_grant(
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization \
             request.",
        ));
    }
    if let Some(e) = consent_error(app, client_id) {
        return Err(e);
    }
    if let Some(entry) = store.codes.get_mut(code) {
        entry.used = true;
    }
    Ok(issuer(app).delegated(&mut store, client_id, &grant.scopes))
}

fn refresh_token(app: &App, p: &HashMap<String, String>) -> Result<Value, EntraError> {
    let client_id = required(p, "client_id")?;
    let token = required(p, "refresh_token")?;
    let mut store = lock(&app.tokens);
    let Some(grant) = store.refresh.get(token).cloned() else {
        return Err(invalid_grant(
            9002313,
            "Invalid request. Request is malformed or invalid.",
        ));
    };
    if grant.used {
        return Err(invalid_grant(
            70000,
            "Provided grant is invalid or malformed: this refresh token was already exchanged \
             for a newer one.",
        ));
    }
    if grant.client_id != client_id {
        return Err(invalid_grant(
            70000,
            "Provided grant is invalid or malformed: the refresh token was issued to a \
             different application.",
        ));
    }
    if let Some(e) = consent_error(app, client_id) {
        return Err(e);
    }
    let mut scopes = match p.get("scope").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(requested) => grant_delegated(requested, app.config.failure, &app.graph_resources),
        None => grant.scopes.clone(),
    };
    if !scopes.iter().any(|s| s == "offline_access") {
        scopes.push("offline_access".into());
    }
    if let Some(entry) = store.refresh.get_mut(token) {
        entry.used = true;
    }
    Ok(issuer(app).delegated(&mut store, client_id, &scopes))
}

fn device_poll(app: &App, p: &HashMap<String, String>) -> Result<Value, EntraError> {
    let client_id = required(p, "client_id")?;
    let code = p
        .get("device_code")
        .or_else(|| p.get("code"))
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| EntraError::missing("device_code"))?;
    let config = &app.config;
    let mut store = lock(&app.tokens);
    let Some(device) = store.devices.get_mut(code) else {
        return Err(invalid_grant(
            70000,
            "The provided value for the input parameter 'device_code' is not valid.",
        ));
    };
    if device.client_id != client_id {
        return Err(invalid_grant(
            70000,
            "The provided value for the input parameter 'device_code' is not valid: it was \
             issued to a different application.",
        ));
    }
    let now = Instant::now();
    if now >= device.expires {
        return Err(EntraError::new(
            "expired_token",
            70020,
            "The provided value for the input parameter 'device_code' is not valid. This device \
             code has expired.",
        ));
    }
    if device.redeemed {
        return Err(invalid_grant(
            70000,
            "The provided value for the input parameter 'device_code' is not valid: it was \
             already redeemed.",
        ));
    }
    let interval = Duration::from_secs(config.device_code_interval);
    let too_soon = config.device_code_interval > 0
        && device
            .last_poll
            .is_some_and(|last| now.duration_since(last) < interval);
    device.last_poll = Some(now);
    if too_soon {
        return Err(EntraError::new(
            "slow_down",
            70016,
            format!(
                "OAuth 2.0 device flow error. Polling too frequently: wait at least {} seconds \
                 between requests.",
                config.device_code_interval
            ),
        ));
    }
    if device.pending_answers < config.device_code_polls {
        device.pending_answers += 1;
        return Err(EntraError::new(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        ));
    }
    // The user has "signed in" on the other device.
    if config.failure == Some(Failure::DeviceCodeBlocked) {
        return Err(invalid_grant(
            53003,
            "Access has been blocked by Conditional Access policies. The access policy does not \
             allow token issuance.",
        ));
    }
    if let Some(e) = consent_error(app, client_id) {
        return Err(e);
    }
    device.redeemed = true;
    let scopes = device.scopes.clone();
    Ok(issuer(app).delegated(&mut store, client_id, &scopes))
}

fn client_credentials(
    app: &App,
    tenant: &str,
    p: &HashMap<String, String>,
) -> Result<Value, EntraError> {
    let client_id = required(p, "client_id")?;
    let scope = required(p, "scope")?;
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    let resource = match scopes.as_slice() {
        [only] if only.ends_with("/.default") => only.trim_end_matches("/.default"),
        _ => {
            return Err(EntraError::new(
                "invalid_scope",
                1002012,
                format!(
                    "The provided value for scope {scope} is not valid. Client credential flows \
                     must have a scope value with /.default suffixed to the resource identifier \
                     (application ID URI)."
                ),
            ));
        }
    };
    let secret = p.get("client_secret").filter(|s| !s.is_empty());
    let assertion = p.get("client_assertion").filter(|s| !s.is_empty());
    match (secret, assertion) {
        (Some(secret), _) => {
            if *secret != app.config.client_secret {
                return Err(EntraError::invalid_client(
                    7000215,
                    format!(
                        "Invalid client secret provided. Ensure the secret being sent in the \
                         request is the client secret value, not the client secret ID, for a \
                         secret added to app '{client_id}'."
                    ),
                ));
            }
        }
        (None, Some(assertion)) => {
            let assertion_type = p.get("client_assertion_type").map(String::as_str);
            if assertion_type != Some(JWT_BEARER) {
                return Err(EntraError::new(
                    "invalid_request",
                    9002313,
                    format!(
                        "Invalid request. Request is malformed or invalid: \
                         client_assertion_type must be '{JWT_BEARER}'."
                    ),
                ));
            }
            check_assertion(app, tenant, client_id, assertion)?;
        }
        (None, None) => {
            return Err(EntraError::invalid_client(
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or \
                 'client_secret'.",
            ));
        }
    }
    // Graph's tokens name Graph by URI whichever way it was asked for.
    let audience = if is_graph(resource, &app.graph_resources) {
        GRAPH
    } else {
        resource
    };
    let roles = if audience == GRAPH {
        grant_application(app.config.failure)
    } else {
        Vec::new()
    };
    let mut store = lock(&app.tokens);
    Ok(issuer(app).application(&mut store, client_id, audience, roles))
}

/// Checks a certificate client assertion's shape and claims; the signature is not verified.
fn check_assertion(
    app: &App,
    tenant: &str,
    client_id: &str,
    assertion: &str,
) -> Result<(), EntraError> {
    let malformed = |why: &str| {
        EntraError::new(
            "invalid_request",
            50027,
            format!("JWT token is invalid or malformed: {why}."),
        )
    };
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err(malformed("a client assertion has three parts"));
    };
    if signature.is_empty() {
        return Err(malformed("the signature is empty"));
    }
    let header = jwt_part(header).ok_or_else(|| malformed("the header is not base64url JSON"))?;
    let payload =
        jwt_part(payload).ok_or_else(|| malformed("the payload is not base64url JSON"))?;
    let thumbprint = ["x5t#S256", "x5t"].iter().any(|k| {
        header
            .get(*k)
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty())
    });
    if !thumbprint {
        return Err(EntraError::invalid_client(
            700027,
            "Client assertion failed signature validation: the header names no certificate \
             (x5t#S256 or x5t).",
        ));
    }
    let claim = |name: &str| {
        payload
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    if claim("iss") != client_id || claim("sub") != client_id {
        return Err(EntraError::invalid_client(
            700021,
            format!(
                "Client assertion application identifier doesn't match 'client_id' parameter \
                 (iss and sub must both be '{client_id}')."
            ),
        ));
    }
    let normalise = |url: &str| {
        url.trim_end_matches('/')
            .replace("://127.0.0.1:", "://localhost:")
            .to_ascii_lowercase()
    };
    let token_endpoint = normalise(&format!("{}/{tenant}/oauth2/v2.0/token", app.base_url));
    let issuer = normalise(&format!("{}/{tenant}/v2.0", app.base_url));
    let audience = normalise(claim("aud"));
    if audience != token_endpoint && audience != issuer {
        return Err(EntraError::invalid_client(
            700016,
            format!(
                "The client assertion's audience '{}' is not this token endpoint ('{}/{tenant}/oauth2/v2.0/token').",
                claim("aud"),
                app.base_url
            ),
        ));
    }
    let now = chrono::Utc::now().timestamp();
    match payload.get("exp").and_then(Value::as_i64) {
        Some(exp) if exp > now => {}
        _ => {
            return Err(EntraError::invalid_client(
                700024,
                "Client assertion is not within its valid time range.",
            ));
        }
    }
    if payload
        .get("nbf")
        .and_then(Value::as_i64)
        .is_some_and(|nbf| nbf > now + 300)
    {
        return Err(EntraError::invalid_client(
            700024,
            "Client assertion is not within its valid time range.",
        ));
    }
    Ok(())
}

/// `GET /devicelogin`: where a person would type the user code. In the fake, codes approve
/// themselves, so the page only explains that.
pub(crate) async fn device_login_page(State(app): State<Arc<App>>) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Enter code</title>\
         </head>\n<body><h1>Enter code</h1>\n<p>Enter the code displayed on your app or device.</p>\n\
         <form><input name=\"otc\" placeholder=\"Code\" autocomplete=\"off\"> <button \
         type=\"button\">Next</button></form>\n<p>This is Sign-in Doctor's local fake of Entra ID: \
         codes approve themselves after {} polls, signing in {}.</p></body></html>\n",
        app.config.device_code_polls,
        html_escape(&app.config.user.upn),
    );
    Html(body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_only() {
        assert!(loopback_redirect("http://localhost").is_some());
        assert!(loopback_redirect("http://localhost:5173/callback").is_some());
        assert!(loopback_redirect("http://127.0.0.1:41234/").is_some());
        assert!(loopback_redirect("https://localhost/").is_none());
        assert!(loopback_redirect("http://evil.example/").is_none());
        assert!(loopback_redirect("http://localhost.evil.example/").is_none());
        assert!(loopback_redirect("http://user@localhost/").is_none());
        assert!(loopback_redirect("not a url").is_none());
    }

    #[test]
    fn beta_is_not_a_tenant() {
        assert!(check_tenant("organizations").is_ok());
        assert!(check_tenant("contoso.onmicrosoft.com").is_ok());
        assert!(check_tenant("beta").is_err());
        assert!(check_tenant("v1.0").is_err());
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            html_escape("<a href='x'>&"),
            "&lt;a href=&#39;x&#39;&gt;&amp;"
        );
    }
}
