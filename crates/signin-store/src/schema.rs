//! The workspace's tables, and how search criteria become SQL.
//!
//! Version 4. A change to the tables, or to what a stored body may hold, gets a new
//! `user_version` and a migration step in [`prepare`]; a workspace from a newer app is refused
//! rather than misread.

use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Connection, params};
use signin_core::{Criteria, Outcome, SignInEvent};

use crate::packed::Packer;
use crate::{StoreError, key};

pub(crate) const VERSION: i64 = 4;

/// The page cache of a workspace's connection, in KiB.
pub(crate) const CACHE_KIB: i64 = 64 * 1024;
/// The page cache while an import builds its indexes, in KiB: SQLite sorts index entries in
/// runs of about this size, and runs that fit the processor's cache sort much faster.
pub(crate) const SORT_CACHE_KIB: i64 = 4 * 1024;

/// The columns of the `signin` table: what searches, counts and the results table read. The
/// texts are in `signin_body`, so these rows stay small and quick to reach.
const SIGNIN_COLUMNS: &str = "(
    rid                  INTEGER PRIMARY KEY,
    request_id           TEXT NOT NULL,
    request_key          TEXT NOT NULL UNIQUE,
    created_at           INTEGER NOT NULL,  -- nanoseconds since 1970, UTC
    upn_key              TEXT,
    name_key             TEXT,
    user_id_key          TEXT,
    app_name_key         TEXT,
    app_id_key           TEXT,
    correlation_key      TEXT,
    original_request_key TEXT,
    outcome              INTEGER NOT NULL,  -- 0 success, 1 interrupted, 2 failure
    error_code           INTEGER NOT NULL,
    event_type           TEXT,
    source_id            INTEGER NOT NULL REFERENCES source(id),
    record               INTEGER NOT NULL,
    line                 INTEGER NOT NULL,
    offset               INTEGER NOT NULL
)";

/// A sign-in's two texts, packed (packed.rs); `rid` is the sign-in's.
const BODY_TABLE: &str = "CREATE TABLE signin_body (
    rid  INTEGER PRIMARY KEY,
    dict INTEGER NOT NULL,  -- the dictionary of `body`, 0 for none
    body BLOB NOT NULL      -- the canonical record and the raw one
);";

/// The compression dictionaries of `signin_body`, learnt from the workspace's own sign-ins.
const DICTIONARY_TABLE: &str = "CREATE TABLE dictionary (
    id    INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
);";

/// The indexes a user or an application is found by. Each ends with the time, so the newest
/// matches are picked from the index alone (see `Pager`); the error code beside an
/// application's keys lets a condition on the application and the code be checked there too.
const KEY_INDEXES: &str = "
CREATE INDEX signin_upn ON signin (upn_key, created_at);
CREATE INDEX signin_name ON signin (name_key, created_at);
CREATE INDEX signin_user_id ON signin (user_id_key, created_at);
CREATE INDEX signin_app_name ON signin (app_name_key, error_code, created_at);
CREATE INDEX signin_app_id ON signin (app_id_key, error_code, created_at);
";

/// The other indexes of `signin`.
const OTHER_INDEXES: &str = "
CREATE INDEX signin_time ON signin (created_at);
CREATE INDEX signin_correlation ON signin (correlation_key);
CREATE INDEX signin_original ON signin (original_request_key);
CREATE INDEX signin_outcome ON signin (outcome, created_at);
";

/// The failures' error codes, for counting them (the successes, most rows, are left out).
const CODE_INDEX: &str =
    "CREATE INDEX signin_code ON signin (error_code, created_at) WHERE error_code != 0;";

/// The Conditional Access policies that failed each sign-in: what the counts by policy read.
/// Everything else a sign-in says about policies stays in its record.
const CA_FAILURE_TABLE: &str = "CREATE TABLE ca_failure (
    rid  INTEGER NOT NULL REFERENCES signin(rid),
    pidx INTEGER NOT NULL REFERENCES ca_policy(pidx),
    PRIMARY KEY (rid, pidx)
) WITHOUT ROWID;";

