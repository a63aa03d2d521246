//! `security-defaults`: security defaults blocked or challenged the sign-in.

use super::Rule;
use crate::diagnose::facts::requirement_providers;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::{RequirementProvider, SignInEvent};

pub const RULE: Rule = Rule {
    id: "security-defaults",
    detects: "Security defaults blocked the sign-in (usually legacy authentication) or demanded MFA or registration.",
    signals: "code 530035; requirement provider securityDefaults or mfaRegistrationRequiredBySecurityDefaults on a sign-in that did not succeed",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let by_defaults = requirement_providers(e).iter().any(|p| {
        matches!(
            p,
            RequirementProvider::SecurityDefaults
                | RequirementProvider::MfaRegistrationRequiredBySecurityDefaults
        )
    });
    let code = e.error_code();
    if code != 530035 && !(by_defaults && code != 0) {
        return None;
    }
    let f = if code == 530035 {
        Finding::new(
            e,
            "Blocked by security defaults",
            format!(
                "The tenant uses security defaults, which block sign-ins they consider unsafe, above all legacy protocols. This sign-in used \"{}\".",
                e.client_app_used.as_deref().unwrap_or("an unknown client")
            ),
        )
        .user("Use a modern app such as Outlook instead of the old mail or calendar app")
        .admin("Move the user's device or script to modern authentication")
        .admin("If some legacy access must continue, replace security defaults with Conditional Access policies (needs Entra ID P1)")
    } else {
        Finding::new(e, "Security defaults asked for MFA", "Security defaults require every user to register for and use MFA when Entra considers it necessary.")
            .user("Complete the MFA prompt, or register Microsoft Authenticator when asked")
            .admin("No action unless the prompts are a problem; then consider Conditional Access instead of security defaults")
    };
    Some(f.evidence(
        "clientAppUsed",
        e.client_app_used.clone().unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn blocked_and_challenged_by_security_defaults() {
        let d = check(json!({"status": {"errorCode": 530035}, "clientAppUsed": "IMAP4"}));
        assert_eq!(d.scenario, "security-defaults");
        assert!(d.what_happened.contains("IMAP4"));
        let d = check(json!({"status": {"errorCode": 50074},
            "authenticationRequirementPolicies": [{"requirementProvider": "securityDefaults", "detail": "Security defaults"}]}));
        assert_eq!(d.scenario, "security-defaults");
    }

    #[test]
    fn a_success_under_security_defaults_is_not_this() {
        let d = check(
            json!({"authenticationRequirementPolicies": [{"requirementProvider": "securityDefaults"}]}),
        );
        assert_ne!(d.scenario, "security-defaults");
    }
}
