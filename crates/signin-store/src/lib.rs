//! The workspace: sign-ins imported from files, kept in one SQLite file so that they are there
//! the next time the app opens.
//!
//! [`Workspace::import`] reads a file (or each member of a zip archive) through `signin-core`'s
//! importers and writes it in **one transaction per file**: a file that fails, or an import
//! that is cancelled, leaves the workspace exactly as it was before that file. Sign-ins are
//! de-duplicated by request ID across files and sources. Every field the search uses has its
//! own indexed column; the whole canonical record and the exact source text are kept beside
//! them, and Conditional Access results have a table of their own.
//!
//! [`Workspace::search`] answers the same [`Criteria`] as `signin_core::Dataset`, with the same
//! results in the same order (a test holds the two to that).

mod packed;
mod page;
mod schema;

pub use page::{Page, Pager, SearchGate};

use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, params};
use signin_core::diagnose::{self, Diagnosis, Settings};
use signin_core::import::{ImportedRecord, Position};
use signin_core::model::{AuthenticationDetail, PolicyResult};
use signin_core::stats::Count;
use signin_core::{
    Criteria, ImportError, ImportSink, ImportWarning, Item, ReadSummary, SignInEvent, SourceFormat,
};

/// Why the workspace could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the workspace {path} cannot be opened: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the workspace {0} was written by a newer Sign-in Doctor; update the app to open it")]
    TooNew(PathBuf),
    #[error("the workspace could not be read or written: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a stored sign-in could not be read back: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("the workspace is damaged: {0}")]
    Damaged(String),
}

impl StoreError {
    /// What went wrong, in `lang` (the `Display` text is English, for logs). SQLite's and
    /// serde's own words are carried inside the sentence as they are.
    pub fn describe(&self, lang: signin_core::Lang) -> String {
        use signin_core::messages::tr;
        match self {
            StoreError::Open { path, source } => tr(
                lang,
                "import.workspace.open",
                &[("path", &path.display()), ("detail", source)],
            ),
            StoreError::TooNew(path) => tr(
                lang,
                "import.workspace.too-new",
                &[("path", &path.display())],
            ),
            StoreError::Sqlite(e) => tr(lang, "import.workspace.sqlite", &[("detail", e)]),
            StoreError::Corrupt(e) => tr(lang, "import.workspace.corrupt", &[("detail", e)]),
            StoreError::Damaged(detail) => {
                tr(lang, "import.workspace.damaged", &[("detail", detail)])
            }
        }
    }
}

/// One file as the workspace recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub id: i64,
    pub name: String,
    pub format: Option<SourceFormat>,
    /// When it was imported, RFC 3339 UTC.
    pub imported_at: String,
    pub added: u64,
    pub duplicates: u64,
    pub auth_steps: u64,
    pub warnings: Vec<ImportWarning>,
    pub next_link: Option<String>,
}

/// What importing one file (or archive member) did.
#[derive(Debug)]
pub struct FileOutcome {
    pub name: String,
    /// The stored source, or why nothing of this file was kept.
    pub result: Result<SourceRecord, FileError>,
}

/// Why a file was not imported. Nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("cancelled; nothing of this file was kept")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Progress of an import, reported while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The file (or archive member) being read.
    pub file: String,
    /// Bytes of the file on disk read so far (compressed bytes for archives).
    pub bytes_read: u64,
    pub bytes_total: u64,
    /// Sign-ins read from this file so far.
    pub records: u64,
    /// The file is read and its search indexes are being built (a large file into a smaller
    /// workspace: see `Writer::defer_indexes_after`).
    pub indexing: bool,
}

/// How an import reports and is stopped.
pub struct ImportControl<'a> {
    /// Set from another thread to stop; the current file is rolled back.
    pub cancel: &'a AtomicBool,
    /// Called at most every `interval` with the progress so far.
    pub on_progress: &'a mut dyn FnMut(&Progress),
    pub interval: Duration,
}

impl std::fmt::Debug for ImportControl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportControl")
            .field("cancel", &self.cancel)
            .field("interval", &self.interval)
            .finish()
    }
}

/// A sign-in as stored.
#[derive(Debug, Clone)]
pub struct StoredSignIn {
    pub event: SignInEvent,
    /// The record exactly as it appeared in its file.
    pub raw: String,
    /// The name of the file it came from.
    pub source: String,
    pub position: Position,
}

/// A page of search results.
#[derive(Debug, Clone)]
pub struct Found {
    /// Every match.
    pub total: u64,
    /// The newest `limit` of them, newest first.
    pub events: Vec<StoredSignIn>,
}

