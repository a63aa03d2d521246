//! Microsoft Graph's sign-in log: `GET /beta/auditLogs/signIns` and `/v1.0/auditLogs/signIns`.
//!
//! Faithful:
//! - bearer tokens: missing, unknown, expired (`Lifetime validation failed, the token is
//!   expired.` with `WWW-Authenticate: ... error="invalid_token"`) and wrong-audience tokens get
//!   HTTP 401 `InvalidAuthenticationToken`; a token without AuditLog.Read.All gets HTTP 403
//!   `Authorization_RequestDenied`;
//! - tenant problems: no premium licence (403
//!   `Authentication_RequestFromNonPremiumTenantOrB2CTenant`), no directory role (403
//!   `Authorization_RequestDenied`, delegated tokens only);
//! - throttling: HTTP 429 `TooManyRequests` with `Retry-After` in whole seconds;
//! - query options `$filter` (see `filter.rs`), `$top` (1–1000, default 1000), `$skiptoken`,
//!   `$select`, `$orderby=createdDateTime [asc|desc]`; pages newest first with
//!   `@odata.context`, `@odata.nextLink` (only when more remain, repeating the query's options)
//!   and `value`;
//! - beta returns only interactive sign-ins unless the filter names `signInEventTypes`; v1.0
//!   always returns only interactive sign-ins and does not know `signInEventTypes`;
//! - without Policy.Read.All, every sign-in's `appliedConditionalAccessPolicies` is `[]`.
//!
//! Simplified: the skip token is the offset into the query's result plus a fingerprint of the
//! query, which gives stable continuations because the fake's log never changes while it runs.
//! v1.0 serves the same (beta-shaped) objects as beta. Throttling counts every authenticated
//! sign-in request against one tenant-wide budget in a sliding window. Which sign-ins a query
//! matches is worked out at its first page and kept for the next pages (the log never changes),
//! and each sign-in's JSON text is written once at start and copied into the pages that show it
//! whole, so paging through a large log costs a page's work per request.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::Failure;
use crate::errors::{GraphError, RequestIds, graph_headers};
use crate::filter::{Filter, Subject, parse_datetime};
use crate::schema::ApiVersion;
use crate::server::{App, lock};
use crate::tokens::{AccessToken, GRAPH, GRAPH_APP_ID};

/// The largest `$top` Graph accepts for sign-ins, and the default page size.
const MAX_TOP: usize = 1000;

/// How many sign-ins a Graph page held; the request log reads it from the response.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventCount(pub usize);

/// One sign-in as served.
#[derive(Debug)]
struct StoredEvent {
    value: Value,
    created: DateTime<Utc>,
    id: String,
    /// `signInEventTypes`, or what `isInteractive` implies when the record has none.
    event_types: Value,
    interactive: bool,
    /// `value` as JSON text, served as it is when nothing is left out of it.
    text: Box<RawValue>,
}

/// The tenant's sign-in log, newest first (ties by ID).
#[derive(Debug)]
pub(crate) struct EventLog {
    events: Vec<StoredEvent>,
    /// For each query seen (version, filter, order), the positions of the events it matches.
    matches: Mutex<HashMap<String, Arc<Vec<usize>>>>,
}

impl EventLog {
    pub(crate) fn new(events: Vec<Value>) -> EventLog {
        let mut events: Vec<StoredEvent> = events
            .into_iter()
            .map(|value| {
                let created = value
                    .get("createdDateTime")
                    .and_then(Value::as_str)
                    .and_then(parse_datetime)
                    .unwrap_or(DateTime::UNIX_EPOCH);
                let id = value
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let event_types = match value.get("signInEventTypes") {
                    Some(Value::Array(types)) if !types.is_empty() => Value::Array(types.clone()),
                    _ => match value.get("isInteractive") {
                        Some(Value::Bool(false)) => json!(["nonInteractiveUser"]),
                        _ => json!(["interactiveUser"]),
                    },
                };
                let interactive = event_types
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == "interactiveUser"));
                let text = serde_json::value::to_raw_value(&value)
                    .unwrap_or_else(|_| RawValue::from_string("null".into()).unwrap_or_default());
                StoredEvent {
                    value,
                    text,
                    created,
                    id,
                    event_types,
                    interactive,
                }
            })
            .collect();
        events.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
        EventLog {
            events,
            matches: Mutex::new(HashMap::new()),
        }
    }

    /// The positions of the events `query` matches, worked out by `find` the first time.
    fn matching(&self, query: String, find: impl FnOnce() -> Vec<usize>) -> Arc<Vec<usize>> {
        lock(&self.matches)
            .entry(query)
            .or_insert_with(|| Arc::new(find()))
            .clone()
    }

    pub(crate) fn len(&self) -> usize {
        self.events.len()
    }
}