fn schema() -> String {
    format!(
        "
CREATE TABLE source (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    format      TEXT,
    imported_at TEXT NOT NULL,
    added       INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    auth_steps  INTEGER NOT NULL DEFAULT 0,
    warnings    TEXT NOT NULL,
    next_link   TEXT
);
-- One row per sign-in. The *_key columns are trimmed, lower-case copies for searching.
CREATE TABLE signin {SIGNIN_COLUMNS};
{KEY_INDEXES}
{OTHER_INDEXES}
{CODE_INDEX}
{BODY_TABLE}
{DICTIONARY_TABLE}
-- Conditional Access: each policy that failed a sign-in, once.
CREATE TABLE ca_policy (
    pidx      INTEGER PRIMARY KEY,
    policy_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (policy_id, name)
);
{CA_FAILURE_TABLE}
-- Authentication steps whose sign-in has not been imported yet.
CREATE TABLE pending_step (
    request_key TEXT NOT NULL,
    step        TEXT NOT NULL
);
CREATE INDEX pending_step_request ON pending_step (request_key);
"
    )
}

/// The secondary indexes of `signin`: every index but the request ID's.
pub(crate) fn secondary_indexes() -> impl Iterator<Item = &'static str> {
    index_statements(&[KEY_INDEXES, OTHER_INDEXES, CODE_INDEX])
}

/// The `CREATE INDEX` statements of `ddl`, one each.
fn index_statements(ddl: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    ddl.iter()
        .flat_map(|d| d.lines())
        .filter(|line| line.starts_with("CREATE INDEX"))
}

/// Drops the secondary indexes, for a large import into a workspace smaller than it: building
/// them once at its end, sorted, is several times quicker than growing them row by row. Only
/// inside the import's transaction; the import builds them again from [`secondary_indexes`].
pub(crate) fn drop_secondary_indexes(conn: &Connection) -> Result<(), StoreError> {
    drop_indexes(conn, secondary_indexes())
}

/// Drops the indexes `creates` (`CREATE INDEX` statements) make.
fn drop_indexes<'a>(
    conn: &Connection,
    creates: impl Iterator<Item = &'a str>,
) -> Result<(), StoreError> {
    for create in creates {
        let name = create.split_whitespace().nth(2).unwrap_or_default();
        conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    Ok(())
}

/// Sets the connection up and brings the tables to the current version.
pub(crate) fn prepare(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{CACHE_KIB};"
    ))?;
    if path != Path::new(":memory:") {
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    match version {
        0 => {
            conn.execute_batch(&format!(
                "BEGIN; {} PRAGMA user_version = {VERSION}; COMMIT;",
                schema()
            ))?;
            Ok(())
        }
        // Packing shrinks the file to about a fifth: worth giving the space back at once.
        1 => migrate(conn, Shrink::Yes, |conn| {
            pack_bodies(conn)?;
            keep_failures(conn)
        }),
        // This frees about a tenth, which later imports reuse; rewriting a large workspace to
        // give it back would keep the window from opening for a good while longer.
        2 => migrate(conn, Shrink::No, |conn| {
            rebuild_key_indexes(conn)?;
            keep_failures(conn)
        }),
        // Version 4 stores a JSON record's raw text alone (see `packed`); version 3 bodies,
        // which hold both texts, read as they are.
        3 => migrate(conn, Shrink::No, |_| Ok(())),
        VERSION => Ok(()),
        _ => Err(StoreError::TooNew(path.to_owned())),
    }
}

/// Whether a migration gives the space it freed back to the disk (VACUUM).
#[derive(PartialEq)]
enum Shrink {
    Yes,
    No,
}

/// Brings an older workspace to the current version in one transaction, then, if asked, gives
/// the space it freed back. A failed step leaves the workspace as it was.
fn migrate(
    conn: &Connection,
    shrink: Shrink,
    steps: impl FnOnce(&Connection) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    // Old tables are dropped while others still name them.
    conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN;")?;
    let migrated = steps(conn)
        .and_then(|()| Ok(conn.execute_batch(&format!("PRAGMA user_version = {VERSION};"))?));
    match migrated {
        Ok(()) => {
            conn.execute_batch("COMMIT; PRAGMA foreign_keys = ON;")?;
            // Giving the space back needs about the workspace's size free on the disk; the
            // migration stands without it, and the space is reused by later imports.
            if shrink == Shrink::Yes {
                let _ = conn.execute_batch("VACUUM");
            }
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK; PRAGMA foreign_keys = ON;");
            Err(e)
        }
    }
}

