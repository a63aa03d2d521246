//! Importers: exported files in, [`SignInEvent`]s and warnings out.
//!
//! Importing never fails because of one bad record. Each record that cannot be read becomes an
//! [`ImportWarning`] with its position and the rest of the file still imports; only a file that
//! is empty, binary, not a format we know, or not sign-ins at all is an [`ImportError`].
//!
//! The format is detected from the content, never from the file name (a portal CSV's name only
//! says which of the four sign-in logs it holds). Layers, outermost first: archives
//! ([`read_source`]: zip members, gzip), text encoding (`text.rs`), then JSON (`scan.rs` finds
//! records in any layout, `normalize.rs` maps every JSON dialect onto Graph's) or CSV
//! (`tabular.rs`). Everything streams: memory holds one record at a time.
//!
//! This module reads from any `Read`; opening files is the caller's business, so the crate
//! stays free of file-system access.

pub mod glance;
pub mod lines;
mod normalize;
mod scan;
mod tabular;
mod text;
mod warning;

use std::io::{BufRead, Read, Seek};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::Lang;
use crate::messages::Message as Problem;
use crate::model::{AuthenticationDetail, SignInEvent};
use normalize::Shape;
pub use scan::Position;
use scan::{Container, Found, ScanError};
use tabular::Table;
pub use warning::ImportWarning;

/// The export formats Sign-in Doctor recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Microsoft Graph `/auditLogs/signIns` output: pages with `value`, or one sign-in object.
    GraphJson,
    /// A bare JSON array of sign-ins: the Entra portal's JSON download, or merged Graph pages.
    PortalJson,
    /// One JSON sign-in per line (Graph shape), as Extractor Suite's SOF-ELK output.
    Ndjson,
    /// Graph PowerShell `ConvertTo-Json` output: PascalCase, `AdditionalProperties`.
    PowerShellJson,
    /// Azure Monitor records (diagnostic settings to Event Hub or storage, `PT1H.json`).
    AzureMonitor,
    /// A Log Analytics or Microsoft Sentinel query result saved as JSON.
    LogAnalyticsJson,
    /// A Log Analytics or Microsoft Sentinel query result saved as CSV.
    LogAnalyticsCsv,
    /// The Entra admin center's CSV download of sign-ins (any of the four logs).
    PortalCsv,
    /// The Entra admin center's `..._AuthDetails_...csv`: authentication steps by request ID.
    PortalAuthDetailsCsv,
}

impl SourceFormat {
    /// Stable identifier used in `--json` output and by the UI.
    pub fn id(self) -> &'static str {
        match self {
            SourceFormat::GraphJson => "graph-json",
            SourceFormat::PortalJson => "portal-json",
            SourceFormat::Ndjson => "ndjson",
            SourceFormat::PowerShellJson => "powershell-json",
            SourceFormat::AzureMonitor => "azure-monitor",
            SourceFormat::LogAnalyticsJson => "log-analytics-json",
            SourceFormat::LogAnalyticsCsv => "log-analytics-csv",
            SourceFormat::PortalCsv => "portal-csv",
            SourceFormat::PortalAuthDetailsCsv => "portal-auth-details-csv",
        }
    }

    /// Name shown to people.
    pub fn display_name(self) -> &'static str {
        match self {
            SourceFormat::GraphJson => "Microsoft Graph JSON",
            SourceFormat::PortalJson => "Entra portal JSON (array)",
            SourceFormat::Ndjson => "NDJSON (one sign-in per line)",
            SourceFormat::PowerShellJson => "Graph PowerShell JSON",
            SourceFormat::AzureMonitor => "Azure Monitor records",
            SourceFormat::LogAnalyticsJson => "Log Analytics / Sentinel JSON",
            SourceFormat::LogAnalyticsCsv => "Log Analytics / Sentinel CSV",
            SourceFormat::PortalCsv => "Entra portal CSV",
            SourceFormat::PortalAuthDetailsCsv => "Entra portal CSV (authentication details)",
        }
    }

    /// Name shown to people, in `lang` (`display_name` is the English one).
    pub fn name_in(self, lang: Lang) -> String {
        crate::messages::tr(lang, &format!("import.format.{}", self.id()), &[])
    }

    /// Every format, in the order they are described to people.
    pub const ALL: [SourceFormat; 9] = [
        SourceFormat::GraphJson,
        SourceFormat::PortalJson,
        SourceFormat::Ndjson,
        SourceFormat::PowerShellJson,
        SourceFormat::AzureMonitor,
        SourceFormat::LogAnalyticsJson,
        SourceFormat::LogAnalyticsCsv,
        SourceFormat::PortalCsv,
        SourceFormat::PortalAuthDetailsCsv,
    ];
}

