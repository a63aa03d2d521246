//! The commands the webview may call. Each one extracts state, calls one `AppState` method and
//! returns DTOs; the list is repeated in `build.rs` (permissions) and `capabilities/main.json`.
//! Commands that touch the workspace are `async`, so they run off the main thread: a search
//! waiting for a running import must not freeze the window.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::dto::{
    CriteriaDto, DatasetInfo, Explanation, ImportProgress, OpenReport, SearchResults, SignInDetail,
};
use crate::error::{ErrorCode, IpcError};
use crate::state::{self, AppState};

#[tauri::command]
pub async fn dataset_info(state: State<'_, AppState>) -> Result<DatasetInfo, IpcError> {
    state.info()
}

/// Shows the system's open-file dialog. Returns the chosen paths; empty when cancelled.
#[tauri::command]
pub async fn choose_files(app: AppHandle) -> Vec<String> {
    app.dialog()
        .file()
        .set_title("Open sign-in log exports")
        .add_filter(
            "Sign-in log exports",
            &["json", "ndjson", "jsonl", "csv", "txt", "zip", "gz"],
        )
        .add_filter("All files", &["*"])
        .blocking_pick_files()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect()
}

/// Shows the system's folder dialog. Returns the chosen folder; empty when cancelled.
#[tauri::command]
pub async fn choose_folder(app: AppHandle) -> Vec<String> {
    app.dialog()
        .file()
        .set_title("Open a folder of sign-in log exports")
        .blocking_pick_folder()
        .and_then(|f| f.into_path().ok())
        .map(|p| vec![p.display().to_string()])
        .unwrap_or_default()
}

/// Imports files and folders on a worker thread, reporting progress on `on_progress`.
#[tauri::command]
pub async fn open_files(
    app: AppHandle,
    paths: Vec<String>,
    on_progress: Channel<ImportProgress>,
) -> OpenReport {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<AppState>().open_files(&paths, &mut |p| {
            // A closed window has nobody to tell; the import still completes.
            let _ = on_progress.send(p);
        })
    })
    .await
    .unwrap_or_else(|_| OpenReport {
        files: Vec::new(),
        total: 0,
    })
}

/// Stops the running import; the file being read is rolled back.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    state.cancel_import();
}

#[tauri::command]
pub async fn open_demo(state: State<'_, AppState>) -> Result<OpenReport, IpcError> {
    state.open_demo()
}

#[tauri::command]
pub async fn clear_workspace(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.clear()
}

#[tauri::command]
pub async fn search_sign_ins(
    state: State<'_, AppState>,
    criteria: CriteriaDto,
) -> Result<SearchResults, IpcError> {
    state.search(&criteria)
}

#[tauri::command]
pub async fn get_sign_in(
    state: State<'_, AppState>,
    request_id: String,
) -> Result<SignInDetail, IpcError> {
    state.sign_in(&request_id)
}

/// Explains an AADSTS code or a pasted error message.
#[tauri::command]
pub fn explain_error(text: String) -> Explanation {
    state::explain(&text)
}

/// Opens a Microsoft admin center or documentation link in the system browser; any other
/// address is refused.
#[tauri::command]
pub fn open_link(app: AppHandle, url: String) -> Result<(), IpcError> {
    if !state::is_openable_link(&url) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("Sign-in Doctor only opens Microsoft links, not {url}."),
        ));
    }
    app.opener().open_url(url, None::<&str>).map_err(|e| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("The browser could not be opened: {e}"),
        )
    })
}
