//! The canonical sign-in record.
//!
//! [`SignInEvent`] follows the Microsoft Graph **beta** `signIn` resource, the richest shape Entra
//! produces; every importer maps its format onto it. Three promises hold for every field:
//!
//! - **Nothing is dropped.** Properties this version does not model land in `extra`, at every
//!   level, and are written back out when the record is serialised.
//! - **New enum members are kept.** Evolvable enums are [`open_enum`]s with an `Other(String)`.
//! - **Types are forgiving, not guessing.** Numbers written as text and `null` lists are
//!   accepted; a value that means something else is an error the importer reports.

mod lenient;
pub(crate) mod open_enum;

use chrono::{DateTime, Utc};
use open_enum::open_enum;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Unmodelled properties of an object, kept in arrival order.
pub type Extra = Map<String, Value>;

open_enum! {
    /// Overall Conditional Access outcome of a sign-in.
    pub enum ConditionalAccessStatus {
        Success => "success",
        Failure => "failure",
        NotApplied => "notApplied",
        UnknownFutureValue => "unknownFutureValue",
    }
}

open_enum! {
    /// What one Conditional Access policy did to a sign-in.
    pub enum PolicyResult {
        Success => "success",
        Failure => "failure",
        NotApplied => "notApplied",
        NotEnabled => "notEnabled",
        Unknown => "unknown",
        UnknownFutureValue => "unknownFutureValue",
        ReportOnlySuccess => "reportOnlySuccess",
        ReportOnlyFailure => "reportOnlyFailure",
        ReportOnlyNotApplied => "reportOnlyNotApplied",
        ReportOnlyInterrupted => "reportOnlyInterrupted",
    }
}

open_enum! {
    /// Risk level of a sign-in.
    pub enum RiskLevel {
        None => "none",
        Low => "low",
        Medium => "medium",
        High => "high",
        Hidden => "hidden",
        UnknownFutureValue => "unknownFutureValue",
    }
}

open_enum! {
    /// Risk state of the user at sign-in.
    pub enum RiskState {
        None => "none",
        ConfirmedSafe => "confirmedSafe",
        Remediated => "remediated",
        Dismissed => "dismissed",
        AtRisk => "atRisk",
        ConfirmedCompromised => "confirmedCompromised",
        UnknownFutureValue => "unknownFutureValue",
    }
}

open_enum! {
    /// Member or guest.
    pub enum UserType {
        Member => "member",
        Guest => "guest",
        UnknownFutureValue => "unknownFutureValue",
    }
}

open_enum! {
    /// Which of the four sign-in logs an event belongs to.
    pub enum SignInEventType {
        InteractiveUser => "interactiveUser",
        NonInteractiveUser => "nonInteractiveUser",
        ServicePrincipal => "servicePrincipal",
        ManagedIdentity => "managedIdentity",
        UnknownFutureValue => "unknownFutureValue",
    }
}

open_enum! {
    /// The highest authentication level a sign-in needed.
    pub enum AuthenticationRequirement {
        SingleFactor => "singleFactorAuthentication",
        MultiFactor => "multiFactorAuthentication",
    }
}

open_enum! {
    /// Why authentication (usually MFA) was required: the key to "MFA from Conditional Access
    /// or from something else".
    pub enum RequirementProvider {
        User => "user",
        Request => "request",
        ServicePrincipal => "servicePrincipal",
        V1ConditionalAccess => "v1ConditionalAccess",
        MultiConditionalAccess => "multiConditionalAccess",
        TenantSessionRiskPolicy => "tenantSessionRiskPolicy",
        AccountCompromisePolicies => "accountCompromisePolicies",
        V1ConditionalAccessDependency => "v1ConditionalAccessDependency",
        V1ConditionalAccessPolicyIdRequested => "v1ConditionalAccessPolicyIdRequested",
        MfaRegistrationRequiredByIdentityProtectionPolicy => "mfaRegistrationRequiredByIdentityProtectionPolicy",
        BaselineProtection => "baselineProtection",
        MfaRegistrationRequiredByBaselineProtection => "mfaRegistrationRequiredByBaselineProtection",
        MfaRegistrationRequiredByMultiConditionalAccess => "mfaRegistrationRequiredByMultiConditionalAccess",
        EnforcedForCspAdmins => "enforcedForCspAdmins",
        SecurityDefaults => "securityDefaults",
        MfaRegistrationRequiredBySecurityDefaults => "mfaRegistrationRequiredBySecurityDefaults",
        ProofUpCodeRequest => "proofUpCodeRequest",
        CrossTenantOutboundRule => "crossTenantOutboundRule",
        GpsLocationCondition => "gpsLocationCondition",
        RiskBasedPolicy => "riskBasedPolicy",
        UnknownFutureValue => "unknownFutureValue",
        ScopeBasedAuthRequirementPolicy => "scopeBasedAuthRequirementPolicy",
        AuthenticationStrengths => "authenticationStrengths",
    }
}

