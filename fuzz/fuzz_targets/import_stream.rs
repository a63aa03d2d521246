//! Any bytes, read as one export file (JSON in every layout, CSV, gzip, any text encoding):
//! the importer must return records, warnings or an error, and never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = signin_core::import_stream(std::io::Cursor::new(data), "fuzz.csv");
});
