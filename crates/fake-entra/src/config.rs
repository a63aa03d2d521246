//! What a fake tenant holds and how it behaves: its sign-in logs, the admin who signs in, the
//! problem it reproduces, and the knobs tests turn (throttling, device-code pacing, token
//! lifetime, slow queries).
//!
//! The sign-in logs are Graph beta `signIn` objects. They come from any export Sign-in Doctor
//! can read ([`Config::with_export_files`] goes through the product's own importers, so the fake
//! serves exactly what an admin would have exported) or from the bundled demo
//! ([`Config::with_demo`]).

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Dataset, Import};

/// A tenant problem the fake reproduces, each the way Entra or Graph reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Failure {
    /// The tenant has no Entra ID P1/P2 licence: Graph refuses sign-in logs with HTTP 403
    /// `Authentication_RequestFromNonPremiumTenantOrB2CTenant`.
    NoLicence,
    /// The admin holds no directory role that may read sign-in logs: Graph answers HTTP 403
    /// `Authorization_RequestDenied` to delegated tokens (app-only tokens need no role).
    NoRole,
    /// Nobody consented to the app: sign-in ends with AADSTS65001 `consent_required`.
    NoConsent,
    /// The app asks for permissions only an administrator may grant: AADSTS90094.
    AdminConsentRequired,
    /// Conditional Access blocks the device-code flow: AADSTS53003 once the code is approved.
    DeviceCodeBlocked,
    /// Policy.Read.All is never granted, so Graph leaves out Conditional Access details.
    NoPolicyScope,
}

impl Failure {
    /// Parses the command line's names (`licence`, `role`, `consent`, `admin-consent`,
    /// `device-code-blocked`, `no-policy-scope`).
    pub fn from_name(name: &str) -> Option<Failure> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "licence" | "license" | "no-licence" | "no-license" => Failure::NoLicence,
            "role" | "no-role" => Failure::NoRole,
            "consent" | "no-consent" => Failure::NoConsent,
            "admin-consent" | "admin-consent-required" => Failure::AdminConsentRequired,
            "device-code-blocked" => Failure::DeviceCodeBlocked,
            "no-policy-scope" | "policy-scope" => Failure::NoPolicyScope,
            _ => return None,
        })
    }
}

/// The administrator who "signs in" to the fake tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeUser {
    pub upn: String,
    pub display_name: String,
    /// The user's object ID (`oid`).
    pub object_id: String,
    /// The tenant ID (`tid`).
    pub tenant_id: String,
}

impl Default for FakeUser {
    fn default() -> Self {
        FakeUser {
            upn: "admin@contoso.onmicrosoft.com".into(),
            display_name: "Contoso Admin".into(),
            object_id: "4f3c9a2e-7b1d-4c8e-9a6f-2d5b8e1c3a70".into(),
            tenant_id: "72f988bf-0000-4e6a-8c1d-fa6e7e0c0de5".into(),
        }
    }
}

/// How a fake tenant is set up. Start one with [`crate::FakeEntra::start`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Graph beta `signIn` objects (camelCase), in any order.
    pub events: Vec<Value>,
    /// Serve HTTPS with a freshly generated CA (see [`crate::FakeEntra::ca_pem`]).
    pub tls: bool,
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Sign-in log requests allowed per `throttle_window`; more are answered HTTP 429.
    pub throttle: Option<u32>,
    pub throttle_window: Duration,
    /// Device-code polls answered `authorization_pending` before the code approves itself.
    pub device_code_polls: u32,
    /// Seconds between polls, returned as `interval`; polling sooner is `slow_down` (0 = never).
    pub device_code_interval: u64,
    /// Seconds a device code lives.
    pub device_code_expires_in: u64,
    /// How long an access token is valid.
    pub token_lifetime: Duration,
    /// A tenant problem to reproduce.
    pub failure: Option<Failure>,
    /// The admin who signs in.
    pub user: FakeUser,
    /// The secret the client-credentials grant accepts.
    pub client_secret: String,
    /// A sign-in query whose `createdDateTime` window is wider than `.0` (or open-ended)
    /// answers only after sleeping `.1`.
    pub slow_window: Option<(chrono::Duration, Duration)>,
    /// Write one line per request to standard error (the `fake-entra` binary's
    /// `--log-requests`), for benchmarks that count what a client asked for.
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            events: Vec::new(),
            tls: false,
            port: 0,
            throttle: None,
            throttle_window: Duration::from_secs(10),
            device_code_polls: 2,
            device_code_interval: 5,
            device_code_expires_in: 900,
            token_lifetime: Duration::from_secs(3600),
            failure: None,
            user: FakeUser::default(),
            client_secret: "fake-client-secret".into(),
            slow_window: None,
            log_requests: false,
        }
    }
}

