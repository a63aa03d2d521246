//! Any bytes, read as a file that may be a zip archive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = signin_core::import_source(std::io::Cursor::new(data), "fuzz.zip");
});
