//! What goes wrong when talking to a tenant, and how to say it to an admin.
//!
//! Entra and Graph answer with codes (`AADSTS65001`, `Authentication_RequestFromNonPremiumTenantOrB2CTenant`);
//! each is turned here into a sentence that says what is wrong and what to do. The original
//! code and correlation ID stay attached, so a support ticket can quote them.

use serde::Deserialize;
use signin_core::Lang;
use signin_core::messages::{Message, tr};

/// Every failure of sign-in, the vault and Graph. `Display` is English (for logs); people read
/// [`LiveError::describe`] in their language.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LiveError {
    /// A setting or argument that cannot be used.
    #[error("{0}")]
    InvalidInput(Message),
    /// Entra refused a sign-in or token request.
    #[error("{}", .0.explain())]
    SignIn(Box<EntraError>),
    /// Graph refused a request.
    #[error("{}", .0.explain())]
    Graph(Box<GraphError>),
    /// The network failed, after retrying where that made sense.
    #[error("{0}")]
    Network(Message),
    #[error("{}", tr(Lang::En, "live.cancelled", &[]))]
    Cancelled,
    /// Waited too long for the person to finish signing in.
    #[error("{0}")]
    TimedOut(Message),
    /// No saved sign-in for this profile.
    #[error("{}", tr(Lang::En, "live.not-signed-in", &[("profile", .0)]))]
    NotSignedIn(String),
    /// The OS keyring or the encrypted secrets file failed.
    #[error("{0}")]
    Vault(Message),
    /// A settings file could not be read or written.
    #[error("{0}")]
    Storage(Message),
}

/// The broad kind of a failure, for callers that pick an icon or an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidInput,
    /// Signing in failed or must be done again.
    Auth,
    /// Signed in, but the tenant, role or consent does not allow it.
    Permission,
    Network,
    Cancelled,
    Storage,
}

impl From<EntraError> for LiveError {
    fn from(e: EntraError) -> Self {
        LiveError::SignIn(Box::new(e))
    }
}

impl From<GraphError> for LiveError {
    fn from(e: GraphError) -> Self {
        LiveError::Graph(Box::new(e))
    }
}

impl LiveError {
    /// What went wrong and what to do, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            LiveError::InvalidInput(m)
            | LiveError::Network(m)
            | LiveError::TimedOut(m)
            | LiveError::Vault(m)
            | LiveError::Storage(m) => m.text(lang),
            LiveError::SignIn(e) => e.explain_in(lang),
            LiveError::Graph(e) => e.explain_in(lang),
            LiveError::Cancelled => tr(lang, "live.cancelled", &[]),
            LiveError::NotSignedIn(name) => tr(lang, "live.not-signed-in", &[("profile", name)]),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            LiveError::InvalidInput(_) => ErrorKind::InvalidInput,
            LiveError::SignIn(e) if e.is_permission() => ErrorKind::Permission,
            LiveError::SignIn(_) | LiveError::NotSignedIn(_) | LiveError::TimedOut(_) => {
                ErrorKind::Auth
            }
            LiveError::Graph(e) if e.status == 401 => ErrorKind::Auth,
            LiveError::Graph(e) if e.status == 403 => ErrorKind::Permission,
            LiveError::Graph(e) if e.status == 400 => ErrorKind::InvalidInput,
            LiveError::Graph(_) | LiveError::Network(_) => ErrorKind::Network,
            LiveError::Cancelled => ErrorKind::Cancelled,
            LiveError::Vault(_) | LiveError::Storage(_) => ErrorKind::Storage,
        }
    }
}

/// Entra's error reply from a token, device-code or authorize request.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntraError {
    #[serde(skip)]
    pub status: u16,
    /// The OAuth error: `invalid_grant`, `authorization_pending`, …
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub error_description: String,
    /// The AADSTS numbers.
    #[serde(default)]
    pub error_codes: Vec<u32>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub suberror: Option<String>,
}

impl EntraError {
    /// Reads an error body; a body that is not Entra's JSON keeps its text as the description.
    pub fn from_body(status: u16, body: &str) -> EntraError {
        let mut error = serde_json::from_str::<EntraError>(body).unwrap_or_else(|_| EntraError {
            error: "unexpected_response".into(),
            error_description: body.chars().take(400).collect(),
            ..EntraError::default()
        });
        error.status = status;
        if error.error_codes.is_empty()
            && let Some(code) = signin_core::aadsts::parse_pasted(&error.error_description).code
        {
            error.error_codes.push(code);
        }
        error
    }

