//! What Graph knows about the `signIn` resource: its property names and the types `$filter`
//! compares them as.
//!
//! Faithful: property names are Graph beta's; a name Graph does not know is an error, as on the
//! real service; comparing a property with a literal of another type (`createdDateTime eq
//! 'text'`, `status/errorCode eq '0'`) is rejected with Graph's "incompatible types" message.
//! Property names match case-insensitively, as Graph's query parser does.
//!
//! Simplified: Graph allows `$filter` on only some properties and rejects the rest with "not
//! supported"; the fake filters on any known property. `/v1.0` is modelled as beta without
//! `signInEventTypes`, the one difference the product relies on. Properties that appear in the
//! served data but not in the list below are accepted too (exports from newer Graph versions
//! carry them).

use std::collections::BTreeSet;

use serde_json::Value;

/// Graph beta `signIn` properties, as the product's model knows them.
pub(crate) const SIGN_IN_PROPERTIES: &[&str] = &[
    "id",
    "createdDateTime",
    "userDisplayName",
    "userPrincipalName",
    "userId",
    "userType",
    "signInIdentifier",
    "signInIdentifierType",
    "homeTenantId",
    "homeTenantName",
    "crossTenantAccessType",
    "appId",
    "appDisplayName",
    "appOwnerTenantId",
    "resourceDisplayName",
    "resourceId",
    "resourceTenantId",
    "resourceOwnerTenantId",
    "resourceServicePrincipalId",
    "azureResourceId",
    "servicePrincipalId",
    "servicePrincipalName",
    "servicePrincipalCredentialKeyId",
    "servicePrincipalCredentialThumbprint",
    "clientCredentialType",
    "federatedCredentialId",
    "managedServiceIdentity",
    "status",
    "conditionalAccessStatus",
    "appliedConditionalAccessPolicies",
    "conditionalAccessAudiences",
    "authenticationRequirement",
    "authenticationRequirementPolicies",
    "authenticationDetails",
    "authenticationMethodsUsed",
    "authenticationProcessingDetails",
    "authenticationContextClassReferences",
    "authenticationProtocol",
    "mfaDetail",
    "sessionLifetimePolicies",
    "appliedEventListeners",
    "authenticationAppDeviceDetails",
    "authenticationAppPolicyEvaluationDetails",
    "clientAppUsed",
    "userAgent",
    "deviceDetail",
    "ipAddress",
    "ipAddressFromResourceProvider",
    "autonomousSystemNumber",
    "location",
    "networkLocationDetails",
    "isThroughGlobalSecureAccess",
    "globalSecureAccessIpAddress",
    "privateLinkDetails",
    "riskDetail",
    "riskLevelAggregated",
    "riskLevelDuringSignIn",
    "riskState",
    "riskEventTypes",
    "riskEventTypes_v2",
    "flaggedForReview",
    "signInEventTypes",
    "isInteractive",
    "correlationId",
    "originalRequestId",
    "sessionId",
    "uniqueTokenIdentifier",
    "incomingTokenType",
    "originalTransferMethod",
    "tokenIssuerName",
    "tokenIssuerType",
    "appTokenProtectionStatus",
    "signInTokenProtectionStatus",
    "tokenProtectionStatusDetails",
    "isTenantRestricted",
    "processingTimeInMilliseconds",
    "agent",
];

/// Properties of the complex types that can be reached by path (`status/errorCode`).
const NESTED_PROPERTIES: &[(&str, &[&str])] = &[
    (
        "status",
        &["errorCode", "failureReason", "additionalDetails"],
    ),
    (
        "location",
        &["city", "state", "countryOrRegion", "geoCoordinates"],
    ),
    (
        "deviceDetail",
        &[
            "deviceId",
            "displayName",
            "operatingSystem",
            "browser",
            "isCompliant",
            "isManaged",
            "trustType",
        ],
    ),
    ("mfaDetail", &["authMethod", "authDetail"]),
    (
        "managedServiceIdentity",
        &[
            "msiType",
            "associatedResourceId",
            "federatedTokenId",
            "federatedTokenIssuer",
        ],
    ),
    (
        "tokenProtectionStatusDetails",
        &["signInSessionStatus", "signInSessionStatusCode"],
    ),
    ("geoCoordinates", &["altitude", "latitude", "longitude"]),
];

/// The `$filter` type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PropType {
    DateTime,
    Int,
    Bool,
    Float,
    String,
    /// A complex type or a collection: compared only through paths and lambdas.
    Other,
}

