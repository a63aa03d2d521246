//! `security-defaults`: security defaults blocked or challenged the sign-in.

use super::Rule;
use crate::diagnose::facts::requirement_providers;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::{RequirementProvider, SignInEvent};

pub const RULE: Rule = Rule {
    id: "security-defaults",
    detects: "Security defaults blocked the sign-in (usually legacy authentication) or demanded MFA or registration.",
    signals: "code 530035; requirement provider securityDefaults or mfaRegistrationRequiredBySecurityDefaults on a sign-in that did not succeed",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
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
    let l = cx.lang();
    let f = if code == 530035 {
        let client = match e.client_app_used.as_deref() {
            Some(client) => client.to_owned(),
            None => t!(l, "security-defaults.blocked.unknown-client"),
        };
        Finding::new(
            e,
            t!(l, "security-defaults.blocked.headline"),
            t!(l, "security-defaults.blocked.what", client = client),
        )
        .user(t!(l, "security-defaults.blocked.user"))
        .admin(t!(l, "security-defaults.blocked.admin"))
        .admin(t!(l, "security-defaults.blocked.admin-2"))
    } else {
        Finding::new(
            e,
            t!(l, "security-defaults.mfa.headline"),
            t!(l, "security-defaults.mfa.what"),
        )
        .user(t!(l, "security-defaults.mfa.user"))
        .admin(t!(l, "security-defaults.mfa.admin"))
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
