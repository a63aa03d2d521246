//! The live-tenant side of the app: profiles, sign-in, and fetching from Graph into the
//! workspace. Plain Rust over `signin-live`, so it is tested without a window; `commands.rs`
//! only forwards to it. No secret leaves this module towards the webview: DTOs carry names,
//! modes and "signed in or not", never a token.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use signin_live::graph::{self, Event, FetchOptions, WaitReason};
use signin_live::oauth::DeviceCode;
use signin_live::{Cloud, LiveError, Mode, Persistence, Profile, Profiles, Secret, Session, Vault};
use tokio_util::sync::CancellationToken;

use crate::dto::CriteriaDto;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use signin_core::Lang;
use signin_core::messages::Message;

/// How long a browser sign-in waits for the admin.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// A profile as the webview sees it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDto {
    pub id: String,
    pub name: String,
    pub tenant: String,
    pub tenant_id: Option<String>,
    pub client_id: String,
    /// `global`, `usgov`, `usgov-dod`, `china` or `custom`.
    pub cloud: String,
    pub authority: Option<String>,
    pub graph: Option<String>,
    /// `browser`, `device-code`, `az-cli`, `client-secret` or `certificate`.
    pub mode: String,
    pub certificate_path: Option<String>,
    pub account: Option<String>,
    pub signed_in: bool,
}

/// Profiles, the active one, and whether sign-ins are kept.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveStatus {
    pub profiles: Vec<ProfileDto>,
    pub active: Option<String>,
    /// `keyring`, or `session` when no OS keyring could be reached.
    pub persistence: String,
    pub persistence_note: Option<String>,
    pub default_client_id: String,
}

/// A profile to create (no `id`) or change.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub id: Option<String>,
    pub name: String,
    pub tenant: String,
    pub client_id: String,
    pub cloud: String,
    pub authority: Option<String>,
    pub graph: Option<String>,
    pub mode: String,
    pub certificate_path: Option<String>,
}

/// What a sign-in gave.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInReport {
    pub status: LiveStatus,
    /// Things the admin should know (a permission that was not granted).
    pub notices: Vec<String>,
}

/// The code to show for a device-code sign-in.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeDto {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    /// RFC 3339 UTC.
    pub expires_at: String,
}

/// Progress of a fetch, sent while it runs: after each page is stored in the workspace, at
/// each pause, and with each notice. The sign-ins counted are in the workspace already, so the
/// window can search for them (in `from`..`to`) before the fetch ends.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchProgress {
    pub pages: u32,
    pub events: u64,
    /// The time window being fetched (RFC 3339 UTC), as in [`FetchReport`].
    pub from: String,
    pub to: String,
    /// Seconds of the pause now starting, when one is.
    pub waiting_seconds: Option<u64>,
    /// `pacing`, `throttled` or `retrying`.
    pub reason: Option<String>,
    pub notice: Option<String>,
}

/// What a fetch did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchReport {
    pub events: u64,
    pub duplicates: u64,
    pub requests: u32,
    pub throttled: u32,
    pub notices: Vec<String>,
    /// Stopped by Cancel; what arrived before is kept.
    pub cancelled: bool,
    /// The time window asked for (RFC 3339 UTC): the one given, or the last 24 hours.
    pub from: String,
    pub to: String,
}

/// Everything about live tenants the app holds.
#[derive(Debug)]
pub struct LiveState {
    dir: PathBuf,
    vault: Arc<Vault>,
    http: Result<signin_live::reqwest::Client, LiveError>,
    profiles: Mutex<Profiles>,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    device: Mutex<Option<(String, DeviceCode)>>,
    /// Where the device code of the sign-in in progress is entered (from Entra, not the webview).
    device_page: Mutex<Option<url::Url>>,
    /// Stops the sign-in that is running (armed when it starts, device code included).
    sign_in_cancel: Mutex<CancellationToken>,
    /// Stops the fetch that is running.
    fetch_cancel: Mutex<CancellationToken>,
    options: FetchOptions,
}

