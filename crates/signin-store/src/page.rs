//! Search results a page at a time, for a table that scrolls through every match (a million
//! sign-ins) without ever holding them all.
//!
//! A [`Pager`] is one search: its criteria and its total, counted once. [`Pager::page`] gives
//! the rows `offset..offset + limit` in exactly the order of [`Workspace::search`] (newest
//! first, then by request ID) as [`EventSummary`]s, never the stored records.
//!
//! Positions are found by keys, not by `OFFSET` over whole rows: the timestamp at a position
//! comes from the time index alone (`created_at` is in every index that serves a search), the
//! rows before it are counted on that index, and the page is read from that key onwards with
//! only the few rows sharing the timestamp skipped. A position in the second half is sought
//! from the oldest end, so the end of a million rows is as quick as the start. Pages right
//! after a page already read continue from its last key (`created_at`, request ID).
//!
//! [`SearchGate`] numbers the searches: starting a new one makes every older one stale, stops
//! its running query, and its results are dropped rather than shown.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use signin_core::{Criteria, EventSummary};

use crate::{StoreError, Workspace, schema};

/// The sort key of a row: its time (nanoseconds) and request ID.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    created_at: i64,
    request_id: String,
}

/// At most this many row keys are remembered for continuing where a page ended.
const ANCHORS: usize = 4096;

/// One search, read a page at a time.
#[derive(Debug, Clone)]
pub struct Pager {
    criteria: Criteria,
    /// The criteria as SQL, built once (building it asks the workspace which ways of matching
    /// it has). Like the total, it stands for the workspace as it was when the search began:
    /// sign-ins stored later by a new way of matching (a user's first, say) are not paged in.
    clause: String,
    values: Vec<Value>,
    /// How the time is named in conditions added to `clause` (see `schema::time_column`).
    time: &'static str,
    total: u64,
    /// Keys of rows already read, by position: a page that starts right after one continues
    /// from it.
    anchors: BTreeMap<u64, Key>,
}

/// Rows of a search, from `offset` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub offset: u64,
    pub rows: Vec<EventSummary>,
}

impl Pager {
    /// Starts a search: counts its matches once.
    pub fn new(ws: &Workspace, criteria: Criteria) -> Result<Pager, StoreError> {
        let (clause, values) = schema::where_clause_in(&ws.conn, &criteria);
        let total: i64 = ws.conn.query_row(
            &count_sql(&clause),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        Ok(Pager {
            time: schema::time_column(&criteria),
            criteria,
            clause,
            values,
            total: total as u64,
            anchors: BTreeMap::new(),
        })
    }

    /// Every match.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn criteria(&self) -> &Criteria {
        &self.criteria
    }

