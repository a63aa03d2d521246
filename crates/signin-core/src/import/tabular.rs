//! CSV exports: the Entra portal's downloads (four sign-in logs and the authentication-details
//! file) and Log Analytics / Sentinel query results.
//!
//! Columns are found by header name, never by position: headers carry trailing spaces
//! (`Application ID `), double spaces (`Autonomous system  number`), duplicates (`Incoming token
//! type` twice), other languages, and older exports have fewer columns. Each row becomes a
//! canonical Graph-shaped object; a column with no canonical place keeps its header as its name.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::normalize;

/// What kind of CSV a header row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// The portal's sign-in download; one row per sign-in.
    Portal,
    /// The portal's `..._AuthDetails_...csv`; one row per authentication step.
    PortalAuthDetails,
    /// A Log Analytics or Sentinel query result.
    LogAnalytics,
}

/// Where a portal column goes in the canonical object: a path of property names.
struct Column {
    /// The English header, folded (lower case, single spaces, trimmed).
    header: &'static str,
    path: &'static [&'static str],
}

/// The portal's English headers and where each value belongs.
const PORTAL_COLUMNS: &[Column] = &[
    Column {
        header: "date (utc)",
        path: &["createdDateTime"],
    },
    Column {
        header: "date",
        path: &["createdDateTime"],
    },
    Column {
        header: "request id",
        path: &["id"],
    },
    Column {
        header: "user agent",
        path: &["userAgent"],
    },
    Column {
        header: "correlation id",
        path: &["correlationId"],
    },
    Column {
        header: "user id",
        path: &["userId"],
    },
    Column {
        header: "user",
        path: &["userDisplayName"],
    },
    Column {
        header: "username",
        path: &["userPrincipalName"],
    },
    Column {
        header: "user type",
        path: &["userType"],
    },
    Column {
        header: "cross tenant access type",
        path: &["crossTenantAccessType"],
    },
    Column {
        header: "incoming token type",
        path: &["incomingTokenType"],
    },
    Column {
        header: "authentication protocol",
        path: &["authenticationProtocol"],
    },
    Column {
        header: "unique token identifier",
        path: &["uniqueTokenIdentifier"],
    },
    Column {
        header: "original transfer method",
        path: &["originalTransferMethod"],
    },
    Column {
        header: "client credential type",
        path: &["clientCredentialType"],
    },
    Column {
        header: "token protection - sign in session",
        path: &["tokenProtectionStatusDetails", "signInSessionStatus"],
    },
    Column {
        header: "token protection - sign in session statuscode",
        path: &["tokenProtectionStatusDetails", "signInSessionStatusCode"],
    },
    Column {
        header: "application",
        path: &["appDisplayName"],
    },
    Column {
        header: "application id",
        path: &["appId"],
    },
    Column {
        header: "app owner tenant id",
        path: &["appOwnerTenantId"],
    },
    Column {
        header: "resource",
        path: &["resourceDisplayName"],
    },
    Column {
        header: "resource id",
        path: &["resourceId"],
    },
    Column {
        header: "resource tenant id",
        path: &["resourceTenantId"],
    },
    Column {
        header: "resource owner tenant id",
        path: &["resourceOwnerTenantId"],
    },
    Column {
        header: "home tenant id",
        path: &["homeTenantId"],
    },
    Column {
        header: "home tenant name",
        path: &["homeTenantName"],
    },
    Column {
        header: "ip address",
        path: &["ipAddress"],
    },
    Column {
        header: "location",
        path: &["location"],
    },
    Column {
        header: "sign-in error code",
        path: &["status", "errorCode"],
    },
    Column {
        header: "failure reason",
        path: &["status", "failureReason"],
    },
    Column {
        header: "client app",
        path: &["clientAppUsed"],
    },
    Column {
        header: "device id",
        path: &["deviceDetail", "deviceId"],
    },
    Column {
        header: "browser",
        path: &["deviceDetail", "browser"],
    },
    Column {
        header: "operating system",
        path: &["deviceDetail", "operatingSystem"],
    },
    Column {
        header: "compliant",
        path: &["deviceDetail", "isCompliant"],
    },
    Column {
        header: "managed",
        path: &["deviceDetail", "isManaged"],
    },
    Column {
        header: "join type",
        path: &["deviceDetail", "trustType"],
    },
    Column {
        header: "multifactor authentication result",
        path: &["status", "additionalDetails"],
    },
    Column {
        header: "multifactor authentication auth method",
        path: &["mfaDetail", "authMethod"],
    },
    Column {
        header: "multifactor authentication auth detail",
        path: &["mfaDetail", "authDetail"],
    },
    Column {
        header: "authentication requirement",
        path: &["authenticationRequirement"],
    },
    Column {
        header: "sign-in identifier",
        path: &["signInIdentifier"],
    },
    Column {
        header: "session id",
        path: &["sessionId"],
    },
    Column {
        header: "ip address (seen by resource)",
        path: &["ipAddressFromResourceProvider"],
    },
    Column {
        header: "through global secure access",
        path: &["isThroughGlobalSecureAccess"],
    },
    Column {
        header: "global secure access ip address",
        path: &["globalSecureAccessIpAddress"],
    },
    Column {
        header: "autonomous system number",
        path: &["autonomousSystemNumber"],
    },
    Column {
        header: "flagged for review",
        path: &["flaggedForReview"],
    },
    Column {
        header: "token issuer type",
        path: &["tokenIssuerType"],
    },
    Column {
        header: "token issuer name",
        path: &["tokenIssuerName"],
    },
    Column {
        header: "latency",
        path: &["processingTimeInMilliseconds"],
    },
    Column {
        header: "conditional access",
        path: &["conditionalAccessStatus"],
    },
    Column {
        header: "managed identity type",
        path: &["managedServiceIdentity", "msiType"],
    },
    Column {
        header: "associated resource id",
        path: &["managedServiceIdentity", "associatedResourceId"],
    },
    Column {
        header: "federated token id",
        path: &["managedServiceIdentity", "federatedTokenId"],
    },
    Column {
        header: "federated token issuer",
        path: &["managedServiceIdentity", "federatedTokenIssuer"],
    },
    Column {
        header: "service principal id",
        path: &["servicePrincipalId"],
    },
    Column {
        header: "service principal name",
        path: &["servicePrincipalName"],
    },
    Column {
        header: "credential key id",
        path: &["servicePrincipalCredentialKeyId"],
    },
    Column {
        header: "credential thumbprint",
        path: &["servicePrincipalCredentialThumbprint"],
    },
    // The authentication-details file.
    Column {
        header: "authentication method",
        path: &["authenticationMethod"],
    },
    Column {
        header: "authentication method detail",
        path: &["authenticationMethodDetail"],
    },
    Column {
        header: "succeeded",
        path: &["succeeded"],
    },
    Column {
        header: "result detail",
        path: &["authenticationStepResultDetail"],
    },
    Column {
        header: "requirement",
        path: &["authenticationStepRequirement"],
    },
];

