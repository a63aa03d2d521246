//! Self-update and the About view's facts.
//!
//! Updates come from the project's GitHub releases (`latest.json`, signed with the key whose
//! public half is in `tauri.conf.json`); the updater plugin checks the signature before anything
//! is installed. Sign-in Doctor promises that nothing leaves the machine except calls to
//! Microsoft, so it only looks for updates when the admin asks, or has turned on the check at
//! start in About: the choice lives in the UI, this module only answers.

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};
use tauri_plugin_updater::{Update, UpdaterExt};

use crate::error::{AppError, ErrorCode};
use signin_core::messages::Message;

/// What the About view shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    /// The one version of the app, the command line and the installers (the workspace's).
    pub version: String,
    pub identifier: String,
    /// Where the workspace, profiles and vault live.
    pub data_dir: String,
    pub os: String,
    pub arch: String,
}

/// A newer version that can be installed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    pub notes: Option<String>,
    /// RFC 3339, when the release says.
    pub date: Option<String>,
}

/// Progress of an update download.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    pub downloaded: u64,
    pub total: Option<u64>,
}

/// The update found by the last check, kept for `install_update`.
#[derive(Default)]
pub struct PendingUpdate(pub std::sync::Mutex<Option<Update>>);

impl std::fmt::Debug for PendingUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingUpdate")
    }
}

pub fn app_info(app: &AppHandle, data_dir: &std::path::Path) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        identifier: app.config().identifier.clone(),
        data_dir: data_dir.display().to_string(),
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
    }
}

fn update_error(e: tauri_plugin_updater::Error) -> AppError {
    AppError::new(
        ErrorCode::Network,
        Message::new("desktop.error.update").with("detail", e),
    )
}

/// Asks the release server whether a newer version exists.
pub async fn check(app: &AppHandle) -> Result<Option<UpdateInfo>, AppError> {
    let builder = app.updater_builder();
    // Debug builds (tests) may point the check at a local server and key; release builds only
    // ever trust the configured endpoint and key.
    #[cfg(debug_assertions)]
    let builder = {
        let mut builder = builder;
        if let Some(url) = std::env::var("SIGNIN_DOCTOR_UPDATE_URL")
            .ok()
            .and_then(|u| url::Url::parse(&u).ok())
        {
            builder = builder.endpoints(vec![url]).map_err(update_error)?;
        }
        if let Ok(key) = std::env::var("SIGNIN_DOCTOR_UPDATE_PUBKEY") {
            builder = builder.pubkey(key);
        }
        builder
    };
    let update = builder
        .build()
        .map_err(update_error)?
        .check()
        .await
        .map_err(update_error)?;
    let info = update.as_ref().map(|u| UpdateInfo {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone(),
        date: u.date.and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
    });
    *app.state::<PendingUpdate>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = update;
    Ok(info)
}

/// Downloads, verifies and installs the update found by [`check`], then restarts the app.
pub async fn install(
    app: &AppHandle,
    on_progress: Channel<UpdateProgress>,
) -> Result<(), AppError> {
    let update = app
        .state::<PendingUpdate>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        // Kept, so that "Install" can be pressed again after a failed download.
        .clone()
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::InvalidInput,
                Message::new("desktop.error.check-first"),
            )
        })?;
    let mut downloaded = 0u64;
    update
        .download_and_install(
            |chunk, total| {
                downloaded += chunk as u64;
                let _ = on_progress.send(UpdateProgress { downloaded, total });
            },
            || {},
        )
        .await
        .map_err(update_error)?;
    app.restart();
}
