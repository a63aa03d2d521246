//! The one error shape the UI sees: `{code, message}`.
//!
//! `code` is a small closed set the UI may branch on; `message` is a sentence for people. The
//! UI never matches on message text. Add a code only when the UI treats it differently.

use serde::Serialize;

/// What kind of failure, for the UI to decide how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// What the person typed or chose cannot be used (a bad time, an empty ID).
    InvalidInput,
    /// A file could not be opened or read.
    UnreadableFile,
    /// A file was read but is not a sign-in export we know.
    UnsupportedFormat,
    /// The sign-in asked for is not in the opened data.
    NotFound,
    /// The person cancelled; nothing of the file that was running was kept.
    Cancelled,
    /// The workspace could not be read or written.
    Storage,
    /// Signing in to the tenant failed, expired, or has not happened yet.
    SignIn,
    /// Signed in, but the tenant, a role or consent does not allow it.
    Permission,
    /// Microsoft could not be reached, or kept failing.
    Network,
}

/// An error on its way to the webview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}

impl From<signin_core::ImportError> for IpcError {
    fn from(e: signin_core::ImportError) -> Self {
        use signin_core::ImportError as E;
        let code = match e {
            E::Io(_) | E::Archive(_) => ErrorCode::UnreadableFile,
            E::Empty
            | E::Unrecognised { .. }
            | E::GraphError(_)
            | E::NotSignIns { .. }
            | E::Binary
            | E::NestedArchive => ErrorCode::UnsupportedFormat,
        };
        IpcError::new(code, e.to_string())
    }
}

impl From<signin_store::StoreError> for IpcError {
    fn from(e: signin_store::StoreError) -> Self {
        IpcError::new(ErrorCode::Storage, e.to_string())
    }
}
