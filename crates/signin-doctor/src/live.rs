//! `login`, `logout`, `profiles` and `fetch`: the command line against a live tenant.
//!
//! Profiles, the encrypted vault and (for the app) the workspace live in the same data folder
//! as the desktop app's, so a profile signed in here works there and the other way round.

use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use chrono::Utc;
use signin_core::messages::{Message, text as label, tr};
use signin_core::{Criteria, Lang};
use signin_live::graph::{self, Event, FetchOptions, WaitReason};
use signin_live::{Cloud, ErrorKind, LiveError, Mode, Profile, Profiles, Secret, Session, Vault};
use signin_store::Workspace;
use tokio_util::sync::CancellationToken;

use crate::Failure;

/// How long the browser sign-in waits for the admin.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The profile to sign in (created when missing); default: the active one, or the tenant.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Sign in with a code typed on another device instead of in this computer's browser.
    #[arg(long, group = "mode")]
    device_code: bool,
    /// Reuse the account signed in to the Azure CLI (`az login`).
    #[arg(long, group = "mode")]
    az_cli: bool,
    /// Sign in as an app registration with the client secret in this environment variable.
    #[arg(long, group = "mode", value_name = "VAR")]
    client_secret_env: Option<String>,
    /// Sign in as an app registration with this certificate (PEM with the private key).
    #[arg(long, group = "mode", value_name = "FILE")]
    certificate: Option<PathBuf>,
    /// Tenant ID or domain (default: organizations, any work account).
    #[arg(long, value_name = "T")]
    tenant: Option<String>,
    /// Client ID of the app registration to sign in with.
    #[arg(long, value_name = "ID")]
    client_id: Option<String>,
    /// Microsoft cloud: global, usgov, usgov-dod or china.
    #[arg(long, value_name = "C", conflicts_with = "authority")]
    cloud: Option<String>,
    /// Sign-in address by hand (with --graph), e.g. a proxy; https, or http on this computer only.
    #[arg(long, value_name = "URL", requires = "graph")]
    authority: Option<String>,
    /// Microsoft Graph address by hand (with --authority).
    #[arg(long, value_name = "URL", requires = "authority")]
    graph: Option<String>,
    /// Print the sign-in address instead of opening the browser.
    #[arg(long)]
    no_browser: bool,
}

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The profile to use; default: the active one.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// Keep the fetched sign-ins in this workspace file as well.
    #[arg(long, value_name = "PATH")]
    workspace: Option<PathBuf>,
    #[command(flatten)]
    criteria: crate::CriteriaArgs,
    /// Show at most this many results (newest first); 0 shows all.
    #[arg(long, default_value_t = 0, value_name = "N")]
    limit: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Requests per 10 seconds (Graph allows 5 for sign-in logs; lower it when sharing the app).
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=5))]
    pace: u32,
}

fn data_dir(lang: Lang) -> anyhow::Result<PathBuf> {
    signin_live::profile::default_data_dir()
        .ok_or_else(|| anyhow!(label(lang, "cli.live.no-data-dir")))
}

/// The one HTTP client, trusting the extra certificate authorities in `SIGNIN_DOCTOR_EXTRA_CA`
/// (a PEM file: a company proxy's root, or the local fake's in tests).
fn http_client(lang: Lang) -> Result<signin_live::reqwest::Client, Failure> {
    let extra = match std::env::var_os("SIGNIN_DOCTOR_EXTRA_CA").filter(|v| !v.is_empty()) {
        Some(path) => Some(std::fs::read(&path).with_context(|| {
            tr(
                lang,
                "cli.live.extra-ca-unreadable",
                &[("path", &Path::new(&path).display())],
            )
        })?),
        None => None,
    };
    signin_live::session::http_client(extra.as_deref()).map_err(live_failure)
}

/// Exit code 3: the tenant, Entra or the network refused; 2: bad input. The error keeps its
/// type, so that `main` says it in the chosen language ([`LiveError::describe`]).
fn live_failure(e: LiveError) -> Failure {
    let code = match e.kind() {
        ErrorKind::InvalidInput => 2,
        _ => 3,
    };
    Failure {
        code,
        error: anyhow::Error::new(e),
    }
}

fn runtime(lang: Lang) -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context(label(lang, "cli.live.no-runtime"))?)
}

/// A cancel token that fires on Ctrl+C.
fn ctrl_c(runtime: &tokio::runtime::Runtime, lang: Lang) -> CancellationToken {
    let cancel = CancellationToken::new();
    let fire = cancel.clone();
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\nsignin-doctor: {}", label(lang, "cli.cancelling"));
            fire.cancel();
        }
    });
    cancel
}

