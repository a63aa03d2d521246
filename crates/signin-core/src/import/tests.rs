use super::*;

fn import(text: &str) -> Result<Import, ImportError> {
    import_stream(std::io::Cursor::new(text), "")
}

#[test]
fn a_bad_record_becomes_a_warning_with_its_position_and_the_rest_imports() {
    let text = "[\n{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T08:00:00Z\"},\n\
                {\"id\":\"b\",\"createdDateTime\":\"2026-11-20T08:00:00Z\",\"status\":{\"errorCode\":\"oops\"}},\n\
                {\"id\":\"c\",\"createdDateTime\":\"not a time\"},\n\
                {\"id\":\"d\",\"createdDateTime\":\"2026-11-20T09:00:00Z\"}\n]";
    let import = import(text).unwrap();
    let ids: Vec<_> = import.records.iter().map(|r| r.event.id.as_str()).collect();
    assert_eq!(ids, ["a", "d"]);
    assert_eq!(import.format, SourceFormat::PortalJson);
    let messages: Vec<_> = import.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "record 2 (line 3): status.errorCode: expected a whole number, found \"oops\"",
            "record 3 (line 4): createdDateTime: \"not a time\" is not a time",
        ]
    );
    assert_eq!(import.warnings[0].record, Some(2));
    assert_eq!(import.records[1].position.line, 5);
}

#[test]
fn invalid_json_inside_a_record_is_reported_at_its_file_line() {
    let text = "{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T08:00:00Z\"}\n{\"id\":\"b\",\"createdDateTime\": tru}\n";
    let import = import(text).unwrap();
    assert_eq!(import.records.len(), 1);
    assert_eq!(import.warnings.len(), 1);
    assert!(
        import.warnings[0]
            .message
            .starts_with("record 2 (line 2): not valid JSON: "),
        "{:?}",
        import.warnings
    );
    assert!(
        import.warnings[0].message.ends_with("at line 2"),
        "{:?}",
        import.warnings
    );
}

#[test]
fn the_raw_text_of_each_record_is_kept_exactly() {
    let text = "[{\"id\":\"a\", \"createdDateTime\":\"2026-11-20T08:00:00Z\", \"x\" : 1}]";
    let import = import(text).unwrap();
    assert_eq!(
        &*import.records[0].raw,
        "{\"id\":\"a\", \"createdDateTime\":\"2026-11-20T08:00:00Z\", \"x\" : 1}"
    );
}

#[test]
fn repeated_keys_keep_the_last_value_and_say_so() {
    let text = "[{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T08:00:00Z\",\"homeTenantId\":\"one\",\"homeTenantId\":\"two\"}]";
    let import = import(text).unwrap();
    assert_eq!(
        import.records[0].event.home_tenant_id.as_deref(),
        Some("two")
    );
    assert_eq!(import.warnings.len(), 1);
    assert!(
        import.warnings[0]
            .message
            .contains("\"homeTenantId\" appears more than once")
    );
}

#[test]
fn files_that_are_not_sign_ins_get_a_clear_error() {
    let err = import("Name,Size\nreport.pdf,1200\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("unrecognised format: the file starts with \"Name,Size\""),
        "{err}"
    );
    assert!(err.to_string().contains("NDJSON") && err.to_string().contains("Entra portal CSV"));
    let header_only = import("Date (UTC),Request ID\n").unwrap();
    assert_eq!(
        (header_only.format, header_only.records.len()),
        (SourceFormat::PortalCsv, 0)
    );
    assert!(matches!(
        import("\u{7f}ELF\u{2}\u{1}\u{1}\u{0}\u{0}"),
        Err(ImportError::Binary)
    ));
    let err = import("[workspace]\nmembers = []\n").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unrecognised format: the file starts with \"[workspace]\""),
        "{err}"
    );

    let err = import("[{\"name\":\"x\",\"size\":1}]").unwrap_err();
    assert_eq!(
        err.to_string(),
        "this JSON does not hold sign-in events: its first record has \"name\", \"size\" but no \"id\" or \"createdDateTime\""
    );

    let err = import("{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges\"}}")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "this is an error response from Microsoft Graph, not sign-in data: Authorization_RequestDenied: Insufficient privileges"
    );
    assert!(matches!(import("\n"), Err(ImportError::Empty)));
}

#[test]
fn an_empty_graph_page_is_a_valid_file_with_no_records() {
    let import = import("{\"@odata.context\":\"x\",\"value\":[]}").unwrap();
    assert_eq!(import.format, SourceFormat::GraphJson);
    assert!(import.records.is_empty());
    assert!(import.warnings.is_empty());
}
