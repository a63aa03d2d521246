//! The reports as an admin (or the vendor they send one to) gets them: rendered from the demo
//! data and Microsoft's real samples, read back the way a person or program would read them.

use std::path::{Path, PathBuf};

use signin_core::demo::{self, DemoOptions};
use signin_core::diagnose::{self, Diagnosis, Settings};
use signin_core::{Dataset, Lang, Outcome, SignInEvent, import_stream};
use signin_report::{Format, Label, Options, Report};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn events_of(text: &[u8], name: &str) -> Vec<SignInEvent> {
    let import = import_stream(text, name).expect("readable");
    let mut data = Dataset::default();
    data.add(name, import);
    let mut events: Vec<SignInEvent> = data
        .search(&signin_core::Criteria::default())
        .into_iter()
        .map(|s| s.event.clone())
        .collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.created_date_time));
    events
}

fn demo_events() -> Vec<SignInEvent> {
    events_of(
        demo::generate(&DemoOptions::default()).as_bytes(),
        "demo.json",
    )
}

/// Every sign-in of Microsoft's published samples and of the file full of markup.
fn sample_events() -> Vec<SignInEvent> {
    let mut files = Vec::new();
    let samples = repo().join("tests/fixtures/samples");
    for dir in ["graph", "azure-monitor", "log-analytics"] {
        for entry in std::fs::read_dir(samples.join(dir)).expect("samples") {
            files.push(entry.expect("entry").path());
        }
    }
    files.push(repo().join("tests/fixtures/json/hostile-values.json"));
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).expect("sample");
        if let Ok(import) = import_stream(&bytes[..], &file.display().to_string()) {
            all.extend(import.records.into_iter().map(|r| r.event));
        }
    }
    all
}

/// The diagnosis of a failed sign-in among `events`, with its whole attempt, as the app makes it.
fn diagnose_failure(
    events: &[SignInEvent],
    lang: Lang,
    pick: impl Fn(&SignInEvent) -> bool,
) -> Diagnosis {
    let settings = Settings {
        lang,
        ..Settings::default()
    };
    let event = events
        .iter()
        .find(|e| e.outcome() == Outcome::Failure && pick(e))
        .expect("a failed sign-in");
    let chain: Vec<SignInEvent> = events
        .iter()
        .filter(|e| e.correlation_id.is_some() && e.correlation_id == event.correlation_id)
        .cloned()
        .collect();
    diagnose::diagnose(
        event,
        &diagnose::Context {
            settings: &settings,
            chain: &chain,
            nearby: events,
        },
    )
}

fn options(lang: Lang, redact: bool) -> Options {
    Options {
        lang,
        redact,
        generated_at: Some("2026-11-21T09:30:00Z".parse().expect("time")),
    }
}

/// The text of a PDF, as a person copying from it gets it (poppler's `pdftotext`).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/setup.sh) must be installed");
    assert!(out.status.success(), "pdftotext failed on the report");
    String::from_utf8(out.stdout).expect("utf-8 text")
}

