//! Reports from the window: the results list or one sign-in's diagnosis saved as HTML, PDF,
//! CSV or JSON where the person picks in the system's save dialog, and the diagnosis as text
//! or Markdown for a ticket (the window puts it on the clipboard). The work is `signin-report`'s;
//! this module gathers the sign-ins from the workspace and writes the file.

use std::path::PathBuf;

use serde::Deserialize;
use signin_core::diagnose::Settings;

use signin_report::{Format, Options, Report};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::dto::CriteriaDto;
use crate::error::{AppError, ErrorCode, IpcError};
use crate::state::{self, AppState, RESULT_LIMIT};
use signin_core::messages::Message;

/// What to put in a report: one sign-in's diagnosis (`requestId`) or the sign-ins a search
/// finds (`criteria`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportRequest {
    pub request_id: Option<String>,
    pub criteria: Option<CriteriaDto>,
    /// Replace people, addresses, devices and tenants by pseudonyms.
    pub redact: bool,
}

/// The report asked for, in the window's language.
pub fn build(
    state: &AppState,
    request: &ReportRequest,
    format: Option<Format>,
) -> Result<Report, AppError> {
    let lang = state.language();
    let ws = state.workspace();
    let (events, diagnosis) = match request
        .request_id
        .as_deref()
        .filter(|id| !id.trim().is_empty())
    {
        Some(id) => {
            let stored = ws.get(id)?.ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    Message::new("desktop.error.no-such-sign-in").with("id", id),
                )
            })?;
            let settings = Settings {
                lang,
                ..Settings::default()
            };
            let diagnosis = ws.diagnose(&stored.event, &settings)?;
            let attempt = ws.attempt(stored.event, 0)?;
            (attempt, Some(diagnosis))
        }
        None => {
            let criteria = state::criteria(&request.criteria.clone().unwrap_or_default())?;
            // A table to read holds what the results list shows; data files hold every match.
            let limit = match format {
                Some(Format::Csv | Format::Json) => 0,
                _ => RESULT_LIMIT,
            };
            let events = ws
                .search(&criteria, limit)?
                .events
                .into_iter()
                .map(|s| s.event)
                .collect();
            (events, None)
        }
    };
    drop(ws);
    Ok(Report::new(
        &events,
        diagnosis,
        Options {
            lang,
            redact: request.redact,
            generated_at: Some(chrono::Utc::now()),
        },
    ))
}

/// Writes the report in `format` to `path`.
pub fn write(
    state: &AppState,
    request: &ReportRequest,
    format: Format,
    path: &std::path::Path,
) -> Result<(), AppError> {
    let bytes = build(state, request, Some(format))?
        .render(format)
        .map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                Message::new("desktop.error.report-not-made").with("detail", e),
            )
        })?;
    std::fs::write(path, bytes).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            Message::new("desktop.error.report-not-saved")
                .with("path", path.display())
                .with("detail", e),
        )
    })
}

/// Where to save: the system's save dialog. Debug builds (the end-to-end tests) may name the
/// file in `SIGNIN_DOCTOR_REPORT_PATH` instead, as no test can click a native dialog; release
/// builds always ask.
fn choose_path(app: &AppHandle, format: Format, lang: signin_core::Lang) -> Option<PathBuf> {
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("SIGNIN_DOCTOR_REPORT_PATH").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let name = match format {
        Format::Html => "HTML",
        Format::Pdf => "PDF",
        Format::Csv => "CSV",
        Format::Json => "JSON",
    };
    app.dialog()
        .file()
        .set_title(signin_core::messages::tr(
            lang,
            "desktop.dialog.save-report",
            &[],
        ))
        .set_file_name(format!("sign-in-report.{}", format.id()))
        .add_filter(name, &[format.id()])
        .blocking_save_file()
        .and_then(|f| f.into_path().ok())
}

