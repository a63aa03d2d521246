//! Properties of the importers over generated input, run with every `cargo test`.

use std::io::Cursor;

use proptest::prelude::*;
use signin_core::{ImportError, import_source, import_stream};

/// A sign-in record with a few awkward values: quotes, commas, line breaks, non-ASCII.
fn record() -> impl Strategy<Value = (String, String, i64)> {
    let text =
        proptest::string::string_regex("[a-zA-Z0-9 ,\"'\\\\\n\té€😀<>{}\\[\\]:]{0,40}").unwrap();
    (text, 0i64..10_000_000)
        .prop_map(|(name, code)| (format!("id-{code}-{}", name.len()), name, code))
}

fn json_record((id, name, code): &(String, String, i64)) -> String {
    serde_json::json!({
        "id": id,
        "createdDateTime": "2026-11-20T08:00:00Z",
        "userDisplayName": name,
        "status": {"errorCode": code, "failureReason": name},
    })
    .to_string()
}

fn unique(records: Vec<(String, String, i64)>) -> Vec<(String, String, i64)> {
    let mut seen = std::collections::HashSet::new();
    records
        .into_iter()
        .filter(|r| seen.insert(r.0.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever layout a tool writes, every record arrives, in order, with its values intact.
    #[test]
    fn every_layout_gives_back_every_record(records in proptest::collection::vec(record(), 1..20), layout in 0..4usize) {
        let records = unique(records);
        let items: Vec<String> = records.iter().map(json_record).collect();
        let text = match layout {
            0 => format!("[{}]", items.join(",")),
            1 => items.join("\n"),
            2 => format!("{{\"value\":[{}],\"@odata.nextLink\":null}}", items.join(",\n  ")),
            _ => items.iter().map(|i| format!("[{i}]")).collect::<Vec<_>>().join("\n"),
        };
        let import = import_stream(Cursor::new(text), "x.json").unwrap();
        prop_assert!(import.warnings.is_empty(), "{:?}", import.warnings);
        let got: Vec<(String, String, i64)> = import
            .records
            .iter()
            .map(|r| (r.event.id.clone(), r.event.user_display_name.clone().unwrap_or_default(), r.event.error_code()))
            .collect();
        prop_assert_eq!(got, records);
    }

    /// A portal CSV row carries any text, commas, quotes and line breaks included.
    #[test]
    fn csv_cells_come_back_as_written(records in proptest::collection::vec(record(), 1..20)) {
        let records = unique(records);
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["Date (UTC)", "Request ID", "User", "Sign-in error code", "Failure reason"]).unwrap();
        for (id, name, code) in &records {
            writer.write_record(["2026-11-20T08:00:00Z", id, name, &code.to_string(), name]).unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let import = import_stream(Cursor::new(bytes), "InteractiveSignIns.csv").unwrap();
        prop_assert!(import.warnings.is_empty(), "{:?}", import.warnings);
        let got: Vec<(String, Option<String>, i64)> = import
            .records
            .iter()
            .map(|r| (r.event.id.clone(), r.event.status.failure_reason.clone(), r.event.error_code()))
            .collect();
        let want: Vec<(String, Option<String>, i64)> = records
            .iter()
            .map(|(id, name, code)| (id.clone(), Some(name.trim().to_owned()).filter(|n| !n.is_empty()), *code))
            .collect();
        prop_assert_eq!(got, want);
    }

    /// A file cut off anywhere keeps every whole record before the cut and never panics.
    #[test]
    fn a_cut_off_file_keeps_what_came_before(records in proptest::collection::vec(record(), 1..10), cut in 0.0f64..1.0) {
        let records = unique(records);
        let text = format!("[\n{}\n]", records.iter().map(json_record).collect::<Vec<_>>().join(",\n"));
        let cut = ((text.len() as f64) * cut) as usize;
        let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        match import_stream(Cursor::new(text[..cut].to_owned()), "x.json") {
            Ok(import) => {
                let got: Vec<&str> = import.records.iter().map(|r| r.event.id.as_str()).collect();
                let want: Vec<&str> = records.iter().take(got.len()).map(|r| r.0.as_str()).collect();
                prop_assert_eq!(got, want, "a prefix of the records, in order");
            }
            Err(ImportError::Empty | ImportError::Unrecognised { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    /// Arbitrary bytes give records, warnings or a clear error; never a panic or a hang.
    #[test]
    fn arbitrary_bytes_never_break_the_importers(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_stream(Cursor::new(bytes.clone()), "x");
        let _ = import_source(Cursor::new(bytes), "x.zip");
    }
}
