// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    signin_doctor_app::run(signin_doctor_app::Launch::from_args(
        std::env::args().skip(1),
    ));
}