pub fn login(args: LoginArgs, out: &mut dyn Write, lang: Lang) -> Result<(), Failure> {
    let dir = data_dir(lang)?;
    let mut profiles = Profiles::load(&dir).map_err(live_failure)?;
    let mode = if args.device_code {
        Mode::DeviceCode
    } else if args.az_cli {
        Mode::AzCli
    } else if args.client_secret_env.is_some() {
        Mode::ClientSecret
    } else if let Some(path) = &args.certificate {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        Mode::Certificate { path }
    } else {
        Mode::Browser
    };
    let cloud = match (&args.cloud, &args.authority, &args.graph) {
        (_, Some(a), Some(g)) => Cloud::custom(a, g).map_err(live_failure)?,
        (Some(name), _, _) => Cloud::from_name(name).ok_or_else(|| {
            anyhow!(tr(
                lang,
                "cli.live.unknown-cloud",
                &[("name", name), ("names", &Cloud::NAMES.join(", "))]
            ))
        })?,
        _ => Cloud::Global,
    };
    let existing = args
        .profile
        .as_deref()
        .and_then(|name| profiles.find(name))
        .or_else(|| args.profile.is_none().then(|| profiles.active()).flatten())
        .cloned();
    let profile = match existing {
        Some(mut p) => {
            if let Some(t) = &args.tenant {
                p.tenant = t.trim().to_owned();
            }
            if let Some(c) = &args.client_id {
                p.client_id = c.trim().to_owned();
            }
            if args.cloud.is_some() || args.authority.is_some() {
                p.cloud = cloud;
            }
            p.mode = mode;
            let checked = Profile::new(
                &p.name,
                Some(&p.tenant),
                Some(&p.client_id),
                p.cloud.clone(),
                p.mode.clone(),
            )
            .map_err(live_failure)?;
            Profile {
                id: p.id,
                account: p.account,
                tenant_id: p.tenant_id,
                ..checked
            }
        }
        None => Profile::new(
            args.profile.as_deref().unwrap_or_default(),
            args.tenant.as_deref(),
            args.client_id.as_deref(),
            cloud,
            mode,
        )
        .map_err(live_failure)?,
    };
    let secret = match &args.client_secret_env {
        Some(var) => Some(Secret::new(std::env::var(var).map_err(|_| {
            anyhow!(tr(lang, "cli.live.secret-not-set", &[("var", var)]))
        })?)),
        None => None,
    };
    let http = http_client(lang)?;
    let vault = Arc::new(Vault::open_os(&dir));
    if let signin_live::Persistence::SessionOnly(why) = vault.persistence() {
        return Err(Failure {
            code: 3,
            error: anyhow!(tr(lang, "cli.live.no-keyring", &[("why", why)])),
        });
    }
    let rt = runtime(lang)?;
    let cancel = ctrl_c(&rt, lang);
    let no_browser = args.no_browser;
    let result = rt.block_on(async {
        match profile.mode {
            Mode::Browser => {
                signin_live::session::login_browser(
                    profile,
                    vault.clone(),
                    http,
                    |url| {
                        if no_browser {
                            eprintln!("{}", tr(lang, "cli.live.open-address", &[("url", &url)]));
                            Ok(())
                        } else {
                            eprintln!("{}", tr(lang, "cli.live.opening-browser", &[("url", &url)]));
                            signin_live::session::open_in_browser(url)
                        }
                    },
                    &cancel,
                    BROWSER_TIMEOUT,
                    lang,
                )
                .await
            }
            Mode::DeviceCode => {
                let code = signin_live::session::begin_device_code(&profile, &http).await?;
                // Entra's own sentence is in English; other languages get ours.
                let message = if code.message.is_empty() || lang != Lang::En {
                    tr(
                        lang,
                        "cli.live.device-code",
                        &[("url", &code.verification_uri), ("code", &code.user_code)],
                    )
                } else {
                    code.message.clone()
                };
                eprintln!("{message}");
                signin_live::session::login_device_code(
                    profile,
                    vault.clone(),
                    http,
                    &code,
                    &cancel,
                )
                .await
            }
            _ => signin_live::session::login_app_or_cli(profile, vault.clone(), http, secret).await,
        }
    });
    let (session, mut notices) = result.map_err(live_failure)?;
    notices.extend(rt.block_on(graph::preflight(&session)));
    let profile = session.profile.clone();
    profiles.upsert(profile.clone());
    profiles.save(&dir).map_err(live_failure)?;
    let account = profile
        .account
        .as_deref()
        .unwrap_or(label(lang, "cli.live.unnamed-account"));
    let said = tr(
        lang,
        "cli.live.signed-in",
        &[
            ("profile", &profile.name),
            ("account", &account),
            ("mode", &profile.mode.label()),
        ],
    );
    writeln!(out, "{said}").context(label(lang, "cli.error.stdout"))?;
    for notice in notices {
        crate::note(&notice.text(lang), lang);
    }
    Ok(())
}

