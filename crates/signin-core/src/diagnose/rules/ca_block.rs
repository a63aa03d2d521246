//! `ca-block`: a Conditional Access policy blocked the sign-in.

use super::Rule;
use crate::diagnose::facts::{
    blocking_policies, failed_policies, policy_name, policy_names, report_only_failures,
};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "ca-block",
    detects: "A Conditional Access policy with a Block grant stopped the sign-in; the policy is named.",
    signals: "code 53003; a policy with result failure and grant control Block",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let blockers = blocking_policies(e);
    if e.error_code() != 53003 && blockers.is_empty() {
        return None;
    }
    let l = cx.lang();
    let named = if blockers.is_empty() {
        failed_policies(e)
            .map(|p| format!("\"{}\"", policy_name(p, l)))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        policy_names(&blockers, l)
    };
    let (headline, which) = if named.is_empty() {
        (t!(l, "ca-block.headline"), t!(l, "ca-block.which"))
    } else {
        (
            t!(l, "ca-block.headline-named", names = named),
            t!(l, "ca-block.which-named", names = named),
        )
    };
    let conditions: Vec<String> = blockers
        .iter()
        .filter_map(|p| p.conditions_satisfied.clone())
        .filter(|c| !c.is_empty() && c != "none")
        .collect();
    let what = if conditions.is_empty() {
        t!(l, "ca-block.what", which = which)
    } else {
        t!(
            l,
            "ca-block.what-conditions",
            which = which,
            conditions = conditions.join("; ")
        )
    };
    let mut f = Finding::new(e, headline, what)
        .evidence("appliedConditionalAccessPolicies", named)
        .evidence("conditionsSatisfied", conditions.join("; "))
        .evidence("location", e.location_text().unwrap_or_default())
        .evidence(
            "clientAppUsed",
            e.client_app_used.clone().unwrap_or_default(),
        )
        .user(t!(l, "ca-block.user"))
        .admin(t!(l, "ca-block.admin"))
        .admin(t!(l, "ca-block.admin-2"));
    for p in blockers {
        if let Some(id) = p.id.as_deref().filter(|id| !id.is_empty()) {
            f = f.link(
                t!(l, "link.policy", name = policy_name(p, l)),
                format!("https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/PolicyBlade/policyId/{id}"),
            );
        }
    }
    let would = report_only_failures(e);
    if !would.is_empty() {
        f = f.evidence(
            &t!(l, "evidence.report-only"),
            t!(l, "ca-block.report-only", names = policy_names(&would, l)),
        );
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn names_the_blocking_policy_and_its_conditions() {
        let d = check(json!({"status": {"errorCode": 53003},
        "appliedConditionalAccessPolicies": [
            {"id": "0a1b7c3e-4444-4c6d-9e0f-a1b2c3d4e504", "displayName": "Block sign-ins from outside Europe", "result": "failure",
             "enforcedGrantControls": ["Block"], "conditionsSatisfied": "application,users,location"},
            {"displayName": "Report-only: compliant device", "result": "reportOnlyFailure", "enforcedGrantControls": ["CompliantDevice"]}
        ]}));
        assert_eq!(d.scenario, "ca-block");
        assert_eq!(
            d.headline,
            "Blocked by Conditional Access: \"Block sign-ins from outside Europe\""
        );
        assert!(d.what_happened.contains("application,users,location"));
        assert!(d.links.iter().any(|l| {
            l.url
                .ends_with("policyId/0a1b7c3e-4444-4c6d-9e0f-a1b2c3d4e504")
        }));
        assert!(d.evidence.iter().any(|e| e.field == "report-only"));
    }

    #[test]
    fn a_device_requirement_is_not_a_block() {
        let d = check(json!({"status": {"errorCode": 53000},
            "appliedConditionalAccessPolicies": [{"displayName": "Compliant device", "result": "failure", "enforcedGrantControls": ["CompliantDevice"]}]}));
        assert_ne!(d.scenario, "ca-block");
    }
}
