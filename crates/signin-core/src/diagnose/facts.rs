//! Questions rules ask about a sign-in.

use crate::lang::Lang;
use crate::messages::t;
use crate::model::{
    AppliedConditionalAccessPolicy, PolicyResult, RequirementProvider, SignInEvent,
};

/// Client apps that use legacy (basic) authentication.
const LEGACY_CLIENTS: &[&str] = &[
    "authenticated smtp",
    "autodiscover",
    "exchange activesync",
    "exchange online powershell",
    "exchange web services",
    "imap4",
    "imap",
    "mapi over http",
    "offline address book",
    "other clients",
    "outlook anywhere (rpc over http)",
    "outlook service",
    "pop3",
    "pop",
    "reporting web services",
];

pub(crate) fn is_legacy_client(event: &SignInEvent) -> bool {
    event
        .client_app_used
        .as_deref()
        .is_some_and(|c| LEGACY_CLIENTS.contains(&c.trim().to_lowercase().as_str()))
}

/// Policies that applied and failed.
pub(crate) fn failed_policies(
    event: &SignInEvent,
) -> impl Iterator<Item = &AppliedConditionalAccessPolicy> {
    event
        .applied_conditional_access_policies
        .iter()
        .filter(|p| p.result == Some(PolicyResult::Failure))
}

/// Failed policies whose grant is Block.
pub(crate) fn blocking_policies(event: &SignInEvent) -> Vec<&AppliedConditionalAccessPolicy> {
    failed_policies(event)
        .filter(|p| has_grant(p, "block"))
        .collect()
}

/// Report-only policies that would have failed.
pub(crate) fn report_only_failures(event: &SignInEvent) -> Vec<&AppliedConditionalAccessPolicy> {
    event
        .applied_conditional_access_policies
        .iter()
        .filter(|p| p.result == Some(PolicyResult::ReportOnlyFailure))
        .collect()
}

pub(crate) fn has_grant(policy: &AppliedConditionalAccessPolicy, grant: &str) -> bool {
    policy
        .enforced_grant_controls
        .iter()
        .any(|g| g.eq_ignore_ascii_case(grant))
}

/// "Name" or "Name (id)" for messages.
pub(crate) fn policy_name(policy: &AppliedConditionalAccessPolicy, lang: Lang) -> String {
    policy
        .display_name
        .clone()
        .or_else(|| policy.id.clone())
        .unwrap_or_else(|| t!(lang, "common.unnamed-policy"))
}

/// Names of several policies, quoted and joined.
pub(crate) fn policy_names(policies: &[&AppliedConditionalAccessPolicy], lang: Lang) -> String {
    policies
        .iter()
        .map(|p| format!("\"{}\"", policy_name(p, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who required authentication beyond a password.
pub(crate) fn requirement_providers(event: &SignInEvent) -> Vec<&RequirementProvider> {
    event
        .authentication_requirement_policies
        .iter()
        .filter_map(|p| p.requirement_provider.as_ref())
        .collect()
}

pub(crate) fn is_conditional_access_provider(provider: &RequirementProvider) -> bool {
    matches!(
        provider,
        RequirementProvider::MultiConditionalAccess
            | RequirementProvider::V1ConditionalAccess
            | RequirementProvider::V1ConditionalAccessDependency
            | RequirementProvider::V1ConditionalAccessPolicyIdRequested
            | RequirementProvider::MfaRegistrationRequiredByMultiConditionalAccess
            | RequirementProvider::AuthenticationStrengths
    )
}

/// The requirement provider in words an admin knows.
pub(crate) fn provider_in_words(provider: &RequirementProvider, lang: Lang) -> String {
    match provider {
        RequirementProvider::User => t!(lang, "provider.user"),
        RequirementProvider::Request => t!(lang, "provider.request"),
        RequirementProvider::SecurityDefaults
        | RequirementProvider::MfaRegistrationRequiredBySecurityDefaults => {
            t!(lang, "provider.security-defaults")
        }
        RequirementProvider::RiskBasedPolicy
        | RequirementProvider::TenantSessionRiskPolicy
        | RequirementProvider::AccountCompromisePolicies
        | RequirementProvider::MfaRegistrationRequiredByIdentityProtectionPolicy => {
            t!(lang, "provider.risk-policy")
        }
        RequirementProvider::EnforcedForCspAdmins => t!(lang, "provider.csp-admins"),
        RequirementProvider::BaselineProtection
        | RequirementProvider::MfaRegistrationRequiredByBaselineProtection => {
            t!(lang, "provider.baseline")
        }
        RequirementProvider::ServicePrincipal => t!(lang, "provider.service-principal"),
        RequirementProvider::CrossTenantOutboundRule => t!(lang, "provider.cross-tenant"),
        other if is_conditional_access_provider(other) => t!(lang, "provider.conditional-access"),
        other => t!(lang, "provider.other", kind = other),
    }
}

/// The user as a message names them.
pub(crate) fn who(event: &SignInEvent, lang: Lang) -> String {
    event
        .user_display_name
        .clone()
        .or_else(|| event.user_principal_name.clone())
        .or_else(|| event.service_principal_name.clone())
        .unwrap_or_else(|| t!(lang, "common.the-account"))
}

/// The application as a message names it.
pub(crate) fn app(event: &SignInEvent, lang: Lang) -> String {
    event
        .app_display_name
        .clone()
        .or_else(|| event.app_id.clone())
        .unwrap_or_else(|| t!(lang, "common.the-application"))
}

/// The failure reason text, lower case, for reading what Entra said.
pub(crate) fn reason(event: &SignInEvent) -> String {
    event
        .status
        .failure_reason
        .clone()
        .unwrap_or_default()
        .to_lowercase()
}

/// Additional details and the MFA step results, lower case.
pub(crate) fn mfa_text(event: &SignInEvent) -> String {
    let mut text = event.status.additional_details.clone().unwrap_or_default();
    for step in &event.authentication_details {
        text.push(' ');
        text.push_str(
            step.authentication_step_result_detail
                .as_deref()
                .unwrap_or(""),
        );
    }
    text.to_lowercase()
}
