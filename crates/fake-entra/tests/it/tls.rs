//! HTTPS with the fake's own CA.

use fake_entra::Config;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::start;

#[tokio::test(flavor = "multi_thread")]
async fn a_client_trusting_only_the_ca_can_call_discovery() {
    let fake = start(Config {
        tls: true,
        ..Config::default()
    })
    .await;
    let base = fake.base_url();
    assert!(base.starts_with("https://localhost:"), "{base}");
    let pem = fake.ca_pem().expect("a CA with TLS");
    let ca = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
    let trusting = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    let url = format!("{base}/organizations/v2.0/.well-known/openid-configuration");
    let response = trusting.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(
        doc["token_endpoint"],
        format!("{base}/organizations/oauth2/v2.0/token")
    );

    // The IP address is in the certificate too.
    let by_ip = url.replace("https://localhost:", "https://127.0.0.1:");
    assert_eq!(
        trusting.get(&by_ip).send().await.unwrap().status(),
        StatusCode::OK
    );

    // A client that does not trust the CA is refused.
    let stranger = reqwest::Client::builder()
        .tls_certs_only(std::iter::empty())
        .build()
        .unwrap();
    assert!(stranger.get(&url).send().await.is_err());

    // Without TLS there is no CA.
    let plain = start(Config::default()).await;
    assert!(plain.ca_pem().is_none());
}
