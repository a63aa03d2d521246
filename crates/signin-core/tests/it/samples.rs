use serde_json::Value;
use signin_core::Lang;
use signin_core::SourceFormat;

use crate::import;

const SAMPLES: [&str; 8] = [
    "beta-signin-get-example-1.json",
    "beta-signin-get-older-example-1.json",
    "beta-signin-list-example-1.json",
    "beta-signin-list-example-2.json",
    "beta-signin-list-older-example-1.json",
    "beta-signin-list-older-example-2.json",
    "v1-signin-list-example-1.json",
    "v1-signin-list-example-2.json",
];

/// Every property of `raw` appears in `canonical` with the same value. Absent and `null` (or an
/// empty list) count as the same; times are compared as instants; enum text and key names may
/// change case (`MultifactorAuthentication` and `riskLevelDuringsignIn` are written back in
/// Graph's spelling).
fn assert_no_loss(raw: &Value, canonical: &Value, path: &str) {
    match (raw, canonical) {
        (Value::Object(raw), Value::Object(out)) => {
            for (key, value) in raw {
                let here = format!("{path}.{key}");
                let fold = |k: &str| k.replace('_', "").to_ascii_lowercase();
                let kept = out.get(key).or_else(|| {
                    out.iter()
                        .find(|(k, _)| fold(k) == fold(key))
                        .map(|(_, v)| v)
                });
                match kept {
                    Some(kept) => assert_no_loss(value, kept, &here),
                    None => assert!(
                        value.is_null() || value.as_array().is_some_and(Vec::is_empty),
                        "{here} was dropped (it was {value})"
                    ),
                }
            }
        }
        (Value::Array(raw), Value::Array(out)) => {
            assert_eq!(raw.len(), out.len(), "{path}: list length");
            for (i, (a, b)) in raw.iter().zip(out).enumerate() {
                assert_no_loss(a, b, &format!("{path}[{i}]"));
            }
        }
        (Value::String(a), Value::String(b)) => {
            if !a.eq_ignore_ascii_case(b) {
                let ta = signin_core::time::parse_timestamp(a);
                assert!(
                    ta.is_some() && ta == signin_core::time::parse_timestamp(b),
                    "{path}: {a:?} became {b:?}"
                );
            }
        }
        (Value::Number(a), Value::Number(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{path}"),
        (a, b) => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn every_real_graph_sample_imports_one_sign_in_without_loss() {
    for name in SAMPLES {
        let path = format!("samples/graph/{name}");
        let import = import(&path);
        assert_eq!(import.records.len(), 1, "{name}: {:?}", import.warnings);
        let record = &import.records[0];
        let raw: Value = serde_json::from_str(&record.raw).unwrap();
        let canonical = serde_json::to_value(&record.event).unwrap();
        assert_no_loss(&raw, &canonical, name);
        // The only warnings are the repeated keys Microsoft's own examples contain.
        for w in &import.warnings {
            assert!(
                w.message(Lang::En).contains("appears more than once"),
                "{name}: {}",
                w.message(Lang::En)
            );
        }
    }
}

#[test]
fn graph_pages_are_detected_and_their_next_link_is_kept() {
    let page = import("samples/graph/beta-signin-list-example-2.json");
    assert_eq!(page.format, SourceFormat::GraphJson);
    assert!(
        page.next_link
            .as_deref()
            .is_some_and(|l| l.contains("$skiptoken")),
        "{:?}",
        page.next_link
    );
    let single = import("samples/graph/beta-signin-get-example-1.json");
    assert_eq!(single.format, SourceFormat::GraphJson);
    assert!(single.next_link.is_none());
}

#[test]
fn the_failed_beta_sample_reads_as_the_portal_shows_it() {
    let import = import("samples/graph/beta-signin-list-example-1.json");
    let e = &import.records[0].event;
    assert_eq!(e.id, "1691d37b-8579-43a7-966a-0f35583c1300");
    assert_eq!(e.error_code(), 50126);
    assert_eq!(e.outcome(), signin_core::Outcome::Failure);
    assert_eq!(
        e.user_principal_name.as_deref(),
        Some("testaccount1@contoso.com")
    );
    assert_eq!(e.app_display_name.as_deref(), Some("Azure Portal"));
    assert_eq!(
        e.correlation_id.as_deref(),
        Some("5d295068-919b-4017-85d8-44be2f5f5483")
    );
    assert!(!e.authentication_details.is_empty());
    // Three keys repeat; only homeTenantId repeats with a different value, and that is said.
    assert_eq!(import.warnings.len(), 1, "{:?}", import.warnings);
    assert!(
        import.warnings[0]
            .message(Lang::En)
            .contains("\"homeTenantId\" appears more than once")
    );
}

#[test]
fn the_older_schema_keeps_its_unmodelled_properties() {
    let import = import("samples/graph/beta-signin-get-older-example-1.json");
    let e = &import.records[0].event;
    for key in ["conditionalAccessPolicies", "isRisky", "riskLevel"] {
        assert!(e.extra.contains_key(key), "{key} is kept");
    }
    let mfa = e.mfa_detail.as_ref().expect("mfaDetail is read");
    assert!(mfa.extra.contains_key("mfaAuthMethod"), "{:?}", mfa.extra);
}
