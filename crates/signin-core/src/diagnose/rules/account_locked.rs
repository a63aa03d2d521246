//! `account-locked`: the account is locked — by smart lockout after wrong passwords, or
//! because the attempt came from a known malicious address (the failure reason tells which).

use super::Rule;
use crate::diagnose::facts::{app, reason};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding, Verdict};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "account-locked",
    detects: "The account is locked: smart lockout after repeated wrong passwords, or a sign-in from a known malicious IP address.",
    signals: "code 50053 with its failure reason; lockouts, same-source failures and spray around the sign-in",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, patterns: &Patterns) -> Option<Finding> {
    if e.error_code() != 50053 {
        return None;
    }
    let l = cx.lang();
    let malicious = reason(e).contains("malicious");
    let ip = e.ip_address.clone().unwrap_or_default();
    let f = if malicious {
        Finding::new(
            e,
            t!(l, "account-locked.malicious.headline"),
            t!(l, "account-locked.malicious.what", ip = ip),
        )
        .verdict(Verdict::Suspicious)
        .admin(t!(l, "account-locked.malicious.admin"))
    } else if patterns.spray {
        Finding::new(
            e,
            t!(l, "account-locked.spray.headline"),
            t!(l, "account-locked.spray.what", ip = ip),
        )
        .verdict(Verdict::Suspicious)
        .admin(t!(l, "account-locked.spray.admin"))
        .admin(t!(l, "account-locked.spray.admin-2"))
    } else if patterns.stale_password {
        Finding::new(
            e,
            t!(l, "account-locked.stale.headline"),
            t!(l, "account-locked.stale.what", app = app(e, l), ip = ip),
        )
        .user(t!(l, "account-locked.stale.user"))
        .admin(t!(l, "account-locked.stale.admin"))
    } else {
        Finding::new(
            e,
            t!(l, "account-locked.plain.headline"),
            t!(l, "account-locked.plain.what"),
        )
        .user(t!(l, "account-locked.plain.user"))
        .admin(t!(l, "account-locked.plain.admin"))
    };
    Some(
        f.evidence(
            "status.failureReason",
            e.status.failure_reason.clone().unwrap_or_default(),
        )
        .evidence("ipAddress", ip)
        .evidence(&t!(l, "evidence.lockouts"), patterns.lockouts)
        .evidence(
            &t!(l, "evidence.accounts-failing-from-ip"),
            patterns.accounts_failing_from_ip,
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn lockout_and_malicious_address_are_told_apart() {
        let d = check(
            json!({"status": {"errorCode": 50053, "failureReason": "Account is locked because user tried to sign in too many times with an incorrect user ID or password."}}),
        );
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("account-locked", "failure")
        );
        let d = check(
            json!({"status": {"errorCode": 50053, "failureReason": "Sign-in was blocked because it came from an IP address with malicious activity"}}),
        );
        assert_eq!(
            (d.scenario, d.verdict.as_str()),
            ("account-locked", "suspicious")
        );
    }

    #[test]
    fn repeated_failures_are_counted_by_app_address_and_device() {
        use crate::diagnose::test_support::{check_with, event};
        let device = json!({"deviceId": "d-1"});
        let others: Vec<_> = (2..5)
            .map(|i| event(json!({"id": format!("r{i}"), "status": {"errorCode": 50126}, "deviceDetail": device.clone(),
                "ipAddress": if i == 4 { "198.51.100.9" } else { "192.0.2.1" }})))
            .collect();
        let d = check_with(
            json!({"status": {"errorCode": 50053}, "ipAddress": "192.0.2.1", "deviceDetail": device}),
            &[],
            &others,
        );
        let note = d
            .patterns
            .iter()
            .find(|p| p.id == "repeated-failures")
            .unwrap();
        assert_eq!(
            note.text,
            "This user failed to sign in 4 times in the 48 hours around this sign-in (4 from this application, 3 from this address, 4 from this device)."
        );
    }

    #[test]
    fn a_wrong_password_is_not_a_lockout() {
        assert_ne!(
            check(json!({"status": {"errorCode": 50126}})).scenario,
            "account-locked"
        );
    }
}
