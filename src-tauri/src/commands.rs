//! The commands the webview may call. Each one extracts state, calls one `AppState` method and
//! returns DTOs; the list is repeated in `build.rs` (permissions) and `capabilities/main.json`.
//! Commands that touch the workspace are `async`, so they run off the main thread: a search
//! waiting for a running import must not freeze the window.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::DataDir;
use crate::dto::{
    CriteriaDto, DatasetInfo, Explanation, ImportProgress, OpenReport, SearchPage, SearchResults,
    SignInDetail,
};
use crate::error::{AppError, ErrorCode, IpcError};
use crate::live::{
    DeviceCodeDto, FetchProgress, FetchReport, LiveState, LiveStatus, ProfileInput, SignInReport,
};
use crate::state::{self, AppState};
use crate::update::{self, AppInfo, UpdateInfo, UpdateProgress};
use signin_core::messages::{Message, tr};

#[tauri::command]
pub async fn dataset_info(state: State<'_, AppState>) -> Result<DatasetInfo, IpcError> {
    said(&state, state.info())
}

/// Says a failure in the window's language.
fn said<T>(state: &AppState, result: Result<T, AppError>) -> Result<T, IpcError> {
    result.map_err(|e| e.say(state.language()))
}

/// Shows the system's open-file dialog. Returns the chosen paths; empty when cancelled.
#[tauri::command]
pub async fn choose_files(app: AppHandle) -> Vec<String> {
    let lang = app.state::<AppState>().language();
    app.dialog()
        .file()
        .set_title(tr(lang, "desktop.dialog.open-files", &[]))
        .add_filter(
            tr(lang, "desktop.dialog.exports", &[]),
            &["json", "ndjson", "jsonl", "csv", "txt", "zip", "gz"],
        )
        .add_filter(tr(lang, "desktop.dialog.all-files", &[]), &["*"])
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
    let lang = app.state::<AppState>().language();
    app.dialog()
        .file()
        .set_title(tr(lang, "desktop.dialog.open-folder", &[]))
        .blocking_pick_folder()
        .and_then(|f| f.into_path().ok())
        .map(|p| vec![p.display().to_string()])
        .unwrap_or_default()
}

/// Shows the open-file dialog for an app registration's certificate (PEM). Empty when cancelled.
#[tauri::command]
pub async fn choose_certificate(app: AppHandle) -> Vec<String> {
    let lang = app.state::<AppState>().language();
    app.dialog()
        .file()
        .set_title(tr(lang, "desktop.dialog.certificate", &[]))
        .add_filter(
            tr(lang, "desktop.dialog.certificate-filter", &[]),
            &["pem", "crt", "key"],
        )
        .add_filter(tr(lang, "desktop.dialog.all-files", &[]), &["*"])
        .blocking_pick_file()
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
    said(&state, state.open_demo())
}

#[tauri::command]
pub async fn clear_workspace(state: State<'_, AppState>) -> Result<(), IpcError> {
    said(&state, state.clear())
}

#[tauri::command]
pub async fn search_sign_ins(
    state: State<'_, AppState>,
    criteria: CriteriaDto,
) -> Result<SearchResults, IpcError> {
    said(&state, state.search(&criteria))
}

/// Starts a search for the results table: the total and the first `limit` rows. Runs on a
/// worker thread; a newer search stops this one and makes its answers `stale`.
#[tauri::command]
pub async fn search_begin(
    app: AppHandle,
    criteria: CriteriaDto,
    limit: u64,
) -> Result<SearchPage, IpcError> {
    on_worker(app, move |state| state.search_begin(&criteria, limit)).await
}

/// Rows `offset..offset + limit` of the search `search_begin` numbered `search`, on a worker
/// thread; `stale` once a newer search began.
#[tauri::command]
pub async fn search_page(
    app: AppHandle,
    search: u64,
    offset: u64,
    limit: u64,
) -> Result<SearchPage, IpcError> {
    on_worker(app, move |state| state.search_page(search, offset, limit)).await
}

/// Runs SQLite work on the blocking pool, never on the thread serving the window.
async fn on_worker<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
) -> Result<T, IpcError> {
    let worker = app.clone();
    let result = tauri::async_runtime::spawn_blocking(move || work(&worker.state::<AppState>()))
        .await
        .unwrap_or_else(|e| {
            Err(AppError::new(
                ErrorCode::Storage,
                Message::new("desktop.error.search-stopped").with("detail", e),
            ))
        });
    said(&app.state::<AppState>(), result)
}

#[tauri::command]
pub async fn get_sign_in(
    state: State<'_, AppState>,
    request_id: String,
) -> Result<SignInDetail, IpcError> {
    said(&state, state.sign_in(&request_id))
}

