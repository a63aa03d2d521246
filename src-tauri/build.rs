//! Generates the permission set for the app's own commands: each command gets an
//! `allow-<name>` permission and nothing is reachable from the webview unless a capability in
//! `capabilities/` grants it. Keep this list equal to `generate_handler!` in `src/lib.rs`
//! (a unit test checks both against the capability file).

/// Every command the webview may call.
const COMMANDS: &[&str] = &[
    "dataset_info",
    "choose_files",
    "choose_folder",
    "open_files",
    "cancel_import",
    "open_demo",
    "clear_workspace",
    "search_sign_ins",
    "search_begin",
    "search_page",
    "get_sign_in",
    "explain_error",
    "set_language",
    "open_link",
    "choose_certificate",
    "live_status",
    "live_save_profile",
    "live_use_profile",
    "live_remove_profile",
    "live_sign_in",
    "live_device_code",
    "live_device_code_wait",
    "live_open_device_page",
    "live_sign_out",
    "live_cancel",
    "live_fetch",
    "app_info",
    "check_update",
    "install_update",
    "export_report",
    "ticket_text",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build could not read tauri.conf.json or the capabilities");
}
