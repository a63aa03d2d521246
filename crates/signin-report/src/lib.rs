//! Reports an admin can hand on: a set of sign-ins and/or one diagnosis as one self-contained
//! HTML file, a PDF, CSV (one row per sign-in) or JSON, plus "copy for ticket" text in plain
//! text and Markdown. Optionally redacted for sharing outside the organisation.
//!
//! Pure: no Tauri, no file system, no clock (the caller passes the time the report is made).
//! Build a [`Report`] once (redaction happens there, so every format shows the same
//! pseudonyms), then render it in any [`Format`].

mod csv_out;
mod html;
pub mod labels;
mod pdf;
mod redact;
mod ticket;

use chrono::{DateTime, Utc};
use serde::Serialize;
use signin_core::diagnose::Diagnosis;
use signin_core::{EventSummary, Lang, SignInEvent};

pub use labels::Label;
pub use redact::RedactionSummary;

/// A report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Pdf, Format::Csv, Format::Json];

    /// `html`, `pdf`, `csv`, `json`: the CLI's `--format` and the file extension.
    pub fn id(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.id().eq_ignore_ascii_case(id.trim()))
    }
}

/// How to make the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// The language of the report's own labels (the diagnosis comes already translated).
    pub lang: Lang,
    /// Replace people, addresses, devices and tenants by pseudonyms.
    pub redact: bool,
    /// When the report was made, shown in its header; none shows no time.
    pub generated_at: Option<DateTime<Utc>>,
}

/// One sign-in of the report: the search result's columns plus what an admin also asks
/// about (user ID, device, resource, Conditional Access). Its JSON is the `signIns` item of
/// the JSON report: the documented `search --json` row with these fields added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub user_id: Option<String>,
    pub resource_display_name: Option<String>,
    pub device_name: Option<String>,
    pub device_id: Option<String>,
    pub operating_system: Option<String>,
    pub browser: Option<String>,
    pub conditional_access_status: Option<String>,
    pub home_tenant_id: Option<String>,
}

impl Row {
    fn of(e: &SignInEvent) -> Row {
        let device = e.device_detail.as_ref();
        Row {
            summary: EventSummary::of(e),
            user_id: e.user_id.clone(),
            resource_display_name: e.resource_display_name.clone(),
            device_name: device.and_then(|d| d.display_name.clone()),
            device_id: device.and_then(|d| d.device_id.clone()),
            operating_system: device.and_then(|d| d.operating_system.clone()),
            browser: device.and_then(|d| d.browser.clone()),
            conditional_access_status: e
                .conditional_access_status
                .as_ref()
                .map(|s| s.as_str().to_owned()),
            home_tenant_id: e.home_tenant_id.clone(),
        }
    }

    fn redact(&mut self, r: &redact::Redaction) {
        let s = &mut self.summary;
        r.in_place(&mut s.id);
        r.in_place(&mut s.created_date_time);
        for field in [
            &mut s.user_display_name,
            &mut s.user_principal_name,
            &mut s.app_display_name,
            &mut s.app_id,
            &mut s.failure_reason,
            &mut s.ip_address,
            &mut s.location,
            &mut s.correlation_id,
            &mut s.client_app_used,
            &mut s.event_type,
            &mut self.user_id,
            &mut self.resource_display_name,
            &mut self.device_name,
            &mut self.device_id,
            &mut self.operating_system,
            &mut self.browser,
            &mut self.conditional_access_status,
            &mut self.home_tenant_id,
        ] {
            r.opt(field);
        }
    }
}

/// A report, ready to render: redacted already when asked.
#[derive(Debug, Clone)]
pub struct Report {
    lang: Lang,
    generated_at: Option<DateTime<Utc>>,
    rows: Vec<Row>,
    diagnosis: Option<Diagnosis>,
    redaction: Option<RedactionSummary>,
}

impl Report {
    /// A report of `events` (in the order given; a search gives newest first) and, when given,
    /// the diagnosis of one of them. The diagnosed sign-in and the rest of its attempt belong
    /// in `events`: redaction learns the values to hide from them.
    pub fn new(events: &[SignInEvent], diagnosis: Option<Diagnosis>, options: Options) -> Report {
        let mut rows: Vec<Row> = events.iter().map(Row::of).collect();
        let mut diagnosis = diagnosis;
        let mut redaction = None;
        if options.redact {
            let mut redactor = redact::Redactor::new(options.lang);
            // The diagnosed person is "User 1".
            let diagnosed = diagnosis.as_ref().and_then(|d| {
                events
                    .iter()
                    .find(|e| e.id.eq_ignore_ascii_case(&d.request_id))
            });
            for e in diagnosed.into_iter().chain(events) {
                redactor.learn(e);
            }
            let red = redactor.finish();
            for row in &mut rows {
                row.redact(&red);
            }
            if let Some(d) = &mut diagnosis {
                redact_diagnosis(d, &red);
            }
            redaction = Some(red.summary);
        }
        Report {
            lang: options.lang,
            generated_at: options.generated_at,
            rows,
            diagnosis,
            redaction,
        }
    }

    /// The values redaction hides in these sign-ins: what a test looks for in the output.
    pub fn identifying_values(events: &[SignInEvent]) -> Vec<String> {
        let mut redactor = redact::Redactor::new(Lang::En);
        for e in events {
            redactor.learn(e);
        }
        redactor.originals().to_vec()
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.diagnosis.as_ref()
    }

