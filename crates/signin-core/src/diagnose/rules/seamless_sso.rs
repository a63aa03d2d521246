//! `seamless-sso`: a seamless single sign-on (Kerberos) problem.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "seamless-sso",
    detects: "Seamless single sign-on (Kerberos from a domain-joined PC) did not work; the user falls back to a password.",
    signals: "codes 81001–81011 (81012 is a harmless mismatch)",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !(81001..=81011).contains(&code) {
        return None;
    }
    let l = cx.lang();
    Some(
        Finding::new(
            e,
            t!(l, "seamless-sso.headline"),
            t!(l, "seamless-sso.what"),
        )
        .user(t!(l, "seamless-sso.user"))
        .admin(t!(l, "seamless-sso.admin"))
        .admin(t!(l, "seamless-sso.admin-2")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn kerberos_problems() {
        assert_eq!(
            check(json!({"status": {"errorCode": 81010}})).scenario,
            "seamless-sso"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 81012}})).scenario,
            "seamless-sso"
        );
    }
}
