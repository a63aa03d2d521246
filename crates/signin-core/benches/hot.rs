//! Micro-benchmarks of the functions every search, count and diagnosis goes through: reading an
//! export, the quick look at one record, matching criteria, counting, and the diagnosis.
//!
//! Run with `cargo bench -p signin-core --bench hot` (add `-- --quick` for a rough figure).
//! The sign-ins are the demo's, made here from the public API, so every run reads the same
//! bytes and nothing outside the repository is needed: 2,000 sign-ins are the demo week and the
//! weeks before it, each week with its own seed (so request and correlation IDs all differ).

use std::hint::black_box;
use std::io::Cursor;
use std::sync::OnceLock;

use chrono::Duration;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use signin_core::demo::{self, DemoOptions};
use signin_core::diagnose::{self, Context, Settings};
use signin_core::import::glance::glance;
use signin_core::{
    Criteria, ImportError, ImportSink, Item, Outcome, ReadSummary, SignInEvent, import_stream,
    read_source, stats,
};

/// How many sign-ins the reading, matching and counting benchmarks work on.
const SIGN_INS: usize = 2_000;

/// The records every benchmark but the diagnosis works on, made once per run: 2,000, or a
/// tenth of that when this run only checks that every benchmark works (`cargo test --benches`
/// runs each once, unoptimised) rather than measuring (`cargo bench`).
fn records() -> &'static [String] {
    static RECORDS: OnceLock<Vec<String>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let measuring = std::env::args().any(|arg| arg == "--bench");
        demo_records(if measuring { SIGN_INS } else { SIGN_INS / 10 })
    })
}

/// The demo's records, one compact JSON object each: the bundled week first, then the weeks
/// before it, until there are `n`.
fn demo_records(n: usize) -> Vec<String> {
    let base = DemoOptions::default();
    let mut records = Vec::with_capacity(n);
    for week in 0i64.. {
        let text = demo::generate(&DemoOptions {
            end: base.end - Duration::weeks(week),
            seed: base.seed.wrapping_add(week as u64),
            ..base.clone()
        });
        // The demo writes `[`, then one record per line, each but the last ending in a comma.
        for line in text.lines() {
            let line = line.trim().trim_end_matches(',');
            if line.starts_with('{') {
                records.push(line.to_owned());
                if records.len() == n {
                    return records;
                }
            }
        }
    }
    records
}

fn ndjson(records: &[String]) -> String {
    let mut out = records.join("\n");
    out.push('\n');
    out
}

/// As the Entra admin center downloads it: a JSON array, one record per line.
fn portal_json(records: &[String]) -> String {
    format!("[\n{}\n]\n", records.join(",\n"))
}

/// As Microsoft Graph answers `GET /auditLogs/signIns`: one page with a `value` array.
fn graph_page(records: &[String]) -> String {
    format!(
        "{{\"@odata.context\":\"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns\",\"value\":[{}]}}",
        records.join(",")
    )
}

/// Takes what a reading hands over and keeps only counts, so that the benchmark measures the
/// reading itself and not collecting the sign-ins.
#[derive(Default)]
struct Tally {
    sign_ins: u64,
    warnings: usize,
    failed: bool,
}

impl ImportSink for Tally {
    fn begin(&mut self, _name: &str) {}

    fn item(&mut self, item: Item) {
        if let Item::SignIn(record) = item {
            self.sign_ins += 1;
            black_box(record);
        }
    }

    fn end(&mut self, _name: &str, outcome: Result<ReadSummary, ImportError>) {
        match outcome {
            Ok(summary) => self.warnings += summary.warnings.len(),
            Err(_) => self.failed = true,
        }
    }
}

fn read(text: &str, name: &str) -> Tally {
    let mut tally = Tally::default();
    read_source(Cursor::new(text.as_bytes()), name, &mut tally);
    tally
}

