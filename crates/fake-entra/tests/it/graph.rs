//! Graph's sign-in log: paging, filters, permissions, throttling, tenant problems.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fake_entra::{Config, Failure};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn config(events: Vec<Value>) -> Config {
    Config {
        events,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_cover_every_sign_in_once_newest_first() {
    // Shuffled input: the fake orders by itself.
    let mut events: Vec<Value> = (0..2500).map(|n| sign_in(n, n as i64)).collect();
    events.reverse();
    events.swap(3, 1700);
    let fake = start(config(events)).await;
    let token = user_token(&fake, ALL_SCOPES).await;

    let pages = all_pages(&fake, &token, &[("$top", "1000")]).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [1000, 1000, 500]);
    let all: Vec<String> = pages.concat();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), 2500);
    let expected: Vec<String> = (0..2500)
        .map(|n| sign_in(n, 0)["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all, expected, "newest first");

    // The request log saw three Graph pages with their sizes.
    let graph: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/beta/auditLogs/signIns")
        .collect();
    assert_eq!(graph.len(), 3);
    assert_eq!(
        graph.iter().map(|r| r.events).collect::<Vec<_>>(),
        [Some(1000), Some(1000), Some(500)]
    );
    assert!(graph.iter().all(|r| r.status == 200));
    assert!(graph[1].query.contains("skiptoken"));
    assert!(graph[0].at <= graph[1].at);
}

#[tokio::test(flavor = "multi_thread")]
async fn next_link_keeps_the_filter_and_page_size() {
    let events: Vec<Value> = (0..30)
        .map(|n| {
            let e = sign_in(n, n as i64);
            if n % 2 == 0 {
                with(e, "status/errorCode", json!(50126))
            } else {
                e
            }
        })
        .collect();
    let fake = start(config(events)).await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let filter = "status/errorCode ne 0 and userPrincipalName ne 'o''brien@contoso.com'";
    let (status, _, body) = graph_get(
        &signins_url(&fake),
        &token,
        &[("$filter", filter), ("$top", "4")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["@odata.context"],
        format!("{}/beta/$metadata#auditLogs/signIns", fake.base_url())
    );
    let next = body["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("{}/beta/auditLogs/signIns?", fake.base_url())));
    let url = url::Url::parse(next).unwrap();
    let params: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(param(&params, "$filter").as_deref(), Some(filter));
    assert_eq!(param(&params, "$top").as_deref(), Some("4"));
    assert!(param(&params, "$skiptoken").is_some());

    let pages = all_pages(&fake, &token, &[("$filter", filter), ("$top", "4")]).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 4, 3]);
    assert_eq!(pages.concat().len(), 15);

    // A skip token cannot continue another query.
    let (status, _, body) = graph_get(
        &signins_url(&fake),
        &token,
        &[
            ("$filter", "status/errorCode eq 0"),
            ("$skiptoken", &param(&params, "$skiptoken").unwrap()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

async fn filtered(fake: &fake_entra::FakeEntra, token: &str, filter: &str) -> Vec<String> {
    let (status, _, body) = graph_get(&signins_url(fake), token, &[("$filter", filter)]).await;
    assert_eq!(status, StatusCode::OK, "{filter}: {body}");
    let mut found = ids(&body);
    found.sort();
    found
}

fn id(n: usize) -> String {
    sign_in(n, 0)["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_graph_supports() {
    let events = vec![
        with(
            sign_in(0, 10),
            "userPrincipalName",
            json!("O'Brien@contoso.com"),
        ),
        with(sign_in(1, 20), "status/errorCode", json!(50126)),
        with(sign_in(2, 200), "appDisplayName", json!("Azure Portal")),
        with(
            with(
                sign_in(3, 30),
                "signInEventTypes",
                json!(["nonInteractiveUser"]),
            ),
            "isInteractive",
            json!(false),
        ),
        with(
            sign_in(4, 40),
            "signInEventTypes",
            json!(["servicePrincipal"]),
        ),
        with(sign_in(5, 50), "location/countryOrRegion", json!("US")),
    ];
    let fake = start(config(events)).await;
    let token = user_token(&fake, ALL_SCOPES).await;

    assert_eq!(
        filtered(&fake, &token, "userPrincipalName eq 'o''brien@contoso.com'").await,
        [id(0)]
    );
    assert_eq!(
        filtered(&fake, &token, "startswith(appDisplayName,'azure')").await,
        [id(2)]
    );
    assert_eq!(
        filtered(&fake, &token, "status/errorCode ne 0").await,
        [id(1)]
    );
    assert_eq!(
        filtered(
            &fake,
            &token,
            "location/countryOrRegion eq 'US' or status/errorCode eq 50126"
        )
        .await,
        [id(1), id(5)]
    );
    let from = iso(t0() - chrono::Duration::minutes(25));
    let to = iso(t0() - chrono::Duration::minutes(5));
    assert_eq!(
        filtered(
            &fake,
            &token,
            &format!("createdDateTime ge {from} and createdDateTime le {to}")
        )
        .await,
        [id(0), id(1)]
    );

    // Interactive sign-ins only, unless the filter asks for event types.
    let (_, _, body) = graph_get(&signins_url(&fake), &token, &[]).await;
    let mut interactive = ids(&body);
    interactive.sort();
    assert_eq!(interactive, [id(0), id(1), id(2), id(5)]);
    assert_eq!(
        filtered(
            &fake,
            &token,
            "signInEventTypes/any(t: t eq 'nonInteractiveUser' or t eq 'servicePrincipal')"
        )
        .await,
        [id(3), id(4)]
    );

    // v1.0: interactive only, and no signInEventTypes.
    let v1 = format!("{}/v1.0/auditLogs/signIns", fake.base_url());
    let (status, _, body) = graph_get(&v1, &token, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body).len(), 4);
    let (status, _, body) = graph_get(
        &v1,
        &token,
        &[(
            "$filter",
            "signInEventTypes/any(t: t eq 'servicePrincipal')",
        )],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "BadRequest");

    // Mistakes are 400s in Graph's words.
    for bad in [
        "userPrincipalName eq 'unterminated",
        "nosuchProperty eq 1",
        "createdDateTime ge 'yesterday'",
        "status/errorCode eq",
    ] {
        let (status, _, body) = graph_get(&signins_url(&fake), &token, &[("$filter", bad)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(body["error"]["code"], "BadRequest");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid filter clause"),
            "{body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn query_options() {
    let events: Vec<Value> = (0..5).map(|n| sign_in(n, n as i64)).collect();
    let fake = start(config(events)).await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let url = signins_url(&fake);

    let (status, _, body) = graph_get(&url, &token, &[("$top", "1001")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "BadRequest");
    let (status, _, _) = graph_get(&url, &token, &[("$top", "0")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _, body) = graph_get(&url, &token, &[("$select", "id,createdDateTime")]).await;
    assert_eq!(status, StatusCode::OK);
    let first = body["value"][0].as_object().unwrap();
    assert_eq!(first.keys().collect::<Vec<_>>(), ["id", "createdDateTime"]);
    assert!(
        body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("signIns(id,createdDateTime)")
    );

    let (_, _, body) = graph_get(&url, &token, &[("$orderby", "createdDateTime asc")]).await;
    assert_eq!(ids(&body), (0..5).rev().map(id).collect::<Vec<_>>());
    let (_, _, body) = graph_get(&url, &token, &[("$orderby", "createdDateTime desc")]).await;
    assert_eq!(ids(&body), (0..5).map(id).collect::<Vec<_>>());
    let (status, _, _) = graph_get(&url, &token, &[("$orderby", "userId")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_answers_429_with_retry_after() {
    let events: Vec<Value> = (0..10).map(|n| sign_in(n, n as i64)).collect();
    let fake = start(Config {
        throttle: Some(2),
        throttle_window: Duration::from_secs(1),
        ..config(events)
    })
    .await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let url = signins_url(&fake);
    let (status, _, first) = graph_get(&url, &token, &[("$top", "4")]).await;
    assert_eq!(status, StatusCode::OK);
    let next = first["@odata.nextLink"].as_str().unwrap().to_owned();
    let (status, _, _) = graph_get(&next, &token, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, body) = graph_get(&next, &token, &[]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "TooManyRequests");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    // Being throttled again does not push the window further out.
    let (status, _, _) = graph_get(&next, &token, &[]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    tokio::time::sleep(Duration::from_secs(retry)).await;
    // The same continuation still works.
    let (status, _, body) = graph_get(&next, &token, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ids(&body), (4..8).map(id).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_and_missing_tokens_are_401() {
    let fake = start(config(vec![sign_in(0, 0)])).await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let url = signins_url(&fake);
    let (status, _, _) = graph_get(&url, &token, &[]).await;
    assert_eq!(status, StatusCode::OK);

    fake.expire_tokens();
    let (status, headers, body) = graph_get(&url, &token, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(
        body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
    for field in ["date", "request-id", "client-request-id"] {
        assert!(body["error"]["innerError"][field].is_string(), "{field}");
    }
    let challenge = headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");

    // A fresh token works again.
    let token = user_token(&fake, ALL_SCOPES).await;
    let (status, _, _) = graph_get(&url, &token, &[]).await;
    assert_eq!(status, StatusCode::OK);

    // No token, or one the fake never issued.
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, _, body) = graph_get(&url, "eyJhbGciOiJub25lIn0.e30.x", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
}

#[tokio::test(flavor = "multi_thread")]
async fn short_token_lifetime_expires_by_itself() {
    let fake = start(Config {
        token_lifetime: Duration::from_millis(300),
        ..config(vec![sign_in(0, 0)])
    })
    .await;
    let token = user_token(&fake, ALL_SCOPES).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, _, body) = graph_get(&signins_url(&fake), &token, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_problems() {
    let fake = start(Config {
        failure: Some(Failure::NoLicence),
        ..config(vec![sign_in(0, 0)])
    })
    .await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let (status, _, body) = graph_get(&signins_url(&fake), &token, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"]["code"],
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
    );
    assert_eq!(
        body["error"]["message"],
        "Neither tenant is B2C or tenant doesn't have premium license"
    );

    let fake = start(Config {
        failure: Some(Failure::NoRole),
        ..config(vec![sign_in(0, 0)])
    })
    .await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let (status, _, body) = graph_get(&signins_url(&fake), &token, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert_eq!(
        body["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
    // An app needs no directory role.
    let app = app_token(&fake).await;
    let (status, _, _) = graph_get(&signins_url(&fake), &app, &[]).await;
    assert_eq!(status, StatusCode::OK);

    // A token without AuditLog.Read.All.
    let fake = start(config(vec![sign_in(0, 0)])).await;
    let token = user_token(
        &fake,
        "openid profile https://graph.microsoft.com/Directory.Read.All",
    )
    .await;
    let (status, _, body) = graph_get(&signins_url(&fake), &token, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
}

#[tokio::test(flavor = "multi_thread")]
async fn conditional_access_details_need_policy_read_all() {
    let fake = start(config(vec![sign_in(0, 0)])).await;
    let url = signins_url(&fake);
    let with_policy = user_token(&fake, ALL_SCOPES).await;
    let (_, _, body) = graph_get(&url, &with_policy, &[]).await;
    assert_eq!(
        body["value"][0]["appliedConditionalAccessPolicies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let without = user_token(
        &fake,
        "https://graph.microsoft.com/AuditLog.Read.All https://graph.microsoft.com/Directory.Read.All openid",
    )
    .await;
    let (status, _, body) = graph_get(&url, &without, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["value"][0]["appliedConditionalAccessPolicies"],
        json!([])
    );
    assert_eq!(body["value"][0]["conditionalAccessStatus"], "success");

    // Under NoPolicyScope, asking is not enough.
    let fake = start(Config {
        failure: Some(Failure::NoPolicyScope),
        ..config(vec![sign_in(0, 0)])
    })
    .await;
    let tokens = user_tokens(&fake, ALL_SCOPES).await;
    assert!(
        !tokens["scope"]
            .as_str()
            .unwrap()
            .contains("Policy.Read.All")
    );
    let token = tokens["access_token"].as_str().unwrap();
    let (_, _, body) = graph_get(&signins_url(&fake), token, &[]).await;
    assert_eq!(
        body["value"][0]["appliedConditionalAccessPolicies"],
        json!([])
    );
    let app = claims(&app_token(&fake).await);
    assert_eq!(
        app["roles"],
        json!(["AuditLog.Read.All", "Directory.Read.All"])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wide_windows_are_slow() {
    let fake = start(Config {
        slow_window: Some((chrono::Duration::hours(1), Duration::from_millis(400))),
        ..config(vec![sign_in(0, 0)])
    })
    .await;
    let token = user_token(&fake, ALL_SCOPES).await;
    let url = signins_url(&fake);
    let narrow = format!(
        "createdDateTime ge {} and createdDateTime lt {}",
        iso(t0() - chrono::Duration::minutes(30)),
        iso(t0())
    );
    let started = Instant::now();
    let (status, _, _) = graph_get(&url, &token, &[("$filter", &narrow)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() < Duration::from_millis(400));

    let wide = format!(
        "createdDateTime ge {} and createdDateTime lt {}",
        iso(t0() - chrono::Duration::hours(3)),
        iso(t0())
    );
    let started = Instant::now();
    let (status, _, _) = graph_get(&url, &token, &[("$filter", &wide)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(400));

    // Open-ended is wide. A client that gives up leaves a record without a status.
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let open = format!("createdDateTime ge {}", iso(t0()));
    assert!(
        quick
            .get(&url)
            .bearer_auth(&token)
            .query(&[("$filter", open.as_str())])
            .send()
            .await
            .is_err()
    );
    let last = fake.requests().pop().unwrap();
    assert_eq!(last.path, "/beta/auditLogs/signIns");
    assert_eq!(last.status, 0);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(fake.requests().pop().unwrap().status, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_and_exports_load() {
    let fake = start(Config::with_demo()).await;
    assert!(fake.event_count() > 100);
    let token = app_token(&fake).await;
    let (status, _, body) = graph_get(&signins_url(&fake), &token, &[("$top", "5")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body).len(), 5);

    // A Graph page saved to a file goes through the product's importer.
    let path = std::env::temp_dir().join(format!("fake-entra-test-{}.json", std::process::id()));
    let page = json!({"value": [sign_in(1, 1), sign_in(2, 2), sign_in(1, 1)]});
    std::fs::write(&path, page.to_string()).unwrap();
    let config = Config::with_export_files([&path]).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(config.events.len(), 2, "duplicates are merged");
    assert_eq!(config.events[0]["userPrincipalName"], "user1@contoso.com");
    assert!(Config::with_export_files(["/no/such/file.json"]).is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_fakes_own_origin_names_graph_in_scopes() {
    // A client set up for a custom cloud names Graph's permissions by the Graph URL it was
    // given, which is the fake's origin.
    let fake = start(config(vec![sign_in(0, 0)])).await;
    let base = fake.base_url();
    let scope = format!(
        "{base}/AuditLog.Read.All {base}/Directory.Read.All {base}/Policy.Read.All offline_access openid profile"
    );
    let tokens = user_tokens(&fake, &scope).await;
    assert!(
        tokens["scope"]
            .as_str()
            .unwrap()
            .contains("AuditLog.Read.All")
    );
    let token = tokens["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["aud"], "https://graph.microsoft.com");
    let (status, _, body) = graph_get(&signins_url(&fake), token, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["value"][0]["appliedConditionalAccessPolicies"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let default = format!("{base}/.default");
    let (status, body) = post_token(
        &fake,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "fake-client-secret"),
            ("scope", &default),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = graph_get(
        &signins_url(&fake),
        body["access_token"].as_str().unwrap(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // A token for another resource is not accepted by Graph.
    let (_, body) = post_token(
        &fake,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", "fake-client-secret"),
            ("scope", "https://management.azure.com/.default"),
        ],
    )
    .await;
    let (status, _, body) = graph_get(
        &signins_url(&fake),
        body["access_token"].as_str().unwrap(),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"]["message"],
        "Access token validation failure. Invalid audience."
    );
}
