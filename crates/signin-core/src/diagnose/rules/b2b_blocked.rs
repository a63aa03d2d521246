//! `b2b-blocked`: a guest or cross-tenant sign-in was blocked.

use super::Rule;
use crate::diagnose::facts::{failed_policies, policy_name};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::{SignInEvent, UserType};

pub const RULE: Rule = Rule {
    id: "b2b-blocked",
    detects: "A guest or a user from another organisation was blocked: not invited, cross-tenant settings, or Conditional Access for guests.",
    signals: "codes 50020, 90072, 500212, 500213; userType guest, crossTenantAccessType or a home tenant other than the resource tenant with 53003/53000/53001",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    let external = e.user_type == Some(UserType::Guest)
        || e.cross_tenant_access_type
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains("b2b"))
        || matches!((&e.home_tenant_id, &e.resource_tenant_id), (Some(h), Some(r)) if !h.is_empty() && !r.is_empty() && !h.eq_ignore_ascii_case(r));
    let who = e.user_principal_name.clone().unwrap_or_default();
    let f = match code {
        50020 | 90072 => Finding::new(
            e,
            "This account is not a guest in the tenant",
            format!("{who} belongs to another organisation and has not been invited to this one (or the invitation was for another address)."),
        )
        .user("Sign in with the address the invitation was sent to")
        .admin("Invite the user as a guest, or check which address they were invited with"),
        500212 => Finding::new(e, "The guest's own organisation does not allow this access", "The user's home organisation blocks its users from signing in to this tenant (its outbound cross-tenant access settings).")
            .user("Ask your own IT department to allow access to this organisation")
            .admin("Contact the other organisation's administrators; their outbound settings decide this"),
        500213 => Finding::new(e, "Cross-tenant settings do not allow this organisation", "This tenant's inbound cross-tenant access settings do not allow users from the guest's organisation.")
            .admin("Review inbound cross-tenant access settings for the guest's organisation"),
        53003 | 53000 | 53001 if external => {
            let policies: Vec<String> = failed_policies(e).map(|p| format!("\"{}\"", policy_name(p))).collect();
            Finding::new(
                e,
                "A Conditional Access policy blocked a guest",
                format!("A policy that applies to guests was not satisfied{}. Guests often cannot meet device requirements because their device is managed by their own organisation.",
                    if policies.is_empty() { String::new() } else { format!(": {}", policies.join(", ")) }),
            )
            .admin("Decide whether guests should meet this policy; if so, trust their organisation's MFA and compliant devices in cross-tenant access settings")
            .admin("Otherwise exclude guests from the device requirement")
        }
        _ => return None,
    };
    Some(
        f.evidence(
            "userType",
            e.user_type
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
        )
        .evidence(
            "crossTenantAccessType",
            e.cross_tenant_access_type.clone().unwrap_or_default(),
        )
        .evidence("homeTenantId", e.home_tenant_id.clone().unwrap_or_default()),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn uninvited_and_blocked_guests() {
        assert_eq!(
            check(json!({"status": {"errorCode": 50020}})).scenario,
            "b2b-blocked"
        );
        let d = check(json!({"status": {"errorCode": 53000}, "userType": "Guest",
            "appliedConditionalAccessPolicies": [{"displayName": "Compliant devices", "result": "failure", "enforcedGrantControls": ["CompliantDevice"]}]}));
        assert_eq!(d.scenario, "b2b-blocked");
        assert!(d.what_happened.contains("\"Compliant devices\""));
    }

    #[test]
    fn a_member_not_compliant_is_not_this() {
        assert_ne!(
            check(json!({"status": {"errorCode": 53000}, "userType": "member"})).scenario,
            "b2b-blocked"
        );
    }
}
