//! Redaction for sharing a report outside the organisation: every user name, username, user
//! ID, IP address, device name and ID, and tenant name and ID of the report's sign-ins becomes
//! a pseudonym ("User 1", "user1@redacted.invalid", "IP 1", "Device 1", "Tenant 1"). The same
//! original always gets the same pseudonym within one report, in the columns and inside free
//! text (failure reasons, headlines, the ticket), so the report still shows what belongs
//! together.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;
use signin_core::{Lang, SignInEvent};

use crate::labels::Label;

/// What a redacted report replaced, counted per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedactionSummary {
    pub users: usize,
    pub ip_addresses: usize,
    pub devices: usize,
    pub tenants: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Ip,
    Device,
    Tenant,
}

/// Collects the originals of some sign-ins and hands out their pseudonyms.
#[derive(Debug)]
pub(crate) struct Redactor {
    lang: Lang,
    /// Lower-cased original → pseudonym.
    map: HashMap<String, String>,
    /// Originals as found, in the order first seen.
    originals: Vec<String>,
    /// Lower-cased identifying value → the number of the user, device or tenant.
    numbers: HashMap<(u8, String), usize>,
    summary: RedactionSummary,
}

impl Redactor {
    pub(crate) fn new(lang: Lang) -> Redactor {
        Redactor {
            lang,
            map: HashMap::new(),
            originals: Vec::new(),
            numbers: HashMap::new(),
            summary: RedactionSummary::default(),
        }
    }

