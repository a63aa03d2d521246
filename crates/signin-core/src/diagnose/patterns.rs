//! What the sign-ins around one event say that the event alone cannot: repeated failures,
//! password spray, a stale saved password, MFA fatigue, lockout cascades, legacy protocol use,
//! a new country.

use serde::Serialize;

use super::Context;
use super::facts::is_legacy_client;
use crate::lang::Lang;
use crate::messages::t;
use crate::model::{Outcome, SignInEvent};

/// A pattern worth telling the admin about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pattern {
    /// Stable id: `repeated-failures`, `password-spray`, `stale-password`, `mfa-fatigue`,
    /// `lockout-cascade`, `legacy-protocol`, `new-country`, `new-network`.
    pub id: &'static str,
    pub text: String,
}

/// Counts over the sign-ins in the window around one event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patterns {
    /// Failures of the same user (this one included).
    pub user_failures: usize,
    /// Of those, from the same application, the same address and the same device.
    pub user_failures_same_app: usize,
    pub user_failures_same_ip: usize,
    pub user_failures_same_device: usize,
    /// Wrong-password failures of the same user from the same app and address.
    pub same_source_password_failures: usize,
    /// Distinct accounts failing with a wrong password or lockout from the event's address.
    pub accounts_failing_from_ip: usize,
    /// Whether `accounts_failing_from_ip` reaches the spray threshold.
    pub spray: bool,
    /// Whether the same-source failures reach the stale password threshold.
    pub stale_password: bool,
    /// MFA prompts of the same user that were denied or not completed.
    pub mfa_denials: usize,
    pub mfa_fatigue: bool,
    /// Lockouts of the same user.
    pub lockouts: usize,
    /// Sign-ins of the same user with a legacy protocol.
    pub legacy_uses: usize,
    /// The country, when the user signed in successfully from others but never from it.
    pub new_country: Option<String>,
    /// The network (autonomous system), when the user signed in successfully from others but
    /// never from it.
    pub new_network: Option<i64>,
}

impl Patterns {
    /// Looks at the sign-ins in `cx.nearby` within the window around `event`.
    pub fn around(event: &SignInEvent, cx: &Context<'_>) -> Patterns {
        let s = cx.settings;
        let from = event.created_date_time - s.window;
        let to = event.created_date_time + s.window;
        let nearby: Vec<&SignInEvent> = cx
            .nearby
            .iter()
            .chain(std::iter::once(event))
            .filter(|e| e.created_date_time >= from && e.created_date_time <= to)
            .collect();
        // `event` itself may also be among `nearby`; count it once.
        let mut seen = std::collections::HashSet::new();
        let nearby: Vec<&SignInEvent> = nearby
            .into_iter()
            .filter(|e| seen.insert(e.id.to_lowercase()))
            .collect();
        let same_user = |e: &&&SignInEvent| {
            same(&e.user_principal_name, &event.user_principal_name)
                || same(&e.user_id, &event.user_id)
        };
        let password_failure = |e: &SignInEvent| matches!(e.error_code(), 50126 | 50053);
        let mut p = Patterns::default();
        let failures: Vec<&&SignInEvent> = nearby
            .iter()
            .filter(same_user)
            .filter(|e| e.outcome() == Outcome::Failure)
            .collect();
        p.user_failures = failures.len();
        p.user_failures_same_app = failures
            .iter()
            .filter(|e| same(&e.app_id, &event.app_id))
            .count();
        p.user_failures_same_ip = failures
            .iter()
            .filter(|e| same(&e.ip_address, &event.ip_address))
            .count();
        let device = |e: &SignInEvent| e.device_detail.as_ref().and_then(|d| d.device_id.clone());
        p.user_failures_same_device = failures
            .iter()
            .filter(|e| same(&device(e), &device(event)))
            .count();
        p.same_source_password_failures = nearby
            .iter()
            .filter(same_user)
            .filter(|e| {
                password_failure(e)
                    && same(&e.app_id, &event.app_id)
                    && same(&e.ip_address, &event.ip_address)
            })
            .count();
        p.stale_password = p.same_source_password_failures >= s.stale_password_repeats;
        if event.ip_address.is_some() {
            let accounts: std::collections::HashSet<String> = nearby
                .iter()
                .filter(|e| password_failure(e) && same(&e.ip_address, &event.ip_address))
                .filter_map(|e| e.user_principal_name.clone().or_else(|| e.user_id.clone()))
                .map(|u| u.to_lowercase())
                .collect();
            p.accounts_failing_from_ip = accounts.len();
            p.spray = p.accounts_failing_from_ip >= s.spray_accounts;
        }
        p.mfa_denials = nearby
            .iter()
            .filter(same_user)
            .filter(|e| e.error_code() == 500121)
            .count();
        p.mfa_fatigue = p.mfa_denials >= s.fatigue_denials;
        p.lockouts = nearby
            .iter()
            .filter(same_user)
            .filter(|e| e.error_code() == 50053)
            .count();
        p.legacy_uses = nearby
            .iter()
            .filter(same_user)
            .filter(|e| is_legacy_client(e))
            .count();
        let country = |e: &SignInEvent| {
            e.location
                .as_ref()
                .and_then(|l| l.country_or_region.clone())
                .filter(|c| !c.is_empty())
        };
        if let Some(here) = event.autonomous_system_number {
            let known: Vec<i64> = nearby
                .iter()
                .filter(same_user)
                .filter(|e| e.id != event.id && e.outcome() == Outcome::Success)
                .filter_map(|e| e.autonomous_system_number)
                .collect();
            if !known.is_empty() && !known.contains(&here) {
                p.new_network = Some(here);
            }
        }
        if let Some(here) = country(event) {
            let known: Vec<String> = nearby
                .iter()
                .filter(same_user)
                .filter(|e| e.id != event.id && e.outcome() == Outcome::Success)
                .filter_map(|e| country(e))
                .collect();
            if !known.is_empty() && !known.iter().any(|c| c.eq_ignore_ascii_case(&here)) {
                p.new_country = Some(here);
            }
        }
        p
    }

