use std::io::Cursor;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Dataset, Lang, Outcome, import_stream};

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

/// A time written in RFC 3339, as UTC.
fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn demo_text() -> String {
    demo::generate(&DemoOptions::default())
}

/// Checks that the workspace's newest `limit` (all when 0) for `criteria`, and its total, are
/// what the same sign-ins read in memory give, in the same order; returns the total.
fn assert_searches_as(
    ws: &Workspace,
    dataset: &Dataset,
    criteria: &Criteria,
    limit: usize,
) -> usize {
    let all = dataset.search(criteria);
    let take = if limit == 0 { all.len() } else { limit };
    let expected: Vec<&str> = all.iter().take(take).map(|s| s.event.id.as_str()).collect();
    let found = ws.search(criteria, limit).unwrap();
    let got: Vec<&str> = found.events.iter().map(|s| s.event.id.as_str()).collect();
    assert_eq!(got, expected, "{criteria:?}");
    assert_eq!(found.total as usize, all.len(), "{criteria:?}");
    all.len()
}

/// The definitions of the workspace's indexes, by name.
fn index_sql(ws: &Workspace) -> Vec<String> {
    ws.conn
        .prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A workspace in memory holding the demo week, as source `name`.
fn with_demo(name: &str) -> Workspace {
    let mut ws = Workspace::in_memory().unwrap();
    ws.add(name, import_stream(Cursor::new(demo_text()), name).unwrap())
        .unwrap();
    ws
}

/// Demo weeks (one per seed) as one portal JSON array.
fn weeks_text(seeds: std::ops::Range<u64>) -> String {
    let weeks: Vec<String> = seeds
        .map(|seed| {
            demo::generate(&DemoOptions {
                seed,
                ..DemoOptions::default()
            })
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim()
            .to_owned()
        })
        .collect();
    format!("[{}]", weeks.join(",\n"))
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
    let t = utc;
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
        let total = assert_searches_as(&ws, &dataset, &criteria, 0);
        assert!(
            total > 0 || criteria.request_id.is_some(),
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
    // Kept by message key, so they read in whichever language the reader has chosen.
    assert_eq!(
        sources[0].warnings[0].message(Lang::En),
        "record 3 (line 4): createdDateTime: \"yesterday\" is not a time"
    );
    assert_eq!(
        sources[0].warnings[0].message(Lang::Nl),
        "record 3 (regel 4): veld createdDateTime: \"yesterday\" is not a time"
    );
    drop(ws);
    // A workspace written before warnings were kept by key still shows them, as recorded.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE source SET warnings = '[[3, 4, \"record 3 (line 4): old words\"]]'",
            [],
        )
        .unwrap();
    let ws = Workspace::open(&path).unwrap();
    let old = &ws.sources().unwrap()[0].warnings[0];
    assert_eq!((old.record, old.line), (Some(3), 4));
    assert_eq!(old.message(Lang::Nl), "record 3 (line 4): old words");
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
    std::fs::write(&path, weeks_text(0..6)).unwrap();
    let mut ws = with_demo("before.json");
    let before = ws.len().unwrap();
    let all_indexes = index_sql(&ws);
    // The file adds more than the workspace holds: its import builds the indexes at its end.
    assert!(before < DEFER_AT_LEAST);

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
    assert_eq!(
        index_sql(&ws),
        all_indexes,
        "the indexes are back as they were"
    );

    // The same file without cancelling imports in full.
    let cancel = AtomicBool::new(false);
    let mut reports = Vec::new();
    let outcomes = ws.import(
        std::fs::File::open(&path).unwrap(),
        "big.json",
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |p| reports.push(p.clone()),
            interval: Duration::from_secs(1),
        },
    );
    let added = outcomes[0].result.as_ref().unwrap().added;
    assert!(added > 1000);
    assert_eq!(index_sql(&ws), all_indexes, "every index is built again");
    assert!(
        reports.iter().any(|p| p.indexing),
        "the building of the indexes is reported"
    );
    assert!(
        reports
            .iter()
            .skip_while(|p| !p.indexing)
            .all(|p| p.indexing && p.records == added),
        "after every sign-in was read"
    );
    // A file that adds fewer sign-ins keeps the indexes up to date as it goes.
    let mut small = Workspace::in_memory().unwrap();
    let mut reports = Vec::new();
    let outcomes = small.import(
        Cursor::new(demo_text()),
        "week.json",
        ImportControl {
            cancel: &AtomicBool::new(false),
            on_progress: &mut |p| reports.push(p.clone()),
            interval: Duration::ZERO,
        },
    );
    assert!(outcomes[0].result.is_ok());
    assert!(!reports.is_empty() && !reports.iter().any(|p| p.indexing));

    // Cancelled while its indexes are built, a file is rolled back like any other.
    let mut fresh = Workspace::in_memory().unwrap();
    let cancel = AtomicBool::new(false);
    let outcomes = fresh.import(
        std::fs::File::open(&path).unwrap(),
        "big.json",
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |p| {
                if p.indexing {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            interval: Duration::from_secs(1),
        },
    );
    assert!(matches!(outcomes[0].result, Err(FileError::Cancelled)));
    assert!(fresh.is_empty().unwrap());
    assert!(fresh.sources().unwrap().is_empty());
    assert_eq!(
        index_sql(&fresh),
        all_indexes,
        "its indexes are as they were"
    );

    // And the workspace answers as the same sign-ins read in memory do.
    let mut dataset = Dataset::default();
    dataset.add(
        "before.json",
        import_stream(Cursor::new(demo_text()), "before.json").unwrap(),
    );
    dataset.add(
        "big.json",
        import_stream(std::fs::File::open(&path).unwrap(), "big.json").unwrap(),
    );
    for criteria in [
        Criteria {
            user: Some("hugo".into()),
            ..Criteria::default()
        },
        Criteria {
            app: Some("microsoft".into()),
            ..Criteria::default()
        },
        Criteria {
            outcome: Some(Outcome::Failure),
            ..Criteria::default()
        },
    ] {
        assert_searches_as(&ws, &dataset, &criteria, 25);
    }
}

/// Reads like `inner` until `after` bytes, then panics (a bug in a parser, say).
struct Breaks<R> {
    inner: R,
    after: u64,
}

impl<R: std::io::Read> std::io::Read for Breaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        assert!(self.after > 0, "a reader that breaks halfway");
        let room = buf.len().min(self.after as usize);
        let n = self.inner.read(&mut buf[..room])?;
        self.after -= n as u64;
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Breaks<R> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn an_import_that_panics_halfway_leaves_the_workspace_as_it_was_and_usable() {
    let mut ws = with_demo("before.json");
    let before = ws.len().unwrap();
    let all_indexes = index_sql(&ws);
    // Six weeks, so that the indexes are set aside before the reader breaks.
    let text = weeks_text(10..16);
    let half = text.len() as u64 * 9 / 10;
    let mut records = 0;
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ws.import(
            Breaks {
                inner: Cursor::new(text.into_bytes()),
                after: half,
            },
            "weeks.json",
            ImportControl {
                cancel: &AtomicBool::new(false),
                on_progress: &mut |p| records = p.records,
                interval: Duration::ZERO,
            },
        )
    }));
    assert!(unwound.is_err(), "the panic reaches the caller");
    assert!(
        records > DEFER_AT_LEAST,
        "{records} sign-ins were written first"
    );
    assert!(ws.conn.is_autocommit(), "no transaction is left open");
    assert_eq!(ws.len().unwrap(), before);
    assert_eq!(index_sql(&ws), all_indexes);
    // And the next import works.
    let outcomes = import_file(&mut ws, "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv");
    assert!(outcomes[0].result.is_ok(), "{:?}", outcomes[0].result);
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
fn conditional_access_failures_are_stored_per_policy_and_the_rest_left_to_the_record() {
    let mut ws = Workspace::in_memory().unwrap();
    let demo = import_stream(Cursor::new(demo_text()), "demo").unwrap();
    let failures: Vec<(String, String)> = demo
        .records
        .iter()
        .flat_map(|r| {
            r.event
                .applied_conditional_access_policies
                .iter()
                .filter(|p| p.result == Some(PolicyResult::Failure))
                .map(|p| {
                    (
                        r.event.id.clone(),
                        p.display_name.clone().unwrap_or_default(),
                    )
                })
        })
        .collect();
    ws.add("demo", demo).unwrap();
    let blocked: i64 = ws
        .conn
        .query_row(
            "SELECT COUNT(*) FROM ca_failure c JOIN ca_policy p ON p.pidx = c.pidx WHERE p.name = 'Block legacy authentication'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(blocked, 3, "the demo's three blocked IMAP sign-ins");
    let rows: i64 = ws
        .conn
        .query_row("SELECT COUNT(*) FROM ca_failure", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows as usize,
        failures.len(),
        "one row per failure, no other result"
    );
    let policies: i64 = ws
        .conn
        .query_row("SELECT COUNT(*) FROM ca_policy", [], |r| r.get(0))
        .unwrap();
    let failing: std::collections::BTreeSet<_> = failures.iter().map(|(_, p)| p).collect();
    assert_eq!(
        policies as usize,
        failing.len(),
        "only the policies that failed a sign-in"
    );
    let hugo = ws
        .search(
            &Criteria {
                user: Some("hugo".into()),
                ..Criteria::default()
            },
            1,
        )
        .unwrap();
    assert!(
        hugo.events[0]
            .event
            .applied_conditional_access_policies
            .iter()
            .any(|p| p.result == Some(PolicyResult::NotApplied)),
        "the record still lists them"
    );
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

/// The tables of version 1, which kept both texts of a sign-in as plain text.
const SCHEMA_V1: &str = "
CREATE TABLE source (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    format      TEXT,
    imported_at TEXT NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    auth_steps  INTEGER NOT NULL DEFAULT 0,
    warnings    TEXT NOT NULL,
    next_link   TEXT
);
-- One row per sign-in. The *_key columns are trimmed, lower-case copies for searching.
CREATE TABLE signin (
    rid                  INTEGER PRIMARY KEY,
    request_id           TEXT NOT NULL,
    request_key          TEXT NOT NULL UNIQUE,
    created_at           INTEGER NOT NULL,  -- nanoseconds since 1970, UTC
    upn_key              TEXT,
    name_key             TEXT,
    user_id_key          TEXT,
    app_name_key         TEXT,
    app_id_key           TEXT,
    correlation_key      TEXT,
    original_request_key TEXT,
    outcome              INTEGER NOT NULL,  -- 0 success, 1 interrupted, 2 failure
    error_code           INTEGER NOT NULL,
    event_type           TEXT,
    source_id            INTEGER NOT NULL REFERENCES source(id),
    record               INTEGER NOT NULL,
    line                 INTEGER NOT NULL,
    offset               INTEGER NOT NULL,
    event                TEXT NOT NULL,     -- the canonical record (Graph beta JSON)
    raw                  TEXT NOT NULL      -- the record exactly as in its file
);
CREATE INDEX signin_time ON signin (created_at);
CREATE INDEX signin_upn ON signin (upn_key);
CREATE INDEX signin_name ON signin (name_key);
CREATE INDEX signin_user_id ON signin (user_id_key);
CREATE INDEX signin_app_name ON signin (app_name_key);
CREATE INDEX signin_app_id ON signin (app_id_key);
CREATE INDEX signin_correlation ON signin (correlation_key);
CREATE INDEX signin_original ON signin (original_request_key);
CREATE INDEX signin_outcome ON signin (outcome, created_at);
-- Conditional Access: each policy once, and its result for each sign-in.
CREATE TABLE ca_policy (
    pidx      INTEGER PRIMARY KEY,
    policy_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (policy_id, name)
);
CREATE TABLE signin_ca (
    rid    INTEGER NOT NULL REFERENCES signin(rid),
    pidx   INTEGER NOT NULL REFERENCES ca_policy(pidx),
    result TEXT,
    PRIMARY KEY (rid, pidx)
) WITHOUT ROWID;
CREATE INDEX signin_ca_policy ON signin_ca (pidx, result);
-- Authentication steps whose sign-in has not been imported yet.
CREATE TABLE pending_step (
    request_key TEXT NOT NULL,
    step        TEXT NOT NULL
);
CREATE INDEX pending_step_request ON pending_step (request_key);
";

/// Several demo weeks: more sign-ins than a dictionary waits for.
fn demo_weeks(weeks: u64) -> Vec<signin_core::import::ImportedRecord> {
    (0..weeks)
        .flat_map(|seed| {
            let text = demo::generate(&DemoOptions {
                seed,
                ..DemoOptions::default()
            });
            import_stream(Cursor::new(text), "demo").unwrap().records
        })
        .collect()
}

#[test]
fn a_large_import_learns_a_dictionary_and_every_sign_in_reads_back_exactly() {
    let records = demo_weeks(2);
    assert!(records.len() > packed::TRAIN_AFTER, "{}", records.len());
    let json = serde_json::to_string(
        &records
            .iter()
            .map(|r| serde_json::from_str::<serde_json::Value>(&r.raw).unwrap())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let mut ws = Workspace::in_memory().unwrap();
    ws.add("weeks", import_stream(Cursor::new(json), "weeks").unwrap())
        .unwrap();
    let dicts: Vec<i64> = ws
        .conn
        .prepare("SELECT DISTINCT dict FROM signin_body")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        dicts.len(),
        1,
        "every sign-in packed with the one dictionary"
    );
    assert_ne!(dicts[0], 0);
    let stored: i64 = ws
        .conn
        .query_row("SELECT SUM(LENGTH(body)) FROM signin_body", [], |r| {
            r.get(0)
        })
        .unwrap();
    let plain: usize = records.iter().map(|r| r.raw.len()).sum();
    assert!(
        (stored as usize) < plain / 3,
        "both texts take less than a third of the raw text alone ({stored} of {plain})"
    );
    // Read back in one search; the first record of each request ID is the one stored.
    let mut first = HashMap::new();
    for record in &records {
        first.entry(key(&record.event.id)).or_insert(record);
    }
    let all = ws.search(&Criteria::default(), 0).unwrap();
    assert_eq!(all.events.len(), first.len());
    for back in &all.events {
        let record = first[&key(&back.event.id)];
        assert_eq!(back.raw, *record.raw);
        assert_eq!(
            serde_json::to_string(&back.event).unwrap(),
            serde_json::to_string(&record.event).unwrap()
        );
    }
    // A second import uses the dictionary straight away.
    ws.add(
        "again",
        import_stream(Cursor::new(demo_text()), "demo").unwrap(),
    )
    .unwrap();
    let dictionaries: i64 = ws
        .conn
        .query_row("SELECT COUNT(*) FROM dictionary", [], |r| r.get(0))
        .unwrap();
    assert_eq!(dictionaries, 1);
}

#[test]
fn a_workspace_of_the_previous_version_is_packed_and_reads_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    let records = demo_weeks(1);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "BEGIN; {SCHEMA_V1} PRAGMA user_version = 1; COMMIT;"
        ))
        .unwrap();
        conn.execute(
            "INSERT INTO source (name, imported_at, warnings) VALUES ('demo.json', '2026-11-21T00:00:00Z', '[]')",
            [],
        )
        .unwrap();
        for (i, record) in records.iter().enumerate() {
            let keys = schema::Keys::of(&record.event);
            conn.execute(
                "INSERT OR IGNORE INTO signin (request_id, request_key, created_at, upn_key, name_key,
                 user_id_key, app_name_key, app_id_key, correlation_key, original_request_key,
                 outcome, error_code, event_type, source_id, record, line, offset, event, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, ?14, 0, ?15, ?16)",
                rusqlite::params![
                    record.event.id,
                    key(&record.event.id),
                    keys.created_at,
                    keys.upn,
                    keys.name,
                    keys.user_id,
                    keys.app_name,
                    keys.app_id,
                    keys.correlation,
                    keys.original_request,
                    keys.outcome,
                    record.event.error_code(),
                    keys.event_type,
                    i as i64 + 1,
                    serde_json::to_string(&record.event).unwrap(),
                    &*record.raw,
                ],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO ca_policy (policy_id, name) VALUES ('p1', 'Block legacy authentication');
             INSERT INTO signin_ca (rid, pidx, result) VALUES (1, 1, 'failure');
             INSERT INTO ca_policy (policy_id, name) VALUES ('p2', 'Require MFA');
             INSERT INTO signin_ca (rid, pidx, result) VALUES (2, 2, 'success');",
        )
        .unwrap();
    }
    let before = std::fs::metadata(&path).unwrap().len();

    let ws = open_migrated(&path);
    assert_eq!(ws.len().unwrap(), records.len() as u64);
    for record in &records {
        let back = ws.get(&record.event.id).unwrap().unwrap();
        assert_eq!(back.raw, *record.raw);
        assert_eq!(
            serde_json::to_value(&back.event).unwrap(),
            serde_json::to_value(&record.event).unwrap()
        );
    }
    let policy: String = ws
        .conn
        .query_row(
            "SELECT p.name FROM ca_failure c JOIN signin s ON s.rid = c.rid JOIN ca_policy p ON p.pidx = c.pidx",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(policy, "Block legacy authentication");
    let broken: Option<i64> = ws
        .conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(1))
        .optional()
        .unwrap();
    assert_eq!(broken, None, "every reference still holds");
    // Searches use the indexes of the new table.
    let found = ws
        .search(
            &Criteria {
                user: Some("hugo".into()),
                ..Criteria::default()
            },
            5,
        )
        .unwrap();
    assert!(found.total > 0);
    drop(ws);
    let after = std::fs::metadata(&path).unwrap().len();
    assert!(
        after < before / 2,
        "the file shrank ({before} to {after} bytes)"
    );
}

