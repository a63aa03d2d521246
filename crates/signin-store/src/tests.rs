use std::io::Cursor;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Dataset, Outcome, import_stream};

use super::*;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(path)
}

/// Imports with no cancel and no progress reporting.
fn import_file(ws: &mut Workspace, path: &str) -> Vec<FileOutcome> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let file = std::fs::File::open(fixture(path)).unwrap();
    let cancel = AtomicBool::new(false);
    ws.import(
        file,
        name,
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |_| {},
            interval: Duration::from_secs(60),
        },
    )
}

fn demo_text() -> String {
    demo::generate(&DemoOptions::default())
}

#[test]
fn searches_give_what_the_in_memory_dataset_gives_in_the_same_order() {
    let mut ws = Workspace::in_memory().unwrap();
    let mut dataset = Dataset::default();
    for (name, text) in [("demo.json", demo_text()), ("dup.json", demo_text())] {
        ws.add(
            name,
            import_stream(Cursor::new(text.clone()), name).unwrap(),
        )
        .unwrap();
        dataset.add(name, import_stream(Cursor::new(text), name).unwrap());
    }
    for path in [
        "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv",
        "json/log-analytics-export.json",
    ] {
        assert!(import_file(&mut ws, path)[0].result.is_ok());
        let name = path.rsplit('/').next().unwrap();
        dataset.add(
            name,
            import_stream(std::fs::File::open(fixture(path)).unwrap(), name).unwrap(),
        );
    }
    let t = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let cases = [
        Criteria::default(),
        Criteria {
            user: Some("HUGO".into()),
            ..Criteria::default()
        },
        Criteria {
            user: Some("Priya Raman".into()),
            outcome: Some(Outcome::Failure),
            ..Criteria::default()
        },
        Criteria {
            app: Some("microsoft".into()),
            ..Criteria::default()
        },
        Criteria {
            app: Some("1fec8e78-bce4-4aaf-ab1b-5451cc387264".into()),
            ..Criteria::default()
        },
        Criteria {
            outcome: Some(Outcome::Interrupted),
            ..Criteria::default()
        },
        Criteria::default().around(t("2026-11-18T12:00:00Z")),
        Criteria {
            from: Some(t("2026-11-20T08:00:00Z")),
            to: Some(t("2026-11-20T09:00:00Z")),
            ..Criteria::default()
        },
        Criteria {
            any_id: Some("C0RR0000-0000-4000-8000-000000000101".into()),
            ..Criteria::default()
        },
        Criteria {
            request_id: Some("a1f0c0de-0000-4000-8000-000000000102".into()),
            ..Criteria::default()
        },
    ];
    for criteria in cases {
        let expected: Vec<String> = dataset
            .search(&criteria)
            .iter()
            .map(|s| s.event.id.clone())
            .collect();
        let found = ws.search(&criteria, 0).unwrap();
        let got: Vec<String> = found.events.iter().map(|s| s.event.id.clone()).collect();
        assert_eq!(got, expected, "{criteria:?}");
        assert_eq!(found.total as usize, expected.len());
        assert!(
            !expected.is_empty() || criteria.request_id.is_some(),
            "{criteria:?} should find something"
        );
    }
    let page = ws.search(&Criteria::default(), 10).unwrap();
    assert_eq!(page.events.len(), 10);
    assert_eq!(page.total, ws.len().unwrap());
}

#[test]
fn repeated_request_ids_are_counted_not_stored_twice() {
    let mut ws = Workspace::in_memory().unwrap();
    let first = ws
        .add(
            "a.json",
            import_stream(Cursor::new(demo_text()), "a.json").unwrap(),
        )
        .unwrap();
    let second = ws
        .add(
            "b.json",
            import_stream(Cursor::new(demo_text()), "b.json").unwrap(),
        )
        .unwrap();
    assert!(first.added > 200);
    assert_eq!((second.added, second.duplicates), (0, first.added));
    assert_eq!(ws.len().unwrap(), first.added);
}

#[test]
fn the_workspace_is_there_when_the_app_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/workspace.sqlite");
    {
        let mut ws = Workspace::open(&path).unwrap();
        let outcomes = import_file(&mut ws, "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv");
        let source = outcomes[0].result.as_ref().unwrap();
        assert_eq!((source.added, source.warnings.len()), (3, 1));
    }
    let ws = Workspace::open(&path).unwrap();
    assert_eq!(ws.len().unwrap(), 3);
    let sources = ws.sources().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].format, Some(SourceFormat::PortalCsv));
    assert_eq!(
        sources[0].warnings[0].message,
        "record 3 (line 4): createdDateTime: \"yesterday\" is not a time"
    );
    let hugo = ws
        .get("A1F0C0DE-0000-4000-8000-000000000101")
        .unwrap()
        .unwrap();
    assert_eq!(hugo.event.error_code(), 50126);
    assert_eq!(hugo.source, "InteractiveSignIns_2026-11-19_2026-11-20.csv");
    assert_eq!(hugo.position.line, 2);
    assert!(hugo.raw.contains("\"Application ID \""));
    assert_eq!(
        ws.span().unwrap(),
        Some(("2026-11-20T09:00:00Z".into(), "2026-11-20T08:15:02Z".into()))
    );
}

