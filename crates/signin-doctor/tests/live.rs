#![allow(clippy::unwrap_used)]
//! `login`, `fetch`, `profiles` and `logout` as IT staff run them: the real binary, the real OS
//! keyring (GNOME Keyring's Secret Service in a private D-Bus session that each test starts),
//! and the local fake of Entra and Graph on loopback.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fake_entra::{Config, FakeEntra};
use serde_json::Value;

/// A fake tenant, a private home folder and a data folder for one test.
struct Lab {
    fake: FakeEntra,
    home: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

impl Lab {
    fn start(config: Config) -> Lab {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fake = runtime.block_on(FakeEntra::start(config)).unwrap();
        let home = tempfile::tempdir().unwrap();
        for dir in ["data", "bin", ".local/share", ".config"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        let run = home.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).unwrap();
        Lab {
            fake,
            home,
            _runtime: runtime,
        }
    }

    /// The demo tenant over https, with its certificate authority in a file.
    fn demo_https() -> (Lab, PathBuf) {
        let lab = Lab::start(Config {
            tls: true,
            ..Config::with_demo()
        });
        let ca = lab.home.path().join("fake-ca.pem");
        std::fs::write(&ca, lab.fake.ca_pem().unwrap()).unwrap();
        (lab, ca)
    }

    fn demo() -> Lab {
        Lab::start(Config {
            device_code_polls: 1,
            device_code_interval: 0,
            ..Config::with_demo()
        })
    }

    fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// Puts an executable script called `name` on the PATH of later commands.
    fn script(&self, name: &str, body: &str) {
        let path = self.home.path().join("bin").join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        let path = format!(
            "{}:{}",
            self.home.path().join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        command
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.home.path().join(".local/share"))
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("XDG_RUNTIME_DIR", self.home.path().join("run"))
            .env("SIGNIN_DOCTOR_DATA_DIR", self.data())
            .env("PATH", path)
            .env("CLI", env!("CARGO_BIN_EXE_signin-doctor"))
            .env("FAKE", self.fake.base_url())
            .env_remove("BROWSER")
            .env_remove("DBUS_SESSION_BUS_ADDRESS");
        command
    }

    /// Runs a shell script inside a fresh D-Bus session with an unlocked GNOME Keyring, as a
    /// desktop session would have. `$CLI` is signin-doctor, `$FAKE` the fake's address.
    fn in_keyring_session(&self, script: &str) -> Output {
        self.in_keyring_session_with(&[], script)
    }

    /// [`Lab::in_keyring_session`] with more environment variables.
    fn in_keyring_session_with(&self, env: &[(&str, &Path)], script: &str) -> Output {
        let output = self
            .command("dbus-run-session")
            .envs(env.iter().copied())
            .args([
                "--",
                "sh",
                "-c",
                &format!(
                    "printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || exit 97\n{script}"
                ),
            ])
            .output()
            .expect("dbus-run-session runs (scripts/setup.sh installs dbus and gnome-keyring)");
        assert_ne!(
            output.status.code(),
            Some(97),
            "gnome-keyring-daemon did not start"
        );
        output
    }

