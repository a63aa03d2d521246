//! `invalid-credentials`: a wrong user name or password. Tells a typo, an old password saved
//! on a device, and an attack apart by looking at the sign-ins around it.

use super::Rule;
use crate::diagnose::facts::{app, who};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "invalid-credentials",
    detects: "A wrong user name or password, told apart as a typo, an old password saved on a device or app, or a password spray.",
    signals: "codes 50126, 50056; failures of the same user from the same app and address; accounts failing from the same address",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if !matches!(e.error_code(), 50126 | 50056) {
        return None;
    }
    let l = cx.lang();
    let ip = e.ip_address.clone().unwrap_or_default();
    let a = app(e, l);
    let f = if patterns.spray {
        Finding::new(
            e,
            t!(l, "invalid-credentials.spray.headline"),
            t!(
                l,
                "invalid-credentials.spray.what",
                n = patterns.accounts_failing_from_ip,
                ip = ip,
                who = who(e, l)
            ),
        )
        .verdict(Verdict::Suspicious)
        .admin(t!(l, "invalid-credentials.spray.admin", ip = ip))
        .admin(t!(l, "invalid-credentials.spray.admin-2"))
        .admin(t!(l, "invalid-credentials.spray.admin-3"))
    } else if patterns.stale_password {
        Finding::new(
            e,
            t!(l, "invalid-credentials.stale.headline", app = a),
            t!(
                l,
                "invalid-credentials.stale.what",
                app = a,
                ip = ip,
                n = patterns.same_source_password_failures
            ),
        )
        .user(t!(l, "invalid-credentials.stale.user", app = a))
        .admin(t!(l, "invalid-credentials.stale.admin"))
    } else {
        Finding::new(
            e,
            t!(l, "invalid-credentials.typo.headline"),
            t!(l, "invalid-credentials.typo.what", who = who(e, l)),
        )
        .user(t!(l, "invalid-credentials.typo.user"))
        .user(t!(l, "invalid-credentials.typo.user-2"))
        .admin(t!(l, "invalid-credentials.typo.admin"))
    };
    Some(
        f.evidence("ipAddress", ip)
            .evidence("appDisplayName", a)
            .evidence(
                &t!(l, "evidence.same-source-failures"),
                patterns.same_source_password_failures,
            )
            .evidence(
                &t!(l, "evidence.accounts-failing-from-ip"),
                patterns.accounts_failing_from_ip,
            ),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::{check, check_with, event};
    use serde_json::json;

    #[test]
    fn a_typo_a_stale_password_and_a_spray_are_told_apart() {
        let wrong = json!({"status": {"errorCode": 50126}});
        let d = check(wrong.clone());
        assert_eq!(
            (d.scenario, d.headline.as_str()),
            ("invalid-credentials", "Wrong password")
        );

        let same_device: Vec<_> = (2..7)
            .map(|i| event(json!({"id": format!("r{i}"), "status": {"errorCode": 50126}, "createdDateTime": format!("2026-11-20T0{i}:00:00Z")})))
            .collect();
        let d = check_with(wrong.clone(), &[], &same_device);
        assert!(
            d.headline.starts_with("An old password saved in"),
            "{}",
            d.headline
        );

        let spray: Vec<_> = (2..8)
            .map(|i| event(json!({"id": format!("s{i}"), "userPrincipalName": format!("user{i}@contoso.example"), "userId": format!("u{i}"), "status": {"errorCode": 50126}})))
            .collect();
        let d = check_with(wrong, &[], &spray);
        assert_eq!(d.verdict.as_str(), "suspicious");
        assert!(d.patterns.iter().any(|p| p.id == "password-spray"));
    }

    #[test]
    fn other_failures_are_not_this() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50053}})).scenario,
            "invalid-credentials"
        );
    }
}
