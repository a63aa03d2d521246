//! `benign-interrupt`: an expected interruption — a prompt, a silent sign-in that needs the
//! user, or an MFA prompt that the same attempt later satisfied.

use super::Rule;
use crate::diagnose::chain::resolved_later;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "benign-interrupt",
    detects: "An expected interruption that is part of a normal sign-in: stay signed in, silent sign-in not possible, device authentication, account picker, Seamless SSO skipped, redirect confirmation, or an MFA prompt later satisfied.",
    signals: "codes 50140, 50058, 50097, 16000, 16001, 81012, 50199, 50125, 50158, 90095; 50074/50076 followed by a success with the same correlation ID",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
    let code = e.error_code();
    let later = resolved_later(e, cx.chain);
    let (headline, what) = match code {
        50140 => (
            t!(l, "benign-interrupt.stay-signed-in.headline"),
            t!(l, "benign-interrupt.stay-signed-in.what"),
        ),
        50058 => (
            t!(l, "benign-interrupt.silent.headline"),
            t!(l, "benign-interrupt.silent.what"),
        ),
        50097 => (
            t!(l, "benign-interrupt.device.headline"),
            t!(l, "benign-interrupt.device.what"),
        ),
        16000 | 16001 => (
            t!(l, "benign-interrupt.account-picker.headline"),
            t!(l, "benign-interrupt.account-picker.what"),
        ),
        81012 => (
            t!(l, "benign-interrupt.sso-skipped.headline"),
            t!(l, "benign-interrupt.sso-skipped.what"),
        ),
        50199 => (
            t!(l, "benign-interrupt.redirect.headline"),
            t!(l, "benign-interrupt.redirect.what"),
        ),
        50125 => (
            t!(l, "benign-interrupt.password-reset.headline"),
            t!(l, "benign-interrupt.password-reset.what"),
        ),
        50158 => (
            t!(l, "benign-interrupt.external.headline"),
            t!(l, "benign-interrupt.external.what"),
        ),
        90095 => (
            t!(l, "benign-interrupt.consent-request.headline"),
            t!(l, "benign-interrupt.consent-request.what"),
        ),
        50074 | 50076 if later => (
            t!(l, "benign-interrupt.mfa-then-success.headline"),
            t!(l, "benign-interrupt.mfa-then-success.what"),
        ),
        _ if later && e.outcome() == crate::Outcome::Interrupted => (
            t!(l, "benign-interrupt.then-success.headline"),
            t!(l, "benign-interrupt.then-success.what"),
        ),
        _ => return None,
    };
    let mut f = Finding::new(e, headline, what).verdict(Verdict::Interrupted);
    if later {
        f = f.verdict(Verdict::Success).evidence(
            &t!(l, "evidence.later-in-attempt"),
            Verdict::Success.label(l),
        );
    }
    Some(
        f.admin(t!(l, "benign-interrupt.admin"))
            .user(t!(l, "benign-interrupt.user")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::{check, check_with, event};
    use serde_json::json;

    #[test]
    fn expected_prompts_are_benign() {
        let d = check(json!({"status": {"errorCode": 50140}}));
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("benign-interrupt", "interrupted")
        );
        let later = event(json!({"id": "req-2", "createdDateTime": "2026-11-20T10:00:20Z"}));
        let d = check_with(json!({"status": {"errorCode": 50074}}), &[later], &[]);
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("benign-interrupt", "success")
        );
    }

    #[test]
    fn an_mfa_prompt_never_satisfied_is_not_benign() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50074}})).scenario,
            "benign-interrupt"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "benign-interrupt"
        );
    }
}
