//! `success-not-challenged`: an interactive sign-in succeeded with a password alone and no
//! Conditional Access policy applied: a gap in coverage.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::{
    AuthenticationRequirement, ConditionalAccessStatus, SignInEvent, SignInEventType,
};

pub const RULE: Rule = Rule {
    id: "success-not-challenged",
    detects: "An interactive user sign-in succeeded single-factor with no Conditional Access policy applied: it should probably have been challenged.",
    signals: "code 0, conditionalAccessStatus notApplied, authenticationRequirement singleFactorAuthentication, interactive user",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let interactive = matches!(
        e.event_type(),
        Some(SignInEventType::InteractiveUser) | None
    ) && e.is_interactive != Some(false);
    if e.error_code() != 0
        || e.conditional_access_status != Some(ConditionalAccessStatus::NotApplied)
        || e.authentication_requirement != Some(AuthenticationRequirement::SingleFactor)
        || !interactive
    {
        return None;
    }
    let l = cx.lang();
    Some(
        Finding::new(
            e,
            t!(l, "success-not-challenged.headline"),
            t!(l, "success-not-challenged.what"),
        )
        .evidence("conditionalAccessStatus", "notApplied")
        .evidence("authenticationRequirement", "singleFactorAuthentication")
        .admin(t!(l, "success-not-challenged.admin"))
        .admin(t!(l, "success-not-challenged.admin-2")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn a_single_factor_sign_in_without_policies() {
        let d = check(
            json!({"conditionalAccessStatus": "notApplied", "authenticationRequirement": "singleFactorAuthentication"}),
        );
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("success-not-challenged", "success")
        );
        assert_ne!(
            check(json!({"conditionalAccessStatus": "success"})).scenario,
            "success-not-challenged"
        );
        let d = check(
            json!({"conditionalAccessStatus": "notApplied", "authenticationRequirement": "singleFactorAuthentication",
            "signInEventTypes": ["servicePrincipal"]}),
        );
        assert_ne!(
            d.scenario, "success-not-challenged",
            "service principals do not do MFA"
        );
    }
}
