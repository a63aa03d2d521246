#![recursion_limit = "256"]
//! Sign-in Doctor's pure logic.
//!
//! The flow is `import` → [`Dataset`] → `search`: importers turn exported files into
//! [`SignInEvent`]s (the canonical record, in [`model`]) plus warnings; a [`Dataset`] holds the
//! events of every opened file, de-duplicated by request ID; [`Criteria`] find the ones a
//! person is looking for. [`demo`] makes the bundled demo data.
//!
//! Deliberately absent: Tauri, the network, the clock, environment variables and file-system
//! access. Callers hand in readers, times and settings, so every function here is
//! deterministic and testable on its own.

pub mod aadsts;
pub mod dataset;
pub mod demo;
pub mod diagnose;
pub mod import;
pub mod lang;
pub mod messages;
pub mod model;
pub mod search;
pub mod stats;
pub mod summary;
pub mod time;

pub use dataset::{Dataset, Source, StoredEvent};
pub use import::{
    AuthStep, Import, ImportError, ImportSink, ImportWarning, Item, Prefilter, ReadSummary,
    SourceFormat, import_source, import_stream, read_source, read_source_where, read_stream,
};
pub use lang::Lang;
pub use model::{Outcome, SignInEvent};
pub use search::Criteria;
pub use summary::EventSummary;
