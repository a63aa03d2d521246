//! `mfa-registration-required`: the user must register security info before signing in.

use super::Rule;
use crate::diagnose::facts::{provider_in_words, requirement_providers};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "mfa-registration-required",
    detects: "The user has to register for MFA (security info) first, or may register only from trusted places.",
    signals: "codes 50072, 50079, 50203, 53010; requirement providers mfaRegistrationRequiredBy…",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !matches!(code, 50072 | 50079 | 50203 | 53010) {
        return None;
    }
    let l = cx.lang();
    let source = requirement_providers(e)
        .first()
        .map(|p| provider_in_words(p, l))
        .unwrap_or_default();
    let f = if code == 53010 {
        Finding::new(
            e,
            t!(l, "mfa-registration-required.untrusted-place.headline"),
            t!(l, "mfa-registration-required.untrusted-place.what"),
        )
        .user(t!(l, "mfa-registration-required.untrusted-place.user"))
        .admin(t!(l, "mfa-registration-required.untrusted-place.admin"))
    } else {
        let who = crate::diagnose::facts::who(e, l);
        let what = if source.is_empty() {
            t!(l, "mfa-registration-required.register.what", who = who)
        } else {
            t!(
                l,
                "mfa-registration-required.register.what-because",
                who = who,
                source = source
            )
        };
        Finding::new(
            e,
            t!(l, "mfa-registration-required.register.headline"),
            what,
        )
        .user(t!(l, "mfa-registration-required.register.user"))
        .admin(t!(l, "mfa-registration-required.register.admin"))
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