    /// The rows at positions `offset..offset + limit` (fewer at the end), newest first.
    pub fn page(&mut self, ws: &Workspace, offset: u64, limit: u64) -> Result<Page, StoreError> {
        let end = offset.saturating_add(limit).min(self.total);
        if offset >= end {
            return Ok(Page {
                offset,
                rows: Vec::new(),
            });
        }
        let count = end - offset;
        let (clause, values, time) = (&self.clause, &self.values, self.time);
        let keys = if let Some(key) = offset
            .checked_sub(1)
            .and_then(|before| self.anchors.get(&before))
        {
            // Right after a page already read: continue from its last row.
            let mut values = values.clone();
            let t = push(&mut values, Value::Integer(key.created_at));
            let r = push(&mut values, Value::Text(key.request_id.clone()));
            rows_from(
                ws,
                &format!("{clause} AND {time} <= {t} AND ({time} < {t} OR request_id > {r})"),
                &values,
                time,
                Direction::Newest,
                count,
                0,
            )?
        } else if offset <= self.total - end {
            seek(ws, clause, values, time, Direction::Newest, offset, count)?
        } else {
            // Nearer the oldest end: the same from there, reversed.
            let mut keys = seek(
                ws,
                clause,
                values,
                time,
                Direction::Oldest,
                self.total - end,
                count,
            )?;
            keys.reverse();
            keys
        };
        if self.anchors.len() >= ANCHORS {
            self.anchors.clear();
        }
        if let Some((_, key)) = keys.last() {
            self.anchors
                .insert(offset + keys.len() as u64 - 1, key.clone());
        }
        Ok(Page {
            offset,
            rows: summaries(ws, &keys)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Newest first, then by request ID: the order of the results.
    Newest,
    /// The exact reverse.
    Oldest,
}

impl Direction {
    fn order(self) -> &'static str {
        match self {
            Direction::Newest => "created_at DESC, request_id ASC",
            Direction::Oldest => "created_at ASC, request_id DESC",
        }
    }
}

fn push(values: &mut Vec<Value>, value: Value) -> String {
    values.push(value);
    format!("?{}", values.len())
}

/// The keys of `count` rows from position `position` in `direction`: the timestamp there is
/// read from an index alone, the rows on the far side of it are counted on that index, and
/// only rows sharing the timestamp are skipped one by one.
fn seek(
    ws: &Workspace,
    clause: &str,
    values: &[Value],
    time: &str,
    direction: Direction,
    position: u64,
    count: u64,
) -> Result<Vec<(i64, Key)>, StoreError> {
    let (beyond, within) = match direction {
        Direction::Newest => (">", "<="),
        Direction::Oldest => ("<", ">="),
    };
    let Some(at) = time_at(ws, clause, values, direction, position)? else {
        return Ok(Vec::new());
    };
    let mut values = values.to_vec();
    let t = push(&mut values, Value::Integer(at));
    let before: i64 = ws.conn.query_row(
        &count_sql(&format!("{clause} AND {time} {beyond} {t}")),
        rusqlite::params_from_iter(values.iter()),
        |r| r.get(0),
    )?;
    rows_from(
        ws,
        &format!("{clause} AND {time} {within} {t}"),
        &values,
        time,
        direction,
        count,
        position - before as u64,
    )
}

/// The keys (and row ids) of the `count` rows meeting `clause` after the first `skip`, in
/// `direction`. The time of the last of them is found on an index first, so only the rows up
/// to it are read and sorted, not every match (a broad search has a hundred thousand).
fn rows_from(
    ws: &Workspace,
    clause: &str,
    values: &[Value],
    time: &str,
    direction: Direction,
    count: u64,
    skip: u64,
) -> Result<Vec<(i64, Key)>, StoreError> {
    let clause = up_to(ws, clause, values, time, direction, skip + count)?;
    let mut statement = ws
        .conn
        .prepare(&rows_sql(&clause, direction, count, skip))?;
    let rows = statement.query_map(rusqlite::params_from_iter(values.iter()), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            Key {
                created_at: r.get(1)?,
                request_id: r.get(2)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// `clause` narrowed to the rows no further in `direction` than the `rows`-th (all rows sharing
/// its time included), whose time is found on an index first: a query for the first `rows`
/// then reads and sorts only those, not every match. `clause` as it is when `rows` is 0 or
/// beyond the last match.
pub(crate) fn up_to(
    ws: &Workspace,
    clause: &str,
    values: &[Value],
    time: &str,
    direction: Direction,
    rows: u64,
) -> Result<String, StoreError> {
    let last = match rows.checked_sub(1) {
        Some(last) => time_at(ws, clause, values, direction, last)?,
        None => None,
    };
    Ok(match (last, direction) {
        (Some(last), Direction::Newest) => format!("{clause} AND {time} >= {last}"),
        (Some(last), Direction::Oldest) => format!("{clause} AND {time} <= {last}"),
        (None, _) => clause.to_owned(),
    })
}

/// The time of the row at `position` among those meeting `clause`, in `direction`; read from
/// an index alone when the search is a broad one (all, a time window, an outcome, a user or an
/// application: their indexes end with `created_at`; a search by ID finds a few rows and reads
/// them). `None` past the end.
fn time_at(
    ws: &Workspace,
    clause: &str,
    values: &[Value],
    direction: Direction,
    position: u64,
) -> Result<Option<i64>, StoreError> {
    let order = match direction {
        Direction::Newest => "DESC",
        Direction::Oldest => "ASC",
    };
    Ok(ws
        .conn
        .query_row(
            &position_sql(clause, order, position),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )
        .optional()?)
}

/// The time at `position` in the order `order` (`DESC`, `ASC`) of time alone.
fn position_sql(clause: &str, order: &str, position: u64) -> String {
    format!(
        "SELECT created_at FROM signin WHERE {clause} ORDER BY created_at {order} LIMIT 1 OFFSET {position}"
    )
}

fn count_sql(clause: &str) -> String {
    format!("SELECT COUNT(*) FROM signin WHERE {clause}")
}

fn rows_sql(clause: &str, direction: Direction, count: u64, skip: u64) -> String {
    format!(
        "SELECT rid, created_at, request_id FROM signin WHERE {clause} ORDER BY {} LIMIT {count} OFFSET {skip}",
        direction.order()
    )
}

/// The summaries of the rows `keys` names, in that order.
fn summaries(ws: &Workspace, keys: &[(i64, Key)]) -> Result<Vec<EventSummary>, StoreError> {
    keys.iter()
        .map(|(rid, _)| Ok(EventSummary::of(&ws.event_of(*rid)?)))
        .collect()
}

/// Which search is the current one. Starting a search ([`SearchGate::begin`]) makes every
/// older one stale: a query of a stale search that is running is interrupted, and whatever a
/// stale search finds is dropped ([`SearchGate::run`] gives `None`).
pub struct SearchGate {
    current: AtomicU64,
    /// The search whose query is running on the workspace's connection, if any.
    running: Mutex<Option<u64>>,
    interrupt: rusqlite::InterruptHandle,
}

impl std::fmt::Debug for SearchGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchGate")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl SearchGate {
    /// A gate for the searches on `ws` (it can stop `ws`'s queries, and no others).
    pub fn new(ws: &Workspace) -> SearchGate {
        SearchGate {
            current: AtomicU64::new(0),
            running: Mutex::new(None),
            interrupt: ws.conn.get_interrupt_handle(),
        }
    }

    /// Starts a new search and returns its number; older searches are stale from now on.
    pub fn begin(&self) -> u64 {
        let search = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        // Only a search's own query is ever interrupted: `running` is set just around it, and
        // it cannot be cleared while this lock is held.
        if running.is_some_and(|r| r < search) {
            self.interrupt.interrupt();
        }
        search
    }

    /// Whether `search` is still the newest.
    pub fn is_current(&self, search: u64) -> bool {
        self.current.load(Ordering::SeqCst) == search
    }

    /// Runs `work` (queries on the workspace, whose lock the caller holds) for `search`.
    /// `None` when the search is stale, before, during (its query is stopped) or after.
    pub fn run<T>(
        &self,
        search: u64,
        work: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            if !self.is_current(search) {
                return Ok(None);
            }
            *running = Some(search);
        }
        let result = work();
        *self.running.lock().unwrap_or_else(|e| e.into_inner()) = None;
        if !self.is_current(search) {
            return Ok(None);
        }
        result.map(Some)
    }
}

#[cfg(test)]
mod tests;