pub fn logout(
    profile: Option<String>,
    all: bool,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<(), Failure> {
    let dir = data_dir(lang)?;
    let profiles = Profiles::load(&dir).map_err(live_failure)?;
    let vault = Vault::open_os(&dir);
    if all {
        vault.wipe().map_err(live_failure)?;
        writeln!(out, "{}", label(lang, "cli.live.signed-out-all"))
            .context(label(lang, "cli.error.stdout"))?;
        return Ok(());
    }
    let target = match &profile {
        Some(name) => profiles.find(name).ok_or_else(|| no_profile(name, lang))?,
        None => profiles
            .active()
            .ok_or_else(|| anyhow!(label(lang, "cli.live.no-active-profile")))?,
    };
    signin_live::session::logout(target, &vault).map_err(live_failure)?;
    let said = tr(lang, "cli.live.signed-out", &[("profile", &target.name)]);
    writeln!(out, "{said}").context(label(lang, "cli.error.stdout"))?;
    Ok(())
}

fn no_profile(name: &str, lang: Lang) -> anyhow::Error {
    anyhow!(tr(lang, "cli.live.no-profile", &[("name", &name)]))
}

pub fn list_profiles(
    use_profile: Option<String>,
    json: bool,
    out: &mut dyn Write,
    lang: Lang,
) -> Result<(), Failure> {
    let dir = data_dir(lang)?;
    let mut profiles = Profiles::load(&dir).map_err(live_failure)?;
    if let Some(name) = use_profile {
        let id = profiles
            .find(&name)
            .ok_or_else(|| no_profile(&name, lang))?
            .id
            .clone();
        profiles.active = Some(id);
        profiles.save(&dir).map_err(live_failure)?;
    }
    let vault = Vault::open_os(&dir);
    let rows: Vec<serde_json::Value> = profiles
        .profiles
        .iter()
        .map(|p| {
            let signed_in = match p.mode {
                Mode::Browser | Mode::DeviceCode => {
                    vault.get(&p.refresh_secret()).ok().flatten().is_some()
                }
                Mode::ClientSecret => vault.get(&p.client_secret()).ok().flatten().is_some(),
                Mode::AzCli | Mode::Certificate { .. } => true,
            };
            serde_json::json!({
                "id": p.id,
                "name": p.name,
                "active": profiles.active.as_deref() == Some(p.id.as_str()),
                "tenant": p.tenant,
                "tenantId": p.tenant_id,
                "cloud": p.cloud.label(),
                "mode": p.mode.label(),
                "account": p.account,
                "signedIn": signed_in,
            })
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "profiles": rows }))
            .context(label(lang, "cli.error.json"))?;
        writeln!(out).context(label(lang, "cli.error.stdout"))?;
        return Ok(());
    }
    if rows.is_empty() {
        writeln!(out, "{}", label(lang, "cli.live.no-profiles"))
            .context(label(lang, "cli.error.stdout"))?;
    }
    for row in rows {
        let text = |k: &str| row[k].as_str().unwrap_or("-").to_owned();
        writeln!(
            out,
            "{} {:<24} {:<28} {:<14} {:<10} {}",
            if row["active"] == true { "*" } else { " " },
            text("name"),
            text("account"),
            text("mode"),
            text("cloud"),
            if row["signedIn"] == true {
                label(lang, "cli.live.state-signed-in")
            } else {
                label(lang, "cli.live.state-signed-out")
            }
        )
        .context(label(lang, "cli.error.stdout"))?;
    }
    Ok(())
}

