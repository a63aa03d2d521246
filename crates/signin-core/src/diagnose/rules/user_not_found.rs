//! `user-not-found`: no such user in the tenant.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "user-not-found",
    detects: "There is no account with that user name in the tenant (a typo, the wrong tenant, or a removed account).",
    signals: "codes 50034, 50128, 50059 (without later success)",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50034 | 50128) {
        return None;
    }
    let name = e
        .user_principal_name
        .clone()
        .or_else(|| e.sign_in_identifier.clone())
        .unwrap_or_default();
    let mut f = Finding::new(e, "No such user in this tenant", format!("Entra found no account called \"{name}\" in this tenant."))
        .evidence("userPrincipalName", name)
        .user("Check the spelling of your sign-in name, including the part after @")
        .admin("Look the name up in Entra ID: was the account renamed, deleted, or does it belong to another tenant?");
    if patterns.spray {
        f = f
            .verdict(crate::diagnose::Verdict::Suspicious)
            .admin("Many accounts failed from this address: someone may be guessing user names");
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
