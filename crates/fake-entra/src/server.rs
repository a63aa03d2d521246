//! The running server: binding to loopback, HTTP or HTTPS, routing, the request log, shutdown.
//!
//! One origin serves both Entra's endpoints and Graph's, so a client points its authority and
//! its Graph base URL at the same [`FakeEntra::base_url`]. The server binds `127.0.0.1` only
//! and never makes outgoing connections.

use std::collections::VecDeque;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::config::Config;
use crate::errors::{GraphError, RequestIds};
use crate::graph::{self, EventCount, EventLog};
use crate::oauth;
use crate::schema::{ApiVersion, Schema};
use crate::tls;
use crate::tokens::{self, TokenStore};

/// One request the fake received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, e.g. `/beta/auditLogs/signIns`.
    pub path: String,
    /// The raw query string without `?` (percent-encoded as sent); empty when there was none.
    pub query: String,
    /// The HTTP status answered; 0 while the answer is pending, or when the client hung up
    /// before it came (a client-side timeout during a slow query, say).
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
    /// For Graph sign-in pages: how many sign-ins the page held.
    pub events: Option<usize>,
}

/// State shared by every handler.
#[derive(Debug)]
pub(crate) struct App {
    pub base_url: String,
    /// The resource identifiers that name Graph in scopes (see `tokens::graph_resources`).
    pub graph_resources: Vec<String>,
    /// The configuration, without its events (those live in `log`).
    pub config: Config,
    pub log: EventLog,
    pub schema: Schema,
    pub tokens: Mutex<TokenStore>,
    /// Arrival times of the sign-in requests inside the throttling window.
    pub throttle: Mutex<VecDeque<Instant>>,
    pub requests: Mutex<Vec<RequestRecord>>,
}

/// Locks a mutex; a handler that panicked while holding it leaves data that is still usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running fake tenant. It stops when dropped or [`shut down`](FakeEntra::shutdown).
pub struct FakeEntra {
    app: Arc<App>,
    ca_pem: Option<String>,
    local_addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

impl fmt::Debug for FakeEntra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeEntra")
            .field("base_url", &self.app.base_url)
            .field("local_addr", &self.local_addr)
            .field("tls", &self.ca_pem.is_some())
            .field("events", &self.app.log.len())
            .finish()
    }
}

impl FakeEntra {
    /// Binds `127.0.0.1:{config.port}`, starts serving on the current tokio runtime and
    /// returns once the socket is listening.
    pub async fn start(mut config: Config) -> std::io::Result<FakeEntra> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let local_addr = listener.local_addr()?;
        let (material, base_url) = if config.tls {
            let material = tls::generate().map_err(std::io::Error::other)?;
            (
                Some(material),
                format!("https://localhost:{}", local_addr.port()),
            )
        } else {
            (None, format!("http://127.0.0.1:{}", local_addr.port()))
        };
        let events = std::mem::take(&mut config.events);
        let schema = Schema::new(&events);
        let app = Arc::new(App {
            graph_resources: tokens::graph_resources(&base_url),
            base_url,
            log: EventLog::new(events),
            schema,
            config,
            tokens: Mutex::new(TokenStore::default()),
            throttle: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
        });
        let router = router(app.clone());
        let (shutdown, watcher) = watch::channel(false);
        let acceptor = material
            .as_ref()
            .map(|m| TlsAcceptor::from(m.server_config.clone()));
        tokio::spawn(accept_loop(listener, router, acceptor, watcher));
        Ok(FakeEntra {
            app,
            ca_pem: material.map(|m| m.ca_pem),
            local_addr,
            shutdown,
        })
    }

    /// `http://127.0.0.1:{port}`, or `https://localhost:{port}` with TLS. Both the authority
    /// and Graph live here.
    pub fn base_url(&self) -> String {
        self.app.base_url.clone()
    }

    /// The socket the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The CA certificate (PEM) a client must trust, when serving HTTPS.
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Every request so far, in order of arrival.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.app.requests).clone()
    }

    /// Makes every access token issued so far expired; tokens issued later are unaffected.
    pub fn expire_tokens(&self) {
        for token in lock(&self.app.tokens).access.values_mut() {
            token.revoked = true;
        }
    }

    /// Every token, code and device code handed out so far, so a test can prove none of them
    /// was written anywhere it should not be.
    pub fn issued_secrets(&self) -> Vec<String> {
        let tokens = lock(&self.app.tokens);
        tokens
            .access
            .keys()
            .chain(tokens.refresh.keys())
            .chain(tokens.codes.keys())
            .chain(tokens.devices.keys())
            .cloned()
            .collect()
    }

    /// An access token for the signed-in user with these delegated permissions, as another
    /// tool that signed in here would hold (a stand-in Azure CLI in tests).
    pub fn mint_access_token(&self, client_id: &str, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let response = crate::oauth::issuer(&self.app).delegated(
            &mut lock(&self.app.tokens),
            client_id,
            &scopes,
        );
        response["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// How many sign-ins the tenant holds (all event types).
    pub fn event_count(&self) -> usize {
        self.app.log.len()
    }

    /// Stops serving. Open connections are closed.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for FakeEntra {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(oauth::discovery),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(oauth::keys))
        .route("/{tenant}/oauth2/v2.0/authorize", get(oauth::authorize))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(oauth::device_code))
        .route("/{tenant}/oauth2/v2.0/token", post(oauth::token))
        .route("/devicelogin", get(oauth::device_login_page))
        .route(
            "/beta/auditLogs/signIns",
            get(
                |State(app): State<Arc<App>>, headers: HeaderMap, query: RawQuery| {
                    graph::sign_ins(app, ApiVersion::Beta, headers, query.0)
                },
            ),
        )
        .route(
            "/v1.0/auditLogs/signIns",
            get(
                |State(app): State<Arc<App>>, headers: HeaderMap, query: RawQuery| {
                    graph::sign_ins(app, ApiVersion::V1, headers, query.0)
                },
            ),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(app.clone(), record))
        .with_state(app)
}

