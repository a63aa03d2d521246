//! `fake-entra`: runs the fake tenant on loopback until killed, for demos and manual testing.
//!
//! The first line on standard output is the base URL (authority and Graph); with `--tls` the
//! second is `ca: PATH`, the CA certificate a client must trust. A summary of the loaded
//! sign-ins goes to standard error, and with `--log-requests` a line per request after it.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use fake_entra::{Config, Failure, FakeEntra};

/// A local fake of Entra ID and Microsoft Graph's sign-in logs, for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "fake-entra", version)]
struct Args {
    /// Sign-in exports to serve (any format Sign-in Doctor reads). Without any, the demo data.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    data: Vec<PathBuf>,
    /// Serve the bundled demo data (also with --data: both are served).
    #[arg(long)]
    demo: bool,
    /// Repeat the sign-ins, each copy with fresh IDs, until there are N (for load tests).
    #[arg(long, value_name = "N")]
    events: Option<usize>,
    /// Write a line per request to standard error: when it arrived and when it was answered
    /// (Unix seconds), method, path, status and, for sign-in pages, how many sign-ins it held.
    #[arg(long)]
    log_requests: bool,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Serve HTTPS with a freshly made CA.
    #[arg(long)]
    tls: bool,
    /// Where to write the CA certificate (PEM) with --tls; default: a file in the temp folder.
    #[arg(long, value_name = "FILE")]
    ca_out: Option<PathBuf>,
    /// Graph sign-in requests allowed per throttling window; more get HTTP 429.
    #[arg(long, value_name = "N")]
    throttle: Option<u32>,
    /// The throttling window in seconds.
    #[arg(long, value_name = "S", default_value_t = 10)]
    throttle_window: u64,
    /// Device-code polls answered "authorization_pending" before the code approves itself.
    #[arg(long, value_name = "N", default_value_t = 2)]
    device_code_polls: u32,
    /// Seconds a client must wait between device-code polls.
    #[arg(long, value_name = "S", default_value_t = 5)]
    device_code_interval: u64,
    /// Seconds a device code lives.
    #[arg(long, value_name = "S", default_value_t = 900)]
    device_code_expires_in: u64,
    /// Access-token lifetime in seconds.
    #[arg(long, value_name = "S", default_value_t = 3600)]
    token_lifetime: u64,
    /// The client secret the client-credentials grant accepts.
    #[arg(long, value_name = "SECRET")]
    client_secret: Option<String>,
    /// A tenant problem to reproduce: licence, role, consent, admin-consent,
    /// device-code-blocked or no-policy-scope.
    #[arg(long, value_name = "PROBLEM")]
    fail: Option<String>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let failure = match args.fail.as_deref() {
        None => None,
        Some(name) => Some(Failure::from_name(name).with_context(|| {
            format!(
                "unknown --fail '{name}': use licence, role, consent, admin-consent, \
                 device-code-blocked or no-policy-scope"
            )
        })?),
    };
    let (mut config, source) = if args.data.is_empty() {
        (Config::with_demo(), "the demo data".to_owned())
    } else {
        let config = Config::with_export_files(&args.data)?;
        let mut source = format!("{} file(s)", args.data.len());
        if args.demo {
            source.push_str(" and the demo data");
        }
        (config, source)
    };
    if args.demo && !args.data.is_empty() {
        let demo = Config::with_demo();
        config.events.extend(demo.events);
        config.user = demo.user;
    }
    if let Some(count) = args.events {
        config = config.repeated_to(count);
    }
    config.log_requests = args.log_requests;
    config.port = args.port;
    config.tls = args.tls;
    config.throttle = args.throttle;
    config.throttle_window = Duration::from_secs(args.throttle_window);
    config.device_code_polls = args.device_code_polls;
    config.device_code_interval = args.device_code_interval;
    config.device_code_expires_in = args.device_code_expires_in;
    config.token_lifetime = Duration::from_secs(args.token_lifetime);
    config.failure = failure;
    if let Some(secret) = args.client_secret {
        config.client_secret = secret;
    }
    let events = config.events.len();
    let user = config.user.upn.clone();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let fake = FakeEntra::start(config)
            .await
            .context("cannot start the server")?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", fake.base_url())?;
        if let Some(pem) = fake.ca_pem() {
            let path = args.ca_out.unwrap_or_else(|| {
                std::env::temp_dir().join(format!("fake-entra-ca-{}.pem", std::process::id()))
            });
            std::fs::write(&path, pem)
                .with_context(|| format!("cannot write the CA to {}", path.display()))?;
            writeln!(out, "ca: {}", path.display())?;
        }
        out.flush()?;
        drop(out);
        eprintln!(
            "fake-entra: serving {events} sign-ins from {source} as {user}{}",
            failure.map_or(String::new(), |f| format!(", reproducing {f:?}"))
        );
        if events == 0 {
            eprintln!("fake-entra: warning: no sign-ins were loaded");
        }
        // Serve until the process is killed.
        std::future::pending::<()>().await;
        drop(fake);
        bail!("the server stopped")
    })
}