#[test]
fn a_workspace_of_version_2_keeps_its_failures_and_gets_the_new_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.sqlite");
    let teams = Criteria {
        app: Some("Microsoft Teams".into()),
        ..Criteria::default()
    };
    let everyone = Criteria::default();
    let (counts, newest) = {
        let mut ws = Workspace::open(&path).unwrap();
        ws.add(
            "demo",
            import_stream(Cursor::new(demo_text()), "demo").unwrap(),
        )
        .unwrap();
        let counts = ws.count_by_failed_policy(&everyone, 0).unwrap();
        let newest = ws.search(&teams, 10).unwrap();
        // Back to version 2: every policy's result per sign-in, and key indexes without the
        // time.
        ws.conn
            .execute_batch(
                "BEGIN;
                 CREATE TABLE signin_ca (
                     rid    INTEGER NOT NULL REFERENCES signin(rid),
                     pidx   INTEGER NOT NULL REFERENCES ca_policy(pidx),
                     result TEXT,
                     PRIMARY KEY (rid, pidx)
                 ) WITHOUT ROWID;
                 INSERT INTO signin_ca SELECT rid, pidx, 'failure' FROM ca_failure;
                 INSERT INTO ca_policy (policy_id, name) VALUES ('p-mfa', 'Require MFA');
                 INSERT INTO signin_ca SELECT rid, (SELECT pidx FROM ca_policy WHERE policy_id = 'p-mfa'), 'success'
                     FROM signin LIMIT 5;
                 DROP TABLE ca_failure;
                 DROP INDEX signin_upn; DROP INDEX signin_name; DROP INDEX signin_user_id;
                 DROP INDEX signin_app_name; DROP INDEX signin_app_id; DROP INDEX signin_code;
                 CREATE INDEX signin_code ON signin (error_code);
                 CREATE INDEX signin_upn ON signin (upn_key);
                 CREATE INDEX signin_name ON signin (name_key);
                 CREATE INDEX signin_user_id ON signin (user_id_key);
                 CREATE INDEX signin_app_name ON signin (app_name_key, error_code);
                 CREATE INDEX signin_app_id ON signin (app_id_key, error_code);
                 PRAGMA user_version = 2;
                 COMMIT;",
            )
            .unwrap();
        (counts, newest)
    };
    assert!(
        !counts.is_empty(),
        "the demo has Conditional Access failures"
    );

    let ws = open_migrated(&path);
    assert_eq!(ws.count_by_failed_policy(&everyone, 0).unwrap(), counts);
    let kept: i64 = ws
        .conn
        .query_row(
            "SELECT COUNT(*) FROM ca_policy WHERE name = 'Require MFA'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0, "a policy that failed nothing is not kept");
    let columns: Vec<String> = ws
        .conn
        .prepare("SELECT name FROM pragma_index_info('signin_app_name')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(columns, ["app_name_key", "error_code", "created_at"]);
    assert!(
        newest.total > 10,
        "the demo has more Teams sign-ins than one page"
    );
    let again = ws.search(&teams, 10).unwrap();
    assert_eq!(again.total, newest.total);
    let ids = |f: &Found| {
        f.events
            .iter()
            .map(|e| e.event.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&again), ids(&newest));
    let broken: Option<i64> = ws
        .conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(1))
        .optional()
        .unwrap();
    assert_eq!(broken, None, "every reference still holds");
}

