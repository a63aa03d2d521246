//! A signed-in connection to one tenant: hands out access tokens for Graph, refreshing them
//! behind the scenes, whatever the sign-in mode.
//!
//! | mode | how a token is obtained |
//! |---|---|
//! | browser, device code | our own OAuth flows ([`crate::oauth`]); the rotating refresh token lives in the vault |
//! | Azure CLI | `azure_identity::AzureCliCredential` (runs `az account get-access-token`) |
//! | client secret | `azure_identity::ClientSecretCredential`; the secret lives in the vault |
//! | certificate | `azure_identity::ClientAssertionCredential` with an assertion signed here ([`crate::certificate`]) |
//!
//! Access tokens stay in memory, in this type, and are never handed out as text except to the
//! Graph client's `Authorization` header.

use signin_core::Lang;
use signin_core::messages::Message;
use std::sync::Arc;
use std::time::Duration;

use azure_core::credentials::TokenCredential;
use chrono::{TimeZone as _, Utc};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::certificate::CertificateAssertion;
use crate::claims::Claims;
use crate::cloud::Cloud;
use crate::error::LiveError;
use crate::oauth::{self, AccessToken, Authority, DeviceCode, Tokens};
use crate::profile::{Mode, Profile};
use crate::secret::Secret;
use crate::vault::Vault;

/// Something the admin should know about a sign-in that worked.
#[derive(Debug, Clone)]
pub enum Notice {
    Said(Message),
    /// Signed in, but Graph refuses to list sign-ins yet, and why.
    CannotListYet(Box<LiveError>),
}

/// Notices are the same when they say the same.
impl PartialEq for Notice {
    fn eq(&self, other: &Self) -> bool {
        self.text(Lang::En) == other.text(Lang::En)
    }
}

impl Notice {
    /// The notice in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Said(message) => message.text(lang),
            Notice::CannotListYet(why) => signin_core::messages::tr(
                lang,
                "live.notice.cannot-list-yet",
                &[("error", &why.describe(lang))],
            ),
        }
    }
}

/// Builds the one HTTP client for sign-in and Graph. `extra_roots` is a PEM bundle of extra
/// certificate authorities to trust (a company proxy's, or the local fake's in tests).
pub fn http_client(extra_roots: Option<&[u8]>) -> Result<reqwest::Client, LiveError> {
    let mut builder = reqwest::Client::builder()
        // Token endpoints must not be redirected (an open redirect could leak a code); Graph's
        // next-page links are followed by hand.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(20))
        .user_agent(concat!("SigninDoctor/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = extra_roots {
        let roots = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            LiveError::InvalidInput(
                Message::new("live.credential.extra-ca-unreadable").with("detail", e),
            )
        })?;
        builder = builder.tls_certs_merge(roots);
    }
    builder
        .build()
        .map_err(|e| LiveError::Network(Message::new("live.net.http-client").with("detail", e)))
}

/// Opens `url` in the browser: the program in `$BROWSER` when set (the Unix convention, also
/// how tests stand in for a person), else the system's default browser.
pub fn open_in_browser(url: &Url) -> Result<(), String> {
    if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        return std::process::Command::new(browser)
            .arg(url.as_str())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| e.to_string());
    }
    open::that_detached(url.as_str()).map_err(|e| e.to_string())
}

/// The authority of a profile.
pub fn authority(profile: &Profile) -> Result<Authority, LiveError> {
    Ok(Authority {
        host: profile.cloud.authority_host()?,
        tenant: profile.tenant.clone(),
        client_id: profile.client_id.clone(),
        graph_resource: profile.cloud.graph_resource()?,
    })
}

enum Source {
    /// Browser or device-code sign-in: refresh with the token in the vault.
    Delegated,
    /// A credential from azure_identity. Replaced by a fresh one when Graph refuses its token,
    /// as its own cache would otherwise hand the revoked token back until it expires.
    Credential(std::sync::Mutex<Arc<dyn TokenCredential>>),
}

