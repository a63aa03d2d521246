use super::*;
use serde_json::json;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn lookup_tables_are_sorted_for_binary_search() {
    for table in [KNOWN, STRUCTURED, TEXT_LISTS] {
        assert!(table.windows(2).all(|w| w[0] < w[1]), "{table:?}");
    }
}

#[test]
fn keys_in_any_case_become_graph_names_and_unknown_keys_keep_theirs() {
    assert_eq!(canonical_key("IPAddress"), Some("ipAddress"));
    assert_eq!(
        canonical_key("RiskEventTypes_V2"),
        Some("riskEventTypes_v2")
    );
    assert_eq!(canonical_key("RiskEventTypesV2"), Some("riskEventTypes_v2"));
    assert_eq!(
        canonical_key("riskLevelDuringsignIn"),
        Some("riskLevelDuringSignIn")
    );
    assert_eq!(canonical_key("SomethingNew"), None);
    let out = canonicalise(object(
        json!({"Id": "a", "SomethingNew": 1, "Status": {"ErrorCode": 50126}}),
    ));
    assert_eq!(
        Value::Object(out),
        json!({"id": "a", "SomethingNew": 1, "status": {"errorCode": 50126}})
    );
}

#[test]
fn powershell_property_bags_and_dotnet_dates_are_unfolded() {
    let out = canonicalise(object(json!({
        "CreatedDateTime": "/Date(1700000000000)/",
        "IPAddress": "",
        "IpAddress": "203.0.113.5",
        "AdditionalProperties": {"flaggedForReview": false, "Id": "ignored because Id exists"},
        "Id": "a",
    })));
    assert_eq!(out["createdDateTime"], json!("2023-11-14T22:13:20Z"));
    assert_eq!(
        out["ipAddress"],
        json!("203.0.113.5"),
        "the spelling that has a value wins"
    );
    assert_eq!(out["flaggedForReview"], json!(false));
    assert_eq!(out["id"], json!("a"));
    assert_eq!(
        dotnet_date("/Date(1700000000000+0100)/").as_deref(),
        Some("2023-11-14T22:13:20Z")
    );
    assert_eq!(dotnet_date("not a date"), None);
}

#[test]
fn json_text_is_read_as_the_object_it_holds() {
    let out = canonicalise(object(json!({
        "DeviceDetail": "{\"operatingSystem\":\"Windows 10\"}",
        "RiskEventTypes_V2": "[]",
        "AuthenticationMethodsUsed": "Password",
        "MfaDetail": "",
    })));
    assert_eq!(
        out["deviceDetail"],
        json!({"operatingSystem": "Windows 10"})
    );
    assert_eq!(out["riskEventTypes_v2"], json!([]));
    assert_eq!(out["authenticationMethodsUsed"], json!(["Password"]));
    assert!(!out.contains_key("mfaDetail"), "empty text means absent");
}

#[test]
fn integer_condition_flags_become_graph_names() {
    assert_eq!(condition_names(0), "none");
    assert_eq!(condition_names(3), "application,users");
    assert_eq!(condition_names(1 << 5 | 1 << 3), "location,signInRisk");
    assert_eq!(condition_names(1 << 40), "bit40");
}

#[test]
fn shapes_are_told_apart_by_their_keys() {
    assert_eq!(
        shape_of(&object(json!({"id": "a", "createdDateTime": "x"}))),
        Shape::Graph
    );
    assert_eq!(
        shape_of(&object(json!({"Id": "a", "CreatedDateTime": "x"}))),
        Shape::PowerShell
    );
    assert_eq!(
        shape_of(&object(json!({"TimeGenerated": "x", "Id": "a"}))),
        Shape::LogAnalytics
    );
    assert_eq!(
        shape_of(&object(json!({"TimeGenerated [UTC]": "x"}))),
        Shape::LogAnalytics
    );
    assert_eq!(
        shape_of(&object(
            json!({"operationName": "Sign-in activity", "properties": {"id": "a"}})
        )),
        Shape::AzureMonitor
    );
}

