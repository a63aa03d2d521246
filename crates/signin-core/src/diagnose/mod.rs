//! The diagnosis: what happened to a sign-in, why, and what to do.
//!
//! [`diagnose`] runs the rules in [`rules::ALL`] in order; the first that recognises the event
//! names its scenario (a stable id, part of the CLI's JSON contract) and explains it in plain
//! words with the evidence it used and fix steps for the user, the admin and the app's
//! developer. [`attempts`] groups events by correlation ID into sign-in attempts and gives each
//! one verdict. Patterns across the events around the sign-in (repeated failures, password
//! spray, MFA fatigue, a stale password, a new country) come from [`patterns`].
//!
//! Deterministic by design: the time window, thresholds and language are in [`Settings`], the
//! events to compare with are handed in; nothing here reads the clock or the environment.
//!
//! Every sentence comes from [`messages`], in the [`Lang`] the caller chose (`Settings::lang`);
//! scenario ids, pattern ids, verdicts in JSON and Graph field names stay the same in every
//! language.

pub mod chain;
mod facts;
pub mod patterns;
pub mod rules;
#[cfg(test)]
pub(crate) mod test_support;

use chrono::Duration;
use serde::Serialize;

use crate::aadsts;
use crate::lang::Lang;
use crate::messages::t;
use crate::model::{Outcome, SignInEvent};
pub use chain::{Attempt, attempts};
pub use patterns::{Neighbours, PASSWORD_FAILURES, Pattern, Patterns};

/// Thresholds and windows; every rule reads them from here.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// How far either side of a sign-in patterns look (the Diagnostic looks 24 hours each way).
    pub window: Duration,
    /// Distinct accounts failing from one address before it counts as a password spray.
    pub spray_accounts: usize,
    /// Failures from the same app, address and user before an old saved password is suspected.
    pub stale_password_repeats: usize,
    /// Denied or unanswered MFA prompts before it counts as MFA fatigue.
    pub fatigue_denials: usize,
    /// The language of every text of the diagnosis; the caller picks it (a setting, `--lang`,
    /// the system's locale), never this crate.
    pub lang: Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window: Duration::hours(24),
            spray_accounts: 5,
            stale_password_repeats: 4,
            fatigue_denials: 3,
            lang: Lang::En,
        }
    }
}

/// What the diagnosis may look at besides the event.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// The other requests of the same sign-in attempt (same correlation ID), any order.
    pub chain: &'a [SignInEvent],
    /// Sign-ins to compare with (others of the tenant around the same time), any order; those
    /// outside the window are ignored.
    pub nearby: &'a [SignInEvent],
}

impl Context<'_> {
    /// The language to explain in.
    pub fn lang(&self) -> Lang {
        self.settings.lang
    }
}

/// The overall judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Success,
    /// A normal step that usually resolves by itself.
    Interrupted,
    Failure,
    /// Looks like an attack or a compromised account.
    Suspicious,
}

impl Verdict {
    fn of(outcome: Outcome) -> Verdict {
        match outcome {
            Outcome::Success => Verdict::Success,
            Outcome::Interrupted => Verdict::Interrupted,
            Outcome::Failure => Verdict::Failure,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Success => "success",
            Verdict::Interrupted => "interrupted",
            Verdict::Failure => "failure",
            Verdict::Suspicious => "suspicious",
        }
    }

    /// The verdict in words, in `lang` (`as_str` is the id for JSON).
    pub fn label(self, lang: Lang) -> String {
        match self {
            Verdict::Success => t!(lang, "verdict.success"),
            Verdict::Interrupted => t!(lang, "verdict.interrupted"),
            Verdict::Failure => t!(lang, "verdict.failure"),
            Verdict::Suspicious => t!(lang, "verdict.suspicious"),
        }
    }
}

/// Who can act on a fix step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    User,
    Admin,
    Developer,
}

/// One fix step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub audience: Audience,
    pub text: String,
}

/// A fact the diagnosis rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The property, as the Graph schema names it (`status.errorCode`), or a label in the
    /// diagnosis' language for a fact that is not a property (the lockouts around the sign-in).
    pub field: String,
    pub value: String,
}

/// Somewhere to go next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// What a rule recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub verdict: Verdict,
    pub headline: String,
    pub what_happened: String,
    pub evidence: Vec<Evidence>,
    pub actions: Vec<Action>,
    pub links: Vec<Link>,
}

impl Finding {
    /// A finding whose verdict follows the portal status of the event.
    pub(crate) fn new(
        event: &SignInEvent,
        headline: impl Into<String>,
        what_happened: impl Into<String>,
    ) -> Finding {
        Finding {
            verdict: Verdict::of(event.outcome()),
            headline: headline.into(),
            what_happened: what_happened.into(),
            evidence: Vec::new(),
            actions: Vec::new(),
            links: Vec::new(),
        }
    }

    pub(crate) fn verdict(mut self, verdict: Verdict) -> Finding {
        self.verdict = verdict;
        self
    }