/// A connection to a tenant that can produce Graph tokens.
pub struct Session {
    pub profile: Profile,
    http: reqwest::Client,
    authority: Authority,
    vault: Arc<Vault>,
    source: Source,
    current: tokio::sync::Mutex<Option<AccessToken>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile.id)
            .field("mode", &self.profile.mode.label())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Resumes a profile that signed in before (its secrets are in the vault). No network
    /// traffic happens until the first [`token`](Session::token).
    pub fn resume(
        profile: Profile,
        vault: Arc<Vault>,
        http: reqwest::Client,
    ) -> Result<Session, LiveError> {
        let authority = authority(&profile)?;
        let source = match &profile.mode {
            Mode::Browser | Mode::DeviceCode => {
                if vault.get(&profile.refresh_secret())?.is_none() {
                    return Err(LiveError::NotSignedIn(profile.name.clone()));
                }
                Source::Delegated
            }
            _ => Source::Credential(std::sync::Mutex::new(app_credential(
                &profile, &authority, &vault, &http,
            )?)),
        };
        Ok(Session {
            profile,
            http,
            authority,
            vault,
            source,
            current: tokio::sync::Mutex::new(None),
        })
    }

    fn with_tokens(
        profile: Profile,
        vault: Arc<Vault>,
        http: reqwest::Client,
        access: AccessToken,
    ) -> Result<Session, LiveError> {
        let mut session = Session::resume(profile, vault, http)?;
        session.current = tokio::sync::Mutex::new(Some(access));
        Ok(session)
    }

    /// Graph's root for this profile's cloud.
    pub fn graph_base(&self) -> Result<Url, LiveError> {
        self.profile.cloud.graph_base()
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A valid access token: the one in memory while it lasts, else a new one. `force` skips the
    /// one in memory (after Graph answered 401).
    pub async fn token(&self, force: bool) -> Result<AccessToken, LiveError> {
        let mut current = self.current.lock().await;
        if !force
            && let Some(token) = current.as_ref()
            && token.is_fresh(Utc::now())
        {
            return Ok(token.clone());
        }
        let token = match &self.source {
            Source::Delegated => {
                let name = self.profile.refresh_secret();
                let refresh = self
                    .vault
                    .get(&name)?
                    .ok_or_else(|| LiveError::NotSignedIn(self.profile.name.clone()))?;
                let tokens = oauth::refresh(&self.http, &self.authority, &refresh).await?;
                // Entra rotates refresh tokens: keep the newest one.
                if let Some(newer) = &tokens.refresh {
                    self.vault.put(&name, newer)?;
                }
                tokens.access
            }
            Source::Credential(slot) => {
                if force {
                    let fresh =
                        app_credential(&self.profile, &self.authority, &self.vault, &self.http)?;
                    *slot.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
                }
                let credential = slot.lock().unwrap_or_else(|p| p.into_inner()).clone();
                credential_token(credential.as_ref(), &self.authority.app_scope()).await?
            }
        };
        *current = Some(token.clone());
        Ok(token)
    }

    /// Forgets the access token in memory, so the next call gets a new one.
    pub async fn forget_access_token(&self) {
        *self.current.lock().await = None;
    }

    /// Warnings about what this sign-in can see, from the token's permissions.
    pub async fn notices(&self) -> Result<Vec<Notice>, LiveError> {
        let token = self.token(false).await?;
        Ok(permission_notices(&token.claims, &self.profile.mode))
    }
}

/// The azure_identity credential of an Azure CLI, client-secret or certificate profile.
fn app_credential(
    profile: &Profile,
    authority: &Authority,
    vault: &Vault,
    http: &reqwest::Client,
) -> Result<Arc<dyn TokenCredential>, LiveError> {
    match &profile.mode {
        Mode::AzCli => az_cli_credential(profile),
        Mode::ClientSecret => {
            let secret = vault
                .get(&profile.client_secret())?
                .ok_or_else(|| LiveError::NotSignedIn(profile.name.clone()))?;
            client_secret_credential(profile, http, &secret)
        }
        Mode::Certificate { path } => {
            let assertion = CertificateAssertion::from_pem_file(
                path,
                &profile.client_id,
                authority.endpoint("token")?.as_str(),
            )?;
            certificate_credential(profile, http, assertion)
        }
        Mode::Browser | Mode::DeviceCode => Err(LiveError::InvalidInput(Message::new(
            "live.credential.person-not-app",
        ))),
    }
}

/// What an admin should know about a token's permissions.
pub fn permission_notices(claims: &Claims, mode: &Mode) -> Vec<Notice> {
    let mut notices = Vec::new();
    if !claims.knows_permissions() {
        return notices;
    }
    if !claims.grants("AuditLog.Read.All") {
        notices.push(Notice::Said(Message::new("live.notice.no-audit-log")));
    }
    if !claims.grants("Policy.Read.All") {
        notices.push(Notice::Said(Message::new(if *mode == Mode::AzCli {
            "live.notice.no-policy-read-az"
        } else {
            "live.notice.no-policy-read"
        })));
    }
    notices
}

