//! A quick look at one sign-in record's JSON text: the fields a search or a count needs, read
//! straight from the bytes without building the record.
//!
//! It answers only where the full reading ([`super::ReadState`], serde and the normaliser)
//! would certainly give the same values: a Graph-shaped object whose keys are all Graph's own
//! spelling (so no alias, envelope or PowerShell bag can change a value), each read field present
//! at most once, text without escapes, valid JSON throughout. Anything else gets `None`, and the
//! caller reads that record the full way. That keeps every answer identical to a workspace's.

use chrono::{DateTime, Utc};

use crate::search::SearchFields;

/// The fields of one record a search or count looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct Glance<'a> {
    pub id: &'a str,
    pub created: DateTime<Utc>,
    pub error_code: i64,
    pub correlation_id: Option<&'a str>,
    pub original_request_id: Option<&'a str>,
    pub user_principal_name: Option<&'a str>,
    pub user_display_name: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub app_display_name: Option<&'a str>,
    pub app_id: Option<&'a str>,
}

impl SearchFields for Glance<'_> {
    fn created(&self) -> DateTime<Utc> {
        self.created
    }
    fn error_code(&self) -> i64 {
        self.error_code
    }
    fn request_id(&self) -> &str {
        self.id
    }
    fn correlation_id(&self) -> Option<&str> {
        self.correlation_id
    }
    fn original_request_id(&self) -> Option<&str> {
        self.original_request_id
    }
    fn user_principal_name(&self) -> Option<&str> {
        self.user_principal_name
    }
    fn user_display_name(&self) -> Option<&str> {
        self.user_display_name
    }
    fn user_id(&self) -> Option<&str> {
        self.user_id
    }
    fn app_display_name(&self) -> Option<&str> {
        self.app_display_name
    }
    fn app_id(&self) -> Option<&str> {
        self.app_id
    }
}

/// The record's fields, or `None` when only the full reading can say (see the module text).
/// `record` is exactly one JSON object, possibly with white space around it.
pub fn glance(record: &[u8]) -> Option<Glance<'_>> {
    let mut p = Parser { b: record, i: 0 };
    let fields = p.record()?;
    p.ws();
    if p.i != record.len() {
        return None;
    }
    // The whole record must be valid UTF-8, as serde requires; checked once, vectorised,
    // rather than field by field.
    let whole = simdutf8::basic::from_utf8(record).ok()?;
    // The ranges lie between quotes, so on character boundaries.
    let text =
        |r: Option<(usize, usize)>| r.map(|(from, to)| whole.get(from..to).unwrap_or_default());
    let id = text(fields.text[ID])?;
    if id.trim().is_empty() {
        return None;
    }
    let created = crate::time::parse_timestamp(text(fields.text[CREATED])?)?;
    Some(Glance {
        id,
        created,
        error_code: fields.error_code.unwrap_or(0),
        correlation_id: text(fields.text[CORRELATION]),
        original_request_id: text(fields.text[ORIGINAL_REQUEST]),
        user_principal_name: text(fields.text[UPN]),
        user_display_name: text(fields.text[USER_NAME]),
        user_id: text(fields.text[USER_ID]),
        app_display_name: text(fields.text[APP_NAME]),
        app_id: text(fields.text[APP_ID]),
    })
}

/// The request ID of a record whose text starts `{"id":"…"` with plain text: the quick way to
/// know every record's ID while reading only the records that may match. `None` when the
/// record does not start so.
pub fn leading_id(record: &[u8]) -> Option<&str> {
    let rest = record.strip_prefix(b"{\"id\":\"")?;
    let end = memchr::memchr2(b'"', b'\\', rest)?;
    if rest[end] != b'"' {
        return None;
    }
    let id = std::str::from_utf8(&rest[..end]).ok()?;
    (!id.trim().is_empty() && !id.starts_with("/Date(")).then_some(id)
}

