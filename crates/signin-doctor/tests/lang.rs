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

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

const DUTCH: &[(&str, &str)] = &[("LANG", "nl_NL.UTF-8")];

#[test]
fn search_speaks_dutch_in_its_table_and_when_nothing_matches() {
    let file = labelled();
    let search = ["search", file.as_str(), "--user", "user34@", "--limit", "1"];
    let dutch = stdout(&search, DUTCH);
    let lines: Vec<&str> = dutch.lines().collect();
    assert_eq!(
        lines[0],
        "TIJD (UTC)           GEBRUIKER               TOEPASSING       RESULTAAT  FOUTCODE  LOCATIE        IP-ADRES      AANVRAAG-ID",
        "{dutch}"
    );
    // The values start under their headings, however long a Dutch heading is.
    let row = lines[1];
    for (heading, value) in [
        ("GEBRUIKER", "user34@contoso.example"),
        ("RESULTAAT", "mislukt"),
        ("FOUTCODE", "50126"),
        ("AANVRAAG-ID", "5c000034-0000-4000-8000-000000000034"),
    ] {
        assert_eq!(
            lines[0].find(heading),
            row.find(value),
            "{heading}:\n{dutch}"
        );
    }
    assert_eq!(
        lines[3], "1 aanmelding gevonden, nieuwste eerst.",
        "{dutch}"
    );

    let english = stdout(&search, &[]);
    let lines: Vec<&str> = english.lines().collect();
    assert_eq!(
        lines[0],
        "TIME (UTC)           USER                    APPLICATION      STATUS   CODE   LOCATION       IP ADDRESS    REQUEST ID",
        "{english}"
    );
    assert!(lines[1].contains("  failure  50126  "), "{english}");
    assert_eq!(lines[3], "1 sign-in found, newest first.", "{english}");

    let none = ["search", file.as_str(), "--user", "nobody-at-all"];
    assert_eq!(
        stdout(&none, &[]),
        "No sign-ins match. Widen the time window or check the spelling.\n"
    );
    assert_eq!(
        stdout(&[&none[..], &["--lang", "nl"]].concat(), &[]),
        "Geen passende aanmeldingen. Probeer een ruimer tijdvenster of controleer de spelling.\n"
    );
}

#[test]
fn import_summarises_and_warns_in_dutch() {
    let damaged = fixture("json/ndjson-damaged.ndjson");
    let dutch = stdout(&["import", &damaged, "--lang", "nl"], &[]);
    assert_eq!(
        dutch,
        format!(
            "{damaged}\n  indeling:       NDJSON (één aanmelding per regel)\n  aanmeldingen:   4\n  waarschuwingen: 1\n    - record 3 (regel 3): een tekstwaarde wordt op regel 3 niet gesloten; verder gelezen bij het volgende record\n"
        )
    );
    let english = stdout(&["import", &damaged], &[]);
    assert_eq!(
        english,
        format!(
            "{damaged}\n  format:   NDJSON (one sign-in per line)\n  records:  4\n  warnings: 1\n    - record 3 (line 3): a text value is not closed on line 3; skipped to the next record\n"
        )
    );

    // The JSON keeps its field names and ids; the words for people follow the language.
    let doc: Value = serde_json::from_str(&stdout(&["import", &damaged, "--json"], DUTCH)).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["format"], "ndjson");
    assert_eq!(file["warnings"][0]["line"], 3);
    assert_eq!(
        file["warnings"][0]["message"],
        "record 3 (regel 3): een tekstwaarde wordt op regel 3 niet gesloten; verder gelezen bij het volgende record"
    );

    // Searching or counting a damaged file notes it on standard error, in the same language.
    for command in ["search", "stats"] {
        let out = run(&[command, &damaged], DUTCH);
        assert!(out.status.success());
        assert_eq!(
            text(out.stderr),
            format!(
                "signin-doctor: let op: {damaged}: 1 probleem bij het lezen; voer `signin-doctor import {damaged}` uit voor de details\n"
            ),
            "{command}"
        );
        let out = run(&[command, &damaged], &[]);
        assert_eq!(
            text(out.stderr),
            format!(
                "signin-doctor: note: {damaged}: 1 problem while reading; run `signin-doctor import {damaged}` for details\n"
            ),
            "{command}"
        );
    }
}