/// A sign-in read from a file, with its exact source text and where it was found.
#[derive(Debug, Clone)]
pub struct ImportedRecord {
    pub event: SignInEvent,
    /// The record exactly as it appears in the file.
    pub raw: Box<str>,
    pub position: Position,
    /// `event` is exactly what [`reread`] makes of `raw` (a JSON record), so a store may keep
    /// `raw` alone; `false` for a CSV row, whose reading needs its file's header row.
    pub rereadable: bool,
}

/// The sign-in of a JSON record's raw text ([`ImportedRecord::raw`]), read again exactly as
/// its import read it; `None` when that reading refused it.
pub fn reread(raw: &str) -> Option<SignInEvent> {
    // As the import read it: straight into the sign-in when the text is plain.
    let straight = normalize::is_plain_text(raw.as_bytes())
        .then(|| serde_json::from_str::<SignInEvent>(raw).ok())
        .flatten();
    let event = match straight {
        Some(event) => event,
        None => {
            let object = serde_json::from_str::<DuplicateAwareObject>(raw).ok()?;
            let shape = normalize::shape_of(&object.map);
            let canonical = normalize::to_canonical(object.map, shape);
            SignInEvent::deserialize(Value::Object(canonical)).ok()?
        }
    };
    (!event.id.trim().is_empty()).then_some(event)
}

/// One authentication step from the portal's authentication-details CSV, for the sign-in with
/// `request_id` (which usually comes from another file).
#[derive(Debug, Clone)]
pub struct AuthStep {
    pub request_id: String,
    pub step: AuthenticationDetail,
    pub position: Position,
}

/// What a reader hands over as it goes.
#[derive(Debug, Clone)]
pub enum Item {
    /// Boxed, as steps are: both are large, and items move through several hands.
    SignIn(Box<ImportedRecord>),
    AuthStep(Box<AuthStep>),
}

/// Everything read from one file.
#[derive(Debug, Clone)]
pub struct Import {
    pub format: SourceFormat,
    pub records: Vec<ImportedRecord>,
    /// Authentication steps to attach to sign-ins by request ID.
    pub auth_steps: Vec<AuthStep>,
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
        supported_formats(Lang::En)
    )]
    Unrecognised { first_line: String },
    #[error("this is an error response from Microsoft Graph, not sign-in data: {0}")]
    GraphError(String),
    #[error(
        "this JSON does not hold sign-in events: its first record has {} but no \"id\" or \"createdDateTime\"",
        describe_keys(.keys)
    )]
    NotSignIns { keys: Vec<String> },
    #[error(
        "this is binary data, not a sign-in export; supported formats are {}",
        supported_formats(Lang::En)
    )]
    Binary,
    #[error("archives inside archives are not opened; extract this one first")]
    NestedArchive,
    #[error("the zip archive cannot be read: {0}")]
    Archive(String),
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl ImportError {
    /// Why the file could not be imported, in `lang` (the `Display` text is English, for logs).
    pub fn describe(&self, lang: Lang) -> String {
        use crate::messages::tr;
        match self {
            ImportError::Empty => tr(lang, "import.error.empty", &[]),
            ImportError::Unrecognised { first_line } => tr(
                lang,
                "import.error.unrecognised",
                &[("start", first_line), ("formats", &supported_formats(lang))],
            ),
            ImportError::GraphError(text) => {
                tr(lang, "import.error.graph-error", &[("error", text)])
            }
            ImportError::NotSignIns { keys } => {
                let keys = if keys.is_empty() {
                    tr(lang, "import.error.no-properties", &[])
                } else {
                    describe_keys(keys)
                };
                tr(lang, "import.error.not-sign-ins", &[("keys", &keys)])
            }
            ImportError::Binary => tr(
                lang,
                "import.error.binary",
                &[("formats", &supported_formats(lang))],
            ),
            ImportError::NestedArchive => tr(lang, "import.error.nested-archive", &[]),
            ImportError::Archive(detail) => tr(lang, "import.error.archive", &[("detail", detail)]),
            ImportError::Io(e) => tr(lang, "import.error.io", &[("detail", e)]),
        }
    }
}