const ID: usize = 0;
const CREATED: usize = 1;
const CORRELATION: usize = 2;
const ORIGINAL_REQUEST: usize = 3;
const UPN: usize = 4;
const USER_NAME: usize = 5;
const USER_ID: usize = 6;
const APP_NAME: usize = 7;
const APP_ID: usize = 8;
const TEXT_FIELDS: usize = 9;
/// The bit of `status` among the fields seen, after the text fields.
const STATUS: usize = TEXT_FIELDS;

/// Where each text field's value lies (between its quotes); `None` for absent or `null`.
struct Fields {
    text: [Option<(usize, usize)>; TEXT_FIELDS],
    error_code: Option<i64>,
}

/// Which of the record's keys a glance reads, and which it passes over. A key in neither list
/// makes the record one for the full reading.
fn field_of(key: &[u8]) -> Option<Key> {
    Some(match key {
        b"id" => Key::Text(ID),
        b"createdDateTime" => Key::Text(CREATED),
        b"correlationId" => Key::Text(CORRELATION),
        b"originalRequestId" => Key::Text(ORIGINAL_REQUEST),
        b"userPrincipalName" => Key::Text(UPN),
        b"userDisplayName" => Key::Text(USER_NAME),
        b"userId" => Key::Text(USER_ID),
        b"appDisplayName" => Key::Text(APP_NAME),
        b"appId" => Key::Text(APP_ID),
        b"status" => Key::Status,
        // Graph's other signIn properties (v1.0 and beta), whose values a search never reads.
        b"agent"
        | b"appliedConditionalAccessPolicies"
        | b"appliedEventListeners"
        | b"appOwnerTenantId"
        | b"appTokenProtectionStatus"
        | b"authenticationAppDeviceDetails"
        | b"authenticationAppPolicyEvaluationDetails"
        | b"authenticationContextClassReferences"
        | b"authenticationDetails"
        | b"authenticationMethodsUsed"
        | b"authenticationProcessingDetails"
        | b"authenticationProtocol"
        | b"authenticationRequirement"
        | b"authenticationRequirementPolicies"
        | b"autonomousSystemNumber"
        | b"azureResourceId"
        | b"clientAppUsed"
        | b"clientCredentialType"
        | b"conditionalAccessAudiences"
        | b"conditionalAccessStatus"
        | b"crossTenantAccessType"
        | b"deviceDetail"
        | b"federatedCredentialId"
        | b"flaggedForReview"
        | b"globalSecureAccessIpAddress"
        | b"homeTenantId"
        | b"homeTenantName"
        | b"incomingTokenType"
        | b"ipAddress"
        | b"ipAddressFromResourceProvider"
        | b"isInteractive"
        | b"isTenantRestricted"
        | b"isThroughGlobalSecureAccess"
        | b"location"
        | b"managedServiceIdentity"
        | b"mfaDetail"
        | b"networkLocationDetails"
        | b"originalTransferMethod"
        | b"privateLinkDetails"
        | b"processingTimeInMilliseconds"
        | b"resourceDisplayName"
        | b"resourceId"
        | b"resourceOwnerTenantId"
        | b"resourceServicePrincipalId"
        | b"resourceTenantId"
        | b"riskDetail"
        | b"riskEventTypes"
        | b"riskEventTypes_v2"
        | b"riskLevelAggregated"
        | b"riskLevelDuringSignIn"
        | b"riskState"
        | b"servicePrincipalCredentialKeyId"
        | b"servicePrincipalCredentialThumbprint"
        | b"servicePrincipalId"
        | b"servicePrincipalName"
        | b"sessionId"
        | b"sessionLifetimePolicies"
        | b"signInEventTypes"
        | b"signInIdentifier"
        | b"signInIdentifierType"
        | b"signInTokenProtectionStatus"
        | b"tokenIssuerName"
        | b"tokenIssuerType"
        | b"tokenProtectionStatusDetails"
        | b"uniqueTokenIdentifier"
        | b"userAgent"
        | b"userType" => Key::Other,
        _ => return None,
    })
}

