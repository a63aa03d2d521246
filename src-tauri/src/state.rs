//! The app's state and the work behind each command, in plain Rust so that it is tested
//! without a window. Commands in `commands.rs` only call these methods.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use signin_core::demo::{self, DemoOptions};
use signin_core::{
    Criteria, Dataset, EventSummary, Import, Outcome, Source, import_source, import_stream, time,
};

use crate::dto::{
    CriteriaDto, DatasetInfo, FileReport, OpenReport, SearchResults, SignInDetail, SourceDto,
};
use crate::error::{ErrorCode, IpcError};

/// At most this many result rows go to the webview; the total is always reported.
pub const RESULT_LIMIT: usize = 500;
/// At most this many warnings per file go to the webview; the count is always reported.
const WARNING_LIMIT: usize = 50;
/// The name the demo data set is shown under.
pub const DEMO_NAME: &str = "Demo: Harbor & Pine Architects (one week)";

/// Everything the app holds: the sign-ins of the opened files.
#[derive(Debug, Default)]
pub struct AppState {
    dataset: RwLock<Dataset>,
    /// Files that could not be opened, with why; shown with the opened ones.
    failed: RwLock<Vec<FileReport>>,
}

impl AppState {
    /// Opens export files and adds their sign-ins. A file that cannot be read is reported in
    /// its own entry; the others still open.
    pub fn open_files(&self, paths: &[PathBuf]) -> OpenReport {
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            for (name, result) in read_file(path) {
                match result {
                    Ok(import) => {
                        let mut dataset = self.write();
                        files.push(file_report(dataset.add(name, import)));
                    }
                    Err(error) => {
                        let report = failed_report(name, error);
                        self.failed
                            .write()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(report.clone());
                        files.push(report);
                    }
                }
            }
        }
        OpenReport {
            files,
            total: self.read().len(),
        }
    }

    /// Adds the bundled demo data (generated, so always the same).
    pub fn open_demo(&self) -> OpenReport {
        let text = demo::generate(&DemoOptions::default());
        let import =
            import_stream(text.as_bytes(), "").expect("the demo generator writes importable JSON");
        let mut dataset = self.write();
        let report = file_report(dataset.add(DEMO_NAME, import));
        OpenReport {
            files: vec![report],
            total: dataset.len(),
        }
    }

    /// Forgets every opened file.
    pub fn close(&self) {
        *self.write() = Dataset::default();
        self.failed
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    pub fn info(&self) -> DatasetInfo {
        let dataset = self.read();
        let all = dataset.search(&Criteria::default());
        let stamp = |s: Option<&&signin_core::StoredEvent>| {
            s.map(|s| EventSummary::of(&s.event).created_date_time)
        };
        let mut files: Vec<FileReport> = dataset.sources().iter().map(file_report).collect();
        files.extend(
            self.failed
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .cloned(),
        );
        DatasetInfo {
            total: dataset.len(),
            newest: stamp(all.first()),
            oldest: stamp(all.last()),
            files,
        }
    }

    pub fn search(&self, form: &CriteriaDto) -> Result<SearchResults, IpcError> {
        let criteria = criteria(form)?;
        let dataset = self.read();
        let found = dataset.search(&criteria);
        let rows = found
            .iter()
            .take(RESULT_LIMIT)
            .map(|s| EventSummary::of(&s.event))
            .collect();
        Ok(SearchResults {
            total: found.len(),
            rows,
        })
    }

    pub fn sign_in(&self, request_id: &str) -> Result<SignInDetail, IpcError> {
        let dataset = self.read();
        let stored = dataset.get(request_id).ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotFound,
                format!("No sign-in with request ID {request_id} is open."),
            )
        })?;
        let event = serde_json::to_value(&stored.event).unwrap_or_default();
        Ok(SignInDetail {
            summary: EventSummary::of(&stored.event),
            event,
            raw: stored.raw.to_string(),
            source: SourceDto {
                file: dataset.sources()[stored.source].name.clone(),
                record: stored.position.record,
                line: stored.position.line,
            },
        })
    }

    fn read(&self) -> RwLockReadGuard<'_, Dataset> {
        self.dataset.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Dataset> {
        self.dataset.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads a file, or each member of a zip archive, as (name shown, what it held).
fn read_file(path: &Path) -> Vec<(String, Result<Import, IpcError>)> {
    let name = display_name(path);
    match File::open(path) {
        Ok(file) => import_source(BufReader::with_capacity(1 << 16, file), &name)
            .into_iter()
            .map(|(n, r)| (n, r.map_err(IpcError::from)))
            .collect(),
        Err(e) => vec![(
            name,
            Err(IpcError::new(
                ErrorCode::UnreadableFile,
                format!("Cannot open {}: {e}", path.display()),
            )),
        )],
    }
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn file_report(source: &Source) -> FileReport {
    FileReport {
        name: source.name.clone(),
        format: Some(source.format.id().to_owned()),
        format_name: Some(source.format.display_name().to_owned()),
        added: source.added,
        duplicates: source.duplicates,
        warning_count: source.warnings.len(),
        warnings: source
            .warnings
            .iter()
            .take(WARNING_LIMIT)
            .map(|w| w.message.clone())
            .collect(),
        error: None,
    }
}

fn failed_report(name: String, error: IpcError) -> FileReport {
    FileReport {
        name,
        format: None,
        format_name: None,
        added: 0,
        duplicates: 0,
        warning_count: 0,
        warnings: Vec::new(),
        error: Some(error),
    }
}

/// Turns the form into search criteria; a time that cannot be read is an `invalid_input`.
fn criteria(form: &CriteriaDto) -> Result<Criteria, IpcError> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let when = |label: &str,
                v: &Option<String>|
     -> Result<Option<chrono::DateTime<chrono::Utc>>, IpcError> {
        match text(v) {
            None => Ok(None),
            Some(t) => time::parse_user_time(&t).map(Some).ok_or_else(|| {
                IpcError::new(
                    ErrorCode::InvalidInput,
                    format!("{label}: \"{t}\" is not a date and time."),
                )
            }),
        }
    };
    let outcome = match text(&form.status) {
        None => None,
        Some(s) => Some(Outcome::from_name(&s).ok_or_else(|| {
            IpcError::new(ErrorCode::InvalidInput, format!("Unknown status \"{s}\"."))
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
    if let Some(at) = when("Around", &form.around)? {
        criteria = criteria.around(at);
    } else {
        criteria.from = when("From", &form.from)?;
        criteria.to = when("To", &form.to)?;
        if let (Some(from), Some(to)) = (criteria.from, criteria.to)
            && from > to
        {
            return Err(IpcError::new(
                ErrorCode::InvalidInput,
                "\"From\" is after \"To\".",
            ));
        }
    }
    Ok(criteria)
}

#[cfg(test)]
mod tests;
