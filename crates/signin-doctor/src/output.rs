//! What the command line prints: readable text by default, stable JSON with `--json`.
//! The JSON shapes are documented in the README; change them only by adding fields.

use std::io::Write;

use anyhow::Result;
use serde_json::{Value, json};
use signin_core::diagnose::{Audience, Diagnosis};
use signin_core::messages::{text as label, tr};
use signin_core::{EventSummary, Lang, SignInEvent, aadsts};
use signin_store::{Found, SourceRecord, StoredSignIn};

pub fn import_report(
    out: &mut dyn Write,
    sources: &[SourceRecord],
    as_json: bool,
    lang: Lang,
) -> Result<()> {
    if as_json {
        let files: Vec<Value> = sources
            .iter()
            .map(|s| {
                json!({
                    "path": s.name,
                    "format": s.format.map(|f| f.id()),
                    "formatName": s.format.map(|f| f.name_in(lang)),
                    "records": s.added,
                    "duplicates": s.duplicates,
                    "authSteps": s.auth_steps,
                    "nextLink": s.next_link,
                    "warnings": s.warnings.iter().map(|w| json!({
                        "record": w.record,
                        "line": w.line,
                        "message": w.message(lang),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json!({ "files": files }))?
        )?;
        return Ok(());
    }
    // "format:", "records:", "warnings:" and "note:", their values lined up after the longest.
    let names = [
        label(lang, "cli.import.format"),
        label(lang, "cli.import.records"),
        label(lang, "cli.import.warnings"),
        label(lang, "cli.import.note"),
    ];
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 2;
    let [format_name, records, warnings, note] =
        names.map(|n| format!("{:<width$}", format!("{n}:")));
    for source in sources {
        writeln!(out, "{}", source.name)?;
        writeln!(
            out,
            "  {format_name}{}",
            source.format.map_or_else(
                || label(lang, "cli.import.unknown-format").to_owned(),
                |f| f.name_in(lang)
            )
        )?;
        let dup = match source.duplicates {
            0 => String::new(),
            1 => format!(
                " {}",
                tr(lang, "cli.import.duplicates-one", &[("count", &1)])
            ),
            n => format!(
                " {}",
                tr(lang, "cli.import.duplicates-other", &[("count", &n)])
            ),
        };
        writeln!(out, "  {records}{}{dup}", source.added)?;
        if source.auth_steps > 0 {
            writeln!(
                out,
                "  {}",
                tr(
                    lang,
                    "cli.import.auth-steps",
                    &[("count", &source.auth_steps)]
                )
            )?;
        }
        writeln!(out, "  {warnings}{}", source.warnings.len())?;
        for w in &source.warnings {
            writeln!(out, "    - {}", w.message(lang))?;
        }
        if let Some(link) = &source.next_link {
            let said = tr(lang, "cli.import.more-pages", &[("link", link)]);
            writeln!(out, "  {note}{said}")?;
        }
    }
    Ok(())
}

/// Search results as tab-separated lines for scripts (`search --tsv`): a header line, then one
/// line per sign-in, newest first. Tabs and line breaks inside values become spaces.
pub fn search_tsv(out: &mut dyn Write, found: &Found) -> Result<()> {
    writeln!(
        out,
        "createdDateTime\tid\tcorrelationId\tuserPrincipalName\tappDisplayName\tstatus\terrorCode"
    )?;
    let clean = |text: Option<&str>| text.unwrap_or_default().replace(['\t', '\r', '\n'], " ");
    for stored in &found.events {
        let e = &stored.event;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            e.created_date_time
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            clean(Some(&e.id)),
            clean(e.correlation_id.as_deref()),
            clean(e.user_principal_name.as_deref()),
            clean(e.app_display_name.as_deref()),
            outcome_word(e.outcome()),
            e.error_code(),
        )?;
    }
    Ok(())
}

/// The outcome as the `--status` option spells it.
fn outcome_word(outcome: signin_core::Outcome) -> &'static str {
    match outcome {
        signin_core::Outcome::Success => "success",
        signin_core::Outcome::Failure => "failure",
        signin_core::Outcome::Interrupted => "interrupted",
    }
}

/// The outcome in words, in `lang` ("failure", "mislukt").
fn outcome_label(status: &str, lang: Lang) -> &'static str {
    match status {
        "success" => label(lang, "verdict.success"),
        "interrupted" => label(lang, "verdict.interrupted"),
        _ => label(lang, "verdict.failure"),
    }
}

pub fn search_results(out: &mut dyn Write, found: &Found, as_json: bool, lang: Lang) -> Result<()> {
    let total = found.total as usize;
    if as_json {
        let events: Vec<Value> = found
            .events
            .iter()
            .map(|s| {
                let mut row = serde_json::to_value(EventSummary::of(&s.event))?;
                row["source"] = source_json(s);
                Ok(row)
            })
            .collect::<Result<_>>()?;
        let doc = json!({ "count": total, "shown": events.len(), "events": events });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    if found.events.is_empty() {
        writeln!(out, "{}", label(lang, "cli.search.no-match"))?;
        return Ok(());
    }
    let header = [
        label(lang, "cli.search.column.time"),
        label(lang, "cli.search.column.user"),
        label(lang, "cli.search.column.app"),
        label(lang, "cli.search.column.status"),
        label(lang, "cli.search.column.code"),
        label(lang, "cli.search.column.location"),
        label(lang, "cli.search.column.ip"),
        label(lang, "cli.search.column.request-id"),
    ];
    let rows: Vec<[String; 8]> = found
        .events
        .iter()
        .map(|s| {
            let e = EventSummary::of(&s.event);
            [
                e.created_date_time
                    .replace('T', " ")
                    .trim_end_matches('Z')
                    .to_owned(),
                e.user_principal_name
                    .or(e.user_display_name)
                    .unwrap_or_default(),
                e.app_display_name.unwrap_or_default(),
                outcome_label(e.status, lang).to_owned(),
                e.error_code.to_string(),
                e.location.unwrap_or_default(),
                e.ip_address.unwrap_or_default(),
                e.id,
            ]
        })
        .collect();
    const MAX: [usize; 8] = [19, 36, 28, 11, 7, 24, 15, 36];
    let widths: Vec<usize> = (0..8)
        .map(|c| {
            // Long values are cut; headings never (they may be longer in another language).
            rows.iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
                .min(MAX[c])
                .max(header[c].chars().count())
        })
        .collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{:<w$}", clip(cell, *w), w = *w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    writeln!(
        out,
        "{}",
        line(header.iter().map(|h| h.to_string()).collect())
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.to_vec()))?;
    }
    let shown = found.events.len();
    let said = if shown < total {
        tr(
            lang,
            "cli.search.shown",
            &[("shown", &shown), ("total", &total)],
        )
    } else if total == 1 {
        tr(lang, "cli.search.found-one", &[("total", &total)])
    } else {
        tr(lang, "cli.search.found-other", &[("total", &total)])
    };
    writeln!(out, "\n{said}")?;
    Ok(())
}

