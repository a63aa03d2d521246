//! `session-expired`: sign-in frequency, a revoked or expired session or refresh token.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "session-expired",
    detects: "The session or refresh token expired or was revoked (sign-in frequency, inactivity, password change), so the user must sign in again.",
    signals: "codes 70043, 70044, 70046, 70008, 700082, 50173, 50132, 50133",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    let why = match code {
        70043 | 70044 => {
            "a Conditional Access sign-in frequency control says the session is too old"
        }
        70046 => "a re-authentication check requires a fresh sign-in",
        70008 | 700082 => "the refresh token was not used for too long",
        50173 | 50132 | 50133 => "the session was revoked or the password changed",
        _ => return None,
    };
    Some(
        Finding::new(
            e,
            "The session expired; sign in again",
            format!("The app's saved sign-in is no longer valid because {why}. This is expected."),
        )
        .user("Sign in again")
        .admin("No action unless users are asked too often; then review sign-in frequency settings")
        .developer("Handle this by signing the user in interactively"),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn expired_sessions() {
        assert_eq!(
            check(json!({"status": {"errorCode": 70043}})).scenario,
            "session-expired"
        );
        assert!(
            check(json!({"status": {"errorCode": 700082}}))
                .what_happened
                .contains("not used for too long")
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "session-expired"
        );
    }
}