/// Every way a value can be written in a report: as it is, HTML-escaped, JSON-escaped, with
/// CSV's doubled quotes.
fn spellings(value: &str) -> Vec<String> {
    let html = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let json = serde_json::to_string(value).expect("json");
    let json = json[1..json.len() - 1].to_owned();
    let csv = value.replace('"', "\"\"");
    vec![value.to_owned(), html, json, csv]
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Fails when any original value is anywhere in any rendering of the redacted report.
fn assert_nothing_survives(events: &[SignInEvent], pick: impl Fn(&SignInEvent) -> bool) {
    let originals = Report::identifying_values(events);
    assert!(
        originals.len() >= 3,
        "the data has people, addresses or devices"
    );
    for lang in Lang::ALL {
        let diagnosis = diagnose_failure(events, lang, &pick);
        let report = Report::new(events, Some(diagnosis), options(lang, true));
        let mut outputs: Vec<(String, String)> = Vec::new();
        for format in [Format::Html, Format::Csv, Format::Json] {
            let bytes = report.render(format).expect("renders");
            outputs.push((format.id().into(), String::from_utf8(bytes).expect("utf-8")));
        }
        outputs.push(("text".into(), report.ticket_text().expect("ticket")));
        outputs.push(("markdown".into(), report.ticket_markdown().expect("ticket")));
        for (name, text) in &outputs {
            for original in &originals {
                for spelling in spellings(original) {
                    assert!(
                        !text.contains(&spelling),
                        "{original:?} survives in the redacted {name} report ({lang:?})"
                    );
                }
            }
        }
        // A PDF's text may be wrapped anywhere: compare without white space.
        let pdf = pdf_text(&report.pdf().expect("pdf"));
        let squeezed = squeeze(&pdf);
        for original in &originals {
            assert!(
                !squeezed.contains(&squeeze(original)),
                "{original:?} survives in the redacted PDF ({lang:?})"
            );
        }
        assert!(
            pdf.contains(Label::Redacted.text(lang)),
            "the PDF says it is redacted"
        );
    }
}

#[test]
fn a_redacted_report_of_the_demo_data_keeps_no_name_address_device_or_tenant() {
    let events = demo_events();
    assert_nothing_survives(&events, |e| {
        e.device_detail
            .as_ref()
            .is_some_and(|d| d.display_name.is_some())
    });
}

#[test]
fn a_redacted_report_of_microsofts_samples_keeps_no_identifying_value() {
    let events = sample_events();
    assert!(events.len() > 5);
    assert_nothing_survives(&events, |_| true);
}

#[test]
fn redaction_gives_one_person_one_pseudonym_and_says_what_it_did() {
    let events = demo_events();
    let diagnosis = diagnose_failure(&events, Lang::En, |e| e.user_display_name.is_some());
    let report = Report::new(&events, Some(diagnosis.clone()), options(Lang::En, true));
    let summary = report.redaction().expect("redacted");
    assert!(summary.users > 1 && summary.ip_addresses > 1 && summary.devices > 0);
    // The diagnosed person is User 1, in the diagnosis and in every row of theirs.
    let original = events
        .iter()
        .find(|e| e.id == diagnosis.request_id)
        .expect("diagnosed sign-in");
    let theirs: Vec<_> = events
        .iter()
        .zip(report.rows())
        .filter(|(e, _)| e.user_id == original.user_id)
        .map(|(_, r)| r)
        .collect();
    assert!(theirs.len() > 1);
    for row in theirs {
        assert_eq!(row.summary.user_display_name.as_deref(), Some("User 1"));
        assert_eq!(
            row.summary.user_principal_name.as_deref(),
            Some("user1@redacted.invalid")
        );
    }
    let html = report.html();
    assert!(html.contains("Redacted for sharing"));
    assert!(html.contains("User 1"));
    let json: serde_json::Value = serde_json::from_str(&report.json()).expect("json");
    assert_eq!(json["redacted"], true);
    assert_eq!(json["redaction"]["users"], summary.users);
    // The portal link to the user would name them: gone.
    assert!(
        report
            .diagnosis()
            .expect("diagnosis")
            .links
            .iter()
            .all(|l| !l.url.contains("userId"))
    );
}

#[test]
fn the_html_report_is_one_self_contained_page_with_every_value_escaped() {
    let mut events = demo_events();
    events.extend(events_of(
        &std::fs::read(repo().join("tests/fixtures/json/hostile-values.json")).expect("fixture"),
        "hostile.json",
    ));
    let diagnosis = diagnose_failure(&events, Lang::En, |e| {
        e.user_principal_name.as_deref() == Some("mallory@evil.example")
    });
    let report = Report::new(&events, Some(diagnosis), options(Lang::En, false));
    let html = report.html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Only the report's own markup: no script, image, frame, link or style sheet from elsewhere.
    const TAGS: &[&str] = &[
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "main", "header", "div",
        "section", "span", "h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td",
        "ol", "ul", "li", "a", "footer",
    ];
    for (i, _) in html.match_indices('<') {
        let name: String = html[i + 1..]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(TAGS.contains(&name.as_str()), "<{name} in the report");
    }
    assert!(!html.contains("url(") && !html.contains("@import"));
    assert!(html.contains("&lt;script&gt;window.__pwned=2&lt;/script&gt;Payroll"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
    // The sections an admin looks for, and the app's look.
    for section in [
        "id=\"diagnosis\"",
        "id=\"evidence\"",
        "id=\"fixes\"",
        "id=\"timeline\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    for heading in ["Evidence", "Timeline", "What to do", "What happened"] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("--accent:#1f62d8"));
    assert!(html.contains("Chloé Martin"), "names print as they are");
}

#[test]
fn a_dutch_report_has_dutch_labels_and_says_so() {
    let events = demo_events();
    let diagnosis = diagnose_failure(&events, Lang::Nl, |_| true);
    let report = Report::new(&events, Some(diagnosis), options(Lang::Nl, false));
    let html = report.html();
    assert!(html.contains("<html lang=\"nl\">"));
    for label in [
        "Bewijs",
        "Tijdlijn",
        "Wat te doen",
        "Aanmeldingen",
        "Mislukt",
    ] {
        assert!(html.contains(label), "{label}");
    }
    let csv = report.csv();
    assert!(csv.starts_with("Datum (UTC),Gebruiker,Gebruikersnaam,"));
    let pdf = pdf_text(&report.pdf().expect("pdf"));
    assert!(pdf.contains("Bewijs") && pdf.contains("Tijdlijn"));
}

#[test]
fn the_csv_has_one_row_per_sign_in_and_cannot_run_formulas() {
    let text = r#"[
      {"id":"r1","createdDateTime":"2026-11-20T08:00:00Z","userDisplayName":"=HYPERLINK(\"http://x.example\")",
       "userPrincipalName":"+a@b.example","appDisplayName":"-App","ipAddress":"@home",
       "status":{"errorCode":50126,"failureReason":"Line one\nline \"two\", with comma"}},
      {"id":"r2","createdDateTime":"2026-11-20T07:00:00Z","userDisplayName":"Zoë Müller","status":{"errorCode":0}}
    ]"#;
    let events = events_of(text.as_bytes(), "formulas.json");
    let report = Report::new(&events, None, options(Lang::En, false));
    let csv = report.csv();
    assert!(csv.contains("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[0], "Date (UTC)");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(&rows[0][col("User")], "'=HYPERLINK(\"http://x.example\")");
    assert_eq!(&rows[0][col("Username")], "'+a@b.example");
    assert_eq!(&rows[0][col("Application")], "'-App");
    assert_eq!(&rows[0][col("IP address")], "'@home");
    assert_eq!(
        &rows[0][col("Failure reason")],
        "Line one\nline \"two\", with comma"
    );
    assert_eq!(&rows[0][col("Error code")], "50126");
    assert_eq!(&rows[0][col("Status")], "Failure");
    assert_eq!(&rows[1][col("User")], "Zoë Müller");
    assert_eq!(&rows[1][col("Request ID")], "r2");
}

#[test]
fn the_json_report_has_its_documented_shape() {
    let events = demo_events();
    let diagnosis = diagnose_failure(&events, Lang::En, |_| true);
    let report = Report::new(&events, Some(diagnosis.clone()), options(Lang::En, false));
    let json: serde_json::Value = serde_json::from_str(&report.json()).expect("json");
    assert_eq!(json["report"], "signin-doctor");
    assert_eq!(json["version"], 1);
    assert_eq!(json["lang"], "en");
    assert_eq!(json["generatedAt"], "2026-11-21T09:30:00Z");
    assert_eq!(json["redacted"], false);
    assert!(json["redaction"].is_null());
    assert_eq!(
        json["diagnosis"]["requestId"],
        diagnosis.request_id.as_str()
    );
    assert_eq!(json["diagnosis"]["scenario"], diagnosis.scenario);
    let rows = json["signIns"].as_array().expect("rows");
    assert_eq!(rows.len(), events.len());
    let first = &rows[0];
    for key in [
        "id",
        "createdDateTime",
        "userDisplayName",
        "userPrincipalName",
        "status",
        "errorCode",
        "ipAddress",
        "userId",
        "deviceName",
        "operatingSystem",
        "conditionalAccessStatus",
    ] {
        assert!(first.get(key).is_some(), "{key} in a row");
    }
    // Without a diagnosis the report is the result set alone.
    let plain = Report::new(&events[..3], None, options(Lang::En, false));
    let json: serde_json::Value = serde_json::from_str(&plain.json()).expect("json");
    assert!(json["diagnosis"].is_null());
    assert_eq!(json["signIns"].as_array().map(Vec::len), Some(3));
}

#[test]
fn the_pdf_holds_the_diagnosis_fixes_timeline_and_names_as_text() {
    let events = demo_events();
    let diagnosis = diagnose_failure(&events, Lang::En, |e| {
        e.user_display_name.as_deref() == Some("Chloé Martin")
    });
    let report = Report::new(&events, Some(diagnosis.clone()), options(Lang::En, false));
    let pdf = report.pdf().expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    let squeezed = squeeze(&text);
    assert!(text.contains("Chloé Martin"), "names with accents survive");
    assert!(squeezed.contains(&squeeze(&diagnosis.headline)));
    assert!(squeezed.contains(&squeeze(&diagnosis.request_id)));
    for heading in ["Evidence", "What to do", "Timeline", "Sign-ins"] {
        assert!(text.contains(heading), "{heading}");
    }
    for action in &diagnosis.actions {
        assert!(squeezed.contains(&squeeze(&action.text)), "{}", action.text);
    }
    // Every sign-in is in it, over as many pages as it takes.
    for e in events.iter().take(40) {
        assert!(squeezed.contains(&squeeze(&e.id)), "{}", e.id);
    }
}

#[test]
fn the_ticket_text_and_markdown_carry_what_support_asks_for() {
    let events = demo_events();
    let diagnosis = diagnose_failure(&events, Lang::En, |_| true);
    let report = Report::new(&events, Some(diagnosis.clone()), options(Lang::En, false));
    let text = report.ticket_text().expect("text");
    assert!(text.starts_with(&format!("Sign-in problem: {}\n", diagnosis.headline)));
    assert!(text.contains(&format!("Request ID: {}", diagnosis.request_id)));
    assert!(text.contains("What to do:"));
    let md = report.ticket_markdown().expect("markdown");
    assert!(md.starts_with("## Sign-in problem: "));
    assert!(md.contains(&format!("- **Request ID:** `{}`", diagnosis.request_id)));
    assert!(md.contains("| Field | Value |"));
    let nl = Report::new(&events, Some(diagnosis), options(Lang::Nl, false));
    assert!(
        nl.ticket_text()
            .expect("text")
            .starts_with("Aanmeldprobleem: ")
    );
    // A result set without a diagnosis has no ticket.
    assert!(
        Report::new(&events, None, options(Lang::En, false))
            .ticket_text()
            .is_none()
    );
}
