//! `benign-interrupt`: an expected interruption — a prompt, a silent sign-in that needs the
//! user, or an MFA prompt that the same attempt later satisfied.

use super::Rule;
use crate::diagnose::chain::resolved_later;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "benign-interrupt",
    detects: "An expected interruption that is part of a normal sign-in: stay signed in, silent sign-in not possible, device authentication, account picker, Seamless SSO skipped, redirect confirmation, or an MFA prompt later satisfied.",
    signals: "codes 50140, 50058, 50097, 16000, 16001, 81012, 50199, 50125, 50158, 90095; 50074/50076 followed by a success with the same correlation ID",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    let later = resolved_later(e, cx.chain);
    let (headline, what) = match code {
        50140 => (
            "The 'Stay signed in?' prompt",
            "Entra asked whether to stay signed in. This is a normal prompt, not an error.",
        ),
        50058 => (
            "A silent sign-in needed the user",
            "An app tried to sign in silently and found no session, so the user had to sign in. This is normal.",
        ),
        50097 => (
            "The device was asked to identify itself",
            "Entra asked the device to prove its identity, a normal step.",
        ),
        16000 | 16001 => (
            "The account picker",
            "Entra asked the user which account to use. This is normal.",
        ),
        81012 => (
            "Seamless SSO skipped",
            "The person signed in to Windows is not the one signing in now, so seamless single sign-on was skipped. This is harmless.",
        ),
        50199 => (
            "A redirect confirmation",
            "The user was asked to confirm going back to the app. This is a safety prompt, not an error.",
        ),
        50125 => (
            "A password reset step",
            "The sign-in paused for a password reset or for password reset registration.",
        ),
        50158 => (
            "An external check",
            "A third-party check (terms of use, custom control or external MFA) was shown.",
        ),
        90095 => (
            "An admin consent request",
            "The user was offered to ask an administrator to approve the app.",
        ),
        50074 | 50076 if later => (
            "An MFA prompt, then success",
            "MFA was required, the user completed it, and the same sign-in attempt then succeeded.",
        ),
        _ if later && e.outcome() == crate::Outcome::Interrupted => (
            "An interruption, then success",
            "The sign-in was interrupted, and the same attempt then succeeded.",
        ),
        _ => return None,
    };
    let mut f = Finding::new(e, headline, what).verdict(Verdict::Interrupted);
    if later {
        f = f
            .verdict(Verdict::Success)
            .evidence("later in the same attempt", "success");
    }
    Some(
        f.admin("No action needed unless the user reports that it keeps repeating")
            .user("Nothing to do; answer the prompt if it appears"),
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
