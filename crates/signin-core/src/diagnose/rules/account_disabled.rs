//! `account-disabled`: the account is disabled or deleted.

use super::Rule;
use crate::diagnose::facts::who;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "account-disabled",
    detects: "The account is disabled or was deleted.",
    signals: "codes 50057, 500341",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    let f = match e.error_code() {
        50057 => Finding::new(
            e,
            t!(l, "account-disabled.disabled.headline"),
            t!(l, "account-disabled.disabled.what", who = who(e, l)),
        )
        .admin(t!(l, "account-disabled.disabled.admin"))
        .admin(t!(l, "account-disabled.disabled.admin-2")),
        500341 => Finding::new(
            e,
            t!(l, "account-disabled.deleted.headline"),
            t!(l, "account-disabled.deleted.what", who = who(e, l)),
        )
        .admin(t!(l, "account-disabled.deleted.admin")),
        _ => return None,
    };
    Some(f.user(t!(l, "account-disabled.user")).evidence(
        "userPrincipalName",
        e.user_principal_name.clone().unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn disabled_and_deleted_accounts() {
        assert_eq!(
            check(json!({"status": {"errorCode": 50057}})).scenario,
            "account-disabled"
        );
        assert_eq!(
            check(json!({"status": {"errorCode": 500341}})).headline,
            "The account was deleted"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 50034}})).scenario,
            "account-disabled"
        );
    }
}