fn supported_formats(lang: Lang) -> String {
    SourceFormat::ALL
        .iter()
        .map(|f| f.name_in(lang))
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

/// What reading one file found, besides the items it handed over.
#[derive(Debug, Clone)]
pub struct ReadSummary {
    pub format: SourceFormat,
    /// Sign-ins handed over.
    pub records: u64,
    /// Authentication steps handed over (authentication-details CSV).
    pub auth_steps: u64,
    pub warnings: Vec<ImportWarning>,
    pub next_link: Option<String>,
}

/// Receives what [`read_source`] reads, file by file (an archive holds several).
pub trait ImportSink {
    /// A file, or an archive member, starts.
    fn begin(&mut self, name: &str);
    /// A sign-in or authentication step of the current file.
    fn item(&mut self, item: Item);
    /// The current file ended, completely or with the error that stopped it.
    fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>);
}

/// Reads a file that may be a zip archive; each member is a file of its own. Gzip is
/// recognised at any level. Members that are folders are skipped.
pub fn read_source<R: Read + Seek>(reader: R, name: &str, sink: &mut dyn ImportSink) {
    read_source_where(reader, name, &Prefilter::default(), sink);
}

/// [`read_source`] for a search: records whose text lacks a word the `prefilter` names are
/// passed over without being read closely (they cannot match), which is most of a file.
pub fn read_source_where<R: Read + Seek>(
    mut reader: R,
    name: &str,
    prefilter: &Prefilter,
    sink: &mut dyn ImportSink,
) {
    let mut head = [0u8; 4];
    let is_zip = match read_head(&mut reader, &mut head) {
        Ok(n) => n == 4 && (head == *b"PK\x03\x04" || head == *b"PK\x05\x06"),
        Err(e) => {
            sink.begin(name);
            sink.end(name, Err(ImportError::Io(e)));
            return;
        }
    };
    if !is_zip {
        sink.begin(name);
        let outcome = read_boxed(Box::new(reader), name, prefilter, &mut |item| {
            sink.item(item)
        });
        sink.end(name, outcome);
        return;
    }
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(archive) => archive,
        Err(e) => {
            sink.begin(name);
            sink.end(name, Err(ImportError::Archive(e.to_string())));
            return;
        }
    };
    for i in 0..archive.len() {
        let member = match archive.by_index(i) {
            Ok(member) => member,
            Err(e) => {
                let member_name = format!("{name} (member {})", i + 1);
                sink.begin(&member_name);
                sink.end(&member_name, Err(ImportError::Archive(e.to_string())));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let inner = member
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("member {}", i + 1));
        let member_name = format!("{name}/{inner}");
        sink.begin(&member_name);
        let outcome = read_boxed(Box::new(member), &member_name, prefilter, &mut |item| {
            sink.item(item)
        });
        sink.end(&member_name, outcome);
    }
}

/// Words a record must contain to be worth reading closely during a search: lower-case ASCII,
/// matched in any case anywhere in the record's text. Empty: every record is read.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    needles: Vec<Vec<u8>>,
}

impl Prefilter {
    /// Words every wanted record contains. Words JSON or CSV may write differently from the
    /// value (with quotes, slashes, backslashes or beyond ASCII) make the filter admit all.
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Prefilter {
        let mut needles = Vec::new();
        for word in words {
            let word = word.as_ref();
            let plain = word.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
                && !word.contains(['"', '\\', '/']);
            if !plain {
                return Prefilter::default();
            }
            if !word.is_empty() {
                needles.push(word.to_ascii_lowercase().into_bytes());
            }
        }
        Prefilter { needles }
    }

    /// The words, lower case.
    pub fn words(&self) -> &[Vec<u8>] {
        &self.needles
    }

