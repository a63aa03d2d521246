//! `mfa-required-by-ca`: Conditional Access demanded MFA and the sign-in stopped there.

use super::Rule;
use crate::diagnose::facts::{
    failed_policies, has_grant, is_conditional_access_provider, policy_name, requirement_providers,
};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "mfa-required-by-ca",
    detects: "Conditional Access required MFA (or an authentication strength) and the user had not completed it.",
    signals: "codes 50074, 50076; requirement provider multiConditionalAccess / v1ConditionalAccess / authenticationStrengths, or a failed policy with an Mfa grant",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50074 | 50076) {
        return None;
    }
    let mfa_policies: Vec<String> = failed_policies(e)
        .filter(|p| {
            has_grant(p, "mfa")
                || has_grant(p, "requireauthenticationstrength")
                || p.authentication_strength.is_some()
        })
        .map(|p| format!("\"{}\"", policy_name(p)))
        .collect();
    let by_ca = requirement_providers(e)
        .iter()
        .any(|p| is_conditional_access_provider(p))
        || !mfa_policies.is_empty();
    if !by_ca {
        return None;
    }
    let names = mfa_policies.join(", ");
    Some(
        Finding::new(
            e,
            format!("MFA was required by Conditional Access{}", if names.is_empty() { String::new() } else { format!(": {names}") }),
            "A Conditional Access policy requires multifactor authentication for this sign-in, and the user had not completed it in this request. Usually the next request of the same attempt succeeds after the prompt.",
        )
        .evidence("authenticationRequirementPolicies", "Conditional Access")
        .evidence("appliedConditionalAccessPolicies", names)
        .user("Complete the MFA prompt on your phone or other method")
        .admin("If the prompt was unexpected, open the policy and check its conditions (location, app, risk)")
        .admin("If the user never gets past the prompt, check their registered methods"),
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