/// Explains an AADSTS code or a pasted error message, in the window's language.
#[tauri::command]
pub fn explain_error(state: State<'_, AppState>, text: String) -> Explanation {
    state::explain(&text, state.language())
}

/// The window's language (`en`, `nl`): diagnoses and error explanations are written in it from
/// now on. The window calls it at start and whenever the user switches.
#[tauri::command]
pub fn set_language(state: State<'_, AppState>, lang: String) -> Result<(), IpcError> {
    said(&state, state.set_language(&lang).map(|_| ()))
}

/// Opens a Microsoft admin center or documentation link in the system browser; any other
/// address is refused.
#[tauri::command]
pub fn open_link(app: AppHandle, url: String) -> Result<(), IpcError> {
    let state = app.state::<AppState>();
    if !state::is_openable_link(&url) {
        return said(
            &state,
            Err(AppError::new(
                ErrorCode::InvalidInput,
                Message::new("desktop.error.not-microsoft-link").with("url", &url),
            )),
        );
    }
    let opened = app.opener().open_url(url, None::<&str>).map_err(|e| {
        AppError::new(
            ErrorCode::InvalidInput,
            Message::new("desktop.error.browser").with("detail", e),
        )
    });
    said(&state, opened)
}

/// Tenant profiles, the active one, and whether sign-ins are kept in the OS keyring.
#[tauri::command]
pub fn live_status(live: State<'_, LiveState>) -> LiveStatus {
    live.status()
}

/// Creates or changes a tenant profile and makes it the active one.
#[tauri::command]
pub async fn live_save_profile(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    profile: ProfileInput,
) -> Result<LiveStatus, IpcError> {
    said(&state, live.save_profile(profile))
}

#[tauri::command]
pub async fn live_use_profile(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    id: String,
) -> Result<LiveStatus, IpcError> {
    said(&state, live.use_profile(&id))
}

/// Signs a profile out and forgets it.
#[tauri::command]
pub async fn live_remove_profile(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    id: String,
) -> Result<LiveStatus, IpcError> {
    said(&state, live.remove_profile(&id))
}

/// Signs in by the profile's mode: opens the browser for browser sign-in, or uses the Azure
/// CLI, the client secret typed in, or the certificate.
#[tauri::command]
pub async fn live_sign_in(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    id: String,
    client_secret: Option<String>,
) -> Result<SignInReport, IpcError> {
    let lang = state.language();
    said(&state, live.sign_in(&id, client_secret, lang).await)
}

/// Starts a device-code sign-in: the code to show.
#[tauri::command]
pub async fn live_device_code(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    id: String,
) -> Result<DeviceCodeDto, IpcError> {
    said(&state, live.device_code(&id).await)
}

/// Waits until the device code shown was entered.
#[tauri::command]
pub async fn live_device_code_wait(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
) -> Result<SignInReport, IpcError> {
    said(&state, live.device_code_wait(state.language()).await)
}

/// Opens the page where the device code is entered, in the system browser.
#[tauri::command]
pub fn live_open_device_page(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
) -> Result<(), IpcError> {
    said(&state, live.open_device_page())
}

#[tauri::command]
pub async fn live_sign_out(
    state: State<'_, AppState>,
    live: State<'_, LiveState>,
    id: String,
) -> Result<LiveStatus, IpcError> {
    said(&state, live.sign_out(&id))
}

/// Stops the running sign-in or fetch.
#[tauri::command]
pub fn live_cancel(live: State<'_, LiveState>) {
    live.cancel();
}

/// Fetches the sign-ins the wizard describes from the active tenant into the workspace,
/// reporting progress on `on_progress`.
#[tauri::command]
pub async fn live_fetch(
    app: AppHandle,
    criteria: CriteriaDto,
    on_progress: Channel<FetchProgress>,
) -> Result<FetchReport, IpcError> {
    let live = app.state::<LiveState>();
    let state = app.state::<AppState>();
    let fetched = live
        .fetch(&state, &criteria, &|p| {
            let _ = on_progress.send(p);
        })
        .await;
    said(&state, fetched)
}

/// The app's name, version and data folder, for the About view.
#[tauri::command]
pub fn app_info(app: AppHandle, data: State<'_, DataDir>) -> AppInfo {
    update::app_info(&app, &data.0)
}

/// Asks the release server whether a newer version exists (only when the admin asks for it, or
/// turned on the check at start).
#[tauri::command]
pub async fn check_update(app: AppHandle) -> Result<Option<UpdateInfo>, IpcError> {
    let checked = update::check(&app).await;
    said(&app.state::<AppState>(), checked)
}

/// Downloads, verifies and installs the update found by `check_update`, then restarts.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    on_progress: Channel<UpdateProgress>,
) -> Result<(), IpcError> {
    let installed = update::install(&app, on_progress).await;
    said(&app.state::<AppState>(), installed)
}
