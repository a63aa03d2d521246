//! `ca-grant-not-met`: a Conditional Access grant control other than MFA was not met
//! (compliant or joined device, approved app, device platform).

use super::Rule;
use crate::diagnose::facts::{failed_policies, has_grant, policy_name};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "ca-grant-not-met",
    detects: "A Conditional Access requirement was not met: a compliant or domain-joined device, an approved app, a supported platform.",
    signals: "codes 53000, 53001, 53002, 530002, 530003, 50005, 50131; a failed policy whose grant is not Block or MFA",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
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
    let device = e.device_detail.clone().unwrap_or_default();
    let names = failing
        .iter()
        .map(|p| format!("\"{}\"", policy_name(p)))
        .collect::<Vec<_>>()
        .join(", ");
    let grants = failing
        .iter()
        .flat_map(|p| p.enforced_grant_controls.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let (headline, what, user, admin) = match code {
        53000 | 530002 => (
            "The device is not compliant".to_string(),
            "A policy requires a device that Intune reports as compliant; this device is not (or is not managed at all).",
            "Use a company device, or enrol this one with the Company Portal app and fix what it reports",
            "Check the device in Intune: is it enrolled, and which compliance setting fails?",
        ),
        53001 => (
            "The device is not domain-joined".to_string(),
            "A policy requires a (hybrid) domain-joined device; this one is not.",
            "Use your company computer",
            "Check the device's join state; finish hybrid join if it is a company device",
        ),
        53002 => (
            "The app is not an approved app".to_string(),
            "A policy allows only approved client apps (such as Outlook mobile) for this resource.",
            "Use the approved app, for example Outlook instead of the phone's built-in mail app",
            "Review the approved client app requirement",
        ),
        530003 => (
            "The device is not managed".to_string(),
            "The resource requires a managed device.",
            "Use a managed company device and a supported browser",
            "Check the device's management state",
        ),
        50005 => (
            "This device platform is not allowed".to_string(),
            "A policy does not allow sign-ins from this device platform.",
            "Use a supported device",
            "Review the policy's device platform condition",
        ),
        _ => (
            "A Conditional Access requirement was not met".to_string(),
            "A policy's grant controls were not satisfied by this sign-in.",
            "Try from a company device, or ask IT what the policy requires",
            "Open the failed policy to see which grant control was not met",
        ),
    };
    Some(
        Finding::new(
            e,
            format!(
                "{headline}{}",
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({names})")
                }
            ),
            what,
        )
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
        .admin("If the policy should not apply to this user or app, adjust its assignments"),
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