    /// Whether a record's text may hold a match. A record with a `\u` escape is always read
    /// (the escape may hide a letter of a word), and so is one with the two letters whose
    /// lower case is ASCII (the Kelvin sign and the dotted capital I).
    pub fn admits(&self, text: &[u8]) -> bool {
        self.needles.is_empty()
            || memchr::memmem::find(text, b"\\u").is_some()
            || memchr::memmem::find(text, "\u{212A}".as_bytes()).is_some()
            || memchr::memmem::find(text, "\u{130}".as_bytes()).is_some()
            || self
                .needles
                .iter()
                .all(|needle| contains_ignoring_ascii_case(text, needle))
    }
}

/// Whether `needle` (lower-case) occurs in `text`, ignoring ASCII case.
fn contains_ignoring_ascii_case(text: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), text).any(|at| {
        text.get(at + 1..at + needle.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(rest))
    })
}

/// Reads the first bytes and rewinds.
fn read_head<R: Read + Seek>(reader: &mut R, head: &mut [u8]) -> std::io::Result<usize> {
    let start = reader.stream_position()?;
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    reader.seek(std::io::SeekFrom::Start(start))?;
    Ok(n)
}

/// Reads every file of a source and collects what each held.
pub fn import_source<R: Read + Seek>(
    reader: R,
    name: &str,
) -> Vec<(String, Result<Import, ImportError>)> {
    #[derive(Default)]
    struct Collect {
        records: Vec<ImportedRecord>,
        auth_steps: Vec<AuthStep>,
        done: Vec<(String, Result<Import, ImportError>)>,
    }
    impl ImportSink for Collect {
        fn begin(&mut self, _: &str) {
            self.records.clear();
            self.auth_steps.clear();
        }
        fn item(&mut self, item: Item) {
            match item {
                Item::SignIn(r) => self.records.push(*r),
                Item::AuthStep(s) => self.auth_steps.push(*s),
            }
        }
        fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>) {
            let result = outcome.map(|summary| Import {
                format: summary.format,
                records: std::mem::take(&mut self.records),
                auth_steps: std::mem::take(&mut self.auth_steps),
                warnings: summary.warnings,
                next_link: summary.next_link,
            });
            self.done.push((name.to_owned(), result));
        }
    }
    let mut collect = Collect::default();
    read_source(reader, name, &mut collect);
    collect.done
}

/// Imports one stream (not a zip archive), collecting every record. `name` is the file name,
/// used only to tell which sign-in log a portal CSV holds.
pub fn import_stream<R: Read>(reader: R, name: &str) -> Result<Import, ImportError> {
    let mut records = Vec::new();
    let mut auth_steps = Vec::new();
    let summary = read_stream(reader, name, &mut |item| match item {
        Item::SignIn(r) => records.push(*r),
        Item::AuthStep(s) => auth_steps.push(*s),
    })?;
    Ok(Import {
        format: summary.format,
        records,
        auth_steps,
        warnings: summary.warnings,
        next_link: summary.next_link,
    })
}

/// Streams one file (not a zip archive): each good item goes to `sink` as soon as it is read.
pub fn read_stream<R: Read>(
    reader: R,
    name: &str,
    sink: &mut dyn FnMut(Item),
) -> Result<ReadSummary, ImportError> {
    read_boxed(Box::new(reader), name, &Prefilter::default(), sink)
}

fn read_boxed(
    reader: Box<dyn Read + '_>,
    name: &str,
    prefilter: &Prefilter,
    sink: &mut dyn FnMut(Item),
) -> Result<ReadSummary, ImportError> {
    let mut buffered = std::io::BufReader::with_capacity(1 << 16, reader);
    match text::sniff(&mut buffered)? {
        text::Kind::Gzip => {
            let inner = name.strip_suffix(".gz").unwrap_or(name);
            read_boxed(
                Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
                inner,
                prefilter,
                sink,
            )
        }
        text::Kind::Zip => Err(ImportError::NestedArchive),
        text::Kind::Binary => Err(ImportError::Binary),
        text::Kind::Text(encoding) => {
            let mut decoded = text::decode(buffered, encoding);
            if starts_like_json(&mut decoded)? {
                read_json(decoded, prefilter, sink)
            } else {
                read_csv(decoded, name, prefilter, None, sink).map(|(summary, _)| summary)
            }
        }
    }
}

/// Whether the first character that is not white space (or a byte-order mark) opens JSON.
fn starts_like_json(reader: &mut dyn BufRead) -> Result<bool, ImportError> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Err(ImportError::Empty);
        }
        let skip = if buf.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            buf.iter().take_while(|b| b.is_ascii_whitespace()).count()
        };
        if skip == 0 {
            return Ok(matches!(buf[0], b'[' | b'{'));
        }
        reader.consume(skip);
    }
}

