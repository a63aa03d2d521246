//! Every sign-in mode and the Graph fetch, end to end against the local fake of Entra and Graph
//! (`crates/fake-entra`) over real HTTP on loopback. Nothing here reaches Microsoft.
#![allow(clippy::unwrap_used)]

use signin_core::Lang;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeZone as _, Utc};
use fake_entra::{Config, Failure, FakeEntra};
use serde_json::{Value, json};
use signin_core::Criteria;
use signin_live::graph::{self, Event, FetchOptions, FetchSummary, Pace};
use signin_live::vault::MemoryKeyStore;
use signin_live::{Cloud, ErrorKind, LiveError, Mode, Profile, Secret, Session, Vault};
use tokio_util::sync::CancellationToken;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

/// `n` interactive sign-ins, one a minute going back from [`t0`].
fn sign_ins(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            json!({
                "id": format!("{i:08x}-0000-4000-8000-{i:012x}"),
                "createdDateTime": (t0() - chrono::Duration::minutes(i as i64)).to_rfc3339_opts(SecondsFormat::Secs, true),
                "userDisplayName": format!("User {}", i % 7),
                "userPrincipalName": format!("user{}@contoso.com", i % 7),
                "userId": format!("00000000-0000-4000-9000-{:012x}", i % 7),
                "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
                "appDisplayName": "Microsoft Teams",
                "correlationId": format!("c0000000-0000-4000-8000-{i:012x}"),
                "ipAddress": "203.0.113.7",
                "status": {"errorCode": if i % 5 == 0 { 50126 } else { 0 }},
                "isInteractive": true,
                "signInEventTypes": ["interactiveUser"],
                "appliedConditionalAccessPolicies": [{"id": "p1", "displayName": "Require MFA", "result": "success"}],
            })
        })
        .collect()
}

