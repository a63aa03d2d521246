use super::*;
use crate::import::{SourceFormat, import_stream};
use std::collections::BTreeSet;

#[test]
fn the_same_options_give_the_same_bytes() {
    let options = DemoOptions::default();
    assert_eq!(generate(&options), generate(&options));
    let other = DemoOptions {
        seed: 7,
        ..DemoOptions::default()
    };
    assert_ne!(generate(&options), generate(&other));
}

#[test]
fn the_demo_imports_cleanly_as_a_portal_array_of_a_few_hundred_sign_ins() {
    let import =
        import_stream(std::io::Cursor::new(generate(&DemoOptions::default())), "").unwrap();
    assert_eq!(import.format, SourceFormat::PortalJson);
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    let n = import.records.len();
    assert!((200..=600).contains(&n), "{n} sign-ins");
    let ids: BTreeSet<_> = import.records.iter().map(|r| r.event.id.as_str()).collect();
    assert_eq!(ids.len(), n, "request IDs are unique");
    let options = DemoOptions::default();
    let start = options.end - Duration::days(options.days);
    assert!(
        import
            .records
            .iter()
            .all(|r| r.event.created_date_time >= start && r.event.created_date_time < options.end)
    );
    let times: Vec<_> = import
        .records
        .iter()
        .map(|r| r.event.created_date_time)
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first, like a portal download"
    );
}

#[test]
fn the_demo_covers_the_common_failures() {
    let import =
        import_stream(std::io::Cursor::new(generate(&DemoOptions::default())), "").unwrap();
    let codes: BTreeSet<i64> = import
        .records
        .iter()
        .map(|r| r.event.error_code())
        .collect();
    for code in [
        0, 16000, 50011, 50020, 50053, 50055, 50057, 50058, 50072, 50074, 50105, 50126, 50140,
        53000, 53003, 65001, 81010, 500121, 7000215, 7000222,
    ] {
        assert!(codes.contains(&code), "demo lacks AADSTS{code}");
    }
    // Blocks name the policy that blocked them.
    let blocked = import
        .records
        .iter()
        .find(|r| r.event.error_code() == 53003)
        .unwrap();
    assert!(
        blocked
            .event
            .applied_conditional_access_policies
            .iter()
            .any(|p| {
                p.result == Some(crate::model::PolicyResult::Failure)
                    && p.enforced_grant_controls == ["Block"]
            })
    );
}
