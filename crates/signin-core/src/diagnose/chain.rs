//! Sign-in attempts: the requests that share a correlation ID, in order, with one verdict.
//!
//! One sign-in often leaves several rows: an MFA prompt (interrupted), then the success; a
//! "stay signed in?" prompt, then the success. The attempt is judged as a whole: an interrupt
//! that was followed by a success is harmless.

use serde::Serialize;

use crate::model::{Outcome, SignInEvent};

/// One request of an attempt, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub request_id: String,
    pub created_date_time: String,
    pub error_code: i64,
    pub status: &'static str,
}

/// The requests of one sign-in attempt.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    pub correlation_id: Option<String>,
    /// Oldest first.
    pub events: Vec<&'a SignInEvent>,
}

impl<'a> Attempt<'a> {
    /// The request the attempt is judged by: the last one, unless the attempt ended in success
    /// after an interruption, which is then the one to explain.
    pub fn primary(&self) -> &'a SignInEvent {
        let last = self.events[self.events.len() - 1];
        if last.outcome() == Outcome::Success
            && let Some(interrupt) = self
                .events
                .iter()
                .find(|e| e.outcome() == Outcome::Interrupted)
        {
            return interrupt;
        }
        last
    }

    /// The timeline, oldest first.
    pub fn steps(&self) -> Vec<Step> {
        steps(&self.events)
    }
}

/// The timeline of some requests, oldest first.
pub fn steps(events: &[&SignInEvent]) -> Vec<Step> {
    events
        .iter()
        .map(|e| Step {
            request_id: e.id.clone(),
            created_date_time: e
                .created_date_time
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            error_code: e.error_code(),
            status: e.outcome().as_str(),
        })
        .collect()
}

/// Groups events into attempts by correlation ID (an event without one is an attempt of its
/// own). Newest attempt first, each attempt's events oldest first.
pub fn attempts<'a>(events: &[&'a SignInEvent]) -> Vec<Attempt<'a>> {
    let mut groups: Vec<Attempt<'a>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for event in events {
        let key = event
            .correlation_id
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_lowercase);
        match key.as_ref().and_then(|k| index.get(k)) {
            Some(&i) => groups[i].events.push(event),
            None => {
                if let Some(k) = key {
                    index.insert(k, groups.len());
                }
                groups.push(Attempt {
                    correlation_id: event.correlation_id.clone(),
                    events: vec![event],
                });
            }
        }
    }
    for group in &mut groups {
        group.events.sort_by(|a, b| {
            a.created_date_time
                .cmp(&b.created_date_time)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    groups.sort_by(|a, b| {
        let newest = |g: &Attempt<'_>| g.events.last().map(|e| e.created_date_time);
        newest(b).cmp(&newest(a))
    });
    groups
}

/// Whether a request in `chain` after `event` succeeded.
pub(crate) fn resolved_later(event: &SignInEvent, chain: &[SignInEvent]) -> bool {
    chain.iter().any(|e| {
        e.created_date_time >= event.created_date_time
            && e.id != event.id
            && e.outcome() == Outcome::Success
    })
}