/// `GET /{version}/auditLogs/signIns`.
pub(crate) async fn sign_ins(
    app: Arc<App>,
    version: ApiVersion,
    headers: HeaderMap,
    query: Option<String>,
) -> Response {
    let ids = RequestIds::from_headers(&headers);
    match page(
        &app,
        version,
        &headers,
        query.as_deref().unwrap_or_default(),
    )
    .await
    {
        Ok((body, count)) => {
            let mut response = axum::Json(body).into_response();
            graph_headers(response.headers_mut(), &ids);
            response.extensions_mut().insert(EventCount(count));
            response
        }
        Err(e) => e.respond(&ids),
    }
}

/// The query options of a sign-in request.
#[derive(Debug)]
struct Options {
    /// The filter as written, and parsed.
    filter: Option<(String, Filter)>,
    top: usize,
    skip_token: Option<String>,
    /// As written, and the canonical property names.
    select: Option<(String, Vec<String>)>,
    /// As written, and whether it asks for oldest first.
    order_by: Option<(String, bool)>,
}

impl Options {
    fn ascending(&self) -> bool {
        self.order_by.as_ref().is_some_and(|(_, asc)| *asc)
    }

    /// Identifies the result set, so a skip token cannot continue a different query.
    fn fingerprint(&self, version: ApiVersion) -> String {
        let filter = self.filter.as_ref().map_or("", |(text, _)| text.as_str());
        let digest = Sha256::digest(
            format!("{}\n{filter}\n{}", version.segment(), self.ascending()).as_bytes(),
        );
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn parse_options(app: &App, version: ApiVersion, raw: &str) -> Result<Options, GraphError> {
    let mut seen = HashSet::new();
    let mut options = Options {
        filter: None,
        top: MAX_TOP,
        skip_token: None,
        select: None,
        order_by: None,
    };
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        let name = key.trim().to_ascii_lowercase();
        if !name.starts_with('$') {
            continue;
        }
        if !seen.insert(name.clone()) {
            return Err(GraphError::bad_request(format!(
                "Query option '{key}' was specified more than once, but it must be specified at most once."
            )));
        }
        let value = value.into_owned();
        match name.as_str() {
            "$filter" => {
                let filter = Filter::parse(&value, &app.schema, version)
                    .map_err(|e| GraphError::bad_request(format!("Invalid filter clause: {e}")))?;
                options.filter = Some((value, filter));
            }
            "$top" => {
                let top = value
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|t| (1..=MAX_TOP).contains(t));
                options.top = top.ok_or_else(|| {
                    GraphError::bad_request(format!(
                        "Invalid page size specified: '{value}'. Must be between 1 and {MAX_TOP} inclusive."
                    ))
                })?;
            }
            "$skiptoken" => options.skip_token = Some(value),
            "$select" => {
                let mut names = Vec::new();
                for item in value.split(',').map(str::trim) {
                    let known = app.schema.top_level(item, version).ok_or_else(|| {
                        GraphError::bad_request(format!(
                            "Could not find a property named '{item}' on type 'microsoft.graph.signIn'."
                        ))
                    })?;
                    if !names.contains(&known) {
                        names.push(known);
                    }
                }
                options.select = Some((value, names));
            }
            "$orderby" => {
                let words: Vec<String> = value
                    .split_whitespace()
                    .map(str::to_ascii_lowercase)
                    .collect();
                let ascending = match words
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    ["createddatetime"] | ["createddatetime", "asc"] => true,
                    ["createddatetime", "desc"] => false,
                    _ => {
                        return Err(GraphError::bad_request(format!(
                            "Invalid $orderby '{value}': sign-ins can be ordered only by \
                             createdDateTime, asc or desc."
                        )));
                    }
                };
                options.order_by = Some((value, ascending));
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Query option '{key}' is not supported for this resource."
                )));
            }
        }
    }
    Ok(options)
}

