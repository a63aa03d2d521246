//! `risk-blocked`: an Identity Protection risk policy, or a Conditional Access policy on
//! sign-in or user risk, stopped the sign-in.

use super::Rule;
use crate::diagnose::facts::{blocking_policies, policy_names};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::messages::t;
use crate::model::{RiskLevel, SignInEvent};

pub const RULE: Rule = Rule {
    id: "risk-blocked",
    detects: "A sign-in or user risk policy blocked the sign-in.",
    signals: "codes 530032, 530034, 53004; 53003 with a risk condition or risk level medium/high",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    let risky = matches!(
        e.risk_level_during_sign_in,
        Some(RiskLevel::Medium | RiskLevel::High)
    ) || matches!(
        e.risk_level_aggregated,
        Some(RiskLevel::Medium | RiskLevel::High)
    );
    let blockers = blocking_policies(e);
    let risk_policy = blockers.iter().any(|p| {
        let c = p
            .conditions_satisfied
            .as_deref()
            .unwrap_or("")
            .to_lowercase();
        c.contains("signinrisk") || c.contains("userrisk")
    });
    if !(matches!(code, 530032 | 530034 | 53004) || (code == 53003 && (risk_policy || risky))) {
        return None;
    }
    let l = cx.lang();
    let level = e
        .risk_level_during_sign_in
        .as_ref()
        .map(|r| r.to_string())
        .unwrap_or_default();
    let names = policy_names(&blockers, l);
    let mut f = Finding::new(
        e,
        t!(l, "risk-blocked.headline"),
        t!(
            l,
            "risk-blocked.what",
            level = if level.is_empty() {
                String::new()
            } else {
                t!(l, "risk-blocked.level", level = level)
            },
            policies = if names.is_empty() {
                String::new()
            } else {
                format!(": {names}")
            }
        ),
    )
    .verdict(Verdict::Suspicious)
    .evidence("riskLevelDuringSignIn", level)
    .evidence("riskEventTypes_v2", e.risk_event_types_v2.join(", "))
    .evidence("appliedConditionalAccessPolicies", names)
    .admin(t!(l, "risk-blocked.admin"))
    .admin(t!(l, "risk-blocked.admin-2"))
    .admin(t!(l, "risk-blocked.admin-3"))
    .user(t!(l, "risk-blocked.user"));
    if code == 53004 {
        f = f.admin(t!(l, "risk-blocked.admin-tap"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn a_block_by_a_risk_policy_is_suspicious() {
        let d = check(json!({
            "status": {"errorCode": 53003},
            "riskLevelDuringSignIn": "high",
            "appliedConditionalAccessPolicies": [{"displayName": "Block high-risk sign-ins", "result": "failure",
                "enforcedGrantControls": ["Block"], "conditionsSatisfied": "application,users,signInRisk"}]
        }));
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("risk-blocked", "suspicious")
        );
        assert!(d.what_happened.contains("\"Block high-risk sign-ins\""));
        assert_eq!(
            check(json!({"status": {"errorCode": 530032}})).scenario,
            "risk-blocked"
        );
    }

    #[test]
    fn a_block_without_risk_is_not_this() {
        let d = check(json!({
            "status": {"errorCode": 53003},
            "riskLevelDuringSignIn": "none",
            "appliedConditionalAccessPolicies": [{"displayName": "Block outside Europe", "result": "failure",
                "enforcedGrantControls": ["Block"], "conditionsSatisfied": "application,users,location"}]
        }));
        assert_ne!(d.scenario, "risk-blocked");
    }
}