pub fn fetch(args: FetchArgs, out: &mut dyn Write, lang: Lang) -> Result<(), Failure> {
    let mut criteria: Criteria = args.criteria.parse(lang)?;
    let now = Utc::now();
    // Like the portal, the last 24 hours unless a time is given.
    let to = criteria.to.unwrap_or(now);
    let from = criteria.from.unwrap_or(to - chrono::Duration::hours(24));
    criteria.from = Some(from);
    criteria.to = Some(to);
    let dir = data_dir(lang)?;
    let profiles = Profiles::load(&dir).map_err(live_failure)?;
    let profile = match &args.profile {
        Some(name) => profiles.find(name).ok_or_else(|| no_profile(name, lang))?,
        None => profiles
            .active()
            .ok_or_else(|| anyhow!(label(lang, "cli.live.not-signed-in")))?,
    }
    .clone();
    let vault = Arc::new(Vault::open_os(&dir));
    let session = Session::resume(profile, vault, http_client(lang)?).map_err(live_failure)?;
    let mut ws = match &args.workspace {
        Some(path) => Workspace::open(path)?,
        None => Workspace::in_memory()?,
    };
    let options = FetchOptions {
        pace: graph::Pace {
            requests: args.pace,
            ..graph::Pace::GRAPH_REPORTS
        },
        ..FetchOptions::default()
    };
    let source_name = format!(
        "Microsoft Graph: {} ({})",
        session.profile.name,
        now.format("%Y-%m-%d %H:%M UTC")
    );
    let rt = runtime(lang)?;
    let cancel = ctrl_c(&rt, lang);
    let show = std::io::stderr().is_terminal();
    let mut source: Option<i64> = None;
    let mut stored_error: Option<Failure> = None;
    let fetched = std::sync::atomic::AtomicU64::new(0);
    let count = || fetched.load(std::sync::atomic::Ordering::Relaxed);
    let result = rt.block_on(graph::fetch(
        &session,
        &criteria,
        from,
        to,
        &options,
        &cancel,
        &mut |page| {
            fetched.fetch_add(
                page.events.len() as u64,
                std::sync::atomic::Ordering::Relaxed,
            );
            let import = signin_core::import_stream(page.to_json_array().as_bytes(), &source_name)
                .map_err(|e| {
                    LiveError::Storage(
                        Message::new("live.fetch.unstorable").with("detail", e.describe(lang)),
                    )
                })?;
            match ws.add_page(source, &source_name, import) {
                Ok(record) => source = Some(record.id),
                Err(e) => {
                    stored_error = Some(e.into());
                    return Err(LiveError::Storage(
                        Message::new("live.fetch.unstorable")
                            .with_message("detail", "cli.live.workspace-unwritable"),
                    ));
                }
            }
            if show {
                let said = tr(
                    lang,
                    "cli.live.page",
                    &[("page", &page.number), ("count", &count())],
                );
                eprint!("\r\x1b[K{said}");
            }
            Ok(())
        },
        &mut |event| match event {
            Event::Notice(notice) => {
                if show {
                    eprint!("\r\x1b[K");
                }
                crate::note(&notice.text(lang), lang);
            }
            Event::Waiting { pause, reason } if show && pause >= Duration::from_secs(1) => {
                let why = match reason {
                    WaitReason::Pacing => label(lang, "cli.live.pacing"),
                    WaitReason::Throttled => label(lang, "cli.live.throttled"),
                    WaitReason::Retrying => label(lang, "cli.live.retrying"),
                };
                let said = tr(
                    lang,
                    "cli.live.waiting",
                    &[
                        ("seconds", &pause.as_secs().max(1)),
                        ("reason", &why),
                        ("count", &count()),
                    ],
                );
                eprint!("\r\x1b[K{said}");
            }
            Event::Split { from, to } if show => {
                let said = tr(lang, "cli.live.splitting", &[("from", &from), ("to", &to)]);
                eprint!("\r\x1b[K{said}");
            }
            _ => {}
        },
    ));
    if show {
        eprint!("\r\x1b[K");
    }
    if let Some(failure) = stored_error {
        return Err(failure);
    }
    match result {
        Ok(summary) => {
            if summary.throttled > 0 || summary.splits > 0 {
                let said = tr(
                    lang,
                    "cli.live.fetch-summary",
                    &[
                        ("requests", &summary.requests),
                        ("events", &summary.events),
                        ("throttled", &summary.throttled),
                        ("splits", &summary.splits),
                    ],
                );
                crate::note(&said, lang);
            }
        }
        Err(LiveError::Cancelled) => {
            let said = tr(lang, "cli.live.fetch-cancelled", &[("count", &count())]);
            eprintln!("signin-doctor: {said}");
            if args.workspace.is_none() {
                return Err(Failure {
                    code: 3,
                    error: anyhow!(label(lang, "cli.live.cancelled")),
                });
            }
        }
        Err(e) => return Err(live_failure(e)),
    }
    let found = ws.search(&criteria, args.limit)?;
    crate::output::search_results(out, &found, args.json, lang)?;
    Ok(())
}
