//! `mfa-required-other`: MFA was demanded by something other than Conditional Access
//! (per-user MFA, the app's own request, a risk policy…), which it names.

use super::Rule;
use crate::diagnose::facts::{provider_in_words, requirement_providers};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::{RequirementProvider, SignInEvent};

pub const RULE: Rule = Rule {
    id: "mfa-required-other",
    detects: "MFA was required by per-user MFA, the application's request, a risk policy or another source than Conditional Access; the source is named.",
    signals: "codes 50074, 50076 (and any MFA prompt not explained by Conditional Access); requirement provider user, request, riskBasedPolicy, enforcedForCspAdmins…",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50074 | 50076) {
        return None;
    }
    let l = cx.lang();
    let providers = requirement_providers(e);
    let source = providers
        .first()
        .map(|p| provider_in_words(p, l))
        .unwrap_or_else(|| t!(l, "mfa-required-other.unnamed-source"));
    let mut f = Finding::new(
        e,
        t!(l, "mfa-required-other.headline", source = source),
        t!(l, "mfa-required-other.what", source = source),
    )
    .evidence(
        "authenticationRequirementPolicies",
        providers
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    )
    .user(t!(l, "mfa-required-other.user"));
    if providers
        .iter()
        .any(|p| matches!(p, RequirementProvider::User))
    {
        f = f.admin(t!(l, "mfa-required-other.admin-per-user"));
    } else if providers
        .iter()
        .any(|p| matches!(p, RequirementProvider::Request))
    {
        f = f
            .developer(t!(l, "mfa-required-other.developer-request"))
            .admin(t!(l, "mfa-required-other.admin-request"));
    } else {
        f = f.admin(t!(l, "mfa-required-other.admin-other"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn names_per_user_mfa() {
        let d = check(
            json!({"status": {"errorCode": 50076}, "authenticationRequirementPolicies": [{"requirementProvider": "user", "detail": "Per-user MFA"}]}),
        );
        assert_eq!(d.scenario, "mfa-required-other");
        assert!(d.headline.contains("per-user MFA"));
        assert!(
            d.actions
                .iter()
                .any(|a| a.text.contains("Conditional Access MFA policy"))
        );
    }

    #[test]
    fn other_codes_are_not_this() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "mfa-required-other"
        );
    }
}