/// Headers of localized portal downloads, folded, and the English header they stand for. Add
/// a language by adding rows; only headers seen in real exports belong here.
const TRANSLATIONS: &[(&str, &str)] = &[
    // French.
    ("nom d'utilisateur", "username"),
    ("adresse ip", "ip address"),
    ("code d'erreur de connexion", "sign-in error code"),
    ("statut", "status"),
    // Spanish.
    ("motivo del error", "failure reason"),
];

/// Folds a header for lookup: trimmed, lower case, runs of spaces as one, a byte-order mark
/// removed.
pub(crate) fn fold_header(header: &str) -> String {
    let header = header.trim_start_matches('\u{feff}');
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn english(folded: &str) -> &str {
    TRANSLATIONS
        .iter()
        .find(|(from, _)| *from == folded)
        .map_or(folded, |(_, to)| to)
}

fn portal_column(header: &str) -> Option<&'static Column> {
    let folded = fold_header(header);
    let english = english(&folded);
    PORTAL_COLUMNS.iter().find(|c| c.header == english)
}

/// Recognises a header row; `None` when it is no sign-in export we know.
pub(crate) fn table_of(headers: &[String]) -> Option<Table> {
    let folded: Vec<String> = headers
        .iter()
        .map(|h| english(&fold_header(h)).to_owned())
        .collect();
    let has = |name: &str| folded.iter().any(|h| h == name);
    let log_analytics = folded
        .iter()
        .any(|h| h == "timegenerated" || h == "timegenerated [utc]")
        || (has("resulttype") && (has("id") || has("correlationid")))
        || folded.iter().any(|h| h.ends_with("_dynamic"));
    if log_analytics {
        return Some(Table::LogAnalytics);
    }
    if !has("request id") {
        return None;
    }
    if has("authentication method") && !has("user") && !has("application") && !has("username") {
        return Some(Table::PortalAuthDetails);
    }
    (has("date (utc)") || has("date")).then_some(Table::Portal)
}

