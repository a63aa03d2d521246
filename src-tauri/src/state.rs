//! The app's state and the work behind each command, in plain Rust so that it is tested
//! without a window. Commands in `commands.rs` only call these methods.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use signin_core::demo::{self, DemoOptions};
use signin_core::diagnose::Settings;
use signin_core::{Criteria, EventSummary, Lang, Outcome, aadsts, import_stream, time};
use signin_store::{
    FileError, ImportControl, Pager, Progress, SearchGate, SourceRecord, Workspace,
};

use crate::dto::{
    CriteriaDto, DatasetInfo, Explanation, FileReport, ImportProgress, OpenReport, SearchPage,
    SearchResults, SignInDetail, SourceDto,
};
use crate::error::{AppError, ErrorCode};
use signin_core::messages::Message;

/// At most this many result rows go to the webview; the total is always reported.
pub const RESULT_LIMIT: usize = 500;
/// At most this many rows in one page of the results table.
pub const PAGE_LIMIT: u64 = 500;
/// At most this many warnings per file go to the webview; the count is always reported.
const WARNING_LIMIT: usize = 50;
/// The name the demo data set is shown under.
pub const DEMO_NAME: &str = "Demo: Harbor & Pine Architects (one week)";
/// How deep "open a folder" looks for exports (Extractor Suite nests them three levels down).
const FOLDER_DEPTH: usize = 4;

/// Everything the app holds: the workspace, files that could not be opened this session, and
/// the language diagnoses and explanations are written in (the window's, set through
/// `set_language`).
#[derive(Debug)]
pub struct AppState {
    workspace: Mutex<Workspace>,
    location: String,
    problem: Option<AppError>,
    /// Files that could not be opened, with why: said in the window's language each time the
    /// summary is asked for.
    failed: Mutex<Vec<(String, Arc<AppError>)>>,
    cancel: AtomicBool,
    lang: Mutex<Lang>,
    /// Which results-table search is current, and that search (see `search_begin`).
    gate: SearchGate,
    pager: Mutex<Option<(u64, Pager)>>,
}

impl AppState {
    /// Opens the workspace at `path`. When that fails (a workspace from a newer app, a
    /// read-only folder) the app still works, in memory, and says why.
    pub fn open(path: &Path) -> AppState {
        let (workspace, problem) = match Workspace::open(path) {
            Ok(ws) => (ws, None),
            Err(e) => (
                Workspace::in_memory().expect("SQLite can always open a database in memory"),
                Some(AppError::from(e)),
            ),
        };
        AppState {
            gate: SearchGate::new(&workspace),
            pager: Mutex::new(None),
            workspace: Mutex::new(workspace),
            location: path.display().to_string(),
            problem,
            failed: Mutex::new(Vec::new()),
            cancel: AtomicBool::new(false),
            lang: Mutex::new(Lang::En),
        }
    }

    /// Writes diagnoses and explanations in the language of `tag` (`en`, `nl`, also `nl-BE`)
    /// from now on; a language the app does not speak is refused and changes nothing.
    pub fn set_language(&self, tag: &str) -> Result<Lang, AppError> {
        let lang = Lang::from_tag(tag).ok_or_else(|| {
            AppError::new(
                ErrorCode::InvalidInput,
                Message::new("desktop.error.unknown-language").with("tag", tag),
            )
        })?;
        *self.lang.lock().unwrap_or_else(|e| e.into_inner()) = lang;
        Ok(lang)
    }