    /// The first AADSTS code, when Entra gave one.
    pub fn code(&self) -> Option<u32> {
        self.error_codes.first().copied()
    }

    fn is_permission(&self) -> bool {
        matches!(
            self.code(),
            Some(65001 | 90094 | 90095 | 65004 | 53003 | 50105)
        )
    }

    /// What went wrong and what to do, in plain words, with the code and correlation ID, in
    /// English.
    pub fn explain(&self) -> String {
        self.explain_in(Lang::En)
    }

    /// What went wrong and what to do, in `lang`, with the code and correlation ID.
    pub fn explain_in(&self, lang: Lang) -> String {
        let key = match self.code() {
            Some(65001) => Some("live.entra.65001"),
            Some(90094 | 90095) => Some("live.entra.admin-consent"),
            Some(65004) => Some("live.entra.65004"),
            Some(53003) => Some("live.entra.53003"),
            Some(50011) => Some("live.entra.50011"),
            Some(700016) => Some("live.entra.700016"),
            Some(7000218) => Some("live.entra.7000218"),
            Some(7000215 | 7000222) => Some("live.entra.bad-secret"),
            Some(70020) => Some("live.entra.70020"),
            Some(70000 | 700082 | 700084 | 50173) => Some("live.entra.expired"),
            Some(90002) => Some("live.entra.90002"),
            _ => None,
        };
        let advice = match (key, self.code()) {
            (Some(key), _) => tr(lang, key, &[]),
            (None, Some(code)) => match signin_core::aadsts::lookup_in(code, lang) {
                Some(info) => info.meaning.clone(),
                None => self.first_line(lang),
            },
            (None, None) => self.first_line(lang),
        };
        match (self.code(), &self.correlation_id) {
            (Some(code), Some(id)) => tr(
                lang,
                "live.entra.with-code-and-correlation",
                &[("advice", &advice), ("code", &code), ("correlation", id)],
            ),
            (Some(code), None) => tr(
                lang,
                "live.entra.with-code",
                &[("advice", &advice), ("code", &code)],
            ),
            (None, _) => advice,
        }
    }

    fn first_line(&self, lang: Lang) -> String {
        let line = self
            .error_description
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        if line.is_empty() {
            tr(lang, "live.entra.failed-plain", &[("error", &self.error)])
        } else {
            tr(lang, "live.entra.failed", &[("description", &line)])
        }
    }
}

/// Graph's error reply: `{"error": {"code", "message", "innerError": {...}}}`.
#[derive(Debug, Clone, Default)]
pub struct GraphError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl GraphError {
    pub fn from_body(status: u16, body: &str) -> GraphError {
        #[derive(Deserialize)]
        struct Envelope {
            error: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            #[serde(default)]
            code: String,
            #[serde(default)]
            message: String,
            #[serde(default, rename = "innerError")]
            inner: Option<serde_json::Value>,
        }
        match serde_json::from_str::<Envelope>(body) {
            Ok(Envelope { error }) => GraphError {
                status,
                code: error.code,
                message: error.message,
                request_id: error
                    .inner
                    .as_ref()
                    .and_then(|i| i.get("request-id"))
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
            },
            Err(_) => GraphError {
                status,
                code: String::new(),
                message: body.chars().take(400).collect(),
                request_id: None,
            },
        }
    }

    /// The tenant has no Entra ID P1/P2 licence, which Graph's sign-in logs need.
    pub fn is_no_licence(&self) -> bool {
        self.code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
    }

    /// What went wrong and what to do, in English.
    pub fn explain(&self) -> String {
        self.explain_in(Lang::En)
    }

