//! `app-not-assigned`: the user is not assigned to an app that requires assignment.

use super::Rule;
use crate::diagnose::facts::{app, who};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "app-not-assigned",
    detects: "The application requires users to be assigned and this user is not.",
    signals: "code 50105",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    (e.error_code() == 50105).then(|| {
        Finding::new(e, format!("{} is not assigned to {}", who(e), app(e)), format!("{} only lets in users (or members of groups) assigned to it, and {} is not one of them.", app(e), who(e)))
            .evidence("appDisplayName", app(e))
            .user("Ask IT for access to the app")
            .admin(format!("In Enterprise applications → {} → Users and groups, assign the user or a group they belong to", app(e)))
            .admin("Or, if everyone may use the app, set 'Assignment required' to No")
    })
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn not_assigned() {
        let d =
            check(json!({"status": {"errorCode": 50105}, "appDisplayName": "PlanRoom CAD Viewer"}));
        assert_eq!(d.scenario, "app-not-assigned");
        assert_eq!(d.headline, "Ava is not assigned to PlanRoom CAD Viewer");
        assert_ne!(
            check(json!({"status": {"errorCode": 65001}})).scenario,
            "app-not-assigned"
        );
    }
}