#[test]
fn log_analytics_columns_find_their_graph_places() {
    let out = from_log_analytics(object(json!({
        "TimeGenerated [UTC]": "4/28/2021, 2:08:45.221 PM",
        "CreatedDateTime [UTC]": "4/28/2021, 2:08:45.221 PM",
        "Id": "a",
        "ResultType": "50126",
        "ResultDescription": "Invalid username or password",
        "Location": "IL",
        "LocationDetails_dynamic": "{\"city\":\"Azor\",\"countryOrRegion\":\"IL\"}",
        "LocationDetails_string": "",
        "Status_dynamic": "",
        "Status_string": "{\"errorCode\":50126}",
        "ConditionalAccessPolicies": [{"conditionsSatisfied": 3, "result": "success"}],
        "Category": "NonInteractiveUserSignInLogs",
    })));
    assert_eq!(out["createdDateTime"], json!("4/28/2021, 2:08:45.221 PM"));
    assert_eq!(
        out["location"],
        json!({"city": "Azor", "countryOrRegion": "IL"})
    );
    assert_eq!(
        out["status"],
        json!({"errorCode": 50126, "failureReason": "Invalid username or password"})
    );
    assert_eq!(
        out["appliedConditionalAccessPolicies"][0]["conditionsSatisfied"],
        json!("application,users")
    );
    assert_eq!(out["signInEventTypes"], json!(["nonInteractiveUser"]));
    assert_eq!(
        out["logAnalytics"]["Location"],
        json!("IL"),
        "the country column is kept apart"
    );
    assert_eq!(out["logAnalytics"]["ResultType"], json!("50126"));
}

/// The raw text of every record the import reads from these files under `tests/fixtures`.
fn raw_records(paths: &[&str]) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    paths
        .iter()
        .flat_map(|path| {
            let file = std::fs::File::open(format!("{dir}/{path}")).unwrap();
            crate::import_stream(file, path).unwrap().records
        })
        .map(|record| record.raw.into_string())
        .collect()
}

/// Canonicalising keeps objects that need no rewriting as they are; the result must be what
/// rebuilding every object gives, for every shape of record.
#[test]
fn keeping_canonical_objects_as_they_are_gives_what_rebuilding_gives() {
    let mut objects: Vec<Map<String, Value>> = vec![
        object(json!({"id": "a", "deviceDetail": "{\"browser\": \"Edge\"}", "location": ""})),
        object(json!({"id": "b", "createdDateTime": "/Date(1700000000000)/"})),
        object(json!({"id": "c", "whenever": "/Date(1700000000000+0100)/", "other": "x"})),
        object(json!({"id": "d", "appliedConditionalAccessPolicies": [
            {"id": "p", "conditionsSatisfied": 5, "conditionsNotSatisfied": 0},
            {"id": "q", "conditionsSatisfied": "application"}
        ]})),
        object(json!({"IPAddress": "1.2.3.4", "ipAddress": ""})),
        object(json!({"ipAddress": "", "IpAddress": "5.6.7.8"})),
        object(json!({"id": "e", "AdditionalProperties": {"riskLevel": "low", "id": "other"}})),
        object(json!({"id": "f", "status": {"errorCode": 0, "AdditionalDetails": "x"}})),
        object(json!({"id": "g", "authenticationDetails": [
            {"authenticationStepDateTime": "/Date(1700000000000)/", "succeeded": true},
            "text", 3, null
        ]})),
        object(
            json!({"id": "h", "riskEventTypes": "unfamiliarFeatures", "networkNames": "[\"a\"]"}),
        ),
        object(
            json!({"id": "i", "deviceDetail": {"Browser": "Edge", "deviceId": ""}, "x": {"y": {"Z": 1}}}),
        ),
        object(json!({"id": "j", "userAgent": "Mozilla", "status": {"errorCode": 50126}})),
    ];
    objects.extend(
        raw_records(&[
            "json/powershell51-single.json",
            "json/powershell7-signins.json",
            "json/log-analytics-export.json",
            "json/azure-monitor-records.json",
            "json/hostile-values.json",
            "samples/graph/beta-signin-list-example-1.json",
            "samples/graph/beta-signin-list-older-example-2.json",
            "samples/azure-monitor/sign-ins-log-schema-example.json",
        ])
        .iter()
        .map(|raw| object(serde_json::from_str(raw).unwrap())),
    );
    let mut kept = 0;
    for object in objects {
        kept += usize::from(is_plain(&object));
        let quick = canonicalise(object.clone());
        let rebuilt = canonicalise_as(object.clone(), Keeping::Nothing);
        assert_eq!(
            serde_json::to_string(&quick).unwrap(),
            serde_json::to_string(&rebuilt).unwrap(),
            "{}",
            Value::Object(object)
        );
    }
    assert!(kept > 5, "{kept} records kept as they were");
}