/// Opens an older workspace, which must come out at the current version.
fn open_migrated(path: &std::path::Path) -> Workspace {
    let ws = Workspace::open(path).unwrap();
    let version: i64 = ws
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::VERSION);
    ws
}

/// Whether each stored body holds the raw text alone (by the length it starts with).
fn raw_only_bodies(ws: &Workspace) -> Vec<bool> {
    ws.conn
        .prepare("SELECT body FROM signin_body ORDER BY rid")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|body| body.unwrap().starts_with(&u32::MAX.to_le_bytes()))
        .collect()
}

#[test]
fn json_sign_ins_keep_their_raw_text_alone_and_read_back_the_same() {
    // The interactive CSV's sign-ins as NDJSON of their canonical records.
    let csv = "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv";
    let rows = signin_core::import_stream(std::fs::File::open(fixture(csv)).unwrap(), csv)
        .unwrap()
        .records;
    let ndjson: String = rows
        .iter()
        .map(|r| serde_json::to_string(&r.event).unwrap() + "\n")
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.sqlite");
    let mut ws = Workspace::open(&path).unwrap();
    // Steps first, then the JSON sign-ins they belong to, then the demo (JSON) and the CSV.
    import_file(
        &mut ws,
        "csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
    );
    ws.add(
        "signins.ndjson",
        import_stream(Cursor::new(ndjson), "signins.ndjson").unwrap(),
    )
    .unwrap();
    let joined = ws.len().unwrap() as usize;
    ws.add(
        "demo",
        import_stream(Cursor::new(demo_text()), "demo").unwrap(),
    )
    .unwrap();
    let bodies = raw_only_bodies(&ws);
    // A JSON sign-in that gained steps from another file keeps its canonical text too.
    let stepped = bodies[..joined].iter().filter(|alone| !**alone).count();
    assert!(stepped > 0 && stepped < joined, "{stepped} of {joined}");
    assert!(
        bodies[joined..].iter().all(|alone| *alone),
        "the demo's JSON"
    );
    let priya = ws
        .get("a1f0c0de-0000-4000-8000-000000000102")
        .unwrap()
        .unwrap();
    assert_eq!(priya.event.authentication_details.len(), 2);
    let demo = import_stream(Cursor::new(demo_text()), "demo")
        .unwrap()
        .records;
    for record in demo.iter().take(50) {
        let back = ws.get(&record.event.id).unwrap().unwrap();
        assert_eq!(back.event, record.event);
        assert_eq!(back.raw, *record.raw);
    }
    let before = ws.search(&Criteria::default(), 0).unwrap();
    // A CSV row keeps both: reading it needs its file's header row.
    let mut csv_ws = Workspace::in_memory().unwrap();
    import_file(&mut csv_ws, csv);
    assert!(raw_only_bodies(&csv_ws).iter().all(|alone| !*alone));

    // A version 3 workspace (every body with both texts) is taken as it is.
    let mut packer = packed::Packer::current(&ws.conn).unwrap();
    for found in &before.events {
        let text = serde_json::to_string(&found.event).unwrap();
        let body = packer.pack(Some(&text), &found.raw).unwrap();
        ws.conn
            .execute(
                "UPDATE signin_body SET body = ?1, dict = ?2
                 WHERE rid = (SELECT rid FROM signin WHERE request_id = ?3)",
                params![body, packer.dict, found.event.id],
            )
            .unwrap();
    }
    ws.conn.execute_batch("PRAGMA user_version = 3").unwrap();
    drop(ws);
    let ws = open_migrated(&path);
    assert!(raw_only_bodies(&ws).iter().all(|alone| !*alone));
    let after = ws.search(&Criteria::default(), 0).unwrap();
    assert_eq!(after.total, before.total);
    for (a, b) in after.events.iter().zip(&before.events) {
        assert_eq!((&a.event, &a.raw), (&b.event, &b.raw));
    }
}

