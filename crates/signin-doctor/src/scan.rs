//! Searching export files directly, for `search` and `stats` without `--workspace`: each file
//! is read once and only the sign-ins that meet the criteria are kept, so no workspace is built
//! and memory stays small whatever the file's size.
//!
//! Records whose text lacks a word searched for (a user, app or ID) are passed over unread.
//! It answers exactly as the workspace would: the first record of a request ID wins (later
//! ones are repeats, as the workspace's de-duplication treats them), a file that fails part-way
//! contributes nothing (the workspace rolls it back), and results are ordered newest first.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use anyhow::Context as _;
use signin_core::import::ImportedRecord;
use signin_core::{Criteria, ImportError, ImportSink, Item, ReadSummary};
use signin_store::{Found, StoredSignIn};

/// A file (or archive member) whose records could not all be read.
#[derive(Debug)]
pub struct Problems {
    pub name: String,
    pub warnings: usize,
}

/// The sign-ins of `files` that meet `criteria`: every match counted, the newest `limit` kept
/// (all when 0).
pub fn find_in_files(
    files: &[PathBuf],
    criteria: &Criteria,
    limit: usize,
) -> anyhow::Result<(Found, Vec<Problems>)> {
    let mut sink = Matches {
        criteria,
        seen: HashSet::new(),
        file_seen: HashSet::new(),
        file_matches: Vec::new(),
        matches: Vec::new(),
        outcomes: Vec::new(),
    };
    let mut problems = Vec::new();
    let prefilter = criteria.prefilter();
    for path in files {
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
        sink.outcomes.clear();
        signin_core::read_source_where(
            BufReader::with_capacity(1 << 16, file),
            &name,
            &prefilter,
            &mut sink,
        );
        let any_ok = sink.outcomes.iter().any(|(_, o)| o.is_ok());
        for (member, outcome) in sink.outcomes.drain(..) {
            match outcome {
                Ok(warnings) if warnings > 0 => problems.push(Problems {
                    name: member,
                    warnings,
                }),
                Ok(_) => {}
                Err(e) if any_ok && member != name => {
                    eprintln!("signin-doctor: note: {member}: skipped: {e}");
                }
                Err(e) => return Err(anyhow::Error::new(e).context(member)),
            }
        }
    }
    let mut events = std::mem::take(&mut sink.matches);
    events.sort_by(|a, b| signin_core::search::newest_first_order(&a.event, &b.event));
    let total = events.len() as u64;
    if limit > 0 {
        events.truncate(limit);
    }
    Ok((Found { total, events }, problems))
}

struct Matches<'a> {
    criteria: &'a Criteria,
    /// Request IDs of the files read completely so far.
    seen: HashSet<String>,
    /// Request IDs and matches of the file being read, kept only if it reads to the end.
    file_seen: HashSet<String>,
    file_matches: Vec<StoredSignIn>,
    matches: Vec<StoredSignIn>,
    /// Each file of the source: its warnings, or why it could not be read.
    outcomes: Vec<(String, Result<usize, ImportError>)>,
}

impl ImportSink for Matches<'_> {
    fn begin(&mut self, _: &str) {
        self.file_seen.clear();
        self.file_matches.clear();
    }

    fn item(&mut self, item: Item) {
        // Authentication steps do not change what a search or count selects.
        let Item::SignIn(record) = item else { return };
        let ImportedRecord {
            event,
            raw,
            position,
        } = *record;
        // The workspace's key for a request ID.
        let key = event.id.trim().to_lowercase();
        if self.seen.contains(&key) || !self.file_seen.insert(key) {
            return;
        }
        if self.criteria.matches(&event) {
            self.file_matches.push(StoredSignIn {
                event,
                raw: raw.into(),
                source: String::new(),
                position,
            });
        }
    }

    fn end(&mut self, name: &str, outcome: Result<ReadSummary, ImportError>) {
        let outcome = outcome.map(|summary| {
            self.seen.extend(self.file_seen.drain());
            for mut stored in self.file_matches.drain(..) {
                stored.source = name.to_owned();
                self.matches.push(stored);
            }
            summary.warnings.len()
        });
        self.outcomes.push((name.to_owned(), outcome));
    }
}
