//! `signin-doctor`: Sign-in Doctor on the command line, for IT staff and scripts.
//!
//! Glue only: argument parsing, reading files, printing. The logic lives in `signin-core`.
//! Exit codes: 0 success, 1 nothing found (`show`), 2 bad input (missing or unreadable file,
//! unknown format, bad time or argument).

mod output;

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use signin_core::demo::{self, DemoOptions};
use signin_core::{Criteria, Dataset, Outcome, import_source, time};

#[derive(Debug, Parser)]
#[command(
    name = "signin-doctor",
    version,
    about = "Find out why someone in a Microsoft Entra ID tenant cannot sign in.",
    long_about = "Find out why someone in a Microsoft Entra ID tenant cannot sign in.\n\n\
        Reads exported sign-in logs (the Entra portal's CSV and JSON downloads, Microsoft Graph and \
        Graph PowerShell JSON, Log Analytics and Sentinel exports, Azure Monitor records, NDJSON, \
        zip and gzip archives) and finds sign-in events the way Microsoft's Sign-in Diagnostic does. \
        Nothing leaves this machine."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read export files and report, per file, the detected format, records and warnings.
    Import {
        /// Export files to read.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Find sign-ins by user, application, time, request or correlation ID, and status.
    Search {
        /// Export files to search.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        criteria: CriteriaArgs,
        /// Show at most this many results (newest first); 0 shows all.
        #[arg(long, default_value_t = 0, value_name = "N")]
        limit: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show every detail of one sign-in.
    Show {
        /// Export files to look in.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The sign-in's request ID.
        #[arg(long, value_name = "ID")]
        request_id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the demo data set (a week at a fictional firm) as JSON.
    Demo {
        /// Where to write it; standard output when absent.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct CriteriaArgs {
    /// User principal name, display name (exact or prefix, any case) or object ID.
    #[arg(long, value_name = "U")]
    user: Option<String>,
    /// Application name (exact or prefix, any case) or app ID.
    #[arg(long, value_name = "A")]
    app: Option<String>,
    /// Earliest time (UTC unless it has an offset), e.g. 2026-11-20 or 2026-11-20T08:00:00Z.
    #[arg(long, value_name = "T")]
    from: Option<String>,
    /// Latest time; a bare date means the end of that day.
    #[arg(long, value_name = "T")]
    to: Option<String>,
    /// One time: search 24 hours either side, as the Sign-in Diagnostic does.
    #[arg(long, value_name = "T", conflicts_with_all = ["from", "to"])]
    around: Option<String>,
    /// Request ID of the sign-in (the "Request Id" on an error page).
    #[arg(long, value_name = "ID")]
    request_id: Option<String>,
    /// Correlation ID shared by the requests of one sign-in attempt.
    #[arg(long, value_name = "ID")]
    correlation_id: Option<String>,
    /// success, failure or interrupted.
    #[arg(long, value_name = "S", value_parser = ["success", "failure", "interrupted"])]
    status: Option<String>,
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure { code: 2, error }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, error }) => {
            let reason = error
                .chain()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("signin-doctor: {reason}");
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Import { files, json } => {
            let dataset = open(&files)?;
            output::import_report(&mut out, &files, &dataset, json)?;
        }
        Command::Search {
            files,
            criteria,
            limit,
            json,
        } => {
            let criteria = criteria.parse()?;
            let dataset = open(&files)?;
            note_warnings(&dataset);
            let mut found = dataset.search(&criteria);
            let total = found.len();
            if limit > 0 {
                found.truncate(limit);
            }
            output::search_results(&mut out, &dataset, &found, total, json)?;
        }
        Command::Show {
            files,
            request_id,
            json,
        } => {
            let dataset = open(&files)?;
            note_warnings(&dataset);
            let Some(stored) = dataset.get(&request_id) else {
                return Err(Failure {
                    code: 1,
                    error: anyhow::anyhow!(
                        "no sign-in with request ID {request_id} in the given files"
                    ),
                });
            };
            output::event_detail(&mut out, &dataset, stored, json)?;
        }
        Command::Demo { out: path } => {
            let text = demo::generate(&DemoOptions::default());
            match path {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => out
                    .write_all(text.as_bytes())
                    .context("cannot write to standard output")?,
            }
        }
    }
    out.flush().context("cannot write to standard output")?;
    Ok(())
}

/// Reads every file (and every member of a zip archive) into one dataset. A file that cannot
/// be read stops with its reason; so does an archive none of whose members could be read. An
/// archive member that is not a sign-in export (a README beside the exports) is only noted.
fn open(files: &[PathBuf]) -> anyhow::Result<Dataset> {
    let mut dataset = Dataset::default();
    for path in files {
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
        let results = import_source(BufReader::with_capacity(1 << 16, file), &name);
        let any_ok = results.iter().any(|(_, r)| r.is_ok());
        for (member, result) in results {
            match result {
                Ok(import) => {
                    dataset.add(member, import);
                }
                Err(e) if any_ok && member != name => {
                    eprintln!("signin-doctor: note: {member}: skipped: {e}");
                }
                Err(e) => return Err(anyhow::Error::new(e).context(member)),
            }
        }
    }
    Ok(dataset)
}

/// Tells (on standard error) that some records were skipped, so results are never silently short.
fn note_warnings(dataset: &Dataset) {
    for source in dataset.sources() {
        let n = source.warnings.len();
        if n > 0 {
            eprintln!(
                "signin-doctor: note: {}: {n} problem{} while reading; run `signin-doctor import {}` for details",
                source.name,
                if n == 1 { "" } else { "s" },
                source.name
            );
        }
    }
}

impl CriteriaArgs {
    fn parse(self) -> anyhow::Result<Criteria> {
        let mut criteria = Criteria {
            user: self.user,
            app: self.app,
            request_id: self.request_id,
            correlation_id: self.correlation_id,
            outcome: self.status.as_deref().and_then(Outcome::from_name),
            ..Criteria::default()
        };
        if let Some(at) = self.around {
            criteria = criteria.around(user_time("--around", &at)?);
        }
        if let Some(from) = self.from {
            criteria.from = Some(user_time("--from", &from)?);
        }
        if let Some(to) = self.to {
            let mut t = user_time("--to", &to)?;
            if time::is_bare_date(&to) {
                t += chrono::Duration::days(1) - chrono::Duration::nanoseconds(1);
            }
            criteria.to = Some(t);
        }
        if let (Some(from), Some(to)) = (criteria.from, criteria.to)
            && from > to
        {
            bail!("--from is after --to");
        }
        Ok(criteria)
    }
}

fn user_time(flag: &str, text: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    time::parse_user_time(text).with_context(|| {
        format!("{flag}: \"{text}\" is not a time; use e.g. 2026-11-20, 2026-11-20T08:30 or 2026-11-20T08:30:00Z")
    })
}
