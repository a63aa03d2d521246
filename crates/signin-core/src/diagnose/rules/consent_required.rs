//! `consent-required`: user or admin consent for the app is missing.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "consent-required",
    detects: "Nobody has consented to the permissions the app asks for, or only an admin may.",
    signals: "codes 65001, 90094, 65004",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !matches!(code, 65001 | 90094 | 65004) {
        return None;
    }
    let l = cx.lang();
    let a = app(e, l);
    let (headline, what) = if code == 90094 {
        (
            t!(l, "consent-required.headline-admin", app = a),
            t!(l, "consent-required.what-admin", app = a),
        )
    } else {
        (
            t!(l, "consent-required.headline", app = a),
            t!(l, "consent-required.what", app = a),
        )
    };
    Some(
        Finding::new(e, headline, what)
            .evidence(
                "resourceDisplayName",
                e.resource_display_name.clone().unwrap_or_default(),
            )
            .user(t!(l, "consent-required.user"))
            .admin(t!(l, "consent-required.admin"))
            .admin(t!(l, "consent-required.admin-2"))
            .developer(t!(l, "consent-required.developer")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn consent_missing() {
        assert_eq!(
            check(json!({"status": {"errorCode": 65001}})).scenario,
            "consent-required"
        );
        assert!(
            check(json!({"status": {"errorCode": 90094}}))
                .headline
                .contains("admin consent")
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 50105}})).scenario,
            "consent-required"
        );
    }
}