    /// What was redacted; `None` when the report is not redacted.
    pub fn redaction(&self) -> Option<RedactionSummary> {
        self.redaction
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The report in a format, as the bytes of a file.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, ReportError> {
        Ok(match format {
            Format::Html => self.html().into_bytes(),
            Format::Pdf => self.pdf()?,
            Format::Csv => self.csv().into_bytes(),
            Format::Json => self.json().into_bytes(),
        })
    }

    /// One self-contained HTML page.
    pub fn html(&self) -> String {
        html::render(self)
    }

    /// A PDF with an embedded font; its text can be searched and copied.
    pub fn pdf(&self) -> Result<Vec<u8>, ReportError> {
        pdf::render(self)
    }

    /// RFC 4180 CSV, one row per sign-in, with a header row in the report's language.
    pub fn csv(&self) -> String {
        csv_out::render(self)
    }

    /// The JSON report (see the README for its shape).
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Json<'a> {
            report: &'static str,
            version: u32,
            lang: Lang,
            generated_at: Option<String>,
            redacted: bool,
            redaction: Option<RedactionSummary>,
            diagnosis: Option<&'a Diagnosis>,
            sign_ins: &'a [Row],
        }
        let json = Json {
            report: "signin-doctor",
            version: 1,
            lang: self.lang,
            generated_at: self.generated_at_text(),
            redacted: self.redaction.is_some(),
            redaction: self.redaction,
            diagnosis: self.diagnosis.as_ref(),
            sign_ins: &self.rows,
        };
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The diagnosis as plain text for a ticket; `None` without a diagnosis.
    pub fn ticket_text(&self) -> Option<String> {
        ticket::text(self)
    }

    /// The diagnosis as Markdown for a ticket; `None` without a diagnosis.
    pub fn ticket_markdown(&self) -> Option<String> {
        ticket::markdown(self)
    }

    fn generated_at_text(&self) -> Option<String> {
        self.generated_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }

    fn label(&self, label: Label) -> &'static str {
        label.text(self.lang)
    }

    /// The row of the diagnosed sign-in, when it is in the report.
    fn diagnosed_row(&self) -> Option<&Row> {
        let d = self.diagnosis.as_ref()?;
        self.rows
            .iter()
            .find(|r| r.summary.id.eq_ignore_ascii_case(&d.request_id))
    }

    /// "People: 2 · IP addresses: 3 · …": what redaction replaced; `None` when not redacted.
    fn redaction_counts(&self) -> Option<String> {
        let s = self.redaction?;
        Some(
            [
                (Label::RedactedUsers, s.users),
                (Label::RedactedIps, s.ip_addresses),
                (Label::RedactedDevices, s.devices),
                (Label::RedactedTenants, s.tenants),
            ]
            .map(|(label, n)| format!("{}: {n}", self.label(label)))
            .join(" · "),
        )
    }

    /// "Request ID: … · Correlation ID: …" of a diagnosis.
    fn ids_line(&self, d: &Diagnosis) -> String {
        let mut line = format!("{}: {}", self.label(Label::RequestId), d.request_id);
        if let Some(c) = d.correlation_id.as_deref().filter(|c| !c.is_empty()) {
            line.push_str(&format!(" · {}: {c}", self.label(Label::CorrelationId)));
        }
        line
    }

    /// The title: the diagnosis's headline, or "Sign-in report".
    fn title(&self) -> String {
        match &self.diagnosis {
            Some(d) => d.headline.clone(),
            None => self.label(Label::ReportTitle).to_owned(),
        }
    }
}

fn redact_diagnosis(d: &mut Diagnosis, r: &redact::Redaction) {
    r.in_place(&mut d.request_id);
    r.opt(&mut d.correlation_id);
    r.in_place(&mut d.headline);
    r.in_place(&mut d.what_happened);
    r.in_place(&mut d.ticket);
    for e in &mut d.evidence {
        r.in_place(&mut e.value);
    }
    for a in &mut d.actions {
        r.in_place(&mut a.text);
    }
    for p in &mut d.patterns {
        r.in_place(&mut p.text);
    }
    for s in &mut d.chain {
        r.in_place(&mut s.request_id);
    }
    // A link that named a person or tenant would lead nowhere once redacted: drop it.
    d.links.retain(|l| r.apply(&l.url) == l.url);
    for l in &mut d.links {
        r.in_place(&mut l.label);
    }
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot make the PDF: {0}")]
    Pdf(String),
}

/// The fix steps by audience (user, admin, developer), each with its heading; audiences
/// without a step are left out.
pub(crate) fn fixes(d: &Diagnosis) -> Vec<(Label, Vec<&str>)> {
    use signin_core::diagnose::Audience;
    [
        (Audience::User, Label::ForUser),
        (Audience::Admin, Label::ForAdmin),
        (Audience::Developer, Label::ForDeveloper),
    ]
    .into_iter()
    .map(|(audience, label)| {
        let steps = d
            .actions
            .iter()
            .filter(|a| a.audience == audience)
            .map(|a| a.text.as_str())
            .collect::<Vec<_>>();
        (label, steps)
    })
    .filter(|(_, steps)| !steps.is_empty())
    .collect()
}