impl Config {
    /// A tenant whose logs are the sign-ins in these export files: any format Sign-in Doctor
    /// reads (Graph JSON, portal JSON or CSV, Log Analytics, Azure Monitor, zip archives...).
    /// Files are merged as the product merges them: a request ID seen twice is kept once, and
    /// authentication-details files add their steps to the sign-ins they belong to.
    pub fn with_export_files<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
    ) -> anyhow::Result<Config> {
        let mut dataset = Dataset::default();
        for path in paths {
            let path = path.as_ref();
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            for (member, result) in signin_core::import_source(file, &name) {
                let import = result
                    .with_context(|| format!("cannot import {member} ({})", path.display()))?;
                dataset.add(member, import);
            }
        }
        Ok(Config {
            events: dataset_events(&dataset)?,
            ..Config::default()
        })
    }

    /// A tenant holding the bundled demo data (Harbor & Pine Architects), moved so that its
    /// week ends at the last midnight (UTC): a live query for recent sign-ins finds it, and no
    /// sign-in lies in the future. The admin is an administrator of that firm.
    pub fn with_demo() -> Config {
        let now = chrono::Utc::now();
        let end = now
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or(now);
        Config::with_demo_options(&DemoOptions {
            end,
            ..DemoOptions::default()
        })
    }

    /// A tenant holding demo data made with these options (deterministic for a fixed `end`).
    pub fn with_demo_options(options: &DemoOptions) -> Config {
        let text = demo::generate(options);
        let import = signin_core::import_stream(text.as_bytes(), "demo.json");
        let events = match import {
            Ok(import) => events_of(import),
            // The demo generator and the importer are tested together in signin-core; should
            // they ever disagree, the fake still starts, with an empty log.
            Err(_) => Vec::new(),
        };
        let tenant_id = events
            .iter()
            .find_map(|e| {
                e.get("resourceTenantId")
                    .or_else(|| e.get("homeTenantId"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
            .unwrap_or_else(|| FakeUser::default().tenant_id);
        Config {
            events,
            user: FakeUser {
                upn: format!("it.admin@{}", demo::DOMAIN),
                display_name: "IT Admin".into(),
                object_id: "9d2e4b61-3c7a-4f08-b5e1-6a0c2f8d7e19".into(),
                tenant_id,
            },
            ..Config::default()
        }
    }
}

impl Config {
    /// The same tenant with its sign-ins repeated, each copy with fresh IDs, until it holds
    /// exactly `count` (fewer when `count` is smaller): a large log for load tests that keeps
    /// the data's times and mix. A tenant without sign-ins stays empty.
    pub fn repeated_to(mut self, count: usize) -> Config {
        let originals = std::mem::take(&mut self.events);
        if originals.is_empty() {
            return self;
        }
        self.events = (0..count)
            .map(|i| {
                let copy = i / originals.len();
                let mut event = originals[i % originals.len()].clone();
                if copy > 0
                    && let Some(object) = event.as_object_mut()
                {
                    object.insert(
                        "id".into(),
                        Value::from(format!("{copy:08x}-0000-4000-8000-{i:012x}")),
                    );
                }
                event
            })
            .collect();
        self
    }
}

/// Every sign-in of a dataset as Graph JSON.
fn dataset_events(dataset: &Dataset) -> anyhow::Result<Vec<Value>> {
    dataset
        .search(&Criteria::default())
        .into_iter()
        .map(|stored| serde_json::to_value(&stored.event).context("cannot serialise a sign-in"))
        .collect()
}

fn events_of(import: Import) -> Vec<Value> {
    let mut dataset = Dataset::default();
    dataset.add("demo", import);
    dataset_events(&dataset).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_names() {
        assert_eq!(Failure::from_name("licence"), Some(Failure::NoLicence));
        assert_eq!(
            Failure::from_name("admin-consent"),
            Some(Failure::AdminConsentRequired)
        );
        assert_eq!(
            Failure::from_name("no-policy-scope"),
            Some(Failure::NoPolicyScope)
        );
        assert_eq!(Failure::from_name("nope"), None);
    }

    #[test]
    fn repeating_gives_the_count_asked_with_distinct_ids() {
        let config = Config::with_demo();
        let originals = config.events.len();
        let big = config.repeated_to(originals * 3 + 7);
        assert_eq!(big.events.len(), originals * 3 + 7);
        let ids: std::collections::HashSet<&str> =
            big.events.iter().filter_map(|e| e["id"].as_str()).collect();
        assert_eq!(ids.len(), big.events.len(), "every copy has its own ID");
        assert_eq!(
            big.events[originals]["userPrincipalName"],
            big.events[0]["userPrincipalName"]
        );
        assert_eq!(Config::default().repeated_to(10).events.len(), 0);
        assert_eq!(Config::with_demo().repeated_to(5).events.len(), 5);
    }

    #[test]
    fn demo_is_recent_and_graph_shaped() {
        let config = Config::with_demo();
        assert!(config.events.len() > 100);
        assert!(config.user.upn.ends_with(demo::DOMAIN));
        let newest = config
            .events
            .iter()
            .filter_map(|e| e["createdDateTime"].as_str())
            .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .max()
            .map(|t| t.with_timezone(&chrono::Utc));
        let age = chrono::Utc::now() - newest.expect("the demo has timestamps");
        assert!(
            age >= chrono::Duration::zero(),
            "a demo sign-in lies in the future"
        );
        assert!(
            age < chrono::Duration::days(2),
            "newest demo sign-in is {age} old"
        );
        assert!(config.events.iter().all(|e| e["id"].is_string()));
    }
}
