//! `legacy-auth`: a legacy protocol (IMAP, POP, SMTP, ActiveSync…) was used or blocked.

use super::Rule;
use crate::diagnose::facts::{blocking_policies, is_legacy_client, policy_names};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "legacy-auth",
    detects: "A client used legacy authentication, which cannot do MFA: it was blocked (53003, 530035) or it got in with a password alone.",
    signals: "clientAppUsed in the legacy set with code 0, 53003 or 530035",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !is_legacy_client(e) || !matches!(code, 0 | 53003 | 530035) || patterns.spray {
        return None;
    }
    let l = cx.lang();
    let client = e.client_app_used.clone().unwrap_or_default();
    let blockers = blocking_policies(e);
    let f = if code == 0 {
        Finding::new(
            e,
            t!(l, "legacy-auth.used.headline", client = client),
            t!(l, "legacy-auth.used.what", client = client),
        )
        .admin(t!(l, "legacy-auth.used.admin"))
        .admin(t!(l, "legacy-auth.used.admin-2"))
    } else {
        let blocker = if blockers.is_empty() {
            t!(l, "legacy-auth.blocked.a-policy")
        } else {
            policy_names(&blockers, l)
        };
        Finding::new(
            e,
            t!(l, "legacy-auth.blocked.headline", client = client),
            t!(
                l,
                "legacy-auth.blocked.what",
                client = client,
                blocker = blocker
            ),
        )
        .user(t!(l, "legacy-auth.blocked.user"))
        .admin(t!(l, "legacy-auth.blocked.admin"))
    };
    Some(f.evidence("clientAppUsed", client).evidence(
        "appliedConditionalAccessPolicies",
        policy_names(&blockers, l),
    ))
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn blocked_imap_is_legacy_auth() {
        let d = check(
            json!({"status": {"errorCode": 53003}, "clientAppUsed": "IMAP4",
            "appliedConditionalAccessPolicies": [{"displayName": "Block legacy authentication", "result": "failure", "enforcedGrantControls": ["Block"]}]}),
        );
        assert_eq!(d.scenario, "legacy-auth");
        assert!(d.what_happened.contains("\"Block legacy authentication\""));
        assert_eq!(
            check(json!({"clientAppUsed": "Exchange ActiveSync"})).scenario,
            "legacy-auth"
        );
    }

    #[test]
    fn a_modern_client_is_not_this() {
        assert_ne!(
            check(json!({"status": {"errorCode": 53003}, "clientAppUsed": "Browser"})).scenario,
            "legacy-auth"
        );
    }
}
