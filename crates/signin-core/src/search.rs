//! Finding sign-ins the way the Sign-in Diagnostic does: by user, application, time, request ID,
//! correlation ID and status.
//!
//! Text criteria ignore case. A user or application term matches when a name *is* the term or
//! *starts with* it, and also matches an exact object ID or app ID, so `megan`, `Megan Bowen`,
//! `megan.bowen@contoso.com` and Megan's object ID all find Megan. Criteria combine with AND.

use chrono::{DateTime, Duration, Utc};

use crate::model::{Outcome, SignInEvent};

/// How far either side of a single time the Diagnostic looks: ±24 hours, a 48-hour window.
pub const AROUND: Duration = Duration::hours(24);

/// What to look for. Empty criteria match everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Criteria {
    /// UPN, display name (exact or prefix) or user object ID.
    pub user: Option<String>,
    /// Application display name (exact or prefix) or app ID.
    pub app: Option<String>,
    /// Earliest time, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Latest time, inclusive.
    pub to: Option<DateTime<Utc>>,
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    /// The Diagnostic's single ID box: a request ID, correlation ID or original request ID.
    pub any_id: Option<String>,
    pub outcome: Option<Outcome>,
}

impl Criteria {
    /// Sets the time window to `at` ± 24 hours, as the Diagnostic does for one date and time.
    pub fn around(mut self, at: DateTime<Utc>) -> Self {
        self.from = Some(at - AROUND);
        self.to = Some(at + AROUND);
        self
    }

    /// Whether `event` meets every criterion.
    pub fn matches(&self, event: &SignInEvent) -> bool {
        self.matches_fields(event)
    }

    /// Whether a sign-in seen through [`SearchFields`] (a whole event, or the few fields a
    /// quick look at a record's text found) meets every criterion.
    pub fn matches_fields(&self, event: &impl SearchFields) -> bool {
        let t = event.created();
        self.from.is_none_or(|from| t >= from)
            && self.to.is_none_or(|to| t <= to)
            && self
                .outcome
                .is_none_or(|o| Outcome::of_error_code(event.error_code()) == o)
            && term(&self.request_id)
                .is_none_or(|id| id.eq_ignore_ascii_case(event.request_id().trim()))
            && term(&self.correlation_id).is_none_or(|id| equals(event.correlation_id(), id))
            && term(&self.any_id).is_none_or(|id| {
                id.eq_ignore_ascii_case(event.request_id().trim())
                    || equals(event.correlation_id(), id)
                    || equals(event.original_request_id(), id)
            })
            && term(&self.user).is_none_or(|q| {
                named(event.user_principal_name(), q)
                    || named(event.user_display_name(), q)
                    || equals(event.user_id(), q)
            })
            && term(&self.app)
                .is_none_or(|q| named(event.app_display_name(), q) || equals(event.app_id(), q))
    }

    /// The words any matching record's text contains (a user, app or ID searched for), so a
    /// search of a file can pass over records without them unread.
    pub fn prefilter(&self) -> crate::Prefilter {
        crate::Prefilter::new(
            [
                &self.user,
                &self.app,
                &self.request_id,
                &self.correlation_id,
                &self.any_id,
            ]
            .into_iter()
            .filter_map(term),
        )
    }

    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        *self == Criteria::default()
    }
}

/// The order of search results: newest first, then by request ID.
pub fn newest_first_order(a: &SignInEvent, b: &SignInEvent) -> std::cmp::Ordering {
    b.created_date_time
        .cmp(&a.created_date_time)
        .then_with(|| a.id.cmp(&b.id))
}

fn term(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn equals(field: Option<&str>, query: &str) -> bool {
    field.is_some_and(|f| f.trim().eq_ignore_ascii_case(query))
}

/// Exact or prefix match, ignoring case (Unicode-aware, for names like "Émile").
fn named(field: Option<&str>, query: &str) -> bool {
    let Some(field) = field else {
        return false;
    };
    let field = field.trim();
    if field.len() >= query.len() && field.is_char_boundary(query.len()) {
        let head = &field[..query.len()];
        if head.eq_ignore_ascii_case(query) {
            return true;
        }
    }
    // Between two ASCII texts the comparison above was the whole answer.
    if field.is_ascii() && query.is_ascii() {
        return false;
    }
    field.to_lowercase().starts_with(&query.to_lowercase())
}

/// The fields a search looks at, so that a whole [`SignInEvent`] and a quick look at a record's
/// text are searched by the one set of rules.
pub trait SearchFields {
    fn created(&self) -> DateTime<Utc>;
    fn error_code(&self) -> i64;
    fn request_id(&self) -> &str;
    fn correlation_id(&self) -> Option<&str>;
    fn original_request_id(&self) -> Option<&str>;
    fn user_principal_name(&self) -> Option<&str>;
    fn user_display_name(&self) -> Option<&str>;
    fn user_id(&self) -> Option<&str>;
    fn app_display_name(&self) -> Option<&str>;
    fn app_id(&self) -> Option<&str>;
}

impl SearchFields for SignInEvent {
    fn created(&self) -> DateTime<Utc> {
        self.created_date_time
    }
    fn error_code(&self) -> i64 {
        SignInEvent::error_code(self)
    }
    fn request_id(&self) -> &str {
        &self.id
    }
    fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
    fn original_request_id(&self) -> Option<&str> {
        self.original_request_id.as_deref()
    }
    fn user_principal_name(&self) -> Option<&str> {
        self.user_principal_name.as_deref()
    }
    fn user_display_name(&self) -> Option<&str> {
        self.user_display_name.as_deref()
    }
    fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }
    fn app_display_name(&self) -> Option<&str> {
        self.app_display_name.as_deref()
    }
    fn app_id(&self) -> Option<&str> {
        self.app_id.as_deref()
    }
}

#[cfg(test)]
mod tests;