fn reading(c: &mut Criterion) {
    let records = records();
    let files = [
        ("ndjson", "signins.ndjson", ndjson(records)),
        (
            "portal_json",
            "InteractiveSignIns.json",
            portal_json(records),
        ),
        ("graph_page", "signins-page.json", graph_page(records)),
    ];
    let mut group = c.benchmark_group("read_source_2000");
    group.sample_size(20);
    for (id, name, text) in &files {
        // A benchmark of a reading that stumbles would measure the wrong thing.
        let tally = read(text, name);
        assert!(
            tally.sign_ins == records.len() as u64 && tally.warnings == 0 && !tally.failed,
            "{id}: {} sign-ins, {} warnings",
            tally.sign_ins,
            tally.warnings
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*id, |b| b.iter(|| read(black_box(text), name)));
    }
    group.finish();

    // The collecting entry point, as the desktop app's demo and the tests use it.
    let text = &files[0].2;
    let mut group = c.benchmark_group("import_stream_2000");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("ndjson", |b| {
        b.iter_batched(
            || Cursor::new(text.as_bytes()),
            |cursor| import_stream(cursor, "signins.ndjson"),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn quick_look(c: &mut Criterion) {
    let records = records();
    // The first record is the week's newest sign-in; the quick look must vouch for it, or the
    // benchmark would time only the way out.
    let line = records[0].as_bytes();
    assert!(
        glance(line).is_some(),
        "the quick look declines a demo record"
    );
    let mut group = c.benchmark_group("glance");
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.bench_function("one_record", |b| b.iter(|| glance(black_box(line))));
    let total: usize = records.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function("2000_records", |b| {
        b.iter(|| {
            records
                .iter()
                .filter(|r| glance(black_box(r.as_bytes())).is_some())
                .count()
        })
    });
    group.finish();
}

/// The sign-ins of `text`, read in full.
fn events(text: &str) -> Vec<SignInEvent> {
    import_stream(Cursor::new(text.as_bytes()), "signins.ndjson")
        .expect("the demo sign-ins read")
        .records
        .into_iter()
        .map(|r| r.event)
        .collect()
}

fn matching_and_counting(c: &mut Criterion) {
    let events = events(&ndjson(records()));
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("a valid time")
            .with_timezone(&chrono::Utc)
    };
    let searches = [
        (
            "user_prefix",
            Criteria {
                user: Some("hugo".into()),
                ..Criteria::default()
            },
        ),
        (
            "app_in_a_day",
            Criteria {
                app: Some("Microsoft Teams".into()),
                ..Criteria::default()
            }
            .around(at("2026-11-18T12:00:00Z")),
        ),
        (
            "failures",
            Criteria {
                outcome: Some(Outcome::Failure),
                ..Criteria::default()
            },
        ),
        (
            "any_id",
            Criteria {
                any_id: events[events.len() / 2].correlation_id.clone(),
                ..Criteria::default()
            },
        ),
    ];
    let mut group = c.benchmark_group("criteria_matches_2000");
    group.throughput(Throughput::Elements(events.len() as u64));
    for (id, criteria) in &searches {
        assert!(
            events.iter().any(|e| criteria.matches(e)),
            "{id} finds none"
        );
        group.bench_function(*id, |b| {
            b.iter(|| {
                events
                    .iter()
                    .filter(|e| criteria.matches(black_box(e)))
                    .count()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("stats_2000");
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function("by_error_code", |b| {
        b.iter(|| stats::by_error_code(black_box(&events), 0))
    });
    group.bench_function("by_failed_policy", |b| {
        b.iter(|| stats::by_failed_policy(black_box(&events), 0))
    });
    group.finish();
}

/// Every failed or interrupted sign-in of the demo week, with what the workspace would hand
/// the diagnosis for it: the rest of its attempt and the sign-ins in the window around it.
struct Case {
    event: SignInEvent,
    chain: Vec<SignInEvent>,
    nearby: Vec<SignInEvent>,
}

fn diagnosis(c: &mut Criterion) {
    let week = events(&demo::generate(&DemoOptions::default()));
    let settings = Settings::default();
    let cases: Vec<Case> = week
        .iter()
        .filter(|e| e.error_code() != 0)
        .map(|event| Case {
            event: event.clone(),
            chain: week
                .iter()
                .filter(|o| {
                    event.correlation_id.is_some() && o.correlation_id == event.correlation_id
                })
                .cloned()
                .collect(),
            nearby: week
                .iter()
                .filter(|o| {
                    (o.created_date_time - event.created_date_time).abs() <= settings.window
                })
                .cloned()
                .collect(),
        })
        .collect();
    let mut group = c.benchmark_group("diagnose_demo_week");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("every_failed_sign_in", |b| {
        b.iter(|| {
            for case in &cases {
                let cx = Context {
                    settings: &settings,
                    chain: &case.chain,
                    nearby: &case.nearby,
                };
                black_box(diagnose::diagnose(black_box(&case.event), &cx));
            }
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    reading,
    quick_look,
    matching_and_counting,
    diagnosis
);
criterion_main!(benches);