open_enum! {
    /// Who issued the token Entra accepted.
    pub enum TokenIssuerType {
        AzureAd => "AzureAD",
        AdFederationServices => "ADFederationServices",
        UnknownFutureValue => "UnknownFutureValue",
        AzureAdBackupAuth => "AzureADBackupAuth",
        AdFederationServicesMfaAdapter => "ADFederationServicesMFAAdapter",
        NpsExtension => "NPSExtension",
    }
}

open_enum! {
    /// How a service principal or managed identity proved itself.
    pub enum ClientCredentialType {
        None => "none",
        ClientSecret => "clientSecret",
        ClientAssertion => "clientAssertion",
        FederatedIdentityCredential => "federatedIdentityCredential",
        ManagedIdentity => "managedIdentity",
        Certificate => "certificate",
        UnknownFutureValue => "unknownFutureValue",
    }
}

/// One sign-in event: a row of the Entra sign-in logs.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInEvent {
    /// The request ID (the portal's "Request ID").
    pub id: String,
    /// When the sign-in happened (UTC).
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_date_time: DateTime<Utc>,

    // Who.
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_principal_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_in_identifier: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_in_identifier_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub home_tenant_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub home_tenant_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub cross_tenant_access_type: Option<String>,

    // What: the client application and the resource it wanted.
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_owner_tenant_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_tenant_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_owner_tenant_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_service_principal_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub azure_resource_id: Option<String>,

    // Service principals and managed identities.
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_principal_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_principal_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_principal_credential_key_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_principal_credential_thumbprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_credential_type: Option<ClientCredentialType>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub federated_credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_service_identity: Option<ManagedIdentity>,

    // Outcome.
    #[serde(default)]
    pub status: SignInStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditional_access_status: Option<ConditionalAccessStatus>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub applied_conditional_access_policies: Vec<AppliedConditionalAccessPolicy>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub conditional_access_audiences: Vec<Value>,

    // How: authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_requirement: Option<AuthenticationRequirement>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub authentication_requirement_policies: Vec<AuthenticationRequirementPolicy>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub authentication_details: Vec<AuthenticationDetail>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub authentication_methods_used: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub authentication_processing_details: Vec<KeyValue>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub authentication_context_class_references: Vec<AuthenticationContext>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_protocol: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_detail: Option<MfaDetail>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub session_lifetime_policies: Vec<SessionLifetimePolicy>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub applied_event_listeners: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_app_device_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_app_policy_evaluation_details: Option<Value>,

    // Where from: client, device, network.
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_app_used: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_detail: Option<DeviceDetail>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip_address: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub ip_address_from_resource_provider: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub autonomous_system_number: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<SignInLocation>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub network_location_details: Vec<NetworkLocationDetail>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_through_global_secure_access: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub global_secure_access_ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_link_details: Option<Value>,

    // Risk.
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub risk_detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_level_aggregated: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_level_during_sign_in: Option<RiskLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_state: Option<RiskState>,
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub risk_event_types: Vec<String>,
    #[serde(
        rename = "riskEventTypes_v2",
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub risk_event_types_v2: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub flagged_for_review: Option<bool>,

    // Event kind, session and token.
    #[serde(
        default,
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub sign_in_event_types: Vec<SignInEventType>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_interactive: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub correlation_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub session_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub unique_token_identifier: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub incoming_token_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_transfer_method: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub token_issuer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_issuer_type: Option<TokenIssuerType>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub app_token_protection_status: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_in_token_protection_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_protection_status_details: Option<TokenProtectionStatusDetails>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_tenant_restricted: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub processing_time_in_milliseconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Value>,

    /// Properties this version does not model, kept as they arrived.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Error code and texts of a sign-in.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInStatus {
    /// The AADSTS number; 0 means success.
    #[serde(
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<i64>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub failure_reason: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_details: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One Conditional Access policy evaluated for the sign-in.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppliedConditionalAccessPolicy {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<PolicyResult>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub enforced_grant_controls: Vec<String>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub enforced_session_controls: Vec<String>,
    /// Flags text (`application,users`) in Graph; an integer bit set in Log Analytics.
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub conditions_satisfied: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub conditions_not_satisfied: Option<String>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub include_rules_satisfied: Vec<RuleSatisfied>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub exclude_rules_satisfied: Vec<RuleSatisfied>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_strength: Option<AuthenticationStrength>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which condition of a policy matched, and by which rule.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RuleSatisfied {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub conditional_access_condition: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub rule_satisfied: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The authentication strength a policy asked for, and whether it was met.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticationStrength {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_strength_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_strength_result: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One step of the authentication: password, MFA prompt, token claim.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticationDetail {
    #[serde(
        deserialize_with = "lenient::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_step_date_time: Option<DateTime<Utc>>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_method: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_method_detail: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub succeeded: Option<bool>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_step_result_detail: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub authentication_step_requirement: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why a level of authentication was required.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthenticationRequirementPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement_provider: Option<RequirementProvider>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A key and its value, as in `authenticationProcessingDetails`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct KeyValue {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub key: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An authentication context a policy asked for (`urn:microsoft:req1`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct AuthenticationContext {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The older MFA summary; deprecated by Microsoft but present in older data.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MfaDetail {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_method: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub auth_detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A session lifetime policy that applied (sign-in frequency, remember MFA, ...).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionLifetimePolicy {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_requirement: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The device the sign-in came from.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceDetail {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub device_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_system: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub browser: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_compliant: Option<bool>,
    #[serde(
        deserialize_with = "lenient::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_managed: Option<bool>,
    /// `Azure AD joined`, `Hybrid Azure AD joined`, `Azure AD registered`, or empty.
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub trust_type: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where the sign-in came from, as far as IP geolocation can tell.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInLocation {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub city: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub country_or_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geo_coordinates: Option<GeoCoordinates>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Latitude and longitude of a location.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct GeoCoordinates {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A named or trusted network the sign-in came from.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NetworkLocationDetail {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub network_type: Option<String>,
    #[serde(
        deserialize_with = "lenient::list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub network_names: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The managed identity behind a managed-identity sign-in.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ManagedIdentity {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub msi_type: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub associated_resource_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub federated_token_id: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub federated_token_issuer: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Token protection (token binding) outcome of the sign-in session.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TokenProtectionStatusDetails {
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_in_session_status: Option<String>,
    #[serde(
        deserialize_with = "lenient::opt_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub sign_in_session_status_code: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The portal's three-way status of a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Error code 0.
    Success,
    /// A prompt or flow step that normally resolves by itself (MFA prompt, "stay signed in").
    Interrupted,
    /// A real failure that needs someone to act.
    Failure,
}

impl Outcome {
    /// Stable lower-case name used on the command line, in JSON and in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Interrupted => "interrupted",
            Outcome::Failure => "failure",
        }
    }

    /// Parses the stable name (any case).
    pub fn from_name(text: &str) -> Option<Outcome> {
        [Outcome::Success, Outcome::Interrupted, Outcome::Failure]
            .into_iter()
            .find(|o| o.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Classifies an AADSTS error code: the catalogue says which codes are interruptions;
    /// a few more that the portal shows as "Interrupted" are known without an entry.
    pub fn of_error_code(code: i64) -> Outcome {
        if code == 0 {
            return Outcome::Success;
        }
        let interrupt = match u32::try_from(code).ok().and_then(crate::aadsts::lookup) {
            Some(info) => info.interrupt,
            None => OTHER_INTERRUPT_CODES.binary_search(&code).is_ok(),
        };
        if interrupt {
            Outcome::Interrupted
        } else {
            Outcome::Failure
        }
    }
}

/// Codes the portal shows as "Interrupted" that the catalogue does not explain yet (observed in
/// exported logs' Status column). Sorted, for binary search.
const OTHER_INTERRUPT_CODES: &[i64] = &[16003, 81014];

impl SignInEvent {
    /// The AADSTS code, 0 when the record has none.
    pub fn error_code(&self) -> i64 {
        self.status.error_code.unwrap_or(0)
    }

    /// Success, interrupted or failure.
    pub fn outcome(&self) -> Outcome {
        Outcome::of_error_code(self.error_code())
    }

    /// The log the event belongs to: its first event type, else interactive or not.
    pub fn event_type(&self) -> Option<SignInEventType> {
        if let Some(first) = self.sign_in_event_types.first() {
            return Some(first.clone());
        }
        match self.is_interactive {
            Some(true) => Some(SignInEventType::InteractiveUser),
            Some(false) => Some(SignInEventType::NonInteractiveUser),
            None => None,
        }
    }

    /// Adds an authentication step (from the portal's authentication-details file) unless the
    /// sign-in already has one with the same method and time. Returns whether it was added.
    pub fn add_authentication_step(&mut self, step: AuthenticationDetail) -> bool {
        let known = self.authentication_details.iter().any(|d| {
            d.authentication_method == step.authentication_method
                && d.authentication_step_date_time == step.authentication_step_date_time
        });
        if !known {
            self.authentication_details.push(step);
        }
        !known
    }

    /// "City, State, CC" as the portal shows it; `None` when nothing is known.
    pub fn location_text(&self) -> Option<String> {
        let loc = self.location.as_ref()?;
        let parts: Vec<&str> = [&loc.city, &loc.state, &loc.country_or_region]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[cfg(test)]
mod tests;