impl LiveState {
    /// Opens the profiles and vault in `dir`. `extra_roots` is a PEM bundle of certificate
    /// authorities to trust besides the system's.
    pub fn open(dir: &Path, vault: Vault, extra_roots: Option<&[u8]>) -> LiveState {
        let profiles = Profiles::load(dir).unwrap_or_else(|e| {
            eprintln!("Sign-in Doctor: {e}; starting with no profiles");
            Profiles::default()
        });
        LiveState {
            dir: dir.to_owned(),
            vault: Arc::new(vault),
            http: signin_live::session::http_client(extra_roots),
            profiles: Mutex::new(profiles),
            sessions: Mutex::new(HashMap::new()),
            device: Mutex::new(None),
            device_page: Mutex::new(None),
            sign_in_cancel: Mutex::new(CancellationToken::new()),
            fetch_cancel: Mutex::new(CancellationToken::new()),
            options: FetchOptions::default(),
        }
    }

    /// Changes how fetches are paced (tests use a quicker pace against the local fake).
    pub fn with_fetch_options(mut self, options: FetchOptions) -> LiveState {
        self.options = options;
        self
    }

    fn http(&self) -> Result<signin_live::reqwest::Client, AppError> {
        Ok(self.http.clone()?)
    }

    fn profiles(&self) -> std::sync::MutexGuard<'_, Profiles> {
        self.profiles.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn profile(&self, id: &str) -> Result<Profile, AppError> {
        self.profiles()
            .profiles
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    Message::new("desktop.error.profile-gone"),
                )
            })
    }

    /// Changes the saved profiles on a copy that is written to disk first and kept only when
    /// that worked, so the screen never shows a profile the next start would not have.
    fn change_profiles(&self, change: impl FnOnce(&mut Profiles)) -> Result<(), AppError> {
        let mut profiles = self.profiles().clone();
        change(&mut profiles);
        profiles.save(&self.dir)?;
        *self.profiles() = profiles;
        Ok(())
    }

    /// Ends a profile's sign-in: its secrets leave the vault and its session is dropped.
    fn forget_sign_in(&self, profile: &Profile) -> Result<(), AppError> {
        signin_live::session::logout(profile, &self.vault)?;
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&profile.id);
        Ok(())
    }

    /// A fresh cancel token in `slot`, for the operation that starts now.
    fn arm(slot: &Mutex<CancellationToken>) -> CancellationToken {
        let token = CancellationToken::new();
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = token.clone();
        token
    }

    fn current(slot: &Mutex<CancellationToken>) -> CancellationToken {
        slot.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Stops the sign-in and the fetch that are running, if any.
    pub fn cancel(&self) {
        Self::current(&self.sign_in_cancel).cancel();
        Self::current(&self.fetch_cancel).cancel();
    }

    pub fn status(&self) -> LiveStatus {
        let profiles = self.profiles().clone();
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let persistence = self.vault.persistence();
        let note = persistence.warning();
        let persistence = match persistence {
            Persistence::Keyring => "keyring",
            Persistence::SessionOnly(_) => "session",
        };
        LiveStatus {
            profiles: profiles
                .profiles
                .iter()
                .map(|p| {
                    let signed_in = sessions.contains_key(&p.id)
                        || match &p.mode {
                            Mode::Browser | Mode::DeviceCode => {
                                self.has_secret(&p.refresh_secret())
                            }
                            Mode::ClientSecret => self.has_secret(&p.client_secret()),
                            // Nothing is kept for these: they count as signed in once they
                            // worked, and are checked again at the next fetch.
                            Mode::AzCli => p.account.is_some(),
                            Mode::Certificate { path } => p.account.is_some() && path.exists(),
                        };
                    profile_dto(p, signed_in)
                })
                .collect(),
            active: profiles.active.clone(),
            persistence: persistence.into(),
            persistence_note: note,
            default_client_id: signin_live::profile::DEFAULT_CLIENT_ID.into(),
        }
    }

    fn has_secret(&self, name: &str) -> bool {
        matches!(self.vault.get(name), Ok(Some(_)))
    }

    pub fn save_profile(&self, input: ProfileInput) -> Result<LiveStatus, AppError> {
        let cloud = match input.cloud.as_str() {
            "custom" => Cloud::custom(
                input.authority.as_deref().unwrap_or_default(),
                input.graph.as_deref().unwrap_or_default(),
            )?,
            name => Cloud::from_name(name).ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.unknown-cloud").with("name", name),
                )
            })?,
        };
        let mode = match input.mode.as_str() {
            "browser" => Mode::Browser,
            "device-code" => Mode::DeviceCode,
            "az-cli" => Mode::AzCli,
            "client-secret" => Mode::ClientSecret,
            "certificate" => {
                let path = input
                    .certificate_path
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| {
                        AppError::new(
                            ErrorCode::InvalidInput,
                            Message::new("desktop.error.choose-certificate"),
                        )
                    })?;
                Mode::Certificate {
                    path: PathBuf::from(path),
                }
            }
            other => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.unknown-mode").with("mode", other),
                ));
            }
        };
        let checked = Profile::new(
            &input.name,
            Some(&input.tenant),
            Some(&input.client_id),
            cloud,
            mode,
        )?;
        let old = input.id.as_deref().and_then(|id| self.profile(id).ok());
        let profile = match old {
            Some(old) => {
                let changed = old.tenant != checked.tenant
                    || old.client_id != checked.client_id
                    || old.cloud != checked.cloud
                    || old.mode != checked.mode;
                if changed {
                    // A different tenant or app: the old sign-in does not belong to it any more.
                    self.forget_sign_in(&old)?;
                }
                Profile {
                    id: old.id,
                    account: if changed { None } else { old.account },
                    tenant_id: if changed { None } else { old.tenant_id },
                    ..checked
                }
            }
            None => checked,
        };
        self.change_profiles(|all| all.upsert(profile))?;
        Ok(self.status())
    }

    pub fn use_profile(&self, id: &str) -> Result<LiveStatus, AppError> {
        self.profile(id)?;
        self.change_profiles(|all| all.active = Some(id.to_owned()))?;
        Ok(self.status())
    }

    pub fn remove_profile(&self, id: &str) -> Result<LiveStatus, AppError> {
        self.forget_sign_in(&self.profile(id)?)?;
        self.change_profiles(|all| {
            all.remove(id);
        })?;
        Ok(self.status())
    }

    pub fn sign_out(&self, id: &str) -> Result<LiveStatus, AppError> {
        self.forget_sign_in(&self.profile(id)?)?;
        Ok(self.status())
    }

    /// Signs in by the profile's mode (all but device code, which has its own two steps).
    pub async fn sign_in(
        &self,
        id: &str,
        client_secret: Option<String>,
        lang: Lang,
    ) -> Result<SignInReport, AppError> {
        let profile = self.profile(id)?;
        let http = self.http()?;
        let cancel = Self::arm(&self.sign_in_cancel);
        let result = match profile.mode {
            Mode::Browser => {
                signin_live::session::login_browser(
                    profile,
                    self.vault.clone(),
                    http,
                    signin_live::session::open_in_browser,
                    &cancel,
                    BROWSER_TIMEOUT,
                    lang,
                )
                .await
            }
            Mode::DeviceCode => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.device-code-elsewhere"),
                ));
            }
            _ => {
                let secret = client_secret.filter(|s| !s.is_empty()).map(Secret::new);
                let login = signin_live::session::login_app_or_cli(
                    profile,
                    self.vault.clone(),
                    http,
                    secret,
                );
                tokio::select! {
                    result = login => result,
                    () = cancel.cancelled() => Err(LiveError::Cancelled),
                }
            }
        };
        self.signed_in(result?, lang).await
    }

    /// Asks Entra for a device code to show.
    pub async fn device_code(&self, id: &str) -> Result<DeviceCodeDto, AppError> {
        let profile = self.profile(id)?;
        // Armed now, so a Cancel before the wait starts is not lost.
        let cancel = Self::arm(&self.sign_in_cancel);
        let http = self.http()?;
        let code = tokio::select! {
            code = signin_live::session::begin_device_code(&profile, &http) => code?,
            () = cancel.cancelled() => return Err(LiveError::Cancelled.into()),
        };
        let dto = DeviceCodeDto {
            user_code: code.user_code.clone(),
            verification_uri: code.verification_uri.clone(),
            message: code.message.clone(),
            expires_at: code
                .expires_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        *self.device_page.lock().unwrap_or_else(|p| p.into_inner()) =
            url::Url::parse(&code.verification_uri).ok();
        *self.device.lock().unwrap_or_else(|p| p.into_inner()) = Some((profile.id, code));
        Ok(dto)
    }

    /// Opens the page where the device code is entered, in the system browser. Only the page
    /// Entra named for the sign-in in progress can be opened this way.
    pub fn open_device_page(&self) -> Result<(), AppError> {
        let page = self
            .device_page
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.no-device-code"),
                )
            })?;
        signin_live::session::open_in_browser(&page).map_err(|e| {
            AppError::new(
                ErrorCode::InvalidInput,
                Message::new("live.credential.browser-failed")
                    .with("detail", e)
                    .with("url", &page),
            )
        })
    }

    /// Waits for the admin to enter the device code shown.
    pub async fn device_code_wait(&self, lang: Lang) -> Result<SignInReport, AppError> {
        let (id, code) = self
            .device
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::InvalidInput,
                    Message::new("desktop.error.no-device-code"),
                )
            })?;
        let profile = self.profile(&id)?;
        let cancel = Self::current(&self.sign_in_cancel);
        let result = signin_live::session::login_device_code(
            profile,
            self.vault.clone(),
            self.http()?,
            &code,
            &cancel,
        )
        .await;
        self.signed_in(result?, lang).await
    }

    /// Keeps a new sign-in, after checking that Graph will list sign-ins for it.
    async fn signed_in(
        &self,
        (session, mut notices): (Session, Vec<signin_live::Notice>),
        lang: Lang,
    ) -> Result<SignInReport, AppError> {
        notices.extend(graph::preflight(&session).await);
        let profile = session.profile.clone();
        self.change_profiles(|all| all.upsert(profile.clone()))?;
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(profile.id, Arc::new(session));
        Ok(SignInReport {
            status: self.status(),
            notices: notices.iter().map(|n| n.text(lang)).collect(),
        })
    }

    /// The active profile's session: the one in memory, or one resumed from the vault.
    fn session(&self) -> Result<Arc<Session>, AppError> {
        let profile = self.profiles().active().cloned().ok_or_else(|| {
            AppError::new(
                ErrorCode::SignIn,
                Message::new("desktop.error.choose-tenant"),
            )
        })?;
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(session) = sessions.get(&profile.id) {
            return Ok(session.clone());
        }
        let session = Arc::new(Session::resume(
            profile.clone(),
            self.vault.clone(),
            self.http()?,
        )?);
        sessions.insert(profile.id, session.clone());
        Ok(session)
    }

    /// Fetches the sign-ins the wizard describes from the active tenant into the workspace.
    /// With no time given, the last 24 hours.
    pub async fn fetch(
        &self,
        app: &AppState,
        form: &CriteriaDto,
        on_progress: &(dyn Fn(FetchProgress) + Send + Sync),
    ) -> Result<FetchReport, AppError> {
        let lang = app.language();
        let mut criteria = crate::state::criteria(form)?;
        let now = chrono::Utc::now();
        let to = criteria.to.unwrap_or(now);
        let from = criteria.from.unwrap_or(to - chrono::Duration::hours(24));
        criteria.from = Some(from);
        criteria.to = Some(to);
        let session = self.session()?;
        let cancel = Self::arm(&self.fetch_cancel);
        let name = format!(
            "Microsoft Graph: {} ({})",
            session.profile.name,
            now.format("%Y-%m-%d %H:%M UTC")
        );
        let tally = Tally {
            window: (
                from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            ..Tally::default()
        };
        let mut source: Option<i64> = None;
        let mut notices = Vec::new();
        let result = graph::fetch(
            &session,
            &criteria,
            from,
            to,
            &self.options,
            &cancel,
            &mut |page| {
                let import = signin_core::import_stream(page.to_json_array().as_bytes(), &name)
                    .map_err(|e| {
                        LiveError::Storage(Message::new("live.fetch.unstorable").with("detail", e))
                    })?;
                let record = app.add_live_page(source, &name, import).map_err(|e| {
                    LiveError::Storage(Message::new("live.fetch.unstorable").with("detail", e))
                })?;
                source = Some(record.id);
                Tally::add(&tally.pages, 1);
                Tally::add(&tally.events, page.events.len() as u64);
                Tally::add(&tally.duplicates, page.duplicates);
                on_progress(tally.progress(None, None, None));
                Ok(())
            },
            &mut |event| match event {
                Event::Notice(notice) => {
                    let text = notice.text(lang);
                    notices.push(text.clone());
                    on_progress(tally.progress(None, None, Some(text)));
                }
                Event::Waiting { pause, reason } => {
                    let reason = match reason {
                        WaitReason::Pacing => "pacing",
                        WaitReason::Throttled => {
                            Tally::add(&tally.throttled, 1);
                            "throttled"
                        }
                        WaitReason::Retrying => "retrying",
                    };
                    let seconds = pause.as_secs_f64().ceil() as u64;
                    on_progress(tally.progress(Some(seconds), Some(reason), None));
                }
                Event::Request { .. } => Tally::add(&tally.requests, 1),
                Event::Split { .. } => {}
            },
        )
        .await;
        let cancelled = match result {
            Ok(_) => false,
            Err(LiveError::Cancelled) => true,
            Err(e) => return Err(e.into()),
        };
        Ok(FetchReport {
            events: Tally::get(&tally.events),
            duplicates: Tally::get(&tally.duplicates),
            requests: Tally::get(&tally.requests) as u32,
            throttled: Tally::get(&tally.throttled) as u32,
            notices,
            cancelled,
            from: tally.window.0,
            to: tally.window.1,
        })
    }
}

