//! Bringing every export's spelling to the Graph beta shape.
//!
//! Exports disagree on how a sign-in is written: Graph uses camelCase, Graph PowerShell
//! PascalCase with `AdditionalProperties` bags and `/Date(ms)/` times, Log Analytics PascalCase
//! columns with nested objects as JSON text, `_dynamic`/`_string` column pairs and integer flag
//! sets, Azure Monitor wraps the sign-in in an envelope. Each JSON object is rewritten here into
//! the canonical shape before it is read as a [`crate::SignInEvent`]; nothing is dropped, what has
//! no canonical place keeps its own name.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use serde_json::map::Entry;
use serde_json::{Map, Value};

use super::glance::Cursor;

/// Property names of the canonical model, at every level.
const KNOWN: &[&str] = &[
    "additionalDetails",
    "agent",
    "altitude",
    "appDisplayName",
    "appId",
    "appOwnerTenantId",
    "appTokenProtectionStatus",
    "appliedConditionalAccessPolicies",
    "appliedEventListeners",
    "associatedResourceId",
    "authDetail",
    "authMethod",
    "authenticationAppDeviceDetails",
    "authenticationAppPolicyEvaluationDetails",
    "authenticationContextClassReferences",
    "authenticationDetails",
    "authenticationMethod",
    "authenticationMethodDetail",
    "authenticationMethodsUsed",
    "authenticationProcessingDetails",
    "authenticationProtocol",
    "authenticationRequirement",
    "authenticationRequirementPolicies",
    "authenticationStepDateTime",
    "authenticationStepRequirement",
    "authenticationStepResultDetail",
    "authenticationStrength",
    "authenticationStrengthId",
    "authenticationStrengthResult",
    "autonomousSystemNumber",
    "azureResourceId",
    "browser",
    "city",
    "clientAppUsed",
    "clientCredentialType",
    "conditionalAccessAudiences",
    "conditionalAccessCondition",
    "conditionalAccessStatus",
    "conditionsNotSatisfied",
    "conditionsSatisfied",
    "correlationId",
    "countryOrRegion",
    "createdDateTime",
    "crossTenantAccessType",
    "detail",
    "deviceDetail",
    "deviceId",
    "displayName",
    "enforcedGrantControls",
    "enforcedSessionControls",
    "errorCode",
    "excludeRulesSatisfied",
    "expirationRequirement",
    "failureReason",
    "federatedCredentialId",
    "federatedTokenId",
    "federatedTokenIssuer",
    "flaggedForReview",
    "geoCoordinates",
    "globalSecureAccessIpAddress",
    "homeTenantId",
    "homeTenantName",
    "id",
    "includeRulesSatisfied",
    "incomingTokenType",
    "ipAddress",
    "ipAddressFromResourceProvider",
    "isCompliant",
    "isInteractive",
    "isManaged",
    "isTenantRestricted",
    "isThroughGlobalSecureAccess",
    "key",
    "latitude",
    "location",
    "longitude",
    "managedServiceIdentity",
    "mfaDetail",
    "msiType",
    "networkLocationDetails",
    "networkNames",
    "networkType",
    "operatingSystem",
    "originalRequestId",
    "originalTransferMethod",
    "privateLinkDetails",
    "processingTimeInMilliseconds",
    "requirementProvider",
    "resourceDisplayName",
    "resourceId",
    "resourceOwnerTenantId",
    "resourceServicePrincipalId",
    "resourceTenantId",
    "result",
    "riskDetail",
    "riskEventTypes",
    "riskEventTypes_v2",
    "riskLevelAggregated",
    "riskLevelDuringSignIn",
    "riskState",
    "ruleSatisfied",
    "servicePrincipalCredentialKeyId",
    "servicePrincipalCredentialThumbprint",
    "servicePrincipalId",
    "servicePrincipalName",
    "sessionId",
    "sessionLifetimePolicies",
    "signInEventTypes",
    "signInIdentifier",
    "signInIdentifierType",
    "signInSessionStatus",
    "signInSessionStatusCode",
    "signInTokenProtectionStatus",
    "state",
    "status",
    "succeeded",
    "tokenIssuerName",
    "tokenIssuerType",
    "tokenProtectionStatusDetails",
    "trustType",
    "uniqueTokenIdentifier",
    "userAgent",
    "userDisplayName",
    "userId",
    "userPrincipalName",
    "userType",
    "value",
];