    /// Every file under the home and data folders, as text.
    fn all_files(&self) -> Vec<(PathBuf, String)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, String::from_utf8_lossy(&bytes).into_owned()));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.home.path(), &mut out);
        out
    }

    fn assert_no_secret_on_disk(&self, also: &str) {
        let secrets = self.fake.issued_secrets();
        assert!(!secrets.is_empty());
        for (path, text) in self.all_files() {
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "{} holds a token",
                    path.display()
                );
            }
            assert!(
                also.is_empty() || !text.contains(also),
                "{} holds {also}",
                path.display()
            );
        }
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The sign-ins of the demo data the CLI finds offline for the same criteria.
fn offline_count(lab: &Lab, args: &[&str]) -> u64 {
    let demo = lab.home.path().join("demo.json");
    let fake_demo = Config::with_demo();
    std::fs::write(&demo, serde_json::to_string(&fake_demo.events).unwrap()).unwrap();
    let out = lab
        .command(env!("CARGO_BIN_EXE_signin-doctor"))
        .args(["search", demo.to_str().unwrap(), "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str::<Value>(&stdout(&out)).unwrap()["count"]
        .as_u64()
        .unwrap()
}

#[test]
fn device_code_sign_in_is_kept_in_the_real_keyring_and_fetch_finds_the_sign_ins() {
    let lab = Lab::demo();
    let week = ["--from", "2000-01-01", "--user", "hugo"];
    let expected = offline_count(&lab, &week);
    assert!(expected > 0);
    let out = lab.in_keyring_session(
        r#"set -e
"$CLI" login --device-code --authority "$FAKE" --graph "$FAKE" --profile "Harbor & Pine"
echo "--- profiles"
"$CLI" profiles --json
echo "--- fetch"
"$CLI" fetch --json --from 2000-01-01 --user hugo --workspace "$SIGNIN_DOCTOR_DATA_DIR/live.sqlite"
echo "--- keyring"
secret-tool search --all service "Sign-in Doctor" 2>&1
"#,
    );
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    let part = |name: &str| {
        let start = text.find(&format!("--- {name}\n")).unwrap() + name.len() + 5;
        let end = text[start..]
            .find("\n--- ")
            .map_or(text.len(), |e| start + e);
        text[start..end].to_owned()
    };
    // The code was shown to the person, and the account that signed in is named.
    assert!(stderr(&out).contains("enter the code"), "{}", stderr(&out));
    assert!(text.starts_with("Signed in to Harbor & Pine as "), "{text}");

    let profiles: Value = serde_json::from_str(&part("profiles")).unwrap();
    assert_eq!(profiles["profiles"][0]["signedIn"], true);
    assert_eq!(profiles["profiles"][0]["mode"], "device-code");

    let found: Value = serde_json::from_str(&part("fetch")).unwrap();
    assert_eq!(
        found["count"].as_u64().unwrap(),
        expected,
        "live gives what the export gives"
    );

    // The vault key is in the Secret Service; the refresh token is not (it is in the sealed file).
    let keyring = part("keyring");
    assert!(keyring.contains("vault-key-"), "{keyring}");
    assert!(lab.data().join("secrets.bin").exists());
    lab.assert_no_secret_on_disk("");

    // Signing out (in a later desktop session) leaves nothing to sign in with.
    let out = lab.in_keyring_session(
        r#""$CLI" profiles
"$CLI" logout --all
secret-tool search --all service "Sign-in Doctor" 2>&1
"$CLI" fetch --json || echo "exit $?"
"#,
    );
    let after = stdout(&out);
    assert!(
        after.contains("signed in"),
        "still signed in before logout: {after}"
    );
    assert!(!after.contains("vault-key-"), "{after}");
    assert!(
        after.contains("Not signed in") || after.contains("exit 3"),
        "{after}"
    );
    assert!(!lab.data().join("secrets.bin").exists());
}

#[test]
fn without_a_keyring_login_refuses_rather_than_write_a_secret_in_plain_text() {
    let lab = Lab::demo();
    let out = lab
        .command(env!("CARGO_BIN_EXE_signin-doctor"))
        .args([
            "login",
            "--device-code",
            "--authority",
            &lab.fake.base_url(),
            "--graph",
            &lab.fake.base_url(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("keyring"), "{}", stderr(&out));
    assert!(
        std::fs::read_dir(lab.data()).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn browser_sign_in_opens_the_browser_and_the_redirect_completes_it() {
    let lab = Lab::demo();
    // The "browser": follows Entra's redirect back to signin-doctor's loopback listener.
    lab.script(
        "test-browser",
        r#"curl -sfL "$1" -o "$HOME/browser-page.html" &"#,
    );
    let out = lab.in_keyring_session(
        r#"set -e
BROWSER=test-browser "$CLI" login --authority "$FAKE" --graph "$FAKE" --tenant organizations
"$CLI" fetch --json --from 2000-01-01
"#,
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("Opening the browser"),
        "{}",
        stderr(&out)
    );
    let page = std::fs::read_to_string(lab.home.path().join("browser-page.html")).unwrap();
    assert!(page.contains("You can close this tab"), "{page}");
    let json = &stdout(&out)[stdout(&out).find('{').unwrap()..];
    let found: Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        found["count"].as_u64().unwrap(),
        offline_count(&lab, &["--from", "2000-01-01"])
    );
    lab.assert_no_secret_on_disk("");
}

#[test]
fn an_azure_cli_login_is_reused_with_a_warning_about_conditional_access_details() {
    let lab = Lab::demo();
    let token = lab.fake.mint_access_token(
        "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        &["AuditLog.Read.All", "Directory.Read.All"],
    );
    let expires = chrono::Utc::now().timestamp() + 3600;
    lab.script(
        "az",
        &format!(
            r#"case "$*" in *get-access-token*--scope*) printf '{{"accessToken":"{token}","expiresOn":"2099-01-01 00:00:00.000000","expires_on":{expires},"subscription":"s","tenant":"t","tokenType":"Bearer"}}' ;; *) exit 2 ;; esac"#
        ),
    );
    let out = lab.in_keyring_session(
        r#"set -e
"$CLI" login --az-cli --authority "$FAKE" --graph "$FAKE"
"$CLI" fetch --json --from 2000-01-01 --status failure
"#,
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("Azure CLI's sign-in cannot be given Policy.Read.All"),
        "{}",
        stderr(&out)
    );
    let json = &stdout(&out)[stdout(&out).find('{').unwrap()..];
    let found: Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        found["count"].as_u64().unwrap(),
        offline_count(&lab, &["--from", "2000-01-01", "--status", "failure"])
    );
}

#[test]
fn an_app_registration_signs_in_with_a_secret_from_the_environment_over_https() {
    let (lab, ca) = Lab::demo_https();
    let out = lab.in_keyring_session_with(
        &[("SIGNIN_DOCTOR_EXTRA_CA", &ca), ("APP_SECRET", Path::new("fake-client-secret"))],
        r#"set -e
"$CLI" login --client-secret-env APP_SECRET --tenant contoso.onmicrosoft.com --client-id 6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b --authority "$FAKE" --graph "$FAKE" --profile Automation
"$CLI" fetch --json --from 2000-01-01 --profile automation
"#,
    );
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).starts_with("Signed in to Automation as 6f1e1b2a"),
        "{}",
        stdout(&out)
    );
    lab.assert_no_secret_on_disk("fake-client-secret");
}

#[test]
fn a_wrong_secret_is_explained_and_exits_3() {
    let (lab, ca) = Lab::demo_https();
    let out = lab.in_keyring_session_with(
        &[("SIGNIN_DOCTOR_EXTRA_CA", &ca), ("APP_SECRET", Path::new("an-old-secret"))],
        r#""$CLI" login --client-secret-env APP_SECRET --tenant contoso.onmicrosoft.com --client-id 6f1e1b2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b --authority "$FAKE" --graph "$FAKE""#,
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("client secret is wrong or has expired"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("AADSTS7000215"), "{}", stderr(&out));
}

#[test]
fn plain_http_to_a_remote_authority_is_refused() {
    let lab = Lab::demo();
    let out = lab
        .command(env!("CARGO_BIN_EXE_signin-doctor"))
        .args([
            "login",
            "--authority",
            "http://login.example.com",
            "--graph",
            "https://graph.example.com",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("plain http"), "{}", stderr(&out));
}
