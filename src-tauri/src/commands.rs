//! The commands the webview may call. Each one extracts state, calls one `AppState` method and
//! returns DTOs; the list is repeated in `build.rs` (permissions) and `capabilities/main.json`.

use std::path::PathBuf;

use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::dto::{CriteriaDto, DatasetInfo, OpenReport, SearchResults, SignInDetail};
use crate::error::IpcError;
use crate::state::AppState;

#[tauri::command]
pub fn dataset_info(state: State<'_, AppState>) -> DatasetInfo {
    state.info()
}

/// Shows the system's open-file dialog. Returns the chosen paths; empty when cancelled.
#[tauri::command]
pub async fn choose_files(app: AppHandle) -> Vec<String> {
    app.dialog()
        .file()
        .set_title("Open sign-in log exports")
        .add_filter("Sign-in log exports", &["json", "ndjson", "jsonl", "txt"])
        .add_filter("All files", &["*"])
        .blocking_pick_files()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect()
}

/// Imports files on a worker thread so the window stays responsive.
#[tauri::command]
pub async fn open_files(app: AppHandle, paths: Vec<String>) -> OpenReport {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    tauri::async_runtime::spawn_blocking(move || {
        use tauri::Manager;
        app.state::<AppState>().open_files(&paths)
    })
    .await
    .unwrap_or_else(|_| OpenReport {
        files: Vec::new(),
        total: 0,
    })
}

#[tauri::command]
pub fn open_demo(state: State<'_, AppState>) -> OpenReport {
    state.open_demo()
}

#[tauri::command]
pub fn close_dataset(state: State<'_, AppState>) {
    state.close();
}

#[tauri::command]
pub fn search_sign_ins(
    state: State<'_, AppState>,
    criteria: CriteriaDto,
) -> Result<SearchResults, IpcError> {
    state.search(&criteria)
}

#[tauri::command]
pub fn get_sign_in(
    state: State<'_, AppState>,
    request_id: String,
) -> Result<SignInDetail, IpcError> {
    state.sign_in(&request_id)
}
