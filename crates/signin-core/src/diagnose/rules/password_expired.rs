//! `password-expired`: the cloud or on-premises password expired.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "password-expired",
    detects: "The user's cloud or on-premises password has expired and must be changed.",
    signals: "codes 50055 (cloud), 50144 (on-premises)",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let f = match e.error_code() {
        50055 => Finding::new(e, "The password has expired", "The user's password is past its expiry date, so Entra asks for a new one before signing in.")
            .user("Choose a new password when asked, or use self-service password reset")
            .admin("Reset the password, or check that self-service password reset is available"),
        50144 => Finding::new(e, "The on-premises password has expired", "The user's password in on-premises Active Directory has expired.")
            .user("Change your password on a company computer or with self-service password reset")
            .admin("Reset the password on-premises, or enable password writeback so users can reset it themselves"),
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn expired_passwords() {
        let d = check(json!({"status": {"errorCode": 50055}}));
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("password-expired", "interrupted")
        );
        assert_eq!(
            check(json!({"status": {"errorCode": 50144}})).scenario,
            "password-expired"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "password-expired"
        );
    }
}