#[test]
fn a_cancelled_import_leaves_the_workspace_as_it_was_before_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    // Several demo weeks in one array, large enough to report progress along the way.
    let records: Vec<String> = (0..6u64)
        .flat_map(|seed| {
            let text = demo::generate(&DemoOptions {
                seed,
                ..DemoOptions::default()
            });
            let inner = text
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_owned();
            [inner]
        })
        .collect();
    std::fs::write(&path, format!("[{}]", records.join(",\n"))).unwrap();

    let mut ws = Workspace::in_memory().unwrap();
    ws.add(
        "before.json",
        import_stream(Cursor::new(demo_text()), "before.json").unwrap(),
    )
    .unwrap();
    let before = ws.len().unwrap();

    let cancel = AtomicBool::new(false);
    let mut reports = Vec::new();
    let outcomes = ws.import(
        std::fs::File::open(&path).unwrap(),
        "big.json",
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |p| {
                reports.push(p.clone());
                if p.records > 100 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            interval: Duration::ZERO,
        },
    );
    assert!(
        matches!(outcomes[0].result, Err(FileError::Cancelled)),
        "{:?}",
        outcomes[0].result
    );
    assert_eq!(
        ws.len().unwrap(),
        before,
        "nothing of the cancelled file was kept"
    );
    assert_eq!(ws.sources().unwrap().len(), 1);
    assert!(
        reports
            .iter()
            .any(|p| p.records > 100 && p.bytes_read > 0 && p.bytes_total > p.bytes_read)
    );

    // The same file without cancelling imports in full.
    let cancel = AtomicBool::new(false);
    let outcomes = ws.import(
        std::fs::File::open(&path).unwrap(),
        "big.json",
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |_| {},
            interval: Duration::from_secs(1),
        },
    );
    assert!(outcomes[0].result.as_ref().unwrap().added > 1000);
}

#[test]
fn a_file_that_cannot_be_imported_leaves_no_trace() {
    let mut ws = Workspace::in_memory().unwrap();
    let outcomes = import_file(&mut ws, "samples/log-analytics/signinLogs.csv");
    assert!(matches!(
        outcomes[0].result,
        Err(FileError::Import(ImportError::Unrecognised { .. }))
    ));
    assert!(ws.sources().unwrap().is_empty());
    assert!(ws.is_empty().unwrap());
}

#[test]
fn authentication_steps_join_their_sign_ins_whichever_file_comes_first() {
    for order in [
        [
            "csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
            "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv",
        ],
        [
            "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv",
            "csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
        ],
    ] {
        let mut ws = Workspace::in_memory().unwrap();
        for file in order {
            assert!(import_file(&mut ws, file)[0].result.is_ok());
        }
        let priya = ws
            .get("a1f0c0de-0000-4000-8000-000000000102")
            .unwrap()
            .unwrap();
        let methods: Vec<_> = priya
            .event
            .authentication_details
            .iter()
            .filter_map(|d| d.authentication_method.clone())
            .collect();
        assert_eq!(methods, ["Password", "Previously satisfied"], "{order:?}");
    }
}

#[test]
fn clearing_empties_it_and_a_newer_workspace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.sqlite");
    let mut ws = Workspace::open(&path).unwrap();
    ws.add(
        "demo",
        import_stream(Cursor::new(demo_text()), "demo").unwrap(),
    )
    .unwrap();
    ws.clear().unwrap();
    assert!(ws.is_empty().unwrap());
    assert!(ws.sources().unwrap().is_empty());
    ws.conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(ws);
    let err = Workspace::open(&path).unwrap_err();
    assert!(err.to_string().contains("newer Sign-in Doctor"), "{err}");
}

#[test]
fn conditional_access_results_are_stored_per_policy() {
    let mut ws = Workspace::in_memory().unwrap();
    ws.add(
        "demo",
        import_stream(Cursor::new(demo_text()), "demo").unwrap(),
    )
    .unwrap();
    let blocked: i64 = ws
        .conn
        .query_row(
            "SELECT COUNT(*) FROM signin_ca c JOIN ca_policy p ON p.pidx = c.pidx WHERE p.name = 'Block legacy authentication' AND c.result = 'failure'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(blocked, 3, "the demo's three blocked IMAP sign-ins");
    let policies: i64 = ws
        .conn
        .query_row("SELECT COUNT(*) FROM ca_policy", [], |r| r.get(0))
        .unwrap();
    assert_eq!(policies, 7);
}

#[test]
fn pages_of_a_live_fetch_build_one_source_and_survive_a_later_failure() {
    let mut ws = Workspace::in_memory().unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&demo_text()).unwrap();
    let page = |events: &[serde_json::Value]| {
        import_stream(serde_json::to_string(events).unwrap().as_bytes(), "live").unwrap()
    };
    let first = ws
        .add_page(None, "Microsoft Graph: Contoso", page(&all[..30]))
        .unwrap();
    // The second page overlaps the first by ten events (a window boundary).
    let second = ws
        .add_page(Some(first.id), "ignored", page(&all[20..50]))
        .unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.name, "Microsoft Graph: Contoso");
    assert_eq!((second.added, second.duplicates), (50, 10));
    assert_eq!(ws.sources().unwrap().len(), 1);
    // A page that cannot be stored (no such source) changes nothing that was kept.
    assert!(
        ws.add_page(Some(first.id + 99), "x", page(&all[50..60]))
            .is_err()
    );
    assert_eq!(ws.len().unwrap(), 50);
}
