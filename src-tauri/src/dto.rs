//! The only types that cross to the webview (camelCase JSON). Core types are converted here,
//! so the wire format is a deliberate choice and not whatever the core happens to look like.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use signin_core::EventSummary;
use signin_core::aadsts::CodeInfo;
use signin_core::diagnose::Diagnosis;

use crate::error::IpcError;

/// The search form, as typed. Empty strings mean "not set".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CriteriaDto {
    pub user: Option<String>,
    pub app: Option<String>,
    /// UTC; `2026-11-20T08:30` as a datetime-local input gives it, or any form the CLI takes.
    pub from: Option<String>,
    pub to: Option<String>,
    /// One time: 24 hours either side.
    pub around: Option<String>,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Request ID or correlation ID: the Sign-in Diagnostic's single ID box.
    pub any_id: Option<String>,
    /// `success`, `failure` or `interrupted`.
    pub status: Option<String>,
}

/// What opening files did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenReport {
    pub files: Vec<FileReport>,
    /// Sign-ins now open, from every file.
    pub total: usize,
}

/// One file's outcome: either its import figures or the error that stopped it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    pub name: String,
    pub format: Option<String>,
    pub format_name: Option<String>,
    pub added: u64,
    pub duplicates: u64,
    /// Authentication steps read from an authentication-details file.
    pub auth_steps: u64,
    pub warning_count: usize,
    /// The first warnings (each starts with its position); the CLI lists them all.
    pub warnings: Vec<String>,
    pub error: Option<IpcError>,
}

/// The workspace at a glance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetInfo {
    pub total: usize,
    pub files: Vec<FileReport>,
    /// Newest and oldest sign-in times, RFC 3339 UTC.
    pub newest: Option<String>,
    pub oldest: Option<String>,
    /// Where the workspace is kept.
    pub workspace: String,
    /// Why the saved workspace could not be opened (the app then works in memory).
    pub workspace_problem: Option<String>,
}

/// How an import is going; sent while it runs.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub file: String,
    pub bytes_read: u64,
    pub bytes_total: u64,
    pub records: u64,
    /// Sign-ins per second in the current file.
    pub records_per_second: u64,
    /// The file is read and its search indexes are being built.
    pub indexing: bool,
}

/// Search results, newest first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// How many sign-ins matched.
    pub total: usize,
    /// The first matches, at most [`crate::state::RESULT_LIMIT`].
    pub rows: Vec<EventSummary>,
}

/// Rows of the results table: one window of a search, read as the table scrolls.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    /// The search these rows belong to; a newer search makes it stale.
    pub search: u64,
    /// How many sign-ins matched (counted once, when the search began).
    pub total: u64,
    /// The position of the first row.
    pub offset: u64,
    pub rows: Vec<EventSummary>,
    /// A newer search began before this one answered: the window drops it.
    pub stale: bool,
}

/// Everything about one sign-in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInDetail {
    pub summary: EventSummary,
    /// The canonical record, Graph beta shape.
    pub event: Value,
    /// The record exactly as it appears in its file.
    pub raw: String,
    pub source: SourceDto,
    /// What happened, why, and what to do.
    pub diagnosis: Diagnosis,
}

/// An AADSTS code explained, and what was found in the pasted text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub code: Option<u32>,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
    /// Microsoft's page for the code.
    pub link: Option<String>,
    pub entry: Option<CodeInfo>,
    /// Codes matching the words, when the text held no code.
    pub matches: Vec<CodeInfo>,
}

/// Where a sign-in was read from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDto {
    pub file: String,
    pub record: u64,
    pub line: u64,
}