async fn credential_token(
    credential: &dyn TokenCredential,
    scope: &str,
) -> Result<AccessToken, LiveError> {
    let token = credential
        .get_token(&[scope], None)
        .await
        .map_err(credential_error)?;
    let expires_at = Utc
        .timestamp_opt(token.expires_on.unix_timestamp(), 0)
        .single()
        .unwrap_or_else(|| Utc::now() + chrono::Duration::minutes(30));
    Ok(AccessToken::new(
        Secret::new(token.token.secret()),
        expires_at,
    ))
}

/// azure_identity's errors carry Entra's reply; turn them into ours so the explainer sees the code.
fn credential_error(e: azure_core::Error) -> LiveError {
    use azure_core::error::ErrorKind as K;
    if let K::HttpResponse {
        status,
        error_code,
        raw_response,
    } = e.kind()
    {
        let body = raw_response
            .as_ref()
            .map(|r| String::from_utf8_lossy(r.body().as_ref()).into_owned())
            .unwrap_or_default();
        let mut error = crate::error::EntraError::from_body(u16::from(*status), &body);
        if error.error_codes.is_empty()
            && let Some(code) = error_code
                .as_deref()
                .and_then(|c| c.split(',').next())
                .and_then(|c| c.trim().parse().ok())
        {
            error.error_codes.push(code);
        }
        if error.error_description.is_empty() {
            error.error_description = e.to_string();
        }
        return LiveError::from(error);
    }
    let text = e.to_string();
    if matches!(e.kind(), K::Io) || text.contains("error sending request") {
        return LiveError::Network(Message::new("live.net.sign-in-service").with("detail", text));
    }
    // azure_identity 1.0 cannot read Entra error bodies whose description holds escapes
    // (`\r\n`, as real ones do) and reports a parse error quoting the text instead; the
    // AADSTS code is still in that text.
    let mut error = crate::error::EntraError {
        error: "credential_unavailable".into(),
        error_description: text,
        ..Default::default()
    };
    if let Some(code) = signin_core::aadsts::parse_pasted(&error.error_description).code {
        error.error_codes.push(code);
    }
    LiveError::from(error)
}

fn client_options(
    profile: &Profile,
    http: &reqwest::Client,
) -> Result<azure_core::http::ClientOptions, LiveError> {
    use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
    let cloud = match &profile.cloud {
        Cloud::Global => CloudConfiguration::AzurePublic,
        Cloud::Usgov | Cloud::UsgovDod => CloudConfiguration::AzureGovernment,
        Cloud::China => CloudConfiguration::AzureChina,
        Cloud::Custom { .. } => {
            let host = profile.cloud.authority_host()?;
            if host.scheme() != "https" {
                return Err(LiveError::InvalidInput(Message::new(
                    "live.address.authority-https",
                )));
            }
            let mut custom = CustomConfiguration::default();
            custom.authority_host = host.as_str().trim_end_matches('/').to_owned();
            CloudConfiguration::Custom(custom)
        }
    };
    Ok(azure_core::http::ClientOptions {
        cloud: Some(Arc::new(cloud)),
        transport: Some(azure_core::http::Transport::new(Arc::new(http.clone()))),
        ..Default::default()
    })
}

fn az_cli_credential(profile: &Profile) -> Result<Arc<dyn TokenCredential>, LiveError> {
    let tenant = match profile.tenant.as_str() {
        "organizations" | "common" => None,
        t => Some(t.to_owned()),
    };
    let options = azure_identity::AzureCliCredentialOptions {
        tenant_id: tenant,
        ..Default::default()
    };
    let credential =
        azure_identity::AzureCliCredential::new(Some(options)).map_err(credential_error)?;
    Ok(credential)
}

fn client_secret_credential(
    profile: &Profile,
    http: &reqwest::Client,
    secret: &Secret,
) -> Result<Arc<dyn TokenCredential>, LiveError> {
    let options = azure_identity::ClientSecretCredentialOptions {
        client_options: client_options(profile, http)?,
    };
    let credential = azure_identity::ClientSecretCredential::new(
        &profile.tenant,
        profile.client_id.clone(),
        azure_core::credentials::Secret::new(secret.expose().to_owned()),
        Some(options),
    )
    .map_err(credential_error)?;
    Ok(credential)
}

fn certificate_credential(
    profile: &Profile,
    http: &reqwest::Client,
    assertion: CertificateAssertion,
) -> Result<Arc<dyn TokenCredential>, LiveError> {
    let options = azure_identity::ClientAssertionCredentialOptions {
        client_options: client_options(profile, http)?,
    };
    let credential = azure_identity::ClientAssertionCredential::new(
        profile.tenant.clone(),
        profile.client_id.clone(),
        assertion,
        Some(options),
    )
    .map_err(credential_error)?;
    Ok(credential)
}