/// The canonical spelling of `key` when it names a modelled property in any case, with or
/// without underscores (`IPAddress`, `RiskEventTypes_V2`, `riskLevelDuringsignIn`).
pub(crate) fn canonical_key(key: &str) -> Option<&'static str> {
    if let Ok(i) = KNOWN.binary_search(&key) {
        return Some(KNOWN[i]);
    }
    static FOLDED: LazyLock<HashMap<String, &'static str>> =
        LazyLock::new(|| KNOWN.iter().map(|k| (fold(k), *k)).collect());
    FOLDED.get(&fold(key)).copied()
}

fn fold(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Canonical properties whose value is an object or a list; exports may carry them as JSON text.
const STRUCTURED: &[&str] = &[
    "agent",
    "appliedConditionalAccessPolicies",
    "appliedEventListeners",
    "authenticationAppDeviceDetails",
    "authenticationAppPolicyEvaluationDetails",
    "authenticationContextClassReferences",
    "authenticationDetails",
    "authenticationMethodsUsed",
    "authenticationProcessingDetails",
    "authenticationRequirementPolicies",
    "authenticationStrength",
    "conditionalAccessAudiences",
    "deviceDetail",
    "enforcedGrantControls",
    "enforcedSessionControls",
    "excludeRulesSatisfied",
    "geoCoordinates",
    "includeRulesSatisfied",
    "location",
    "managedServiceIdentity",
    "mfaDetail",
    "networkLocationDetails",
    "networkNames",
    "privateLinkDetails",
    "riskEventTypes",
    "riskEventTypes_v2",
    "sessionLifetimePolicies",
    "signInEventTypes",
    "status",
    "tokenProtectionStatusDetails",
];

/// Lists of plain text, which Log Analytics may also write as one bare word (`Password`).
const TEXT_LISTS: &[&str] = &[
    "authenticationMethodsUsed",
    "enforcedGrantControls",
    "enforcedSessionControls",
    "networkNames",
    "riskEventTypes",
    "riskEventTypes_v2",
    "signInEventTypes",
];

/// Rewrites an object's keys to canonical spelling, at every level, and fixes values that
/// exports write differently: JSON text for objects and lists, `/Date(ms)/` times, a property
/// bag (`AdditionalProperties`) merged into its owner, integer condition flags as names.
/// Keys that are not modelled keep their own name.
///
/// Most objects (all of a Graph export's) are canonical already: those are kept as they are,
/// only their nested objects looked at, rather than rebuilt key by key.
pub(crate) fn canonicalise(object: Map<String, Value>) -> Map<String, Value> {
    canonicalise_as(object, Keeping::Plain)
}

/// Whether [`canonicalise_as`] keeps objects that need no rewriting as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keeping {
    Plain,
    /// Rebuild every object: the reference the quick way is tested against.
    #[cfg(test)]
    Nothing,
}

pub(crate) fn canonicalise_as(
    mut object: Map<String, Value>,
    keeping: Keeping,
) -> Map<String, Value> {
    if keeping == Keeping::Plain && is_plain(&object) {
        for value in object.values_mut() {
            canonicalise_nested(value, keeping);
        }
        return object;
    }
    let mut out = Map::with_capacity(object.len());
    let mut bags = Vec::new();
    for (key, value) in object {
        if key.eq_ignore_ascii_case("AdditionalProperties")
            && let Value::Object(bag) = value
        {
            bags.push(bag);
            continue;
        }
        // Most keys are already spelt canonically: they are kept, not copied.
        let name = match canonical_key(&key) {
            Some(canonical) if canonical != key => canonical.to_owned(),
            _ => key,
        };
        let value = canonical_value(&name, value, keeping);
        let Some(value) = value else { continue };
        // Two spellings of one property (PowerShell's `IPAddress` and `IpAddress`): keep the
        // first that says something.
        match out.entry(name) {
            Entry::Occupied(existing) if !is_empty(existing.get()) => {}
            Entry::Occupied(mut existing) => {
                existing.insert(value);
            }
            Entry::Vacant(place) => {
                place.insert(value);
            }
        }
    }
    for bag in bags {
        for (key, value) in canonicalise_as(bag, keeping) {
            out.entry(key).or_insert(value);
        }
    }
    out
}

