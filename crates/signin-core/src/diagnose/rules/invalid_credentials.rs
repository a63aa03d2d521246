//! `invalid-credentials`: a wrong user name or password. Tells a typo, an old password saved
//! on a device, and an attack apart by looking at the sign-ins around it.

use super::Rule;
use crate::diagnose::facts::{app, who};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "invalid-credentials",
    detects: "A wrong user name or password, told apart as a typo, an old password saved on a device or app, or a password spray.",
    signals: "codes 50126, 50056; failures of the same user from the same app and address; accounts failing from the same address",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50126 | 50056) {
        return None;
    }
    let ip = e.ip_address.clone().unwrap_or_default();
    let f = if patterns.spray {
        Finding::new(
            e,
            "A password spray: many accounts tried from one address",
            format!(
                "{} different accounts failed with wrong passwords from {ip} around this time. This is an attack trying common passwords, not {} mistyping.",
                patterns.accounts_failing_from_ip,
                who(e)
            ),
        )
        .verdict(Verdict::Suspicious)
        .admin(format!("Block {ip} with a named location and a Conditional Access policy"))
        .admin("Check whether any account signed in successfully from this address; reset those passwords and revoke sessions")
        .admin("Make sure MFA is required for every account and legacy authentication is blocked")
    } else if patterns.stale_password {
        Finding::new(
            e,
            format!("An old password saved in {}", app(e)),
            format!(
                "{} on {ip} failed {} times with a wrong password: a phone, mail app or script still uses an old password.",
                app(e),
                patterns.same_source_password_failures
            ),
        )
        .user(format!("Update the password saved in {} on your phone or computer", app(e)))
        .admin("Find the device from the address and app; until it is updated it may lock the account")
    } else {
        Finding::new(
            e,
            "Wrong password",
            format!("{} entered a wrong password (or user name).", who(e)),
        )
        .user("Check Caps Lock and your keyboard layout, then try again")
        .user("If you forgot the password, use self-service password reset")
        .admin(
            "Nothing to do for a single typo; if it repeats, look at where the attempts come from",
        )
    };
    Some(
        f.evidence("ipAddress", ip)
            .evidence("appDisplayName", app(e))
            .evidence(
                "failures from the same app and address",
                patterns.same_source_password_failures,
            )
            .evidence(
                "accounts failing from this address",
                patterns.accounts_failing_from_ip,
            ),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::{check, check_with, event};
    use serde_json::json;

    #[test]
    fn a_typo_a_stale_password_and_a_spray_are_told_apart() {
        let wrong = json!({"status": {"errorCode": 50126}});
        let d = check(wrong.clone());
        assert_eq!(
            (d.scenario, d.headline.as_str()),
            ("invalid-credentials", "Wrong password")
        );

        let same_device: Vec<_> = (2..7)
            .map(|i| event(json!({"id": format!("r{i}"), "status": {"errorCode": 50126}, "createdDateTime": format!("2026-11-20T0{i}:00:00Z")})))
            .collect();
        let d = check_with(wrong.clone(), &[], &same_device);
        assert!(
            d.headline.starts_with("An old password saved in"),
            "{}",
            d.headline
        );

        let spray: Vec<_> = (2..8)
            .map(|i| event(json!({"id": format!("s{i}"), "userPrincipalName": format!("user{i}@contoso.example"), "userId": format!("u{i}"), "status": {"errorCode": 50126}})))
            .collect();
        let d = check_with(wrong, &[], &spray);
        assert_eq!(d.verdict.as_str(), "suspicious");
        assert!(d.patterns.iter().any(|p| p.id == "password-spray"));
    }

    #[test]
    fn other_failures_are_not_this() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50053}})).scenario,
            "invalid-credentials"
        );
    }
}
