//! `app-misconfigured`: the app registration or enterprise app is set up wrongly: reply URL,
//! app not in the tenant, missing service principal, wrong or expired secret.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "app-misconfigured",
    detects: "A problem in the app registration or enterprise app: reply URL, unknown client ID, missing resource, wrong or expired client secret or certificate, bad scope.",
    signals: "codes 50011, 700016, 500011, 50001, 7000215, 7000222, 7000218, 700054, 70011, 75011, 50146, 50003",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let a = app(e);
    let f = match e.error_code() {
        50011 => Finding::new(e, format!("{a} sent users back to an address it has not registered"), "The reply URL in the sign-in request is not one of the app's registered redirect URIs.")
            .admin("Add the exact reply URL to the app registration (Authentication), or correct the app's configuration")
            .developer("Make the redirect URI in the request match a registered one exactly"),
        700016 => Finding::new(e, "The app is not known in this tenant", "The application ID in the request does not exist in this tenant.")
            .admin("Install the app in the tenant (admin consent) or correct the application ID it uses")
            .developer("Check the client ID and tenant; make the app multi-tenant if other organisations use it"),
        500011 | 50001 => Finding::new(e, "The resource the app wants is missing", "The API the app asked for has no service principal (or is disabled) in this tenant.")
            .admin("Add or enable the resource application, or consent to it")
            .developer("Check the resource URI and tenant in the request"),
        7000215 => Finding::new(e, format!("{a} used a wrong client secret"), "The application signed in with a client secret that is not valid (often the secret's ID instead of its value).")
            .admin("Create a new client secret and hand its value to the app's owner")
            .developer("Use the secret's value, not its ID"),
        7000222 => Finding::new(e, format!("{a}'s client secret has expired"), "The application's secret is past its expiry date, so the app can no longer sign in.")
            .admin("Create a new secret or certificate in the app registration and update the app with it")
            .developer("Replace the secret in the app's configuration and track expiry dates"),
        7000218 => Finding::new(e, format!("{a} sent no credential"), "The token request had no client secret or certificate, but the app needs one.")
            .admin("If the app is a public client (device code, desktop), turn on 'Allow public client flows'")
            .developer("Send the client credential, or mark the app as a public client"),
        700054 | 70011 | 75011 | 50146 | 50003 => Finding::new(e, format!("{a}'s request does not match its registration"), "The app asked for something its registration does not allow (a response type, scope, signing key or authentication context).")
            .admin("Send the error code and time to the app's owner")
            .developer("Compare the request with the app registration; the error code's page explains the detail"),
        _ => return None,
    };
    Some(
        f.evidence("appId", e.app_id.clone().unwrap_or_default())
            .evidence("appDisplayName", a)
            .user("Tell the app's owner; this is not something you can fix"),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn app_registration_problems() {
        for code in [50011, 700016, 7000222, 7000215] {
            assert_eq!(
                check(json!({"status": {"errorCode": code}})).scenario,
                "app-misconfigured",
                "{code}"
            );
        }
        assert_ne!(
            check(json!({"status": {"errorCode": 65001}})).scenario,
            "app-misconfigured"
        );
    }
}