/// What the rewriting needs to know of a modelled property.
#[derive(Debug, Clone, Copy)]
struct Known {
    /// Its place in [`KNOWN`] (fewer than 128: one bit each in [`Walk::object`]).
    index: u32,
    /// An object or list that exports may write as JSON text.
    structured: bool,
    /// Condition flags, which exports may write as an integer.
    conditions: bool,
}

/// Every modelled property name, by its canonical spelling. Looked up for each key of every
/// record, so hashed eight bytes a step ([`Words`]) rather than searched for.
static KNOWN_KEYS: LazyLock<HashMap<&'static [u8], Known, BuildHasherDefault<Words>>> =
    LazyLock::new(|| {
        KNOWN
            .iter()
            .zip(0..)
            .map(|(name, index)| {
                let known = Known {
                    index,
                    structured: STRUCTURED.binary_search(name).is_ok(),
                    conditions: *name == "conditionsSatisfied" || *name == "conditionsNotSatisfied",
                };
                (name.as_bytes(), known)
            })
            .collect()
    });

/// A hash for short keys: each eight bytes (the last few padded with zeros) mixed in by one
/// multiplication, so a property name costs two or three steps rather than one a byte.
#[derive(Default)]
struct Words(u64);

impl Words {
    /// An odd constant with its bits well spread (2^64 divided by the golden ratio).
    const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
}

impl Hasher for Words {
    fn finish(&self) -> u64 {
        // The high bits are the best mixed; hashbrown takes its control byte from the top.
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            hash = (hash ^ word).wrapping_mul(Self::MIX).rotate_left(23);
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        hash = (hash ^ u64::from_le_bytes(last) ^ bytes.len() as u64).wrapping_mul(Self::MIX);
        self.0 = hash;
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(Self::MIX);
    }
}

/// How the rewriting treats a key: `Some(Some(known))` for a modelled property spelt as the
/// model spells it, `Some(None)` for a key unknown to the model in any spelling (kept under its
/// own name), `None` for a key it renames or unfolds (another spelling, a property bag).
/// Keys that are not UTF-8 are left to the full reading (`None`).
fn kept_key(key: &[u8]) -> Option<Option<&'static Known>> {
    if let Some(known) = KNOWN_KEYS.get(key) {
        return Some(Some(known));
    }
    let key = std::str::from_utf8(key).ok()?;
    if key.eq_ignore_ascii_case("AdditionalProperties") || canonical_key(key).is_some() {
        None
    } else {
        Some(None)
    }
}

/// What a value is, as far as the rewriting goes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Text; `may_be_time` when it may be a PowerShell time (`/Date(…)/`).
    Text {
        may_be_time: bool,
    },
    Number,
    Other,
}

/// Whether the rewriting keeps a value of this kind, under a key [`kept_key`] kept, as it is:
/// not text standing for a structure, not a PowerShell time, not condition flags as a number.
fn kept_value(known: Option<&Known>, kind: Kind) -> bool {
    match kind {
        Kind::Text { may_be_time } => !may_be_time && !known.is_some_and(|k| k.structured),
        Kind::Number => !known.is_some_and(|k| k.conditions),
        Kind::Other => true,
    }
}

/// Whether rewriting `object` would leave its own keys and values (those nested deeper aside)
/// as they are ([`kept_key`], [`kept_value`]).
fn is_plain(object: &Map<String, Value>) -> bool {
    object.iter().all(|(key, value)| {
        let kind = match value {
            Value::String(text) => Kind::Text {
                may_be_time: text.starts_with("/Date("),
            },
            Value::Number(_) => Kind::Number,
            _ => Kind::Other,
        };
        kept_key(key.as_bytes()).is_some_and(|known| kept_value(known, kind))
    })
}

/// Whether a record's JSON text is plain throughout: [`is_plain`] would hold for every object
/// at every level, no object repeats a key, and no top-level key makes [`shape_of`] take it
/// for another dialect than Graph's. Such a record reads straight into the typed sign-in
/// exactly as through [`to_canonical`], without building a generic value first. `false` for
/// anything out of the way (an escape in a key or opening a text, deep nesting, broken JSON):
/// the full reading decides those.
pub(crate) fn is_plain_text(record: &[u8]) -> bool {
    let mut walk = Walk { b: record, i: 0 };
    walk.ws();
    if walk.object(0).is_none() {
        return false;
    }
    walk.ws();
    walk.i == record.len()
}