/// The SQLite workspace.
#[derive(Debug)]
pub struct Workspace {
    conn: Connection,
    path: PathBuf,
    unpacker: packed::Unpacker,
}

impl Workspace {
    /// Opens the workspace file, creating it (and its folder) when it does not exist.
    pub fn open(path: &Path) -> Result<Workspace, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder is reported by the open below.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        schema::prepare(&conn, path)?;
        Ok(Workspace {
            conn,
            path: path.to_owned(),
            unpacker: packed::Unpacker::default(),
        })
    }

    /// A workspace that lives in memory only (for tests and one-off CLI runs).
    pub fn in_memory() -> Result<Workspace, StoreError> {
        let conn = Connection::open_in_memory()?;
        schema::prepare(&conn, Path::new(":memory:"))?;
        Ok(Workspace {
            conn,
            path: PathBuf::from(":memory:"),
            unpacker: packed::Unpacker::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Imports a file, or every member of a zip archive, each in its own transaction.
    ///
    /// Two threads share the work: one reads and parses the file, this one packs and writes
    /// what it hands over (a bounded queue between them keeps memory flat).
    pub fn import<R: Read + Seek + Send>(
        &mut self,
        mut reader: R,
        name: &str,
        control: ImportControl<'_>,
    ) -> Vec<FileOutcome> {
        let ImportControl {
            cancel,
            on_progress,
            interval,
        } = control;
        let total = reader
            .seek(SeekFrom::End(0))
            .and_then(|end| reader.seek(SeekFrom::Start(0)).map(|_| end))
            .unwrap_or(0);
        let read = Arc::new(AtomicU64::new(0));
        let watched = Watched {
            inner: reader,
            read: read.clone(),
            cancel,
        };
        let mut sink = StoreSink {
            conn: &self.conn,
            writer: None,
            failed: None,
            outcomes: Vec::new(),
            cancel,
            progress: Progress {
                file: name.to_owned(),
                bytes_read: 0,
                bytes_total: total,
                records: 0,
                indexing: false,
            },
            read,
            on_progress,
            last_report: Instant::now(),
            interval,
        };
        let (send, receive) = std::sync::mpsc::sync_channel(QUEUE);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut forward = Forward {
                    queue: send,
                    batch: Vec::with_capacity(BATCH),
                };
                signin_core::read_source(watched, name, &mut forward);
                forward.flush();
            });
            // Ends when the reading thread is done and has dropped its end of the queue.
            for batch in receive {
                for message in batch {
                    match message {
                        Handed::Begin(name) => sink.begin(&name),
                        Handed::Item(item) => sink.item(item),
                        Handed::End(name, outcome) => sink.end(&name, outcome),
                    }
                }
            }
        });
        std::mem::take(&mut sink.outcomes)
    }

    /// Adds an already-read import (the demo data, for one) as one source.
    pub fn add(
        &mut self,
        name: &str,
        import: signin_core::Import,
    ) -> Result<SourceRecord, StoreError> {
        let tx = self.conn.transaction()?;
        let mut writer = Writer::new(&tx, name)?;
        for record in import.records {
            writer.sign_in(record)?;
        }
        for step in import.auth_steps {
            writer.auth_step(&step.request_id, step.step)?;
        }
        let summary = ReadSummary {
            format: import.format,
            records: 0,
            auth_steps: 0,
            warnings: import.warnings,
            next_link: import.next_link,
        };
        let source = writer.finish(&summary)?;
        tx.commit()?;
        Ok(source)
    }

    /// Adds one page of sign-ins fetched from a live tenant. The first page (`source` is `None`)
    /// creates a source called `name`; later pages extend that source. Each page is its own
    /// transaction, so what arrived before a failure or a Cancel stays in the workspace.
    pub fn add_page(
        &mut self,
        source: Option<i64>,
        name: &str,
        import: signin_core::Import,
    ) -> Result<SourceRecord, StoreError> {
        let tx = self.conn.transaction()?;
        let (mut writer, mut warnings) = match source {
            None => (Writer::new(&tx, name)?, Vec::new()),
            Some(id) => Writer::resume(&tx, id)?,
        };
        for record in import.records {
            writer.sign_in(record)?;
        }
        for step in import.auth_steps {
            writer.auth_step(&step.request_id, step.step)?;
        }
        warnings.extend(import.warnings);
        let summary = ReadSummary {
            format: import.format,
            records: 0,
            auth_steps: 0,
            warnings,
            next_link: None,
        };
        let source = writer.finish(&summary)?;
        tx.commit()?;
        Ok(source)
    }

    /// Every sign-in meeting `criteria`: the total, and the newest `limit` (all when 0).
    pub fn search(&self, criteria: &Criteria, limit: usize) -> Result<Found, StoreError> {
        let (clause, values) = schema::where_clause_in(&self.conn, criteria);
        let total: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM signin WHERE {clause}"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        // Only the rows up to the time of the last one wanted are read and sorted.
        let clause = page::up_to(
            self,
            &clause,
            &values,
            schema::time_column(criteria),
            page::Direction::Newest,
            limit as u64,
        )?;
        let limit = if limit == 0 { -1 } else { limit as i64 };
        let sql = format!(
            "SELECT b.dict, b.body, src.name, s.record, s.line, s.offset FROM signin s JOIN source src ON src.id = s.source_id
             JOIN signin_body b ON b.rid = s.rid WHERE {clause} ORDER BY s.created_at DESC, s.request_id ASC LIMIT {limit}"
        );
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), stored_row)?;
        let events = rows
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|row| self.decode(row))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Found {
            total: total as u64,
            events,
        })
    }

    /// The failed sign-ins meeting `criteria`, counted by error code: what
    /// `signin_core::stats::by_error_code` gives for them, counted by SQLite over an index
    /// instead of reading every sign-in.
    pub fn count_by_code(
        &self,
        criteria: &Criteria,
        top: usize,
    ) -> Result<Vec<Count<i64>>, StoreError> {
        let (clause, values) = schema::where_clause_in(&self.conn, criteria);
        self.counts(
            &format!(
                "SELECT error_code, COUNT(*) AS n FROM signin WHERE {clause} AND error_code != 0
                 GROUP BY error_code ORDER BY n DESC, error_code ASC LIMIT {}",
                limit(top)
            ),
            &values,
        )
    }

    /// The Conditional Access policies that failed the failed sign-ins meeting `criteria`,
    /// counted by name: what `signin_core::stats::by_failed_policy` gives for them.
    pub fn count_by_failed_policy(
        &self,
        criteria: &Criteria,
        top: usize,
    ) -> Result<Vec<Count<String>>, StoreError> {
        let (clause, values) = schema::where_clause_in(&self.conn, criteria);
        self.counts(
            &format!(
                "SELECT CASE WHEN p.name != '' THEN p.name ELSE p.policy_id END AS shown, COUNT(*) AS n
                 FROM signin s JOIN ca_failure c ON c.rid = s.rid JOIN ca_policy p ON p.pidx = c.pidx
                 WHERE {clause} AND s.error_code != 0
                 GROUP BY shown ORDER BY n DESC, shown ASC LIMIT {}",
                limit(top)
            ),
            &values,
        )
    }

    fn counts<K: rusqlite::types::FromSql>(
        &self,
        sql: &str,
        values: &[rusqlite::types::Value],
    ) -> Result<Vec<Count<K>>, StoreError> {
        let mut statement = self.conn.prepare(sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            Ok(Count {
                key: r.get(0)?,
                count: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Diagnoses a sign-in with the rest of its attempt (same correlation ID) and the sign-ins
    /// in the window around it, all taken from the workspace.
    pub fn diagnose(
        &self,
        event: &SignInEvent,
        settings: &Settings,
    ) -> Result<Diagnosis, StoreError> {
        let chain = match event
            .correlation_id
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            Some(c) => self.events(&Criteria {
                correlation_id: Some(c.to_owned()),
                ..Criteria::default()
            })?,
            None => Vec::new(),
        };
        let nearby = self.nearby(event, settings.window)?;
        Ok(diagnose::diagnose(
            event,
            &diagnose::Context {
                settings,
                chain: &chain,
                nearby: &nearby,
            },
        ))
    }

    /// The sign-ins within `window` of `event` that its diagnosis looks at
    /// ([`diagnose::Neighbours`]: the same user's, and password failures), found through the
    /// user and error-code indexes: at a million sign-ins a few thousand are read, not every
    /// sign-in of two days.
    fn nearby(
        &self,
        event: &SignInEvent,
        window: chrono::Duration,
    ) -> Result<Vec<SignInEvent>, StoreError> {
        let (from, to) = (
            event.created_date_time - window,
            event.created_date_time + window,
        );
        let wanted = diagnose::Neighbours::of(event);
        let upn = wanted.user_principal_name.map(key);
        let user_id = wanted.user_id.map(key);
        // The indexes hold keys (trimmed, lower case). A name of white space alone has none,
        // so then the whole window is read.
        if [&upn, &user_id].iter().any(|k| k.as_deref() == Some("")) {
            return self.events(&Criteria {
                from: Some(from),
                to: Some(to),
                ..Criteria::default()
            });
        }
        let (from, to) = (schema::nanos(from), schema::nanos(to));
        let mut rids = std::collections::BTreeSet::new();
        let mut add = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<(), StoreError> {
            let mut statement = self.conn.prepare_cached(sql)?;
            for rid in statement.query_map(args, |r| r.get::<_, i64>(0))? {
                rids.insert(rid?);
            }
            Ok(())
        };
        if let Some(upn) = &upn {
            add(
                "SELECT rid FROM signin WHERE upn_key = ?1 AND created_at BETWEEN ?2 AND ?3",
                params![upn, from, to],
            )?;
        }
        if let Some(user_id) = &user_id {
            add(
                "SELECT rid FROM signin WHERE user_id_key = ?1 AND created_at BETWEEN ?2 AND ?3",
                params![user_id, from, to],
            )?;
        }
        // `error_code != 0` lets SQLite use the index of failures.
        let codes = wanted
            .error_codes
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>();
        add(
            &format!(
                "SELECT rid FROM signin WHERE error_code IN ({}) AND error_code != 0
                 AND created_at BETWEEN ?1 AND ?2",
                codes.join(", ")
            ),
            params![from, to],
        )?;
        rids.into_iter().map(|rid| self.event_of(rid)).collect()
    }

    /// A stored row read back.
    fn decode(
        &self,
        (dict, body, source, record, line, offset): Row,
    ) -> Result<StoredSignIn, StoreError> {
        let (event, raw) = self.unpacker.unpack(&self.conn, dict, &body)?;
        Ok(StoredSignIn {
            event: event_from(event, &raw)?,
            raw,
            source,
            position: Position {
                record: record as u64,
                line: line as u64,
                offset: offset as u64,
            },
        })
    }

    /// The canonical record of the row `rid` (for summaries).
    pub(crate) fn event_of(&self, rid: i64) -> Result<SignInEvent, StoreError> {
        let (dict, body): (i64, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT dict, body FROM signin_body WHERE rid = ?1")?
            .query_row([rid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let (event, raw) = self.unpacker.unpack(&self.conn, dict, &body)?;
        event_from(event, &raw)
    }

    /// The requests of `event`'s attempt (the sign-ins sharing its correlation ID), newest
    /// first, at most `limit` (all when 0); `event` alone when it has no correlation ID.
    pub fn attempt(
        &self,
        event: SignInEvent,
        limit: usize,
    ) -> Result<Vec<SignInEvent>, StoreError> {
        let Some(correlation) = event
            .correlation_id
            .clone()
            .filter(|c| !c.trim().is_empty())
        else {
            return Ok(vec![event]);
        };
        let criteria = Criteria {
            correlation_id: Some(correlation),
            ..Criteria::default()
        };
        Ok(self
            .search(&criteria, limit)?
            .events
            .into_iter()
            .map(|s| s.event)
            .collect())
    }

    /// Every sign-in meeting `criteria`, without source details.
    fn events(&self, criteria: &Criteria) -> Result<Vec<SignInEvent>, StoreError> {
        Ok(self
            .search(criteria, 0)?
            .events
            .into_iter()
            .map(|s| s.event)
            .collect())
    }

    /// The sign-in with this request ID (case-insensitive).
    pub fn get(&self, request_id: &str) -> Result<Option<StoredSignIn>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT b.dict, b.body, src.name, s.record, s.line, s.offset FROM signin s JOIN source src ON src.id = s.source_id
                 JOIN signin_body b ON b.rid = s.rid WHERE s.request_key = ?1",
                params![key(request_id)],
                stored_row,
            )
            .optional()?;
        row.map(|row| self.decode(row)).transpose()
    }

    /// How many sign-ins the workspace holds.
    pub fn len(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM signin", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// The newest and oldest sign-in times, RFC 3339 UTC.
    pub fn span(&self) -> Result<Option<(String, String)>, StoreError> {
        let span: (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT MAX(created_at), MIN(created_at) FROM signin",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let stamp = |nanos: i64| {
            chrono::DateTime::from_timestamp_nanos(nanos)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        Ok(match span {
            (Some(newest), Some(oldest)) => Some((stamp(newest), stamp(oldest))),
            _ => None,
        })
    }

    /// The files imported so far, oldest first.
    pub fn sources(&self) -> Result<Vec<SourceRecord>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT id, name, format, imported_at, added, duplicates, auth_steps, warnings, next_link FROM source ORDER BY id",
        )?;
        let rows = statement.query_map([], source_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Empties the workspace.
    pub fn clear(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute_batch("DELETE FROM ca_failure; DELETE FROM ca_policy; DELETE FROM pending_step; DELETE FROM signin_body; DELETE FROM signin; DELETE FROM source; DELETE FROM dictionary;")?;
        tx.commit()?;
        self.unpacker.forget();
        self.conn.execute_batch("VACUUM")?;
        Ok(())
    }
}

/// SQLite's `LIMIT` for "the first `top`, all when 0".
fn limit(top: usize) -> i64 {
    if top == 0 { -1 } else { top as i64 }
}

/// The lower-case form under which request IDs and other identifiers are matched.
fn key(id: &str) -> String {
    id.trim().to_lowercase()
}

type Row = (i64, Vec<u8>, String, i64, i64, i64);

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

/// A source's warnings as stored: each with its message key and values (so they read in the
/// language of whoever looks), or, in workspaces from before that, as finished English text.
fn stored_warnings(json: &str) -> Vec<ImportWarning> {
    if let Ok(warnings) = serde_json::from_str::<Vec<ImportWarning>>(json) {
        return warnings;
    }
    let old: Vec<(Option<u64>, u64, String)> = serde_json::from_str(json).unwrap_or_default();
    old.into_iter()
        .map(|(record, line, text)| ImportWarning {
            record,
            line,
            problem: signin_core::messages::Message::verbatim(text),
        })
        .collect()
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRecord> {
    let format: Option<String> = r.get(2)?;
    let warnings: String = r.get(7)?;
    let warnings = stored_warnings(&warnings);
    Ok(SourceRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        format: format.and_then(|f| SourceFormat::ALL.into_iter().find(|x| x.id() == f)),
        imported_at: r.get(3)?,
        added: r.get::<_, i64>(4)? as u64,
        duplicates: r.get::<_, i64>(5)? as u64,
        auth_steps: r.get::<_, i64>(6)? as u64,
        warnings,
        next_link: r.get(8)?,
    })
}

/// How many batches of items the reading thread may be ahead of the writing one.
const QUEUE: usize = 4;

/// Items are handed over in batches of this many: one hand-over per item would wake the other
/// thread for each sign-in, a good part of the import's time.
const BATCH: usize = 128;

/// What the reading thread hands to the writing one: [`ImportSink`]'s calls.
enum Handed {
    Begin(String),
    Item(Item),
    End(String, Result<ReadSummary, ImportError>),
}

/// The reading thread's sink: passes every call on, in batches. A closed queue (the writer
/// stopped) is not an error here; the writer reports what happened.
struct Forward {
    queue: std::sync::mpsc::SyncSender<Vec<Handed>>,
    batch: Vec<Handed>,
}

impl Forward {
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            let _ = self.queue.send(batch);
        }
    }
}

impl ImportSink for Forward {
    fn begin(&mut self, name: &str) {
        self.batch.push(Handed::Begin(name.to_owned()));
        self.flush();
    }

    fn item(&mut self, item: Item) {
        self.batch.push(Handed::Item(item));
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>) {
        self.batch.push(Handed::End(name.to_owned(), outcome));
        self.flush();
    }
}

/// Counts bytes read and stops reading once cancelled.
struct Watched<'a, R> {
    inner: R,
    read: Arc<AtomicU64>,
    cancel: &'a AtomicBool,
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Watched<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// A file that adds at least this many sign-ins, and more than the workspace held before it,
/// has its indexes built at its end (`Writer::defer_indexes_after`).
const DEFER_AT_LEAST: u64 = if cfg!(test) { 500 } else { 50_000 };

/// Receives each file's items and writes them inside that file's own transaction.
struct StoreSink<'a> {
    conn: &'a Connection,
    writer: Option<Writer<'a>>,
    /// A write that failed in the current file; the file is rolled back at its end.
    failed: Option<StoreError>,
    outcomes: Vec<FileOutcome>,
    cancel: &'a AtomicBool,
    progress: Progress,
    read: Arc<AtomicU64>,
    on_progress: &'a mut dyn FnMut(&Progress),
    last_report: Instant,
    interval: Duration,
}

impl StoreSink<'_> {
    fn report(&mut self, force: bool) {
        if force || self.last_report.elapsed() >= self.interval {
            self.progress.bytes_read = self.read.load(Ordering::Relaxed);
            (self.on_progress)(&self.progress);
            self.last_report = Instant::now();
        }
    }
}

/// Should an import unwind (a panic while reading), the file's transaction is rolled back here,
/// which also brings back any indexes set aside: the workspace stays as it was and usable.
impl Drop for StoreSink<'_> {
    fn drop(&mut self) {
        if self.writer.take().is_some() || !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl ImportSink for StoreSink<'_> {
    fn begin(&mut self, name: &str) {
        self.failed = None;
        self.progress.file = name.to_owned();
        self.progress.records = 0;
        self.progress.indexing = false;
        self.writer = match self
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)
        {
            Ok(()) => match Writer::new(self.conn, name).and_then(|mut writer| {
                writer.defer_indexes_after()?;
                Ok(writer)
            }) {
                Ok(writer) => Some(writer),
                Err(e) => {
                    self.failed = Some(e);
                    None
                }
            },
            Err(e) => {
                self.failed = Some(e);
                None
            }
        };
        self.report(true);
    }

    fn item(&mut self, item: Item) {
        let Some(writer) = self.writer.as_mut().filter(|_| self.failed.is_none()) else {
            return;
        };
        let written = match item {
            Item::SignIn(record) => {
                self.progress.records += 1;
                writer.sign_in(*record)
            }
            Item::AuthStep(step) => writer.auth_step(&step.request_id, step.step),
        };
        if let Err(e) = written {
            self.failed = Some(e);
        }
        self.report(false);
    }

    fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>) {
        let writer = self.writer.take();
        let cancelled = self.cancel.load(Ordering::Relaxed);
        let result = match (outcome, self.failed.take(), writer) {
            (_, _, _) if cancelled => Err(FileError::Cancelled),
            (Err(e), _, _) => Err(FileError::Import(e)),
            (Ok(_), Some(e), _) => Err(FileError::Store(e)),
            (Ok(summary), None, Some(mut writer)) => {
                if writer.indexes_deferred {
                    self.progress.indexing = true;
                    self.report(true);
                }
                match writer.build_indexes(self.cancel) {
                    Ok(true) => writer.finish(&summary).map_err(FileError::Store),
                    Ok(false) => Err(FileError::Cancelled),
                    Err(e) => Err(FileError::Store(e)),
                }
            }
            (Ok(_), None, None) => Err(FileError::Store(StoreError::Sqlite(
                rusqlite::Error::InvalidQuery,
            ))),
        };
        let closed = match &result {
            Ok(_) => self.conn.execute_batch("COMMIT"),
            Err(_) => self.conn.execute_batch("ROLLBACK"),
        };
        let result = match (result, closed) {
            (Ok(_), Err(e)) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(FileError::Store(e.into()))
            }
            (result, _) => result,
        };
        self.report(true);
        self.outcomes.push(FileOutcome {
            name: name.to_owned(),
            result,
        });
    }
}

