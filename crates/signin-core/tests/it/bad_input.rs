//! Input that is not what it claims: each gets a clear message, none a crash or a hang.

use std::io::Cursor;

use signin_core::{ImportError, import_stream};

fn error_of(bytes: Vec<u8>, name: &str) -> String {
    match import_stream(Cursor::new(bytes), name) {
        Ok(import) => panic!("{name} imported {} records", import.records.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn empty_and_blank_files_say_they_are_empty() {
    assert_eq!(error_of(Vec::new(), "empty.json"), "the file is empty");
    assert_eq!(
        error_of(b" \r\n\t\n".to_vec(), "blank.csv"),
        "the file is empty"
    );
    assert_eq!(
        error_of(b"\xEF\xBB\xBF".to_vec(), "bom-only.csv"),
        "the file is empty"
    );
}

#[test]
fn binary_files_are_named_as_such() {
    let png = [
        &[
            0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d,
        ][..],
        &[7u8; 500][..],
    ]
    .concat();
    let message = error_of(png, "picture.json");
    assert!(
        message.starts_with("this is binary data, not a sign-in export; supported formats are "),
        "{message}"
    );
}

#[test]
fn a_50_mb_single_line_is_refused_with_a_short_message() {
    let line = vec![b'x'; 50 * 1024 * 1024];
    let message = error_of(line, "one-line.txt");
    assert!(
        message.starts_with("unrecognised format: the file starts with \"xxxxxxxx"),
        "{}",
        &message[..80]
    );
    assert!(
        message.len() < 600,
        "the message quotes the start of the file, not all of it"
    );
}

#[test]
fn a_50_mb_record_on_one_line_still_imports() {
    let padding = "a".repeat(50 * 1024 * 1024);
    let text = format!(
        r#"[{{"id":"big","createdDateTime":"2026-11-20T08:00:00Z","userAgent":"{padding}"}}]"#
    );
    let import = import_stream(Cursor::new(text), "big.json").unwrap();
    assert_eq!(
        import.records[0].event.user_agent.as_ref().map(String::len),
        Some(padding.len())
    );
}

#[test]
fn text_in_a_legacy_encoding_is_read_not_garbled() {
    // Windows PowerShell 5.1 `Export-Csv` writes the ANSI code page: é is one byte, 0xE9.
    let csv = b"Date (UTC),Request ID,User\r\n2026-11-20T08:00:00Z,r1,Chlo\xE9 Martin\r\n".to_vec();
    let import = import_stream(Cursor::new(csv), "InteractiveSignIns.csv").unwrap();
    assert_eq!(
        import.records[0].event.user_display_name.as_deref(),
        Some("Chloé Martin")
    );
}

#[test]
fn a_zip_archive_inside_a_stream_and_a_broken_zip_are_explained() {
    let err = import_stream(Cursor::new(b"PK\x03\x04garbage".to_vec()), "inner.zip").unwrap_err();
    assert!(matches!(err, ImportError::NestedArchive), "{err}");
    let members =
        signin_core::import_source(Cursor::new(b"PK\x03\x04garbage".to_vec()), "broken.zip");
    assert_eq!(members.len(), 1);
    let message = members[0].1.as_ref().unwrap_err().to_string();
    assert!(
        message.starts_with("the zip archive cannot be read"),
        "{message}"
    );
}