/// serde_json refuses deeper nesting than this; deeper records go the full way.
const MAX_DEPTH: u32 = 100;

struct Walk<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor for Walk<'_> {
    fn place(&mut self) -> (&[u8], &mut usize) {
        (self.b, &mut self.i)
    }
}

impl<'a> Walk<'a> {
    /// An object; `depth` 0 is the record itself.
    fn object(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        // Keys seen: modelled ones by their place in `KNOWN`, others by their text.
        let mut known_seen = 0u128;
        let mut others_seen: Vec<&'a [u8]> = Vec::new();
        loop {
            let key = self.key()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let known = kept_key(key)?;
            match known {
                Some(known) => {
                    let bit = 1u128 << known.index;
                    if known_seen & bit != 0 {
                        return None;
                    }
                    known_seen |= bit;
                }
                None => {
                    let marks_a_dialect = depth == 0
                        && (key == b"properties"
                            || key.starts_with(b"TimeGenerated")
                            || key.eq_ignore_ascii_case(b"ResultType"));
                    if marks_a_dialect || others_seen.contains(&key) {
                        return None;
                    }
                    others_seen.push(key);
                }
            }
            let kind = match self.b.get(self.i)? {
                b'"' => Kind::Text {
                    // `/Date(…)/`, perhaps written `\/Date(…)\/` or with another escape.
                    may_be_time: matches!(self.b.get(self.i + 1)?, b'/' | b'\\'),
                },
                b'-' | b'0'..=b'9' => Kind::Number,
                _ => Kind::Other,
            };
            if !kept_value(known, kind) {
                return None;
            }
            self.value(depth)?;
            if !self.after_item(b'}')? {
                return Some(());
            }
        }
    }

    /// A key: text without escapes.
    fn key(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let from = self.i;
        let end = from + memchr::memchr2(b'"', b'\\', &self.b[from..])?;
        if self.b[end] != b'"' {
            return None;
        }
        self.i = end + 1;
        Some(&self.b[from..end])
    }

    /// Any value inside an object at `depth`.
    fn value(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match *self.b.get(self.i)? {
            b'"' => {
                // Text that may be a PowerShell time is left to the full reading in lists
                // too (a property's own value was looked at in `object`).
                if matches!(self.b.get(self.i + 1)?, b'/' | b'\\') {
                    return None;
                }
                self.text()
            }
            b'{' => self.object(depth + 1),
            b'[' => self.list(|p| p.value(depth + 1)),
            // A number, `true`, `false` or `null`: the typed reading checks it.
            _ => {
                let rest = &self.b[self.i..];
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))?;
                (len > 0).then(|| self.i += len)
            }
        }
    }

    /// Passes over a text and its escapes.
    fn text(&mut self) -> Option<()> {
        self.i += 1;
        loop {
            self.i += memchr::memchr2(b'"', b'\\', self.b.get(self.i..)?)?;
            if self.b[self.i] == b'"' {
                self.i += 1;
                return Some(());
            }
            self.i += 2;
        }
    }
}

/// Canonicalises the objects `value` holds (itself, or a list's items), in place.
fn canonicalise_nested(value: &mut Value, keeping: Keeping) {
    match value {
        Value::Object(inner) => *inner = canonicalise_as(std::mem::take(inner), keeping),
        Value::Array(items) => {
            for item in items {
                if let Value::Object(inner) = item {
                    *inner = canonicalise_as(std::mem::take(inner), keeping);
                }
            }
        }
        _ => {}
    }
}