/// Reads JSON in any layout the scanner knows.
fn read_json(
    reader: Box<dyn BufRead + '_>,
    prefilter: &Prefilter,
    sink: &mut dyn FnMut(Item),
) -> Result<ReadSummary, ImportError> {
    let mut state = ReadState::default();
    let scanned = scan::scan(reader, &mut |found| state.take(found, prefilter, sink));
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
    let format = match state.shape {
        Some(Shape::PowerShell) => SourceFormat::PowerShellJson,
        Some(Shape::AzureMonitor) => SourceFormat::AzureMonitor,
        Some(Shape::LogAnalytics) => SourceFormat::LogAnalyticsJson,
        _ if state.saw_page => SourceFormat::GraphJson,
        _ if state.saw_array => SourceFormat::PortalJson,
        _ if state.top_level_objects > 1 => SourceFormat::Ndjson,
        _ => SourceFormat::GraphJson,
    };
    Ok(state.summary(format))
}

/// Reads a CSV export: the header row decides which kind.
/// Rows of a CSV export as the csv crate read them: how many (blank ones too), and how many
/// had another number of fields than the header (a sign the rows were cut wrongly).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvRows {
    pub rows: u64,
    pub ragged: u64,
}

/// Reads the CSV rows of part of a file: `header` is the file's first row (with its line
/// end), `rows` the bytes of whole rows that follow somewhere in the file. Positions count
/// from the start of `header` as if the rows followed it directly; the caller moves them to
/// their place. For reading a large CSV export in parts on several cores.
///
/// `quick` is shown a quick look at each portal sign-in row it can be given for
/// ([`glance::Glance`]); when it returns `true` the row is done with, else it is read in full
/// and handed to `sink`. Rows it takes are counted as read but never warned about.
pub fn read_csv_part<R: Read>(
    header: &[u8],
    rows: R,
    name: &str,
    prefilter: &Prefilter,
    quick: &mut dyn FnMut(&glance::Glance<'_>) -> bool,
    sink: &mut dyn FnMut(Item),
) -> Result<(ReadSummary, CsvRows), ImportError> {
    let reader = std::io::BufReader::with_capacity(1 << 16, header.chain(rows));
    read_csv(Box::new(reader), name, prefilter, Some(quick), sink)
}

fn read_csv(
    reader: Box<dyn BufRead + '_>,
    name: &str,
    prefilter: &Prefilter,
    mut quick: Option<&mut dyn FnMut(&glance::Glance<'_>) -> bool>,
    sink: &mut dyn FnMut(Item),
) -> Result<(ReadSummary, CsvRows), ImportError> {
    // The csv crate miscounts lines in files with CRLF line ends; lines are counted here from
    // the byte offsets it reports correctly.
    let lines = tabular::LineIndex::default();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(lines.wrap(reader));
    let mut header = csv::StringRecord::new();
    if !csv.read_record(&mut header).map_err(csv_error)? {
        return Err(ImportError::Empty);
    }
    let headers: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let Some(table) = tabular::table_of(&headers) else {
        let first_line: String = headers.join(",").chars().take(80).collect();
        return Err(ImportError::Unrecognised { first_line });
    };
    let event_type = tabular::event_type_of_file_name(name);
    let layout = tabular::Layout::new(&headers);
    let looks = match quick {
        Some(_) if table == Table::Portal => tabular::Quick::new(&layout),
        _ => None,
    };
    let mut state = ReadState::default();
    let mut row = csv::StringRecord::new();
    let mut record = 0;
    let mut ragged = 0;
    loop {
        let read = csv.read_record(&mut row);
        record += 1;
        let offset = row.position().map_or(0, |p| p.byte());
        let position = Position {
            record,
            line: lines.line_at(offset),
            offset,
        };
        match read {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => match e.kind() {
                csv::ErrorKind::Io(_) => return Err(csv_error(e)),
                _ => {
                    let line = e
                        .position()
                        .map_or(position.line, |p| lines.line_at(p.byte()));
                    state.warn(
                        Position { line, ..position },
                        Problem::new("import.csv-unreadable").with("detail", e),
                    );
                    continue;
                }
            },
        }
        if row.len() != headers.len() {
            ragged += 1;
        }
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        state.seen += 1;
        // Once the file has shown it holds sign-ins, rows that cannot match are passed over.
        // The fields side by side hold every value a match contains.
        if table != Table::PortalAuthDetails
            && state.accepted > 0
            && !prefilter.admits(row.as_slice().as_bytes())
        {
            continue;
        }
        if let (Some(looks), Some(quick)) = (&looks, &mut quick)
            && let Some(glance) = looks.glance(&row)
            && quick(&glance)
        {
            state.accepted += 1;
            continue;
        }
        let raw = tabular::raw_row_in(&layout, &row).into_boxed_str();
        match table {
            Table::Portal => state.accept(
                tabular::portal_row_in(&layout, &row, event_type),
                position,
                raw,
                false,
                sink,
                &|_| tabular::portal_row_in(&layout, &row, event_type),
            ),
            Table::LogAnalytics => state.accept(
                tabular::log_analytics_row(&headers, &row),
                position,
                raw,
                false,
                sink,
                &|_| tabular::log_analytics_row(&headers, &row),
            ),
            Table::PortalAuthDetails => {
                state.auth_step(tabular::portal_row_in(&layout, &row, None), position, sink)
            }
        }
    }
    let format = match table {
        Table::Portal => SourceFormat::PortalCsv,
        Table::PortalAuthDetails => SourceFormat::PortalAuthDetailsCsv,
        Table::LogAnalytics => SourceFormat::LogAnalyticsCsv,
    };
    let rows = CsvRows {
        rows: record - 1,
        ragged,
    };
    Ok((state.summary(format), rows))
}

fn csv_error(e: csv::Error) -> ImportError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ImportError::Io(io),
        other => ImportError::Io(std::io::Error::other(format!("{other:?}"))),
    }
}

