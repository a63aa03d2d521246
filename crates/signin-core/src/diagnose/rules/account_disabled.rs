//! `account-disabled`: the account is disabled or deleted.

use super::Rule;
use crate::diagnose::facts::who;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "account-disabled",
    detects: "The account is disabled or was deleted.",
    signals: "codes 50057, 500341",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let f = match e.error_code() {
        50057 => Finding::new(e, "The account is disabled", format!("{} cannot sign in because the account is disabled.", who(e)))
            .admin("If the person should have access, enable the account (in on-premises Active Directory for synchronised users)")
            .admin("If the person has left, find out what keeps trying to sign in with the account (a phone, a script) and stop it"),
        500341 => Finding::new(e, "The account was deleted", format!("{} cannot sign in because the account has been deleted.", who(e)))
            .admin("Restore the user from Deleted users if the deletion was a mistake"),
        _ => return None,
    };
    Some(f.user("Contact your IT department").evidence(
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
