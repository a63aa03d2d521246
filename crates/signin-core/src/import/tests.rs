use super::*;

fn import(text: &str) -> Result<Import, ImportError> {
    import_stream(std::io::Cursor::new(text), "")
}

/// The import's warnings as an English reader sees them.
fn messages(import: &Import) -> Vec<String> {
    import
        .warnings
        .iter()
        .map(|w| w.message(Lang::En))
        .collect()
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
    let messages = messages(&import);
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
fn a_csv_row_that_cannot_be_read_names_its_field_and_the_rest_imports() {
    let text = "Date (UTC),Request ID,User,Sign-in error code\n\
                2026-11-20T08:00:00Z,r1,Hugo,0\n\
                last Tuesday,r2,Hugo,0\n\
                2026-11-20T09:00:00Z,r3,Hugo,50126\n";
    let import = import(text).unwrap();
    let ids: Vec<_> = import.records.iter().map(|r| r.event.id.as_str()).collect();
    assert_eq!(ids, ["r1", "r3"]);
    let messages = messages(&import);
    assert_eq!(
        messages,
        ["record 2 (line 3): createdDateTime: \"last Tuesday\" is not a time"]
    );
}

#[test]
fn invalid_json_inside_a_record_is_reported_at_its_file_line() {
    let text = "{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T08:00:00Z\"}\n{\"id\":\"b\",\"createdDateTime\": tru}\n";
    let import = import(text).unwrap();
    assert_eq!(import.records.len(), 1);
    assert_eq!(import.warnings.len(), 1);
    assert!(
        import.warnings[0]
            .message(Lang::En)
            .starts_with("record 2 (line 2): not valid JSON: "),
        "{:?}",
        import.warnings
    );
    assert!(
        import.warnings[0].message(Lang::En).ends_with("at line 2"),
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
            .message(Lang::En)
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

#[test]
fn the_prefilter_admits_only_records_that_may_match() {
    let filter = Prefilter::new(["Pat.ODonnell@contoso.com", " "].map(str::trim));
    assert!(filter.admits(br#"{"userPrincipalName":"PAT.odonnell@Contoso.com"}"#));
    assert!(!filter.admits(br#"{"userPrincipalName":"patricia.odonnell@contoso.com"}"#));
    // An escape could spell a letter of the word; such records are always read.
    assert!(filter.admits(br#"{"userPrincipalName":"pat.odonnell\u0040contoso.com"}"#));
    assert!(filter.admits("{\"userDisplayName\":\"\u{212A}elvin\"}".as_bytes()));
    // Every word must be there.
    let both = Prefilter::new(["hugo", "outlook"]);
    assert!(both.admits(b"hugo.visser,Outlook Mobile"));
    assert!(!both.admits(b"hugo.visser,Teams"));
    // Words that JSON or CSV may write differently turn the filter off.
    for word in ["o\"brien", "a/b", "c\\d", "Zoë"] {
        assert!(Prefilter::new([word]).admits(b"anything"), "{word}");
    }
    assert!(Prefilter::default().admits(b""));
}

#[test]
fn a_prefiltered_read_keeps_the_matching_records_and_every_scanner_problem() {
    let text = "[{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T08:00:00Z\",\"userPrincipalName\":\"ann@contoso.com\"},\n{\"id\":\"b\",\"createdDateTime\":\"2026-11-20T08:00:00Z\",\"userPrincipalName\":\"bob@contoso.com\"},\n{\"id\":\"c\",\"createdDateTime\":\"2026-11-20T08:00:00Z\",\"userPrincipalName\":\"bob@contoso.com\",]\n]";
    struct Keep(Vec<String>, Vec<ImportWarning>);
    impl ImportSink for Keep {
        fn begin(&mut self, _: &str) {}
        fn item(&mut self, item: Item) {
            if let Item::SignIn(r) = item {
                self.0.push(r.event.id);
            }
        }
        fn end(&mut self, _: &str, outcome: Result<ReadSummary, ImportError>) {
            self.1 = outcome.unwrap().warnings;
        }
    }
    let mut keep = Keep(Vec::new(), Vec::new());
    read_source_where(
        std::io::Cursor::new(text),
        "x.json",
        &Prefilter::new(["BOB@"]),
        &mut keep,
    );
    // The first record is read whatever it holds (it tells what the file is).
    assert_eq!(keep.0, vec!["a", "b"]);
    assert_eq!(
        keep.1.len(),
        1,
        "the broken third record is still reported: {:?}",
        keep.1
    );
}
