#![allow(clippy::unwrap_used)]
//! The command line as scripts and IT staff use it: real process, real files, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    run_with(args, &[])
}

fn run_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    // English whatever the machine's locale (tests/lang.rs tests the other languages).
    Command::new(env!("CARGO_BIN_EXE_signin-doctor"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(env.iter().copied())
        .output()
        .expect("signin-doctor runs")
}

fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Writes the demo data set to a fresh file and returns its path.
fn demo_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("signin-doctor-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let out = run(&["demo", "--out", path.to_str().unwrap()]);
    assert!(out.status.success());
    path
}

#[test]
fn import_reports_format_records_and_warnings_per_file() {
    let doc = json(&[
        "import",
        "--json",
        &fixture("json/ndjson-damaged.ndjson"),
        &fixture("samples/graph/v1-signin-list-example-1.json"),
    ]);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["format"], "ndjson");
    assert_eq!(files[0]["records"], 4);
    assert_eq!(files[0]["warnings"][0]["line"], 3);
    assert_eq!(files[0]["warnings"][0]["record"], 3);
    assert_eq!(files[1]["format"], "graph-json");
    assert_eq!(files[1]["records"], 1);
    assert!(files[1]["nextLink"].as_str().unwrap().contains("skiptoken"));

    let text =
        String::from_utf8(run(&["import", &fixture("json/ndjson-damaged.ndjson")]).stdout).unwrap();
    assert!(
        text.contains("format:   NDJSON (one sign-in per line)"),
        "{text}"
    );
    assert!(
        text.contains("- record 3 (line 3): a text value is not closed"),
        "{text}"
    );
}

