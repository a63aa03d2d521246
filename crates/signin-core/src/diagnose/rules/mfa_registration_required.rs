//! `mfa-registration-required`: the user must register security info before signing in.

use super::Rule;
use crate::diagnose::facts::{provider_in_words, requirement_providers};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "mfa-registration-required",
    detects: "The user has to register for MFA (security info) first, or may register only from trusted places.",
    signals: "codes 50072, 50079, 50203, 53010; requirement providers mfaRegistrationRequiredBy…",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !matches!(code, 50072 | 50079 | 50203 | 53010) {
        return None;
    }
    let source = requirement_providers(e)
        .first()
        .map(|p| provider_in_words(p))
        .unwrap_or_default();
    let f = if code == 53010 {
        Finding::new(e, "Security info can only be registered from a trusted place", "A policy allows MFA registration only from trusted locations or devices, and this attempt came from elsewhere.")
            .user("Register your security info from the office or a company device")
            .admin("Review the Conditional Access policy on 'Register security information'")
    } else {
        Finding::new(
            e,
            "The user must register for MFA first",
            format!(
                "{} has not registered a second sign-in method yet, and{} it is required. Until they do, the sign-in stops at the registration page.",
                crate::diagnose::facts::who(e),
                if source.is_empty() { String::new() } else { format!(" because of {source},") }
            ),
        )
        .user("Follow the prompts to set up Microsoft Authenticator or a phone number")
        .admin("If the user cannot register (no phone, lost device), give them a Temporary Access Pass")
    };
    Some(f.evidence("authenticationRequirementPolicies", source))
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn registration_is_required() {
        let d = check(json!({"status": {"errorCode": 50072},
            "authenticationRequirementPolicies": [{"requirementProvider": "mfaRegistrationRequiredByMultiConditionalAccess"}]}));
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("mfa-registration-required", "interrupted")
        );
        assert!(d.what_happened.contains("Conditional Access"));
        assert_eq!(
            check(json!({"status": {"errorCode": 53010}})).scenario,
            "mfa-registration-required"
        );
    }

    #[test]
    fn an_mfa_prompt_is_not_registration() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50074}})).scenario,
            "mfa-registration-required"
        );
    }
}
