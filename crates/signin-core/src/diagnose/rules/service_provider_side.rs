//! `service-provider-side`: Entra signed the user in to a SAML or WS-Federation app; if the
//! app still fails, the problem is inside the application.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "service-provider-side",
    detects: "Entra issued the token to a SAML or WS-Federation app; a failure the user still sees happens inside the application.",
    signals: "code 0 with authenticationProtocol saml20 or wsFederation",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let protocol = e.authentication_protocol.clone().unwrap_or_default();
    let federated = protocol.to_lowercase().contains("saml")
        || protocol.to_lowercase().contains("wsfederation");
    if e.error_code() != 0 || !federated {
        return None;
    }
    Some(
        Finding::new(e, format!("Entra signed the user in; any error is inside {}", app(e)), format!("Entra accepted the sign-in and sent a {protocol} token to {}. If the user still sees an error, the application refused the token or the user.", app(e)))
            .evidence("authenticationProtocol", protocol)
            .admin("Compare the app's SAML settings with the vendor's: identifier (entity ID), reply URL, signing certificate, NameID and claims")
            .admin("Check that the user exists (is provisioned) in the application")
            .user("Tell IT the exact message the application shows"),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn a_saml_success() {
        assert_eq!(
            check(json!({"authenticationProtocol": "saml20"})).scenario,
            "service-provider-side"
        );
        assert_ne!(
            check(json!({"authenticationProtocol": "oAuth2"})).scenario,
            "service-provider-side"
        );
    }
}