/// The `WWW-Authenticate` Graph sends with a 401.
fn challenge(app: &App, error: Option<&str>) -> String {
    let mut value = format!(
        "Bearer realm=\"\", authorization_uri=\"{}/common/oauth2/authorize\", client_id=\"{GRAPH_APP_ID}\"",
        app.base_url
    );
    if let Some(description) = error {
        value.push_str(&format!(
            ", error=\"invalid_token\", error_description=\"{description}\""
        ));
    }
    value
}

fn authenticate(app: &App, headers: &HeaderMap) -> Result<AccessToken, GraphError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty());
    let Some(token) = token else {
        return Err(GraphError::unauthenticated("Access token is empty.")
            .with_header(header::WWW_AUTHENTICATE, challenge(app, None)));
    };
    let invalid = |message: &str| {
        GraphError::unauthenticated(message)
            .with_header(header::WWW_AUTHENTICATE, challenge(app, Some(message)))
    };
    let Some(found) = lock(&app.tokens).access.get(token).cloned() else {
        return Err(invalid("Access token validation failure."));
    };
    if found.expired(Instant::now()) {
        return Err(invalid("Lifetime validation failed, the token is expired."));
    }
    if found.audience != GRAPH {
        return Err(invalid(
            "Access token validation failure. Invalid audience.",
        ));
    }
    Ok(found)
}

/// Admits the request under the throttling budget, or says when to retry.
fn throttle(app: &App) -> Result<(), GraphError> {
    let Some(budget) = app.config.throttle else {
        return Ok(());
    };
    let window = app.config.throttle_window;
    let now = Instant::now();
    let mut arrivals = lock(&app.throttle);
    while arrivals
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        arrivals.pop_front();
    }
    if arrivals.len() >= budget as usize {
        let frees_at = arrivals.front().map_or(now, |oldest| *oldest + window);
        let wait = frees_at.saturating_duration_since(now);
        let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        return Err(GraphError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests.",
        )
        .with_header(header::RETRY_AFTER, seconds.to_string()));
    }
    arrivals.push_back(now);
    Ok(())
}

fn skip_token(offset: usize, fingerprint: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"o": offset, "q": fingerprint}).to_string())
}

fn read_skip_token(token: &str, fingerprint: &str) -> Result<usize, GraphError> {
    let invalid = || GraphError::bad_request(format!("The skip token '{token}' is not valid."));
    let bytes = URL_SAFE_NO_PAD
        .decode(token.trim().trim_end_matches('='))
        .map_err(|_| invalid())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if value.get("q").and_then(Value::as_str) != Some(fingerprint) {
        return Err(GraphError::bad_request(
            "The skip token belongs to a different query: keep $filter and $orderby as they \
             were in the request that returned it.",
        ));
    }
    value
        .get("o")
        .and_then(Value::as_u64)
        .and_then(|o| usize::try_from(o).ok())
        .ok_or_else(invalid)
}

/// Percent-encodes a query value (spaces as `%20`, as Graph writes them).
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

