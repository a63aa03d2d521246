use super::*;
use std::path::Path;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(path)
}

fn form(f: impl FnOnce(&mut CriteriaDto)) -> CriteriaDto {
    let mut dto = CriteriaDto::default();
    f(&mut dto);
    dto
}

/// A state over a fresh workspace file in a temporary folder.
fn fresh() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::open(&dir.path().join("workspace.sqlite"));
    (dir, state)
}

#[test]
fn the_demo_opens_and_a_users_failure_can_be_found_and_read() {
    let (_dir, state) = fresh();
    let report = state.open_demo().unwrap();
    assert_eq!(report.files[0].name, DEMO_NAME);
    assert!(report.total > 200);
    let results = state
        .search(&form(|f| {
            f.user = Some("hugo".into());
            f.status = Some("failure".into());
        }))
        .unwrap();
    assert!(results.total >= 10);
    let first = &results.rows[0];
    let detail = state.sign_in(&first.id).unwrap();
    assert_eq!(detail.summary.error_code, first.error_code);
    assert_eq!(
        detail.event["correlationId"],
        serde_json::json!(first.correlation_id)
    );
    assert!(detail.raw.starts_with('{') && detail.raw.contains(&first.id));
    assert_eq!(detail.source.file, DEMO_NAME);
}

#[test]
fn the_workspace_is_there_the_next_time_the_app_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite");
    let total = AppState::open(&path).open_demo().unwrap().total;
    let again = AppState::open(&path).info().unwrap();
    assert_eq!(again.total, total);
    assert_eq!(again.files[0].name, DEMO_NAME);
    assert_eq!(again.workspace, path.display().to_string());
    assert!(again.workspace_problem.is_none());
}

#[test]
fn files_and_folders_open_with_progress_and_bad_files_are_reported() {
    let (_dir, state) = fresh();
    let mut progress = Vec::new();
    let report = state.open_files(
        &[
            fixture("samples/log-analytics"),
            fixture("json/ndjson-damaged.ndjson"),
            fixture("does-not-exist.json"),
        ],
        &mut |p| progress.push(p),
    );
    let outcome: Vec<(String, Option<ErrorCode>)> = report
        .files
        .iter()
        .map(|f| (f.name.clone(), f.error.as_ref().map(|e| e.code)))
        .collect();
    assert_eq!(
        outcome,
        [
            ("sign-in_adelete.csv".to_string(), None),
            (
                "signinLogs.csv".to_string(),
                Some(ErrorCode::UnsupportedFormat)
            ),
            ("ndjson-damaged.ndjson".to_string(), None),
            (
                "does-not-exist.json".to_string(),
                Some(ErrorCode::UnreadableFile)
            ),
        ]
    );
    assert_eq!(report.total, 56 + 4);
    assert_eq!(report.files[2].warning_count, 1);
    assert!(report.files[2].warnings[0].starts_with("record 3 (line 3)"));
    assert!(
        progress
            .iter()
            .any(|p| p.file == "sign-in_adelete.csv" && p.bytes_total > 0)
    );
    let info = state.info().unwrap();
    assert_eq!(
        info.files.len(),
        4,
        "failed files stay listed until the workspace is cleared"
    );
    // The summary says warnings and failures in the language the window shows now, whichever
    // it showed when the files were opened.
    state.set_language("nl").unwrap();
    let info = state.info().unwrap();
    let damaged = info
        .files
        .iter()
        .find(|f| f.name == "ndjson-damaged.ndjson")
        .unwrap();
    assert!(
        damaged.warnings[0]
            .starts_with("record 3 (regel 3): een tekstwaarde wordt op regel 3 niet gesloten"),
        "{:?}",
        damaged.warnings
    );
    let missing = info
        .files
        .iter()
        .find(|f| f.name == "does-not-exist.json")
        .and_then(|f| f.error.as_ref())
        .unwrap();
    assert!(
        missing.message.contains("kan niet worden geopend"),
        "{}",
        missing.message
    );
    let unsupported = info
        .files
        .iter()
        .find(|f| f.name == "signinLogs.csv")
        .and_then(|f| f.error.as_ref())
        .unwrap();
    assert!(
        unsupported
            .message
            .starts_with("Onbekende indeling: het bestand begint met \"StartTime [UTC],"),
        "{}",
        unsupported.message
    );
    state.clear().unwrap();
    let info = state.info().unwrap();
    assert_eq!((info.total, info.files.len()), (0, 0));
}

