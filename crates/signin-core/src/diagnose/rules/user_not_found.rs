//! `user-not-found`: no such user in the tenant.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "user-not-found",
    detects: "There is no account with that user name in the tenant (a typo, the wrong tenant, or a removed account).",
    signals: "codes 50034, 50128, 50059 (without later success)",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50034 | 50128) {
        return None;
    }
    let l = cx.lang();
    let name = e
        .user_principal_name
        .clone()
        .or_else(|| e.sign_in_identifier.clone())
        .unwrap_or_default();
    let mut f = Finding::new(
        e,
        t!(l, "user-not-found.headline"),
        t!(l, "user-not-found.what", name = name),
    )
    .evidence("userPrincipalName", name)
    .user(t!(l, "user-not-found.user"))
    .admin(t!(l, "user-not-found.admin"));
    if patterns.spray {
        f = f
            .verdict(crate::diagnose::Verdict::Suspicious)
            .admin(t!(l, "user-not-found.admin-spray"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn an_unknown_user() {
        let d = check(
            json!({"status": {"errorCode": 50034}, "userPrincipalName": "avaa@contoso.example"}),
        );
        assert_eq!(d.scenario, "user-not-found");
        assert!(d.what_happened.contains("avaa@contoso.example"));
        assert_ne!(
            check(json!({"status": {"errorCode": 50057}})).scenario,
            "user-not-found"
        );
    }
}