/// One portal row as a canonical object. `event_type` comes from the file name when the
/// columns do not tell.
#[cfg(test)]
pub(crate) fn portal_row(
    headers: &[String],
    row: &csv::StringRecord,
    event_type: Option<&str>,
) -> Map<String, Value> {
    portal_row_in(&Layout::new(headers), row, event_type)
}

/// What each column of a file is, worked out once from its header row rather than for every
/// cell: the portal column it is (if any), its trimmed name, and its key in the raw text.
pub(crate) struct Layout {
    headers: Vec<String>,
    trimmed: Vec<String>,
    columns: Vec<Option<&'static Column>>,
    raw_keys: Vec<String>,
}

impl Layout {
    pub(crate) fn new(headers: &[String]) -> Layout {
        let mut raw_keys: Vec<String> = Vec::with_capacity(headers.len());
        for header in headers {
            let mut key = header.clone();
            while raw_keys.contains(&key) {
                key.push('\'');
            }
            raw_keys.push(key);
        }
        Layout {
            headers: headers.to_vec(),
            trimmed: headers.iter().map(|h| h.trim().to_owned()).collect(),
            columns: headers.iter().map(|h| portal_column(h.trim())).collect(),
            raw_keys,
        }
    }
}

/// A quick look at a portal row: the few cells a search or a count reads, straight from the
/// row, for when building the whole sign-in would be wasted (it cannot match, or only its
/// error code is counted). Like the JSON quick look ([`super::glance`]) it answers only where
/// the full reading would certainly give the same values and accept the row: each read
/// column is present once, no other column could stand in for one, and every cell the full
/// reading could refuse (a time, a number, a yes/no) reads as it would there.
pub(crate) struct Quick {
    /// Column of each read property, in [`QUICK_PATHS`] order.
    at: [Option<usize>; QUICK_PATHS.len()],
    /// Columns whose cells the full reading may refuse, and how it reads them.
    checked: Vec<(usize, Check)>,
    /// Columns in the header row.
    width: usize,
}

/// The properties a quick look reads, where portal columns put them.
const QUICK_PATHS: [&[&str]; 9] = [
    &["id"],
    &["createdDateTime"],
    &["status", "errorCode"],
    &["correlationId"],
    &["userPrincipalName"],
    &["userDisplayName"],
    &["userId"],
    &["appDisplayName"],
    &["appId"],
];

/// How the full reading reads a cell it may refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// A time ([`crate::time::parse_timestamp`]).
    Time,
    /// A whole number.
    Whole,
    /// `true`/`false`/`yes`/`no` in any case.
    YesNo,
}

/// The check a portal column's cells get, by where the column puts its value; text and open
/// enumerations take any cell.
fn check_of(path: &[&str]) -> Option<Check> {
    Some(match path {
        ["createdDateTime"] => Check::Time,
        ["status", "errorCode"] | ["processingTimeInMilliseconds"] | ["autonomousSystemNumber"] => {
            Check::Whole
        }
        ["deviceDetail", "isCompliant"]
        | ["deviceDetail", "isManaged"]
        | ["isThroughGlobalSecureAccess"]
        | ["flaggedForReview"]
        | ["succeeded"] => Check::YesNo,
        _ => return None,
    })
}

impl Check {
    fn passes(self, cell: &str) -> bool {
        match self {
            Check::Time => crate::time::parse_timestamp(cell).is_some(),
            Check::Whole => cell.parse::<i64>().is_ok(),
            Check::YesNo => ["true", "false", "yes", "no"]
                .iter()
                .any(|word| cell.eq_ignore_ascii_case(word)),
        }
    }
}

impl Quick {
    /// `None` when the file's columns leave room for doubt: a read property has no column or
    /// more than one (`Date` and `Date (UTC)`), or a column without a portal meaning carries
    /// a property's own name (the full reading would take it as that property).
    pub(crate) fn new(layout: &Layout) -> Option<Quick> {
        let mut at = [None; QUICK_PATHS.len()];
        let mut checked = Vec::new();
        for (i, column) in layout.columns.iter().enumerate() {
            match column {
                Some(column) => {
                    if let Some(place) = QUICK_PATHS.iter().position(|p| *p == column.path)
                        && at[place].replace(i).is_some()
                    {
                        return None;
                    }
                    if let Some(check) = check_of(column.path) {
                        checked.push((i, check));
                    }
                }
                None if normalize::canonical_key(&layout.trimmed[i])
                    == Some(&layout.trimmed[i]) =>
                {
                    return None;
                }
                None => {}
            }
        }
        (at[0].is_some() && at[1].is_some()).then_some(Quick {
            at,
            checked,
            width: layout.columns.len(),
        })
    }

