//! CSV: RFC 4180 (comma, CRLF, quotes doubled), one row per sign-in, a header row in the
//! report's language. Safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`
//! or `@` (or a tab or carriage return) gets a leading `'`, so no log value can become a formula.

use crate::labels::{Label, status_text};
use crate::{Report, Row};

/// A column: its header and its value for a row.
pub(crate) type Column = (Label, fn(&Row, signin_core::Lang) -> String);

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Every column, in the order a CSV has them.
pub(crate) const COLUMNS: &[Column] = &[
    (Label::TimeUtc, |r, _| r.summary.created_date_time.clone()),
    (Label::User, |r, _| opt(&r.summary.user_display_name)),
    (Label::Username, |r, _| opt(&r.summary.user_principal_name)),
    (Label::UserId, |r, _| opt(&r.user_id)),
    (Label::Application, |r, _| opt(&r.summary.app_display_name)),
    (Label::ApplicationId, |r, _| opt(&r.summary.app_id)),
    (Label::Resource, |r, _| opt(&r.resource_display_name)),
    (Label::Status, |r, lang| status_text(r.summary.status, lang)),
    (Label::ErrorCode, |r, _| r.summary.error_code.to_string()),
    (Label::FailureReason, |r, _| opt(&r.summary.failure_reason)),
    (Label::IpAddress, |r, _| opt(&r.summary.ip_address)),
    (Label::Location, |r, _| opt(&r.summary.location)),
    (Label::ClientApp, |r, _| opt(&r.summary.client_app_used)),
    (Label::SignInType, |r, _| opt(&r.summary.event_type)),
    (Label::Device, |r, _| opt(&r.device_name)),
    (Label::DeviceId, |r, _| opt(&r.device_id)),
    (Label::OperatingSystem, |r, _| opt(&r.operating_system)),
    (Label::Browser, |r, _| opt(&r.browser)),
    (Label::ConditionalAccess, |r, _| {
        opt(&r.conditional_access_status)
    }),
    (Label::HomeTenantId, |r, _| opt(&r.home_tenant_id)),
    (Label::RequestId, |r, _| r.summary.id.clone()),
    (Label::CorrelationId, |r, _| opt(&r.summary.correlation_id)),
];

/// The columns a table on a page shows (the CSV has them all).
pub(crate) const PAGE_COLUMNS: [usize; 9] = [0, 1, 2, 4, 7, 8, 9, 10, 14];

/// A cell a spreadsheet will show as text, never run as a formula.
pub(crate) fn defuse(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

pub(crate) fn render(report: &Report) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let lang = report.lang;
    let header: Vec<&str> = COLUMNS.iter().map(|(l, _)| l.text(lang)).collect();
    // Writing to memory cannot fail.
    let _ = out.write_record(&header);
    for row in &report.rows {
        let cells: Vec<String> = COLUMNS.iter().map(|(_, v)| defuse(v(row, lang))).collect();
        let _ = out.write_record(&cells);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}
