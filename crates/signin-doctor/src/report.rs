//! `signin-doctor report`: the sign-ins a search finds, or one sign-in's diagnosis with its
//! attempt, as an HTML, PDF, CSV or JSON file to hand on, optionally redacted.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use signin_core::diagnose::Settings;
use signin_core::messages::{text as label, tr};
use signin_core::{Lang, SignInEvent};
use signin_report::{Format, Options, Report};

use crate::{CriteriaArgs, Failure};

#[derive(Debug, clap::Args)]
pub(crate) struct ReportArgs {
    /// Export files to report on (with --workspace: to add to it first).
    #[arg(required_unless_present = "workspace", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Report on this workspace file.
    #[arg(long, value_name = "PATH")]
    workspace: Option<PathBuf>,
    /// The sign-ins to include, as in `search`. With --request-id the report diagnoses that
    /// sign-in and lists every request of its attempt.
    #[command(flatten)]
    criteria: CriteriaArgs,
    /// Include at most this many sign-ins (newest first); 0 includes all.
    #[arg(long, default_value_t = 0, value_name = "N")]
    limit: usize,
    /// html (one self-contained page), pdf, csv (one row per sign-in) or json; with
    /// --request-id also text or markdown: the diagnosis to paste into a support ticket.
    #[arg(long, value_parser = ["html", "pdf", "csv", "json", "text", "markdown"])]
    format: String,
    /// Replace names, usernames, user IDs, IP addresses, devices and tenants by pseudonyms,
    /// to share the report outside the organisation.
    #[arg(long)]
    redact: bool,
    /// Where to write the report; `-` writes it to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: PathBuf,
}

pub(crate) fn run(args: ReportArgs, lang: Lang, out: &mut impl Write) -> Result<(), Failure> {
    let criteria = args.criteria.parse(lang)?;
    let ticket = matches!(args.format.as_str(), "text" | "markdown");
    if ticket && criteria.request_id.is_none() {
        return Err(anyhow::anyhow!(tr(
            lang,
            "cli.report.ticket-needs-id",
            &[("format", &args.format)]
        ))
        .into());
    }
    let (events, diagnosis) = match criteria.request_id.clone() {
        Some(id) => {
            let mut ws = crate::open_workspace(args.workspace.as_deref())?;
            crate::note_warnings(&crate::import(&mut ws, &args.files, lang)?, lang);
            let Some(found) = ws.get(&id)? else {
                return Err(Failure {
                    code: 1,
                    error: anyhow::anyhow!(tr(lang, "cli.error.no-sign-in", &[("id", &id)])),
                });
            };
            let settings = Settings {
                lang,
                ..Settings::default()
            };
            let diagnosis = ws.diagnose(&found.event, &settings)?;
            let attempt = ws.attempt(found.event, args.limit)?;
            (attempt, Some(diagnosis))
        }
        None => {
            let found = crate::find(
                &args.files,
                args.workspace.as_deref(),
                &criteria,
                args.limit,
                lang,
            )?;
            let events: Vec<SignInEvent> = found.events.into_iter().map(|s| s.event).collect();
            (events, None)
        }
    };
    let options = Options {
        lang,
        redact: args.redact,
        generated_at: Some(chrono::Utc::now()),
    };
    let report = Report::new(&events, diagnosis, options);
    let bytes = match args.format.as_str() {
        "text" => report.ticket_text().unwrap_or_default().into_bytes(),
        "markdown" => report.ticket_markdown().unwrap_or_default().into_bytes(),
        id => {
            let format = Format::from_id(id).context(label(lang, "cli.report.unknown-format"))?;
            report
                .render(format)
                .map_err(|e| Failure::from(anyhow::Error::new(e)))?
        }
    };
    if args.out.as_os_str() == "-" {
        out.write_all(&bytes)
            .context(label(lang, "cli.error.stdout"))?;
        return Ok(());
    }
    std::fs::write(&args.out, &bytes).with_context(|| {
        tr(
            lang,
            "cli.error.cannot-write",
            &[("path", &args.out.display())],
        )
    })?;
    let redacted = if args.redact {
        label(lang, "cli.report.redacted")
    } else {
        ""
    };
    let diagnosis = if report.diagnosis().is_some() {
        label(lang, "cli.report.with-diagnosis")
    } else {
        ""
    };
    let key = if events.len() == 1 {
        "cli.report.wrote-one"
    } else {
        "cli.report.wrote-other"
    };
    let said = tr(
        lang,
        key,
        &[
            ("path", &args.out.display()),
            ("diagnosis", &diagnosis),
            ("count", &events.len()),
            ("redacted", &redacted),
        ],
    );
    writeln!(out, "{said}").context(label(lang, "cli.error.stdout"))?;
    Ok(())
}
