//! Importers: exported files in, [`SignInEvent`]s and warnings out.
//!
//! Importing never fails because of one bad record. Each record that cannot be read becomes an
//! [`ImportWarning`] with its position and the rest of the file still imports; only a file that
//! is empty, not a format we know, or not sign-ins at all is an [`ImportError`].
//!
//! The format is detected from the content. Today: Graph JSON (a page with `value`, several
//! pages, or a single sign-in object), the Entra portal's JSON download (a bare array, also
//! what merged Graph pages look like) and NDJSON (one record per line).
//!
//! This module reads from any [`BufRead`]; opening files is the caller's business, so the crate
//! stays free of file-system access.

mod scan;

use std::io::BufRead;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model::SignInEvent;
pub use scan::Position;
use scan::{Container, Found, ScanError};

/// The export formats Sign-in Doctor recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Microsoft Graph `/auditLogs/signIns` output: pages with `value`, or one sign-in object.
    GraphJson,
    /// A bare JSON array of sign-ins: the Entra portal's JSON download, or merged Graph pages.
    PortalJson,
    /// One JSON sign-in per line.
    Ndjson,
}

impl SourceFormat {
    /// Stable identifier used in `--json` output and by the UI.
    pub fn id(self) -> &'static str {
        match self {
            SourceFormat::GraphJson => "graph-json",
            SourceFormat::PortalJson => "portal-json",
            SourceFormat::Ndjson => "ndjson",
        }
    }

    /// Name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            SourceFormat::GraphJson => "Microsoft Graph JSON",
            SourceFormat::PortalJson => "Entra portal JSON (array)",
            SourceFormat::Ndjson => "NDJSON (one sign-in per line)",
        }
    }

    /// Every format, in the order they are described to people.
    pub const ALL: [SourceFormat; 3] = [
        SourceFormat::GraphJson,
        SourceFormat::PortalJson,
        SourceFormat::Ndjson,
    ];
}

/// A sign-in read from a file, with its exact source text and where it was found.
#[derive(Debug, Clone)]
pub struct ImportedRecord {
    pub event: SignInEvent,
    /// The record exactly as it appears in the file.
    pub raw: Box<str>,
    pub position: Position,
}

/// A record, or part of one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based record number, when the problem belongs to a record.
    pub record: Option<u64>,
    /// 1-based line in the file.
    pub line: u64,
    /// What went wrong, in words; starts with the position.
    pub message: String,
}

/// Everything read from one file.
#[derive(Debug, Clone)]
pub struct Import {
    pub format: SourceFormat,
    pub records: Vec<ImportedRecord>,
    pub warnings: Vec<ImportWarning>,
    /// A Graph page's `@odata.nextLink`: more pages exist that this file does not hold.
    pub next_link: Option<String>,
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "unrecognised format: the file starts with \"{first_line}\"; supported formats are {}",
        supported_formats()
    )]
    Unrecognised { first_line: String },
    #[error("this is an error response from Microsoft Graph, not sign-in data: {0}")]
    GraphError(String),
    #[error(
        "this JSON does not hold sign-in events: its first record has {} but no \"id\" or \"createdDateTime\"",
        describe_keys(.keys)
    )]
    NotSignIns { keys: Vec<String> },
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