    /// The row's fields, or `None` when only the full reading can say.
    pub(crate) fn glance<'r>(
        &self,
        row: &'r csv::StringRecord,
    ) -> Option<super::glance::Glance<'r>> {
        let cell = |i: usize| row.get(i).map(str::trim).unwrap_or_default();
        if row.len() > self.width {
            // Cells beyond the header row are named `column N` by the full reading: harmless,
            // but rare enough not to bother.
            return None;
        }
        for &(i, check) in &self.checked {
            let value = cell(i);
            if !value.is_empty() && !check.passes(value) {
                return None;
            }
        }
        let text = |place: usize| self.at[place].map(cell).filter(|value| !value.is_empty());
        let id = text(0)?;
        let created = crate::time::parse_timestamp(text(1)?)?;
        let error_code = match text(2) {
            Some(code) => code.parse().ok()?,
            None => 0,
        };
        Some(super::glance::Glance {
            id,
            created,
            error_code,
            correlation_id: text(3),
            original_request_id: None,
            user_principal_name: text(4),
            user_display_name: text(5),
            user_id: text(6),
            app_display_name: text(7),
            app_id: text(8),
        })
    }
}

/// [`portal_row`] with the file's [`Layout`].
pub(crate) fn portal_row_in(
    layout: &Layout,
    row: &csv::StringRecord,
    event_type: Option<&str>,
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut seen: Vec<&'static str> = Vec::new();
    for (i, value) in row.iter().enumerate() {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let (header, column) = match (layout.trimmed.get(i), layout.columns.get(i)) {
            (Some(header), Some(column)) => (Cow::Borrowed(header.as_str()), *column),
            _ => {
                let header = column_name(&layout.headers, i).trim().to_owned();
                let column = portal_column(&header);
                (Cow::Owned(header), column)
            }
        };
        let header = header.into_owned();
        match column {
            Some(column) if !seen.contains(&column.header) => {
                seen.push(column.header);
                set_path(&mut out, column.path, portal_value(column.header, value));
            }
            // A repeated column (`Incoming token type` appears twice) or one we do not model:
            // kept under its own header, numbered when repeated.
            _ => {
                let mut name = header.clone();
                let mut n = 2;
                while out.contains_key(&name) {
                    name = format!("{header} ({n})");
                    n += 1;
                }
                out.insert(name, Value::String(value.to_owned()));
            }
        }
    }
    if !out.contains_key("signInEventTypes") {
        let kind = if out.contains_key("managedServiceIdentity") {
            Some("managedIdentity")
        } else if out.contains_key("servicePrincipalId") && !out.contains_key("userPrincipalName") {
            Some("servicePrincipal")
        } else {
            event_type
        };
        if let Some(kind) = kind {
            out.insert(
                "signInEventTypes".into(),
                Value::Array(vec![Value::String(kind.into())]),
            );
        }
    }
    out
}

/// Portal cells are display text; some need Graph's spelling.
fn portal_value(header: &str, value: &str) -> Value {
    match header {
        "location" => {
            // "City, State, CC": the last part is the country, the first the city.
            let parts: Vec<&str> = value.split(',').map(str::trim).collect();
            let mut location = Map::new();
            let mut put = |key: &str, v: Option<&&str>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    location.insert(key.into(), Value::String((*v).to_owned()));
                }
            };
            match parts.len() {
                1 => put("countryOrRegion", parts.first()),
                2 => {
                    put("city", parts.first());
                    put("countryOrRegion", parts.get(1));
                }
                _ => {
                    put("city", parts.first());
                    put("state", parts.get(1));
                    put("countryOrRegion", parts.last());
                }
            }
            Value::Object(location)
        }
        "conditional access" | "authentication requirement" => Value::String(camel_words(value)),
        _ => Value::String(value.to_owned()),
    }
}

