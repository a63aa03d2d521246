use super::*;

/// A record's text, where it starts and what held it.
type Record = (String, Position, Container);

/// What a scan found: the records, the problems and the page properties.
type Scanned = (Vec<Record>, Vec<String>, Vec<(String, String)>);

/// Scans `input` through a tiny buffer, so that every chunk boundary case is exercised, and
/// through one that holds it whole, so that records are taken in one pass where they can be
/// ([`quick_close`]): both must find the same.
fn run(input: &str) -> Scanned {
    let careful = run_with(input, 3);
    assert_eq!(run_with(input, 1 << 16), careful, "{input}");
    careful
}

fn run_with(input: &str, buffer: usize) -> Scanned {
    let reader = io::BufReader::with_capacity(buffer, input.as_bytes());
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut props = Vec::new();
    scan(reader, &mut |f| match f {
        Found::Record {
            bytes,
            position,
            container,
        } => records.push((String::from_utf8(bytes).unwrap(), position, container)),
        Found::Problem {
            line,
            record,
            problem,
        } => problems.push(
            crate::import::ImportWarning {
                record,
                line,
                problem,
            }
            .message(crate::Lang::En),
        ),
        Found::PageProperty { key, value } => props.push((key, String::from_utf8(value).unwrap())),
        Found::PageStart => props.push(("<page>".into(), String::new())),
    })
    .unwrap();
    (records, problems, props)
}

#[test]
fn a_bare_array_yields_each_element_with_its_exact_bytes_and_line() {
    let (records, problems, _) =
        run("[\n  {\"id\": \"a\"},\n  {\"id\": \"b\", \"x\": [1, {\"y\": \"}\"}]}\n]\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].0, "{\"id\": \"a\"}");
    assert_eq!(records[1].0, "{\"id\": \"b\", \"x\": [1, {\"y\": \"}\"}]}");
    assert_eq!(
        (records[1].1.record, records[1].1.line, records[1].1.offset),
        (2, 3, 19)
    );
    assert_eq!(records[0].2, Container::Array);
}

#[test]
fn a_graph_page_streams_its_value_list_and_reports_the_next_link() {
    let input = r#"{"@odata.context":"ctx","value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"https://graph/next?$skiptoken=x"}"#;
    let (records, problems, props) = run(input);
    assert!(problems.is_empty(), "{problems:?}");
    let ids: Vec<_> = records.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, [r#"{"id":"a"}"#, r#"{"id":"b"}"#]);
    assert_eq!(
        records[1].1.record, 2,
        "the page itself is not counted as a record"
    );
    assert_eq!(records[0].2, Container::Page);
    let props: Vec<_> = props.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(
        props,
        [
            "<page>=",
            "@odata.context=\"ctx\"",
            "@odata.nextLink=\"https://graph/next?$skiptoken=x\""
        ]
    );
}

#[test]
fn ndjson_and_concatenated_arrays_are_read_in_order() {
    let (records, problems, _) = run("{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
    assert!(problems.is_empty());
    assert_eq!(records.iter().map(|r| r.1.line).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(records[0].2, Container::TopLevel);

    let (records, problems, _) =
        run("[{\"id\":\"a\"}][{\"id\":\"b\"}]\n[\n{\"id\":\"c\"}\n],{\"id\":\"d\"}");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(records.len(), 4);
}

#[test]
fn a_line_with_an_unclosed_text_is_reported_and_the_next_lines_still_import() {
    let (records, problems, _) = run("{\"id\":\"a\"}\n{\"id\":\"b, \"x\": 1}\n{\"id\":\"c\"}\n");
    assert_eq!(
        records.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["{\"id\":\"a\"}", "{\"id\":\"c\"}"]
    );
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("record 2 (line 2)"), "{problems:?}");
    assert_eq!(records[1].1.record, 3);
}

#[test]
fn a_broken_element_inside_a_pretty_array_is_skipped_and_the_rest_imports() {
    let input = "[\n  {\n    \"id\": \"a\n  },\n  {\n    \"id\": \"b\"\n  }\n]\n";
    let (records, problems, _) = run(input);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].0, "{\n    \"id\": \"b\"\n  }");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("record 1 (line 2)"));
}

#[test]
fn a_truncated_file_keeps_what_came_before() {
    let (records, problems, _) = run("[{\"id\":\"a\"},{\"id\":\"b\",\"x\":{");
    assert_eq!(records.len(), 1);
    assert_eq!(
        problems,
        ["record 2 (line 1): the file ends in the middle of it"]
    );
}

#[test]
fn non_record_list_items_are_reported() {
    let (records, problems, _) = run("[{\"id\":\"a\"}, 42, \"x\"]");
    assert_eq!(records.len(), 1);
    assert_eq!(problems.len(), 2);
    assert!(problems[0].contains("a number"));
}

#[test]
fn empty_and_non_json_files_are_errors() {
    let empty = scan(io::Cursor::new("  \n"), &mut |_| {});
    assert!(matches!(empty, Err(ScanError::Empty)));
    let csv = scan(
        io::Cursor::new("\u{feff}Date (UTC),Request ID\n1,2\n"),
        &mut |_| {},
    );
    match csv {
        Err(ScanError::NotJson { first_line }) => assert_eq!(first_line, "Date (UTC),Request ID"),
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn a_whole_object_in_the_buffer_is_taken_in_one_pass_unless_it_needs_care() {
    let record = r#"{"id":"a{[","x":["b\"}",{"c":1}],"d":"\\"} ,"#;
    assert_eq!(quick_close(record.as_bytes(), true), Some(record.len() - 2));
    // Cut short, or with a line break inside a text: the careful reading says what is wrong.
    assert_eq!(quick_close(&record.as_bytes()[..20], true), None);
    assert_eq!(quick_close(b"{\"id\":\"a\nb\"}", false), None);
    assert_eq!(quick_close(b"{\"id\":\"a\\\nb\"}", false), None);
    // A Graph page at the top level holds records; inside a list it is one odd record.
    let page = br#"{"@odata.context":"x","value":[{"id":"a"}]}"#;
    assert_eq!(quick_close(page, true), None);
    assert_eq!(quick_close(page, false), Some(page.len()));
    assert_eq!(quick_close(br#"{"records":[]}"#, true), None);
    assert_eq!(quick_close(br#"{"id":"value"}"#, true), None);
    assert_eq!(quick_close(br#"{"a":{"value":1}}"#, true), Some(17));
}
