//! Helpers shared by the tests: Graph-shaped sign-ins, HTTP clients, and the sign-in flows a
//! client performs to get tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use fake_entra::{Config, FakeEntra};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "0c7f9a3e-5d1b-4b8e-a6f2-3e9d8c7b6a51";
pub const REDIRECT: &str = "http://localhost:53117/callback";
pub const ALL_SCOPES: &str = "https://graph.microsoft.com/AuditLog.Read.All \
    https://graph.microsoft.com/Directory.Read.All https://graph.microsoft.com/Policy.Read.All \
    openid profile offline_access";

/// A fixed "now" for generated sign-ins.
pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z")
        .expect("a valid timestamp")
        .with_timezone(&Utc)
}

pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A Graph beta interactive sign-in `minutes` before [`t0`], numbered `n`.
pub fn sign_in(n: usize, minutes: i64) -> Value {
    json!({
        "id": format!("{n:08x}-0000-4000-8000-{n:012x}"),
        "createdDateTime": iso(t0() - Duration::minutes(minutes)),
        "userDisplayName": format!("User {}", n % 7),
        "userPrincipalName": format!("user{}@contoso.com", n % 7),
        "userId": format!("00000000-0000-4000-9000-{:012x}", n % 7),
        "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "appDisplayName": "Microsoft Teams",
        "correlationId": format!("c0000000-0000-4000-8000-{n:012x}"),
        "ipAddress": "203.0.113.7",
        "clientAppUsed": "Browser",
        "status": {"errorCode": 0},
        "conditionalAccessStatus": "success",
        "isInteractive": true,
        "signInEventTypes": ["interactiveUser"],
        "appliedConditionalAccessPolicies": [
            {"id": "0a1b7c3e-1111-4c6d-9e0f-a1b2c3d4e501", "displayName": "Require MFA for all users",
             "result": "success", "enforcedGrantControls": ["Mfa"]}
        ],
        "location": {"city": "Rotterdam", "countryOrRegion": "NL"},
        "deviceDetail": {"operatingSystem": "Windows10", "browser": "Edge 120.0.0"},
    })
}

/// Sets `path` (`status/errorCode`) in a sign-in.
pub fn with(mut event: Value, path: &str, value: Value) -> Value {
    let mut target = &mut event;
    let segments: Vec<&str> = path.split('/').collect();
    for segment in &segments[..segments.len() - 1] {
        target = &mut target[*segment];
    }
    target[segments[segments.len() - 1]] = value;
    event
}

pub async fn start(config: Config) -> FakeEntra {
    FakeEntra::start(config).await.expect("the fake starts")
}

/// A client that does not follow redirects (the authorize endpoint's answer is the redirect).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

pub fn token_url(fake: &FakeEntra) -> String {
    format!("{}/organizations/oauth2/v2.0/token", fake.base_url())
}

pub fn signins_url(fake: &FakeEntra) -> String {
    format!("{}/beta/auditLogs/signIns", fake.base_url())
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = format!(
        "verifier-{}-0123456789abcdefghijklmnopqrstuvwxyz",
        rand_hex()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

fn rand_hex() -> String {
    let bytes: [u8; 8] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Calls authorize and returns the `Location` it redirects to.
pub async fn authorize(
    fake: &FakeEntra,
    scope: &str,
    challenge: Option<&str>,
) -> reqwest::Response {
    let mut query = vec![
        ("client_id", CLIENT_ID),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("state", "state-123"),
        ("prompt", "select_account"),
    ];
    if let Some(challenge) = challenge {
        query.push(("code_challenge", challenge));
        query.push(("code_challenge_method", "S256"));
    }
    client()
        .get(format!(
            "{}/organizations/oauth2/v2.0/authorize",
            fake.base_url()
        ))
        .query(&query)
        .send()
        .await
        .expect("authorize answers")
}

/// The query parameters of a redirect.
pub fn redirect_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .expect("text");
    let url = url::Url::parse(location).expect("a URL");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Posts a form to the token endpoint.
pub async fn post_token(fake: &FakeEntra, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = client()
        .post(token_url(fake))
        .form(form)
        .send()
        .await
        .expect("the token endpoint answers");
    let status = response.status();
    (status, response.json().await.expect("JSON"))
}

/// Signs the admin in with the authorization-code flow; returns the token response.
pub async fn user_tokens(fake: &FakeEntra, scope: &str) -> Value {
    let (verifier, challenge) = pkce();
    let response = authorize(fake, scope, Some(&challenge)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let code = param(&redirect_params(&response), "code").expect("a code");
    let (status, body) = post_token(
        fake,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub async fn user_token(fake: &FakeEntra, scope: &str) -> String {
    user_tokens(fake, scope).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned()
}

/// An app-only token from the client-credentials grant with the configured secret.
pub async fn app_token(fake: &FakeEntra) -> String {
    let (status, body) = post_token(
        fake,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "fake-client-secret"),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

/// The claims of a JWT.
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// GETs a Graph URL with a bearer token.
pub async fn graph_get(
    url: &str,
    token: &str,
    query: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let response = client()
        .get(url)
        .bearer_auth(token)
        .query(query)
        .send()
        .await
        .expect("Graph answers");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.json().await.expect("JSON"))
}

/// Every sign-in of a query, following `@odata.nextLink`; returns the pages' IDs.
pub async fn all_pages(fake: &FakeEntra, token: &str, query: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let (status, _, mut body) = graph_get(&signins_url(fake), token, query).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    loop {
        pages.push(ids(&body));
        let Some(next) = body["@odata.nextLink"].as_str().map(str::to_owned) else {
            break;
        };
        let (status, _, next_body) = graph_get(&next, token, &[]).await;
        assert_eq!(status, StatusCode::OK, "{next_body}");
        body = next_body;
    }
    pages
}

pub fn ids(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .expect("a value array")
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// The AADSTS code of an Entra error body.
pub fn aadsts(body: &Value) -> i64 {
    body["error_codes"][0].as_i64().expect("error_codes")
}
