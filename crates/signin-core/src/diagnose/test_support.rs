//! Building sign-ins for rule tests.

use serde_json::{Value, json};

use super::{Context, Diagnosis, Settings, diagnose};
use crate::Lang;
use crate::model::SignInEvent;

/// A sign-in from a JSON object merged over a plain successful interactive sign-in.
pub(crate) fn event(overrides: Value) -> SignInEvent {
    let mut base = json!({
        "id": "req-1",
        "createdDateTime": "2026-11-20T10:00:00Z",
        "userPrincipalName": "ava@contoso.example",
        "userDisplayName": "Ava",
        "userId": "11111111-1111-4111-8111-111111111111",
        "appDisplayName": "Microsoft Teams",
        "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "ipAddress": "192.0.2.10",
        "clientAppUsed": "Browser",
        "correlationId": "corr-1",
        "status": {"errorCode": 0},
        "conditionalAccessStatus": "success",
        "authenticationRequirement": "multiFactorAuthentication",
        "isInteractive": true,
        "location": {"countryOrRegion": "NL"},
    });
    merge(&mut base, overrides);
    serde_json::from_value(base).expect("a valid test sign-in")
}

fn merge(base: &mut Value, overrides: Value) {
    match (base, overrides) {
        (Value::Object(base), Value::Object(overrides)) => {
            for (k, v) in overrides {
                match base.get_mut(&k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        base.insert(k, v);
                    }
                }
            }
        }
        (base, overrides) => *base = overrides,
    }
}

/// Diagnoses an event alone.
pub(crate) fn check(overrides: Value) -> Diagnosis {
    check_with(overrides, &[], &[])
}

/// Diagnoses an event with its attempt's other requests and the sign-ins around it.
pub(crate) fn check_with(
    overrides: Value,
    chain: &[SignInEvent],
    nearby: &[SignInEvent],
) -> Diagnosis {
    check_in(Lang::En, overrides, chain, nearby)
}

/// Diagnoses an event, with its attempt and the sign-ins around it, in a language.
pub(crate) fn check_in(
    lang: Lang,
    overrides: Value,
    chain: &[SignInEvent],
    nearby: &[SignInEvent],
) -> Diagnosis {
    let settings = Settings {
        lang,
        ..Settings::default()
    };
    diagnose(
        &event(overrides),
        &Context {
            settings: &settings,
            chain,
            nearby,
        },
    )
}

/// The text of a pattern the diagnosis noted; panics when it is not there.
pub(crate) fn pattern<'a>(d: &'a Diagnosis, id: &str) -> &'a str {
    d.patterns
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.text.as_str())
        .unwrap_or_else(|| panic!("no {id} pattern in {:?}", d.patterns))
}
