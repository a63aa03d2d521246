use super::{glance, leading_id};
use crate::import::read_stream;
use crate::search::SearchFields;
use crate::{Item, SignInEvent};

/// The full reading of one record.
fn full(record: &str) -> Option<SignInEvent> {
    let mut out = None;
    read_stream(record.as_bytes(), "t.json", &mut |item| {
        if let Item::SignIn(r) = item {
            out = Some(r.event);
        }
    })
    .ok()?;
    out
}

/// A glance, where it answers, says what the full reading says.
fn agrees(record: &str) -> bool {
    let Some(g) = glance(record.as_bytes()) else {
        return false;
    };
    let e = full(record).expect("the full reading accepts what a glance accepts");
    assert_eq!(g.request_id(), SearchFields::request_id(&e), "{record}");
    assert_eq!(g.created(), e.created(), "{record}");
    assert_eq!(g.error_code(), SearchFields::error_code(&e), "{record}");
    assert_eq!(g.correlation_id(), e.correlation_id(), "{record}");
    assert_eq!(g.original_request_id(), e.original_request_id(), "{record}");
    assert_eq!(g.user_principal_name(), e.user_principal_name(), "{record}");
    assert_eq!(g.user_display_name(), e.user_display_name(), "{record}");
    assert_eq!(g.user_id(), e.user_id(), "{record}");
    assert_eq!(g.app_display_name(), e.app_display_name(), "{record}");
    assert_eq!(g.app_id(), e.app_id(), "{record}");
    true
}

const GRAPH: &str = r#"{"id":"e11bfe48-84e4-48d6-984a-bb13d1194459","createdDateTime":"2025-10-30T23:58:57Z","userDisplayName":"Zoë Müller","userPrincipalName":"zoe.muller@contoso.com","userId":"bb8e67aa","appId":"29d9ed98","appDisplayName":"Microsoft Teams","ipAddress":"203.0.113.9","correlationId":"c0ffee00","isInteractive":true,"riskEventTypes":[],"status":{"errorCode":53003,"failureReason":"Blocked by Conditional Access.","additionalDetails":null},"deviceDetail":{"deviceId":"","isCompliant":false},"location":{"city":"Delft","geoCoordinates":{"altitude":null,"latitude":52.01,"longitude":4.35e0}},"appliedConditionalAccessPolicies":[{"id":"p1","displayName":"CA003","enforcedGrantControls":["Block"],"result":"failure"}]}"#;

#[test]
fn a_graph_record_is_read_as_the_full_reading_reads_it() {
    assert!(agrees(GRAPH));
    assert_eq!(glance(GRAPH.as_bytes()).unwrap().error_code, 53003);
    // White space anywhere JSON allows it, missing and null fields, success.
    assert!(agrees(
        "  {\"id\" : \"r2\" ,\r\n \"createdDateTime\":\"2025-10-01T08:00:00.1234567+02:00\", \"userId\": null, \"status\": {} }\t"
    ));
    assert!(agrees(
        r#"{"id":"r3","createdDateTime":"2025-10-01T08:00:00Z"}"#
    ));
    assert!(agrees(
        r#"{"id":"r4","createdDateTime":"2025-10-01T08:00:00Z","status":{"errorCode":null}}"#
    ));
    // Escapes in text a search does not read.
    assert!(agrees(
        r#"{"id":"r5","createdDateTime":"2025-10-01T08:00:00Z","status":{"errorCode":50140,"failureReason":"the \"Stay signed in?\" prompt \\ \/ \n \u00e9 \ud83d\ude00"}}"#
    ));
}

#[test]
fn anything_the_full_reading_might_read_differently_is_left_to_it() {
    for record in [
        // Another spelling of a read field (PowerShell), and an unknown property.
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","UserPrincipalName":"a@b.c"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","somethingNew":1}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","AdditionalProperties":{}}"#,
        // A read field twice.
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","appId":"a","appId":"b"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","status":{"errorCode":1,"errorCode":2}}"#,
        // Escapes, control characters, PowerShell times, text for objects, odd numbers.
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","userDisplayName":"Pat O\u0027Donnell"}"#,
        "{\"id\":\"r\",\"createdDateTime\":\"2025-10-01T08:00:00Z\",\"userDisplayName\":\"a\tb\"}",
        r#"{"id":"r","createdDateTime":"/Date(1700000000000)/"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","status":"{\"errorCode\":0}"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","status":{"errorCode":"50126"}}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","status":{"errorCode":5.0e4}}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","status":null}"#,
        // Not a sign-in the full reading accepts, or not JSON.
        r#"{"id":" ","createdDateTime":"2025-10-01T08:00:00Z"}"#,
        r#"{"id":"r","createdDateTime":"yesterday"}"#,
        r#"{"id":"r"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","location":{"city":"x",}}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","isInteractive":tru}"#,
        // Escapes serde refuses, even in text a search does not read.
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","ipAddress":"\x"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","ipAddress":"\ud83d"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","ipAddress":"\ude00"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","ipAddress":"\u12G4"}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","riskEventTypes":[01]}"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z"} {"#,
        r#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z""#,
    ] {
        assert!(glance(record.as_bytes()).is_none(), "{record}");
    }
    // Invalid UTF-8 inside text.
    let mut bad =
        br#"{"id":"r","createdDateTime":"2025-10-01T08:00:00Z","userDisplayName":"#.to_vec();
    bad.extend_from_slice(b"\"a\xC3(\"}");
    assert!(glance(&bad).is_none());
}

#[test]
fn every_record_of_the_demo_and_the_samples_agrees_where_a_glance_answers() {
    let demo = crate::demo::generate(&crate::demo::DemoOptions::default());
    let lines: Vec<&str> = demo
        .lines()
        .map(|l| l.trim_end_matches(','))
        .filter(|l| l.starts_with('{'))
        .collect();
    let answered = lines.iter().filter(|l| agrees(l)).count();
    // The demo writes Graph's own shape, so a glance answers for all of it.
    assert_eq!(answered, lines.len());

    // Microsoft's published samples in every shape: where a glance answers, it agrees.
    let samples =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/samples");
    let mut files = vec![samples];
    let mut records = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&path).unwrap())
        else {
            continue;
        };
        let list = match value {
            serde_json::Value::Array(items) => items,
            serde_json::Value::Object(mut page) => match page.remove("value") {
                Some(serde_json::Value::Array(items)) => items,
                _ => vec![serde_json::Value::Object(page)],
            },
            _ => continue,
        };
        for record in list {
            let text = serde_json::to_string(&record).unwrap();
            if full(&text).is_some() {
                records += 1;
                agrees(&text);
            }
        }
    }
    assert!(records >= 5, "the samples hold sign-ins ({records})");
}

#[test]
fn the_leading_id_is_read_only_from_a_plain_first_key() {
    assert_eq!(
        leading_id(GRAPH.as_bytes()),
        Some("e11bfe48-84e4-48d6-984a-bb13d1194459")
    );
    assert_eq!(leading_id(br#"{"createdDateTime":"x","id":"a"}"#), None);
    assert_eq!(leading_id(br#"{"id":"a\"b"}"#), None);
    assert_eq!(leading_id(br#"{"id":" "}"#), None);
}