#[test]
fn cancelling_keeps_nothing_of_the_file_being_read() {
    let (dir, state) = fresh();
    // Ten demo weeks, one after the other (arrays joined as tools join them): long enough to
    // read that progress is reported, and Cancel heard, well before the end, however quick
    // the import.
    let big = dir.path().join("big.json");
    let weeks: String = (0..10)
        .map(|seed| {
            demo::generate(&DemoOptions {
                seed,
                ..DemoOptions::default()
            })
        })
        .collect();
    std::fs::write(&big, weeks).unwrap();
    let report = state.open_files(&[big], &mut |p| {
        if p.records > 50 {
            state.cancel_import();
        }
    });
    assert_eq!(
        report.files[0].error.as_ref().map(|e| e.code),
        Some(ErrorCode::Cancelled)
    );
    assert_eq!(report.total, 0);
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let (_dir, state) = fresh();
    state.open_demo().unwrap();
    let bad_time = state
        .search(&form(|f| f.from = Some("tomorrow-ish".into())))
        .unwrap_err();
    assert_eq!(
        serde_json::to_value(bad_time.say(Lang::En)).unwrap(),
        serde_json::json!({"code": "invalid_input", "message": "From: \"tomorrow-ish\" is not a date and time."})
    );
    assert_eq!(
        serde_json::to_value(bad_time.say(Lang::Nl)).unwrap(),
        serde_json::json!({"code": "invalid_input", "message": "Van: \"tomorrow-ish\" is geen datum en tijd."})
    );
    let missing = state
        .sign_in("00000000-0000-0000-0000-000000000000")
        .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
    let backwards = state
        .search(&form(|f| {
            f.from = Some("2026-11-20T00:00".into());
            f.to = Some("2026-11-19T00:00".into());
        }))
        .unwrap_err();
    assert_eq!(backwards.code(), ErrorCode::InvalidInput);
    assert_eq!(backwards.say(Lang::Nl).message, "\"Van\" ligt na \"Tot\".");
}

#[test]
fn a_workspace_that_cannot_be_opened_leaves_a_working_app_that_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite");
    std::fs::write(
        &path,
        b"this is not a database, just text that happens to be here",
    )
    .unwrap();
    let state = AppState::open(&path);
    let info = state.info().unwrap();
    assert_eq!(
        info.workspace_problem.unwrap(),
        "The workspace could not be read or written: file is not a database"
    );
    state.set_language("nl").unwrap();
    assert_eq!(
        state.info().unwrap().workspace_problem.unwrap(),
        "De werkruimte kon niet worden gelezen of geschreven: file is not a database"
    );
    assert!(state.open_demo().unwrap().total > 200, "works in memory");
}

#[test]
fn around_a_time_wins_over_from_and_to_and_results_are_capped() {
    let (_dir, state) = fresh();
    state.open_demo().unwrap();
    let around = state
        .search(&form(|f| f.around = Some("2026-11-18T12:00".into())))
        .unwrap();
    assert!(around.rows.iter().all(|r| {
        ("2026-11-17T12:00:00Z"..="2026-11-19T12:00:00Z").contains(&r.created_date_time.as_str())
    }));
    let all = state.search(&CriteriaDto::default()).unwrap();
    assert_eq!(all.rows.len(), all.total.min(RESULT_LIMIT));
    assert!(around.total < all.total);
}

/// A state with the demo open, and the request ID of Hugo's newest failure (the demo's lockout
/// by a device with an old password).
fn demo_and_hugos_failure() -> (tempfile::TempDir, AppState, String) {
    let (dir, state) = fresh();
    state.open_demo().unwrap();
    let hugo = state
        .search(&form(|f| {
            f.user = Some("hugo".into());
            f.status = Some("failure".into());
        }))
        .unwrap();
    let id = hugo.rows[0].id.clone();
    (dir, state, id)
}