async fn page(
    app: &App,
    version: ApiVersion,
    headers: &HeaderMap,
    raw_query: &str,
) -> Result<(PageBody, usize), GraphError> {
    let token = authenticate(app, headers)?;
    throttle(app)?;
    if !token.has("AuditLog.Read.All") {
        return Err(GraphError::insufficient_privileges());
    }
    match app.config.failure {
        Some(Failure::NoLicence) => {
            return Err(GraphError::new(
                StatusCode::FORBIDDEN,
                "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                "Neither tenant is B2C or tenant doesn't have premium license",
            ));
        }
        Some(Failure::NoRole) if !token.app => {
            return Err(GraphError::insufficient_privileges());
        }
        _ => {}
    }
    let options = parse_options(app, version, raw_query)?;
    let fingerprint = options.fingerprint(version);
    let offset = match &options.skip_token {
        Some(token) => read_skip_token(token, &fingerprint)?,
        None => 0,
    };
    let filter = options.filter.as_ref().map(|(_, f)| f);

    if let Some((threshold, delay)) = app.config.slow_window {
        let wide = match filter.map(Filter::time_window) {
            Some((Some(lower), Some(upper))) => upper - lower > threshold,
            _ => true,
        };
        if wide {
            tokio::time::sleep(delay).await;
        }
    }

    let any_type =
        version == ApiVersion::Beta && filter.is_some_and(|f| f.mentions("signInEventTypes"));
    let query = format!(
        "{}\n{}\n{}",
        version.segment(),
        options
            .filter
            .as_ref()
            .map_or("", |(text, _)| text.as_str()),
        options.ascending()
    );
    let matched = app.log.matching(query, || {
        let events = &app.log.events;
        let mut found: Vec<usize> = (0..events.len())
            .filter(|&i| any_type || events[i].interactive)
            .filter(|&i| {
                filter.is_none_or(|f| {
                    f.matches(Subject {
                        event: &events[i].value,
                        event_types: &events[i].event_types,
                    })
                })
            })
            .collect();
        if options.ascending() {
            found.reverse();
        }
        found
    });
    let strip_policies = !token.has("Policy.Read.All");
    let select = options.select.as_ref().map(|(_, names)| names.as_slice());
    let value: Vec<Box<RawValue>> = matched
        .iter()
        .skip(offset)
        .take(options.top)
        .map(|&i| {
            let event = &app.log.events[i];
            if select.is_none() && !strip_policies {
                return Ok(event.text.clone());
            }
            serde_json::value::to_raw_value(&render(event, select, strip_policies))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| {
            GraphError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                format!("Cannot write a sign-in: {e}"),
            )
        })?;
    let count = value.len();

    let base = format!("{}/{}", app.base_url, version.segment());
    let context = match &options.select {
        Some((_, names)) => format!("{base}/$metadata#auditLogs/signIns({})", names.join(",")),
        None => format!("{base}/$metadata#auditLogs/signIns"),
    };
    let next = offset.saturating_add(options.top);
    let mut next_link = None;
    if next < matched.len() {
        let mut link = format!("{base}/auditLogs/signIns?");
        if let Some((text, _)) = &options.filter {
            link.push_str(&format!("$filter={}&", encode(text)));
        }
        if let Some((text, _)) = &options.select {
            link.push_str(&format!("$select={}&", encode(text)));
        }
        if let Some((text, _)) = &options.order_by {
            link.push_str(&format!("$orderby={}&", encode(text)));
        }
        link.push_str(&format!(
            "$top={}&$skiptoken={}",
            options.top,
            encode(&skip_token(next, &fingerprint))
        ));
        next_link = Some(link);
    }
    Ok((
        PageBody {
            context,
            next_link,
            value,
        },
        count,
    ))
}

/// A page as Graph writes it.
#[derive(Serialize)]
pub(crate) struct PageBody {
    #[serde(rename = "@odata.context")]
    context: String,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    next_link: Option<String>,
    value: Vec<Box<RawValue>>,
}

/// One sign-in as the caller may see it.
fn render(event: &StoredEvent, select: Option<&[String]>, strip_policies: bool) -> Value {
    const POLICIES: &str = "appliedConditionalAccessPolicies";
    let mut out = match select {
        Some(names) => names
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    event.value.get(n).cloned().unwrap_or(Value::Null),
                )
            })
            .collect(),
        None => event.value.as_object().cloned().unwrap_or_default(),
    };
    let selected = select.is_none_or(|names| names.iter().any(|n| n == POLICIES));
    if strip_policies && selected {
        out.insert(POLICIES.into(), Value::Array(Vec::new()));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn log_is_newest_first_and_knows_interactive() {
        let log = EventLog::new(vec![
            json!({"id": "b", "createdDateTime": "2026-11-20T10:00:00Z"}),
            json!({"id": "a", "createdDateTime": "2026-11-20T10:00:00Z", "isInteractive": false}),
            json!({"id": "c", "createdDateTime": "2026-11-21T10:00:00Z",
                   "signInEventTypes": ["servicePrincipal"]}),
        ]);
        let ids: Vec<&str> = log.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        let interactive: Vec<bool> = log.events.iter().map(|e| e.interactive).collect();
        assert_eq!(interactive, [false, false, true]);
    }

    #[test]
    fn skip_tokens_round_trip_and_are_bound_to_the_query() {
        let token = skip_token(2000, "abc");
        assert_eq!(read_skip_token(&token, "abc").unwrap(), 2000);
        assert!(read_skip_token(&token, "other").is_err());
        assert!(read_skip_token("garbage!", "abc").is_err());
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("a eq 'o''b'"), "a%20eq%20%27o%27%27b%27");
        assert_eq!(encode("+01:00"), "%2B01%3A00");
    }
}