/// Remembers who signed in, on the profile.
fn note_account(profile: &mut Profile, claims: &Claims) {
    profile.account = claims
        .account()
        .map(str::to_owned)
        .or_else(|| claims.appid.clone())
        .or_else(|| profile.account.take());
    if let Some(tid) = &claims.tid {
        profile.tenant_id = Some(tid.clone());
    }
}

fn finish_delegated(
    mut profile: Profile,
    vault: Arc<Vault>,
    http: reqwest::Client,
    tokens: Tokens,
) -> Result<(Session, Vec<Notice>), LiveError> {
    let refresh = tokens.refresh.ok_or_else(|| {
        LiveError::from(crate::error::EntraError {
            error: "no_refresh_token".into(),
            error_description: signin_core::messages::tr(
                Lang::En,
                "live.entra.no-refresh-token",
                &[],
            ),
            ..Default::default()
        })
    })?;
    vault.put(&profile.refresh_secret(), &refresh)?;
    note_account(&mut profile, &tokens.account);
    let notices = permission_notices(&tokens.access.claims, &profile.mode);
    Ok((
        Session::with_tokens(profile, vault, http, tokens.access)?,
        notices,
    ))
}

/// Signs in in the browser. `open` is given the address to open (the system browser in the app
/// and the command line; an HTTP client in tests); the page the browser shows when it comes
/// back speaks `lang`.
pub async fn login_browser(
    profile: Profile,
    vault: Arc<Vault>,
    http: reqwest::Client,
    open: impl FnOnce(&Url) -> Result<(), String>,
    cancel: &CancellationToken,
    timeout: Duration,
    lang: Lang,
) -> Result<(Session, Vec<Notice>), LiveError> {
    let authority = authority(&profile)?;
    let pending = oauth::begin_browser(&authority, profile.account.as_deref(), lang).await?;
    open(&pending.url).map_err(|e| {
        LiveError::InvalidInput(
            Message::new("live.credential.browser-failed")
                .with("detail", e)
                .with("url", &pending.url),
        )
    })?;
    let tokens = pending.finish(&http, &authority, cancel, timeout).await?;
    finish_delegated(profile, vault, http, tokens)
}

/// Starts a device-code sign-in; show the code, then call [`login_device_code`].
pub async fn begin_device_code(
    profile: &Profile,
    http: &reqwest::Client,
) -> Result<DeviceCode, LiveError> {
    oauth::begin_device_code(http, &authority(profile)?).await
}

/// Waits for the admin to enter the device code.
pub async fn login_device_code(
    profile: Profile,
    vault: Arc<Vault>,
    http: reqwest::Client,
    code: &DeviceCode,
    cancel: &CancellationToken,
) -> Result<(Session, Vec<Notice>), LiveError> {
    let tokens = code.finish(&http, &authority(&profile)?, cancel).await?;
    finish_delegated(profile, vault, http, tokens)
}

/// Signs in without a person: Azure CLI reuse, client secret or certificate. The secret, when
/// given, is saved in the vault only after Entra accepted it.
pub async fn login_app_or_cli(
    profile: Profile,
    vault: Arc<Vault>,
    http: reqwest::Client,
    client_secret: Option<Secret>,
) -> Result<(Session, Vec<Notice>), LiveError> {
    let authority = authority(&profile)?;
    // A client secret is tried as typed and kept only once Entra accepted it; the other modes
    // build their credential as a resumed session does.
    let (credential, secret) = match &profile.mode {
        Mode::ClientSecret => {
            let secret = client_secret.filter(|s| !s.is_empty()).ok_or_else(|| {
                LiveError::InvalidInput(Message::new("live.credential.secret-needed"))
            })?;
            (
                client_secret_credential(&profile, &http, &secret)?,
                Some(secret),
            )
        }
        _ => (app_credential(&profile, &authority, &vault, &http)?, None),
    };
    let token = credential_token(credential.as_ref(), &authority.app_scope()).await?;
    if let Some(secret) = secret {
        vault.put(&profile.client_secret(), &secret)?;
    }
    finish_credential(profile, vault, http, token)
}

fn finish_credential(
    mut profile: Profile,
    vault: Arc<Vault>,
    http: reqwest::Client,
    token: AccessToken,
) -> Result<(Session, Vec<Notice>), LiveError> {
    note_account(&mut profile, &token.claims);
    let notices = permission_notices(&token.claims, &profile.mode);
    Ok((Session::with_tokens(profile, vault, http, token)?, notices))
}

/// Signs a profile out: its secrets leave the vault. The profile itself stays, to sign in again.
pub fn logout(profile: &Profile, vault: &Vault) -> Result<(), LiveError> {
    vault.remove_prefix(&format!("{}/", profile.id))
}
