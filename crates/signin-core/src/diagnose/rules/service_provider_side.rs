//! `service-provider-side`: Entra signed the user in to a SAML or WS-Federation app; if the
//! app still fails, the problem is inside the application.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "service-provider-side",
    detects: "Entra issued the token to a SAML or WS-Federation app; a failure the user still sees happens inside the application.",
    signals: "code 0 with authenticationProtocol saml20 or wsFederation",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let protocol = e.authentication_protocol.clone().unwrap_or_default();
    let federated = protocol.to_lowercase().contains("saml")
        || protocol.to_lowercase().contains("wsfederation");
    if e.error_code() != 0 || !federated {
        return None;
    }
    let l = cx.lang();
    let a = app(e, l);
    Some(
        Finding::new(
            e,
            t!(l, "service-provider-side.headline", app = a),
            t!(
                l,
                "service-provider-side.what",
                protocol = protocol,
                app = a
            ),
        )
        .evidence("authenticationProtocol", protocol)
        .admin(t!(l, "service-provider-side.admin"))
        .admin(t!(l, "service-provider-side.admin-2"))
        .user(t!(l, "service-provider-side.user")),
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