enum Key {
    Text(usize),
    Status,
    Other,
}

/// serde_json refuses deeper nesting than this; deeper records go the full way.
const MAX_DEPTH: u32 = 100;

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

/// A cursor over one record's JSON text: the steps both quick readings of it share (this
/// one, and the check that a record reads straight into the typed sign-in).
pub(super) trait Cursor {
    /// The text, and where in it the reading is.
    fn place(&mut self) -> (&[u8], &mut usize);

    #[inline(always)]
    fn ws(&mut self) {
        let (b, i) = self.place();
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = b.get(*i) {
            *i += 1;
        }
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Option<()> {
        let (b, i) = self.place();
        (b.get(*i) == Some(&byte)).then(|| *i += 1)
    }

    /// A list whose `[` is at the cursor, each item read by `item`.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()>
    where
        Self: Sized,
    {
        *self.place().1 += 1;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            if !self.after_item(b']')? {
                return Some(());
            }
        }
    }

    /// After an item of a list or an object: `Some(true)` past a comma (and the white space
    /// after it), `Some(false)` past the `close`ing bracket, `None` at anything else.
    #[inline(always)]
    fn after_item(&mut self, close: u8) -> Option<bool> {
        self.ws();
        let (b, i) = self.place();
        match *b.get(*i)? {
            b',' => {
                *i += 1;
                self.ws();
                Some(true)
            }
            byte if byte == close => {
                *i += 1;
                Some(false)
            }
            _ => None,
        }
    }
}

impl Cursor for Parser<'_> {
    #[inline(always)]
    fn place(&mut self) -> (&[u8], &mut usize) {
        (self.b, &mut self.i)
    }
}

