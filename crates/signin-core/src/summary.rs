//! One line per sign-in: what a results table, `signin-doctor search --json` and the desktop
//! app's result list show. Its JSON shape is documented in the README and kept stable.

use serde::Serialize;

use crate::model::SignInEvent;

/// The columns of a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventSummary {
    /// Request ID.
    pub id: String,
    /// RFC 3339 in UTC, seconds precision (`2026-11-20T08:15:02Z`).
    pub created_date_time: String,
    pub user_display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub app_display_name: Option<String>,
    pub app_id: Option<String>,
    /// `success`, `interrupted` or `failure`.
    pub status: &'static str,
    /// The AADSTS code; 0 for success.
    pub error_code: i64,
    pub failure_reason: Option<String>,
    pub ip_address: Option<String>,
    /// "City, State, CC".
    pub location: Option<String>,
    pub correlation_id: Option<String>,
    pub client_app_used: Option<String>,
    /// `interactiveUser`, `nonInteractiveUser`, `servicePrincipal`, `managedIdentity`, ...
    pub event_type: Option<String>,
}

impl EventSummary {
    /// Summarises one sign-in.
    pub fn of(event: &SignInEvent) -> EventSummary {
        EventSummary {
            id: event.id.clone(),
            created_date_time: event
                .created_date_time
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            user_display_name: event
                .user_display_name
                .clone()
                .or_else(|| event.service_principal_name.clone()),
            user_principal_name: event.user_principal_name.clone(),
            app_display_name: event.app_display_name.clone(),
            app_id: event.app_id.clone(),
            status: event.outcome().as_str(),
            error_code: event.error_code(),
            failure_reason: event.status.failure_reason.clone(),
            ip_address: event.ip_address.clone(),
            location: event.location_text(),
            correlation_id: event.correlation_id.clone(),
            client_app_used: event.client_app_used.clone(),
            event_type: event.event_type().map(|t| t.as_str().to_owned()),
        }
    }
}
