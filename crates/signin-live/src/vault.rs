//! The vault: refresh tokens and client secrets, encrypted at rest, with the key in the OS keyring.
//!
//! A random 256-bit key lives in the OS keyring (Keychain on macOS, Credential Manager on Windows,
//! the Secret Service on Linux). The secrets live in `secrets.bin` beside the settings, sealed
//! with XChaCha20-Poly1305 under that key and replaced atomically (temporary file, flush, rename)
//! under a file lock, so the command line and the app can share it. Only the small key goes into
//! the keyring: Windows caps a credential at 2,560 bytes, less than some refresh tokens.
//!
//! When no keyring can be reached (a Linux machine without a Secret Service, for one) the vault
//! says so and keeps secrets in memory for this run only. It never falls back to plain text.

use signin_core::messages::Message;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::LiveError;
use crate::secret::Secret;

const MAGIC: &[u8; 8] = b"SDVAULT1";
const NONCE_LEN: usize = 24;
const FILE_NAME: &str = "secrets.bin";

/// Where the vault key is kept.
pub trait KeyStore: Send + Sync + std::fmt::Debug {
    /// The key, or `None` when none was saved yet.
    fn load(&self) -> Result<Option<Zeroizing<Vec<u8>>>, String>;
    fn save(&self, key: &[u8]) -> Result<(), String>;
    /// Removes the key; succeeds when there was none.
    fn delete(&self) -> Result<(), String>;
}

/// The OS keyring, through the `keyring` crate's native store for each system.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
    account: String,
}

impl OsKeyring {
    /// The entry for the vault in `dir`: one key per data folder, so a test run or a portable
    /// copy never touches the key of the installed app.
    pub fn for_vault(dir: &Path) -> OsKeyring {
        let digest = Sha256::digest(dir.to_string_lossy().as_bytes());
        let tag: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        OsKeyring {
            service: "Sign-in Doctor".into(),
            account: format!("vault-key-{tag}"),
        }
    }

    fn entry(&self) -> Result<keyring::Entry, String> {
        keyring::Entry::new(&self.service, &self.account).map_err(describe_keyring_error)
    }
}

fn describe_keyring_error(e: keyring::Error) -> String {
    match e {
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(cause) => format!("no OS keyring is available ({cause})"),
            Ok(()) => "no OS keyring is available".into(),
        },
        other => other.to_string(),
    }
}

impl KeyStore for OsKeyring {
    fn load(&self) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        match self.entry()?.get_password() {
            Ok(text) => {
                let text = Zeroizing::new(text);
                base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map(|k| Some(Zeroizing::new(k)))
                    .map_err(|_| "the vault key in the OS keyring is damaged".to_owned())
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe_keyring_error(e)),
        }
    }

    fn save(&self, key: &[u8]) -> Result<(), String> {
        let text = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(key));
        self.entry()?
            .set_password(&text)
            .map_err(describe_keyring_error)
    }

    fn delete(&self) -> Result<(), String> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe_keyring_error(e)),
        }
    }
}

/// A key store that keeps the key in this process's memory, so the vault's file can be read
/// only while the process runs. For tests, which must not touch the machine's keyring.
#[derive(Debug, Default)]
pub struct MemoryKeyStore(Mutex<Option<Zeroizing<Vec<u8>>>>);

impl KeyStore for MemoryKeyStore {
    fn load(&self) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
        Ok(self.0.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn save(&self, key: &[u8]) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(Zeroizing::new(key.to_vec()));
        Ok(())
    }

    fn delete(&self) -> Result<(), String> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }
}

/// Whether secrets survive this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persistence {
    /// Encrypted on disk, key in the OS keyring.
    Keyring,
    /// No keyring: secrets live in memory until the app or command ends. The text is the
    /// keyring's own reason, for the details.
    SessionOnly(String),
}

impl Persistence {
    /// What an admin should know, when sign-ins are not kept; `None` when they are.
    pub fn warning(&self) -> Option<String> {
        match self {
            Persistence::Keyring => None,
            Persistence::SessionOnly(why) => Some(format!(
                "No keyring could be reached (the Keychain on macOS, Credential Manager on Windows, or a Secret Service such as GNOME Keyring or KWallet on Linux), so sign-ins last only until Sign-in Doctor closes. Details: {why}."
            )),
        }
    }
}

