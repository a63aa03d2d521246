//! `error-code-insight`: no specific rule knows this code; explain it from the catalogue.

use super::Rule;
use crate::aadsts;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::lang::Lang;
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "error-code-insight",
    detects: "Any other code: its meaning and fixes from the AADSTS catalogue, or the failure reason when the catalogue does not know it.",
    signals: "status.errorCode, status.failureReason",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    Some(explain(e, cx.lang()))
}

/// Explains an event by its code alone, in `lang`.
pub(crate) fn explain(e: &SignInEvent, lang: Lang) -> Finding {
    let code = e.error_code();
    let reason = e.status.failure_reason.clone().unwrap_or_default();
    match u32::try_from(code)
        .ok()
        .and_then(|c| aadsts::lookup_in(c, lang))
    {
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
        None => {
            let (headline, words) = if reason.is_empty() {
                (
                    format!("AADSTS{code}"),
                    t!(lang, "error-code-insight.no-reason"),
                )
            } else {
                (format!("AADSTS{code}: {reason}"), reason)
            };
            Finding::new(
                e,
                headline,
                t!(
                    lang,
                    "error-code-insight.what-unknown",
                    code = code,
                    reason = words
                ),
            )
            .admin(t!(lang, "error-code-insight.admin"))
        }
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