#[test]
fn counts_by_code_and_by_failed_policy_are_what_the_core_counts_give() {
    let mut ws = Workspace::in_memory().unwrap();
    for seed in 0..2u64 {
        let text = demo::generate(&DemoOptions {
            seed,
            ..DemoOptions::default()
        });
        ws.add("demo", import_stream(Cursor::new(text), "demo").unwrap())
            .unwrap();
    }
    for path in [
        "json/log-analytics-export.json",
        "samples/graph/beta-signin-list-example-1.json",
    ] {
        assert!(import_file(&mut ws, path)[0].result.is_ok(), "{path}");
    }
    let t = utc;
    let criteria = [
        Criteria::default(),
        Criteria {
            app: Some("office 365 exchange".into()),
            ..Criteria::default()
        },
        Criteria {
            user: Some("hugo".into()),
            from: Some(t("2026-11-16T00:00:00Z")),
            to: Some(t("2026-11-19T00:00:00Z")),
            ..Criteria::default()
        },
        Criteria {
            outcome: Some(Outcome::Failure),
            ..Criteria::default()
        },
    ];
    let mut policies_seen = 0;
    for criteria in &criteria {
        let events: Vec<SignInEvent> = ws
            .search(criteria, 0)
            .unwrap()
            .events
            .into_iter()
            .map(|s| s.event)
            .collect();
        for top in [0, 3] {
            assert_eq!(
                ws.count_by_code(criteria, top).unwrap(),
                signin_core::stats::by_error_code(&events, top),
                "{criteria:?} top {top}"
            );
            let policies = ws.count_by_failed_policy(criteria, top).unwrap();
            assert_eq!(
                policies,
                signin_core::stats::by_failed_policy(&events, top),
                "{criteria:?} top {top}"
            );
            policies_seen += policies.len();
        }
    }
    assert!(
        policies_seen > 0,
        "the data has Conditional Access failures"
    );
}

