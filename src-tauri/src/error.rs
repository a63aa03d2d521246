//! The one error shape the UI sees: `{code, message}`.
//!
//! `code` is a small closed set the UI may branch on; `message` is a sentence for people. The
//! UI never matches on message text. Add a code only when the UI treats it differently.

use serde::Serialize;
use signin_core::Lang;
use signin_core::messages::Message;

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

/// A failure inside the shell, said in the window's language only when it is sent
/// ([`AppError::say`]): the commands turn it into an [`IpcError`] with the language the window
/// has set, so errors read in English or Dutch like everything else.
#[derive(Debug)]
pub enum AppError {
    /// The shell's own words: a message of the catalogue's `desktop` section.
    Said {
        code: ErrorCode,
        message: Message,
    },
    Live(signin_live::LiveError),
    Import(signin_core::ImportError),
    Store(signin_store::StoreError),
}

impl AppError {
    pub fn new(code: ErrorCode, message: Message) -> Self {
        AppError::Said { code, message }
    }

    /// What kind of failure, for the window to decide how to show it.
    pub fn code(&self) -> ErrorCode {
        use signin_core::ImportError as E;
        use signin_live::ErrorKind as K;
        match self {
            AppError::Said { code, .. } => *code,
            AppError::Live(e) => match e.kind() {
                K::InvalidInput => ErrorCode::InvalidInput,
                K::Auth => ErrorCode::SignIn,
                K::Permission => ErrorCode::Permission,
                K::Network => ErrorCode::Network,
                K::Cancelled => ErrorCode::Cancelled,
                K::Storage => ErrorCode::Storage,
            },
            AppError::Import(E::Io(_) | E::Archive(_)) => ErrorCode::UnreadableFile,
            AppError::Import(_) => ErrorCode::UnsupportedFormat,
            AppError::Store(_) => ErrorCode::Storage,
        }
    }

    /// The sentence for people, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            AppError::Said { message, .. } => message.text(lang),
            AppError::Live(e) => e.describe(lang),
            AppError::Import(e) => capitalise(&e.describe(lang)),
            AppError::Store(e) => capitalise(&e.describe(lang)),
        }
    }

    /// The error as the window receives it, in `lang`.
    pub fn say(&self, lang: Lang) -> IpcError {
        IpcError::new(self.code(), self.text(lang))
    }
}

/// "the file is empty" starts a sentence in the window: "The file is empty".
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for AppError {}

impl From<signin_core::ImportError> for AppError {
    fn from(e: signin_core::ImportError) -> Self {
        AppError::Import(e)
    }
}

impl From<signin_store::StoreError> for AppError {
    fn from(e: signin_store::StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<signin_live::LiveError> for AppError {
    fn from(e: signin_live::LiveError) -> Self {
        AppError::Live(e)
    }
}