    /// Learns the identifying values of one sign-in.
    pub(crate) fn learn(&mut self, e: &SignInEvent) {
        let user_upn: Vec<&str> = [
            e.user_principal_name.as_deref(),
            e.sign_in_identifier.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let user_names: Vec<&str> = [e.user_display_name.as_deref(), e.user_id.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if let Some(n) = self.number(Kind::User, user_upn.iter().chain(&user_names)) {
            for value in user_names {
                self.add(
                    value,
                    format!("{} {n}", Label::PseudonymUser.text(self.lang)),
                );
            }
            for value in user_upn {
                self.add(value, format!("user{n}@redacted.invalid"));
            }
        }
        for ip in [
            e.ip_address.as_deref(),
            e.ip_address_from_resource_provider.as_deref(),
            e.global_secure_access_ip_address.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(n) = self.number(Kind::Ip, [&ip]) {
                self.add(ip, format!("{} {n}", Label::PseudonymIp.text(self.lang)));
            }
        }
        if let Some(device) = &e.device_detail {
            let values: Vec<&str> = [device.display_name.as_deref(), device.device_id.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            if let Some(n) = self.number(Kind::Device, &values) {
                for value in values {
                    self.add(
                        value,
                        format!("{} {n}", Label::PseudonymDevice.text(self.lang)),
                    );
                }
            }
        }
        let home: Vec<&str> = [e.home_tenant_id.as_deref(), e.home_tenant_name.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let others = [
            e.resource_tenant_id.as_deref(),
            e.resource_owner_tenant_id.as_deref(),
            e.app_owner_tenant_id.as_deref(),
        ];
        for group in std::iter::once(home).chain(others.into_iter().flatten().map(|t| vec![t])) {
            if let Some(n) = self.number(Kind::Tenant, &group) {
                for value in group {
                    self.add(
                        value,
                        format!("{} {n}", Label::PseudonymTenant.text(self.lang)),
                    );
                }
            }
        }
    }

    /// The number of the thing some values identify: the one any of them already has, else the
    /// next. `None` when there is no value at all.
    fn number<'v>(
        &mut self,
        kind: Kind,
        values: impl IntoIterator<Item = &'v &'v str>,
    ) -> Option<usize> {
        let keys: Vec<String> = values
            .into_iter()
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect();
        if keys.is_empty() {
            return None;
        }
        let tag = kind as u8;
        let n = match keys
            .iter()
            .find_map(|k| self.numbers.get(&(tag, k.clone())))
        {
            Some(&n) => n,
            None => {
                let counter = match kind {
                    Kind::User => &mut self.summary.users,
                    Kind::Ip => &mut self.summary.ip_addresses,
                    Kind::Device => &mut self.summary.devices,
                    Kind::Tenant => &mut self.summary.tenants,
                };
                *counter += 1;
                *counter
            }
        };
        for key in keys {
            self.numbers.entry((tag, key)).or_insert(n);
        }
        Some(n)
    }

    fn add(&mut self, original: &str, pseudonym: String) {
        let original = original.trim();
        if original.is_empty() {
            return;
        }
        let key = original.to_lowercase();
        if let std::collections::hash_map::Entry::Vacant(slot) = self.map.entry(key) {
            slot.insert(pseudonym);
            self.originals.push(original.to_owned());
        }
    }

    /// Every original value learnt, as found in the sign-ins.
    pub(crate) fn originals(&self) -> &[String] {
        &self.originals
    }

    pub(crate) fn finish(self) -> Redaction {
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&self.originals)
            .ok();
        let pseudonyms = self
            .originals
            .iter()
            .map(|o| self.map[&o.to_lowercase()].clone())
            .collect();
        Redaction {
            matcher,
            pseudonyms,
            originals: self.originals,
            summary: self.summary,
        }
    }
}

/// Replaces learnt originals in any text.
#[derive(Debug)]
pub(crate) struct Redaction {
    matcher: Option<AhoCorasick>,
    originals: Vec<String>,
    pseudonyms: Vec<String>,
    pub(crate) summary: RedactionSummary,
}

impl Redaction {
    /// The text with every original replaced. A short original (a first name like "Al") is
    /// replaced only where it stands as a word of its own, so "Alert" stays "Alert"; a longer
    /// one wherever it appears.
    pub(crate) fn apply(&self, text: &str) -> String {
        let Some(matcher) = &self.matcher else {
            return text.to_owned();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in matcher.find_iter(text) {
            let index = m.pattern().as_usize();
            let original = &self.originals[index];
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let joined = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let starts_word = joined(original.chars().next());
            let ends_word = joined(original.chars().next_back());
            let glued = (starts_word && joined(before)) || (ends_word && joined(after));
            if glued && original.chars().count() < 6 {
                continue;
            }
            out.push_str(&text[last..m.start()]);
            out.push_str(&self.pseudonyms[index]);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }

    pub(crate) fn opt(&self, text: &mut Option<String>) {
        if let Some(t) = text {
            *t = self.apply(t);
        }
    }

    pub(crate) fn in_place(&self, text: &mut String) {
        *text = self.apply(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: serde_json::Value) -> SignInEvent {
        serde_json::from_value(json).expect("a sign-in")
    }

    #[test]
    fn the_same_original_gets_the_same_pseudonym_everywhere() {
        let mut r = Redactor::new(Lang::En);
        r.learn(&event(serde_json::json!({
            "id": "a", "createdDateTime": "2026-11-20T08:00:00Z",
            "userDisplayName": "Zoë Müller", "userPrincipalName": "zoe.muller@harbor.example",
            "userId": "11111111-2222-3333-4444-555555555555", "ipAddress": "203.0.113.7",
            "deviceDetail": {"displayName": "HP-LAPTOP-7", "deviceId": "dev-1"},
            "homeTenantId": "aaaaaaaa-0000-0000-0000-000000000001"
        })));
        r.learn(&event(serde_json::json!({
            "id": "b", "createdDateTime": "2026-11-20T08:00:00Z",
            "userDisplayName": "Al Smith", "userPrincipalName": "al@harbor.example",
            "ipAddress": "203.0.113.7"
        })));
        let red = r.finish();
        assert_eq!(
            red.apply(
                "Zoë Müller (ZOE.MULLER@harbor.example) failed from 203.0.113.7 on HP-LAPTOP-7"
            ),
            "User 1 (user1@redacted.invalid) failed from IP 1 on Device 1"
        );
        assert_eq!(red.apply("Al Smith"), "User 2");
        assert_eq!(
            red.apply(
                "aaaaaaaa-0000-0000-0000-000000000001 / 11111111-2222-3333-4444-555555555555"
            ),
            "Tenant 1 / User 1"
        );
        assert_eq!(red.summary.users, 2);
        assert_eq!(red.summary.ip_addresses, 1);
        assert_eq!(red.summary.devices, 1);
        assert_eq!(red.summary.tenants, 1);
    }

    #[test]
    fn a_short_name_is_replaced_only_as_a_word() {
        let mut r = Redactor::new(Lang::Nl);
        r.learn(&event(serde_json::json!({
            "id": "a", "createdDateTime": "2026-11-20T08:00:00Z", "userDisplayName": "Al"
        })));
        let red = r.finish();
        assert_eq!(red.apply("Alert: Al failed"), "Alert: Gebruiker 1 failed");
    }
}
