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

/// The error codes of a wrong password (50126) and of a locked account (50053): the failures
/// the spray and stale-password counts look at.
pub const PASSWORD_FAILURES: [i64; 2] = [50126, 50053];

/// The sign-ins around an event that [`Patterns::around`] can be changed by: the same user's
/// (the same user principal name, or the same user object ID) and anyone's password failures
/// ([`PASSWORD_FAILURES`], which the spray count reads for every account). Every other sign-in
/// in the window is passed over by every count, so a store may hand the diagnosis just these
/// as [`Context::nearby`] (at a million sign-ins, a few thousand instead of every sign-in of
/// two days) and get the same diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neighbours<'a> {
    /// The event's user principal name, when it has one (not empty).
    pub user_principal_name: Option<&'a str>,
    /// The event's user object ID, when it has one (not empty).
    pub user_id: Option<&'a str>,
    /// Sign-ins of anyone that failed with these codes.
    pub error_codes: &'static [i64],
}

impl<'a> Neighbours<'a> {
    pub fn of(event: &'a SignInEvent) -> Neighbours<'a> {
        let given = |v: &'a Option<String>| v.as_deref().filter(|v| !v.is_empty());
        Neighbours {
            user_principal_name: given(&event.user_principal_name),
            user_id: given(&event.user_id),
            error_codes: &PASSWORD_FAILURES,
        }
    }

    /// Whether `other` is one of them: the same user, or a password failure.
    pub fn admits(&self, other: &SignInEvent) -> bool {
        self.same_user(other) || self.error_codes.contains(&other.error_code())
    }

    /// Whether `other` is the event's user: the one test of it [`Patterns::around`] uses.
    fn same_user(&self, other: &SignInEvent) -> bool {
        same_text(
            self.user_principal_name,
            other.user_principal_name.as_deref(),
        ) || same_text(self.user_id, other.user_id.as_deref())
    }
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
        let user = Neighbours::of(event);
        let same_user = |e: &&&SignInEvent| user.same_user(e);
        let password_failure = |e: &SignInEvent| PASSWORD_FAILURES.contains(&e.error_code());
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
    same_text(a.as_deref(), b.as_deref())
}

/// Both given, not empty, and equal but for the case of ASCII letters.
fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !a.is_empty() && a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{Neighbours, Patterns};
    use crate::diagnose::{Context, Settings};
    use crate::model::SignInEvent;

    /// The demo's sign-ins: a password spray with lockouts, stale passwords, MFA fatigue,
    /// legacy protocols and new countries among a tenant's ordinary traffic. A third of them
    /// lack the user principal name and another third the user object ID, so that each way
    /// of telling the same user is needed.
    fn demo() -> Vec<SignInEvent> {
        let text = crate::demo::generate(&crate::demo::DemoOptions::default());
        let mut events = Vec::new();
        crate::import::read_stream(text.as_bytes(), "demo.json", &mut |item| {
            if let crate::import::Item::SignIn(r) = item {
                let mut event = r.event;
                match events.len() % 3 {
                    1 => event.user_principal_name = None,
                    2 => event.user_id = None,
                    _ => {}
                }
                events.push(event);
            }
        })
        .unwrap();
        events
    }

    #[test]
    fn the_neighbours_alone_give_every_event_the_same_patterns() {
        let events = demo();
        let settings = Settings::default();
        let mut narrowed = 0;
        let mut noted = 0;
        for event in &events {
            let all = Context {
                settings: &settings,
                chain: &[],
                nearby: &events,
            };
            let wanted = Neighbours::of(event);
            let some: Vec<SignInEvent> = events
                .iter()
                .filter(|e| wanted.admits(e))
                .cloned()
                .collect();
            let fewer = Context {
                nearby: &some,
                ..all
            };
            let expected = Patterns::around(event, &all);
            assert_eq!(Patterns::around(event, &fewer), expected, "{}", event.id);
            narrowed += usize::from(some.len() < events.len() / 4);
            noted += usize::from(!expected.notes(settings.lang).is_empty());
        }
        // The comparison means something: most events have far fewer neighbours than sign-ins
        // and many have patterns to tell.
        assert!(
            narrowed > events.len() / 2,
            "{narrowed} of {}",
            events.len()
        );
        assert!(noted > 20, "{noted}");
    }
}
