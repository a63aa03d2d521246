//! `mfa-not-completed`: MFA was denied, timed out, or reported as fraud.

use super::Rule;
use crate::diagnose::facts::mfa_text;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "mfa-not-completed",
    detects: "The MFA step failed: the user declined, did not answer, reported fraud, or the method failed. Repeated denials are MFA fatigue.",
    signals: "code 500121; status.additionalDetails and authentication step results; repeated 500121 around the sign-in",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if e.error_code() != 500121 {
        return None;
    }
    let l = cx.lang();
    let text = mfa_text(e);
    let fraud = text.contains("fraud");
    let denied = text.contains("denied") || text.contains("declined");
    let timeout = text.contains("timed out")
        || text.contains("did not respond")
        || text.contains("no response");
    let why = if fraud {
        t!(l, "mfa-not-completed.why-fraud")
    } else if denied {
        t!(l, "mfa-not-completed.why-denied")
    } else if timeout {
        t!(l, "mfa-not-completed.why-timeout")
    } else {
        t!(l, "mfa-not-completed.why-other")
    };
    let suspicious = fraud || patterns.mfa_fatigue;
    let headline = if patterns.mfa_fatigue {
        t!(l, "mfa-not-completed.headline-fatigue")
    } else {
        t!(l, "mfa-not-completed.headline", why = why)
    };
    let what = if suspicious {
        t!(l, "mfa-not-completed.what-suspicious", why = why)
    } else {
        t!(l, "mfa-not-completed.what", why = why)
    };
    let mut f = Finding::new(e, headline, what)
        .evidence(
            "status.additionalDetails",
            e.status.additional_details.clone().unwrap_or_default(),
        )
        .evidence(
            &t!(l, "evidence.mfa-denials"),
            if patterns.mfa_denials > 1 {
                patterns.mfa_denials.to_string()
            } else {
                String::new()
            },
        );
    if suspicious {
        f = f
            .verdict(Verdict::Suspicious)
            .admin(t!(l, "mfa-not-completed.suspicious.admin"))
            .admin(t!(l, "mfa-not-completed.suspicious.admin-2"))
            .user(t!(l, "mfa-not-completed.suspicious.user"));
    } else {
        f = f
            .user(t!(l, "mfa-not-completed.retry.user"))
            .admin(t!(l, "mfa-not-completed.retry.admin"))
            .admin(t!(l, "mfa-not-completed.retry.admin-2"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::{check, check_with, event};
    use serde_json::json;

    #[test]
    fn a_single_denial_is_a_failure_and_repeated_ones_are_fatigue() {
        let denial = json!({"status": {"errorCode": 500121, "additionalDetails": "MFA denied; user declined the authentication"}});
        let d = check(denial.clone());
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("mfa-not-completed", "failure")
        );
        assert!(d.headline.contains("denied"));
        let others: Vec<_> = (2..5)
            .map(|i| event(json!({"id": format!("req-{i}"), "status": {"errorCode": 500121}, "createdDateTime": format!("2026-11-20T09:5{i}:00Z")})))
            .collect();
        let d = check_with(denial, &[], &others);
        assert_eq!(d.verdict.as_str(), "suspicious");
        assert!(d.patterns.iter().any(|p| p.id == "mfa-fatigue"));
    }

    #[test]
    fn a_new_country_and_network_are_noticed() {
        let usual: Vec<_> = (2..4)
            .map(|i| event(json!({"id": format!("ok-{i}"), "autonomousSystemNumber": 1136, "location": {"countryOrRegion": "NL"}})))
            .collect();
        let d = check_with(
            json!({"status": {"errorCode": 500121}, "autonomousSystemNumber": 64500, "location": {"countryOrRegion": "RO"}}),
            &[],
            &usual,
        );
        let ids: Vec<&str> = d.patterns.iter().map(|p| p.id).collect();
        assert!(
            ids.contains(&"new-country") && ids.contains(&"new-network"),
            "{ids:?}"
        );
    }

    #[test]
    fn fraud_reports_are_suspicious_and_other_codes_are_not_this() {
        let d = check(
            json!({"status": {"errorCode": 500121, "additionalDetails": "MFA denied; user reported fraud"}}),
        );
        assert_eq!(d.verdict.as_str(), "suspicious");
        assert_ne!(
            check(json!({"status": {"errorCode": 50074}})).scenario,
            "mfa-not-completed"
        );
    }
}