struct Tenant {
    fake: FakeEntra,
    vault: Arc<Vault>,
    http: signin_live::reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Tenant {
    async fn start(mut config: Config) -> Tenant {
        // Device-code sign-ins here need not wait Entra's five seconds between polls.
        if config.device_code_interval == Config::default().device_code_interval {
            config.device_code_interval = 0;
        }
        let fake = FakeEntra::start(config).await.unwrap();
        let http =
            signin_live::session::http_client(fake.ca_pem().as_deref().map(str::as_bytes)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let vault = Arc::new(Vault::open(dir.path(), Box::new(MemoryKeyStore::default())));
        Tenant {
            fake,
            vault,
            http,
            _dir: dir,
        }
    }

    fn profile(&self, mode: Mode, tenant: &str, client_id: Option<&str>) -> Profile {
        let url = self.fake.base_url();
        Profile::new(
            "Contoso",
            Some(tenant),
            client_id,
            Cloud::custom(&url, &url).unwrap(),
            mode,
        )
        .unwrap()
    }

    /// Signs in with a device code, as an admin at another device would.
    async fn device_login(
        &self,
        profile: Profile,
    ) -> Result<(Session, Vec<signin_live::Notice>), LiveError> {
        let code = signin_live::session::begin_device_code(&profile, &self.http).await?;
        signin_live::session::login_device_code(
            profile,
            self.vault.clone(),
            self.http.clone(),
            &code,
            &CancellationToken::new(),
        )
        .await
    }

    async fn device_session(&self) -> Session {
        let profile = self.profile(Mode::DeviceCode, "organizations", None);
        self.device_login(profile).await.unwrap().0
    }

    /// Everything the vault's file holds, as text.
    fn vault_file(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(self.vault.file()).unwrap()).into_owned()
    }
}

fn quick() -> FetchOptions {
    FetchOptions {
        pace: Pace {
            requests: 100,
            per: Duration::from_secs(1),
        },
        backoff: Duration::from_millis(50),
        ..FetchOptions::default()
    }
}

/// Fetches into memory: the distinct IDs, in arrival order, and the summary.
async fn fetch_all(
    session: &Session,
    criteria: &Criteria,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    options: &FetchOptions,
) -> Result<(Vec<String>, FetchSummary, Vec<Event>), LiveError> {
    let mut ids = Vec::new();
    let mut events = Vec::new();
    let summary = graph::fetch(
        session,
        criteria,
        from,
        to,
        options,
        &CancellationToken::new(),
        &mut |page| {
            for raw in &page.events {
                let v: Value = serde_json::from_str(raw.get()).unwrap();
                ids.push(v["id"].as_str().unwrap().to_owned());
            }
            Ok(())
        },
        &mut |e| events.push(e),
    )
    .await?;
    Ok((ids, summary, events))
}

/// What a device-code sign-in to a tenant with `failure` ends with.
async fn device_code_refused(failure: Failure) -> LiveError {
    let tenant = Tenant::start(Config {
        device_code_polls: 0,
        failure: Some(failure),
        ..Config::default()
    })
    .await;
    let profile = tenant.profile(Mode::DeviceCode, "organizations", None);
    tenant.device_login(profile).await.unwrap_err()
}

/// The request IDs of every sign-in of the last five days, fetched quickly.
async fn fetch_everything(session: &Session) -> Vec<String> {
    let (from, to) = whole_day();
    let (ids, _, _) = fetch_all(session, &Criteria::default(), from, to, &quick())
        .await
        .unwrap();
    ids
}

fn whole_day() -> (DateTime<Utc>, DateTime<Utc>) {
    (t0() - chrono::Duration::days(5), t0())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_follows_the_redirect_to_the_loopback_listener() {
    let tenant = Tenant::start(Config {
        events: sign_ins(30),
        ..Config::default()
    })
    .await;
    let profile = tenant.profile(Mode::Browser, "organizations", None);
    // The "browser": an HTTP client that follows Entra's redirect back to the app.
    let browser = signin_live::reqwest::Client::new();
    let page = Arc::new(Mutex::new(None));
    let seen = page.clone();
    let (session, notices) = signin_live::session::login_browser(
        profile,
        tenant.vault.clone(),
        tenant.http.clone(),
        move |url| {
            let url = url.clone();
            tokio::spawn(async move {
                let response = browser.get(url).send().await.unwrap();
                *seen.lock().unwrap() =
                    Some((response.status().as_u16(), response.text().await.unwrap()));
            });
            Ok(())
        },
        &CancellationToken::new(),
        Duration::from_secs(30),
        Lang::En,
    )
    .await
    .unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(
        session.profile.account.as_deref(),
        Some("admin@contoso.onmicrosoft.com")
    );
    assert!(session.profile.tenant_id.is_some());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, html) = page.lock().unwrap().clone().unwrap();
    assert_eq!(status, 200);
    assert!(html.contains("You can close this tab"), "{html}");

    let ids = fetch_everything(&session).await;
    assert_eq!(ids.len(), 30);
    // The refresh token is in the vault, sealed: its text is nowhere in the file.
    let refresh = tenant
        .vault
        .get(&session.profile.refresh_secret())
        .unwrap()
        .unwrap();
    assert!(
        tenant
            .fake
            .issued_secrets()
            .contains(&refresh.expose().to_owned())
    );
    let file = tenant.vault_file();
    for secret in tenant.fake.issued_secrets() {
        assert!(!file.contains(&secret));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_or_stale_reply_to_the_listener_is_ignored() {
    let tenant = Tenant::start(Config::default()).await;
    let profile = tenant.profile(Mode::Browser, "organizations", None);
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let result = signin_live::session::login_browser(
        profile,
        tenant.vault.clone(),
        tenant.http.clone(),
        move |url| {
            let port = url
                .query_pairs()
                .find(|(k, _)| k == "redirect_uri")
                .map(|(_, v)| url::Url::parse(&v).unwrap().port().unwrap())
                .unwrap();
            tokio::spawn(async move {
                // A code with the wrong state must not be redeemed.
                let forged = signin_live::reqwest::get(format!(
                    "http://127.0.0.1:{port}/?code=stolen&state=wrong"
                ))
                .await
                .unwrap();
                assert_eq!(forged.status().as_u16(), 404);
                // The page speaks the language the sign-in was started in.
                let text = forged.text().await.unwrap();
                assert!(
                    text.contains("Deze pagina hoort niet bij de aanmelding"),
                    "{text}"
                );
                stop.cancel();
            });
            Ok(())
        },
        &cancel,
        Duration::from_secs(30),
        Lang::Nl,
    )
    .await;
    assert!(matches!(result, Err(LiveError::Cancelled)), "{result:?}");
    assert!(
        tenant
            .fake
            .requests()
            .iter()
            .all(|r| !r.path.ends_with("/token")),
        "nothing was redeemed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_waits_for_approval_then_signs_in() {
    let tenant = Tenant::start(Config {
        events: sign_ins(10),
        device_code_polls: 2,
        device_code_interval: 0,
        ..Config::default()
    })
    .await;
    let profile = tenant.profile(Mode::DeviceCode, "contoso.onmicrosoft.com", None);
    let code = signin_live::session::begin_device_code(&profile, &tenant.http)
        .await
        .unwrap();
    assert!(!code.user_code.is_empty());
    assert!(code.verification_uri.ends_with("/devicelogin"));
    assert!(code.message.contains(&code.user_code));
    let (session, _) = signin_live::session::login_device_code(
        profile,
        tenant.vault.clone(),
        tenant.http.clone(),
        &code,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let polls = tenant
        .fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/token"))
        .count();
    assert_eq!(polls, 3, "two pending answers, then tokens");
    let ids = fetch_everything(&session).await;
    assert_eq!(ids.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conditional_access_block_of_device_code_is_explained() {
    let error = device_code_refused(Failure::DeviceCodeBlocked).await;
    let text = error.to_string();
    assert!(
        text.contains("Conditional Access")
            && text.contains("browser sign-in")
            && text.contains("AADSTS53003"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_device_code_says_to_start_again() {
    let tenant = Tenant::start(Config {
        device_code_polls: 1000,
        device_code_interval: 1,
        device_code_expires_in: 1,
        ..Config::default()
    })
    .await;
    let profile = tenant.profile(Mode::DeviceCode, "organizations", None);
    let error = tenant.device_login(profile).await.unwrap_err();
    assert!(error.to_string().contains("expired"), "{error}");
    assert!(error.to_string().contains("AADSTS70020"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_consent_is_explained_with_who_must_act() {
    let error = device_code_refused(Failure::NoConsent).await;
    assert_eq!(error.kind(), ErrorKind::Permission);
    assert!(error.to_string().contains("AADSTS65001"), "{error}");
    assert!(error.to_string().contains("consent"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_signs_in_with_a_client_secret_over_https() {
    let tenant = Tenant::start(Config {
        events: sign_ins(12),
        tls: true,
        ..Config::default()
    })
    .await;
    assert!(tenant.fake.base_url().starts_with("https://"));
    let app_id = "6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    let profile = tenant.profile(Mode::ClientSecret, "contoso.onmicrosoft.com", Some(app_id));

    let wrong = signin_live::session::login_app_or_cli(
        profile.clone(),
        tenant.vault.clone(),
        tenant.http.clone(),
        Some(Secret::new("not-it")),
    )
    .await
    .unwrap_err();
    assert!(
        wrong.to_string().contains("client secret is wrong"),
        "{wrong}"
    );
    assert!(
        tenant
            .vault
            .get(&profile.client_secret())
            .unwrap()
            .is_none(),
        "a refused secret is not kept"
    );

    let (session, notices) = signin_live::session::login_app_or_cli(
        profile.clone(),
        tenant.vault.clone(),
        tenant.http.clone(),
        Some(Secret::new("fake-client-secret")),
    )
    .await
    .unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(session.profile.account.as_deref(), Some(app_id));
    assert!(!tenant.vault_file().contains("fake-client-secret"));
    // A later run resumes from the vault alone.
    let resumed = Session::resume(
        session.profile.clone(),
        tenant.vault.clone(),
        tenant.http.clone(),
    )
    .unwrap();
    let ids = fetch_everything(&resumed).await;
    assert_eq!(ids.len(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_signs_in_with_a_certificate() {
    let tenant = Tenant::start(Config {
        events: sign_ins(3),
        tls: true,
        ..Config::default()
    })
    .await;
    let pem = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/certificate/test-app.pem"
    );
    let app_id = "6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    let profile = tenant.profile(
        Mode::Certificate { path: pem.into() },
        "contoso.onmicrosoft.com",
        Some(app_id),
    );
    let (session, _) = signin_live::session::login_app_or_cli(
        profile,
        tenant.vault.clone(),
        tenant.http.clone(),
        None,
    )
    .await
    .unwrap();
    let ids = fetch_everything(&session).await;
    assert_eq!(ids.len(), 3);
    let assertion = tenant
        .fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/token"))
        .unwrap();
    assert_eq!(assertion.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_sign_ins_arrive_in_five_pages_each_once() {
    let tenant = Tenant::start(Config {
        events: sign_ins(5000),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let (from, to) = whole_day();
    let (ids, summary, _) = fetch_all(&session, &Criteria::default(), from, to, &quick())
        .await
        .unwrap();
    assert_eq!(ids.len(), 5000);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 5000);
    assert_eq!(
        (summary.pages, summary.requests, summary.duplicates),
        (5, 5, 0)
    );
    let pages: Vec<usize> = tenant
        .fake
        .requests()
        .iter()
        .filter_map(|r| r.events)
        .collect();
    assert_eq!(pages, vec![1000; 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_paced_under_the_limit_without_being_throttled() {
    let tenant = Tenant::start(Config {
        events: sign_ins(2500),
        throttle: Some(3),
        throttle_window: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let options = FetchOptions {
        page_size: 500,
        // The tenant allows 3 a second; like the real pace, keep a margin for network delay.
        pace: Pace {
            requests: 3,
            per: Duration::from_millis(1200),
        },
        ..quick()
    };
    let (ids, summary, events) = fetch_all(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &options,
    )
    .await
    .unwrap();
    assert_eq!(ids.len(), 2500);
    assert_eq!(
        (summary.requests, summary.throttled),
        (5, 0),
        "the pace keeps under the budget"
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Waiting {
            reason: graph::WaitReason::Pacing,
            ..
        }
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttling_storm_loses_and_repeats_nothing_and_honours_retry_after() {
    let tenant = Tenant::start(Config {
        events: sign_ins(5000),
        throttle: Some(2),
        throttle_window: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    // A client that does not pace itself, so Graph's 429s do the pacing.
    let (ids, summary, _) = fetch_all(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
    )
    .await
    .unwrap();
    assert_eq!(ids.len(), 5000);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 5000);
    assert!(summary.throttled > 0);
    let log: Vec<_> = tenant
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/signIns"))
        .collect();
    for pair in log.windows(2) {
        if pair[0].status == 429 {
            let gap = pair[1].at.duration_since(pair[0].at);
            assert!(
                gap >= Duration::from_millis(990),
                "retried after {gap:?}, before Retry-After"
            );
        }
    }
    assert_eq!(log.iter().filter(|r| r.status == 200).count(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_expires_mid_paging_is_renewed_and_paging_carries_on() {
    let tenant = Arc::new(
        Tenant::start(Config {
            events: sign_ins(3000),
            ..Config::default()
        })
        .await,
    );
    let session = tenant.device_session().await;
    let mut ids = HashSet::new();
    let expire = tenant.clone();
    let mut expired = false;
    let summary = graph::fetch(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
        &CancellationToken::new(),
        &mut |page| {
            for raw in &page.events {
                ids.insert(
                    serde_json::from_str::<Value>(raw.get()).unwrap()["id"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                );
            }
            Ok(())
        },
        &mut |event| {
            // The token in hand for the second page expires just before that request leaves
            // (page 1 is handed on while request 2 runs, so expiring there would race with it).
            if event == (Event::Request { page: 2 }) && !expired {
                expired = true;
                expire.fake.expire_tokens();
            }
        },
    )
    .await
    .unwrap();
    assert_eq!(ids.len(), 3000);
    assert_eq!(summary.token_refreshes, 1);
    let statuses: Vec<u16> = tenant
        .fake
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/signIns"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![200, 401, 200, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_token_revoked_mid_paging_is_renewed_too() {
    let tenant = Arc::new(
        Tenant::start(Config {
            events: sign_ins(2500),
            tls: true,
            ..Config::default()
        })
        .await,
    );
    let profile = tenant.profile(
        Mode::ClientSecret,
        "contoso.onmicrosoft.com",
        Some("6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"),
    );
    let (signed_in, _) = signin_live::session::login_app_or_cli(
        profile,
        tenant.vault.clone(),
        tenant.http.clone(),
        Some(Secret::new("fake-client-secret")),
    )
    .await
    .unwrap();
    // A later run: the session's credential gets (and caches) a token of its own first.
    let session = Session::resume(
        signed_in.profile.clone(),
        tenant.vault.clone(),
        tenant.http.clone(),
    )
    .unwrap();
    assert_eq!(fetch_everything(&session).await.len(), 2500);
    let expire = tenant.clone();
    let mut count = 0;
    let summary = graph::fetch(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
        &CancellationToken::new(),
        &mut |page| {
            if page.number == 1 {
                // Revoked before it expires, as continuous access evaluation does.
                expire.fake.expire_tokens();
            }
            count += page.events.len();
            Ok(())
        },
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!((count, summary.token_refreshes), (2500, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_that_keeps_timing_out_is_split_and_nothing_is_lost() {
    let tenant = Tenant::start(Config {
        events: sign_ins(200),
        slow_window: Some((chrono::Duration::minutes(90), Duration::from_secs(3))),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let options = FetchOptions {
        request_timeout: Duration::from_millis(600),
        ..quick()
    };
    // 200 minutes of sign-ins in a 3-hour window: too wide for the "slow" tenant, so it is
    // fetched as two 90-minute halves.
    let (ids, summary, events) = fetch_all(
        &session,
        &Criteria::default(),
        t0() - chrono::Duration::hours(3),
        t0(),
        &options,
    )
    .await
    .unwrap();
    assert_eq!(summary.splits, 1);
    assert!(events.iter().any(|e| matches!(e, Event::Split { .. })));
    assert_eq!(ids.len(), 181, "every sign-in of the three hours, once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_criteria_become_a_filter_graph_accepts_even_with_an_apostrophe() {
    let mut events = sign_ins(40);
    events[3]["userPrincipalName"] = json!("o'brien@contoso.com");
    events[3]["userDisplayName"] = json!("Siobhan O'Brien");
    let tenant = Tenant::start(Config {
        events,
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let by_user = Criteria {
        user: Some("o'brien@contoso.com".into()),
        ..Criteria::default()
    };
    let (ids, _, _) = fetch_all(&session, &by_user, whole_day().0, whole_day().1, &quick())
        .await
        .unwrap();
    assert_eq!(ids, vec!["00000003-0000-4000-8000-000000000003".to_owned()]);

    let failures = Criteria {
        outcome: Some(signin_core::Outcome::Failure),
        ..Criteria::default()
    };
    let (ids, _, _) = fetch_all(&session, &failures, whole_day().0, whole_day().1, &quick())
        .await
        .unwrap();
    assert_eq!(ids.len(), 8, "every fifth sign-in failed");

    let by_id = Criteria {
        any_id: Some("c0000000-0000-4000-8000-000000000007".into()),
        ..Criteria::default()
    };
    let (ids, _, _) = fetch_all(&session, &by_id, whole_day().0, whole_day().1, &quick())
        .await
        .unwrap();
    assert_eq!(ids, vec!["00000007-0000-4000-8000-000000000007".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_without_a_premium_licence_is_told_to_use_an_export() {
    let tenant = Tenant::start(Config {
        device_code_interval: 0,
        failure: Some(Failure::NoLicence),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let error = fetch_all(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Permission);
    assert!(
        error.to_string().contains("P1 or P2") && error.to_string().contains("Download"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn right_after_sign_in_a_missing_licence_or_role_is_explained() {
    for (failure, words) in [
        (Failure::NoLicence, "P1 or P2"),
        (Failure::NoRole, "Reports Reader"),
    ] {
        let tenant = Tenant::start(Config {
            failure: Some(failure),
            ..Config::default()
        })
        .await;
        let session = tenant.device_session().await;
        let notices = graph::preflight(&session).await;
        assert_eq!(notices.len(), 1, "{notices:?}");
        let english = notices[0].text(Lang::En);
        assert!(english.contains(words), "{english}");
        let dutch = notices[0].text(Lang::Nl);
        assert!(
            dutch.starts_with("Aangemeld, maar Microsoft Graph"),
            "{dutch}"
        );
        assert_ne!(dutch, english);
    }
    let tenant = Tenant::start(Config {
        events: sign_ins(3),
        ..Config::default()
    })
    .await;
    assert!(
        graph::preflight(&tenant.device_session().await)
            .await
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_policy_read_all_the_admin_is_warned_that_ca_details_are_missing() {
    let tenant = Tenant::start(Config {
        events: sign_ins(5),
        device_code_interval: 0,
        failure: Some(Failure::NoPolicyScope),
        ..Config::default()
    })
    .await;
    let profile = tenant.profile(Mode::DeviceCode, "organizations", None);
    let (session, notices) = tenant.device_login(profile).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].text(Lang::En).contains("Policy.Read.All"));
    assert!(
        notices[0]
            .text(Lang::Nl)
            .contains("voorwaardelijke toegang")
    );
    let (_, _, events) = fetch_all(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
    )
    .await
    .unwrap();
    assert!(
        events.iter().any(
            |e| matches!(e, Event::Notice(n) if n.text(Lang::En).contains("Conditional Access"))
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_fetch_and_keeps_the_pages_already_handed_on() {
    let tenant = Tenant::start(Config {
        events: sign_ins(3000),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let cancel = CancellationToken::new();
    let mut kept = 0;
    let result = graph::fetch(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &quick(),
        &cancel,
        &mut |page| {
            kept += page.events.len();
            cancel.cancel();
            Ok(())
        },
        &mut |_| {},
    )
    .await;
    assert!(matches!(result, Err(LiveError::Cancelled)), "{result:?}");
    assert_eq!(kept, 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_arrived_is_handed_on_when_the_next_request_fails_for_good() {
    // One request a minute, and no patience for 429s: the second page is refused for good.
    let tenant = Tenant::start(Config {
        events: sign_ins(3000),
        throttle: Some(1),
        throttle_window: Duration::from_secs(60),
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    let mut kept = Vec::new();
    let result = graph::fetch(
        &session,
        &Criteria::default(),
        whole_day().0,
        whole_day().1,
        &FetchOptions {
            max_throttled: 0,
            ..quick()
        },
        &CancellationToken::new(),
        &mut |page| {
            kept.push((page.number, page.events.len()));
            Ok(())
        },
        &mut |_| {},
    )
    .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(kept, [(1, 1000)], "the first page is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_removes_every_secret_of_the_profile() {
    let tenant = Tenant::start(Config {
        device_code_interval: 0,
        ..Config::default()
    })
    .await;
    let session = tenant.device_session().await;
    assert!(
        tenant
            .vault
            .get(&session.profile.refresh_secret())
            .unwrap()
            .is_some()
    );
    signin_live::session::logout(&session.profile, &tenant.vault).unwrap();
    assert!(
        tenant
            .vault
            .get(&session.profile.refresh_secret())
            .unwrap()
            .is_none()
    );
    let error = Session::resume(
        session.profile.clone(),
        tenant.vault.clone(),
        tenant.http.clone(),
    )
    .unwrap_err();
    assert!(matches!(error, LiveError::NotSignedIn(_)));
}
