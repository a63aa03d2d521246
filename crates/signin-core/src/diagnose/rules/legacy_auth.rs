//! `legacy-auth`: a legacy protocol (IMAP, POP, SMTP, ActiveSync…) was used or blocked.

use super::Rule;
use crate::diagnose::facts::{blocking_policies, is_legacy_client, policy_names};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "legacy-auth",
    detects: "A client used legacy authentication, which cannot do MFA: it was blocked (53003, 530035) or it got in with a password alone.",
    signals: "clientAppUsed in the legacy set with code 0, 53003 or 530035",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !is_legacy_client(e) || !matches!(code, 0 | 53003 | 530035) || patterns.spray {
        return None;
    }
    let client = e.client_app_used.clone().unwrap_or_default();
    let blockers = blocking_policies(e);
    let f = if code == 0 {
        Finding::new(
            e,
            format!("Signed in with a legacy protocol ({client})"),
            format!("The sign-in worked, but {client} uses only a password: no MFA is possible, and attackers use these protocols to guess passwords."),
        )
        .admin("Find what uses this protocol (a phone mail app, a printer, a script) and move it to modern authentication")
        .admin("Then block legacy authentication with a Conditional Access policy")
    } else {
        Finding::new(
            e,
            format!("A legacy protocol ({client}) was blocked"),
            format!(
                "The sign-in used {client}, which only sends a password, and {} blocks such sign-ins. The password itself may be right.",
                if blockers.is_empty() { "a policy".to_string() } else { policy_names(&blockers) }
            ),
        )
        .user("Use Outlook or another app with modern sign-in instead of the old mail app or account type")
        .admin("Keep legacy authentication blocked; help the user set up a modern client")
    };
    Some(
        f.evidence("clientAppUsed", client)
            .evidence("appliedConditionalAccessPolicies", policy_names(&blockers)),
    )
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
