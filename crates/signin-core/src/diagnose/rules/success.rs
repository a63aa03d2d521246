//! `success`: the sign-in succeeded; nothing to do.

use super::Rule;
use crate::diagnose::facts::{app, policy_names, report_only_failures};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "success",
    detects: "The sign-in succeeded. Report-only policies that would have blocked it are mentioned.",
    signals: "code 0",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    if e.error_code() != 0 {
        return None;
    }
    let l = cx.lang();
    let would = report_only_failures(e);
    let mut f = Finding::new(
        e,
        t!(l, "success.headline"),
        t!(
            l,
            "success.what",
            who = crate::diagnose::facts::who(e, l),
            app = app(e, l)
        ),
    )
    .user(t!(l, "success.user"));
    if !would.is_empty() {
        let names = policy_names(&would, l);
        f = f
            .evidence(
                &t!(l, "evidence.report-only"),
                t!(l, "success.report-only", names = names),
            )
            .admin(t!(l, "success.admin-report-only", names = names));
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
