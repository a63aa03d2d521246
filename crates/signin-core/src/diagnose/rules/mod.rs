//! The scenarios, one per file, tried in the order of [`ALL`]: the first that recognises a
//! sign-in explains it. Specific causes come before general ones (a Conditional Access block
//! of a legacy client is explained as legacy authentication; a code no rule knows falls
//! through to `error-code-insight`). Each file holds its rule, what it detects and why, and
//! its tests. `docs/rules.md` is generated from this list by `cargo test`.

use super::patterns::Patterns;
use super::{Context, Finding};
use crate::model::SignInEvent;

pub mod account_disabled;
pub mod account_locked;
pub mod app_misconfigured;
pub mod app_not_assigned;
pub mod b2b_blocked;
pub mod benign_interrupt;
pub mod ca_block;
pub mod ca_grant_not_met;
pub mod consent_required;
pub mod error_code_insight;
pub mod invalid_credentials;
pub mod legacy_auth;
pub mod mfa_not_completed;
pub mod mfa_registration_required;
pub mod mfa_required_by_ca;
pub mod mfa_required_other;
pub mod password_expired;
pub mod pta_error;
pub mod risk_blocked;
pub mod seamless_sso;
pub mod security_defaults;
pub mod service_provider_side;
pub mod session_expired;
pub mod success;
pub mod success_not_challenged;
pub mod user_not_found;

/// A scenario.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id; part of the CLI's JSON output.
    pub id: &'static str,
    /// What the rule detects, in a sentence.
    pub detects: &'static str,
    /// Which signals it reads.
    pub signals: &'static str,
    pub check: fn(&SignInEvent, &Context<'_>, &Patterns) -> Option<Finding>,
}

/// Every rule, most specific first.
pub const ALL: &[Rule] = &[
    risk_blocked::RULE,
    security_defaults::RULE,
    b2b_blocked::RULE,
    legacy_auth::RULE,
    ca_block::RULE,
    ca_grant_not_met::RULE,
    mfa_registration_required::RULE,
    mfa_not_completed::RULE,
    benign_interrupt::RULE,
    mfa_required_by_ca::RULE,
    mfa_required_other::RULE,
    account_locked::RULE,
    account_disabled::RULE,
    password_expired::RULE,
    user_not_found::RULE,
    invalid_credentials::RULE,
    app_not_assigned::RULE,
    consent_required::RULE,
    app_misconfigured::RULE,
    pta_error::RULE,
    seamless_sso::RULE,
    session_expired::RULE,
    service_provider_side::RULE,
    success_not_challenged::RULE,
    success::RULE,
    error_code_insight::RULE,
];

/// `docs/rules.md`: every scenario with what it detects and the signals it reads.
pub fn document() -> String {
    let mut out = String::from(
        "# Diagnosis scenarios\n\nGenerated from `crates/signin-core/src/diagnose/rules/` by `cargo test`; do not edit by hand.\n\
         Rules are tried in this order; the first that recognises a sign-in explains it. What a rule tells people \
         (headlines, steps, evidence labels) is written in English and Dutch in `messages/en/diagnose.toml` and `messages/nl/diagnose.toml`; \
         the ids and the Graph field names below are the same in every language.\n\n| id | detects | signals |\n|---|---|---|\n",
    );
    for rule in ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id, rule.detects, rule.signals
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_generated_docs_are_current() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        assert_eq!(ALL.len(), 26, "every scenario of the contract has a rule");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
        let generated = document();
        if std::env::var_os("SIGNIN_DOCTOR_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/rules.md is out of date: run `SIGNIN_DOCTOR_BLESS=1 cargo test -p signin-core`"
        );
    }
}