#[test]
fn a_user_in_a_time_window_is_found_through_the_users_index_not_the_times() {
    let mut ws = Workspace::in_memory().unwrap();
    let pat = r#"{"id":"p-1","createdDateTime":"2025-10-14T10:00:00Z","userPrincipalName":"pat.odonnell@contoso.com","appId":"1fec8e78-bce4-4aaf-ab1b-5451cc387264","appDisplayName":"Microsoft Teams","status":{"errorCode":53003}}"#;
    ws.add(
        "pat.json",
        import_stream(Cursor::new(pat), "pat.json").unwrap(),
    )
    .unwrap();
    let t = utc;
    let plan = |criteria: &Criteria| -> String {
        let (clause, values) = schema::where_clause_in(&ws.conn, criteria);
        let mut statement = ws
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT rid FROM signin WHERE {clause} ORDER BY created_at DESC"
            ))
            .unwrap();
        let rows = statement
            .query_map(rusqlite::params_from_iter(values.iter()), |r| {
                r.get::<_, String>(3)
            })
            .unwrap();
        rows.collect::<Result<Vec<_>, _>>().unwrap().join("; ")
    };
    let month = Criteria {
        from: Some(t("2025-10-01T00:00:00Z")),
        to: Some(t("2025-10-31T00:00:00Z")),
        ..Criteria::default()
    };
    let user = Criteria {
        user: Some("pat.odonnell@contoso.com".into()),
        ..month.clone()
    };
    let found_by = plan(&user);
    assert!(
        found_by.contains("signin_upn") && !found_by.contains("signin_time"),
        "{found_by}"
    );
    assert!(
        plan(&month).contains("signin_time"),
        "a window alone uses the time index"
    );
    // An application asked for by its ID: no name begins with it, so only the ID's index is
    // asked, and a count needs no row.
    let teams = Criteria {
        app: Some("1fec8e78-bce4-4aaf-ab1b-5451cc387264".into()),
        ..Criteria::default()
    };
    let (clause, values) = schema::where_clause_in(&ws.conn, &teams);
    let counted: String = ws
        .conn
        .prepare(&format!(
            "EXPLAIN QUERY PLAN SELECT error_code, COUNT(*) FROM signin WHERE {clause} AND error_code != 0 GROUP BY error_code"
        ))
        .unwrap()
        .query_map(rusqlite::params_from_iter(values.iter()), |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
        .join("; ");
    assert!(
        counted.contains("COVERING INDEX signin_app_id"),
        "{counted}"
    );
    assert_eq!(ws.count_by_code(&teams, 0).unwrap()[0].key, 53003);
    // Nobody by that name: the condition is false, not an error.
    let nobody = Criteria {
        user: Some("nobody@contoso.com".into()),
        ..Criteria::default()
    };
    assert_eq!(ws.search(&nobody, 0).unwrap().total, 0);
}

