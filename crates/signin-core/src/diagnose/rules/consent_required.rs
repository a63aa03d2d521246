//! `consent-required`: user or admin consent for the app is missing.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "consent-required",
    detects: "Nobody has consented to the permissions the app asks for, or only an admin may.",
    signals: "codes 65001, 90094, 65004",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !matches!(code, 65001 | 90094 | 65004) {
        return None;
    }
    let admin_only = code == 90094;
    Some(
        Finding::new(
            e,
            format!("{} needs {} consent", app(e), if admin_only { "admin" } else { "user or admin" }),
            format!(
                "{} asked for permissions that have not been granted{}.",
                app(e),
                if admin_only { ", and only an administrator may grant them" } else { "" }
            ),
        )
        .evidence("resourceDisplayName", e.resource_display_name.clone().unwrap_or_default())
        .user("If a consent prompt appears, read it and accept if you trust the app; otherwise ask IT")
        .admin("Review the app's requested permissions in Enterprise applications → Permissions, and grant admin consent if appropriate")
        .admin("Consider the admin consent workflow so users can request approval")
        .developer("Request only the permissions the app needs; use incremental consent"),
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
