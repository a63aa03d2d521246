//! The sign-ins a person has opened: events from one or more files, de-duplicated by request ID.
//!
//! Portal, Graph and Log Analytics exports overlap, so the same request ID can arrive twice; the
//! first copy wins and the repeat is counted, never shown twice.

use std::collections::HashMap;

use crate::import::{AuthStep, Import, ImportWarning, Position, SourceFormat};
use crate::model::SignInEvent;
use crate::search::{self, Criteria};

/// Adds steps from the portal's authentication-details file to a sign-in.
fn attach(event: &mut crate::SignInEvent, steps: Vec<AuthStep>) {
    for step in steps {
        event.add_authentication_step(step.step);
    }
}

/// One opened file and what became of it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown to people (usually the file name).
    pub name: String,
    pub format: SourceFormat,
    /// Records added to the dataset.
    pub added: u64,
    /// Records skipped because their request ID was already present.
    pub duplicates: u64,
    /// Authentication steps read (from an authentication-details file).
    pub auth_steps: u64,
    pub warnings: Vec<ImportWarning>,
    pub next_link: Option<String>,
}

/// A sign-in with its exact source text and where it came from.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub event: SignInEvent,
    pub raw: Box<str>,
    /// Index into [`Dataset::sources`].
    pub source: usize,
    pub position: Position,
}

/// Sign-ins from every opened file.
#[derive(Debug, Default)]
pub struct Dataset {
    events: Vec<StoredEvent>,
    by_id: HashMap<String, usize>,
    sources: Vec<Source>,
    /// Authentication steps whose sign-in has not been opened yet, by lower-case request ID.
    pending_steps: HashMap<String, Vec<AuthStep>>,
}

impl Dataset {
    /// Adds one imported file and returns what happened to it.
    pub fn add(&mut self, name: impl Into<String>, import: Import) -> &Source {
        let source = self.sources.len();
        let (mut added, mut duplicates) = (0, 0);
        for record in import.records {
            let key = record.event.id.trim().to_ascii_lowercase();
            if self.by_id.contains_key(&key) {
                duplicates += 1;
                continue;
            }
            let mut record = record;
            if let Some(steps) = self.pending_steps.remove(&key) {
                attach(&mut record.event, steps);
            }
            self.by_id.insert(key, self.events.len());
            self.events.push(StoredEvent {
                event: record.event,
                raw: record.raw,
                source,
                position: record.position,
            });
            added += 1;
        }
        let auth_steps = import.auth_steps.len() as u64;
        for step in import.auth_steps {
            let key = step.request_id.trim().to_ascii_lowercase();
            match self.by_id.get(&key) {
                Some(&index) => attach(&mut self.events[index].event, vec![step]),
                None => self.pending_steps.entry(key).or_default().push(step),
            }
        }
        self.sources.push(Source {
            name: name.into(),
            format: import.format,
            added,
            duplicates,
            auth_steps,
            warnings: import.warnings,
            next_link: import.next_link,
        });
        &self.sources[source]
    }

    /// The sign-in with this request ID (case-insensitive).
    pub fn get(&self, request_id: &str) -> Option<&StoredEvent> {
        let index = *self.by_id.get(&request_id.trim().to_ascii_lowercase())?;
        self.events.get(index)
    }

    /// Every sign-in meeting `criteria`, newest first.
    pub fn search(&self, criteria: &Criteria) -> Vec<&StoredEvent> {
        let mut found: Vec<&StoredEvent> = self
            .events
            .iter()
            .filter(|s| criteria.matches(&s.event))
            .collect();
        found.sort_by(|a, b| search::newest_first_order(&a.event, &b.event));
        found
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}
