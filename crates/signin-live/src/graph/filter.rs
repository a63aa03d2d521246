//! The search wizard's criteria as Graph's `$filter` for `/auditLogs/signIns`.
//!
//! The filter only narrows what Graph sends; every event fetched is checked again locally with
//! the same [`Criteria`] when searched, so where Graph cannot say exactly what the wizard means
//! (a user given by display name or UPN prefix, "interrupted" versus "failure") the filter is
//! deliberately a little wider, never narrower.

use chrono::{DateTime, SecondsFormat, Utc};
use signin_core::{Criteria, Outcome};

/// The four kinds of sign-in Graph's beta endpoint lists.
pub const EVENT_TYPES: [&str; 4] = [
    "interactiveUser",
    "nonInteractiveUser",
    "servicePrincipal",
    "managedIdentity",
];

/// An OData string literal: in quotes, with quotes doubled (`o'brien` → `'o''brien'`).
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Whether `text` looks like an object ID or request ID (a GUID).
fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(len, p)| p.len() == *len)
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn term(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The `$filter` for `criteria` in the window `from..=to`, over the given event types.
pub fn build(
    criteria: &Criteria,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    event_types: &[&str],
) -> String {
    let mut clauses = vec![
        format!("createdDateTime ge {}", time(from)),
        format!("createdDateTime le {}", time(to)),
    ];
    if let Some(user) = term(&criteria.user) {
        clauses.push(if is_guid(user) {
            format!("userId eq {}", quote(user))
        } else {
            let q = quote(user);
            format!("(startswith(userPrincipalName,{q}) or startswith(userDisplayName,{q}))")
        });
    }
    if let Some(app) = term(&criteria.app) {
        clauses.push(if is_guid(app) {
            format!("appId eq {}", quote(app))
        } else {
            format!("startswith(appDisplayName,{})", quote(app))
        });
    }
    if let Some(id) = term(&criteria.request_id) {
        clauses.push(format!("id eq {}", quote(id)));
    }
    if let Some(id) = term(&criteria.correlation_id) {
        clauses.push(format!("correlationId eq {}", quote(id)));
    }
    if let Some(id) = term(&criteria.any_id) {
        let q = quote(id);
        clauses.push(format!("(id eq {q} or correlationId eq {q})"));
    }
    match criteria.outcome {
        Some(Outcome::Success) => clauses.push("status/errorCode eq 0".into()),
        // Graph has no notion of an interruption: both are "not zero", told apart locally.
        Some(Outcome::Failure | Outcome::Interrupted) => {
            clauses.push("status/errorCode ne 0".into())
        }
        None => {}
    }
    if !event_types.is_empty() {
        let any = event_types
            .iter()
            .map(|t| format!("t eq {}", quote(t)))
            .collect::<Vec<_>>()
            .join(" or ");
        clauses.push(format!("signInEventTypes/any(t: {any})"));
    }
    clauses.join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn window() -> (DateTime<Utc>, DateTime<Utc>) {
        (
            Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap(),
        )
    }

    #[test]
    fn quotes_are_doubled_so_an_apostrophe_cannot_end_the_literal() {
        assert_eq!(quote("o'brien@contoso.com"), "'o''brien@contoso.com'");
        assert_eq!(quote("x' or 1 eq 1 or 'a"), "'x'' or 1 eq 1 or ''a'");
        let (from, to) = window();
        let criteria = Criteria {
            user: Some("o'brien@contoso.com".into()),
            ..Criteria::default()
        };
        let filter = build(&criteria, from, to, &[]);
        assert!(
            filter.contains("startswith(userPrincipalName,'o''brien@contoso.com')"),
            "{filter}"
        );
    }

    #[test]
    fn every_criterion_becomes_a_clause() {
        let (from, to) = window();
        let criteria = Criteria {
            user: Some("8c6e2d5b-6f5a-4c1e-9a43-0c3f7f6f1a22".into()),
            app: Some("Microsoft Teams".into()),
            request_id: Some("r-1".into()),
            correlation_id: Some("c-1".into()),
            outcome: Some(Outcome::Failure),
            ..Criteria::default()
        };
        assert_eq!(
            build(&criteria, from, to, &EVENT_TYPES),
            "createdDateTime ge 2026-11-20T08:00:00Z and createdDateTime le 2026-11-21T08:00:00Z \
and userId eq '8c6e2d5b-6f5a-4c1e-9a43-0c3f7f6f1a22' and startswith(appDisplayName,'Microsoft Teams') \
and id eq 'r-1' and correlationId eq 'c-1' and status/errorCode ne 0 \
and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser' or t eq 'servicePrincipal' or t eq 'managedIdentity')"
        );
    }

    #[test]
    fn the_single_id_box_looks_at_request_and_correlation_ids() {
        let (from, to) = window();
        let criteria = Criteria {
            any_id: Some(" 5d1b0c9e-1111-4000-8000-000000000001 ".into()),
            ..Criteria::default()
        };
        assert!(build(&criteria, from, to, &[]).ends_with(
            "(id eq '5d1b0c9e-1111-4000-8000-000000000001' or correlationId eq '5d1b0c9e-1111-4000-8000-000000000001')"
        ));
    }
}