#[derive(Debug, Default)]
struct ReadState {
    accepted: u64,
    auth_steps: u64,
    seen: u64,
    saw_page: bool,
    saw_array: bool,
    top_level_objects: u64,
    warnings: Vec<ImportWarning>,
    next_link: Option<String>,
    /// Keys of the first record when it did not look like a sign-in at all.
    foreign_keys: Option<Vec<String>>,
    graph_error: Option<String>,
    /// The shape of the first record that was an object.
    shape: Option<Shape>,
}

impl ReadState {
    fn summary(self, format: SourceFormat) -> ReadSummary {
        ReadSummary {
            format,
            records: self.accepted,
            auth_steps: self.auth_steps,
            warnings: self.warnings,
            next_link: self.next_link,
        }
    }

    fn take(&mut self, found: Found, prefilter: &Prefilter, sink: &mut dyn FnMut(Item)) {
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
                // Once the file has shown it holds sign-ins, records that cannot match are
                // passed over.
                if self.accepted > 0 && !prefilter.admits(&bytes) {
                    return;
                }
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
                problem,
            } => {
                self.warnings.push(ImportWarning {
                    record,
                    line,
                    problem,
                });
            }
        }
    }

    fn record(&mut self, mut bytes: Vec<u8>, position: Position, sink: &mut dyn FnMut(Item)) {
        // Once the first record has been read the full way, a record whose text needs no
        // rewriting is read straight into the sign-in (the same sign-in, about twice as fast).
        // Whatever that reading refuses is read the full way, which says why.
        if self.shape.is_some() && normalize::is_plain_text(&bytes) {
            bytes = match String::from_utf8(bytes) {
                Ok(raw) => match serde_json::from_str::<SignInEvent>(&raw) {
                    Ok(event) => {
                        self.take_event(event, position, raw.into_boxed_str(), true, sink);
                        return;
                    }
                    Err(_) => raw.into_bytes(),
                },
                Err(e) => e.into_bytes(),
            };
        }
        let object = match serde_json::from_slice::<DuplicateAwareObject>(&bytes) {
            Ok(object) => object,
            Err(e) => {
                let problem =
                    Problem::new("import.not-json").with("detail", relocate(&e, position.line));
                self.warn(position, problem);
                return;
            }
        };
        if self.seen == 1 && !looks_like_sign_in(&object.map) {
            if let Some(error) = object.map.get("error") {
                self.graph_error = Some(graph_error_text(error));
            }
            self.foreign_keys = Some(object.map.keys().cloned().collect());
        }
        let shape = normalize::shape_of(&object.map);
        self.shape.get_or_insert(shape);
        for key in &object.different_duplicates {
            self.warn(
                position,
                Problem::new("import.repeated-key").with("key", key),
            );
        }
        let canonical = normalize::to_canonical(object.map, shape);
        let raw = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
            .into_boxed_str();
        let again = |raw: &str| {
            serde_json::from_str::<DuplicateAwareObject>(raw)
                .map(|object| normalize::to_canonical(object.map, shape))
                .unwrap_or_default()
        };
        self.accept(canonical, position, raw, true, sink, &again);
    }

    /// Reads a canonical object as a sign-in and hands it over, or warns why it cannot.
    /// `again` makes the same canonical object from the raw text once more: only for a record
    /// that cannot be read, to say which field is at fault (keeping track of where the reading
    /// is costs every record a good part of its reading time).
    fn accept(
        &mut self,
        canonical: Map<String, Value>,
        position: Position,
        raw: Box<str>,
        rereadable: bool,
        sink: &mut dyn FnMut(Item),
        again: &dyn Fn(&str) -> Map<String, Value>,
    ) {
        let event = match SignInEvent::deserialize(Value::Object(canonical)) {
            Ok(event) => event,
            Err(first) => {
                let e = match serde_path_to_error::deserialize::<_, SignInEvent>(Value::Object(
                    again(&raw),
                )) {
                    Err(e) => e,
                    // Read the same way it cannot succeed; should it, the first error stands.
                    Ok(_) => {
                        let problem = Problem::new("import.unreadable").with("detail", first);
                        self.warn(position, problem);
                        return;
                    }
                };
                let path = e.path().to_string();
                let problem = if path == "." {
                    Problem::new("import.unreadable").with("detail", e.inner())
                } else {
                    Problem::new("import.bad-field")
                        .with("field", path)
                        .with("detail", e.inner())
                };
                self.warn(position, problem);
                return;
            }
        };
        self.take_event(event, position, raw, rereadable, sink);
    }

    /// Hands over a sign-in read from `raw`, or warns that it has no request ID.
    fn take_event(
        &mut self,
        event: SignInEvent,
        position: Position,
        raw: Box<str>,
        rereadable: bool,
        sink: &mut dyn FnMut(Item),
    ) {
        if event.id.trim().is_empty() {
            self.warn(position, Problem::new("import.empty-id"));
            return;
        }
        self.accepted += 1;
        sink(Item::SignIn(Box::new(ImportedRecord {
            event,
            raw,
            position,
            rereadable,
        })));
    }

    /// Reads a row of the authentication-details CSV as one step of a sign-in.
    fn auth_step(
        &mut self,
        mut row: Map<String, Value>,
        position: Position,
        sink: &mut dyn FnMut(Item),
    ) {
        let Some(request_id) = row.remove("id").and_then(|v| v.as_str().map(str::to_owned)) else {
            self.warn(position, Problem::new("import.step-without-request-id"));
            return;
        };
        if let Some(time) = row.remove("createdDateTime") {
            row.insert("authenticationStepDateTime".into(), time);
        }
        match serde_path_to_error::deserialize::<_, AuthenticationDetail>(Value::Object(row)) {
            Ok(step) => {
                self.auth_steps += 1;
                sink(Item::AuthStep(Box::new(AuthStep {
                    request_id,
                    step,
                    position,
                })));
            }
            Err(e) => self.warn(
                position,
                Problem::new("import.bad-field")
                    .with("field", e.path())
                    .with("detail", e.inner()),
            ),
        }
    }

    fn warn(&mut self, position: Position, problem: Problem) {
        self.warnings.push(ImportWarning {
            record: Some(position.record),
            line: position.line,
            problem,
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
                    match map.entry(key) {
                        serde_json::map::Entry::Vacant(place) => {
                            place.insert(value);
                        }
                        // A key seen before: the later value wins, as in any JSON reader, and
                        // a different one is worth a warning.
                        serde_json::map::Entry::Occupied(mut seen) => {
                            let old = seen.insert(value);
                            if *seen.get() != old && !different_duplicates.contains(seen.key()) {
                                different_duplicates.push(seen.key().clone());
                            }
                        }
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