/// `Not Applied` → `notApplied`, `Single-factor authentication` → `singleFactorAuthentication`.
fn camel_words(text: &str) -> String {
    if !text.contains([' ', '-']) {
        return text.to_owned();
    }
    let mut out = String::new();
    for (i, word) in text.split([' ', '-']).filter(|w| !w.is_empty()).enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.extend(first.to_lowercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(&chars.as_str().to_lowercase());
        }
    }
    out.replace("multifactor", "multiFactor")
}

fn set_path(out: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            out.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => {
            let child = out
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(child) = child {
                set_path(child, rest, value);
            }
        }
    }
}

/// One Log Analytics CSV row as a canonical object.
pub(crate) fn log_analytics_row(headers: &[String], row: &csv::StringRecord) -> Map<String, Value> {
    let mut raw = Map::new();
    for (i, value) in row.iter().enumerate() {
        let header = column_name(headers, i).trim().to_owned();
        raw.insert(header, Value::String(value.to_owned()));
    }
    normalize::from_log_analytics(raw)
}

/// The header of column `i`, or "column N" when the row is longer than the header line.
fn column_name(headers: &[String], i: usize) -> Cow<'_, str> {
    headers.get(i).map_or_else(
        || Cow::Owned(format!("column {}", i + 1)),
        |h| Cow::Borrowed(h.as_str()),
    )
}

/// [`raw_row`] with the file's [`Layout`]: the same text, written directly.
pub(crate) fn raw_row_in(layout: &Layout, row: &csv::StringRecord) -> String {
    if row.len() > layout.raw_keys.len() {
        // More cells than headers: named "column N" as they come (rare; the slow way).
        return raw_row(&layout.headers, row);
    }
    let mut out = Vec::with_capacity(row.as_slice().len() + 24 * row.len());
    out.push(b'{');
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing text into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &layout.raw_keys[i]);
        out.push(b':');
        let _ = serde_json::to_writer(&mut out, value);
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// The row as `{header: value}`, kept as the record's raw text.
pub(crate) fn raw_row(headers: &[String], row: &csv::StringRecord) -> String {
    let mut raw = Map::new();
    for (i, value) in row.iter().enumerate() {
        let mut header = column_name(headers, i).into_owned();
        while raw.contains_key(&header) {
            header.push('\'');
        }
        raw.insert(header, Value::String(value.to_owned()));
    }
    Value::Object(raw).to_string()
}

/// The sign-in log a portal file holds, from its name (`NonInteractiveSignIns_...`).
pub(crate) fn event_type_of_file_name(name: &str) -> Option<&'static str> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    if base.starts_with("noninteractivesignins") {
        Some("nonInteractiveUser")
    } else if base.starts_with("interactivesignins") {
        Some("interactiveUser")
    } else if base.starts_with("applicationsignins") {
        Some("servicePrincipal")
    } else if base.starts_with("msisignins") {
        Some("managedIdentity")
    } else {
        None
    }
}

/// Counts lines of a stream as it is read, to turn byte offsets into line numbers. Memory
/// holds only the line breaks read ahead of the last offset asked about.
#[derive(Debug, Default, Clone)]
pub(crate) struct LineIndex(Rc<RefCell<Lines>>);

#[derive(Debug, Default)]
struct Lines {
    /// Bytes read so far.
    read: u64,
    /// Offsets of line breaks not yet passed by `line_at`.
    ahead: VecDeque<u64>,
    /// Line breaks already passed.
    passed: u64,
}

impl LineIndex {
    /// A reader that feeds this index as it is read.
    pub(crate) fn wrap<R: Read>(&self, inner: R) -> CountingReader<R> {
        CountingReader {
            inner,
            lines: self.clone(),
        }
    }

    /// The 1-based line holding byte `offset`; offsets must not decrease between calls. A
    /// line break at `offset` itself counts as passed: with CRLF line ends the csv crate reports
    /// a record as starting on the `\n` of the line before.
    pub(crate) fn line_at(&self, offset: u64) -> u64 {
        let mut lines = self.0.borrow_mut();
        while lines.ahead.front().is_some_and(|&at| at <= offset) {
            lines.ahead.pop_front();
            lines.passed += 1;
        }
        lines.passed + 1
    }
}

/// See [`LineIndex::wrap`].
pub(crate) struct CountingReader<R> {
    inner: R,
    lines: LineIndex,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = self.lines.0.borrow_mut();
        let start = lines.read;
        lines
            .ahead
            .extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| start + i as u64));
        lines.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