    pub(crate) fn evidence(mut self, field: &str, value: impl std::fmt::Display) -> Finding {
        let value = value.to_string();
        if !value.is_empty() {
            self.evidence.push(Evidence {
                field: field.to_owned(),
                value,
            });
        }
        self
    }

    pub(crate) fn user(self, text: impl Into<String>) -> Finding {
        self.action(Audience::User, text)
    }

    pub(crate) fn admin(self, text: impl Into<String>) -> Finding {
        self.action(Audience::Admin, text)
    }

    pub(crate) fn developer(self, text: impl Into<String>) -> Finding {
        self.action(Audience::Developer, text)
    }

    fn action(mut self, audience: Audience, text: impl Into<String>) -> Finding {
        self.actions.push(Action {
            audience,
            text: text.into(),
        });
        self
    }

    pub(crate) fn link(mut self, label: impl Into<String>, url: impl Into<String>) -> Finding {
        self.links.push(Link {
            label: label.into(),
            url: url.into(),
        });
        self
    }
}

/// The full diagnosis of one sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnosis {
    pub request_id: String,
    pub correlation_id: Option<String>,
    pub verdict: Verdict,
    /// The scenario's stable id, e.g. `ca-block`.
    pub scenario: &'static str,
    pub headline: String,
    pub what_happened: String,
    pub evidence: Vec<Evidence>,
    pub actions: Vec<Action>,
    pub links: Vec<Link>,
    /// Patterns seen in the sign-ins around this one.
    pub patterns: Vec<Pattern>,
    /// Every request of the attempt (same correlation ID), oldest first; empty when this
    /// request was alone.
    pub chain: Vec<chain::Step>,
    /// Text to paste into a support ticket.
    pub ticket: String,
}

/// Diagnoses one sign-in.
pub fn diagnose(event: &SignInEvent, cx: &Context<'_>) -> Diagnosis {
    let lang = cx.lang();
    let patterns = Patterns::around(event, cx);
    let (scenario, finding) = rules::ALL
        .iter()
        .find_map(|rule| (rule.check)(event, cx, &patterns).map(|f| (rule.id, f)))
        .unwrap_or_else(|| {
            (
                "error-code-insight",
                rules::error_code_insight::explain(event, lang),
            )
        });
    let mut finding = finding;
    finding.evidence.insert(
        0,
        Evidence {
            field: "status.errorCode".into(),
            value: event.error_code().to_string(),
        },
    );
    add_standard_links(event, lang, &mut finding);
    let ticket = ticket(event, scenario, &finding, lang);
    let mut requests: Vec<&SignInEvent> = cx.chain.iter().chain(std::iter::once(event)).collect();
    requests.sort_by(|a, b| {
        a.created_date_time
            .cmp(&b.created_date_time)
            .then_with(|| a.id.cmp(&b.id))
    });
    requests.dedup_by(|a, b| a.id.eq_ignore_ascii_case(&b.id));
    let chain = if requests.len() > 1 {
        chain::steps(&requests)
    } else {
        Vec::new()
    };
    Diagnosis {
        request_id: event.id.clone(),
        correlation_id: event.correlation_id.clone(),
        verdict: finding.verdict,
        scenario,
        headline: finding.headline,
        what_happened: finding.what_happened,
        evidence: finding.evidence,
        actions: finding.actions,
        links: finding.links,
        patterns: patterns.notes(lang),
        chain,
        ticket,
    }
}

/// Links every diagnosis offers: the user and the app in the Entra admin center, and
/// Microsoft's page for the error code.
fn add_standard_links(event: &SignInEvent, lang: Lang, finding: &mut Finding) {
    const PORTAL: &str = "https://entra.microsoft.com/#view";
    if let Some(id) = event
        .user_id
        .as_deref()
        .filter(|id| is_guid(id) && !id.starts_with("00000000"))
    {
        finding.links.push(Link {
            label: t!(lang, "link.user"),
            url: format!(
                "{PORTAL}/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/{id}"
            ),
        });
    }
    if let Some(app) = event.app_id.as_deref().filter(|id| is_guid(id)) {
        finding.links.push(Link {
            label: t!(lang, "link.app"),
            url: format!("{PORTAL}/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/appId/{app}"),
        });
    }
    let code = event.error_code();
    if code != 0 {
        finding.links.push(Link {
            label: t!(lang, "link.code", code = code),
            url: aadsts::link(code as u32),
        });
    }
}

fn is_guid(text: &str) -> bool {
    text.len() == 36 && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// A plain-text summary for a support ticket.
fn ticket(event: &SignInEvent, scenario: &str, finding: &Finding, lang: Lang) -> String {
    let user = event
        .user_principal_name
        .as_deref()
        .or(event.service_principal_name.as_deref())
        .unwrap_or("");
    t!(
        lang,
        "ticket.text",
        headline = finding.headline,
        request = event.id,
        correlation = event.correlation_id.as_deref().unwrap_or(""),
        date = event
            .created_date_time
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        user = user,
        app = event.app_display_name.as_deref().unwrap_or(""),
        app_id = event.app_id.as_deref().unwrap_or(""),
        code = event.error_code(),
        verdict = finding.verdict.label(lang),
        scenario = scenario,
    )
}