/// Writes one source's sign-ins; the caller owns the transaction.
struct Writer<'c> {
    conn: &'c Connection,
    source_id: i64,
    added: u64,
    duplicates: u64,
    auth_steps: u64,
    /// Conditional Access policies already stored: (id, name) → row.
    policies: HashMap<(String, String), i64>,
    /// Whether steps wait for sign-ins not yet imported.
    has_pending: bool,
    packer: packed::Packer,
    unpacker: packed::Unpacker,
    /// While the workspace has no compression dictionary: the first sign-ins, held back to
    /// learn one from (see `packed`); `None` once decided.
    waiting: Option<Vec<ImportedRecord>>,
    /// Whether the secondary indexes were dropped, to be built again (by `build_indexes` at the
    /// file's end, or by `finish` should nothing else have).
    indexes_deferred: bool,
    /// After how many added sign-ins they are dropped, if ever.
    defer_after: Option<u64>,
}

/// The sign-in of a stored body's texts: its canonical text, or its raw text read again.
fn event_from(event: Option<String>, raw: &str) -> Result<SignInEvent, StoreError> {
    match event {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => signin_core::import::reread(raw).ok_or_else(|| {
            StoreError::Damaged("a stored sign-in's record cannot be read again".into())
        }),
    }
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection, name: &str) -> Result<Self, StoreError> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        conn.execute(
            "INSERT INTO source (name, imported_at, warnings) VALUES (?1, ?2, '[]')",
            params![name, now],
        )?;
        let has_pending =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM pending_step)", [], |r| {
                r.get(0)
            })?;
        let source_id = conn.last_insert_rowid();
        let packer = packed::Packer::current(conn)?;
        Ok(Writer {
            conn,
            source_id,
            added: 0,
            duplicates: 0,
            auth_steps: 0,
            policies: HashMap::new(),
            has_pending,
            waiting: (packer.dict == 0).then(Vec::new),
            packer,
            unpacker: packed::Unpacker::default(),
            indexes_deferred: false,
            defer_after: None,
        })
    }

    /// Once this file has added more sign-ins than the workspace held before it (and at
    /// least [`DEFER_AT_LEAST`]), drops the secondary indexes until `finish`: one sorted build
    /// at the end is much quicker than growing them row by row. The request ID's index stays,
    /// so repeats are still found. Decided by what the file adds, not by its size, so the
    /// small members of a large archive each keep the indexes.
    fn defer_indexes_after(&mut self) -> Result<(), StoreError> {
        // The highest row id: the number of sign-ins stored, or a little more, at once.
        let rows: Option<i64> = self
            .conn
            .query_row("SELECT MAX(rid) FROM signin", [], |r| r.get(0))?;
        self.defer_after = Some((rows.unwrap_or(0).max(0) as u64).max(DEFER_AT_LEAST));
        Ok(())
    }

    /// Continues a source written before (the next page of a live fetch).
    fn resume(
        conn: &'c Connection,
        source_id: i64,
    ) -> Result<(Self, Vec<ImportWarning>), StoreError> {
        let record = conn.query_row(
            "SELECT id, name, format, imported_at, added, duplicates, auth_steps, warnings, next_link FROM source WHERE id = ?1",
            params![source_id],
            source_row,
        )?;
        let has_pending =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM pending_step)", [], |r| {
                r.get(0)
            })?;
        let packer = packed::Packer::current(conn)?;
        let writer = Writer {
            conn,
            source_id,
            added: record.added,
            duplicates: record.duplicates,
            auth_steps: record.auth_steps,
            policies: HashMap::new(),
            has_pending,
            waiting: (packer.dict == 0).then(Vec::new),
            packer,
            unpacker: packed::Unpacker::default(),
            indexes_deferred: false,
            defer_after: None,
        };
        Ok((writer, record.warnings))
    }

    fn sign_in(&mut self, mut record: ImportedRecord) -> Result<(), StoreError> {
        if let Some(waiting) = &mut self.waiting {
            waiting.push(record);
            if waiting.len() >= packed::TRAIN_AFTER {
                self.learn()?;
            }
            return Ok(());
        }
        self.store_as(&mut record, None)
    }

    /// Learns the workspace's compression dictionary from the sign-ins held back (when there
    /// are enough), then stores them.
    fn learn(&mut self) -> Result<(), StoreError> {
        let Some(waiting) = self.waiting.take() else {
            return Ok(());
        };
        // The texts as they will be packed: a JSON record's raw text alone (see `packed`).
        let texts = waiting
            .iter()
            .map(|r| {
                (!r.rereadable)
                    .then(|| serde_json::to_string(&r.event))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let samples: Vec<Vec<u8>> = texts
            .iter()
            .zip(&waiting)
            .map(|(text, r)| packed::sample(text.as_deref(), &r.raw))
            .collect();
        self.packer.train(self.conn, &samples)?;
        drop(samples);
        for (mut record, text) in waiting.into_iter().zip(texts) {
            self.store_as(&mut record, text)?;
        }
        Ok(())
    }

    /// Stores a sign-in; `text` is its canonical JSON when already written out. Only a sign-in
    /// that cannot be read again from its raw text alone keeps that text.
    fn store_as(
        &mut self,
        record: &mut ImportedRecord,
        mut text: Option<String>,
    ) -> Result<(), StoreError> {
        let ImportedRecord {
            event,
            raw,
            position,
            rereadable,
        } = record;
        let mut rereadable = *rereadable;
        let request_key = key(&event.id);
        if self.has_pending {
            let mut statement = self
                .conn
                .prepare_cached("SELECT step FROM pending_step WHERE request_key = ?1")?;
            let steps = statement
                .query_map(params![request_key], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            if !steps.is_empty() {
                for step in steps {
                    event.add_authentication_step(serde_json::from_str(&step)?);
                }
                // Steps from another file: the raw text no longer tells the whole sign-in.
                text = None;
                rereadable = false;
                self.conn.execute(
                    "DELETE FROM pending_step WHERE request_key = ?1",
                    params![request_key],
                )?;
            }
        }
        let keys = schema::Keys::of(event);
        let text = match text {
            _ if rereadable => None,
            Some(text) => Some(text),
            None => Some(serde_json::to_string(&event)?),
        };
        let body = self.packer.pack(text.as_deref(), raw)?;
        let mut insert = self.conn.prepare_cached(schema::INSERT_SIGN_IN)?;
        let inserted = insert.execute(params![
            event.id,
            request_key,
            keys.created_at,
            keys.upn,
            keys.name,
            keys.user_id,
            keys.app_name,
            keys.app_id,
            keys.correlation,
            keys.original_request,
            keys.outcome,
            event.error_code(),
            keys.event_type,
            self.source_id,
            position.record as i64,
            position.line as i64,
            position.offset as i64,
        ])?;
        if inserted == 0 {
            self.duplicates += 1;
            return Ok(());
        }
        self.added += 1;
        let rid = self.conn.last_insert_rowid();
        if self.defer_after.is_some_and(|after| self.added >= after) {
            self.defer_after = None;
            schema::drop_secondary_indexes(self.conn)?;
            self.indexes_deferred = true;
        }
        self.conn
            .prepare_cached(schema::INSERT_BODY)?
            .execute(params![rid, self.packer.dict, body])?;
        // Only the policies that failed the sign-in, which the counts by policy read; its own
        // record keeps every policy and result.
        let failed = event
            .applied_conditional_access_policies
            .iter()
            .filter(|p| matches!(p.result, Some(PolicyResult::Failure)));
        for policy in failed {
            let id = policy.id.clone().unwrap_or_default();
            let name = policy.display_name.clone().unwrap_or_default();
            let pidx = match self.policies.get(&(id.clone(), name.clone())) {
                Some(pidx) => *pidx,
                None => {
                    self.conn.execute(
                        "INSERT OR IGNORE INTO ca_policy (policy_id, name) VALUES (?1, ?2)",
                        params![id, name],
                    )?;
                    let pidx: i64 = self.conn.query_row(
                        "SELECT pidx FROM ca_policy WHERE policy_id = ?1 AND name = ?2",
                        params![id, name],
                        |r| r.get(0),
                    )?;
                    self.policies.insert((id, name), pidx);
                    pidx
                }
            };
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO ca_failure (rid, pidx) VALUES (?1, ?2)")?
                .execute(params![rid, pidx])?;
        }
        Ok(())
    }

    fn auth_step(
        &mut self,
        request_id: &str,
        step: AuthenticationDetail,
    ) -> Result<(), StoreError> {
        self.learn()?;
        self.auth_steps += 1;
        let request_key = key(request_id);
        let found: Option<(i64, i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT s.rid, b.dict, b.body FROM signin s JOIN signin_body b ON b.rid = s.rid
                 WHERE s.request_key = ?1",
                params![request_key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match found {
            Some((rid, dict, body)) => {
                let (event, raw) = self.unpacker.unpack(self.conn, dict, &body)?;
                let mut event = event_from(event, &raw)?;
                if event.add_authentication_step(step) {
                    let text = serde_json::to_string(&event)?;
                    let body = self.packer.pack(Some(&text), &raw)?;
                    self.conn.execute(
                        "UPDATE signin_body SET dict = ?1, body = ?2 WHERE rid = ?3",
                        params![self.packer.dict, body, rid],
                    )?;
                }
            }
            None => {
                self.conn.execute(
                    "INSERT INTO pending_step (request_key, step) VALUES (?1, ?2)",
                    params![request_key, serde_json::to_string(&step)?],
                )?;
                self.has_pending = true;
            }
        }
        Ok(())
    }

    /// Builds the indexes dropped while adding (`defer_indexes_after`), one at a time; `false` when `cancel` was set
    /// before the last of them (the caller rolls the file back).
    fn build_indexes(&mut self, cancel: &AtomicBool) -> Result<bool, StoreError> {
        if !self.indexes_deferred {
            return Ok(true);
        }
        // Sorting in small runs that fit the processor's cache, merged by a helper thread,
        // builds them in about 60 % of the time a sort in the whole page cache takes.
        let helpers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) - 1;
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = -{}; PRAGMA threads = {helpers};",
            schema::SORT_CACHE_KIB
        ))?;
        let built = self.build_each_index(cancel);
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = -{}; PRAGMA threads = 0;",
            schema::CACHE_KIB
        ))?;
        built
    }

    fn build_each_index(&mut self, cancel: &AtomicBool) -> Result<bool, StoreError> {
        for create in schema::secondary_indexes() {
            if cancel.load(Ordering::Relaxed) {
                return Ok(false);
            }
            self.conn.execute_batch(create)?;
        }
        self.indexes_deferred = false;
        Ok(true)
    }

    fn finish(mut self, summary: &ReadSummary) -> Result<SourceRecord, StoreError> {
        self.learn()?;
        self.build_indexes(&AtomicBool::new(false))?;
        self.conn.execute(
            "UPDATE source SET format = ?1, added = ?2, duplicates = ?3, auth_steps = ?4, warnings = ?5, next_link = ?6 WHERE id = ?7",
            params![
                summary.format.id(),
                self.added as i64,
                self.duplicates as i64,
                self.auth_steps as i64,
                serde_json::to_string(&summary.warnings)?,
                summary.next_link,
                self.source_id
            ],
        )?;
        Ok(self.conn.query_row(
            "SELECT id, name, format, imported_at, added, duplicates, auth_steps, warnings, next_link FROM source WHERE id = ?1",
            params![self.source_id],
            source_row,
        )?)
    }
}

#[cfg(test)]
mod tests;