impl PropType {
    /// Graph's EDM type name, for error messages.
    pub(crate) fn edm(self) -> &'static str {
        match self {
            PropType::DateTime => "Edm.DateTimeOffset",
            PropType::Int => "Edm.Int32",
            PropType::Bool => "Edm.Boolean",
            PropType::Float => "Edm.Double",
            PropType::String => "Edm.String",
            PropType::Other => "microsoft.graph.complexType",
        }
    }
}

/// The type of a canonical path (`status/errorCode`).
pub(crate) fn type_of(path: &[String]) -> PropType {
    let joined = path.join("/");
    match joined.as_str() {
        "createdDateTime" => PropType::DateTime,
        "status/errorCode" | "autonomousSystemNumber" | "processingTimeInMilliseconds" => {
            PropType::Int
        }
        "isInteractive"
        | "isTenantRestricted"
        | "flaggedForReview"
        | "isThroughGlobalSecureAccess"
        | "deviceDetail/isCompliant"
        | "deviceDetail/isManaged" => PropType::Bool,
        "location/geoCoordinates/latitude"
        | "location/geoCoordinates/longitude"
        | "location/geoCoordinates/altitude" => PropType::Float,
        "status"
        | "location"
        | "deviceDetail"
        | "mfaDetail"
        | "managedServiceIdentity"
        | "tokenProtectionStatusDetails"
        | "location/geoCoordinates" => PropType::Other,
        "signInEventTypes"
        | "appliedConditionalAccessPolicies"
        | "authenticationDetails"
        | "authenticationMethodsUsed"
        | "authenticationProcessingDetails"
        | "authenticationRequirementPolicies"
        | "authenticationContextClassReferences"
        | "conditionalAccessAudiences"
        | "networkLocationDetails"
        | "riskEventTypes"
        | "riskEventTypes_v2"
        | "sessionLifetimePolicies"
        | "appliedEventListeners" => PropType::Other,
        _ => PropType::String,
    }
}

/// The API version a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    Beta,
    V1,
}

impl ApiVersion {
    pub(crate) fn segment(self) -> &'static str {
        match self {
            ApiVersion::Beta => "beta",
            ApiVersion::V1 => "v1.0",
        }
    }
}

/// The property names a request may use.
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    /// Canonical top-level names: the known list plus names found in the served data.
    top: BTreeSet<String>,
}

impl Schema {
    /// The known properties plus every top-level name in `events`.
    pub(crate) fn new<'a>(events: impl IntoIterator<Item = &'a Value>) -> Schema {
        let mut top: BTreeSet<String> = SIGN_IN_PROPERTIES.iter().map(|s| s.to_string()).collect();
        for event in events {
            if let Some(map) = event.as_object() {
                top.extend(map.keys().cloned());
            }
        }
        Schema { top }
    }

    /// The canonical spelling of a top-level property, if `version` has it.
    pub(crate) fn top_level(&self, name: &str, version: ApiVersion) -> Option<String> {
        if version == ApiVersion::V1 && name.eq_ignore_ascii_case("signInEventTypes") {
            return None;
        }
        if self.top.contains(name) {
            return Some(name.to_owned());
        }
        self.top
            .iter()
            .find(|known| known.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// The canonical spelling of `child` under the complex property `parent` (both canonical
    /// already for `parent`).
    pub(crate) fn nested(parent: &str, child: &str) -> Option<String> {
        NESTED_PROPERTIES
            .iter()
            .find(|(p, _)| *p == parent)
            .and_then(|(_, children)| children.iter().find(|c| c.eq_ignore_ascii_case(child)))
            .map(|c| c.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_match_without_case_and_v1_lacks_event_types() {
        let extra = json!({"someNewProperty": 1});
        let schema = Schema::new([&extra]);
        assert_eq!(
            schema.top_level("userprincipalname", ApiVersion::Beta),
            Some("userPrincipalName".into())
        );
        assert_eq!(
            schema.top_level("someNewProperty", ApiVersion::Beta),
            Some("someNewProperty".into())
        );
        assert!(schema.top_level("nope", ApiVersion::Beta).is_none());
        assert!(
            schema
                .top_level("signInEventTypes", ApiVersion::V1)
                .is_none()
        );
        assert_eq!(
            Schema::nested("status", "ERRORCODE"),
            Some("errorCode".into())
        );
        assert_eq!(
            type_of(&["status".into(), "errorCode".into()]),
            PropType::Int
        );
    }
}