#[test]
fn search_finds_a_users_failures_newest_first() {
    let demo = demo_file("search.json");
    let doc = json(&[
        "search",
        demo.to_str().unwrap(),
        "--user",
        "HUGO",
        "--status",
        "failure",
        "--json",
    ]);
    let events = doc["events"].as_array().unwrap();
    assert_eq!(doc["count"], events.len());
    assert!(
        events.len() >= 10,
        "Hugo's stale password fails again and again"
    );
    let times: Vec<&str> = events
        .iter()
        .map(|e| e["createdDateTime"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    for e in events {
        assert_eq!(e["userPrincipalName"], "hugo.visser@harborpine.example");
        assert_eq!(e["status"], "failure");
        assert!([50126, 50053].contains(&e["errorCode"].as_i64().unwrap()));
        assert!(e["source"]["line"].as_u64().unwrap() > 1);
    }
}

#[test]
fn search_around_one_time_looks_24_hours_either_side() {
    let demo = demo_file("around.json");
    let doc = json(&[
        "search",
        demo.to_str().unwrap(),
        "--around",
        "2026-11-18T12:00:00Z",
        "--json",
    ]);
    let events = doc["events"].as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        let t = e["createdDateTime"].as_str().unwrap();
        assert!(
            ("2026-11-17T12:00:00Z"..="2026-11-19T12:00:00Z").contains(&t),
            "{t}"
        );
    }
    let all = json(&["search", demo.to_str().unwrap(), "--json"]);
    assert!(all["count"].as_u64().unwrap() > doc["count"].as_u64().unwrap());
}

#[test]
fn search_prints_tab_separated_lines_for_scripts() {
    let demo = demo_file("tsv.json");
    let demo = demo.to_str().unwrap();
    let doc = json(&["search", demo, "--user", "hugo", "--json"]);
    let out = run(&["search", demo, "--user", "hugo", "--tsv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "createdDateTime\tid\tcorrelationId\tuserPrincipalName\tappDisplayName\tstatus\terrorCode"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split('\t').collect()).collect();
    let events = doc["events"].as_array().unwrap();
    assert_eq!(rows.len(), events.len());
    for (row, event) in rows.iter().zip(events) {
        assert_eq!(row.len(), 7, "{row:?}");
        assert_eq!(row[0], event["createdDateTime"].as_str().unwrap());
        assert_eq!(row[1], event["id"].as_str().unwrap());
        assert_eq!(row[6], event["errorCode"].to_string());
        assert!(row[3].starts_with("hugo"), "{row:?}");
    }
    assert!(!run(&["search", demo, "--json", "--tsv"]).status.success());
}

#[test]
fn search_prints_a_readable_table() {
    let demo = demo_file("table.json");
    let out = run(&[
        "search",
        demo.to_str().unwrap(),
        "--app",
        "planroom",
        "--limit",
        "1",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("TIME (UTC)"), "{text}");
    assert!(lines[0].contains("REQUEST ID"));
    assert!(
        lines[1].contains("PlanRoom CAD Viewer") && lines[1].contains("50105"),
        "{text}"
    );
    assert!(
        text.contains("1 of 2 sign-ins shown, newest first."),
        "{text}"
    );
}

#[test]
fn show_gives_every_detail_of_one_sign_in() {
    let sample = fixture("samples/graph/beta-signin-list-example-1.json");
    let doc = json(&[
        "show",
        &sample,
        "--request-id",
        "1691D37B-8579-43A7-966A-0F35583C1300",
        "--json",
    ]);
    assert_eq!(doc["status"], "failure");
    assert_eq!(doc["event"]["status"]["errorCode"], 50126);
    assert_eq!(
        doc["event"]["correlationId"],
        "5d295068-919b-4017-85d8-44be2f5f5483"
    );
    assert_eq!(doc["source"]["record"], 1);

    let text = String::from_utf8(
        run(&[
            "show",
            &sample,
            "--request-id",
            "1691d37b-8579-43a7-966a-0f35583c1300",
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        text.starts_with("Sign-in 1691d37b-8579-43a7-966a-0f35583c1300  FAILURE  AADSTS50126"),
        "{text}"
    );
    for heading in [
        "Basic info",
        "Location",
        "Device info",
        "Authentication details",
        "Conditional Access",
        "Additional details",
    ] {
        assert!(
            text.contains(&format!("\n{heading}")),
            "{heading} missing:\n{text}"
        );
    }
}

#[test]
fn bad_input_exits_non_zero_with_a_one_line_reason() {
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["search", "/no/such/file.json"],
            2,
            "signin-doctor: cannot open /no/such/file.json: ",
        ),
        (
            &["import", &fixture("samples/SOURCES.md")],
            2,
            "unrecognised format: the file starts with \"# Where the real sample files come from\"",
        ),
        (
            &[
                "search",
                &fixture("json/ndjson-damaged.ndjson"),
                "--from",
                "last tuesday",
            ],
            2,
            "--from: \"last tuesday\" is not a time",
        ),
        (
            &[
                "show",
                &fixture("json/ndjson-damaged.ndjson"),
                "--request-id",
                "nope",
            ],
            1,
            "no sign-in with request ID nope",
        ),
    ];
    for (args, code, expected) in cases {
        let out = run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        let reason: Vec<&str> = stderr.lines().filter(|l| !l.contains("note:")).collect();
        assert_eq!(reason.len(), 1, "one line: {stderr}");
        assert!(reason[0].contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn a_workspace_keeps_imports_for_later_searches() {
    let dir = std::env::temp_dir().join(format!("signin-doctor-ws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ws = dir.join("team.sqlite");
    let _ = std::fs::remove_file(&ws);
    let ws = ws.to_str().unwrap();
    let doc = json(&[
        "import",
        "--workspace",
        ws,
        "--json",
        &fixture("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv"),
        &fixture("csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv"),
    ]);
    assert_eq!(doc["files"][0]["format"], "portal-csv");
    assert_eq!(doc["files"][1]["format"], "portal-auth-details-csv");
    assert_eq!(doc["files"][1]["authSteps"], 3);
    // A later run finds them without the files.
    let found = json(&["search", "--workspace", ws, "--user", "priya", "--json"]);
    assert_eq!(found["count"], 1);
    let shown = json(&[
        "show",
        "--workspace",
        ws,
        "--request-id",
        "a1f0c0de-0000-4000-8000-000000000102",
        "--json",
    ]);
    let steps = shown["event"]["authenticationDetails"].as_array().unwrap();
    assert_eq!(
        steps.len(),
        2,
        "joined from the authentication-details file"
    );
    // Importing the same file again adds nothing.
    let again = json(&[
        "import",
        "--workspace",
        ws,
        "--json",
        &fixture("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv"),
    ]);
    assert_eq!(
        (
            again["files"][0]["records"].as_u64(),
            again["files"][0]["duplicates"].as_u64()
        ),
        (Some(0), Some(3))
    );
    let out = run(&["show", "--workspace", ws, "--request-id", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("in the workspace"));
}

#[test]
fn every_format_is_recognised_from_the_command_line() {
    let cases = [
        (
            "csv/ApplicationSignIns_2026-11-19_2026-11-20.csv",
            "portal-csv",
        ),
        (
            "samples/log-analytics/sign-in_adelete.csv",
            "log-analytics-csv",
        ),
        ("json/log-analytics-export.json", "log-analytics-json"),
        ("json/PT1H.json", "azure-monitor"),
        (
            "samples/azure-monitor/sign-ins-log-schema-example.json",
            "azure-monitor",
        ),
        ("json/powershell51-single.json", "powershell-json"),
        (
            "samples/graph/beta-signin-list-example-2.json",
            "graph-json",
        ),
        ("json/portal-array-with-bad-records.json", "portal-json"),
        ("json/ndjson-damaged.ndjson", "ndjson"),
    ];
    let files: Vec<String> = cases.iter().map(|(f, _)| fixture(f)).collect();
    let mut args = vec!["import", "--json"];
    args.extend(files.iter().map(String::as_str));
    let doc = json(&args);
    let formats: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, cases.iter().map(|(_, f)| *f).collect::<Vec<_>>());
    assert_eq!(doc["files"][1]["records"], 56);
}

/// The labelled scenario suite: every sign-in is diagnosed through the command line and must
/// get the scenario it was built for (tests/fixtures/scenarios/make_labelled.py).
#[test]
fn every_labelled_sign_in_gets_its_scenario() {
    let file = fixture("scenarios/labelled.json");
    let labels: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(fixture("scenarios/labels.json")).unwrap())
            .unwrap();
    assert!(labels.len() >= 50);
    let mut wrong = Vec::new();
    for (request_id, expected) in &labels {
        let doc = json(&["diagnose", &file, "--request-id", request_id, "--json"]);
        let attempt = &doc[0];
        for key in [
            "requestId",
            "correlationId",
            "verdict",
            "scenario",
            "headline",
            "evidence",
            "actions",
            "ticket",
        ] {
            assert!(!attempt[key].is_null(), "{request_id}: {key} missing");
        }
        if attempt["scenario"] != expected.as_str() {
            wrong.push(format!(
                "{request_id}: expected {expected}, got {} ({})",
                attempt["scenario"], attempt["headline"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let scenarios: std::collections::BTreeSet<&String> = labels.values().collect();
    assert_eq!(scenarios.len(), 26, "every scenario id is in the suite");
}

#[test]
fn explain_reads_codes_and_pasted_errors() {
    let doc = json(&["explain", "AADSTS50011", "--json"]);
    assert_eq!(doc["code"], 50011);
    assert_eq!(doc["entry"]["name"], "InvalidReplyTo");
    assert_eq!(
        doc["link"],
        "https://login.microsoftonline.com/error?code=50011"
    );
    let pasted = "AADSTS53003: Access has been blocked by Conditional Access policies.\nRequest Id: 1691d37b-8579-43a7-966a-0f35583c1300\nCorrelation Id: 5d295068-919b-4017-85d8-44be2f5f5483\nTimestamp: 2026-11-20T08:15:02Z";
    let text = String::from_utf8(run(&["explain", pasted]).stdout).unwrap();
    assert!(
        text.starts_with("AADSTS53003 (BlockedByConditionalAccess)"),
        "{text}"
    );
    assert!(
        text.contains(
            "signin-doctor diagnose EXPORT-FILE --request-id 1691d37b-8579-43a7-966a-0f35583c1300"
        ),
        "{text}"
    );
    let words = json(&["explain", "consent", "--json"]);
    assert!(
        words["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["code"] == 65001)
    );
}

#[test]
fn the_real_samples_each_get_a_sensible_scenario() {
    let cases = [
        (
            "samples/graph/beta-signin-list-example-1.json",
            "1691d37b-8579-43a7-966a-0f35583c1300",
            "invalid-credentials",
        ),
        (
            "samples/azure-monitor/sign-ins-log-schema-example.json",
            "0231f922-93fa-4005-bb11-b344eca03c01",
            "benign-interrupt",
        ),
    ];
    for (file, id, scenario) in cases {
        let doc = json(&["diagnose", &fixture(file), "--request-id", id, "--json"]);
        assert_eq!(doc[0]["scenario"], scenario, "{file}");
    }
    // Every sign-in of every real sample gets a scenario other than the fallback.
    for file in [
        "samples/log-analytics/sign-in_adelete.csv",
        "samples/graph/v1-signin-list-example-1.json",
        "samples/graph/beta-signin-get-example-1.json",
    ] {
        let doc = json(&[
            "diagnose",
            &fixture(file),
            "--user",
            "",
            "--limit",
            "0",
            "--json",
        ]);
        for attempt in doc.as_array().unwrap() {
            assert_ne!(
                attempt["scenario"], "error-code-insight",
                "{file}: {}",
                attempt["headline"]
            );
        }
    }
}

#[test]
fn stats_count_failing_codes_and_blocking_policies() {
    let demo = demo_file("stats.json");
    let demo = demo.to_str().unwrap();
    // What search says, counted by hand.
    let all = json(&["search", demo, "--json"]);
    let mut expected: std::collections::BTreeMap<i64, u64> = Default::default();
    for event in all["events"].as_array().unwrap() {
        let code = event["errorCode"].as_i64().unwrap();
        if code != 0 {
            *expected.entry(code).or_default() += 1;
        }
    }
    let doc = json(&["stats", demo, "--by", "code", "--top", "0", "--json"]);
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        let code: i64 = row["key"].as_str().unwrap().parse().unwrap();
        assert_eq!(row["count"].as_u64().unwrap(), expected[&code], "{code}");
    }
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most first");

    // Text: one "key<TAB>count" line per row; --top cuts.
    let out = run(&["stats", demo, "--top", "3"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert_eq!(
        text.lines().next().unwrap(),
        format!("{}\t{}", rows[0]["key"].as_str().unwrap(), counts[0])
    );

    // Policies: only enforced failures of failed sign-ins, for the criteria given.
    let policies = json(&["stats", demo, "--by", "policy", "--json"]);
    let rows = policies["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "the demo has Conditional Access blocks");
    let outlook = json(&[
        "stats", demo, "--by", "policy", "--app", "Outlook", "--json",
    ]);
    let total = |d: &Value| {
        d["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .sum::<u64>()
    };
    assert!(total(&outlook) <= total(&policies));
}

#[test]
fn searching_files_directly_answers_as_the_workspace_does() {
    let demo = demo_file("direct.json");
    let again = demo_file("direct-again.json");
    let files = [
        demo.to_str().unwrap().to_owned(),
        // Every record a repeat of the first file's.
        again.to_str().unwrap().to_owned(),
        fixture("json/ndjson-damaged.ndjson"),
        fixture("json/two-pages-appended.json"),
        fixture("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv"),
        fixture("csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv"),
        fixture("csv/NonInteractiveSignIns_2026-11-19_2026-11-20.csv"),
    ];
    let dir = tempfile_dir("direct-ws");
    // The demo as NDJSON, large enough to be read in pieces on every core: itself, then
    // itself again (every record a repeat, which must lose), then twice with new request IDs.
    let text = std::fs::read_to_string(&demo).unwrap();
    let records = records_of(&text);
    let mut ndjson = String::new();
    for copy in 0..4 {
        for record in &records {
            let record = if copy >= 2 {
                record.replacen("{\"id\":\"", &format!("{{\"id\":\"copy{copy}-"), 1)
            } else {
                (*record).to_owned()
            };
            ndjson.push_str(&record);
            ndjson.push('\n');
        }
    }
    let ndjson_file = dir.join("demo.ndjson");
    // With a byte-order mark, as Windows tools write.
    std::fs::write(&ndjson_file, format!("\u{feff}{ndjson}")).unwrap();
    let files: Vec<String> = files
        .into_iter()
        .chain([ndjson_file.to_str().unwrap().to_owned()])
        .collect();
    for criteria in [
        vec![],
        vec!["--status", "failure"],
        vec!["--user", "hugo"],
        vec!["--from", "2026-11-19", "--to", "2026-11-19"],
        vec!["--app", "Microsoft", "--limit", "7"],
        vec!["--user", "HUGO.VISSER@", "--status", "failure"],
        vec!["--correlation-id", "6cfbff64-786a-4b5b-af8e-412046468957"],
        vec!["--user", "Hugo Visser", "--app", "microsoft office"],
    ] {
        let mut direct = vec!["search", "--json"];
        direct.extend(files.iter().map(String::as_str));
        direct.extend(&criteria);
        let ws = dir.join(format!("ws-{}.sqlite", criteria.len()));
        let mut stored = vec!["search", "--json", "--workspace", ws.to_str().unwrap()];
        stored.extend(files.iter().map(String::as_str));
        stored.extend(&criteria);
        let (a, b) = (json(&direct), json(&stored));
        // The same files cut into parts read by several threads at once, however small.
        let split = run_with(&direct, &[("SIGNIN_DOCTOR_SPLIT_ABOVE", "1000")]);
        assert!(split.status.success());
        let split: Value = serde_json::from_slice(&split.stdout).unwrap();
        assert_eq!(split["events"], a["events"], "split {criteria:?}");
        assert_eq!(a["count"], b["count"], "{criteria:?}");
        let ids = |d: &Value| {
            d["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b), "{criteria:?}");
        assert_eq!(a["events"], b["events"], "{criteria:?}");
        // Counting straight from the files counts what the workspace counts.
        for by in ["code", "policy"].iter().filter(|_| criteria.len() <= 2) {
            let mut direct = vec!["stats", "--json", "--by", by, "--top", "0"];
            direct.extend(files.iter().map(String::as_str));
            direct.extend(criteria.iter().filter(|c| **c != "--limit" && **c != "7"));
            let mut stored = direct.clone();
            stored.extend(["--workspace", ws.to_str().unwrap()]);
            let counts = json(&direct);
            assert_eq!(counts, json(&stored), "stats by {by} {criteria:?}");
            // Cut into parts, where CSV rows are counted from a quick look at a few cells.
            let split = run_with(&direct, &[("SIGNIN_DOCTOR_SPLIT_ABOVE", "1000")]);
            assert!(split.status.success());
            let split: Value = serde_json::from_slice(&split.stdout).unwrap();
            assert_eq!(split, counts, "split stats by {by} {criteria:?}");
        }
    }
}

/// The records of the demo file, one a line as `demo` writes them, without their commas.
fn records_of(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.trim_end_matches(','))
        .filter(|l| l.starts_with('{'))
        .collect()
}

fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("signin-doctor-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `signin-doctor search … | head`: the reader stops early; the command stops quietly.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.json");
    assert!(
        run(&["demo", "--out", demo.to_str().unwrap()])
            .status
            .success()
    );
    // Whole records as JSON: far more than a pipe holds, so the writing meets the closed end.
    let mut child = Command::new(env!("CARGO_BIN_EXE_signin-doctor"))
        .args(["search", demo.to_str().unwrap(), "--json"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// A large CSV is read in two halves cut at a line end after the middle; when that line end
/// lies inside a quoted cell of many lines (ones that even look like rows), the answers are
/// still the ordinary reading's.
#[test]
fn a_csv_cut_inside_a_quoted_cell_answers_as_read_whole() {
    let mut csv =
        String::from("Date (UTC),Request ID,User,Username,Sign-in error code,Failure reason\n");
    let row = |i: usize, code: u32, reason: &str| {
        format!(
            "2026-11-20T10:{:02}:00Z,req-{i},User {i},user{i}@example.com,{code},{reason}\n",
            i % 60
        )
    };
    for i in 0..20 {
        csv.push_str(&row(i, [0, 50126][i % 2], "plain"));
    }
    // The middle of the file falls inside this cell, whose lines look like rows (its last too,
    // with the closing quote in its last field): only the count of quotes before the cut
    // tells that the cut is wrong.
    let lines: String = (0..400)
        .map(|i| format!("2026-11-20T11:00:00Z,fake-{i},Fake,fake@example.com,50053,x\n"))
        .collect();
    let last = "2026-11-20T11:00:00Z,fake-end,Fake,fake@example.com,50053,x";
    csv.push_str(&row(20, 50126, &format!("\"{lines}{last}\"")));
    for i in 21..40 {
        csv.push_str(&row(i, [0, 50074][i % 2], "plain"));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("InteractiveSignIns_quoted.csv");
    std::fs::write(&file, csv).unwrap();
    let file = file.to_str().unwrap();
    let split = |args: &[&str]| {
        let out = run_with(args, &[("SIGNIN_DOCTOR_SPLIT_ABOVE", "100")]);
        assert!(out.status.success());
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let stats = ["stats", file, "--by", "code", "--json"];
    let whole = json(&stats);
    assert_eq!(split(&stats), whole);
    let count = |code: &str| {
        whole["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"].to_string().contains(code) || r["key"].to_string().contains(code))
            .map(|r| r["count"].as_u64().unwrap())
    };
    assert_eq!(count("50126"), Some(11), "{whole}");
    assert_eq!(
        count("50053"),
        None,
        "the lines inside the cell are no sign-ins: {whole}"
    );
    let search = ["search", file, "--json"];
    assert_eq!(split(&search)["count"], json(&search)["count"]);
    assert_eq!(json(&search)["count"], 40);
}

/// A file of one sign-in a line, read in parts by several threads at once: a damaged line in a
/// later part still costs only itself and is reported once, and a record written over several
/// lines sends the whole file the ordinary way; either way the answers are those of the file
/// read whole.
#[test]
fn a_file_read_in_parts_answers_as_read_whole() {
    let demo = demo_file("parts");
    let text = std::fs::read_to_string(&demo).unwrap();
    let records = records_of(&text);
    let with = |at: usize, change: &dyn Fn(&str) -> String| {
        let mut lines: Vec<String> = records.iter().map(|r| (*r).to_owned()).collect();
        lines[at] = change(&lines[at]);
        lines.join("\n") + "\n"
    };
    let damaged = with(records.len() * 3 / 4, &|r| r[..r.len() / 2].to_owned());
    let spread = with(records.len() * 2 / 3, &|r| {
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(r).unwrap()).unwrap()
    });
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("damaged.ndjson", damaged), ("spread.ndjson", spread)] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let file = file.to_str().unwrap();
        for args in [
            vec!["search", file, "--json", "--status", "failure"],
            vec!["search", file, "--json", "--user", "hugo"],
            vec!["stats", file, "--json", "--by", "code", "--top", "0"],
            vec!["stats", file, "--json", "--by", "policy", "--top", "0"],
        ] {
            let whole = run(&args);
            let parts = run_with(&args, &[("SIGNIN_DOCTOR_SPLIT_ABOVE", "100")]);
            assert!(whole.status.success() && parts.status.success(), "{args:?}");
            let answer: Value = serde_json::from_slice(&whole.stdout).unwrap();
            assert_ne!(
                answer["count"]
                    .as_u64()
                    .or(answer["rows"].as_array().map(|r| r.len() as u64)),
                Some(0),
                "{args:?}"
            );
            assert_eq!(
                serde_json::from_slice::<Value>(&parts.stdout).unwrap(),
                answer,
                "{name} {args:?}"
            );
            assert_eq!(
                String::from_utf8_lossy(&parts.stderr),
                String::from_utf8_lossy(&whole.stderr),
                "{name} {args:?}"
            );
        }
    }
}