    /// What went wrong and what to do, in `lang`, with Graph's code and request ID.
    pub fn explain_in(&self, lang: Lang) -> String {
        let status = &self.status;
        let message = &self.message;
        let advice = if self.is_no_licence() {
            tr(lang, "live.graph.no-licence", &[])
        } else if self.status == 403 {
            tr(lang, "live.graph.forbidden", &[])
        } else if self.status == 401 {
            tr(lang, "live.graph.unauthorized", &[])
        } else if self.status == 429 {
            tr(lang, "live.graph.throttled", &[])
        } else if self.status == 400 {
            tr(lang, "live.graph.bad-request", &[("message", message)])
        } else if self.status >= 500 {
            tr(lang, "live.graph.server", &[("status", status)])
        } else {
            tr(
                lang,
                "live.graph.other",
                &[("status", status), ("message", message)],
            )
        };
        match (self.code.as_str(), &self.request_id) {
            ("", _) => advice,
            (code, Some(id)) => tr(
                lang,
                "live.graph.with-code-and-request",
                &[("advice", &advice), ("code", &code), ("request", id)],
            ),
            (code, None) => tr(
                lang,
                "live.graph.with-code",
                &[("advice", &advice), ("code", &code)],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_errors_say_who_must_act() {
        let body = r#"{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application with ID 'x'.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-11-27 10:00:00Z","error_codes":[65001],"correlation_id":"5d1b0c9e-0000-4000-8000-000000000001","suberror":"consent_required"}"#;
        let error = EntraError::from_body(400, body);
        assert_eq!(error.code(), Some(65001));
        let text = error.explain();
        assert!(text.contains("administrator must consent"), "{text}");
        assert!(text.contains("AADSTS65001"), "{text}");
        assert!(
            text.contains("5d1b0c9e-0000-4000-8000-000000000001"),
            "{text}"
        );
        assert_eq!(LiveError::from(error).kind(), ErrorKind::Permission);
    }

    #[test]
    fn a_code_only_in_the_description_is_still_found() {
        let error = EntraError::from_body(
            400,
            r#"{"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies."}"#,
        );
        assert_eq!(error.code(), Some(53003));
        assert!(error.explain().contains("browser sign-in"));
    }

    #[test]
    fn unknown_codes_fall_back_to_the_catalogue() {
        let error =
            EntraError::from_body(400, r#"{"error":"invalid_grant","error_codes":[50126]}"#);
        let info = signin_core::aadsts::lookup(50126).unwrap();
        assert!(error.explain().starts_with(&info.meaning));
    }

    #[test]
    fn graph_licence_error_points_to_the_portal_download() {
        let body = r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"date":"2026-11-27T10:00:00","request-id":"r-1"}}}"#;
        let error = GraphError::from_body(403, body);
        assert!(error.is_no_licence());
        let text = error.explain();
        assert!(
            text.contains("P1 or P2") && text.contains("Download"),
            "{text}"
        );
        assert!(text.contains("request ID r-1"));
        assert_eq!(LiveError::from(error).kind(), ErrorKind::Permission);
    }

    #[test]
    fn explanations_read_in_the_chosen_language_with_the_same_codes() {
        let body = r#"{"error":"invalid_grant","error_codes":[65001],"correlation_id":"c-1"}"#;
        let error = EntraError::from_body(400, body);
        let dutch = error.explain_in(Lang::Nl);
        assert!(
            dutch.starts_with("Sign-in Doctor heeft in deze tenant"),
            "{dutch}"
        );
        assert!(
            dutch.ends_with("(AADSTS65001, correlatie-id c-1)"),
            "{dutch}"
        );
        // A code without advice of its own takes the Dutch catalogue's meaning.
        let locked =
            EntraError::from_body(400, r#"{"error":"invalid_grant","error_codes":[50053]}"#);
        let meaning = &signin_core::aadsts::lookup_in(50053, Lang::Nl)
            .unwrap()
            .meaning;
        assert!(locked.explain_in(Lang::Nl).starts_with(meaning.as_str()));
        let graph = GraphError::from_body(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"x","innerError":{"request-id":"r-2"}}}"#,
        );
        let dutch = LiveError::from(graph).describe(Lang::Nl);
        assert!(
            dutch.contains("rustiger aan") && dutch.ends_with("(TooManyRequests, aanvraag-id r-2)"),
            "{dutch}"
        );
        // Errors built from messages, and the fixed ones, too.
        let refused = LiveError::InvalidInput(
            Message::new("live.address.plain-http").with("text", "http://example.com"),
        );
        assert_eq!(
            refused.describe(Lang::Nl),
            "“http://example.com” gebruikt gewoon http; alleen https is toegestaan, behalve voor adressen op deze computer"
        );
        assert_eq!(refused.to_string(), refused.describe(Lang::En));
        assert_eq!(LiveError::Cancelled.describe(Lang::Nl), "Geannuleerd.");
        assert!(
            LiveError::NotSignedIn("Contoso".into())
                .describe(Lang::Nl)
                .contains("“Contoso”")
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_kept_as_text() {
        let error = GraphError::from_body(502, "<html>Bad gateway</html>");
        assert_eq!(error.message, "<html>Bad gateway</html>");
        assert!(error.explain().contains("HTTP 502"));
    }
}