/// Saves a report in `format` (`html`, `pdf`, `csv`, `json`) where the person picks. Returns
/// the path written, or `None` when they cancelled.
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    format: String,
    request: ReportRequest,
) -> Result<Option<String>, IpcError> {
    let lang = app.state::<AppState>().language();
    let format = Format::from_id(&format).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidInput,
            Message::new("desktop.error.unknown-report-format").with("format", &format),
        )
        .say(lang)
    })?;
    let Some(path) = choose_path(&app, format, lang) else {
        return Ok(None);
    };
    // Laying out a long PDF takes a moment: off the thread that serves the window.
    let written = path.display().to_string();
    tauri::async_runtime::spawn_blocking(move || {
        write(&app.state::<AppState>(), &request, format, &path)
    })
    .await
    .unwrap_or_else(|e| {
        Err(AppError::new(
            ErrorCode::Storage,
            Message::new("desktop.error.report-not-made").with("detail", e),
        ))
    })
    .map_err(|e| e.say(lang))?;
    Ok(Some(written))
}

/// The diagnosis of a sign-in for a ticket, as plain text or Markdown, optionally redacted.
#[tauri::command]
pub async fn ticket_text(
    state: State<'_, AppState>,
    request: ReportRequest,
    markdown: bool,
) -> Result<String, IpcError> {
    let lang = state.language();
    if request.request_id.is_none() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            Message::new("desktop.error.ticket-needs-id"),
        )
        .say(lang));
    }
    let report = build(&state, &request, None).map_err(|e| e.say(lang))?;
    let text = if markdown {
        report.ticket_markdown()
    } else {
        report.ticket_text()
    };
    Ok(text.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn demo() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(&dir.path().join("workspace.sqlite"));
        state.open_demo().unwrap();
        (dir, state)
    }

    fn failure_of(state: &AppState, user: &str) -> crate::dto::SearchResults {
        state
            .search(&CriteriaDto {
                user: Some(user.into()),
                status: Some("failure".into()),
                ..CriteriaDto::default()
            })
            .unwrap()
    }

    #[test]
    fn a_redacted_html_report_of_a_diagnosis_is_saved_without_the_persons_name() {
        let (dir, state) = demo();
        let found = failure_of(&state, "hugo");
        let row = &found.rows[0];
        let path = dir.path().join("hugo.html");
        let request = ReportRequest {
            request_id: Some(row.id.clone()),
            redact: true,
            ..ReportRequest::default()
        };
        write(&state, &request, Format::Html, &path).unwrap();
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.contains("Redacted for sharing"));
        assert!(html.contains(&row.id));
        for original in [
            row.user_display_name.as_deref().unwrap(),
            row.user_principal_name.as_deref().unwrap(),
        ] {
            assert!(!html.contains(original), "{original}");
        }
    }

    #[test]
    fn the_results_list_exports_as_csv_in_the_windows_language() {
        let (dir, state) = demo();
        state.set_language("nl").unwrap();
        let found = failure_of(&state, "hugo");
        let path = dir.path().join("hugo.csv");
        let request = ReportRequest {
            criteria: Some(CriteriaDto {
                user: Some("hugo".into()),
                status: Some("failure".into()),
                ..CriteriaDto::default()
            }),
            ..ReportRequest::default()
        };
        write(&state, &request, Format::Csv, &path).unwrap();
        let csv = std::fs::read_to_string(&path).unwrap();
        assert!(csv.starts_with("Datum (UTC),Gebruiker,"));
        assert_eq!(csv.lines().count(), found.total + 1);
    }

    #[test]
    fn a_ticket_needs_a_sign_in() {
        let (_dir, state) = demo();
        let found = failure_of(&state, "hugo");
        let request = ReportRequest {
            request_id: Some(found.rows[0].id.clone()),
            ..ReportRequest::default()
        };
        let report = build(&state, &request, None).unwrap();
        let md = report.ticket_markdown().unwrap();
        assert!(md.starts_with("## Sign-in problem: "));
        let missing = build(
            &state,
            &ReportRequest {
                request_id: Some("nope".into()),
                ..ReportRequest::default()
            },
            None,
        );
        assert_eq!(missing.err().map(|e| e.code()), Some(ErrorCode::NotFound));
    }
}
