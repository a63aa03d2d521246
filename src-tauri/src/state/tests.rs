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

#[test]
fn the_demo_opens_and_a_users_failure_can_be_found_and_read() {
    let state = AppState::default();
    let report = state.open_demo();
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
fn a_file_that_cannot_be_read_is_reported_and_the_others_still_open() {
    let state = AppState::default();
    let report = state.open_files(&[
        fixture("samples/SOURCES.md"),
        fixture("json/ndjson-damaged.ndjson"),
        fixture("does-not-exist.json"),
    ]);
    let codes: Vec<_> = report
        .files
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code))
        .collect();
    assert_eq!(
        codes,
        [
            Some(ErrorCode::UnsupportedFormat),
            None,
            Some(ErrorCode::UnreadableFile)
        ]
    );
    assert_eq!(report.total, 4);
    assert_eq!(report.files[1].warning_count, 1);
    assert!(report.files[1].warnings[0].starts_with("record 3 (from line 3)"));
    let info = state.info();
    assert_eq!(
        info.files.len(),
        3,
        "failed files stay listed until the data is closed"
    );
    state.close();
    assert_eq!(state.info().total, 0);
    assert!(state.info().files.is_empty());
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let state = AppState::default();
    state.open_demo();
    let bad_time = state
        .search(&form(|f| f.from = Some("tomorrow-ish".into())))
        .unwrap_err();
    assert_eq!(
        serde_json::to_value(&bad_time).unwrap(),
        serde_json::json!({"code": "invalid_input", "message": "From: \"tomorrow-ish\" is not a date and time."})
    );
    let missing = state
        .sign_in("00000000-0000-0000-0000-000000000000")
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
    let backwards = state
        .search(&form(|f| {
            f.from = Some("2026-11-20T00:00".into());
            f.to = Some("2026-11-19T00:00".into());
        }))
        .unwrap_err();
    assert_eq!(backwards.code, ErrorCode::InvalidInput);
}

#[test]
fn around_a_time_wins_over_from_and_to_and_results_are_capped() {
    let state = AppState::default();
    state.open_demo();
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
