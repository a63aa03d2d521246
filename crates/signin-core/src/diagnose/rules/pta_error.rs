//! `pta-error`: a pass-through authentication agent problem.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "pta-error",
    detects: "The pass-through authentication agent could not check the password with on-premises Active Directory.",
    signals: "codes 80001–80014",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !(80001..=80014).contains(&code) {
        return None;
    }
    let l = cx.lang();
    let detail = match code {
        80012 => t!(l, "pta-error.detail-logon-hours"),
        80013 => t!(l, "pta-error.detail-clock"),
        80002 | 80014 => t!(l, "pta-error.detail-timeout"),
        80001 => t!(l, "pta-error.detail-unreachable"),
        _ => t!(l, "pta-error.detail-other"),
    };
    Some(
        Finding::new(
            e,
            t!(l, "pta-error.headline"),
            t!(l, "pta-error.what", detail = detail),
        )
        .user(t!(l, "pta-error.user"))
        .admin(t!(l, "pta-error.admin"))
        .admin(if code == 80013 {
            t!(l, "pta-error.admin-clock")
        } else {
            t!(l, "pta-error.admin-agents")
        }),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn pta_codes() {
        assert_eq!(
            check(json!({"status": {"errorCode": 80013}})).scenario,
            "pta-error"
        );
        assert_eq!(
            check(json!({"status": {"errorCode": 80001}})).scenario,
            "pta-error"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 81010}})).scenario,
            "pta-error"
        );
    }
}
