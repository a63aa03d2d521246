//! `mfa-required-by-ca`: Conditional Access demanded MFA and the sign-in stopped there.

use super::Rule;
use crate::diagnose::facts::{
    failed_policies, has_grant, is_conditional_access_provider, policy_name, requirement_providers,
};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "mfa-required-by-ca",
    detects: "Conditional Access required MFA (or an authentication strength) and the user had not completed it.",
    signals: "codes 50074, 50076; requirement provider multiConditionalAccess / v1ConditionalAccess / authenticationStrengths, or a failed policy with an Mfa grant",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50074 | 50076) {
        return None;
    }
    let l = cx.lang();
    let mfa_policies: Vec<String> = failed_policies(e)
        .filter(|p| {
            has_grant(p, "mfa")
                || has_grant(p, "requireauthenticationstrength")
                || p.authentication_strength.is_some()
        })
        .map(|p| format!("\"{}\"", policy_name(p, l)))
        .collect();
    let by_ca = requirement_providers(e)
        .iter()
        .any(|p| is_conditional_access_provider(p))
        || !mfa_policies.is_empty();
    if !by_ca {
        return None;
    }
    let names = mfa_policies.join(", ");
    let headline = if names.is_empty() {
        t!(l, "mfa-required-by-ca.headline")
    } else {
        t!(l, "mfa-required-by-ca.headline-named", names = names)
    };
    Some(
        Finding::new(e, headline, t!(l, "mfa-required-by-ca.what"))
            .evidence(
                "authenticationRequirementPolicies",
                t!(l, "provider.conditional-access"),
            )
            .evidence("appliedConditionalAccessPolicies", names)
            .user(t!(l, "mfa-required-by-ca.user"))
            .admin(t!(l, "mfa-required-by-ca.admin"))
            .admin(t!(l, "mfa-required-by-ca.admin-2")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn mfa_from_a_ca_policy() {
        let d = check(json!({"status": {"errorCode": 50074},
            "authenticationRequirementPolicies": [{"requirementProvider": "multiConditionalAccess", "detail": "Conditional Access"}],
            "appliedConditionalAccessPolicies": [{"displayName": "Require MFA for all users", "result": "failure", "enforcedGrantControls": ["Mfa"]}]}));
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("mfa-required-by-ca", "interrupted")
        );
        assert!(d.headline.contains("\"Require MFA for all users\""));
    }

    #[test]
    fn mfa_from_per_user_settings_is_not_this() {
        let d = check(
            json!({"status": {"errorCode": 50076}, "authenticationRequirementPolicies": [{"requirementProvider": "user"}]}),
        );
        assert_ne!(d.scenario, "mfa-required-by-ca");
    }
}
