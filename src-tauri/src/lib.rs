//! Sign-in Doctor's desktop shell: Tauri setup, state and commands, nothing more. Everything
//! that decides anything lives in `signin-core`; the UI in `ui/` talks to the commands here
//! through `ui/ipc.js` only.

mod commands;
mod dto;
mod error;
mod state;

use std::path::PathBuf;

use tauri::Manager;

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

/// Where the workspace lives: `SIGNIN_DOCTOR_DATA_DIR` when set (tests, portable use), else
/// the operating system's folder for this app's data.
fn workspace_path(app: &tauri::App) -> PathBuf {
    let dir = std::env::var_os("SIGNIN_DOCTOR_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| app.path().app_data_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    dir.join("workspace.sqlite")
}

/// Starts the desktop app.
pub fn run(launch: Launch) {
    let result = tauri::Builder::default()
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
            commands::get_sign_in,
            commands::explain_error,
            commands::open_link,
        ])
        .setup(move |app| {
            let state = AppState::open(&workspace_path(app));
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
        .run(tauri::generate_context!("../tauri.conf.json"));
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
