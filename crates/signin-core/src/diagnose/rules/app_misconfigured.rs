//! `app-misconfigured`: the app registration or enterprise app is set up wrongly: reply URL,
//! app not in the tenant, missing service principal, wrong or expired secret.

use super::Rule;
use crate::diagnose::facts::app;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "app-misconfigured",
    detects: "A problem in the app registration or enterprise app: reply URL, unknown client ID, missing resource, wrong or expired client secret or certificate, bad scope.",
    signals: "codes 50011, 700016, 500011, 50001, 7000215, 7000222, 7000218, 700054, 70011, 75011, 50146, 50003",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    let a = app(e, l);
    let f = match e.error_code() {
        50011 => Finding::new(
            e,
            t!(l, "app-misconfigured.reply-url.headline", app = a),
            t!(l, "app-misconfigured.reply-url.what"),
        )
        .admin(t!(l, "app-misconfigured.reply-url.admin"))
        .developer(t!(l, "app-misconfigured.reply-url.developer")),
        700016 => Finding::new(
            e,
            t!(l, "app-misconfigured.unknown-app.headline"),
            t!(l, "app-misconfigured.unknown-app.what"),
        )
        .admin(t!(l, "app-misconfigured.unknown-app.admin"))
        .developer(t!(l, "app-misconfigured.unknown-app.developer")),
        500011 | 50001 => Finding::new(
            e,
            t!(l, "app-misconfigured.missing-resource.headline"),
            t!(l, "app-misconfigured.missing-resource.what"),
        )
        .admin(t!(l, "app-misconfigured.missing-resource.admin"))
        .developer(t!(l, "app-misconfigured.missing-resource.developer")),
        7000215 => Finding::new(
            e,
            t!(l, "app-misconfigured.wrong-secret.headline", app = a),
            t!(l, "app-misconfigured.wrong-secret.what"),
        )
        .admin(t!(l, "app-misconfigured.wrong-secret.admin"))
        .developer(t!(l, "app-misconfigured.wrong-secret.developer")),
        7000222 => Finding::new(
            e,
            t!(l, "app-misconfigured.expired-secret.headline", app = a),
            t!(l, "app-misconfigured.expired-secret.what"),
        )
        .admin(t!(l, "app-misconfigured.expired-secret.admin"))
        .developer(t!(l, "app-misconfigured.expired-secret.developer")),
        7000218 => Finding::new(
            e,
            t!(l, "app-misconfigured.no-credential.headline", app = a),
            t!(l, "app-misconfigured.no-credential.what"),
        )
        .admin(t!(l, "app-misconfigured.no-credential.admin"))
        .developer(t!(l, "app-misconfigured.no-credential.developer")),
        700054 | 70011 | 75011 | 50146 | 50003 => Finding::new(
            e,
            t!(l, "app-misconfigured.mismatch.headline", app = a),
            t!(l, "app-misconfigured.mismatch.what"),
        )
        .admin(t!(l, "app-misconfigured.mismatch.admin"))
        .developer(t!(l, "app-misconfigured.mismatch.developer")),
        _ => return None,
    };
    Some(
        f.evidence("appId", e.app_id.clone().unwrap_or_default())
            .evidence("appDisplayName", a)
            .user(t!(l, "app-misconfigured.user")),
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