/// Encrypted storage for secrets, by name (`<profile>/refresh`, `<profile>/client-secret`).
#[derive(Debug)]
pub struct Vault {
    dir: PathBuf,
    keys: Box<dyn KeyStore>,
    persistence: Persistence,
    /// Secrets of a session-only vault.
    memory: Mutex<BTreeMap<String, Secret>>,
}

type Plain = BTreeMap<String, String>;

impl Vault {
    /// Opens the vault in `dir`, checking that the key store answers.
    pub fn open(dir: &Path, keys: Box<dyn KeyStore>) -> Vault {
        let persistence = match keys.load() {
            Ok(_) => Persistence::Keyring,
            Err(why) => Persistence::SessionOnly(why),
        };
        Vault {
            dir: dir.to_owned(),
            keys,
            persistence,
            memory: Mutex::new(BTreeMap::new()),
        }
    }

    /// The vault of the OS keyring for `dir`.
    pub fn open_os(dir: &Path) -> Vault {
        Vault::open(dir, Box::new(OsKeyring::for_vault(dir)))
    }

    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }

    /// The encrypted file (it may not exist).
    pub fn file(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>, LiveError> {
        if self.persistence != Persistence::Keyring {
            return Ok(self.memory().get(name).cloned());
        }
        let _lock = self.lock()?;
        Ok(self.read()?.get(name).map(|v| Secret::new(v.clone())))
    }

    pub fn put(&self, name: &str, value: &Secret) -> Result<(), LiveError> {
        if self.persistence != Persistence::Keyring {
            self.memory().insert(name.to_owned(), value.clone());
            return Ok(());
        }
        let _lock = self.lock()?;
        // Unreadable contents (a replaced key) are dropped: they cannot be recovered anyway.
        let mut plain = self.read().unwrap_or_default();
        plain.insert(name.to_owned(), value.expose().to_owned());
        self.write(&plain)
    }

    /// Removes every secret whose name starts with `prefix`.
    pub fn remove_prefix(&self, prefix: &str) -> Result<(), LiveError> {
        if self.persistence != Persistence::Keyring {
            self.memory().retain(|k, _| !k.starts_with(prefix));
            return Ok(());
        }
        let _lock = self.lock()?;
        let mut plain = self.read().unwrap_or_default();
        plain.retain(|k, _| !k.starts_with(prefix));
        if plain.is_empty() {
            self.wipe_locked()
        } else {
            self.write(&plain)
        }
    }

    /// Deletes the file and the key: nothing of any sign-in remains.
    pub fn wipe(&self) -> Result<(), LiveError> {
        self.memory().clear();
        if self.persistence != Persistence::Keyring {
            return Ok(());
        }
        let _lock = self.lock()?;
        self.wipe_locked()
    }

    fn wipe_locked(&self) -> Result<(), LiveError> {
        match std::fs::remove_file(self.file()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(LiveError::Vault(
                    Message::new("live.vault.cannot-delete")
                        .with("path", self.file().display())
                        .with("detail", e),
                ));
            }
        }
        self.keys.delete().map_err(|e| {
            LiveError::Vault(Message::new("live.vault.cannot-remove-key").with("detail", e))
        })
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Secret>> {
        self.memory.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock(&self) -> Result<File, LiveError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.io_error(&self.dir, e))?;
        let path = self.dir.join("secrets.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| self.io_error(&path, e))?;
        file.lock().map_err(|e| self.io_error(&path, e))?;
        Ok(file)
    }

    fn io_error(&self, path: &Path, e: std::io::Error) -> LiveError {
        LiveError::Vault(
            Message::new("live.vault.cannot-use")
                .with("path", path.display())
                .with("detail", e),
        )
    }

    fn cipher(&self, create: bool) -> Result<Option<XChaCha20Poly1305>, LiveError> {
        let key = self.keys.load().map_err(|e| {
            LiveError::Vault(Message::new("live.vault.keyring-unreadable").with("detail", e))
        })?;
        let key = match key {
            Some(key) if key.len() == 32 => key,
            Some(_) => {
                return Err(LiveError::Vault(Message::new(
                    "live.vault.key-wrong-length",
                )));
            }
            None if !create => return Ok(None),
            None => {
                let mut fresh = Zeroizing::new(vec![0u8; 32]);
                rand::rng().fill_bytes(&mut fresh);
                self.keys.save(&fresh).map_err(|e| {
                    LiveError::Vault(Message::new("live.vault.keyring-refused").with("detail", e))
                })?;
                fresh
            }
        };
        Ok(Some(
            XChaCha20Poly1305::new_from_slice(&key).expect("the key is 32 bytes"),
        ))
    }

    fn read(&self) -> Result<Plain, LiveError> {
        let sealed = match std::fs::read(self.file()) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Plain::new()),
            Err(e) => return Err(self.io_error(&self.file(), e)),
        };
        let unreadable = || LiveError::Vault(Message::new("live.vault.undecryptable"));
        let Some(cipher) = self.cipher(false)? else {
            return Err(unreadable());
        };
        if sealed.len() < MAGIC.len() + NONCE_LEN || &sealed[..MAGIC.len()] != MAGIC {
            return Err(unreadable());
        }
        let (nonce, body) = sealed[MAGIC.len()..].split_at(NONCE_LEN);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(nonce),
                    Payload {
                        msg: body,
                        aad: MAGIC,
                    },
                )
                .map_err(|_| unreadable())?,
        );
        serde_json::from_slice(&plain).map_err(|_| unreadable())
    }

    fn write(&self, plain: &Plain) -> Result<(), LiveError> {
        let cipher = self.cipher(true)?.expect("created when missing");
        let json = Zeroizing::new(serde_json::to_vec(plain).expect("a map of strings serialises"));
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let body = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &json,
                    aad: MAGIC,
                },
            )
            .map_err(|_| LiveError::Vault(Message::new("live.vault.encryption-failed")))?;
        let mut sealed = Vec::with_capacity(MAGIC.len() + NONCE_LEN + body.len());
        sealed.extend_from_slice(MAGIC);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&body);
        write_atomically(&self.file(), &sealed).map_err(|e| self.io_error(&self.file(), e))
    }
}

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A machine with no keyring to reach.
    #[derive(Debug)]
    struct NoKeyring;

    impl KeyStore for NoKeyring {
        fn load(&self) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
            Err("org.freedesktop.secrets was not provided by any .service files".into())
        }
        fn save(&self, _: &[u8]) -> Result<(), String> {
            Err("no keyring".into())
        }
        fn delete(&self) -> Result<(), String> {
            Err("no keyring".into())
        }
    }

    #[test]
    fn secrets_are_sealed_on_disk_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path(), Box::new(MemoryKeyStore::default()));
        assert_eq!(vault.persistence(), &Persistence::Keyring);
        let token = Secret::new("0.ARoA-refresh-token-text-that-must-not-leak");
        vault.put("p1/refresh", &token).unwrap();
        vault
            .put("p2/client-secret", &Secret::new("s3cr3t-value"))
            .unwrap();

        let on_disk = std::fs::read(vault.file()).unwrap();
        assert!(on_disk.starts_with(MAGIC));
        let text = String::from_utf8_lossy(&on_disk);
        assert!(!text.contains("refresh-token-text") && !text.contains("s3cr3t"));
        assert_eq!(vault.get("p1/refresh").unwrap(), Some(token));

        vault.remove_prefix("p1/").unwrap();
        assert_eq!(vault.get("p1/refresh").unwrap(), None);
        assert!(vault.get("p2/client-secret").unwrap().is_some());
        vault.wipe().unwrap();
        assert!(!vault.file().exists());
        assert_eq!(vault.get("p2/client-secret").unwrap(), None);
    }

    #[test]
    fn a_tampered_file_is_refused_not_misread() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path(), Box::new(MemoryKeyStore::default()));
        vault.put("p/refresh", &Secret::new("value")).unwrap();
        let mut bytes = std::fs::read(vault.file()).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(vault.file(), bytes).unwrap();
        assert!(
            matches!(vault.get("p/refresh"), Err(LiveError::Vault(m)) if m.to_string().contains("Sign in again"))
        );
        // Saving again starts a fresh, readable file.
        vault.put("p/refresh", &Secret::new("new")).unwrap();
        assert_eq!(vault.get("p/refresh").unwrap().unwrap().expose(), "new");
    }

    #[test]
    fn without_a_keyring_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::open(dir.path(), Box::new(NoKeyring));
        let warning = vault.persistence().warning().unwrap();
        assert!(
            warning.contains("GNOME Keyring") && warning.contains("until Sign-in Doctor closes")
        );
        assert!(
            matches!(vault.persistence(), Persistence::SessionOnly(why) if why.contains("org.freedesktop.secrets"))
        );
        vault
            .put("p/refresh", &Secret::new("kept in memory"))
            .unwrap();
        assert_eq!(
            vault.get("p/refresh").unwrap().unwrap().expose(),
            "kept in memory"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no file of any kind"
        );
    }
}
