//! Tenant profiles: which tenant, cloud, app registration and sign-in mode, saved by name.
//!
//! An MSP admin keeps one profile per customer tenant and switches between them. Profiles hold
//! no secret: those are in the [`Vault`](crate::vault::Vault) under the profile's ID.

use signin_core::messages::Message;
use std::path::{Path, PathBuf};

use rand::RngCore as _;
use serde::{Deserialize, Serialize};

use crate::cloud::Cloud;
use crate::error::LiveError;

/// The app registration used when a profile names none: Microsoft Graph Command Line Tools, a
/// multi-tenant public client that every tenant can consent to, with `http://localhost` as a
/// reply address and device code allowed. Organisations that prefer their own registration put
/// its client ID in the profile.
pub const DEFAULT_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// The tenant used when a profile names none: whichever work account signs in.
pub const DEFAULT_TENANT: &str = "organizations";

const FILE_NAME: &str = "profiles.json";

/// How a profile signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Mode {
    /// The admin signs in in the system browser (authorization code with PKCE).
    #[default]
    Browser,
    /// The admin types a code on another device.
    DeviceCode,
    /// Reuse the account signed in to the Azure CLI (`az login`).
    AzCli,
    /// An app registration's client secret (kept in the vault).
    ClientSecret,
    /// An app registration's certificate: a PEM file with the certificate and its private key.
    Certificate { path: PathBuf },
}

impl Mode {
    pub fn label(&self) -> &'static str {
        match self {
            Mode::Browser => "browser",
            Mode::DeviceCode => "device-code",
            Mode::AzCli => "az-cli",
            Mode::ClientSecret => "client-secret",
            Mode::Certificate { .. } => "certificate",
        }
    }

    /// Whether the token acts as the app itself rather than a signed-in person.
    pub fn is_app_only(&self) -> bool {
        matches!(self, Mode::ClientSecret | Mode::Certificate { .. })
    }
}

/// One tenant connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Stable key, also the prefix of the profile's secrets in the vault.
    pub id: String,
    /// Shown in the switcher.
    pub name: String,
    /// `organizations`, a tenant ID or a domain.
    pub tenant: String,
    pub client_id: String,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default)]
    pub mode: Mode,
    /// Who signed in last (UPN, or the app's ID for app-only modes).
    #[serde(default)]
    pub account: Option<String>,
    /// The tenant's ID, learned at sign-in.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

impl Profile {
    /// A new profile with a fresh ID and the defaults for whatever is not given.
    pub fn new(
        name: &str,
        tenant: Option<&str>,
        client_id: Option<&str>,
        cloud: Cloud,
        mode: Mode,
    ) -> Result<Profile, LiveError> {
        let tenant = tenant
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(DEFAULT_TENANT);
        check_tenant(tenant)?;
        if mode.is_app_only() && matches!(tenant, "organizations" | "common" | "consumers") {
            return Err(LiveError::InvalidInput(Message::new(
                "live.profile.app-needs-tenant",
            )));
        }
        let client_id = client_id
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or(DEFAULT_CLIENT_ID);
        if mode.is_app_only() && client_id == DEFAULT_CLIENT_ID {
            return Err(LiveError::InvalidInput(Message::new(
                "live.profile.app-needs-client",
            )));
        }
        let mut id = [0u8; 6];
        rand::rng().fill_bytes(&mut id);
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let name = name.trim();
        Ok(Profile {
            id: format!("p-{id}"),
            name: if name.is_empty() {
                tenant.to_owned()
            } else {
                name.to_owned()
            },
            tenant: tenant.to_owned(),
            client_id: client_id.to_owned(),
            cloud,
            mode,
            account: None,
            tenant_id: None,
        })
    }

    /// The vault name of this profile's refresh token.
    pub fn refresh_secret(&self) -> String {
        format!("{}/refresh", self.id)
    }

    /// The vault name of this profile's client secret.
    pub fn client_secret(&self) -> String {
        format!("{}/client-secret", self.id)
    }
}

/// A tenant is `organizations`/`common`, a GUID, or a domain name.
fn check_tenant(tenant: &str) -> Result<(), LiveError> {
    let ok = !tenant.is_empty()
        && tenant.len() <= 253
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(LiveError::InvalidInput(
            Message::new("live.profile.not-a-tenant").with("tenant", tenant),
        ))
    }
}

/// Every saved profile and which one is in use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profiles {
    #[serde(default)]
    pub active: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

