//! `error-code-insight`: no specific rule knows this code; explain it from the catalogue.

use super::Rule;
use crate::aadsts;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "error-code-insight",
    detects: "Any other code: its meaning and fixes from the AADSTS catalogue, or the failure reason when the catalogue does not know it.",
    signals: "status.errorCode, status.failureReason",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    Some(explain(e))
}

/// Explains an event by its code alone.
pub(crate) fn explain(e: &SignInEvent) -> Finding {
    let code = e.error_code();
    let reason = e.status.failure_reason.clone().unwrap_or_default();
    match u32::try_from(code).ok().and_then(aadsts::lookup) {
        Some(info) => {
            let mut f = Finding::new(
                e,
                format!("AADSTS{code}: {}", first_sentence(&info.meaning)),
                info.meaning.clone(),
            )
            .evidence("status.failureReason", reason);
            for step in &info.user {
                f = f.user(step.clone());
            }
            for step in &info.admin {
                f = f.admin(step.clone());
            }
            for step in &info.developer {
                f = f.developer(step.clone());
            }
            f
        }
        None => Finding::new(
            e,
            format!(
                "AADSTS{code}{}",
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(": {reason}")
                }
            ),
            format!(
                "Sign-in Doctor has no explanation of code {code} yet. Entra's own words: {}",
                if reason.is_empty() {
                    "none were logged"
                } else {
                    &reason
                }
            ),
        )
        .admin("Open Microsoft's page for the code (below) for the current explanation"),
    }
}

fn first_sentence(text: &str) -> &str {
    text.split_once(". ")
        .map_or(text.trim_end_matches('.'), |(first, _)| first)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn codes_without_a_rule_are_explained_from_the_catalogue_or_the_log() {
        let d = check(json!({"status": {"errorCode": 90025}}));
        assert_eq!(d.scenario, "error-code-insight");
        assert!(d.headline.starts_with("AADSTS90025: "));
        assert!(
            d.links
                .iter()
                .any(|l| l.url == "https://login.microsoftonline.com/error?code=90025")
        );
        let d = check(json!({"status": {"errorCode": 1234567, "failureReason": "Something new."}}));
        assert_eq!(d.headline, "AADSTS1234567: Something new.");
    }
}
