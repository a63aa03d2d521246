//! `success`: the sign-in succeeded; nothing to do.

use super::Rule;
use crate::diagnose::facts::{app, policy_names, report_only_failures};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "success",
    detects: "The sign-in succeeded. Report-only policies that would have blocked it are mentioned.",
    signals: "code 0",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    if e.error_code() != 0 {
        return None;
    }
    let would = report_only_failures(e);
    let mut f = Finding::new(
        e,
        "The sign-in succeeded",
        format!(
            "Entra signed {} in to {} without a problem.",
            crate::diagnose::facts::who(e),
            app(e)
        ),
    )
    .user("If the app still shows an error, tell IT the exact message");
    if !would.is_empty() {
        f = f
            .evidence("report-only", format!("would have blocked or challenged: {}", policy_names(&would)))
            .admin(format!("Report-only policies {} would have failed this sign-in; check before turning them on", policy_names(&would)));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn success_mentions_report_only_policies() {
        let d = check(
            json!({"appliedConditionalAccessPolicies": [{"displayName": "Compliant device (report-only)", "result": "reportOnlyFailure"}]}),
        );
        assert_eq!((d.scenario, d.verdict.as_str()), ("success", "success"));
        assert!(d.evidence.iter().any(|e| e.field == "report-only"));
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "success"
        );
    }
}
