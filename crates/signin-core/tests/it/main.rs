//! Integration tests of signin-core against files: Microsoft's real samples and our fixtures.
//! One test binary for the crate; each module covers one concern.
#![allow(clippy::unwrap_used)]

/// Input that is not what it claims to be.
mod bad_input;
/// Our own fixtures for shapes and damage the samples do not show.
mod fixtures;
/// Every export format and its quirks.
mod formats;
/// Properties of the importers over generated input.
mod properties;
/// Real Microsoft Graph samples import without losing a record or a property.
mod samples;

use std::path::PathBuf;

/// A file under the repository's `tests/fixtures/`.
pub fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(path)
}

/// Imports a fixture file.
pub fn import(path: &str) -> signin_core::Import {
    let file = std::fs::File::open(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    signin_core::import_stream(std::io::BufReader::new(file), "")
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Imports a fixture file as the app does: the file name is passed along (it tells which
/// portal log a CSV holds).
pub fn import_named(path: &str) -> signin_core::Import {
    let file = std::fs::File::open(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let name = path.rsplit('/').next().unwrap_or(path);
    signin_core::import_stream(file, name).unwrap_or_else(|e| panic!("{path}: {e}"))
}