#[test]
fn an_attempt_is_every_request_sharing_the_correlation_id_or_the_sign_in_alone() {
    let ws = with_demo("demo");
    let all = ws.search(&Criteria::default(), 0).unwrap().events;
    let mut by_correlation: HashMap<String, usize> = HashMap::new();
    for s in &all {
        if let Some(c) = &s.event.correlation_id {
            *by_correlation.entry(c.clone()).or_default() += 1;
        }
    }
    let (correlation, requests) = by_correlation
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(c, n)| (c.clone(), *n))
        .unwrap();
    assert!(requests > 1, "the demo has attempts of several requests");
    let one = all
        .iter()
        .find(|s| s.event.correlation_id.as_deref() == Some(correlation.as_str()))
        .unwrap()
        .event
        .clone();
    let attempt = ws.attempt(one.clone(), 0).unwrap();
    assert_eq!(attempt.len(), requests);
    assert!(
        attempt
            .iter()
            .all(|e| e.correlation_id.as_deref() == Some(correlation.as_str()))
    );
    assert!(
        attempt
            .windows(2)
            .all(|w| w[0].created_date_time >= w[1].created_date_time)
    );
    assert_eq!(ws.attempt(one.clone(), 1).unwrap().len(), 1);
    let mut alone = one;
    alone.correlation_id = None;
    let id = alone.id.clone();
    assert_eq!(
        ws.attempt(alone, 0)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        [id]
    );
}

