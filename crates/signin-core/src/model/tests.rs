use super::*;
use serde_json::json;

fn parse(value: Value) -> SignInEvent {
    serde_json::from_value(value).expect("record parses")
}

#[test]
fn unknown_properties_are_kept_at_every_level_and_written_back() {
    let event = parse(json!({
        "id": "a1",
        "createdDateTime": "2026-11-20T08:00:00Z",
        "brandNewProperty": {"x": 1},
        "status": {"errorCode": 0, "statusSequence": 7},
        "deviceDetail": {"browser": "Edge 130", "futureFlag": true}
    }));
    assert_eq!(event.extra["brandNewProperty"], json!({"x": 1}));
    assert_eq!(event.status.extra["statusSequence"], json!(7));
    let out = serde_json::to_value(&event).unwrap();
    assert_eq!(out["brandNewProperty"], json!({"x": 1}));
    assert_eq!(out["status"]["statusSequence"], json!(7));
    assert_eq!(out["deviceDetail"]["futureFlag"], json!(true));
}

#[test]
fn enum_members_graph_adds_later_are_kept_as_text() {
    let event = parse(json!({
        "id": "a1",
        "createdDateTime": "2026-11-20T08:00:00Z",
        "conditionalAccessStatus": "partiallyApplied",
        "userType": "Member",
        "appliedConditionalAccessPolicies": [{"id": "p", "result": "reportOnlySomethingNew"}]
    }));
    assert_eq!(
        event.conditional_access_status,
        Some(ConditionalAccessStatus::Other("partiallyApplied".into()))
    );
    assert_eq!(event.user_type, Some(UserType::Member));
    assert_eq!(
        event.applied_conditional_access_policies[0].result,
        Some(PolicyResult::Other("reportOnlySomethingNew".into()))
    );
}

#[test]
fn numbers_written_as_text_and_null_lists_are_accepted() {
    let event = parse(json!({
        "id": "a1",
        "createdDateTime": "2026-11-20T08:00:00.1234567+01:00",
        "status": {"errorCode": "50126"},
        "appliedConditionalAccessPolicies": null,
        "isInteractive": "True",
        "autonomousSystemNumber": "8075"
    }));
    assert_eq!(event.error_code(), 50126);
    assert!(event.applied_conditional_access_policies.is_empty());
    assert_eq!(event.is_interactive, Some(true));
    assert_eq!(event.autonomous_system_number, Some(8075));
    assert_eq!(
        event.created_date_time.to_rfc3339(),
        "2026-11-20T07:00:00.123456700+00:00"
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_an_error_not_a_guess() {
    let result = serde_json::from_value::<SignInEvent>(json!({
        "id": "a1",
        "createdDateTime": "2026-11-20T08:00:00Z",
        "status": {"errorCode": "bad password"}
    }));
    assert!(result.unwrap_err().to_string().contains("whole number"));
    let missing_time = serde_json::from_value::<SignInEvent>(json!({"id": "a1"}));
    assert!(
        missing_time
            .unwrap_err()
            .to_string()
            .contains("createdDateTime")
    );
}

#[test]
fn outcome_follows_the_portal_status() {
    assert_eq!(Outcome::of_error_code(0), Outcome::Success);
    assert_eq!(Outcome::of_error_code(50126), Outcome::Failure);
    assert_eq!(Outcome::of_error_code(53003), Outcome::Failure);
    assert_eq!(Outcome::of_error_code(50074), Outcome::Interrupted);
    assert_eq!(Outcome::of_error_code(50140), Outcome::Interrupted);
    assert_eq!(
        Outcome::of_error_code(51006),
        Outcome::Interrupted,
        "known without a catalogue entry"
    );
    assert!(
        OTHER_INTERRUPT_CODES.windows(2).all(|w| w[0] < w[1]),
        "sorted for binary search"
    );
    assert_eq!(Outcome::from_name("Failure"), Some(Outcome::Failure));
    assert_eq!(Outcome::from_name("broken"), None);
}

#[test]
fn location_text_reads_like_the_portal() {
    let event = parse(json!({
        "id": "a1",
        "createdDateTime": "2026-11-20T08:00:00Z",
        "location": {"city": "Redmond", "state": "Washington", "countryOrRegion": "US"}
    }));
    assert_eq!(
        event.location_text().as_deref(),
        Some("Redmond, Washington, US")
    );
}