    /// The patterns worth showing, in words, in `lang`.
    pub fn notes(&self, lang: Lang) -> Vec<Pattern> {
        let mut notes = Vec::new();
        let mut note = |id: &'static str, text: String| notes.push(Pattern { id, text });
        if self.spray {
            note(
                "password-spray",
                t!(
                    lang,
                    "pattern.password-spray",
                    n = self.accounts_failing_from_ip
                ),
            );
        }
        if self.stale_password {
            note(
                "stale-password",
                t!(
                    lang,
                    "pattern.stale-password",
                    n = self.same_source_password_failures
                ),
            );
        }
        if self.mfa_fatigue {
            note(
                "mfa-fatigue",
                t!(lang, "pattern.mfa-fatigue", n = self.mfa_denials),
            );
        }
        if self.lockouts > 1 {
            note(
                "lockout-cascade",
                t!(lang, "pattern.lockout-cascade", n = self.lockouts),
            );
        }
        if self.user_failures > 1 {
            let mut parts = vec![
                t!(lang, "pattern.from-app", n = self.user_failures_same_app),
                t!(lang, "pattern.from-ip", n = self.user_failures_same_ip),
            ];
            if self.user_failures_same_device > 0 {
                parts.push(t!(
                    lang,
                    "pattern.from-device",
                    n = self.user_failures_same_device
                ));
            }
            note(
                "repeated-failures",
                t!(
                    lang,
                    "pattern.repeated-failures",
                    n = self.user_failures,
                    parts = parts.join(", ")
                ),
            );
        }
        if self.legacy_uses > 0 {
            note(
                "legacy-protocol",
                t!(lang, "pattern.legacy-protocol", n = self.legacy_uses),
            );
        }
        if let Some(asn) = self.new_network {
            note("new-network", t!(lang, "pattern.new-network", asn = asn));
        }
        if let Some(country) = &self.new_country {
            note(
                "new-country",
                t!(lang, "pattern.new-country", country = country),
            );
        }
        notes
    }
}

fn same(a: &Option<String>, b: &Option<String>) -> bool {
    match (a.as_deref(), b.as_deref()) {
        (Some(a), Some(b)) => !a.is_empty() && a.eq_ignore_ascii_case(b),
        _ => false,
    }
}