/// What a fetch has done so far, shared by its page and event callbacks.
#[derive(Debug, Default)]
struct Tally {
    pages: AtomicU64,
    events: AtomicU64,
    duplicates: AtomicU64,
    requests: AtomicU64,
    throttled: AtomicU64,
    /// The time window fetched, RFC 3339 UTC.
    window: (String, String),
}

impl Tally {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn progress(
        &self,
        waiting_seconds: Option<u64>,
        reason: Option<&str>,
        notice: Option<String>,
    ) -> FetchProgress {
        FetchProgress {
            pages: Self::get(&self.pages) as u32,
            events: Self::get(&self.events),
            from: self.window.0.clone(),
            to: self.window.1.clone(),
            waiting_seconds,
            reason: reason.map(str::to_owned),
            notice,
        }
    }
}

fn profile_dto(p: &Profile, signed_in: bool) -> ProfileDto {
    let (cloud, authority, graph) = match &p.cloud {
        Cloud::Custom { authority, graph } => (
            "custom".to_owned(),
            Some(authority.clone()),
            Some(graph.clone()),
        ),
        other => (other.label(), None, None),
    };
    ProfileDto {
        id: p.id.clone(),
        name: p.name.clone(),
        tenant: p.tenant.clone(),
        tenant_id: p.tenant_id.clone(),
        client_id: p.client_id.clone(),
        cloud,
        authority,
        graph,
        mode: p.mode.label().to_owned(),
        certificate_path: match &p.mode {
            Mode::Certificate { path } => Some(path.display().to_string()),
            _ => None,
        },
        account: p.account.clone(),
        signed_in,
    }
}

#[cfg(test)]
mod tests;
