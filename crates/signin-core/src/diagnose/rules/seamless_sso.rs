//! `seamless-sso`: a seamless single sign-on (Kerberos) problem.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "seamless-sso",
    detects: "Seamless single sign-on (Kerberos from a domain-joined PC) did not work; the user falls back to a password.",
    signals: "codes 81001–81011 (81012 is a harmless mismatch)",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !(81001..=81011).contains(&code) {
        return None;
    }
    Some(
        Finding::new(e, "Seamless single sign-on did not work", "The domain-joined computer's Kerberos ticket could not be used to sign in automatically, so the user is asked for a password instead. Often harmless when it happens now and then.")
            .user("Sign in with your password if asked")
            .admin("If it happens often, check the Seamless SSO computer account (AZUREADSSOACC) and roll over its key")
            .admin("Check that the sign-in URL is in the browser's Local intranet zone"),
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