    /// The language diagnoses and explanations are written in.
    pub fn language(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Imports export files and folders of them. Each file is one transaction: a file that
    /// cannot be read, or the one running when Cancel is pressed, leaves nothing behind.
    pub fn open_files(
        &self,
        paths: &[PathBuf],
        on_progress: &mut dyn FnMut(ImportProgress),
    ) -> OpenReport {
        self.cancel.store(false, Ordering::Relaxed);
        let lang = self.language();
        let mut files = Vec::new();
        for path in expand(paths) {
            if self.cancel.load(Ordering::Relaxed) {
                files.push(failed_report(
                    display_name(&path),
                    AppError::new(
                        ErrorCode::Cancelled,
                        Message::new("desktop.error.cancelled"),
                    )
                    .say(lang),
                ));
                continue;
            }
            let name = display_name(&path);
            let file = match File::open(&path) {
                Ok(file) => file,
                Err(e) => {
                    let error = AppError::new(
                        ErrorCode::UnreadableFile,
                        Message::new("desktop.error.cannot-open")
                            .with("path", path.display())
                            .with("detail", e),
                    );
                    files.push(self.remember_failure(name, error, lang));
                    continue;
                }
            };
            let started = Instant::now();
            let mut report = |p: &Progress| {
                let seconds = started.elapsed().as_secs_f64();
                on_progress(ImportProgress {
                    file: p.file.clone(),
                    bytes_read: p.bytes_read,
                    bytes_total: p.bytes_total,
                    records: p.records,
                    records_per_second: if seconds > 0.05 {
                        (p.records as f64 / seconds) as u64
                    } else {
                        0
                    },
                    indexing: p.indexing,
                });
            };
            let control = ImportControl {
                cancel: &self.cancel,
                on_progress: &mut report,
                interval: Duration::from_millis(100),
            };
            let outcomes =
                self.workspace()
                    .import(BufReader::with_capacity(1 << 16, file), &name, control);
            for outcome in outcomes {
                files.push(match outcome.result {
                    Ok(source) => file_report(&source, lang),
                    Err(FileError::Cancelled) => failed_report(
                        outcome.name,
                        AppError::new(
                            ErrorCode::Cancelled,
                            Message::new("desktop.error.cancelled"),
                        )
                        .say(lang),
                    ),
                    Err(FileError::Import(e)) => {
                        self.remember_failure(outcome.name, AppError::from(e), lang)
                    }
                    Err(FileError::Store(e)) => {
                        self.remember_failure(outcome.name, AppError::from(e), lang)
                    }
                });
            }
        }
        OpenReport {
            files,
            total: self.total(),
        }
    }

    /// Stores one page of a live fetch (see [`Workspace::add_page`]).
    pub fn add_live_page(
        &self,
        source: Option<i64>,
        name: &str,
        import: signin_core::Import,
    ) -> Result<SourceRecord, AppError> {
        Ok(self.workspace().add_page(source, name, import)?)
    }

    /// Stops the import that is running; its current file is rolled back.
    pub fn cancel_import(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Adds the bundled demo data (generated, so always the same).
    pub fn open_demo(&self) -> Result<OpenReport, AppError> {
        let text = demo::generate(&DemoOptions::default());
        let import =
            import_stream(text.as_bytes(), "").expect("the demo generator writes importable JSON");
        let source = self.workspace().add(DEMO_NAME, import)?;
        Ok(OpenReport {
            files: vec![file_report(&source, self.language())],
            total: self.total(),
        })
    }

    /// Empties the workspace.
    pub fn clear(&self) -> Result<(), AppError> {
        self.workspace().clear()?;
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Ok(())
    }

    pub fn info(&self) -> Result<DatasetInfo, AppError> {
        let lang = self.language();
        let ws = self.workspace();
        let mut files: Vec<FileReport> =
            ws.sources()?.iter().map(|s| file_report(s, lang)).collect();
        files.extend(
            self.failed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(|(name, error)| failed_report(name.clone(), error.say(lang))),
        );
        let span = ws.span()?;
        Ok(DatasetInfo {
            total: ws.len()? as usize,
            files,
            newest: span.as_ref().map(|s| s.0.clone()),
            oldest: span.map(|s| s.1),
            workspace: self.location.clone(),
            workspace_problem: self.problem.as_ref().map(|p| p.text(lang)),
        })
    }

    pub fn search(&self, form: &CriteriaDto) -> Result<SearchResults, AppError> {
        let criteria = criteria(form)?;
        let found = self.workspace().search(&criteria, RESULT_LIMIT)?;
        Ok(SearchResults {
            total: found.total as usize,
            rows: found
                .events
                .iter()
                .map(|s| EventSummary::of(&s.event))
                .collect(),
        })
    }

    /// Starts a search for the results table: counts the matches once and reads the first
    /// `limit` rows. Every older search is stale from now on: its running query stops and
    /// its answers come back as `stale`.
    pub fn search_begin(&self, form: &CriteriaDto, limit: u64) -> Result<SearchPage, AppError> {
        let search = self.gate.begin();
        let criteria = criteria(form)?;
        let ws = self.workspace();
        let found = self.gate.run(search, || {
            let mut pager = Pager::new(&ws, criteria)?;
            let page = pager.page(&ws, 0, limit.min(PAGE_LIMIT))?;
            Ok((pager, page))
        })?;
        let Some((pager, page)) = found else {
            return Ok(stale(search));
        };
        let total = pager.total();
        // Stored while the workspace is still locked, so no newer search can store first.
        *self.pager.lock().unwrap_or_else(|e| e.into_inner()) = Some((search, pager));
        drop(ws);
        Ok(SearchPage {
            search,
            total,
            offset: 0,
            rows: page.rows,
            stale: false,
        })
    }

    /// Rows `offset..offset + limit` of the search `search_begin` numbered `search`.
    pub fn search_page(
        &self,
        search: u64,
        offset: u64,
        limit: u64,
    ) -> Result<SearchPage, AppError> {
        if !self.gate.is_current(search) {
            return Ok(stale(search));
        }
        let ws = self.workspace();
        let mut current = self.pager.lock().unwrap_or_else(|e| e.into_inner());
        let Some((_, pager)) = current.as_mut().filter(|(s, _)| *s == search) else {
            return Ok(stale(search));
        };
        let page = self
            .gate
            .run(search, || pager.page(&ws, offset, limit.min(PAGE_LIMIT)))?;
        Ok(match page {
            Some(page) => SearchPage {
                search,
                total: pager.total(),
                offset: page.offset,
                rows: page.rows,
                stale: false,
            },
            None => stale(search),
        })
    }

    /// One sign-in with its diagnosis: the rest of its attempt (same correlation ID) and the
    /// sign-ins of the 48 hours around it come from the workspace.
    pub fn sign_in(&self, request_id: &str) -> Result<SignInDetail, AppError> {
        let ws = self.workspace();
        let stored = ws.get(request_id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                Message::new("desktop.error.no-such-sign-in").with("id", request_id),
            )
        })?;
        let settings = Settings {
            lang: self.language(),
            ..Settings::default()
        };
        let diagnosis = ws.diagnose(&stored.event, &settings)?;
        drop(ws);
        Ok(SignInDetail {
            diagnosis,
            summary: EventSummary::of(&stored.event),
            event: serde_json::to_value(&stored.event).unwrap_or_default(),
            raw: stored.raw,
            source: SourceDto {
                file: stored.source,
                record: stored.position.record,
                line: stored.position.line,
            },
        })
    }

