//! `password-expired`: the cloud or on-premises password expired.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "password-expired",
    detects: "The user's cloud or on-premises password has expired and must be changed.",
    signals: "codes 50055 (cloud), 50144 (on-premises)",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    let f = match e.error_code() {
        50055 => Finding::new(
            e,
            t!(l, "password-expired.cloud.headline"),
            t!(l, "password-expired.cloud.what"),
        )
        .user(t!(l, "password-expired.cloud.user"))
        .admin(t!(l, "password-expired.cloud.admin")),
        50144 => Finding::new(
            e,
            t!(l, "password-expired.on-premises.headline"),
            t!(l, "password-expired.on-premises.what"),
        )
        .user(t!(l, "password-expired.on-premises.user"))
        .admin(t!(l, "password-expired.on-premises.admin")),
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
