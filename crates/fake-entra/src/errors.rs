//! Error answers in the two dialects the product meets: Entra's token-endpoint errors and
//! Microsoft Graph's error objects.
//!
//! Faithful: the JSON shapes, field names and order; Entra's `error_description` layout
//! (`AADSTS<code>: <text>` followed by trace ID, correlation ID and timestamp lines separated by
//! CRLF); `error_codes`, `suberror`; Graph's `error.code` / `error.message` /
//! `error.innerError` with `date`, `request-id` and `client-request-id`, and the `request-id` /
//! `client-request-id` response headers. A `client-request-id` sent by the client is echoed
//! back as Entra's correlation ID and Graph's client request ID, as the real services do.
//!
//! Simplified: `error_uri` points at this server (`{base}/error?code=N`) rather than
//! login.microsoftonline.com, so that nothing the fake hands out leads to Microsoft's hosts.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// A random GUID in the usual 8-4-4-4-12 form (version 4).
pub(crate) fn guid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format_guid(&b)
}

/// Formats 16 bytes as a GUID.
pub(crate) fn format_guid(b: &[u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The IDs that tie one request to its answer, as both services report them.
#[derive(Debug, Clone)]
pub(crate) struct RequestIds {
    /// The server's own ID for the request (Entra's trace ID, Graph's request ID).
    pub request_id: String,
    /// The client's `client-request-id` header, or a fresh ID when it sent none.
    pub client_request_id: String,
}

impl RequestIds {
    pub(crate) fn from_headers(headers: &HeaderMap) -> RequestIds {
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 200)
            .map(str::to_owned)
            .unwrap_or_else(guid);
        RequestIds {
            request_id: guid(),
            client_request_id,
        }
    }
}

/// An OAuth error from the token, device-code or authorize endpoints, Entra style.
#[derive(Debug, Clone)]
pub(crate) struct EntraError {
    pub status: StatusCode,
    /// The OAuth `error` value (`invalid_grant`, `authorization_pending`, ...).
    pub error: &'static str,
    /// The AADSTS number.
    pub code: u32,
    /// The text after `AADSTS<code>: `.
    pub text: String,
    pub suberror: Option<&'static str>,
}

impl EntraError {
    /// An HTTP 400 error.
    pub(crate) fn new(error: &'static str, code: u32, text: impl Into<String>) -> EntraError {
        EntraError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            text: text.into(),
            suberror: None,
        }
    }

    /// `invalid_client`, which Entra answers with HTTP 401.
    pub(crate) fn invalid_client(code: u32, text: impl Into<String>) -> EntraError {
        EntraError {
            status: StatusCode::UNAUTHORIZED,
            ..EntraError::new("invalid_client", code, text)
        }
    }

    /// AADSTS900144: a required parameter is missing.
    pub(crate) fn missing(parameter: &str) -> EntraError {
        EntraError::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    pub(crate) fn with_suberror(mut self, suberror: &'static str) -> EntraError {
        self.suberror = Some(suberror);
        self
    }

    /// `AADSTS<code>: <text>` plus the trace lines.
    pub(crate) fn description(&self, ids: &RequestIds, timestamp: &str) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.code, self.text, ids.request_id, ids.client_request_id, timestamp
        )
    }

    /// The JSON body Entra sends with the error.
    pub(crate) fn body(&self, base_url: &str, ids: &RequestIds) -> Value {
        let timestamp = entra_timestamp();
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(ids, &timestamp),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": ids.request_id,
            "correlation_id": ids.client_request_id,
            "error_uri": format!("{base_url}/error?code={}", self.code),
        });
        if let (Some(suberror), Some(map)) = (self.suberror, body.as_object_mut()) {
            map.insert("suberror".into(), Value::from(suberror));
        }
        body
    }

    pub(crate) fn respond(&self, base_url: &str, ids: &RequestIds) -> Response {
        let mut response = (self.status, axum::Json(self.body(base_url, ids))).into_response();
        no_store(response.headers_mut());
        entra_headers(response.headers_mut(), ids);
        response
    }
}

/// Entra's timestamp format: `2026-11-20 10:00:00Z`.
pub(crate) fn entra_timestamp() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// Token responses must never be cached.
pub(crate) fn no_store(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// Entra's `x-ms-request-id` and echoed `client-request-id`.
pub(crate) fn entra_headers(headers: &mut HeaderMap, ids: &RequestIds) {
    insert_text(headers, "x-ms-request-id", &ids.request_id);
    insert_text(headers, "client-request-id", &ids.client_request_id);
}

/// Graph's `request-id` and `client-request-id` headers.
pub(crate) fn graph_headers(headers: &mut HeaderMap, ids: &RequestIds) {
    insert_text(headers, "request-id", &ids.request_id);
    insert_text(headers, "client-request-id", &ids.client_request_id);
}

fn insert_text(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

/// A Microsoft Graph error.
#[derive(Debug, Clone)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    pub headers: Vec<(HeaderName, String)>,
}

impl GraphError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        GraphError {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
        }
    }

    /// HTTP 400 `BadRequest`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// HTTP 403 `Authorization_RequestDenied`.
    pub(crate) fn insufficient_privileges() -> Self {
        GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    /// HTTP 401 `InvalidAuthenticationToken`.
    pub(crate) fn unauthenticated(message: impl Into<String>) -> Self {
        GraphError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn body(&self, ids: &RequestIds) -> Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": {
                    "date": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "request-id": ids.request_id,
                    "client-request-id": ids.client_request_id,
                }
            }
        })
    }

    pub(crate) fn respond(&self, ids: &RequestIds) -> Response {
        let mut response = (self.status, axum::Json(self.body(ids))).into_response();
        let headers = response.headers_mut();
        graph_headers(headers, ids);
        for (name, value) in &self.headers {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name.clone(), value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_look_like_guids() {
        let g = guid();
        assert_eq!(g.len(), 36);
        assert_eq!(g.matches('-').count(), 4);
        assert_eq!(&g[14..15], "4");
    }

    #[test]
    fn entra_description_has_the_trace_lines() {
        let ids = RequestIds {
            request_id: "t".into(),
            client_request_id: "c".into(),
        };
        let e = EntraError::new("invalid_grant", 70000, "Bad.");
        let d = e.description(&ids, "2026-11-20 10:00:00Z");
        assert_eq!(
            d,
            "AADSTS70000: Bad.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-11-20 10:00:00Z"
        );
        let body = e.with_suberror("consent_required").body("http://x", &ids);
        assert_eq!(body["error_codes"][0], 70000);
        assert_eq!(body["suberror"], "consent_required");
        assert_eq!(body["error_uri"], "http://x/error?code=70000");
    }
}
