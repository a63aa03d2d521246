#![allow(clippy::unwrap_used)]
//! The app's live side against the local fake of Entra and Graph: profiles, device-code
//! sign-in, and a fetch that lands in the workspace the search screen reads.

use signin_core::Lang;
use std::sync::Mutex;

use fake_entra::{Config, FakeEntra};
use signin_live::vault::MemoryKeyStore;

use super::*;

fn custom_profile(fake: &FakeEntra, mode: &str) -> ProfileInput {
    ProfileInput {
        id: None,
        name: "Harbor & Pine".into(),
        tenant: "organizations".into(),
        client_id: String::new(),
        cloud: "custom".into(),
        authority: Some(fake.base_url()),
        graph: Some(fake.base_url()),
        mode: mode.into(),
        certificate_path: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_code_sign_in_then_a_live_search_fills_the_workspace() {
    let fake = FakeEntra::start(Config {
        device_code_polls: 1,
        device_code_interval: 0,
        ..Config::with_demo()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = AppState::open(&dir.path().join("workspace.sqlite"));
    let vault = Vault::open(dir.path(), Box::new(MemoryKeyStore::default()));
    let live = LiveState::open(dir.path(), vault, None);

    let status = live
        .save_profile(custom_profile(&fake, "device-code"))
        .unwrap();
    let id = status.active.clone().unwrap();
    assert_eq!(status.profiles[0].cloud, "custom");
    assert!(!status.profiles[0].signed_in);
    assert_eq!(status.persistence, "keyring");

    let code = live.device_code(&id).await.unwrap();
    assert!(!code.user_code.is_empty());
    let report = live.device_code_wait(Lang::En).await.unwrap();
    assert!(report.status.profiles[0].signed_in);
    assert_eq!(
        report.status.profiles[0].account.as_deref(),
        Some("it.admin@harborpine.example")
    );
    // Nothing that crosses to the webview carries a token.
    let json = serde_json::to_string(&report).unwrap();
    for secret in fake.issued_secrets() {
        assert!(!json.contains(&secret));
    }

    let criteria = CriteriaDto {
        user: Some("hugo".into()),
        from: Some("2000-01-01".into()),
        ..CriteriaDto::default()
    };
    let progress = Mutex::new(Vec::new());
    let fetched = live
        .fetch(&app, &criteria, &|p| {
            // What a progress report counts is in the workspace already, in its window.
            let window = CriteriaDto {
                from: Some(p.from.clone()),
                to: Some(p.to.clone()),
                ..criteria.clone()
            };
            let stored = app.search(&window).unwrap().total as u64;
            progress.lock().unwrap().push((p, stored));
        })
        .await
        .unwrap();
    assert!(fetched.events > 0);
    assert!(!fetched.cancelled);
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.last().unwrap().0.events, fetched.events);
    assert!(progress.iter().all(|(p, stored)| p.events == *stored));
    assert!(
        progress
            .iter()
            .all(|(p, _)| (p.from.as_str(), p.to.as_str())
                == (fetched.from.as_str(), fetched.to.as_str()))
    );
    let found = app.search(&criteria).unwrap();
    assert_eq!(found.total as u64, fetched.events);
    // A second fetch of the same window adds nothing new.
    live.fetch(&app, &criteria, &|_| {}).await.unwrap();
    assert_eq!(app.search(&criteria).unwrap().total as u64, fetched.events);
    let info = app.info().unwrap();
    assert!(
        info.files
            .iter()
            .all(|f| f.name.starts_with("Microsoft Graph: Harbor & Pine"))
    );

    // The profile survives a restart; signing out forgets the sign-in but not the profile.
    let again = LiveState::open(
        dir.path(),
        Vault::open(dir.path(), Box::new(MemoryKeyStore::default())),
        None,
    );
    assert_eq!(again.status().profiles.len(), 1);
    let status = live.sign_out(&id).unwrap();
    assert!(!status.profiles[0].signed_in);
    let error = live.fetch(&app, &criteria, &|_| {}).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::SignIn);
    // Said in the window's language.
    assert_eq!(
        error.say(Lang::En).message,
        "Not signed in to “Harbor & Pine”. Sign in first (in the app, or with `signin-doctor login`)."
    );
    assert_eq!(
        error.say(Lang::Nl).message,
        "Niet aangemeld bij “Harbor & Pine”. Meld u eerst aan (in de app, of met `signin-doctor login`)."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_a_profiles_tenant_ends_its_sign_in_and_bad_input_is_refused() {
    let fake = FakeEntra::start(Config {
        device_code_polls: 0,
        device_code_interval: 0,
        ..Config::with_demo()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let live = LiveState::open(
        dir.path(),
        Vault::open(dir.path(), Box::new(MemoryKeyStore::default())),
        None,
    );
    let id = live
        .save_profile(custom_profile(&fake, "device-code"))
        .unwrap()
        .active
        .unwrap();
    live.device_code(&id).await.unwrap();
    assert!(
        live.device_code_wait(Lang::En)
            .await
            .unwrap()
            .status
            .profiles[0]
            .signed_in
    );

    let mut moved = custom_profile(&fake, "device-code");
    moved.id = Some(id.clone());
    moved.tenant = "fabrikam.onmicrosoft.com".into();
    let status = live.save_profile(moved).unwrap();
    assert_eq!(status.profiles.len(), 1);
    assert!(
        !status.profiles[0].signed_in,
        "a new tenant needs a new sign-in"
    );

    let mut http = custom_profile(&fake, "browser");
    http.authority = Some("http://login.example.com".into());
    assert_eq!(
        live.save_profile(http).unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    let mut cert = custom_profile(&fake, "certificate");
    cert.tenant = "contoso.com".into();
    cert.client_id = "6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b".into();
    let refused = live.save_profile(cert).unwrap_err();
    assert!(refused.say(Lang::En).message.contains("certificate"));
    assert!(refused.say(Lang::Nl).message.contains("certificaatbestand"));
    let status = live.remove_profile(&id).unwrap();
    assert!(status.profiles.is_empty());
}