/// From version 1, which kept both texts of a sign-in as plain text (`event`, `raw`), several
/// times the export's size: the rows are packed into a new table, keeping their `rid`
/// (Conditional Access rows refer to it).
fn pack_bodies(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(&format!(
        "{DICTIONARY_TABLE}
         CREATE TABLE signin_packed {SIGNIN_COLUMNS};
         {BODY_TABLE}"
    ))?;
    let mut packer = Packer::current(conn)?;
    let samples: Vec<Vec<u8>> = conn
        .prepare(&format!(
            "SELECT event, raw FROM signin ORDER BY rid LIMIT {}",
            crate::packed::TRAIN_AFTER
        ))?
        .query_map([], |r| {
            Ok(crate::packed::sample(
                Some(&r.get::<_, String>(0)?),
                &r.get::<_, String>(1)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    packer.train(conn, &samples)?;
    let mut read = conn.prepare(
        "SELECT rid, request_id, request_key, created_at, upn_key, name_key, user_id_key,
                app_name_key, app_id_key, correlation_key, original_request_key, outcome,
                error_code, event_type, source_id, record, line, offset, event, raw
         FROM signin ORDER BY rid",
    )?;
    let mut write = conn.prepare(
        "INSERT INTO signin_packed VALUES
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    let mut write_body = conn.prepare(INSERT_BODY)?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let values: Vec<Value> = (0..18)
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<_, _>>()?;
        let rid: i64 = row.get(0)?;
        let event: String = row.get(18)?;
        let raw: String = row.get(19)?;
        write.execute(rusqlite::params_from_iter(values))?;
        let body = packer.pack(Some(&event), &raw)?;
        write_body.execute(params![rid, packer.dict, body])?;
    }
    conn.execute_batch(&format!(
        "DROP TABLE signin;
         ALTER TABLE signin_packed RENAME TO signin;
         {KEY_INDEXES}
         {OTHER_INDEXES}
         {CODE_INDEX}"
    ))?;
    Ok(())
}

/// From version 2, whose user and application indexes did not end with the time, and whose
/// error code index held every sign-in.
fn rebuild_key_indexes(conn: &Connection) -> Result<(), StoreError> {
    const CHANGED: &[&str] = &[KEY_INDEXES, CODE_INDEX];
    drop_indexes(conn, index_statements(CHANGED))?;
    for create in index_statements(CHANGED) {
        conn.execute_batch(create)?;
    }
    Ok(())
}

/// Versions 1 and 2 kept every policy's result for every sign-in (`signin_ca`); only the
/// failures are read, so only they stay, and the policies they name.
fn keep_failures(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(&format!(
        "{CA_FAILURE_TABLE}
         INSERT INTO ca_failure (rid, pidx) SELECT rid, pidx FROM signin_ca WHERE result = 'failure';
         DROP TABLE signin_ca;
         DELETE FROM ca_policy WHERE pidx NOT IN (SELECT pidx FROM ca_failure);"
    ))?;
    Ok(())
}

pub(crate) const INSERT_SIGN_IN: &str = "INSERT OR IGNORE INTO signin (
    request_id, request_key, created_at, upn_key, name_key, user_id_key, app_name_key, app_id_key,
    correlation_key, original_request_key, outcome, error_code, event_type, source_id, record, line,
    offset
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

pub(crate) const INSERT_BODY: &str =
    "INSERT INTO signin_body (rid, dict, body) VALUES (?1, ?2, ?3)";

/// The searchable columns of a sign-in.
pub(crate) struct Keys {
    pub created_at: i64,
    pub upn: Option<String>,
    pub name: Option<String>,
    pub user_id: Option<String>,
    pub app_name: Option<String>,
    pub app_id: Option<String>,
    pub correlation: Option<String>,
    pub original_request: Option<String>,
    pub outcome: i64,
    pub event_type: Option<String>,
}

impl Keys {
    pub(crate) fn of(event: &SignInEvent) -> Keys {
        let k = |v: &Option<String>| v.as_deref().map(key).filter(|k| !k.is_empty());
        Keys {
            created_at: nanos(event.created_date_time),
            upn: k(&event.user_principal_name),
            name: k(&event.user_display_name),
            user_id: k(&event.user_id),
            app_name: k(&event.app_display_name),
            app_id: k(&event.app_id),
            correlation: k(&event.correlation_id),
            original_request: k(&event.original_request_id),
            outcome: outcome_number(event.outcome()),
            event_type: event.event_type().map(|t| t.as_str().to_owned()),
        }
    }
}

pub(crate) fn nanos(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_nanos_opt()
        .unwrap_or_else(|| t.timestamp_millis().saturating_mul(1_000_000))
}

fn outcome_number(outcome: Outcome) -> i64 {
    match outcome {
        Outcome::Success => 0,
        Outcome::Interrupted => 1,
        Outcome::Failure => 2,
    }
}

/// How a condition on the time is written for `criteria`. With a user, an application or an ID
/// to look for, its index finds the rows and the time only filters them: `+created_at` keeps
/// SQLite from walking a month of the time index instead (it cannot tell a month of a million
/// sign-ins from a minute).
pub(crate) fn time_column(criteria: &Criteria) -> &'static str {
    let selective = [
        &criteria.user,
        &criteria.app,
        &criteria.request_id,
        &criteria.correlation_id,
        &criteria.any_id,
    ]
    .iter()
    .any(|c| c.as_deref().is_some_and(|t| !t.trim().is_empty()));
    if selective {
        "+created_at"
    } else {
        "created_at"
    }
}

/// One way a user or an application may match: a key column that begins with the text, or
/// one equal to it.
enum Way {
    Prefix(&'static str),
    Equal(&'static str),
}

impl Way {
    /// Its condition, with `{a}` and `{b}` where its values go, and the values.
    fn sql(&self, q: &str) -> (String, Vec<Value>) {
        match self {
            Way::Prefix(column) => (
                format!("({column} >= {{a}} AND {column} < {{b}})"),
                vec![
                    Value::Text(q.to_owned()),
                    Value::Text(format!("{q}\u{10FFFF}")),
                ],
            ),
            Way::Equal(column) => (format!("{column} = {{a}}"), vec![Value::Text(q.to_owned())]),
        }
    }
}

/// The SQL condition for `criteria` and its parameters. Names match exactly or by prefix,
/// ignoring case, as `Criteria::matches` does; the prefix is a range so indexes serve it.
///
/// A way of matching a user or an application that no sign-in of the workspace on `conn` meets
/// is left out (asked of its index, a moment's work), which gives the same rows.
pub(crate) fn where_clause_in(conn: &Connection, criteria: &Criteria) -> (String, Vec<Value>) {
    // Whether some stored sign-in meets a condition (asked of its index).
    let met = |sql: &str, args: &[Value]| {
        conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM signin WHERE {sql})"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get::<_, bool>(0),
        )
        .unwrap_or(true)
    };
    let mut parts = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    let param = |v: Value, values: &mut Vec<Value>| {
        values.push(v);
        format!("?{}", values.len())
    };
    let term = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(key)
    };
    let time = time_column(criteria);
    if let Some(from) = criteria.from {
        parts.push(format!(
            "{time} >= {}",
            param(Value::Integer(nanos(from)), &mut values)
        ));
    }
    if let Some(to) = criteria.to {
        parts.push(format!(
            "{time} <= {}",
            param(Value::Integer(nanos(to)), &mut values)
        ));
    }
    if let Some(outcome) = criteria.outcome {
        parts.push(format!(
            "outcome = {}",
            param(Value::Integer(outcome_number(outcome)), &mut values)
        ));
    }
    if let Some(id) = term(&criteria.request_id) {
        parts.push(format!(
            "request_key = {}",
            param(Value::Text(id), &mut values)
        ));
    }
    if let Some(id) = term(&criteria.correlation_id) {
        parts.push(format!(
            "correlation_key = {}",
            param(Value::Text(id), &mut values)
        ));
    }
    if let Some(id) = term(&criteria.any_id) {
        let p = param(Value::Text(id), &mut values);
        parts.push(format!(
            "(request_key = {p} OR correlation_key = {p} OR original_request_key = {p})"
        ));
    }
    // A user or an application is a name beginning with the text, or an ID equal to it: one
    // index per way. A way no stored sign-in meets is left out, so the other is
    // answered from its index alone: a multi-index OR would read every matching row.
    for (term, ways) in [
        (
            term(&criteria.user),
            &[
                Way::Prefix("upn_key"),
                Way::Prefix("name_key"),
                Way::Equal("user_id_key"),
            ][..],
        ),
        (
            term(&criteria.app),
            &[Way::Prefix("app_name_key"), Way::Equal("app_id_key")][..],
        ),
    ] {
        let Some(q) = term else { continue };
        let kept: Vec<String> = ways
            .iter()
            .map(|way| way.sql(&q))
            .filter(|(sql, args)| met(&sql.replace("{a}", "?1").replace("{b}", "?2"), args))
            .map(|(sql, args)| {
                let mut sql = sql;
                for (marker, arg) in ["{a}", "{b}"].into_iter().zip(args) {
                    sql = sql.replace(marker, &param(arg, &mut values));
                }
                sql
            })
            .collect();
        parts.push(if kept.is_empty() {
            "0 = 1".to_owned()
        } else {
            format!("({})", kept.join(" OR "))
        });
    }
    (parts.join(" AND "), values)
}
