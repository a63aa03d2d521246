//! `b2b-blocked`: a guest or cross-tenant sign-in was blocked.

use super::Rule;
use crate::diagnose::facts::{failed_policies, policy_name};
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::messages::t;
use crate::model::{SignInEvent, UserType};

pub const RULE: Rule = Rule {
    id: "b2b-blocked",
    detects: "A guest or a user from another organisation was blocked: not invited, cross-tenant settings, or Conditional Access for guests.",
    signals: "codes 50020, 90072, 500212, 500213; userType guest, crossTenantAccessType or a home tenant other than the resource tenant with 53003/53000/53001",
    check,
};

fn check(e: &SignInEvent, cx: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let l = cx.lang();
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
            t!(l, "b2b-blocked.not-invited.headline"),
            t!(l, "b2b-blocked.not-invited.what", who = who),
        )
        .user(t!(l, "b2b-blocked.not-invited.user"))
        .admin(t!(l, "b2b-blocked.not-invited.admin")),
        500212 => Finding::new(
            e,
            t!(l, "b2b-blocked.home-outbound.headline"),
            t!(l, "b2b-blocked.home-outbound.what"),
        )
        .user(t!(l, "b2b-blocked.home-outbound.user"))
        .admin(t!(l, "b2b-blocked.home-outbound.admin")),
        500213 => Finding::new(
            e,
            t!(l, "b2b-blocked.inbound.headline"),
            t!(l, "b2b-blocked.inbound.what"),
        )
        .admin(t!(l, "b2b-blocked.inbound.admin")),
        53003 | 53000 | 53001 if external => {
            let policies: Vec<String> = failed_policies(e)
                .map(|p| format!("\"{}\"", policy_name(p, l)))
                .collect();
            let what = if policies.is_empty() {
                t!(l, "b2b-blocked.policy.what")
            } else {
                t!(
                    l,
                    "b2b-blocked.policy.what-named",
                    names = policies.join(", ")
                )
            };
            Finding::new(e, t!(l, "b2b-blocked.policy.headline"), what)
                .admin(t!(l, "b2b-blocked.policy.admin"))
                .admin(t!(l, "b2b-blocked.policy.admin-2"))
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
