//! What goes wrong when talking to a tenant, and how to say it to an admin.
//!
//! Entra and Graph answer with codes (`AADSTS65001`, `Authentication_RequestFromNonPremiumTenantOrB2CTenant`);
//! each is turned here into a sentence that says what is wrong and what to do. The original
//! code and correlation ID stay attached, so a support ticket can quote them.

use serde::Deserialize;

/// Every failure of sign-in, the vault and Graph.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// A setting or argument that cannot be used.
    #[error("{0}")]
    InvalidInput(String),
    /// Entra refused a sign-in or token request.
    #[error("{}", .0.explain())]
    SignIn(Box<EntraError>),
    /// Graph refused a request.
    #[error("{}", .0.explain())]
    Graph(Box<GraphError>),
    /// The network failed, after retrying where that made sense.
    #[error("{0}")]
    Network(String),
    #[error("Cancelled.")]
    Cancelled,
    /// Waited too long for the person to finish signing in.
    #[error("{0}")]
    TimedOut(String),
    /// No saved sign-in for this profile.
    #[error("Not signed in to “{0}”. Sign in first (in the app, or with `signin-doctor login`).")]
    NotSignedIn(String),
    /// The OS keyring or the encrypted secrets file failed.
    #[error("{0}")]
    Vault(String),
    /// A settings file could not be read or written.
    #[error("{0}")]
    Storage(String),
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

    /// What went wrong and what to do, in plain words, with the code and correlation ID.
    pub fn explain(&self) -> String {
        let advice = match self.code() {
            Some(65001) => "Sign-in Doctor has not been given consent in this tenant. An administrator must consent to its read-only permissions (AuditLog.Read.All, Directory.Read.All, Policy.Read.All) once, for example by signing in with an administrator account and accepting the consent prompt.".to_owned(),
            Some(90094 | 90095) => "Reading sign-in logs needs an administrator's consent in this tenant. Ask a Global or Privileged Role Administrator to sign in once and grant consent for the organisation, or to approve the admin consent request.".to_owned(),
            Some(65004) => "The consent prompt was declined. Sign in again and accept it, or ask an administrator to grant consent for the organisation.".to_owned(),
            Some(53003) => "A Conditional Access policy blocked this sign-in. If it blocks device code sign-in (many tenants do, as Microsoft recommends), use browser sign-in instead, or ask the Conditional Access administrator to exclude this case.".to_owned(),
            Some(50011) => "The app registration does not list this app's reply address. Add the redirect URI http://localhost under “Mobile and desktop applications” in the app registration.".to_owned(),
            Some(700016) => "This client ID is not known in the tenant. Check the client ID and tenant in the sign-in settings, or have an administrator add the app to the tenant.".to_owned(),
            Some(7000218) => "The app registration does not allow device code or other public-client sign-in. Turn on “Allow public client flows” in its Authentication settings, or use browser sign-in.".to_owned(),
            Some(7000215 | 7000222) => "The client secret is wrong or has expired. Create a new secret in the app registration and save it again.".to_owned(),
            Some(70020) => "The device code expired before sign-in was completed. Start again and enter the new code within 15 minutes.".to_owned(),
            Some(70000 | 700082 | 700084 | 50173) => "The saved sign-in has expired or was revoked. Sign in again.".to_owned(),
            Some(90002) => "The tenant was not found. Check the tenant ID or domain in the sign-in settings.".to_owned(),
            Some(code) => match signin_core::aadsts::lookup(code) {
                Some(info) => info.meaning.clone(),
                None => self.first_line(),
            },
            None => self.first_line(),
        };
        let mut text = advice;
        if let Some(code) = self.code() {
            text.push_str(&format!(" (AADSTS{code}"));
            if let Some(id) = &self.correlation_id {
                text.push_str(&format!(", correlation ID {id}"));
            }
            text.push(')');
        }
        text
    }

    fn first_line(&self) -> String {
        let line = self
            .error_description
            .lines()
            .next()
            .unwrap_or_default()
            .trim();
        if line.is_empty() {
            format!("Sign-in failed ({}).", self.error)
        } else {
            format!("Sign-in failed: {line}")
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

    pub fn explain(&self) -> String {
        let advice = if self.is_no_licence() {
            "This tenant has no Microsoft Entra ID P1 or P2 licence, and Microsoft Graph only serves sign-in logs to licensed tenants. Download the logs from the Entra admin center (Sign-in logs → Download) and open the file in Sign-in Doctor instead.".to_owned()
        } else if self.status == 403 {
            "Your account may not read sign-in logs. It needs a directory role such as Reports Reader, Security Reader or Global Reader, and the app needs the AuditLog.Read.All and Directory.Read.All permissions with admin consent.".to_owned()
        } else if self.status == 401 {
            "The sign-in has expired or was not accepted by Microsoft Graph. Sign in again."
                .to_owned()
        } else if self.status == 429 {
            "Microsoft Graph kept asking to slow down. Try again in a few minutes, or narrow the time window.".to_owned()
        } else if self.status == 400 {
            format!(
                "Microsoft Graph did not accept the search: {}",
                self.message
            )
        } else if self.status >= 500 {
            format!(
                "Microsoft Graph had a problem (HTTP {}) and retrying did not help. Try again later, or narrow the time window.",
                self.status
            )
        } else {
            format!(
                "Microsoft Graph answered HTTP {}: {}",
                self.status, self.message
            )
        };
        let mut text = advice;
        if !self.code.is_empty() {
            text.push_str(&format!(" ({}", self.code));
            if let Some(id) = &self.request_id {
                text.push_str(&format!(", request ID {id}"));
            }
            text.push(')');
        }
        text
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
    fn a_body_that_is_not_json_is_kept_as_text() {
        let error = GraphError::from_body(502, "<html>Bad gateway</html>");
        assert_eq!(error.message, "<html>Bad gateway</html>");
        assert!(error.explain().contains("HTTP 502"));
    }
}
