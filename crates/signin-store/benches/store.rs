//! Micro-benchmarks of the workspace: importing a file, the first page of results the app shows
//! after a search, and the two counts behind `stats`.
//!
//! Run with `cargo bench -p signin-store --bench store` (add `-- --quick` for a rough figure).
//! The sign-ins are the demo's, made here from `signin-core`'s public API: the bundled week and
//! the weeks before it, each with its own seed, so every request ID differs and the sign-ins
//! spread over time as a real tenant's do.

use std::hint::black_box;
use std::io::Cursor;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Outcome};
use signin_store::{ImportControl, Pager, Workspace};
use tempfile::TempDir;

/// Sign-ins in the imported file.
const IMPORTED: usize = 2_000;
/// Sign-ins in the workspace that is searched and counted.
const STORED: usize = 20_000;

/// `n`, or a tenth of it when this run only checks that every benchmark works (`cargo test
/// --benches` runs each once, unoptimised) rather than measuring (`cargo bench`).
fn scaled(n: usize) -> usize {
    if std::env::args().any(|arg| arg == "--bench") {
        n
    } else {
        n / 10
    }
}

/// The demo's sign-ins as NDJSON, `n` of them: the bundled week first, then the weeks before.
fn demo_ndjson(n: usize) -> String {
    let base = DemoOptions::default();
    let mut out = String::new();
    let mut count = 0;
    for week in 0i64.. {
        let text = demo::generate(&DemoOptions {
            end: base.end - chrono::Duration::weeks(week),
            seed: base.seed.wrapping_add(week as u64),
            ..base.clone()
        });
        // The demo writes `[`, then one record per line, each but the last ending in a comma.
        for line in text.lines() {
            let line = line.trim().trim_end_matches(',');
            if line.starts_with('{') {
                out.push_str(line);
                out.push('\n');
                count += 1;
                if count == n {
                    return out;
                }
            }
        }
    }
    out
}

/// Imports `text` as the app does, without progress reports or cancelling; the number of
/// sign-ins added.
fn import(ws: &mut Workspace, text: &str) -> u64 {
    let cancel = AtomicBool::new(false);
    let outcomes = ws.import(
        Cursor::new(text.as_bytes()),
        "signins.ndjson",
        ImportControl {
            cancel: &cancel,
            on_progress: &mut |_| {},
            interval: Duration::from_secs(3600),
        },
    );
    outcomes
        .into_iter()
        .map(|o| o.result.expect("the demo sign-ins import").added)
        .sum()
}

/// A workspace file in a folder of its own, removed when dropped.
struct FileWorkspace {
    ws: Workspace,
    _dir: TempDir,
}

/// A new, empty workspace file.
fn fresh_file_workspace() -> FileWorkspace {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let ws = Workspace::open(&dir.path().join("workspace.sqlite")).expect("a new workspace");
    FileWorkspace { ws, _dir: dir }
}

/// A copy of the workspace file `template`, opened.
fn copied_file_workspace(template: &Path) -> FileWorkspace {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("workspace.sqlite");
    std::fs::copy(template, &path).expect("a copy of the workspace");
    // Closing a workspace folds its write-ahead log into the file; should one be left, it is
    // part of the workspace.
    let wal = template.with_file_name("workspace.sqlite-wal");
    if wal.exists() {
        std::fs::copy(&wal, path.with_file_name("workspace.sqlite-wal")).expect("a copy");
    }
    let ws = Workspace::open(&path).expect("the copied workspace");
    FileWorkspace { ws, _dir: dir }
}

fn importing(c: &mut Criterion) {
    let imported = scaled(IMPORTED);
    // The first 2,000 are imported into an empty workspace; the 2,000 after them into one that
    // holds the first already.
    let both = demo_ndjson(2 * imported);
    let (text, later) = both.split_at(
        both.match_indices('\n')
            .nth(imported - 1)
            .map(|(i, _)| i + 1)
            .expect("enough sign-ins"),
    );
    let mut check = Workspace::in_memory().expect("a workspace");
    assert_eq!(import(&mut check, text), imported as u64);
    assert_eq!(import(&mut check, later), imported as u64);
    drop(check);

    // A workspace file holding the first 2,000, and so the dictionary the workspace learned
    // from them; closed, so that all of it is in the one file.
    let template = tempfile::tempdir().expect("a temporary folder");
    let template_path = template.path().join("workspace.sqlite");
    {
        let mut ws = Workspace::open(&template_path).expect("a new workspace");
        assert_eq!(import(&mut ws, text), imported as u64);
    }

    let mut group = c.benchmark_group("import_2000");
    // Each import takes a good part of a second; ten samples keep a run short.
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("in_memory", |b| {
        b.iter_batched(
            || Workspace::in_memory().expect("a workspace"),
            |mut ws| {
                import(&mut ws, text);
                // Handed back, so it is dropped outside the measurement.
                ws
            },
            BatchSize::PerIteration,
        )
    });
    // A first import: the workspace learns its dictionary from these sign-ins on the way.
    group.bench_function("file", |b| {
        b.iter_batched(
            fresh_file_workspace,
            |mut file| {
                import(&mut file.ws, text);
                file
            },
            BatchSize::PerIteration,
        )
    });
    // A later import: the dictionary is there, the sign-ins are packed as they arrive.
    group.throughput(Throughput::Bytes(later.len() as u64));
    group.bench_function("file_after_2000", |b| {
        b.iter_batched(
            || copied_file_workspace(&template_path),
            |mut file| {
                import(&mut file.ws, later);
                file
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn searching_and_counting(c: &mut Criterion) {
    // Built once, as a workspace file on disk like the app's: the first page and the counts
    // only read it.
    let stored = scaled(STORED);
    let mut file = fresh_file_workspace();
    assert_eq!(import(&mut file.ws, &demo_ndjson(stored)), stored as u64);
    let ws = &file.ws;

    let searches = [
        ("all", Criteria::default()),
        (
            "failures",
            Criteria {
                outcome: Some(Outcome::Failure),
                ..Criteria::default()
            },
        ),
    ];
    let mut group = c.benchmark_group("first_page_of_20000");
    for (id, criteria) in &searches {
        let mut pager = Pager::new(ws, criteria.clone()).expect("a search");
        assert_eq!(pager.page(ws, 0, 100).expect("a page").rows.len(), 100);
        // What the app does for a new search: count the matches, then read the newest 100.
        group.bench_function(*id, |b| {
            b.iter(|| {
                let mut pager = Pager::new(ws, black_box(criteria.clone())).expect("a search");
                pager.page(ws, 0, 100).expect("a page")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("stats_of_20000");
    let all = Criteria::default();
    assert!(!ws.count_by_code(&all, 0).expect("a count").is_empty());
    assert!(
        !ws.count_by_failed_policy(&all, 0)
            .expect("a count")
            .is_empty()
    );
    group.bench_function("count_by_code", |b| {
        b.iter(|| ws.count_by_code(black_box(&all), 0).expect("a count"))
    });
    group.bench_function("count_by_failed_policy", |b| {
        b.iter(|| {
            ws.count_by_failed_policy(black_box(&all), 0)
                .expect("a count")
        })
    });
    group.finish();
}

criterion_group!(benches, importing, searching_and_counting);
criterion_main!(benches);
