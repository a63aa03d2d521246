use std::io::Cursor;

use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Outcome, import_stream};

use super::*;

/// `n` sign-ins, three to a second (so pages end inside groups of equal times), with request
/// IDs in no particular order, a quarter of them failures, users `user0`..`user9`.
fn signins(n: usize) -> String {
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z").unwrap();
    (0..n)
        .map(|i| {
            let at = start - chrono::Duration::seconds((i / 3) as i64);
            // A scrambled but unique ID, so that the order by ID differs from the order written.
            let id = format!("{:08x}-0000-4000-8000-{:012}", (i as u64).wrapping_mul(2_654_435_761) % (1 << 32), i);
            let code = if i % 4 == 0 { 50126 } else { 0 };
            format!(
                r#"{{"id":"{id}","createdDateTime":"{}","userPrincipalName":"user{}@contoso.com","appDisplayName":"App {}","ipAddress":"10.0.0.{}","status":{{"errorCode":{code}}}}}"#,
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                i % 10,
                i % 3,
                i % 250,
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn workspace(n: usize) -> Workspace {
    let mut ws = Workspace::in_memory().unwrap();
    ws.add(
        "many.ndjson",
        import_stream(Cursor::new(signins(n)), "many.ndjson").unwrap(),
    )
    .unwrap();
    let text = demo::generate(&DemoOptions::default());
    ws.add(
        "demo.json",
        import_stream(Cursor::new(text), "demo.json").unwrap(),
    )
    .unwrap();
    ws
}

fn criteria_cases() -> Vec<Criteria> {
    let t = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    vec![
        Criteria::default(),
        Criteria {
            outcome: Some(Outcome::Failure),
            ..Criteria::default()
        },
        Criteria {
            user: Some("USER3".into()),
            ..Criteria::default()
        },
        Criteria {
            from: Some(t("2026-11-20T11:50:00Z")),
            to: Some(t("2026-11-20T11:58:00Z")),
            ..Criteria::default()
        },
        Criteria {
            user: Some("nobody".into()),
            ..Criteria::default()
        },
    ]
}

fn ids(rows: &[EventSummary]) -> Vec<String> {
    rows.iter().map(|r| r.id.clone()).collect()
}

/// The whole result list as `Workspace::search` gives it.
fn everything(ws: &Workspace, criteria: &Criteria) -> Vec<String> {
    ws.search(criteria, 0)
        .unwrap()
        .events
        .iter()
        .map(|s| s.event.id.clone())
        .collect()
}

#[test]
fn every_page_holds_the_rows_search_gives_at_those_positions() {
    let ws = workspace(2_000);
    for criteria in criteria_cases() {
        let all = everything(&ws, &criteria);
        let mut pager = Pager::new(&ws, criteria.clone()).unwrap();
        assert_eq!(pager.total(), all.len() as u64, "{criteria:?}");
        let n = all.len() as u64;
        // The start, the middle, the end, a page running past the end, and past the end.
        for (offset, limit) in [
            (0, 40),
            (1, 7),
            (n / 2, 40),
            (n / 2 + 1, 13),
            (n.saturating_sub(40), 40),
            (n.saturating_sub(5), 40),
            (n.saturating_sub(1), 1),
            (n, 40),
            (n + 100, 40),
        ] {
            let page = pager.page(&ws, offset, limit).unwrap();
            let from = (offset as usize).min(all.len());
            let to = ((offset + limit) as usize).min(all.len());
            assert_eq!(page.offset, offset);
            assert_eq!(
                ids(&page.rows),
                all[from..to],
                "{criteria:?} at {offset}+{limit}"
            );
        }
    }
}

#[test]
fn scrolling_page_after_page_continues_across_equal_times_without_gaps_or_repeats() {
    let ws = workspace(1_000);
    for criteria in criteria_cases() {
        let all = everything(&ws, &criteria);
        let mut pager = Pager::new(&ws, criteria.clone()).unwrap();
        // Seven rows a page: most pages end in the middle of three sign-ins of one second.
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = pager.page(&ws, offset, 7).unwrap();
            if page.rows.is_empty() {
                break;
            }
            offset += page.rows.len() as u64;
            seen.extend(ids(&page.rows));
        }
        assert_eq!(seen, all, "{criteria:?}");
        // And upwards from the end, as when End is pressed and the list is scrolled back.
        let mut seen = Vec::new();
        let mut end = all.len() as u64;
        while end > 0 {
            let offset = end.saturating_sub(7);
            let page = pager.page(&ws, offset, end - offset).unwrap();
            let mut rows = ids(&page.rows);
            rows.extend(seen);
            seen = rows;
            end = offset;
        }
        assert_eq!(seen, all, "{criteria:?} from the end");
    }
}

#[test]
fn rows_are_summaries_of_what_the_table_shows() {
    let ws = workspace(30);
    let mut pager = Pager::new(&ws, Criteria::default()).unwrap();
    let page = pager.page(&ws, 0, 1).unwrap();
    let found = ws.search(&Criteria::default(), 1).unwrap();
    assert_eq!(page.rows, vec![EventSummary::of(&found.events[0].event)]);
}

/// SQLite's plan for `sql`, one line per step.
fn plan(ws: &Workspace, sql: &str, values: &[Value]) -> Vec<String> {
    let mut statement = ws
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    let values = &values[..statement.parameter_count()];
    statement
        .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_queries_of_a_page_use_indexes_never_a_scan_of_every_row() {
    let ws = workspace(300);
    for criteria in criteria_cases() {
        let (clause, mut values) = schema::where_clause_in(&ws.conn, &criteria);
        let time = schema::time_column(&criteria);
        let t = push(&mut values, Value::Integer(0));
        let r = push(&mut values, Value::Text(String::new()));
        let queries = [
            count_sql(&clause),
            position_sql(&clause, "DESC", 900_000),
            position_sql(&clause, "ASC", 900_000),
            count_sql(&format!("{clause} AND {time} > {t}")),
            rows_sql(
                &format!("{clause} AND {time} <= {t} AND {time} >= {t}"),
                Direction::Newest,
                50,
                2,
            ),
            rows_sql(
                &format!("{clause} AND {time} >= {t} AND {time} <= {t}"),
                Direction::Oldest,
                50,
                2,
            ),
            rows_sql(
                &format!(
                    "{clause} AND {time} <= {t} AND ({time} < {t} OR request_id > {r}) AND {time} >= {t}"
                ),
                Direction::Newest,
                50,
                0,
            ),
        ];
        for sql in queries {
            let plan = plan(&ws, &sql, &values);
            let used_index = plan.iter().any(|line| line.contains("INDEX"));
            let full_scan = plan
                .iter()
                .any(|line| line.starts_with("SCAN signin") && !line.contains("INDEX"));
            assert!(used_index && !full_scan, "{criteria:?}: {sql}\n{plan:#?}");
        }
        // The time at a position (where a page starts and ends) is read from an index alone:
        // the indexes of the broad searches end with the time.
        let plan = plan(&ws, &position_sql(&clause, "DESC", 10), &values);
        assert!(
            plan.iter()
                .all(|l| !l.starts_with("SEARCH signin") || l.contains("COVERING INDEX")),
            "{criteria:?}\n{plan:#?}"
        );
    }
}

#[test]
fn a_newer_search_makes_an_older_one_stale_and_its_results_are_dropped() {
    let ws = workspace(500);
    let gate = SearchGate::new(&ws);
    let first = gate.begin();
    let second = gate.begin();
    assert!(!gate.is_current(first) && gate.is_current(second));
    // A stale search does no work at all.
    let mut ran = false;
    let stale = gate.run(first, || {
        ran = true;
        Ok(1)
    });
    assert_eq!(stale.unwrap(), None);
    assert!(!ran);
    // The current one gets its answer.
    let total = gate
        .run(second, || Ok(Pager::new(&ws, Criteria::default())?.total()))
        .unwrap();
    assert_eq!(total, Some(ws.len().unwrap()));
    // Typing again while a search's query runs: the query stops, nothing is returned.
    let third = gate.begin();
    let outcome = gate.run(third, || {
        let mut statement = ws
            .conn
            .prepare("SELECT rid FROM signin_body ORDER BY body")?;
        let mut rows = statement.query([])?;
        rows.next()?;
        let fourth = gate.begin();
        assert!(gate.is_current(fourth));
        while rows.next()?.is_some() {}
        Ok("finished")
    });
    assert_eq!(outcome.unwrap(), None);
    // The interruption stopped that query only: the newest search works.
    let newest = gate.begin();
    let page = gate
        .run(newest, || {
            Pager::new(&ws, Criteria::default())?.page(&ws, 0, 3)
        })
        .unwrap()
        .unwrap();
    assert_eq!(page.rows.len(), 3);
}
