//! `signin-doctor`: Sign-in Doctor on the command line, for IT staff and scripts.
//!
//! Glue only: argument parsing, reading files, printing. The logic lives in `signin-core`.
//! Exit codes: 0 success, 1 nothing found (`show`), 2 bad input (missing or unreadable file,
//! unknown format, bad time or argument), 3 the tenant, Entra or the network refused (`login`,
//! `fetch`).

/// Importing allocates on one thread and frees on the other; mimalloc does that without the
/// system allocator's lock traffic.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod live;
mod output;
mod report;
mod scan;

use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use signin_core::demo::{self, DemoOptions};
use signin_core::diagnose::{Diagnosis, Settings, attempts};
use signin_core::messages::{text as label, tr};
use signin_core::{Criteria, ImportError, Lang, Outcome, SignInEvent, time};
use signin_live::LiveError;
use signin_store::{FileError, ImportControl, Progress, SourceRecord, StoreError, Workspace};

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
    /// The language of diagnoses and explanations. Without it, the locale (LC_ALL,
    /// LC_MESSAGES, LANG) decides, and English when it names another language.
    #[arg(long, global = true, value_name = "LANG",
          value_parser = clap::builder::PossibleValuesParser::new(Lang::ALL.map(Lang::tag)))]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// The language asked for with `--lang`, else the one of the locale: the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set decides (as for other programs); English when it names a