impl Parser<'_> {
    fn record(&mut self) -> Option<Fields> {
        let mut fields = Fields {
            text: [None; TEXT_FIELDS],
            error_code: None,
        };
        let mut seen = 0u32;
        self.ws();
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(fields);
        }
        loop {
            let (from, to) = self.string()?;
            let key = field_of(&self.b[from..to])?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            match key {
                Key::Text(n) => {
                    // A field read twice: the full reading knows which one counts.
                    if seen & (1 << n) != 0 {
                        return None;
                    }
                    seen |= 1 << n;
                    fields.text[n] = self.text_value()?;
                }
                Key::Status => {
                    if seen & (1 << STATUS) != 0 {
                        return None;
                    }
                    seen |= 1 << STATUS;
                    fields.error_code = self.status()?;
                }
                Key::Other => self.value(0)?,
            }
            if !self.after_item(b'}')? {
                return Some(fields);
            }
        }
    }

    /// A text field's value: text without escapes, or `null`.
    #[inline(always)]
    fn text_value(&mut self) -> Option<Option<(usize, usize)>> {
        match self.b.get(self.i)? {
            b'"' => {
                let (from, to) = self.string()?;
                // PowerShell's `/Date(…)/` times are rewritten by the full reading.
                if self.b[from..to].starts_with(b"/Date(") {
                    return None;
                }
                Some(Some((from, to)))
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => None,
        }
    }

    /// `status`: an object of Graph's three fields with a whole-number error code.
    fn status(&mut self) -> Option<Option<i64>> {
        self.eat(b'{')?;
        self.ws();
        let mut code = None;
        let mut seen_code = false;
        if self.eat(b'}').is_some() {
            return Some(None);
        }
        loop {
            let (from, to) = self.string()?;
            let key = &self.b[from..to];
            self.ws();
            self.eat(b':')?;
            self.ws();
            match key {
                b"errorCode" => {
                    if seen_code {
                        return None;
                    }
                    seen_code = true;
                    code = self.error_code()?;
                }
                b"failureReason" | b"additionalDetails" => self.value(1)?,
                _ => return None,
            }
            if !self.after_item(b'}')? {
                return Some(code);
            }
        }
    }

    /// A whole number written plainly, or `null`.
    #[inline(always)]
    fn error_code(&mut self) -> Option<Option<i64>> {
        if self.b.get(self.i) == Some(&b'n') {
            return self.literal(b"null").map(|()| None);
        }
        let from = self.i;
        self.number()?;
        let digits = std::str::from_utf8(&self.b[from..self.i]).ok()?;
        // A fraction or exponent is read the full way.
        digits.parse::<i64>().ok().map(Some)
    }

    /// Passes over any JSON value, checking it is well formed.
    #[inline(always)]
    fn value(&mut self, depth: u32) -> Option<()> {
        match *self.b.get(self.i)? {
            b'"' => self.skip_string(),
            b'{' | b'[' => self.container(depth),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    /// An object or a list at the cursor, passed over as [`Self::value`] does.
    fn container(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.b[self.i] == b'[' {
            return self.list(|p| p.value(depth + 1));
        }
        self.i += 1;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.skip_string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            self.value(depth + 1)?;
            if !self.after_item(b'}')? {
                return Some(());
            }
        }
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.i..]
            .starts_with(word)
            .then(|| self.i += word.len())
    }

    /// A JSON number. Long exponents are left to the full reading, which may find them out of
    /// range.
    #[inline(always)]
    fn number(&mut self) -> Option<()> {
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - from
        };
        let _ = self.eat(b'-');
        match self.b.get(self.i)? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && digits(self) == 0 {
            return None;
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if !(1..=3).contains(&digits(self)) {
                return None;
            }
        }
        Some(())
    }

    /// A string without escapes or control characters; returns the range between its quotes.
    #[inline(always)]
    fn string(&mut self) -> Option<(usize, usize)> {
        self.eat(b'"')?;
        let from = self.i;
        loop {
            self.i = special_byte(self.b, self.i)?;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some((from, self.i - 1));
                }
                byte if byte >= 0x80 => self.i += 1,
                // A backslash or a control character: the full reading decides.
                _ => return None,
            }
        }
    }

    /// Passes over a string that is not read, whose escapes must only be valid.
    #[inline(always)]
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.i = special_byte(self.b, self.i)?;
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.escape()?,
                byte if byte >= 0x80 => self.i += 1,
                _ => return None,
            }
        }
    }

    /// An escape inside text, as serde accepts it: a `\u` escape of half a surrogate pair
    /// must be followed by the other half.
    fn escape(&mut self) -> Option<()> {
        self.i += 1;
        match *self.b.get(self.i)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                self.i += 1;
                Some(())
            }
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        if self.b.get(self.i..self.i + 2)? != b"\\u" {
                            return None;
                        }
                        self.i += 1;
                        (0xDC00..=0xDFFF).contains(&self.hex4()?).then_some(())
                    }
                    0xDC00..=0xDFFF => None,
                    _ => Some(()),
                }
            }
            _ => None,
        }
    }

    /// `uXXXX` at the cursor: the four hex digits' value.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i + 1..self.i + 5)?;
        let text = std::str::from_utf8(digits).ok()?;
        let value = u32::from_str_radix(text, 16).ok()?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.i += 5;
        Some(value)
    }
}

/// The first byte at or after `i` that is a quote, a backslash, a control character or
/// beyond ASCII. Eight bytes at a time: a text's bytes are mostly none of these.
#[inline(always)]
fn special_byte(b: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes of `x` equal to zero get their high bit set; exact up to the first such byte,
    // which is all that is read of it.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(word) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')))
            // Below 0x20 (for ASCII bytes), and every byte beyond ASCII.
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | (x & HIGH);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || !(0x20..0x80).contains(&c))
        .map(|at| i + at)
}

#[cfg(test)]
mod tests;
