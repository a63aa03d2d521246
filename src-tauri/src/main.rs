// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Imports allocate on one thread and free on the other; mimalloc does that without the system
/// allocator's lock traffic.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    signin_doctor_app::run(signin_doctor_app::Launch::from_args(
        std::env::args().skip(1),
    ));
}