#[test]
fn show_labels_every_detail_in_dutch() {
    let sample = fixture("samples/graph/beta-signin-list-example-1.json");
    let show = [
        "show",
        sample.as_str(),
        "--request-id",
        "1691d37b-8579-43a7-966a-0f35583c1300",
    ];
    let dutch = stdout(&show, DUTCH);
    assert!(
        dutch
            .starts_with("Aanmelding 1691d37b-8579-43a7-966a-0f35583c1300  MISLUKT  AADSTS50126\n"),
        "{dutch}"
    );
    for part in [
        "\nBasisinformatie\n  Datum (UTC)             2021-06-30T16:34:32Z\n  Aanvraag-id             1691d37b-8579-43a7-966a-0f35583c1300\n  Correlatie-id           5d295068-919b-4017-85d8-44be2f5f5483\n",
        "\n  Resultaat               mislukt\n  Foutcode van aanmelding 50126\n",
        "\nLocatie\n  IP-adres                131.107.159.37\n",
        "\nApparaatgegevens\n  Besturingssysteem       Windows 10\n  Webbrowser              Edge 91.0.864\n  Compatibel              Nee\n  Beheerd                 Nee\n",
        "\nVerificatiedetails\n  Vereiste: singleFactorAuthentication\n  - Password (Primary authentication) mislukt: ",
        "\nVoorwaardelijke toegang: notApplied\n",
        "\nAanvullende details\n  User-agent              Mozilla/5.0",
        "\n  Latentie                761 ms\n",
        "\nBron: ",
        " (record 1, regel 4)\n",
    ] {
        assert!(dutch.contains(part), "{part:?} in\n{dutch}");
    }
    for english in [
        "Basic info",
        "Date (UTC)",
        "Device info",
        "Compliant",
        " No\n",
    ] {
        assert!(!dutch.contains(english), "{english:?} in\n{dutch}");
    }

    let english = stdout(&show, &[]);
    for part in [
        "Sign-in 1691d37b-8579-43a7-966a-0f35583c1300  FAILURE  AADSTS50126\n",
        "\nBasic info\n  Date (UTC)              2021-06-30T16:34:32Z\n",
        "\n  Status                  failure\n  Sign-in error code      50126\n",
        "\n  Compliant               No\n  Managed                 No\n",
        "\n  - Password (Primary authentication) failed: ",
        "\nConditional Access: notApplied\n",
        "\n  Authentication protocol oAuth2\n",
        "\nSource: ",
    ] {
        assert!(english.contains(part), "{part:?} in\n{english}");
    }
}

#[test]
fn errors_are_said_in_dutch() {
    let file = labelled();
    let cases: [(&[&str], i32, &str, &str); 4] = [
        (
            &["search", "/no/such/file.json"],
            2,
            "signin-doctor: kan /no/such/file.json niet openen: ",
            "signin-doctor: cannot open /no/such/file.json: ",
        ),
        (
            &["search", &file, "--from", "vorige dinsdag"],
            2,
            "signin-doctor: --from: \"vorige dinsdag\" is geen tijdstip; gebruik bijvoorbeeld 2026-11-20, 2026-11-20T08:30 of 2026-11-20T08:30:00Z\n",
            "signin-doctor: --from: \"vorige dinsdag\" is not a time; use e.g. 2026-11-20, 2026-11-20T08:30 or 2026-11-20T08:30:00Z\n",
        ),
        (
            &["show", &file, "--request-id", "nope"],
            1,
            "signin-doctor: geen aanmelding met aanvraag-id nope in de opgegeven bestanden\n",
            "signin-doctor: no sign-in with request ID nope in the given files\n",
        ),
        (
            &["import", &fixture("samples/SOURCES.md")],
            2,
            "SOURCES.md: onbekende indeling: het bestand begint met \"# Where the real sample files come from\"; ondersteund zijn ",
            "SOURCES.md: unrecognised format: the file starts with \"# Where the real sample files come from\"; supported formats are ",
        ),
    ];
    for (args, code, dutch, english) in cases {
        for (locale, want) in [(DUTCH, dutch), (&[][..], english)] {
            let out = run(args, locale);
            assert_eq!(out.status.code(), Some(code), "{args:?}");
            let said = text(out.stderr);
            assert_eq!(said.lines().count(), 1, "{said}");
            assert!(said.contains(want), "{args:?} {locale:?}: {said}");
        }
    }
}

#[test]
fn live_commands_without_a_sign_in_say_so_in_dutch() {
    // No profile was ever saved: nothing reaches the network or the keyring.
    let data = tempfile::tempdir().unwrap();
    let live = |args: &[&str], locale: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_signin-doctor"));
        command
            .args(args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env("SIGNIN_DOCTOR_DATA_DIR", data.path())
            .envs(locale.iter().copied());
        command.output().unwrap()
    };
    let out = live(&["fetch"], DUTCH);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(out.stderr),
        "signin-doctor: niet aangemeld; voer eerst `signin-doctor login` uit\n"
    );
    let out = live(&["fetch"], &[]);
    assert_eq!(
        text(out.stderr),
        "signin-doctor: not signed in; run `signin-doctor login` first\n"
    );

    let out = live(&["logout", "--profile", "Contoso", "--lang", "nl"], &[]);
    assert_eq!(
        text(out.stderr),
        "signin-doctor: er is geen profiel met de naam \"Contoso\"\n"
    );

    let out = live(&["profiles"], DUTCH);
    assert_eq!(
        text(out.stdout),
        "Nog geen profielen. Meld u aan met `signin-doctor login`.\n"
    );
    let out = live(&["profiles"], &[]);
    assert_eq!(
        text(out.stdout),
        "No profiles yet. Sign in with `signin-doctor login`.\n"
    );
}

#[test]
fn a_report_says_in_dutch_what_it_wrote() {
    let file = labelled();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lockout.html");
    let args = [
        "report",
        file.as_str(),
        "--request-id",
        LOCKED,
        "--format",
        "html",
        "--redact",
        "-o",
        out.to_str().unwrap(),
    ];
    assert_eq!(
        stdout(&args, DUTCH),
        format!(
            "{} geschreven (een diagnose en 1 aanmelding, geanonimiseerd)\n",
            out.display()
        )
    );
    assert_eq!(
        stdout(&args, &[]),
        format!(
            "wrote {} (a diagnosis and 1 sign-in, redacted)\n",
            out.display()
        )
    );
}