/// The slow reading of one record's text: a generic value, canonicalised, then the sign-in.
fn read_the_full_way(text: &str) -> Option<crate::SignInEvent> {
    use serde::Deserialize;
    let map = object(serde_json::from_str(text).ok()?);
    let shape = shape_of(&map);
    crate::SignInEvent::deserialize(Value::Object(to_canonical(map, shape))).ok()
}

#[test]
fn a_record_in_plain_text_reads_straight_into_the_sign_in_it_reads_to_the_full_way() {
    let mut texts = raw_records(&[
        "json/powershell51-single.json",
        "json/powershell7-signins.json",
        "json/log-analytics-export.json",
        "json/azure-monitor-records.json",
        "json/hostile-values.json",
        "json/portal-array-with-bad-records.json",
        "samples/graph/beta-signin-list-example-1.json",
        "samples/graph/beta-signin-list-older-example-1.json",
        "samples/graph/v1-signin-list-example-2.json",
        "samples/azure-monitor/sign-ins-log-schema-example.json",
    ]);
    let demo = crate::demo::generate(&crate::demo::DemoOptions::default());
    texts.extend(
        crate::import_stream(std::io::Cursor::new(demo), "demo")
            .unwrap()
            .records
            .into_iter()
            .take(300)
            .map(|r| r.raw.into_string()),
    );
    let mut plain = 0;
    for text in &texts {
        if !is_plain_text(text.as_bytes()) {
            continue;
        }
        plain += 1;
        let straight = serde_json::from_str::<crate::SignInEvent>(text).ok();
        assert_eq!(straight, read_the_full_way(text), "{text}");
        assert!(straight.is_some(), "{text}");
    }
    assert!(
        plain > 300,
        "{plain} of {} records in plain text",
        texts.len()
    );
}

#[test]
fn text_that_the_full_reading_would_rewrite_is_not_plain() {
    let base = r#"{"id":"r1","createdDateTime":"2026-11-20T10:00:00Z","status":{"errorCode":0}"#;
    let with = |more: &str| format!("{base}{more}}}");
    assert!(is_plain_text(with("").as_bytes()));
    assert!(is_plain_text(
        with(r#","deviceDetail":{"browser":"Edge"},"somethingNew":[1,"y"],"x":null"#).as_bytes()
    ));
    for rewritten in [
        r#","deviceDetail":"{\"browser\":\"Edge\"}""#,
        r#","location":"""#,
        r#","IPAddress":"1.2.3.4""#,
        r#","AdditionalProperties":{"a":1}"#,
        r#","whenever":"/Date(1700000000000)/""#,
        r#","whenever":"\/Date(1700000000000)\/""#,
        r#","appliedConditionalAccessPolicies":[{"id":"p","conditionsSatisfied":5}]"#,
        r#","id":"r2""#,
        r#","x":1,"x":2"#,
        r#","deviceDetail":{"browser":"a","browser":"b"}"#,
        r#","properties":{"id":"r3"},"category":"SignInLogs""#,
        r#","TimeGenerated":"2026-11-20T10:00:00Z""#,
        r#","Resulttype":"0","Type":"SigninLogs""#,
        r#","we\u0069rd":1"#,
        r#","broken":"#,
    ] {
        assert!(!is_plain_text(with(rewritten).as_bytes()), "{rewritten}");
    }
    let deep = format!("{base},\"x\":{}{}}}", "[".repeat(120), "]".repeat(120));
    assert!(!is_plain_text(deep.as_bytes()));
}
