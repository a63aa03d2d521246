#![allow(clippy::unwrap_used)]
//! The command line speaks English or Dutch: `--lang`, else the locale of the environment.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const LOCKED: &str = "5c000035-0000-4000-8000-000000000035";

fn labelled() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/scenarios/labelled.json")
        .display()
        .to_string()
}

/// Runs the binary with exactly the given locale variables.
fn run(args: &[&str], locale: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signin-doctor"));
    command
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (name, value) in locale {
        command.env(name, value);
    }
    command.output().expect("signin-doctor runs")
}

fn stdout(args: &[&str], locale: &[(&str, &str)]) -> String {
    let out = run(args, locale);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn lang_nl_diagnoses_a_lockout_in_dutch() {
    let file = labelled();
    let text = stdout(
        &["diagnose", &file, "--request-id", LOCKED, "--lang", "nl"],
        &[],
    );
    assert!(
        text.starts_with(
            "MISLUKT  [account-locked]  Het account is vergrendeld na te veel foute wachtwoorden\n"
        ),
        "{text}"
    );
    for heading in [
        "\nBewijs:\n",
        "\nDe gebruiker kan:\n",
        "\nEen beheerder kan:\n",
    ] {
        assert!(text.contains(heading), "{heading:?} in {text}");
    }
    assert!(
        text.contains("  vergrendelingen rond dit tijdstip "),
        "{text}"
    );
    assert!(!text.contains("The account"), "{text}");

    // The JSON keeps its ids and field names; only the words people read are Dutch.
    let doc: Value = serde_json::from_str(&stdout(
        &[
            "--lang",
            "nl",
            "diagnose",
            &file,
            "--request-id",
            LOCKED,
            "--json",
        ],
        &[],
    ))
    .unwrap();
    let d = &doc[0];
    assert_eq!(
        (&d["scenario"], &d["verdict"]),
        (&"account-locked".into(), &"failure".into())
    );
    assert_eq!(d["evidence"][0]["field"], "status.errorCode");
    assert_eq!(
        d["actions"][0]["text"],
        "Wacht een paar minuten en probeer het opnieuw met het juiste wachtwoord"
    );
    assert!(
        d["ticket"]
            .as_str()
            .unwrap()
            .contains("Oordeel: mislukt (account-locked)")
    );
}

#[test]
fn the_locale_chooses_the_language_when_no_flag_does() {
    let file = labelled();
    let diagnose = ["diagnose", file.as_str(), "--request-id", LOCKED];
    let dutch = stdout(&diagnose, &[("LANG", "nl_NL.UTF-8")]);
    assert!(dutch.contains("Het account is vergrendeld"), "{dutch}");
    let explained = stdout(&["explain", "AADSTS50053"], &[("LANG", "nl_NL.UTF-8")]);
    assert!(
        explained.starts_with("AADSTS50053 (IdsLocked): een fout, categorie account\n"),
        "{explained}"
    );
    assert!(
        explained.contains("\nGebruikelijke oorzaken:\n"),
        "{explained}"
    );

    // LC_ALL comes before LANG; --lang before both; another language means English.
    let english = "The account is locked after too many wrong passwords";
    for (args, locale) in [
        (
            &diagnose[..],
            vec![("LC_ALL", "en_GB.UTF-8"), ("LANG", "nl_NL.UTF-8")],
        ),
        (
            &diagnose[..],
            vec![("LC_MESSAGES", "nl_BE"), ("LANG", "en_US")],
        ),
        (
            &[&diagnose[..], &["--lang", "en"]].concat()[..],
            vec![("LANG", "nl_NL.UTF-8")],
        ),
        (&diagnose[..], vec![("LANG", "de_DE.UTF-8")]),
        (&diagnose[..], vec![]),
    ] {
        let text = stdout(args, &locale);
        let want_dutch = locale
            .iter()
            .any(|(k, v)| *k == "LC_MESSAGES" && v.starts_with("nl"));
        assert_eq!(
            text.contains("Het account is vergrendeld"),
            want_dutch,
            "{locale:?}: {text}"
        );
        assert_eq!(text.contains(english), !want_dutch, "{locale:?}: {text}");
    }
}

#[test]
fn an_unknown_language_is_refused() {
    let out = run(&["explain", "50053", "--lang", "de"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang"));
}
