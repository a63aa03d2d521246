//! `ca-grant-not-met`: a Conditional Access grant control other than MFA was not met
//! (compliant or joined device, approved app, device platform).

use super::Rule;
use crate::diagnose::facts::{failed_policies, has_grant, policy_name};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "ca-grant-not-met",
    detects: "A Conditional Access requirement was not met: a compliant or domain-joined device, an approved app, a supported platform.",
    signals: "codes 53000, 53001, 53002, 530002, 530003, 50005, 50131; a failed policy whose grant is not Block or MFA",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    let failing: Vec<_> = failed_policies(e)
        .filter(|p| !has_grant(p, "block") && !has_grant(p, "mfa"))
        .collect();
    if !matches!(
        code,
        53000 | 53001 | 53002 | 530002 | 530003 | 50005 | 50131
    ) && (failing.is_empty() || code == 0)
    {
        return None;
    }
    let l = cx.lang();
    let device = e.device_detail.clone().unwrap_or_default();
    let names = failing
        .iter()
        .map(|p| format!("\"{}\"", policy_name(p, l)))
        .collect::<Vec<_>>()
        .join(", ");
    let grants = failing
        .iter()
        .flat_map(|p| p.enforced_grant_controls.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let (headline, what, user, admin) = match code {
        53000 | 530002 => (
            t!(l, "ca-grant-not-met.not-compliant.headline"),
            t!(l, "ca-grant-not-met.not-compliant.what"),
            t!(l, "ca-grant-not-met.not-compliant.user"),
            t!(l, "ca-grant-not-met.not-compliant.admin"),
        ),
        53001 => (
            t!(l, "ca-grant-not-met.not-joined.headline"),
            t!(l, "ca-grant-not-met.not-joined.what"),
            t!(l, "ca-grant-not-met.not-joined.user"),
            t!(l, "ca-grant-not-met.not-joined.admin"),
        ),
        53002 => (
            t!(l, "ca-grant-not-met.unapproved-app.headline"),
            t!(l, "ca-grant-not-met.unapproved-app.what"),
            t!(l, "ca-grant-not-met.unapproved-app.user"),
            t!(l, "ca-grant-not-met.unapproved-app.admin"),
        ),
        530003 => (
            t!(l, "ca-grant-not-met.unmanaged.headline"),
            t!(l, "ca-grant-not-met.unmanaged.what"),
            t!(l, "ca-grant-not-met.unmanaged.user"),
            t!(l, "ca-grant-not-met.unmanaged.admin"),
        ),
        50005 => (
            t!(l, "ca-grant-not-met.platform.headline"),
            t!(l, "ca-grant-not-met.platform.what"),
            t!(l, "ca-grant-not-met.platform.user"),
            t!(l, "ca-grant-not-met.platform.admin"),
        ),
        _ => (
            t!(l, "ca-grant-not-met.other.headline"),
            t!(l, "ca-grant-not-met.other.what"),
            t!(l, "ca-grant-not-met.other.user"),
            t!(l, "ca-grant-not-met.other.admin"),
        ),
    };
    let headline = if names.is_empty() {
        headline
    } else {
        format!("{headline} ({names})")
    };
    Some(
        Finding::new(e, headline, what)
            .evidence("appliedConditionalAccessPolicies", names)
            .evidence("enforcedGrantControls", grants)
            .evidence(
                "deviceDetail.isCompliant",
                device
                    .is_compliant
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            )
            .evidence(
                "deviceDetail.isManaged",
                device.is_managed.map(|b| b.to_string()).unwrap_or_default(),
            )
            .evidence(
                "deviceDetail.trustType",
                device.trust_type.unwrap_or_default(),
            )
            .evidence(
                "deviceDetail.operatingSystem",
                device.operating_system.unwrap_or_default(),
            )
            .user(user)
            .admin(admin)
            .admin(t!(l, "ca-grant-not-met.admin-2")),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn a_non_compliant_device_is_explained_with_its_state() {
        let d = check(
            json!({"status": {"errorCode": 53000}, "deviceDetail": {"isCompliant": false, "isManaged": false, "operatingSystem": "Windows10"},
            "appliedConditionalAccessPolicies": [{"displayName": "Compliant device for Azure", "result": "failure", "enforcedGrantControls": ["CompliantDevice"]}]}),
        );
        assert_eq!(d.scenario, "ca-grant-not-met");
        assert_eq!(
            d.headline,
            "The device is not compliant (\"Compliant device for Azure\")"
        );
        assert!(
            d.evidence
                .iter()
                .any(|e| e.field == "deviceDetail.isCompliant" && e.value == "false")
        );
        assert_eq!(
            check(json!({"status": {"errorCode": 53002}})).scenario,
            "ca-grant-not-met"
        );
    }

    #[test]
    fn mfa_grants_are_left_to_the_mfa_rules() {
        let d = check(json!({"status": {"errorCode": 50074},
            "appliedConditionalAccessPolicies": [{"displayName": "MFA", "result": "failure", "enforcedGrantControls": ["Mfa"]}]}));
        assert_ne!(d.scenario, "ca-grant-not-met");
    }
}