/// The canonical form of one value; `None` when it is empty text standing for "absent".
fn canonical_value(name: &str, value: Value, keeping: Keeping) -> Option<Value> {
    let structured = STRUCTURED.binary_search(&name).is_ok();
    let value = match value {
        Value::String(text) if structured => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return None;
            }
            if trimmed.starts_with('{') || trimmed.starts_with('[') {
                match serde_json::from_str::<Value>(trimmed) {
                    Ok(parsed) => parsed,
                    Err(_) => Value::String(text),
                }
            } else if TEXT_LISTS.binary_search(&name).is_ok() {
                Value::Array(vec![Value::String(text)])
            } else {
                Value::String(text)
            }
        }
        Value::String(text) => match dotnet_date(&text) {
            Some(iso) => Value::String(iso),
            None => Value::String(text),
        },
        other => other,
    };
    let mut value = value;
    canonicalise_nested(&mut value, keeping);
    Some(match value {
        Value::Number(n) if name == "conditionsSatisfied" || name == "conditionsNotSatisfied" => {
            n.as_u64().map_or(Value::Number(n), |bits| {
                Value::String(condition_names(bits))
            })
        }
        other => other,
    })
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Windows PowerShell 5.1 writes times as `/Date(1700000000000)/` (milliseconds since 1970,
/// sometimes with an offset such as `+0100`, which does not change the instant).
fn dotnet_date(text: &str) -> Option<String> {
    let inner = text.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(inner.len(), |(i, _)| i);
    let millis: i64 = inner[..digits_end].parse().ok()?;
    let time = chrono::DateTime::from_timestamp_millis(millis)?;
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// Graph's `conditionalAccessConditions` flag names in bit order (bit 0 is `application`).
/// Log Analytics and Azure Monitor write the set as an integer.
const CONDITIONS: &[&str] = &[
    "application",
    "users",
    "devicePlatform",
    "location",
    "clientType",
    "signInRisk",
    "userRisk",
    "time",
    "deviceState",
    "client",
    "ipAddressSeenByAzureAD",
    "ipAddressSeenByResourceProvider",
    "unknownFutureValue",
    "servicePrincipals",
    "servicePrincipalRisk",
    "authenticationFlows",
    "insiderRisk",
];

/// `5` → `application,devicePlatform`; `0` → `none`; bits beyond the known ones stay numbers.
fn condition_names(bits: u64) -> String {
    if bits == 0 {
        return "none".into();
    }
    let mut names: Vec<String> = Vec::new();
    for bit in 0..64 {
        if bits & (1 << bit) != 0 {
            names.push(
                CONDITIONS
                    .get(bit)
                    .map_or_else(|| format!("bit{bit}"), |n| (*n).to_owned()),
            );
        }
    }
    names.join(",")
}

/// How a JSON sign-in record is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Microsoft Graph and the Entra portal: camelCase.
    Graph,
    /// Graph PowerShell `ConvertTo-Json`: PascalCase, `AdditionalProperties`.
    PowerShell,
    /// Diagnostic settings to Event Hub or storage: an envelope with the sign-in in `properties`.
    AzureMonitor,
    /// A Log Analytics or Microsoft Sentinel row: PascalCase columns, nested JSON as text.
    LogAnalytics,
}

/// Recognises the shape from the record's keys.
pub(crate) fn shape_of(record: &Map<String, Value>) -> Shape {
    let has = |name: &str| record.keys().any(|k| k.eq_ignore_ascii_case(name));
    if record.get("properties").is_some_and(Value::is_object)
        && (has("operationName") || has("category"))
    {
        Shape::AzureMonitor
    } else if record.keys().any(|k| k.starts_with("TimeGenerated"))
        || (has("ResultType") && (has("Category") || has("Type")))
    {
        Shape::LogAnalytics
    } else if record.contains_key("CreatedDateTime") || record.contains_key("Id") {
        Shape::PowerShell
    } else {
        Shape::Graph
    }
}

/// Turns a record of any shape into the canonical Graph shape.
pub(crate) fn to_canonical(record: Map<String, Value>, shape: Shape) -> Map<String, Value> {
    match shape {
        Shape::Graph | Shape::PowerShell => canonicalise(record),
        Shape::AzureMonitor => from_azure_monitor(record),
        Shape::LogAnalytics => from_log_analytics(record),
    }
}

/// Log Analytics columns that describe the log row rather than the sign-in. They are kept under
/// `logAnalytics`, where names such as `Location` (a country code) cannot be mistaken for the
/// sign-in's own properties.
const LOG_ANALYTICS_COLUMNS: &[&str] = &[
    "AADTenantId",
    "Category",
    "DurationMs",
    "Identity",
    "Level",
    "Location",
    "OperationName",
    "OperationVersion",
    "Resource",
    "ResourceGroup",
    "ResourceId",
    "ResourceProvider",
    "ResultDescription",
    "ResultSignature",
    "ResultType",
    "SourceSystem",
    "TenantId",
    "TimeGenerated",
    "Type",
];

/// A Log Analytics row (from a JSON export or a CSV line) in the canonical shape.
pub(crate) fn from_log_analytics(row: Map<String, Value>) -> Map<String, Value> {
    let mut sign_in = Map::new();
    let mut envelope = Map::new();
    for (key, value) in row {
        if matches!(&value, Value::String(s) if s.trim().is_empty()) || value.is_null() {
            continue;
        }
        // `CreatedDateTime [UTC]` in portal CSV exports of a query.
        let key = key.strip_suffix(" [UTC]").unwrap_or(&key).to_owned();
        if let Some(base) = key.strip_suffix("_dynamic") {
            sign_in.insert(log_analytics_name(base), value);
        } else if let Some(base) = key.strip_suffix("_string") {
            sign_in.entry(log_analytics_name(base)).or_insert(value);
        } else if key.starts_with('_')
            || LOG_ANALYTICS_COLUMNS
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&key))
        {
            envelope.insert(key, value);
        } else {
            sign_in.insert(log_analytics_name(&key), value);
        }
    }
    let mut out = canonicalise(sign_in);
    fill_outcome(
        &mut out,
        envelope.get("ResultType"),
        envelope.get("ResultDescription"),
        envelope.get("Category").or_else(|| envelope.get("Type")),
    );
    if !envelope.is_empty() {
        out.insert("logAnalytics".into(), Value::Object(envelope));
    }
    out
}

