use super::*;
use serde_json::json;

fn headers(list: &[&str]) -> Vec<String> {
    list.iter().map(|h| (*h).to_owned()).collect()
}

#[test]
fn headers_are_matched_by_name_whatever_the_spacing_case_or_language() {
    assert_eq!(fold_header("\u{feff}Application ID "), "application id");
    assert_eq!(
        fold_header("Autonomous system  number"),
        "autonomous system number"
    );
    assert_eq!(
        portal_column("Autonomous system  number").map(|c| c.path),
        Some(&["autonomousSystemNumber"][..])
    );
    assert_eq!(
        portal_column("Nom d'utilisateur").map(|c| c.path),
        Some(&["userPrincipalName"][..])
    );
    assert_eq!(
        portal_column("Motivo del error").map(|c| c.path),
        Some(&["status", "failureReason"][..])
    );
    assert!(portal_column("Something else").is_none());
}

#[test]
fn the_header_row_tells_which_export_it_is() {
    assert_eq!(
        table_of(&headers(&["Date (UTC)", "Request ID", "User", "Username"])),
        Some(Table::Portal)
    );
    assert_eq!(
        table_of(&headers(&[
            "Request ID",
            "Date",
            "Authentication method",
            "Succeeded"
        ])),
        Some(Table::PortalAuthDetails)
    );
    assert_eq!(
        table_of(&headers(&["TenantId", "TimeGenerated [UTC]", "Id"])),
        Some(Table::LogAnalytics)
    );
    assert_eq!(
        table_of(&headers(&["ResultType", "CorrelationId"])),
        Some(Table::LogAnalytics)
    );
    assert_eq!(
        table_of(&headers(&["StartTime [UTC]", "IPAddress", "Type"])),
        None
    );
    assert_eq!(table_of(&headers(&["Name", "Size"])), None);
}

#[test]
fn display_text_becomes_graph_spelling() {
    assert_eq!(camel_words("Not Applied"), "notApplied");
    assert_eq!(
        camel_words("Single-factor authentication"),
        "singleFactorAuthentication"
    );
    assert_eq!(
        camel_words("Multifactor authentication"),
        "multiFactorAuthentication"
    );
    assert_eq!(camel_words("success"), "success");
}

#[test]
fn a_portal_row_fills_nested_objects_and_keeps_unmodelled_columns() {
    let h = headers(&[
        "Date (UTC)",
        "Request ID",
        "Location",
        "Sign-in error code",
        "Compliant",
        "Incoming token type",
        "Incoming token type",
        "Status",
        "Brand new column",
    ]);
    let row = csv::StringRecord::from(vec![
        "2026-11-20T08:00:00Z",
        "r1",
        "Delft, Zuid-Holland, NL",
        "50126",
        "True",
        "none",
        "refreshToken",
        "Failure",
        "x",
    ]);
    let out = portal_row(&h, &row, Some("nonInteractiveUser"));
    assert_eq!(
        out["location"],
        json!({"city": "Delft", "state": "Zuid-Holland", "countryOrRegion": "NL"})
    );
    assert_eq!(out["status"], json!({"errorCode": "50126"}));
    assert_eq!(out["deviceDetail"], json!({"isCompliant": "True"}));
    assert_eq!(out["incomingTokenType"], json!("none"));
    assert_eq!(
        out["Incoming token type"],
        json!("refreshToken"),
        "the repeated column is kept"
    );
    assert_eq!(out["Status"], json!("Failure"));
    assert_eq!(out["Brand new column"], json!("x"));
    assert_eq!(out["signInEventTypes"], json!(["nonInteractiveUser"]));
}

#[test]
fn file_names_tell_which_log_a_portal_file_holds() {
    assert_eq!(
        event_type_of_file_name("InteractiveSignIns_2025-01-01_2025-01-02.csv"),
        Some("interactiveUser")
    );
    assert_eq!(
        event_type_of_file_name("x/NonInteractiveSignIns_2025.csv"),
        Some("nonInteractiveUser")
    );
    assert_eq!(
        event_type_of_file_name("C:\\exports\\ApplicationSignIns_2025.csv"),
        Some("servicePrincipal")
    );
    assert_eq!(
        event_type_of_file_name("MSISignIns_2025.csv"),
        Some("managedIdentity")
    );
    assert_eq!(event_type_of_file_name("mine.csv"), None);
}

#[test]
fn the_layout_gives_the_same_rows_and_raw_text_as_working_each_cell_out() {
    use super::{Layout, portal_row, portal_row_in, raw_row, raw_row_in};
    let headers: Vec<String> = [
        "Date (UTC)",
        "Request ID",
        "Incoming token type",
        "Incoming token type",
        " Application ID ",
        "Something new",
        "Location",
    ]
    .map(String::from)
    .to_vec();
    let layout = Layout::new(&headers);
    for cells in [
        vec![
            "2026-11-20T10:00:00Z",
            "r1",
            "a",
            "b",
            "app",
            "x \"quoted\", \\ \u{e9}",
            "Delft, NL",
        ],
        vec!["2026-11-20T10:00:00Z", "r2"],
        vec![
            "2026-11-20T10:00:00Z",
            "r3",
            "",
            "",
            "",
            "",
            "",
            "extra",
            "more",
        ],
    ] {
        let row = csv::StringRecord::from(cells);
        assert_eq!(raw_row_in(&layout, &row), raw_row(&headers, &row));
    }
    let row = csv::StringRecord::from(vec![
        "2026-11-20T10:00:00Z",
        "r1",
        "a",
        "b",
        " app ",
        "x",
        "Delft, NL",
    ]);
    let out = portal_row_in(&layout, &row, None);
    assert_eq!(out["appId"], "app");
    assert_eq!(out["Something new"], "x");
    assert_eq!(
        out["Incoming token type"], "b",
        "the repeated column keeps its header"
    );
    assert_eq!(out["location"]["city"], "Delft");
    // The old entry point still works the same way.
    assert_eq!(portal_row(&headers, &row, None), out);
}
