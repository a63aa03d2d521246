//! `session-expired`: sign-in frequency, a revoked or expired session or refresh token.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "session-expired",
    detects: "The session or refresh token expired or was revoked (sign-in frequency, inactivity, password change), so the user must sign in again.",
    signals: "codes 70043, 70044, 70046, 70008, 700082, 50173, 50132, 50133",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    let why = match e.error_code() {
        70043 | 70044 => t!(l, "session-expired.why-frequency"),
        70046 => t!(l, "session-expired.why-reauth"),
        70008 | 700082 => t!(l, "session-expired.why-refresh-unused"),
        50173 | 50132 | 50133 => t!(l, "session-expired.why-revoked"),
        _ => return None,
    };
    Some(
        Finding::new(
            e,
            t!(l, "session-expired.headline"),
            t!(l, "session-expired.what", why = why),
        )
        .user(t!(l, "session-expired.user"))
        .admin(t!(l, "session-expired.admin"))
        .developer(t!(l, "session-expired.developer")),
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