impl Profiles {
    /// Reads `profiles.json` in `dir`; none yet is an empty list.
    pub fn load(dir: &Path) -> Result<Profiles, LiveError> {
        let path = dir.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                LiveError::Storage(
                    Message::new("live.profile.unreadable")
                        .with("path", path.display())
                        .with("detail", e),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Profiles::default()),
            Err(e) => Err(LiveError::Storage(
                Message::new("live.profile.unreadable")
                    .with("path", path.display())
                    .with("detail", e),
            )),
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), LiveError> {
        let path = dir.join(FILE_NAME);
        let json = serde_json::to_vec_pretty(self).expect("profiles serialise");
        crate::vault::write_atomically(&path, &json).map_err(|e| {
            LiveError::Storage(
                Message::new("live.profile.unsaved")
                    .with("path", path.display())
                    .with("detail", e),
            )
        })
    }

    /// The profile in use.
    pub fn active(&self) -> Option<&Profile> {
        let id = self.active.as_deref()?;
        self.profiles.iter().find(|p| p.id == id)
    }

    /// A profile by ID or by name (any case).
    pub fn find(&self, key: &str) -> Option<&Profile> {
        let key = key.trim();
        self.profiles.iter().find(|p| p.id == key).or_else(|| {
            self.profiles
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(key))
        })
    }

    /// Adds or replaces (by ID) a profile and makes it the active one.
    pub fn upsert(&mut self, profile: Profile) {
        self.active = Some(profile.id.clone());
        match self.profiles.iter_mut().find(|p| p.id == profile.id) {
            Some(existing) => *existing = profile,
            None => self.profiles.push(profile),
        }
    }

    /// Removes a profile; the first remaining one becomes active if it was.
    pub fn remove(&mut self, id: &str) -> Option<Profile> {
        let index = self.profiles.iter().position(|p| p.id == id)?;
        let removed = self.profiles.remove(index);
        if self.active.as_deref() == Some(id) {
            self.active = self.profiles.first().map(|p| p.id.clone());
        }
        Some(removed)
    }
}

/// Where the app and the command line keep settings, secrets and the workspace:
/// `SIGNIN_DOCTOR_DATA_DIR` when set, else the desktop app's data folder
/// (`~/.local/share/app.signindoctor.desktop`, `~/Library/Application Support/…`, `%APPDATA%\…`).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SIGNIN_DOCTOR_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("app.signindoctor.desktop"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_checks() {
        let p = Profile::new("", None, None, Cloud::Global, Mode::Browser).unwrap();
        assert_eq!(
            (p.tenant.as_str(), p.client_id.as_str()),
            (DEFAULT_TENANT, DEFAULT_CLIENT_ID)
        );
        assert_eq!(p.name, "organizations");
        assert!(
            Profile::new(
                "x",
                Some("contoso.com; drop"),
                None,
                Cloud::Global,
                Mode::Browser
            )
            .is_err()
        );
        let app = Profile::new(
            "x",
            None,
            Some("11111111-1111-1111-1111-111111111111"),
            Cloud::Global,
            Mode::ClientSecret,
        );
        assert!(
            matches!(app, Err(LiveError::InvalidInput(m)) if m.to_string().contains("tenant's ID"))
        );
        let app = Profile::new(
            "x",
            Some("contoso.com"),
            None,
            Cloud::Global,
            Mode::ClientSecret,
        );
        assert!(
            matches!(app, Err(LiveError::InvalidInput(m)) if m.to_string().contains("client ID"))
        );
    }

    #[test]
    fn profiles_round_trip_and_switch() {
        let dir = tempfile::tempdir().unwrap();
        let mut all = Profiles::load(dir.path()).unwrap();
        assert!(all.active().is_none());
        let a = Profile::new(
            "Contoso",
            Some("contoso.com"),
            None,
            Cloud::Global,
            Mode::Browser,
        )
        .unwrap();
        let b = Profile::new(
            "Fabrikam",
            Some("fabrikam.com"),
            None,
            Cloud::Usgov,
            Mode::DeviceCode,
        )
        .unwrap();
        all.upsert(a.clone());
        all.upsert(b.clone());
        assert_eq!(all.active().unwrap().name, "Fabrikam");
        all.save(dir.path()).unwrap();
        let mut again = Profiles::load(dir.path()).unwrap();
        assert_eq!(again, all);
        assert_eq!(again.find("contoso").unwrap().id, a.id);
        again.remove(&b.id);
        assert_eq!(again.active().unwrap().id, a.id);
    }
}
