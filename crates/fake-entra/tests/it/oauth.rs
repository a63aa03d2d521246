//! Entra's endpoints: discovery, authorize, token grants, device code.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fake_entra::{Config, Failure};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn discovery_points_at_the_fake() {
    let fake = start(Config::default()).await;
    let base = fake.base_url();
    assert!(base.starts_with("http://127.0.0.1:"));
    let response = client()
        .get(format!(
            "{base}/organizations/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(
        doc["token_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/token")
    );
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/authorize")
    );
    assert_eq!(
        doc["device_authorization_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/devicecode")
    );
    let tid = Config::default().user.tenant_id;
    assert_eq!(doc["issuer"], format!("{base}/{tid}/v2.0"));

    // A GUID or a domain works as the tenant too; Graph's version segments do not.
    for tenant in [tid.as_str(), "contoso.onmicrosoft.com", "common"] {
        let url = format!("{base}/{tenant}/v2.0/.well-known/openid-configuration");
        assert_eq!(
            client().get(url).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let url = format!("{base}/beta/v2.0/.well-known/openid-configuration");
    assert!(
        client()
            .get(url)
            .send()
            .await
            .unwrap()
            .status()
            .is_client_error()
    );

    let records = fake.requests();
    assert_eq!(records[0].method, "GET");
    assert!(
        records[0]
            .path
            .ends_with("/.well-known/openid-configuration")
    );
    assert_eq!(records[0].status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_code_with_pkce() {
    let fake = start(Config::default()).await;
    let (verifier, challenge) = pkce();
    let response = authorize(&fake, ALL_SCOPES, Some(&challenge)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let params = redirect_params(&response);
    assert_eq!(param(&params, "state").as_deref(), Some("state-123"));
    let code = param(&params, "code").unwrap();

    // A wrong verifier is refused with AADSTS501481 and leaves the code usable.
    let (status, body) = post_token(
        &fake,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            (
                "code_verifier",
                "not-the-verifier-0123456789012345678901234567",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 501481);
    let description = body["error_description"].as_str().unwrap();
    assert!(description.starts_with("AADSTS501481: "), "{description}");
    assert!(description.contains("\r\nTrace ID: "));
    assert!(description.contains("\r\nCorrelation ID: "));
    assert!(description.contains("\r\nTimestamp: "));
    for field in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(body[field].is_string(), "{field} missing in {body}");
    }

    // Another redirect URI is refused too.
    let (_, body) = post_token(
        &fake,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", &code),
            ("redirect_uri", "http://localhost:9/other"),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(body["error"], "invalid_grant");

    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT_ID),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
    ];
    let (status, body) = post_token(&fake, &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["ext_expires_in"], 3600);
    assert!(body["refresh_token"].is_string());
    let access = claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], "https://graph.microsoft.com");
    assert_eq!(access["appid"], CLIENT_ID);
    assert_eq!(access["upn"], "admin@contoso.onmicrosoft.com");
    assert!(access["uti"].is_string());
    let scp = access["scp"].as_str().unwrap();
    for scope in [
        "AuditLog.Read.All",
        "Directory.Read.All",
        "Policy.Read.All",
        "openid",
    ] {
        assert!(scp.split(' ').any(|s| s == scope), "{scp}");
    }
    assert!(!scp.contains("https://"));
    let exp = access["exp"].as_i64().unwrap();
    assert_eq!(exp - access["iat"].as_i64().unwrap(), 3600);
    let header = body["access_token"]
        .as_str()
        .unwrap()
        .split('.')
        .next()
        .unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header, json!({"typ": "JWT", "alg": "none"}));
    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["preferred_username"], "admin@contoso.onmicrosoft.com");
    assert_eq!(id["tid"], Config::default().user.tenant_id);

    // Codes are single-use.
    let (status, body) = post_token(&fake, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(aadsts(&body), 54005);
}

