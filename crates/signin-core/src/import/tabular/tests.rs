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

/// The full reading of one portal row, as an import reads it: `None` when it refuses the row.
fn read_in_full(layout: &Layout, row: &csv::StringRecord) -> Option<crate::SignInEvent> {
    use serde::Deserialize;
    let object = Value::Object(portal_row_in(layout, row, None));
    crate::SignInEvent::deserialize(object)
        .ok()
        .filter(|event| !event.id.trim().is_empty())
}

/// What a quick look should have seen in `event`.
fn seen_in(event: &crate::SignInEvent) -> crate::import::glance::Glance<'_> {
    crate::import::glance::Glance {
        id: &event.id,
        created: event.created_date_time,
        error_code: event.error_code(),
        correlation_id: event.correlation_id.as_deref(),
        original_request_id: event.original_request_id.as_deref(),
        user_principal_name: event.user_principal_name.as_deref(),
        user_display_name: event.user_display_name.as_deref(),
        user_id: event.user_id.as_deref(),
        app_display_name: event.app_display_name.as_deref(),
        app_id: event.app_id.as_deref(),
    }
}

/// Reads `text` (a CSV file) and checks every row: where the quick look answers, the full
/// reading accepts the row and reads the same fields. Returns (rows the full reading accepts,
/// rows the quick look read).
fn quick_agrees_in(text: &str) -> (usize, usize) {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = csv.records().map(Result::unwrap);
    let headers: Vec<String> = rows
        .next()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let layout = Layout::new(&headers);
    let Some(quick) = Quick::new(&layout) else {
        return (0, 0);
    };
    let (mut accepted, mut glanced) = (0, 0);
    for row in rows {
        accepted += usize::from(read_in_full(&layout, &row).is_some());
        let Some(glance) = quick.glance(&row) else {
            continue;
        };
        glanced += 1;
        let event = read_in_full(&layout, &row).unwrap_or_else(|| {
            panic!("the full reading refuses a row the quick look read: {row:?}")
        });
        assert_eq!(glance, seen_in(&event), "{row:?}");
    }
    (accepted, glanced)
}

#[test]
fn a_quick_look_at_portal_rows_reads_what_the_full_reading_reads() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/csv");
    for name in [
        "InteractiveSignIns_2026-11-19_2026-11-20.csv",
        "NonInteractiveSignIns_2026-11-19_2026-11-20.csv",
        "ApplicationSignIns_2026-11-19_2026-11-20.csv",
        "MSISignIns_2026-11-19_2026-11-20.csv",
        "InteractiveSignIns_fr.csv",
        "older-44-columns.csv",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
        // Every row the full reading accepts, the quick look can read (one row of the
        // first file has a time no reading understands).
        let (accepted, glanced) = quick_agrees_in(&text);
        assert!(
            accepted > 0 && glanced == accepted,
            "{name}: {glanced} of {accepted} rows read quickly"
        );
    }
}

#[test]
fn the_quick_look_leaves_to_the_full_reading_every_cell_it_could_refuse() {
    // Every portal column, with cells of every kind: where the full reading refuses the row,
    // the quick look must not answer; where both answer, they agree.
    let cells = [
        "",
        "  ",
        "abc",
        "12",
        "-7",
        "1.5",
        "1e3",
        "true",
        "FALSE",
        "Yes",
        "no",
        "None",
        "2026-11-20T10:00:00Z",
        "2026-13-45",
        "11/20/2026 10:00:00 AM",
        "99999999999999999999999",
        "Delft, Zuid-Holland, NL",
        "Not Applied",
    ];
    let mut refused = 0;
    for column in PORTAL_COLUMNS {
        for cell in cells {
            let (headers, row) = match column.path {
                ["createdDateTime"] => (vec![column.header, "Request ID"], vec![cell, "r1"]),
                ["id"] => (
                    vec!["Date (UTC)", column.header],
                    vec!["2026-11-20T10:00:00Z", cell],
                ),
                _ => (
                    vec!["Date (UTC)", "Request ID", column.header],
                    vec!["2026-11-20T10:00:00Z", "r1", cell],
                ),
            };
            let layout = Layout::new(&headers.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
            let row = csv::StringRecord::from(row);
            let full = read_in_full(&layout, &row);
            refused += usize::from(full.is_none());
            let glance = Quick::new(&layout).and_then(|quick| quick.glance(&row));
            match (&full, glance) {
                (Some(event), Some(glance)) => assert_eq!(glance, seen_in(event)),
                (None, Some(_)) => panic!(
                    "{:?} = {cell:?}: the quick look answers, the full reading refuses",
                    column.header
                ),
                _ => {}
            }
        }
    }
    assert!(
        refused > 20,
        "the cells try the full reading's refusals: {refused}"
    );
}

#[test]
fn the_quick_look_stays_out_of_files_whose_columns_leave_doubt() {
    let quick = |list: &[&str]| Quick::new(&Layout::new(&headers(list))).is_some();
    assert!(quick(&["Date (UTC)", "Request ID", "Username", "Status"]));
    // Two columns for the time: the full reading takes the first with a value.
    assert!(!quick(&["Date (UTC)", "Request ID", "Date"]));
    assert!(!quick(&[
        "Date (UTC)",
        "Request ID",
        "Username",
        " username"
    ]));
    // A column without a portal meaning that is named like a property becomes that property.
    assert!(!quick(&["Date (UTC)", "Request ID", "userPrincipalName"]));
    assert!(!quick(&["Date (UTC)", "Request ID", "isInteractive"]));
    // No request ID column: every row is for the full reading to refuse.
    assert!(!quick(&["Date (UTC)", "User"]));
}
