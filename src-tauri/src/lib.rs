//! Sign-in Doctor's desktop shell: Tauri setup, state and commands, nothing more. Everything
//! that decides anything lives in `signin-core`; the UI in `ui/` talks to the commands here
//! through `ui/ipc.js` only.

mod commands;
mod dto;
mod error;
mod live;
mod report;
mod state;
mod update;

use std::path::PathBuf;

use tauri::{Emitter, Manager};

pub use live::LiveState;
pub use state::AppState;

/// What the app was asked to open at start-up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Launch {
    /// `--demo`: open the bundled demo data.
    pub demo: bool,
    /// Export files named on the command line (or by the OS, e.g. "Open with").
    pub files: Vec<PathBuf>,
}

impl Launch {
    /// Reads the process arguments (without the program name).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Launch {
        let mut launch = Launch::default();
        for arg in args {
            match arg.as_str() {
                "--demo" => launch.demo = true,
                a if a.starts_with('-') => {}
                _ => launch.files.push(PathBuf::from(arg)),
            }
        }
        launch
    }
}

/// Where the workspace, profiles and vault live: `SIGNIN_DOCTOR_DATA_DIR` when set (tests,
/// portable use), else the operating system's folder for this app's data (the command line
/// uses the same folder).
fn data_dir(app: &tauri::App) -> PathBuf {
    std::env::var_os("SIGNIN_DOCTOR_DATA_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| app.path().app_data_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Extra certificate authorities to trust for sign-in and Graph: the PEM file named by
/// `SIGNIN_DOCTOR_EXTRA_CA` (a company proxy's root; the local fake's in tests).
fn extra_roots() -> Option<Vec<u8>> {
    let path = std::env::var_os("SIGNIN_DOCTOR_EXTRA_CA").filter(|p| !p.is_empty())?;
    match std::fs::read(&path) {
        Ok(pem) => Some(pem),
        Err(e) => {
            eprintln!(
                "Sign-in Doctor: SIGNIN_DOCTOR_EXTRA_CA: cannot read {}: {e}",
                PathBuf::from(path).display()
            );
            None
        }
    }
}

/// The folder of the workspace, profiles and vault, for the About view.
#[derive(Debug)]
pub struct DataDir(pub PathBuf);

/// The event that asks the window to open files (handed over by a second launch).
pub const OPEN_FILES_EVENT: &str = "app://open-files";

/// Saves the window's size and place half a second after it last moved or changed size, so
/// they are remembered even when the app does not get to close normally (the window-state
/// plugin alone saves only on a normal close).
fn remember_window(app: &tauri::AppHandle) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};
    static LAST_CHANGE: AtomicU64 = AtomicU64::new(0);
    let change = LAST_CHANGE.fetch_add(1, Ordering::SeqCst) + 1;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        if LAST_CHANGE.load(Ordering::SeqCst) == change {
            let _ = app.save_window_state(StateFlags::all());
        }
    });
}

/// On Linux, WebKitGTK draws the window's page without the graphics card's compositing: the
/// page is light (a form and a table that shows only the rows in sight), and compositing kept
/// about 75 MiB of buffers in WebKit's web process for nothing (idle memory 328 -> 254 MiB).
/// Elsewhere the system webview decides.
fn software_rendering(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Starts the desktop app.
pub fn run(launch: Launch) {
    let result = tauri::Builder::default()
        // First: a second launch (double-clicking an export, "Open with") hands its files to the
        // window already open and quits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            let mut launch = Launch::from_args(argv.into_iter().skip(1));
            // Paths are relative to where the second launch ran.
            for file in &mut launch.files {
                if file.is_relative() {
                    *file = PathBuf::from(&cwd).join(&*file);
                }
            }
            // The hand-over arrives on the single-instance plugin's own thread; the window is
            // raised and told about the files from the main thread, as the toolkit wants.
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || {
                if let Some(window) = handle.get_webview_window("main") {
                    let _ = window.unminimize();
                    let _ = window.show();
                    let _ = window.set_focus();
                }
                if !launch.files.is_empty() {
                    let paths: Vec<String> = launch
                        .files
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect();
                    let _ = handle.emit(OPEN_FILES_EVENT, paths);
                }
            });
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .on_window_event(|window, event| {
            if matches!(
                event,
                tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_)
            ) {
                remember_window(window.app_handle());
            }
        })
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            commands::dataset_info,
            commands::choose_files,
            commands::choose_folder,
            commands::open_files,
            commands::cancel_import,
            commands::open_demo,
            commands::clear_workspace,
            commands::search_sign_ins,
            commands::search_begin,
            commands::search_page,
            commands::get_sign_in,
            commands::explain_error,
            commands::set_language,
            commands::open_link,
            commands::choose_certificate,
            commands::live_status,
            commands::live_save_profile,
            commands::live_use_profile,
            commands::live_remove_profile,
            commands::live_sign_in,
            commands::live_device_code,
            commands::live_device_code_wait,
            commands::live_open_device_page,
            commands::live_sign_out,
            commands::live_cancel,
            commands::live_fetch,
            commands::app_info,
            commands::check_update,
            commands::install_update,
            report::export_report,
            report::ticket_text,
        ])
        .setup(move |app| {
            if let Some(window) = app.get_webview_window("main") {
                software_rendering(&window);
            }
            let dir = data_dir(app);
            let state = AppState::open(&dir.join("workspace.sqlite"));
            let vault = signin_live::Vault::open_os(&dir);
            app.manage(LiveState::open(&dir, vault, extra_roots().as_deref()));
            app.manage(update::PendingUpdate::default());
            app.manage(DataDir(dir.clone()));
            if launch.demo
                && let Err(e) = state.open_demo()
            {
                eprintln!("Sign-in Doctor: the demo data could not be opened: {e}");
            }
            if !launch.files.is_empty() {
                state.open_files(&launch.files, &mut |_| {});
            }
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Sign-in Doctor could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::Launch;

    #[test]
    fn launch_arguments_open_the_demo_and_files() {
        let launch = Launch::from_args(["--demo".to_string(), "a.json".into(), "--verbose".into()]);
        assert_eq!(
            launch,
            Launch {
                demo: true,
                files: vec!["a.json".into()]
            }
        );
    }

    /// The command list lives in `build.rs` (permissions), `generate_handler!` and the
    /// capability file; this keeps build.rs and the capability in step (the e2e test calls
    /// every command through the real window, which catches a missing handler).
    #[test]
    fn every_command_is_granted_to_the_main_window_and_nothing_else() {
        let build = include_str!("../build.rs");
        let list = &build[build.find("const COMMANDS").unwrap()..];
        let list = &list[..list.find("];").unwrap()];
        let mut commands: Vec<String> = list
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .collect();
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| !p.starts_with("core:"))
            .map(str::to_owned)
            .collect();
        commands.sort();
        granted.sort();
        assert_eq!(commands, granted);
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
    }
}