#[tokio::test(flavor = "multi_thread")]
async fn authorize_refuses_what_entra_refuses() {
    let fake = start(Config::default()).await;
    // No PKCE: an error through the redirect.
    let response = authorize(&fake, ALL_SCOPES, None).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let params = redirect_params(&response);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    assert!(
        param(&params, "error_description")
            .unwrap()
            .starts_with("AADSTS9002325:")
    );
    assert_eq!(param(&params, "state").as_deref(), Some("state-123"));
    assert!(param(&params, "code").is_none());

    // A redirect URI that is not loopback: Entra's own error page, no redirect.
    let response = client()
        .get(format!("{}/common/oauth2/v2.0/authorize", fake.base_url()))
        .query(&[
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", "https://attacker.example/cb"),
            ("scope", "openid"),
            ("code_challenge", "abc"),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("AADSTS50011"));
}

#[tokio::test(flavor = "multi_thread")]
async fn consent_failures() {
    let fake = start(Config {
        failure: Some(Failure::NoConsent),
        device_code_polls: 0,
        ..Config::default()
    })
    .await;
    let (_, challenge) = pkce();
    let params = redirect_params(&authorize(&fake, ALL_SCOPES, Some(&challenge)).await);
    assert_eq!(param(&params, "error").as_deref(), Some("consent_required"));
    assert!(
        param(&params, "error_description")
            .unwrap()
            .starts_with("AADSTS65001:")
    );

    // The device-code flow fails the same way once approved, with Entra's suberror.
    let body = device_code(&fake).await;
    let (status, body) = poll(&fake, body["device_code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["suberror"], "consent_required");
    assert_eq!(aadsts(&body), 65001);

    let fake = start(Config {
        failure: Some(Failure::AdminConsentRequired),
        ..Config::default()
    })
    .await;
    let params = redirect_params(&authorize(&fake, ALL_SCOPES, Some(&challenge)).await);
    assert_eq!(param(&params, "error").as_deref(), Some("access_denied"));
    assert!(
        param(&params, "error_description")
            .unwrap()
            .starts_with("AADSTS90094:")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_tokens_rotate() {
    let fake = start(Config::default()).await;
    let first = user_tokens(&fake, ALL_SCOPES).await;
    let old = first["refresh_token"].as_str().unwrap();
    let refresh = |token: String| {
        let fake = &fake;
        async move {
            post_token(
                fake,
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", CLIENT_ID),
                    ("refresh_token", &token),
                    ("scope", ALL_SCOPES),
                ],
            )
            .await
        }
    };
    let (status, second) = refresh(old.to_owned()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_ne!(second["access_token"], first["access_token"]);

    // The old one is spent.
    let (status, body) = refresh(old.to_owned()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 70000);

    // An unknown one is refused; the new one works.
    let (_, body) = refresh("not-a-refresh-token".into()).await;
    assert_eq!(body["error"], "invalid_grant");
    let (status, _) = refresh(new.to_owned()).await;
    assert_eq!(status, StatusCode::OK);
}

async fn device_code(fake: &fake_entra::FakeEntra) -> Value {
    let response = client()
        .post(format!(
            "{}/organizations/oauth2/v2.0/devicecode",
            fake.base_url()
        ))
        .form(&[("client_id", CLIENT_ID), ("scope", ALL_SCOPES)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn poll(fake: &fake_entra::FakeEntra, device_code: &str) -> (StatusCode, Value) {
    post_token(
        fake,
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", CLIENT_ID),
            ("device_code", device_code),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn device_code_approves_after_the_set_polls() {
    let fake = start(Config {
        device_code_polls: 2,
        device_code_interval: 0,
        ..Config::default()
    })
    .await;
    let body = device_code(&fake).await;
    let user_code = body["user_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(
        body["verification_uri"],
        format!("{}/devicelogin", fake.base_url())
    );
    assert_eq!(body["interval"], 0);
    assert_eq!(body["expires_in"], 900);
    let message = body["message"].as_str().unwrap();
    assert!(message.starts_with("To sign in, use a web browser to open the page "));
    assert!(message.contains(user_code));
    let code = body["device_code"].as_str().unwrap();

    for _ in 0..2 {
        let (status, body) = poll(&fake, code).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "authorization_pending");
        assert_eq!(aadsts(&body), 70016);
    }
    let (status, tokens) = poll(&fake, code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(tokens["refresh_token"].is_string());
    assert!(
        claims(tokens["access_token"].as_str().unwrap())["scp"]
            .as_str()
            .unwrap()
            .contains("AuditLog.Read.All")
    );
    // Spent.
    let (_, body) = poll(&fake, code).await;
    assert_eq!(body["error"], "invalid_grant");

    let page = client()
        .get(format!("{}/devicelogin", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread")]
async fn device_code_slow_down_and_expiry() {
    let fake = start(Config {
        device_code_polls: 5,
        device_code_interval: 1,
        ..Config::default()
    })
    .await;
    let code = device_code(&fake).await["device_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = poll(&fake, &code).await;
    assert_eq!(body["error"], "authorization_pending");
    let (_, body) = poll(&fake, &code).await;
    assert_eq!(body["error"], "slow_down");

    let fake = start(Config {
        device_code_expires_in: 0,
        ..Config::default()
    })
    .await;
    let code = device_code(&fake).await["device_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = poll(&fake, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "expired_token");
    assert_eq!(aadsts(&body), 70020);
}

#[tokio::test(flavor = "multi_thread")]
async fn device_code_blocked_by_conditional_access() {
    let fake = start(Config {
        device_code_polls: 1,
        device_code_interval: 0,
        failure: Some(Failure::DeviceCodeBlocked),
        ..Config::default()
    })
    .await;
    let code = device_code(&fake).await["device_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = poll(&fake, &code).await;
    assert_eq!(body["error"], "authorization_pending");
    let (status, body) = poll(&fake, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"], json!([53003]));
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS53003: Access has been blocked by Conditional Access policies")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn client_credentials_with_a_secret() {
    let fake = start(Config::default()).await;
    let token = app_token(&fake).await;
    let app = claims(&token);
    assert_eq!(app["aud"], "https://graph.microsoft.com");
    assert_eq!(app["appid"], CLIENT_ID);
    assert_eq!(
        app["roles"],
        json!(["AuditLog.Read.All", "Directory.Read.All", "Policy.Read.All"])
    );
    assert!(app.get("scp").is_none());
    assert!(app["oid"].is_string());

    let (status, body) = post_token(
        &fake,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "wrong"),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(aadsts(&body), 7000215);

    let (status, body) = post_token(
        &fake,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "fake-client-secret"),
            ("scope", "https://graph.microsoft.com/AuditLog.Read.All"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_scope");
    assert_eq!(aadsts(&body), 1002012);
}

fn assertion(header: Value, payload: Value) -> String {
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn client_credentials_with_a_certificate_assertion() {
    let fake = start(Config::default()).await;
    let now = chrono::Utc::now().timestamp();
    let post = |jwt: String| {
        let fake = &fake;
        async move {
            post_token(
                fake,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT_ID),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", &jwt),
                    ("scope", "https://graph.microsoft.com/.default"),
                ],
            )
            .await
        }
    };
    let header = json!({"alg": "PS256", "typ": "JWT", "x5t#S256": "q1w2e3r4"});
    let good = json!({
        "aud": token_url(&fake), "iss": CLIENT_ID, "sub": CLIENT_ID,
        "jti": "1", "nbf": now, "exp": now + 600,
    });
    let (status, body) = post(assertion(header.clone(), good.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string());

    let mut wrong_audience = good.clone();
    wrong_audience["aud"] = json!("https://login.microsoftonline.com/x/oauth2/v2.0/token");
    let (status, body) = post(assertion(header.clone(), wrong_audience)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    let mut expired = good.clone();
    expired["exp"] = json!(now - 10);
    let (status, _) = post(assertion(header.clone(), expired)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = post(assertion(json!({"alg": "RS256"}), good.clone())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = post("only.two".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_paths_are_graph_style_404s() {
    let fake = start(Config::default()).await;
    let response = client()
        .get(format!("{}/beta/users", fake.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
    assert!(body["error"]["innerError"]["request-id"].is_string());
}
