use signin_core::Lang;
use signin_core::{Criteria, Dataset, Outcome, SourceFormat};

use crate::import;

#[test]
fn concatenated_pages_from_an_appending_tool_import_in_full() {
    let import = import("json/two-pages-appended.json");
    assert_eq!(import.format, SourceFormat::GraphJson);
    assert_eq!(import.records.len(), 3);
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    assert_eq!(import.next_link, None, "the last page has no next link");
}

#[test]
fn ndjson_with_a_damaged_line_keeps_every_good_line() {
    let import = import("json/ndjson-damaged.ndjson");
    assert_eq!(import.format, SourceFormat::Ndjson);
    let ids: Vec<_> = import.records.iter().map(|r| r.event.id.as_str()).collect();
    assert_eq!(ids, ["r-1", "r-2", "r-4", "r-5"]);
    let messages: Vec<_> = import
        .warnings
        .iter()
        .map(|w| (w.line, w.message(Lang::En)))
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].0, 3);
    assert!(
        messages[0]
            .1
            .starts_with("record 3 (line 3): a text value is not closed"),
        "{messages:?}"
    );
}

#[test]
fn a_portal_array_with_bad_records_names_each_and_imports_the_rest() {
    let import = import("json/portal-array-with-bad-records.json");
    assert_eq!(import.format, SourceFormat::PortalJson);
    assert_eq!(import.records.len(), 2);
    let messages: Vec<_> = import
        .warnings
        .iter()
        .map(|w| w.message(Lang::En))
        .collect();
    assert_eq!(
        messages,
        [
            "record 2 (line 11): the record cannot be read: missing field `createdDateTime`",
            "record 3 (line 15): deviceDetail.isCompliant: expected true or false, found \"perhaps\"",
        ]
    );
}

#[test]
fn the_same_request_id_from_two_files_is_kept_once() {
    let mut dataset = Dataset::default();
    dataset.add("a.json", import("json/two-pages-appended.json"));
    let second = dataset.add("b.json", import("json/two-pages-appended.json"));
    assert_eq!((second.added, second.duplicates), (0, 3));
    assert_eq!(dataset.len(), 3);
    let failures = dataset.search(&Criteria {
        outcome: Some(Outcome::Failure),
        ..Criteria::default()
    });
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].event.id, "p1-b");
    assert!(
        dataset.get("P1-B").is_some(),
        "request IDs match ignoring case"
    );
}
