//! "Copy for ticket": the diagnosis as plain text and as Markdown, with the IDs support asks
//! for first, then what happened, the evidence, the fixes and the attempt's steps.

use signin_core::diagnose::Diagnosis;

use crate::labels::{Label, status_text};
use crate::{Report, Row};

/// The facts at the top of a ticket: label and value, empty values left out.
fn facts(report: &Report, d: &Diagnosis, row: Option<&Row>) -> Vec<(&'static str, String)> {
    let lang = report.lang;
    let mut facts = vec![(
        Label::Verdict.text(lang),
        format!("{} ({})", status_text(d.verdict.as_str(), lang), d.scenario),
    )];
    if let Some(r) = row {
        let s = &r.summary;
        facts.push((Label::TimeUtc.text(lang), s.created_date_time.clone()));
        facts.push((
            Label::User.text(lang),
            s.user_display_name.clone().unwrap_or_default(),
        ));
        facts.push((
            Label::Username.text(lang),
            s.user_principal_name.clone().unwrap_or_default(),
        ));
        let app = match (&s.app_display_name, &s.app_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (Some(v), None) | (None, Some(v)) => v.clone(),
            (None, None) => String::new(),
        };
        facts.push((Label::Application.text(lang), app));
        facts.push((
            Label::IpAddress.text(lang),
            s.ip_address.clone().unwrap_or_default(),
        ));
    }
    let code = d
        .evidence
        .iter()
        .find(|e| e.field == "status.errorCode")
        .map(|e| e.value.clone())
        .unwrap_or_default();
    if !code.is_empty() && code != "0" {
        facts.push((Label::ErrorCode.text(lang), format!("AADSTS{code}")));
    }
    facts.push((Label::RequestId.text(lang), d.request_id.clone()));
    facts.push((
        Label::CorrelationId.text(lang),
        d.correlation_id.clone().unwrap_or_default(),
    ));
    facts.retain(|(_, v)| !v.trim().is_empty());
    facts
}

pub(crate) fn text(report: &Report) -> Option<String> {
    let d = report.diagnosis.as_ref()?;
    let l = |label: Label| label.text(report.lang);
    let mut t = format!("{}: {}\n", l(Label::SignInProblem), d.headline);
    for (label, value) in facts(report, d, report.diagnosed_row()) {
        t.push_str(&format!("{label}: {value}\n"));
    }
    t.push_str(&format!(
        "\n{}:\n{}\n",
        l(Label::WhatHappened),
        d.what_happened
    ));
    t.push_str(&format!("\n{}:\n", l(Label::Evidence)));
    for e in &d.evidence {
        t.push_str(&format!("- {}: {}\n", e.field, e.value));
    }
    for p in &d.patterns {
        t.push_str(&format!("- {}\n", p.text));
    }
    t.push_str(&format!("\n{}:\n", l(Label::WhatToDo)));
    for (label, steps) in crate::fixes(d) {
        t.push_str(&format!("{}:\n", l(label)));
        for (i, a) in steps.iter().enumerate() {
            t.push_str(&format!("  {}. {}\n", i + 1, a));
        }
    }
    if !d.chain.is_empty() {
        t.push_str(&format!("\n{}:\n", l(Label::Attempt)));
        for s in &d.chain {
            t.push_str(&format!(
                "- {}  {}  {}  {}\n",
                s.created_date_time,
                status_text(s.status, report.lang),
                s.error_code,
                s.request_id
            ));
        }
    }
    Some(t)
}

/// Text that Markdown shows as written: its punctuation escaped, line breaks kept as spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An ID or code in a code span; a backtick inside (never in a real ID) is dropped.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', ""))
}

pub(crate) fn markdown(report: &Report) -> Option<String> {
    let d = report.diagnosis.as_ref()?;
    let l = |label: Label| label.text(report.lang);
    let mut t = format!("## {}: {}\n\n", l(Label::SignInProblem), md(&d.headline));
    let id_labels = [
        l(Label::RequestId),
        l(Label::CorrelationId),
        l(Label::ErrorCode),
    ];
    for (label, value) in facts(report, d, report.diagnosed_row()) {
        let value = if id_labels.contains(&label) {
            code(&value)
        } else {
            md(&value)
        };
        t.push_str(&format!("- **{}:** {value}\n", md(label)));
    }
    t.push_str(&format!(
        "\n### {}\n\n{}\n",
        md(l(Label::WhatHappened)),
        md(&d.what_happened)
    ));
    t.push_str(&format!(
        "\n### {}\n\n| {} | {} |\n| --- | --- |\n",
        md(l(Label::Evidence)),
        md(l(Label::Field)),
        md(l(Label::Value))
    ));
    for e in &d.evidence {
        t.push_str(&format!("| {} | {} |\n", code(&e.field), md(&e.value)));
    }
    if !d.patterns.is_empty() {
        t.push('\n');
        for p in &d.patterns {
            t.push_str(&format!("- {}\n", md(&p.text)));
        }
    }
    t.push_str(&format!("\n### {}\n", md(l(Label::WhatToDo))));
    for (label, steps) in crate::fixes(d) {
        t.push_str(&format!("\n**{}**\n\n", md(l(label))));
        for (i, a) in steps.iter().enumerate() {
            t.push_str(&format!("{}. {}\n", i + 1, md(a)));
        }
    }
    if !d.chain.is_empty() {
        t.push_str(&format!(
            "\n### {}\n\n| {} | {} | {} | {} |\n| --- | --- | --- | --- |\n",
            md(l(Label::Attempt)),
            md(l(Label::TimeUtc)),
            md(l(Label::Status)),
            md(l(Label::ErrorCode)),
            md(l(Label::RequestId)),
        ));
        for s in &d.chain {
            t.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md(&s.created_date_time),
                md(&status_text(s.status, report.lang)),
                s.error_code,
                code(&s.request_id)
            ));
        }
    }
    Some(t)
}