#[test]
fn a_sign_in_comes_with_its_diagnosis_chain_and_patterns() {
    let (_dir, state, hugo) = demo_and_hugos_failure();
    let detail = state.sign_in(&hugo).unwrap();
    assert_eq!(detail.diagnosis.scenario, "account-locked");
    assert!(
        detail.diagnosis.headline.contains("old password"),
        "{}",
        detail.diagnosis.headline
    );
    assert!(
        detail
            .diagnosis
            .patterns
            .iter()
            .any(|p| p.id == "stale-password")
    );
    // An MFA prompt of the demo is followed by success in the same attempt.
    let prompts = state
        .search(&form(|f| f.status = Some("interrupted".into())))
        .unwrap();
    let mfa = prompts.rows.iter().find(|r| r.error_code == 50074).unwrap();
    let detail = state.sign_in(&mfa.id).unwrap();
    assert_eq!(detail.diagnosis.scenario, "benign-interrupt");
    assert_eq!(detail.diagnosis.chain.len(), 2);
}

#[test]
fn errors_are_explained_and_only_microsoft_links_open() {
    let e = explain("AADSTS50105", Lang::En);
    assert_eq!(e.entry.as_ref().map(|c| c.code), Some(50105));
    assert!(
        explain("reply url", Lang::En)
            .matches
            .iter()
            .any(|c| c.code == 50011)
    );
    assert!(is_openable_link(
        "https://login.microsoftonline.com/error?code=50105"
    ));
    assert!(is_openable_link(
        "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/appId/x"
    ));
    assert!(!is_openable_link(
        "https://evil.example/login.microsoftonline.com/error"
    ));
    assert!(!is_openable_link("file:///etc/passwd"));
}

#[test]
fn diagnoses_and_explanations_follow_the_language_the_window_sets() {
    let (_dir, state, id) = demo_and_hugos_failure();
    let id = &id;
    assert_eq!(state.language(), Lang::En);
    let english = state.sign_in(id).unwrap().diagnosis;

    assert_eq!(state.set_language("nl").unwrap(), Lang::Nl);
    let dutch = state.sign_in(id).unwrap().diagnosis;
    assert_eq!(dutch.scenario, english.scenario);
    assert_eq!(
        dutch.headline,
        "Vergrendeld door een apparaat met een oud wachtwoord"
    );
    assert!(
        dutch.ticket.starts_with("Aanmeldingsprobleem: "),
        "{}",
        dutch.ticket
    );
    let explained = explain("AADSTS50053", state.language());
    assert_eq!(
        explained.entry.unwrap().meaning,
        aadsts::lookup_in(50053, Lang::Nl).unwrap().meaning
    );

    let refused = state.set_language("de").unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert_eq!(
        state.language(),
        Lang::Nl,
        "a refused language changes nothing"
    );
    state.set_language("en").unwrap();
    assert_eq!(state.sign_in(id).unwrap().diagnosis, english);
}

#[test]
fn the_results_table_reads_pages_of_the_current_search_and_drops_older_ones() {
    let (_dir, state) = fresh();
    state.open_demo().unwrap();
    let everything = state.search(&form(|_| {})).unwrap();
    let first = state.search_begin(&form(|_| {}), 50).unwrap();
    assert!(!first.stale);
    assert_eq!(first.total as usize, everything.total);
    assert_eq!(first.rows, everything.rows[..50]);
    let next = state.search_page(first.search, 50, 50).unwrap();
    assert_eq!((next.offset, next.total), (50, first.total));
    assert_eq!(next.rows, everything.rows[50..100]);
    // The last row, as End shows it.
    let last = state
        .search_page(first.search, first.total - 1, 50)
        .unwrap();
    assert_eq!(last.rows.len(), 1);
    assert_eq!(last.rows[0], everything.rows[everything.total - 1]);

    // Typing a user makes a new search; a page asked for the old one is stale and empty.
    let hugo = state
        .search_begin(&form(|f| f.user = Some("hugo".into())), 50)
        .unwrap();
    assert!(hugo.search > first.search && hugo.total < first.total);
    let old = state.search_page(first.search, 100, 50).unwrap();
    assert!(old.stale && old.rows.is_empty());
    assert!(!state.search_page(hugo.search, 0, 5).unwrap().stale);
    // A bad time is an error for the person, as for a search.
    let bad = state.search_begin(&form(|f| f.from = Some("yesterday-ish".into())), 50);
    assert_eq!(bad.unwrap_err().code(), ErrorCode::InvalidInput);
    // and it superseded Hugo's search all the same.
    assert!(state.search_page(hugo.search, 0, 5).unwrap().stale);
}