/// language Sign-in Doctor does not speak.
fn language(flag: Option<&str>) -> Lang {
    let locale = || {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(std::env::var_os)
            .find(|value| !value.is_empty())
    };
    match flag {
        Some(tag) => Lang::from_tag(tag),
        None => locale().and_then(|value| Lang::from_tag(&value.to_string_lossy())),
    }
    .unwrap_or_default()
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read export files and report, per file, the detected format, records and warnings.
    Import {
        /// Export files to read (zip and gzip archives are opened).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Keep the sign-ins in this workspace file (created when missing) for later searches.
        #[arg(long, value_name = "PATH")]
        workspace: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Find sign-ins by user, application, time, request or correlation ID, and status.
    Search {
        /// Export files to search (with --workspace: to add to it first).
        #[arg(required_unless_present = "workspace", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Search this workspace file instead of (or as well as) the given files.
        #[arg(long, value_name = "PATH")]
        workspace: Option<PathBuf>,
        #[command(flatten)]
        criteria: CriteriaArgs,
        /// Show at most this many results (newest first); 0 shows all.
        #[arg(long, default_value_t = 0, value_name = "N")]
        limit: usize,
        /// Print JSON instead of a table.
        #[arg(long, conflicts_with = "tsv")]
        json: bool,
        /// Print tab-separated lines for scripts: a header, then per sign-in its time (UTC),
        /// request ID, correlation ID, user, application, status and error code.
        #[arg(long)]
        tsv: bool,
    },
    /// Show every detail of one sign-in.
    Show {
        /// Export files to look in (with --workspace: to add to it first).
        #[arg(required_unless_present = "workspace", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Look in this workspace file.
        #[arg(long, value_name = "PATH")]
        workspace: Option<PathBuf>,
        /// The sign-in's request ID.
        #[arg(long, value_name = "ID")]
        request_id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Count sign-ins: failing error codes, or the Conditional Access policies that block most.
    Stats {
        /// Export files to count in (with --workspace: to add to it first).
        #[arg(required_unless_present = "workspace", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Count in this workspace file.
        #[arg(long, value_name = "PATH")]
        workspace: Option<PathBuf>,
        /// `code`: sign-ins with a non-zero error code per code; `policy`: enforced Conditional
        /// Access failures of those sign-ins per policy.
        #[arg(long, value_parser = ["code", "policy"], default_value = "code")]
        by: String,
        /// Only the first N rows; 0 shows all.
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
        #[command(flatten)]
        criteria: CriteriaArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Explain an AADSTS error code, or a pasted error message or JSON error body.
    Explain {
        /// `AADSTS50126`, `50126`, a whole error message, or words to search for ("reply url").
        #[arg(required = true, value_name = "CODE-OR-TEXT", num_args = 1..)]
        text: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Say what happened to a sign-in, why, and what to do.
    Diagnose {
        /// Export files to look in (with --workspace: to add to it first).
        #[arg(required_unless_present = "workspace", value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Look in this workspace file.
        #[arg(long, value_name = "PATH")]
        workspace: Option<PathBuf>,
        /// The sign-in's request ID.
        #[arg(long, value_name = "ID", required_unless_present_any = ["correlation_id", "user"], conflicts_with_all = ["correlation_id", "user"])]
        request_id: Option<String>,
        /// Every request of one sign-in attempt.
        #[arg(long, value_name = "ID", conflicts_with = "user")]
        correlation_id: Option<String>,
        /// A user's sign-in attempts (UPN, display name or object ID; exact or prefix).
        #[arg(long, value_name = "U")]
        user: Option<String>,
        /// With --user: only attempts within 24 hours of this time.
        #[arg(long, value_name = "T", requires = "user")]
        around: Option<String>,
        /// With --user: diagnose at most this many attempts, newest first.
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sign in to a tenant (in the browser by default) and keep the sign-in in the OS keyring.
    Login(live::LoginArgs),
    /// Forget the sign-in of a profile (or of all of them): its secrets leave the keyring.
    Logout {
        /// The profile to sign out; default: the active one.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// Sign out of every profile and remove the key from the OS keyring.
        #[arg(long, conflicts_with = "profile")]
        all: bool,
    },
    /// List the saved tenant profiles, or switch the active one.
    Profiles {
        /// Make this profile the active one.
        #[arg(long = "use", value_name = "NAME")]
        use_profile: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fetch sign-ins from the tenant through Microsoft Graph (last 24 hours unless a time is given).
    Fetch(live::FetchArgs),
    /// Write the sign-ins a search finds, or one sign-in's diagnosis, as an HTML, PDF, CSV or
    /// JSON file to hand on (--redact to share it outside the organisation).
    Report(report::ReportArgs),
    /// Write the demo data set (a week at a fictional firm) as JSON.
    Demo {
        /// Where to write it; standard output when absent.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct CriteriaArgs {
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
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) error: anyhow::Error,
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure { code: 2, error }
    }
}

impl From<signin_store::StoreError> for Failure {
    fn from(error: signin_store::StoreError) -> Self {
        Failure {
            code: 2,
            error: error.into(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = language(cli.lang.as_deref());
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of the output has stopped (`| head`): nothing is wrong, stop quietly.
        Err(Failure { error, .. }) if closed_output(&error) => ExitCode::SUCCESS,
        Err(Failure { code, error }) => {
            eprintln!("signin-doctor: {}", reason(&error, lang));
            ExitCode::from(code)
        }
    }
}

/// Whether the failure is only that whoever reads standard output closed it.
fn closed_output(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Why a command failed, in `lang`: each cause in turn, joined by ": ". Our own words are in
/// `lang` already; the errors of the libraries that can say themselves in `lang` (import, the
/// workspace, sign-in and Graph) are said here, and they include their own causes. Other causes
/// (the operating system's, a parser's) are shown as they come.
fn reason(error: &anyhow::Error, lang: Lang) -> String {
    let mut parts = Vec::new();
    for cause in error.chain() {
        if let Some(text) = in_language(cause, lang) {
            parts.push(text);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

/// An error of the libraries in `lang`; `None` for others.
fn in_language(cause: &(dyn std::error::Error + 'static), lang: Lang) -> Option<String> {
    if let Some(e) = cause.downcast_ref::<FileError>() {
        return Some(file_error(e, lang));
    }
    if let Some(e) = cause.downcast_ref::<ImportError>() {
        return Some(e.describe(lang));
    }
    if let Some(e) = cause.downcast_ref::<StoreError>() {
        return Some(e.describe(lang));
    }
    cause.downcast_ref::<LiveError>().map(|e| e.describe(lang))
}

/// Why a file was not imported, in `lang`.
fn file_error(e: &FileError, lang: Lang) -> String {
    match e {
        FileError::Import(e) => e.describe(lang),
        FileError::Cancelled => label(lang, "cli.error.file-cancelled").to_owned(),
        FileError::Store(e) => e.describe(lang),
    }
}

fn run(cli: Cli, lang: Lang) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Import {
            files,
            workspace,
            json,
        } => {
            let mut ws = open_workspace(workspace.as_deref())?;
            let sources = import(&mut ws, &files, lang)?;
            output::import_report(&mut out, &sources, json, lang)?;
        }
        Command::Search {
            files,
            workspace,
            criteria,
            limit,
            json,
            tsv,
        } => {
            let criteria = criteria.parse(lang)?;
            let found = find(&files, workspace.as_deref(), &criteria, limit, lang)?;
            if tsv {
                output::search_tsv(&mut out, &found)?;
            } else {
                output::search_results(&mut out, &found, json, lang)?;
            }
        }
        Command::Show {
            files,
            workspace,
            request_id,
            json,
        } => {
            let mut ws = open_workspace(workspace.as_deref())?;
            note_warnings(&import(&mut ws, &files, lang)?, lang);
            let Some(stored) = ws.get(&request_id)? else {
                let key = if files.is_empty() {
                    "cli.error.no-sign-in-in-workspace"
                } else {
                    "cli.error.no-sign-in-in-files"
                };
                return Err(Failure {
                    code: 1,
                    error: anyhow::anyhow!(tr(lang, key, &[("id", &request_id)])),
                });
            };
            output::event_detail(&mut out, &stored, json, lang)?;
        }
        Command::Stats {
            files,
            workspace,
            by,
            top,
            criteria,
            json,
        } => {
            let criteria = criteria.parse(lang)?;
            let rows = if workspace.is_none() {
                // Straight from the files: counted as they are read, nothing kept.
                let by = if by == "policy" {
                    scan::CountBy::Policy
                } else {
                    scan::CountBy::Code
                };
                let (rows, problems) = scan::count_in_files(&files, &criteria, by, top, lang)?;
                for problem in problems {
                    note_problems(&problem.name, problem.warnings, lang);
                }
                rows
            } else {
                // Counted by SQLite over the workspace's indexes, no sign-in read.
                let mut ws = open_workspace(workspace.as_deref())?;
                note_warnings(&import(&mut ws, &files, lang)?, lang);
                if by == "policy" {
                    ws.count_by_failed_policy(&criteria, top)?
                        .into_iter()
                        .map(|r| (r.key, r.count))
                        .collect()
                } else {
                    ws.count_by_code(&criteria, top)?
                        .into_iter()
                        .map(|r| (r.key.to_string(), r.count))
                        .collect()
                }
            };
            output::stats(&mut out, &by, &rows, json)?;
        }
        Command::Explain { text, json } => {
            let text = text.join(" ");
            output::explanation(&mut out, &text, json, lang)?;
        }
        Command::Diagnose {
            files,
            workspace,
            request_id,
            correlation_id,
            user,
            around,
            limit,
            json,
        } => {
            let mut ws = open_workspace(workspace.as_deref())?;
            note_warnings(&import(&mut ws, &files, lang)?, lang);
            let criteria = match (&request_id, &correlation_id, &user) {
                (Some(id), _, _) => {
                    let Some(found) = ws.get(id)? else {
                        return Err(Failure {
                            code: 1,
                            error: anyhow::anyhow!(tr(lang, "cli.error.no-sign-in", &[("id", id)])),
                        });
                    };
                    match found
                        .event
                        .correlation_id
                        .clone()
                        .filter(|c| !c.trim().is_empty())
                    {
                        Some(c) => Criteria {
                            correlation_id: Some(c),
                            ..Criteria::default()
                        },
                        None => Criteria {
                            request_id: Some(id.clone()),
                            ..Criteria::default()
                        },
                    }
                }
                (None, Some(c), _) => Criteria {
                    correlation_id: Some(c.clone()),
                    ..Criteria::default()
                },
                (None, None, Some(u)) => {
                    let mut c = Criteria {
                        user: Some(u.clone()),
                        ..Criteria::default()
                    };
                    if let Some(at) = &around {
                        c = c.around(user_time("--around", at, lang)?);
                    }
                    c
                }
                (None, None, None) => unreachable!("clap requires one of them"),
            };
            let diagnoses = diagnose_matching(&ws, &criteria, limit, lang)?;
            if diagnoses.is_empty() {
                return Err(Failure {
                    code: 1,
                    error: anyhow::anyhow!(label(lang, "cli.error.no-match")),
                });
            }
            output::diagnoses(&mut out, &diagnoses, json, lang)?;
        }
        Command::Login(args) => live::login(args, &mut out, lang)?,
        Command::Logout { profile, all } => live::logout(profile, all, &mut out, lang)?,
        Command::Profiles { use_profile, json } => {
            live::list_profiles(use_profile, json, &mut out, lang)?
        }
        Command::Fetch(args) => live::fetch(args, &mut out, lang)?,
        Command::Report(args) => report::run(args, lang, &mut out)?,
        Command::Demo { out: path } => {
            let text = demo::generate(&DemoOptions::default());
            match path {
                Some(path) => std::fs::write(&path, text).with_context(|| {
                    tr(lang, "cli.error.cannot-write", &[("path", &path.display())])
                })?,
                None => out
                    .write_all(text.as_bytes())
                    .context(label(lang, "cli.error.stdout"))?,
            }
        }
    }
    out.flush().context(label(lang, "cli.error.stdout"))?;
    Ok(())
}

/// Diagnoses the attempts among the sign-ins matching `criteria`, newest first, each with the
/// whole attempt and the sign-ins of the 48 hours around it, from the workspace, in `lang`.
fn diagnose_matching(
    ws: &Workspace,
    criteria: &Criteria,
    limit: usize,
    lang: Lang,
) -> anyhow::Result<Vec<(Diagnosis, SignInEvent)>> {
    let settings = Settings {
        lang,
        ..Settings::default()
    };
    let found: Vec<SignInEvent> = ws
        .search(criteria, 0)?
        .events
        .into_iter()
        .map(|s| s.event)
        .collect();
    let refs: Vec<&SignInEvent> = found.iter().collect();
    let mut out = Vec::new();
    for attempt in attempts(&refs)
        .into_iter()
        .take(if limit == 0 { usize::MAX } else { limit })
    {
        let primary = attempt.primary();
        let diagnosis = ws.diagnose(primary, &settings)?;
        out.push((diagnosis, primary.clone()));
    }
    Ok(out)
}

/// The sign-ins meeting `criteria`: from the workspace (after adding `files`) when one is
/// named, else straight from the files, read once without building a workspace.
fn find(
    files: &[PathBuf],
    workspace: Option<&Path>,
    criteria: &Criteria,
    limit: usize,
    lang: Lang,
) -> Result<signin_store::Found, Failure> {
    if workspace.is_none() {
        let (found, problems) = scan::find_in_files(files, criteria, limit, lang)?;
        for problem in problems {
            note_problems(&problem.name, problem.warnings, lang);
        }
        return Ok(found);
    }
    let mut ws = open_workspace(workspace)?;
    note_warnings(&import(&mut ws, files, lang)?, lang);
    Ok(ws.search(criteria, limit)?)
}

/// The workspace file asked for, or one in memory that lives as long as this command.
fn open_workspace(path: Option<&Path>) -> anyhow::Result<Workspace> {
    Ok(match path {
        Some(path) => Workspace::open(path)?,
        None => Workspace::in_memory()?,
    })
}

/// Imports every file (and every member of a zip archive). A file that cannot be read stops
/// with its reason; so does an archive none of whose members could be read. An archive member
/// that is not a sign-in export (a README beside the exports) is only noted. Progress goes to
/// standard error when it is a terminal.
fn import(ws: &mut Workspace, files: &[PathBuf], lang: Lang) -> anyhow::Result<Vec<SourceRecord>> {
    let mut sources = Vec::new();
    let show_progress = std::io::stderr().is_terminal();
    for path in files {
        let name = path.display().to_string();
        let file = File::open(path)
            .with_context(|| tr(lang, "cli.error.cannot-open", &[("path", &name)]))?;
        let cancel = AtomicBool::new(false);
        let mut on_progress = |p: &Progress| {
            if show_progress && p.indexing {
                let said = tr(
                    lang,
                    "cli.import.indexing",
                    &[("file", &p.file), ("count", &p.records)],
                );
                eprint!("\r{said}   ");
            } else if show_progress && p.bytes_total > 0 {
                let percent = p.bytes_read * 100 / p.bytes_total;
                let said = tr(
                    lang,
                    "cli.import.progress",
                    &[
                        ("file", &p.file),
                        ("percent", &percent),
                        ("count", &p.records),
                    ],
                );
                eprint!("\r{said}   ");
            }
        };
        let control = ImportControl {
            cancel: &cancel,
            on_progress: &mut on_progress,
            interval: Duration::from_millis(200),
        };
        let outcomes = ws.import(BufReader::with_capacity(1 << 16, file), &name, control);
        if show_progress {
            eprint!("\r\x1b[K");
        }
        let any_ok = outcomes.iter().any(|o| o.result.is_ok());
        for outcome in outcomes {
            match outcome.result {
                Ok(source) => sources.push(source),
                Err(e) if any_ok && outcome.name != name => {
                    note_skipped(&outcome.name, &file_error(&e, lang), lang);
                }
                Err(e) => return Err(anyhow::Error::new(e).context(outcome.name)),
            }
        }
    }
    Ok(sources)
}

/// Tells (on standard error) that some records were skipped, so results are never silently short.
fn note_warnings(sources: &[SourceRecord], lang: Lang) {
    for source in sources {
        note_problems(&source.name, source.warnings.len(), lang);
    }
}

fn note_problems(name: &str, n: usize, lang: Lang) {
    if n > 0 {
        let key = if n == 1 {
            "cli.import.problems-one"
        } else {
            "cli.import.problems-other"
        };
        note(&tr(lang, key, &[("file", &name), ("count", &n)]), lang);
    }
}

/// Tells (on standard error) that an archive member was left out, and why.
pub(crate) fn note_skipped(name: &str, why: &str, lang: Lang) {
    let said = tr(
        lang,
        "cli.import.skipped",
        &[("file", &name), ("reason", &why)],
    );
    note(&said, lang);
}

/// A note on standard error: "signin-doctor: note: …", in `lang`.
pub(crate) fn note(text: &str, lang: Lang) {
    eprintln!(
        "signin-doctor: {}",
        tr(lang, "cli.notice", &[("text", &text)])
    );
}

impl CriteriaArgs {
    pub(crate) fn parse(self, lang: Lang) -> anyhow::Result<Criteria> {
        let mut criteria = Criteria {
            user: self.user,
            app: self.app,
            request_id: self.request_id,
            correlation_id: self.correlation_id,
            outcome: self.status.as_deref().and_then(Outcome::from_name),
            ..Criteria::default()
        };
        if let Some(at) = self.around {
            criteria = criteria.around(user_time("--around", &at, lang)?);
        }
        if let Some(from) = self.from {
            criteria.from = Some(user_time("--from", &from, lang)?);
        }
        if let Some(to) = self.to {
            let mut t = user_time("--to", &to, lang)?;
            if time::is_bare_date(&to) {
                t += chrono::Duration::days(1) - chrono::Duration::nanoseconds(1);
            }
            criteria.to = Some(t);
        }
        if let (Some(from), Some(to)) = (criteria.from, criteria.to)
            && from > to
        {
            bail!(label(lang, "cli.error.from-after-to"));
        }
        Ok(criteria)
    }
}

fn user_time(flag: &str, text: &str, lang: Lang) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    time::parse_user_time(text).with_context(|| {
        tr(
            lang,
            "cli.error.not-a-time",
            &[("flag", &flag), ("text", &text)],
        )
    })
}