/// Log Analytics names that differ from Graph's beyond case.
fn log_analytics_name(column: &str) -> String {
    const RENAMES: &[(&str, &str)] = &[
        ("LocationDetails", "location"),
        (
            "ConditionalAccessPolicies",
            "appliedConditionalAccessPolicies",
        ),
        ("ResourceIdentity", "resourceId"),
        ("ProcessingTimeInMs", "processingTimeInMilliseconds"),
    ];
    RENAMES
        .iter()
        .find(|(from, _)| from.eq_ignore_ascii_case(column))
        .map_or_else(|| column.to_owned(), |(_, to)| (*to).to_owned())
}

/// An Azure Monitor record: the sign-in is `properties`; the envelope is kept under
/// `azureMonitor` and fills what the sign-in lacks.
fn from_azure_monitor(mut record: Map<String, Value>) -> Map<String, Value> {
    let Some(Value::Object(properties)) = record.remove("properties") else {
        return canonicalise(record);
    };
    let mut out = canonicalise(properties);
    if !out.contains_key("createdDateTime")
        && let Some(time) = record.get("time")
    {
        out.insert("createdDateTime".into(), time.clone());
    }
    if !out.contains_key("correlationId")
        && let Some(id) = record.get("correlationId")
    {
        out.insert("correlationId".into(), id.clone());
    }
    fill_outcome(
        &mut out,
        record.get("resultType"),
        record.get("resultDescription"),
        record.get("category"),
    );
    out.insert("azureMonitor".into(), Value::Object(record));
    out
}

/// Fills the error code, failure reason and log type from a log envelope when the sign-in
/// itself does not carry them.
fn fill_outcome(
    out: &mut Map<String, Value>,
    code: Option<&Value>,
    description: Option<&Value>,
    category: Option<&Value>,
) {
    let status = out
        .entry("status")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(status) = status {
        if !status.contains_key("errorCode")
            && let Some(code) = code
        {
            status.insert("errorCode".into(), code.clone());
        }
        if !status.contains_key("failureReason")
            && let Some(text) = description.filter(|d| d.as_str().is_some_and(|s| !s.is_empty()))
        {
            status.insert("failureReason".into(), text.clone());
        }
    }
    if !out.contains_key("signInEventTypes")
        && let Some(kind) = category
            .and_then(Value::as_str)
            .and_then(event_type_of_category)
    {
        out.insert(
            "signInEventTypes".into(),
            Value::Array(vec![Value::String(kind.into())]),
        );
    }
}

/// The sign-in log a Log Analytics table or diagnostic category holds.
pub(crate) fn event_type_of_category(category: &str) -> Option<&'static str> {
    let c = category.trim().to_ascii_lowercase();
    let c = c.strip_prefix("aad").unwrap_or(&c);
    match c {
        "signinlogs" => Some("interactiveUser"),
        "noninteractiveusersigninlogs" => Some("nonInteractiveUser"),
        "serviceprincipalsigninlogs" | "microsoftserviceprincipalsigninlogs" => {
            Some("servicePrincipal")
        }
        "managedidentitysigninlogs" => Some("managedIdentity"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