    pub(crate) fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn total(&self) -> usize {
        self.workspace().len().unwrap_or(0) as usize
    }

    /// Keeps a file that could not be opened for the summary; its report, said in `lang`.
    fn remember_failure(&self, name: String, error: AppError, lang: Lang) -> FileReport {
        let report = failed_report(name.clone(), error.say(lang));
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name, Arc::new(error)));
        report
    }
}

/// Explains an error code, a pasted error, or finds codes by words, in `lang`.
pub fn explain(text: &str, lang: Lang) -> Explanation {
    let pasted = aadsts::parse_pasted(text);
    Explanation {
        code: pasted.code,
        request_id: pasted.request_id,
        correlation_id: pasted.correlation_id,
        timestamp: pasted
            .timestamp
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        link: pasted.code.map(aadsts::link),
        entry: pasted
            .code
            .and_then(|code| aadsts::lookup_in(code, lang))
            .cloned(),
        matches: if pasted.code.is_none() {
            aadsts::search_in(text, lang)
                .into_iter()
                .take(20)
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Links the app opens in the browser: Microsoft's admin center, error pages and docs only.
pub fn is_openable_link(url: &str) -> bool {
    const ALLOWED: &[&str] = &[
        "https://entra.microsoft.com/",
        "https://login.microsoftonline.com/error",
        "https://learn.microsoft.com/",
    ];
    ALLOWED.iter().any(|prefix| url.starts_with(prefix)) && !url.contains(char::is_whitespace)
}

/// The files to import: files as given, folders searched for files (hidden ones skipped),
/// in name order so that every run reads them alike.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            out.push(dir.to_owned());
            return;
        };
        let mut entries: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        entries.sort();
        for entry in entries {
            if entry.is_dir() {
                if depth > 0 {
                    walk(&entry, depth - 1, out);
                }
            } else {
                out.push(entry);
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, FOLDER_DEPTH, &mut out);
        } else {
            out.push(path.clone());
        }
    }
    out
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn file_report(source: &SourceRecord, lang: Lang) -> FileReport {
    FileReport {
        name: source.name.clone(),
        format: source.format.map(|f| f.id().to_owned()),
        format_name: source.format.map(|f| f.name_in(lang)),
        added: source.added,
        duplicates: source.duplicates,
        auth_steps: source.auth_steps,
        warning_count: source.warnings.len(),
        warnings: source
            .warnings
            .iter()
            .take(WARNING_LIMIT)
            .map(|w| w.message(lang))
            .collect(),
        error: None,
    }
}

/// The answer to a search that a newer one replaced.
fn stale(search: u64) -> SearchPage {
    SearchPage {
        search,
        total: 0,
        offset: 0,
        rows: Vec::new(),
        stale: true,
    }
}

fn failed_report(name: String, error: crate::error::IpcError) -> FileReport {
    FileReport {
        name,
        format: None,
        format_name: None,
        added: 0,
        duplicates: 0,
        auth_steps: 0,
        warning_count: 0,
        warnings: Vec::new(),
        error: Some(error),
    }
}

/// Turns the form into search criteria; a time that cannot be read is an `invalid_input`.
pub(crate) fn criteria(form: &CriteriaDto) -> Result<Criteria, AppError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let when = |label: &str,
                v: &Option<String>|
     -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
        match text(v) {
            None => Ok(None),
            Some(t) => time::parse_user_time(&t).map(Some).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.not-a-time")
                        .with_message("field", label)
                        .with("text", &t),
                )
            }),
        }
    };
    let outcome = match text(&form.status) {
        None => None,
        Some(s) => Some(Outcome::from_name(&s).ok_or_else(|| {
            AppError::new(
                ErrorCode::InvalidInput,
                Message::new("desktop.error.unknown-status").with("status", &s),
            )
        })?),
    };
    let mut criteria = Criteria {
        user: text(&form.user),
        app: text(&form.app),
        request_id: text(&form.request_id),
        correlation_id: text(&form.correlation_id),
        any_id: text(&form.any_id),
        outcome,
        ..Criteria::default()
    };
    if let Some(at) = when("desktop.field.around", &form.around)? {
        criteria = criteria.around(at);
    } else {
        criteria.from = when("desktop.field.from", &form.from)?;
        criteria.to = when("desktop.field.to", &form.to)?;
        if let (Some(from), Some(to)) = (criteria.from, criteria.to)
            && from > to
        {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                Message::new("desktop.error.from-after-to"),
            ));
        }
    }
    Ok(criteria)
}

#[cfg(test)]
mod tests;