pub fn event_detail(
    out: &mut dyn Write,
    stored: &StoredSignIn,
    as_json: bool,
    lang: Lang,
) -> Result<()> {
    let e = &stored.event;
    if as_json {
        let doc = json!({
            "status": e.outcome().as_str(),
            "source": source_json(stored),
            "event": e,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let s = EventSummary::of(e);
    let code = if s.error_code == 0 {
        String::new()
    } else {
        format!("  AADSTS{}", s.error_code)
    };
    let status = outcome_label(s.status, lang);
    let heading = tr(
        lang,
        "cli.show.heading",
        &[
            ("id", &s.id),
            ("status", &status.to_uppercase()),
            ("code", &code),
        ],
    );
    writeln!(out, "{heading}")?;
    if let Some(reason) = &s.failure_reason {
        writeln!(out, "  {reason}")?;
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let yes_no = |v: Option<bool>| {
        v.map(|b| label(lang, if b { "cli.show.yes" } else { "cli.show.no" }).to_owned())
            .unwrap_or_default()
    };
    let device = e.device_detail.clone().unwrap_or_default();
    let basic = [
        (label(lang, "cli.show.date"), s.created_date_time.clone()),
        (label(lang, "cli.show.request-id"), s.id.clone()),
        (
            label(lang, "cli.show.correlation-id"),
            opt(&s.correlation_id),
        ),
        (
            label(lang, "cli.show.user"),
            join_name(&e.user_display_name, &e.user_principal_name),
        ),
        (label(lang, "cli.show.user-id"), opt(&e.user_id)),
        (
            label(lang, "cli.show.application"),
            join_name(&e.app_display_name, &e.app_id),
        ),
        (
            label(lang, "cli.show.resource"),
            join_name(&e.resource_display_name, &e.resource_id),
        ),
        (label(lang, "cli.show.client-app"), opt(&e.client_app_used)),
        (label(lang, "cli.show.event-type"), opt(&s.event_type)),
        (label(lang, "cli.show.status"), status.to_owned()),
        (label(lang, "cli.show.error-code"), s.error_code.to_string()),
        (
            label(lang, "cli.show.failure-reason"),
            opt(&s.failure_reason),
        ),
        (
            label(lang, "cli.show.additional-details"),
            opt(&e.status.additional_details),
        ),
    ];
    let location = [
        (label(lang, "cli.show.ip-address"), opt(&e.ip_address)),
        (label(lang, "cli.show.location"), opt(&s.location)),
        (
            label(lang, "cli.show.autonomous-system"),
            e.autonomous_system_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
        ),
        (
            label(lang, "cli.show.network"),
            e.network_location_details
                .iter()
                .flat_map(|n| n.network_names.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let device_info = [
        (label(lang, "cli.show.device-id"), opt(&device.device_id)),
        (label(lang, "cli.show.name"), opt(&device.display_name)),
        (
            label(lang, "cli.show.operating-system"),
            opt(&device.operating_system),
        ),
        (label(lang, "cli.show.browser"), opt(&device.browser)),
        (
            label(lang, "cli.show.compliant"),
            yes_no(device.is_compliant),
        ),
        (label(lang, "cli.show.managed"), yes_no(device.is_managed)),
        (label(lang, "cli.show.join-type"), opt(&device.trust_type)),
    ];
    let additional = [
        (label(lang, "cli.show.user-agent"), opt(&e.user_agent)),
        (
            label(lang, "cli.show.authentication-protocol"),
            opt(&e.authentication_protocol),
        ),
        (
            label(lang, "cli.show.token-issuer-type"),
            e.token_issuer_type
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
        ),
        (
            label(lang, "cli.show.incoming-token-type"),
            opt(&e.incoming_token_type),
        ),
        (
            label(lang, "cli.show.unique-token-identifier"),
            opt(&e.unique_token_identifier),
        ),
        (label(lang, "cli.show.session-id"), opt(&e.session_id)),
        (
            label(lang, "cli.show.latency"),
            e.processing_time_in_milliseconds
                .map(|ms| tr(lang, "cli.show.milliseconds", &[("ms", &ms)]))
                .unwrap_or_default(),
        ),
        (
            label(lang, "cli.show.risk-during"),
            e.risk_level_during_sign_in
                .as_ref()
                .map(|r| r.to_string())
                .unwrap_or_default(),
        ),
    ];
    // Values start in one column: at 24 characters, or after the longest label of the language.
    let width = basic
        .iter()
        .chain(&location)
        .chain(&device_info)
        .chain(&additional)
        .map(|(name, _)| name.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(24);
    section(out, label(lang, "cli.show.basic-info"), &basic, width)?;
    section(
        out,
        label(lang, "cli.show.location-section"),
        &location,
        width,
    )?;
    section(
        out,
        label(lang, "cli.show.device-info"),
        &device_info,
        width,
    )?;
    writeln!(out, "\n{}", label(lang, "cli.show.authentication-details"))?;
    let requirement = e
        .authentication_requirement
        .as_ref()
        .map(|r| r.to_string())
        .unwrap_or_default();
    if !requirement.is_empty() {
        let said = tr(
            lang,
            "cli.show.requirement",
            &[("requirement", &requirement)],
        );
        writeln!(out, "  {said}")?;
    }
    for p in &e.authentication_requirement_policies {
        let provider = p
            .requirement_provider
            .as_ref()
            .map(|r| r.to_string())
            .unwrap_or_default();
        let said = tr(
            lang,
            "cli.show.required-by",
            &[("provider", &provider), ("detail", &opt(&p.detail))],
        );
        writeln!(out, "  {said}")?;
    }
    for step in &e.authentication_details {
        let ok = match step.succeeded {
            Some(true) => label(lang, "cli.show.step-succeeded"),
            Some(false) => label(lang, "cli.show.step-failed"),
            None => "",
        };
        writeln!(
            out,
            "  - {} ({}) {ok}: {}",
            opt(&step.authentication_method),
            opt(&step.authentication_step_requirement),
            opt(&step.authentication_step_result_detail)
        )?;
    }
    let ca = e
        .conditional_access_status
        .as_ref()
        .map(|c| c.to_string())
        .unwrap_or_else(|| label(lang, "cli.show.unknown").to_owned());
    let said = tr(lang, "cli.show.conditional-access", &[("status", &ca)]);
    writeln!(out, "\n{said}")?;
    for p in &e.applied_conditional_access_policies {
        let result = p.result.as_ref().map(|r| r.to_string()).unwrap_or_default();
        let grants = p.enforced_grant_controls.join(", ");
        let grants = if grants.is_empty() {
            String::new()
        } else {
            format!(" [{grants}]")
        };
        writeln!(out, "  - {result:<22} {}{grants}", opt(&p.display_name))?;
    }
    section(
        out,
        label(lang, "cli.show.additional-details-section"),
        &additional,
        width,
    )?;
    let said = tr(
        lang,
        "cli.show.source",
        &[
            ("file", &stored.source),
            ("record", &stored.position.record),
            ("line", &stored.position.line),
        ],
    );
    writeln!(out, "\n{said}")?;
    Ok(())
}

/// A section of `show`: its title, then each label with a value, the values from column `width`.
fn section(out: &mut dyn Write, title: &str, rows: &[(&str, String)], width: usize) -> Result<()> {
    writeln!(out, "\n{title}")?;
    for (label, value) in rows.iter().filter(|(_, v)| !v.trim().is_empty()) {
        writeln!(out, "  {label:<width$}{value}")?;
    }
    Ok(())
}

fn join_name(name: &Option<String>, id: &Option<String>) -> String {
    match (
        name.as_deref().filter(|n| !n.is_empty()),
        id.as_deref().filter(|i| !i.is_empty()),
    ) {
        (Some(n), Some(i)) => format!("{n} ({i})"),
        (Some(n), None) => n.to_owned(),
        (None, Some(i)) => i.to_owned(),
        (None, None) => String::new(),
    }
}

fn source_json(stored: &StoredSignIn) -> Value {
    json!({
        "file": stored.source,
        "record": stored.position.record,
        "line": stored.position.line,
    })
}

/// Shortens text to `width` characters, marking the cut with an ellipsis.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// `explain`: the code's entry (or the codes whose text matches), in `lang`.
pub fn explanation(out: &mut dyn Write, text: &str, as_json: bool, lang: Lang) -> Result<()> {
    let pasted = aadsts::parse_pasted(text);
    let entry = pasted.code.and_then(|code| aadsts::lookup_in(code, lang));
    let matches = if pasted.code.is_none() {
        aadsts::search_in(text, lang)
    } else {
        Vec::new()
    };
    if as_json {
        let entry_json = |c: &aadsts::CodeInfo| -> Result<Value> {
            let mut v = serde_json::to_value(c)?;
            v["link"] = json!(c.link());
            Ok(v)
        };
        let doc = json!({
            "code": pasted.code,
            "requestId": pasted.request_id,
            "correlationId": pasted.correlation_id,
            "timestamp": pasted.timestamp.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            "entry": entry.map(entry_json).transpose()?,
            "link": pasted.code.map(aadsts::link),
            "matches": matches.iter().map(|c| json!({"code": c.code, "name": c.name, "meaning": c.meaning})).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    match (pasted.code, entry) {
        (Some(code), Some(c)) => {
            let name = if c.name.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.name)
            };
            let kind = label(
                lang,
                if c.interrupt {
                    "label.code-interrupt"
                } else {
                    "label.code-failure"
                },
            );
            let heading = tr(
                lang,
                "label.code-heading",
                &[
                    ("code", &code),
                    ("name", &name),
                    ("kind", &kind),
                    ("category", &c.category),
                ],
            );
            writeln!(out, "{heading}\n\n{}", c.meaning)?;
            list(out, label(lang, "label.causes"), &c.causes)?;
            list(out, label(lang, "label.user-can"), &c.user)?;
            list(out, label(lang, "label.admin-can"), &c.admin)?;
            list(out, label(lang, "label.developer-can"), &c.developer)?;
            let page = tr(lang, "label.microsoft-page", &[("url", &c.link())]);
            writeln!(out, "\n{page}")?;
        }
        (Some(code), None) => {
            writeln!(
                out,
                "{}\n{}",
                tr(lang, "label.code-unknown", &[("code", &code)]),
                tr(
                    lang,
                    "label.microsoft-page",
                    &[("url", &aadsts::link(code))]
                )
            )?;
        }
        (None, _) if matches.is_empty() => writeln!(out, "{}", label(lang, "label.nothing-found"))?,
        (None, _) => {
            writeln!(
                out,
                "{}",
                tr(lang, "label.codes-about", &[("text", &text.trim())])
            )?;
            for c in matches.iter().take(15) {
                writeln!(out, "  AADSTS{:<8} {}", c.code, clip(&c.meaning, 90))?;
            }
        }
    }
    if pasted.request_id.is_some() || pasted.correlation_id.is_some() || pasted.timestamp.is_some()
    {
        writeln!(out, "\n{}", label(lang, "label.found-in-text"))?;
        if let Some(id) = &pasted.request_id {
            writeln!(out, "  {}", tr(lang, "label.request-id", &[("id", id)]))?;
        }
        if let Some(id) = &pasted.correlation_id {
            writeln!(out, "  {}", tr(lang, "label.correlation-id", &[("id", id)]))?;
        }
        if let Some(t) = pasted.timestamp {
            let time = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            writeln!(out, "  {}", tr(lang, "label.time-utc", &[("time", &time)]))?;
        }
        if let Some(id) = pasted
            .request_id
            .as_ref()
            .or(pasted.correlation_id.as_ref())
        {
            let flag = if pasted.request_id.is_some() {
                "--request-id"
            } else {
                "--correlation-id"
            };
            let file = label(lang, "cli.explain.export-file");
            let command = format!("signin-doctor diagnose {file} {flag} {id}");
            writeln!(
                out,
                "\n{}",
                tr(lang, "label.find-sign-in", &[("command", &command)])
            )?;
        }
    }
    Ok(())
}

fn list(out: &mut dyn Write, title: &str, items: &[String]) -> Result<()> {
    if !items.is_empty() {
        writeln!(out, "\n{title}:")?;
        for item in items {
            writeln!(out, "  - {item}")?;
        }
    }
    Ok(())
}

/// `diagnose`: each attempt's diagnosis; the words are the diagnoses' own, the headings in
/// `lang`.
pub fn diagnoses(
    out: &mut dyn Write,
    diagnoses: &[(Diagnosis, SignInEvent)],
    as_json: bool,
    lang: Lang,
) -> Result<()> {
    if as_json {
        let items: Vec<Value> = diagnoses
            .iter()
            .map(|(d, e)| {
                let mut v = serde_json::to_value(d)?;
                v["createdDateTime"] = json!(
                    e.created_date_time
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
                v["userPrincipalName"] = json!(e.user_principal_name);
                v["appDisplayName"] = json!(e.app_display_name);
                v["errorCode"] = json!(e.error_code());
                Ok(v)
            })
            .collect::<Result<_>>()?;
        writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        return Ok(());
    }
    for (i, (d, e)) in diagnoses.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n{}", "-".repeat(72))?;
        }
        writeln!(
            out,
            "{}  [{}]  {}",
            d.verdict.label(lang).to_uppercase(),
            d.scenario,
            d.headline
        )?;
        writeln!(
            out,
            "{}  {}  {}  {}",
            e.created_date_time
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            e.user_principal_name
                .as_deref()
                .or(e.service_principal_name.as_deref())
                .unwrap_or(""),
            e.app_display_name.as_deref().unwrap_or(""),
            tr(lang, "label.request", &[("id", &d.request_id)])
        )?;
        writeln!(out, "\n{}", d.what_happened)?;
        if !d.evidence.is_empty() {
            writeln!(out, "\n{}:", label(lang, "label.evidence"))?;
            for ev in &d.evidence {
                writeln!(out, "  {:<40} {}", ev.field, clip(&ev.value, 100))?;
            }
        }
        for (audience, title) in [
            (Audience::User, label(lang, "label.user-can")),
            (Audience::Admin, label(lang, "label.admin-can")),
            (Audience::Developer, label(lang, "label.developer-can")),
        ] {
            let steps: Vec<&str> = d
                .actions
                .iter()
                .filter(|a| a.audience == audience)
                .map(|a| a.text.as_str())
                .collect();
            if !steps.is_empty() {
                writeln!(out, "\n{title}:")?;
                for (n, step) in steps.iter().enumerate() {
                    writeln!(out, "  {}. {step}", n + 1)?;
                }
            }
        }
        if !d.patterns.is_empty() {
            writeln!(out, "\n{}:", label(lang, "label.around"))?;
            for p in &d.patterns {
                writeln!(out, "  - {}", p.text)?;
            }
        }
        if !d.chain.is_empty() {
            let id = d.correlation_id.as_deref().unwrap_or("");
            writeln!(out, "\n{}:", tr(lang, "label.attempt", &[("id", &id)]))?;
            for step in &d.chain {
                let status = label(lang, &format!("verdict.{}", step.status));
                writeln!(
                    out,
                    "  {}  {:<11} {:>7}  {}",
                    step.created_date_time, status, step.error_code, step.request_id
                )?;
            }
        }
        if !d.links.is_empty() {
            writeln!(out, "\n{}:", label(lang, "label.links"))?;
            for link in &d.links {
                writeln!(out, "  {}: {}", link.label, link.url)?;
            }
        }
    }
    Ok(())
}

/// `stats`: one row per error code or policy, `key<TAB>count`, most first.
pub fn stats(out: &mut dyn Write, by: &str, rows: &[(String, u64)], as_json: bool) -> Result<()> {
    if as_json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|(key, count)| json!({ "key": key, "count": count }))
            .collect();
        writeln!(out, "{}", json!({ "by": by, "rows": rows }))?;
        return Ok(());
    }
    for (key, count) in rows {
        writeln!(out, "{key}\t{count}")?;
    }
    Ok(())
}
