//! `app-not-assigned`: the user is not assigned to an app that requires assignment.

use super::Rule;
use crate::diagnose::facts::{app, who};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "app-not-assigned",
    detects: "The application requires users to be assigned and this user is not.",
    signals: "code 50105",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    (e.error_code() == 50105).then(|| {
        let (who, app) = (who(e, l), app(e, l));
        Finding::new(
            e,
            t!(l, "app-not-assigned.headline", who = who, app = app),
            t!(l, "app-not-assigned.what", who = who, app = app),
        )
        .evidence("appDisplayName", &app)
        .user(t!(l, "app-not-assigned.user"))
        .admin(t!(l, "app-not-assigned.admin", app = app))
        .admin(t!(l, "app-not-assigned.admin-2"))
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