fn supported_formats() -> String {
    SourceFormat::ALL
        .iter()
        .map(|f| f.display_name())
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_keys(keys: &[String]) -> String {
    if keys.is_empty() {
        return "no properties".into();
    }
    let shown: Vec<String> = keys.iter().take(6).map(|k| format!("\"{k}\"")).collect();
    let more = if keys.len() > 6 { ", ..." } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// What [`read_json`] reports besides the records it hands over.
#[derive(Debug, Clone)]
pub struct ReadSummary {
    pub format: SourceFormat,
    pub records: u64,
    pub warnings: Vec<ImportWarning>,
    pub next_link: Option<String>,
}

/// Imports a JSON export, collecting every record.
pub fn import_json<R: BufRead>(reader: R) -> Result<Import, ImportError> {
    let mut records = Vec::new();
    let summary = read_json(reader, &mut |record| records.push(record))?;
    Ok(Import {
        format: summary.format,
        records,
        warnings: summary.warnings,
        next_link: summary.next_link,
    })
}

/// Streams a JSON export: each good record goes to `sink` as soon as it is read.
pub fn read_json<R: BufRead>(
    reader: R,
    sink: &mut dyn FnMut(ImportedRecord),
) -> Result<ReadSummary, ImportError> {
    let mut state = ReadState::default();
    let scanned = scan::scan(reader, &mut |found| state.take(found, sink));
    let first_line = match scanned {
        Ok(first_line) => first_line,
        Err(ScanError::Empty) => return Err(ImportError::Empty),
        Err(ScanError::NotJson { first_line }) => {
            return Err(ImportError::Unrecognised { first_line });
        }
        Err(ScanError::Io(e)) => return Err(ImportError::Io(e)),
    };
    if state.seen == 0 && !state.warnings.is_empty() {
        // Bracket-led but not JSON records at all, such as a TOML or INI file.
        return Err(ImportError::Unrecognised { first_line });
    }
    if state.accepted == 0 {
        if let Some(error) = state.graph_error.take() {
            return Err(ImportError::GraphError(error));
        }
        if let Some(keys) = state.foreign_keys.take() {
            return Err(ImportError::NotSignIns { keys });
        }
    }
    let format = if state.saw_page {
        SourceFormat::GraphJson
    } else if state.saw_array {
        SourceFormat::PortalJson
    } else if state.top_level_objects > 1 {
        SourceFormat::Ndjson
    } else {
        SourceFormat::GraphJson
    };
    Ok(ReadSummary {
        format,
        records: state.accepted,
        warnings: state.warnings,
        next_link: state.next_link,
    })
}

#[derive(Default)]
struct ReadState {
    accepted: u64,
    seen: u64,
    saw_page: bool,
    saw_array: bool,
    top_level_objects: u64,
    warnings: Vec<ImportWarning>,
    next_link: Option<String>,
    /// Keys of the first record when it did not look like a sign-in at all.
    foreign_keys: Option<Vec<String>>,
    graph_error: Option<String>,
}

impl ReadState {
    fn take(&mut self, found: Found, sink: &mut dyn FnMut(ImportedRecord)) {
        match found {
            Found::Record {
                bytes,
                position,
                container,
            } => {
                match container {
                    Container::Page => self.saw_page = true,
                    Container::Array => self.saw_array = true,
                    Container::TopLevel => self.top_level_objects += 1,
                }
                self.seen += 1;
                self.record(bytes, position, sink);
            }
            Found::PageStart => {
                // Only the last page's link says whether more data exists beyond this file.
                self.saw_page = true;
                self.next_link = None;
            }
            Found::PageProperty { key, value } => {
                if key == "@odata.nextLink" {
                    self.next_link = serde_json::from_slice::<String>(&value).ok();
                }
            }
            Found::Problem {
                line,
                record,
                message,
            } => {
                self.warnings.push(ImportWarning {
                    record,
                    line,
                    message,
                });
            }
        }
    }

    fn record(&mut self, bytes: Vec<u8>, position: Position, sink: &mut dyn FnMut(ImportedRecord)) {
        let at = format!("record {} (line {})", position.record, position.line);
        let object = match serde_json::from_slice::<DuplicateAwareObject>(&bytes) {
            Ok(object) => object,
            Err(e) => {
                let message = format!("{at}: not valid JSON: {}", relocate(&e, position.line));
                self.warn(position, message);
                return;
            }
        };
        if self.seen == 1 && !looks_like_sign_in(&object.map) {
            if let Some(error) = object.map.get("error") {
                self.graph_error = Some(graph_error_text(error));
            }
            self.foreign_keys = Some(object.map.keys().cloned().collect());
        }
        for key in &object.different_duplicates {
            self.warn(
                position,
                format!(
                    "{at}: \"{key}\" appears more than once with different values; the last one is used and the raw record keeps all"
                ),
            );
        }
        let event: SignInEvent = match serde_path_to_error::deserialize(Value::Object(object.map)) {
            Ok(event) => event,
            Err(e) => {
                let path = e.path().to_string();
                let message = if path == "." {
                    format!("{at}: {}", e.inner())
                } else {
                    format!("{at}: {path}: {}", e.inner())
                };
                self.warn(position, message);
                return;
            }
        };
        if event.id.trim().is_empty() {
            self.warn(
                position,
                format!("{at}: the record has an empty \"id\" (Request ID)"),
            );
            return;
        }
        let raw = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            .into_boxed_str();
        self.accepted += 1;
        sink(ImportedRecord {
            event,
            raw,
            position,
        });
    }

    fn warn(&mut self, position: Position, message: String) {
        self.warnings.push(ImportWarning {
            record: Some(position.record),
            line: position.line,
            message,
        });
    }
}

fn looks_like_sign_in(map: &Map<String, Value>) -> bool {
    map.keys()
        .any(|k| k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("createdDateTime"))
}

fn graph_error_text(error: &Value) -> String {
    let field = |name: &str| error.get(name).and_then(Value::as_str).unwrap_or_default();
    match (field("code"), field("message")) {
        ("", "") => error.to_string(),
        (code, "") => code.to_owned(),
        ("", message) => message.to_owned(),
        (code, message) => format!("{code}: {message}"),
    }
}

/// serde_json counts lines from the start of the record; report them from the start of the file.
fn relocate(error: &serde_json::Error, first_line: u64) -> String {
    let text = error.to_string();
    let message = text
        .rfind(" at line ")
        .map_or(text.as_str(), |i| &text[..i]);
    if error.line() == 0 {
        message.to_owned()
    } else {
        format!("{message} at line {}", first_line + error.line() as u64 - 1)
    }
}

/// A JSON object read with last-wins semantics for repeated keys, remembering which keys were
/// repeated with different values (Microsoft's own examples contain such records).
struct DuplicateAwareObject {
    map: Map<String, Value>,
    different_duplicates: Vec<String>,
}

impl<'de> Deserialize<'de> for DuplicateAwareObject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = DuplicateAwareObject;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut access: A,
            ) -> Result<Self::Value, A::Error> {
                let mut map = Map::new();
                let mut different_duplicates = Vec::new();
                while let Some(key) = access.next_key::<String>()? {
                    let value: Value = access.next_value()?;
                    if let Some(old) = map.insert(key.clone(), value)
                        && map.get(&key) != Some(&old)
                        && !different_duplicates.contains(&key)
                    {
                        different_duplicates.push(key);
                    }
                }
                Ok(DuplicateAwareObject {
                    map,
                    different_duplicates,
                })
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[cfg(test)]
mod tests;