#[test]
fn a_diagnosis_reads_only_the_sign_ins_it_needs_yet_says_what_the_whole_window_says() {
    // The demo (a password spray, lockouts, stale passwords, MFA fatigue...), a third of its
    // sign-ins without a user principal name and a third without a user object ID, and two
    // failures of a user whose name is white space alone (which no index holds).
    let mut events: Vec<SignInEvent> = import_stream(Cursor::new(demo_text()), "demo.json")
        .unwrap()
        .records
        .into_iter()
        .map(|r| r.event)
        .collect();
    for (i, event) in events.iter_mut().enumerate() {
        match i % 3 {
            1 => event.user_principal_name = None,
            2 => event.user_id = None,
            _ => {}
        }
    }
    let failed: Vec<usize> = (0..events.len())
        .filter(|&i| i % 3 == 2 && events[i].outcome() == Outcome::Failure)
        .collect();
    let (a, b) = failed
        .iter()
        .flat_map(|&a| failed.iter().map(move |&b| (a, b)))
        .find(|&(a, b)| {
            a < b
                && (events[a].created_date_time - events[b].created_date_time).abs()
                    < chrono::Duration::hours(12)
        })
        .unwrap();
    for i in [a, b] {
        events[i].user_principal_name = Some("  ".into());
    }
    let text = serde_json::to_string(&events).unwrap();
    let mut ws = Workspace::in_memory().unwrap();
    ws.add(
        "demo.json",
        import_stream(Cursor::new(text), "demo.json").unwrap(),
    )
    .unwrap();
    let settings = diagnose::Settings::default();
    let mut with_patterns = 0;
    for event in &events {
        let chain: Vec<SignInEvent> = event
            .correlation_id
            .as_deref()
            .map(|c| {
                events
                    .iter()
                    .filter(|e| {
                        e.correlation_id
                            .as_deref()
                            .is_some_and(|o| key(o) == key(c))
                    })
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let expected = diagnose::diagnose(
            event,
            &diagnose::Context {
                settings: &settings,
                chain: &chain,
                nearby: &events,
            },
        );
        assert_eq!(
            ws.diagnose(event, &settings).unwrap(),
            expected,
            "{}",
            event.id
        );
        with_patterns += usize::from(!expected.patterns.is_empty());
    }
    assert!(with_patterns > 20, "{with_patterns}");
}
