#![allow(clippy::unwrap_used)]
//! `signin-doctor report` as an admin runs it: real process, real files, the written report
//! read back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signin-doctor"))
        .args(args)
        .output()
        .expect("signin-doctor runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

struct Demo {
    dir: tempfile::TempDir,
    file: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("demo.json");
        ok(&["demo", "--out", file.to_str().unwrap()]);
        Demo { dir, file }
    }

    fn path(&self) -> &str {
        self.file.to_str().unwrap()
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The search's JSON for some criteria.
    fn search(&self, criteria: &[&str]) -> Value {
        let mut args = vec!["search", self.path(), "--json"];
        args.extend(criteria);
        serde_json::from_str(&ok(&args)).unwrap()
    }
}

fn sample(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/samples")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn a_csv_report_holds_the_sign_ins_the_search_finds() {
    let demo = Demo::new();
    let out = demo.out("failures.csv");
    let said = ok(&[
        "report",
        demo.path(),
        "--status",
        "failure",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    let found = demo.search(&["--status", "failure"]);
    let count = found["count"].as_u64().unwrap() as usize;
    assert!(said.starts_with("wrote "), "{said}");
    assert!(said.contains(&format!("{count} sign-ins")), "{said}");
    let mut csv = csv::Reader::from_path(&out).unwrap();
    let header = csv.headers().unwrap().clone();
    assert_eq!(&header[0], "Date (UTC)");
    let id = header.iter().position(|h| h == "Request ID").unwrap();
    let ids: Vec<String> = csv.records().map(|r| r.unwrap()[id].to_owned()).collect();
    let expected: Vec<&str> = found["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, expected, "the same sign-ins, newest first");
}

#[test]
fn a_redacted_dutch_html_diagnosis_names_nobody() {
    let demo = Demo::new();
    let found = demo.search(&["--user", "chloe", "--status", "failure"]);
    let event = &found["events"][0];
    let id = event["id"].as_str().unwrap();
    let out = demo.out("chloe.html");
    let said = ok(&[
        "report",
        demo.path(),
        "--request-id",
        id,
        "--format",
        "html",
        "--redact",
        "--lang",
        "nl",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains(" geschreven (een diagnose en ") && said.ends_with(", geanonimiseerd)\n"),
        "{said}"
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("Geanonimiseerd om te delen"));
    assert!(html.contains("Gebruiker 1"));
    assert!(html.contains("Wat te doen"));
    for original in [
        event["userDisplayName"].as_str().unwrap(),
        event["userPrincipalName"].as_str().unwrap(),
        event["ipAddress"].as_str().unwrap(),
    ] {
        assert!(
            !html.contains(original),
            "{original} in the redacted report"
        );
    }
    // The request ID is what support needs: it stays.
    assert!(html.contains(id));
}

#[test]
fn a_pdf_report_is_written_and_its_text_can_be_read() {
    let demo = Demo::new();
    let found = demo.search(&["--status", "failure", "--limit", "1"]);
    let id = found["events"][0]["id"].as_str().unwrap();
    let out = demo.out("one.pdf");
    ok(&[
        "report",
        demo.path(),
        "--request-id",
        id,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", out.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("What to do"), "{text}");
    assert!(text.contains(id), "{text}");
}

#[test]
fn a_json_report_goes_to_standard_output_with_dash() {
    let stdout = ok(&[
        "report",
        &sample("graph/beta-signin-list-example-1.json"),
        "--format",
        "json",
        "-o",
        "-",
    ]);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["report"], "signin-doctor");
    assert_eq!(doc["redacted"], false);
    assert!(doc["diagnosis"].is_null());
    assert!(!doc["signIns"].as_array().unwrap().is_empty());
}

#[test]
fn a_diagnosis_for_a_ticket_in_text_and_markdown() {
    let demo = Demo::new();
    let found = demo.search(&["--status", "failure", "--limit", "1"]);
    let id = found["events"][0]["id"].as_str().unwrap();
    let text = ok(&[
        "report",
        demo.path(),
        "--request-id",
        id,
        "--format",
        "text",
        "-o",
        "-",
    ]);
    assert!(text.starts_with("Sign-in problem: "), "{text}");
    assert!(text.contains(&format!("Request ID: {id}")), "{text}");
    let md = ok(&[
        "report",
        demo.path(),
        "--request-id",
        id,
        "--format",
        "markdown",
        "--lang",
        "nl",
        "-o",
        "-",
    ]);
    assert!(md.starts_with("## Aanmeldprobleem: "), "{md}");
    assert!(md.contains(&format!("`{id}`")), "{md}");
    let without = run(&["report", demo.path(), "--format", "text", "-o", "-"]);
    assert_eq!(without.status.code(), Some(2));
}

#[test]
fn a_report_of_an_unknown_request_id_fails_with_1() {
    let demo = Demo::new();
    let out = demo.out("none.html");
    let result = run(&[
        "report",
        demo.path(),
        "--request-id",
        "00000000-0000-0000-0000-000000000000",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("no sign-in with request ID"));
    assert!(!out.exists());
    let bad = run(&["report", demo.path(), "--format", "docx", "-o", "x"]);
    assert_eq!(bad.status.code(), Some(2));
}
