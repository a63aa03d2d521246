//! Counts over many sign-ins: which error codes fail most, and which Conditional Access
//! policies block most. The "what is going on across the tenant" questions an analyst asks an
//! export before looking at single sign-ins.

use std::collections::HashMap;

use crate::model::{AppliedConditionalAccessPolicy, PolicyResult, SignInEvent};

/// One row of a count: what, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count<K> {
    pub key: K,
    pub count: u64,
}

/// Sign-ins with a non-zero error code (failures and interruptions), counted per code, most
/// first, then by code. `top` rows at most (all when 0).
pub fn by_error_code<'a>(
    events: impl IntoIterator<Item = &'a SignInEvent>,
    top: usize,
) -> Vec<Count<i64>> {
    let mut counts: HashMap<i64, u64> = HashMap::new();
    for event in events {
        let code = event.error_code();
        if code != 0 {
            *counts.entry(code).or_default() += 1;
        }
    }
    ranked(counts, top)
}

/// Among sign-ins with a non-zero error code, each applied Conditional Access policy whose
/// result is exactly `failure` (not report-only), counted per policy name, most first, then by
/// name. `top` rows at most (all when 0).
pub fn by_failed_policy<'a>(
    events: impl IntoIterator<Item = &'a SignInEvent>,
    top: usize,
) -> Vec<Count<String>> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for event in events {
        if event.error_code() == 0 {
            continue;
        }
        for policy in &event.applied_conditional_access_policies {
            if policy.result == Some(PolicyResult::Failure) {
                *counts.entry(policy_name(policy)).or_default() += 1;
            }
        }
    }
    ranked(counts, top)
}

/// Counts as rows, most first, then by key; `top` rows at most (all when 0).
/// How a policy is named in counts: its display name, or its ID when the name is missing or
/// empty (the workspace's SQL says the same: `ca_policy.name`, else `policy_id`).
pub fn policy_name(policy: &AppliedConditionalAccessPolicy) -> String {
    policy
        .display_name
        .clone()
        .filter(|name| !name.is_empty())
        .or_else(|| policy.id.clone())
        .unwrap_or_default()
}

pub fn ranked<K: Ord>(counts: HashMap<K, u64>, top: usize) -> Vec<Count<K>> {
    let mut rows: Vec<Count<K>> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    if top > 0 {
        rows.truncate(top);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: i64, policies: &[(&str, &str)]) -> SignInEvent {
        let policies: Vec<serde_json::Value> = policies
            .iter()
            .map(|(name, result)| serde_json::json!({"displayName": name, "result": result}))
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": format!("r{code}{}", policies.len()),
            "createdDateTime": "2026-11-20T08:00:00Z",
            "status": {"errorCode": code},
            "appliedConditionalAccessPolicies": policies,
        }))
        .unwrap()
    }

    #[test]
    fn codes_rank_by_count_then_code_and_success_is_left_out() {
        let events = [
            event(50126, &[]),
            event(0, &[]),
            event(53003, &[]),
            event(50126, &[]),
            event(50074, &[]),
        ];
        let rows = by_error_code(&events, 2);
        assert_eq!(
            rows,
            vec![
                Count {
                    key: 50126,
                    count: 2
                },
                Count {
                    key: 50074,
                    count: 1
                }
            ]
        );
        assert_eq!(by_error_code(&events, 0).len(), 3);
    }

    #[test]
    fn only_enforced_failures_of_failed_sign_ins_count_for_a_policy() {
        let events = [
            event(
                53003,
                &[("Block legacy", "failure"), ("MFA", "reportOnlyFailure")],
            ),
            event(53003, &[("Block legacy", "failure")]),
            event(0, &[("Block legacy", "failure")]),
            event(
                50126,
                &[("Compliant device", "failure"), ("MFA", "success")],
            ),
        ];
        let rows = by_failed_policy(&events, 0);
        assert_eq!(
            rows,
            vec![
                Count {
                    key: "Block legacy".to_owned(),
                    count: 2
                },
                Count {
                    key: "Compliant device".to_owned(),
                    count: 1
                },
            ]
        );
    }
}
