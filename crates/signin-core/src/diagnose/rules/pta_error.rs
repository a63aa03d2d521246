//! `pta-error`: a pass-through authentication agent problem.

use super::Rule;
use crate::diagnose::patterns::Patterns;
use crate::diagnose::{Context, Finding};
use crate::model::SignInEvent;

pub const RULE: Rule = Rule {
    id: "pta-error",
    detects: "The pass-through authentication agent could not check the password with on-premises Active Directory.",
    signals: "codes 80001–80014",
    check,
};

fn check(e: &SignInEvent, _: &Context<'_>, _: &Patterns) -> Option<Finding> {
    let code = e.error_code();
    if !(80001..=80014).contains(&code) {
        return None;
    }
    let detail = match code {
        80012 => "The user tried to sign in outside the logon hours set in Active Directory.",
        80013 => "The clocks of the agent's server and Active Directory differ too much.",
        80002 | 80014 => "The agent did not answer in time.",
        80001 => "The agent could not reach Active Directory.",
        _ => "The agent could not validate the password.",
    };
    Some(
        Finding::new(e, "Pass-through authentication failed on-premises", format!("This tenant checks passwords on-premises through pass-through authentication agents. {detail}"))
            .user("Try again in a few minutes")
            .admin("Check the pass-through authentication agents' health in Entra Connect, their event logs and their access to domain controllers")
            .admin(if code == 80013 { "Fix time synchronisation on the agent's server" } else { "Make sure more than one agent is running" }),
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::test_support::check;
    use serde_json::json;

    #[test]
    fn pta_codes() {
        assert_eq!(
            check(json!({"status": {"errorCode": 80013}})).scenario,
            "pta-error"
        );
        assert_eq!(
            check(json!({"status": {"errorCode": 80001}})).scenario,
            "pta-error"
        );
        assert_ne!(
            check(json!({"status": {"errorCode": 81010}})).scenario,
            "pta-error"
        );
    }
}