async fn not_found(request: Request) -> Response {
    let ids = RequestIds::from_headers(request.headers());
    GraphError::new(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!(
            "Resource not found for the segment '{}'.",
            request
                .uri()
                .path()
                .trim_start_matches('/')
                .split('/')
                .next_back()
                .unwrap_or_default()
        ),
    )
    .respond(&ids)
}

async fn method_not_allowed(request: Request) -> Response {
    let ids = RequestIds::from_headers(request.headers());
    GraphError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Request_BadRequest",
        format!(
            "The HTTP method '{}' is not allowed for the requested resource.",
            request.method()
        ),
    )
    .respond(&ids)
}

/// Logs each request on arrival and fills in its status when the answer leaves.
async fn record(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let index = {
        let mut requests = lock(&app.requests);
        requests.push(RequestRecord {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            query: request.uri().query().unwrap_or_default().to_owned(),
            status: 0,
            at: Instant::now(),
            events: None,
        });
        requests.len() - 1
    };
    let response = next.run(request).await;
    if let Some(entry) = lock(&app.requests).get_mut(index) {
        entry.status = response.status().as_u16();
        entry.events = response.extensions().get::<EventCount>().map(|c| c.0);
        if app.config.log_requests {
            eprintln!("{}", log_line(entry));
        }
    }
    response
}

/// `fake-entra: 1795000000.125 1795000000.181 GET /beta/auditLogs/signIns 200 1000`: when the
/// request arrived and when its answer left (seconds since the Unix epoch, so a benchmark can
/// set them beside its own clock), method, path, status and, for sign-in pages, how many
/// sign-ins the page held. The query and headers are left out: they can hold codes and tokens.
fn log_line(entry: &RequestRecord) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let arrived = now.saturating_sub(entry.at.elapsed());
    let mut line = format!(
        "fake-entra: {:.3} {:.3} {} {} {}",
        arrived.as_secs_f64(),
        now.as_secs_f64(),
        entry.method,
        entry.path,
        entry.status
    );
    if let Some(events) = entry.events {
        line.push_str(&format!(" {events}"));
    }
    line
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    acceptor: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let stream = tokio::select! {
            _ = shutdown.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let acceptor = acceptor.clone();
        let mut shutdown = shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = shutdown.changed() => {}
                _ = serve_connection(stream, router, acceptor) => {}
            }
        });
    }
}

async fn serve_connection(stream: TcpStream, router: Router, acceptor: Option<TlsAcceptor>) {
    let _ = stream.set_nodelay(true);
    let service = TowerToHyperService::new(router);
    let builder = Builder::new(TokioExecutor::new());
    // Errors here are a client hanging up or speaking nonsense; the client sees them.
    match acceptor {
        Some(acceptor) => {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let _ = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await;
        }
        None => {
            let _ = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await;
        }
    }
}
