use std::collections::BTreeSet;
use std::path::Path;

use serde_json::json;

use super::*;
use crate::diagnose::test_support::{check_in, event};

#[test]
fn every_catalogue_reads() {
    for lang in Lang::ALL {
        let catalogue = load(lang).unwrap_or_else(|e| panic!("{e}"));
        for (name, text) in sources(lang) {
            assert!(
                parse(text).unwrap().len() > 5,
                "{}/{name} has its messages",
                lang.tag()
            );
        }
        for (key, text) in &catalogue {
            assert!(
                !text.trim().is_empty(),
                "{}.toml: {key} is empty",
                lang.tag()
            );
        }
    }
}

#[test]
fn every_language_has_every_key_and_no_other() {
    let english: BTreeSet<&String> = catalogue(Lang::En).keys().collect();
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let keys: BTreeSet<&String> = catalogue(lang).keys().collect();
        for key in english.difference(&keys) {
            problems.push(format!("{}.toml lacks {key}", lang.tag()));
        }
        for key in keys.difference(&english) {
            problems.push(format!(
                "{}.toml has {key}, which en.toml does not",
                lang.tag()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_language_uses_the_same_placeholders() {
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        for (key, text) in catalogue(lang) {
            let Some(english) = catalogue(Lang::En).get(key) else {
                continue;
            };
            let (want, got) = (placeholders(english), placeholders(text));
            if want != got {
                problems.push(format!(
                    "{}.toml: {key} uses {got:?}, en.toml {want:?}",
                    lang.tag()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A Dutch text that is the English one copied is a translation nobody wrote. Texts without
/// words of their own (only placeholders and signs) and names that are the same in both
/// languages are the exceptions, listed here.
#[test]
fn dutch_is_written_not_copied() {
    const SAME_IN_BOTH: &[&str] = &["import.byte.true-false", "live.entra.with-code"];
    let word = regex_lite::Regex::new(r"[A-Za-z]{4,}").unwrap();
    let placeholder = regex_lite::Regex::new(r"\{[a-z_]+\}").unwrap();
    let english = catalogue(Lang::En);
    let mut copied: Vec<&String> = catalogue(Lang::Nl)
        .iter()
        .filter(|(key, text)| {
            english.get(*key) == Some(*text)
                && word.is_match(&placeholder.replace_all(text, ""))
                && !SAME_IN_BOTH.contains(&key.as_str())
        })
        .map(|(key, _)| key)
        .collect();
    copied.sort();
    assert!(copied.is_empty(), "copied from English: {copied:?}");
}

#[test]
fn a_key_in_two_files_is_refused() {
    let first = parse("[import]\nempty = \"x\"").unwrap();
    let second = parse("import.empty = \"y\"").unwrap();
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for lang in Lang::ALL {
        let merged: usize = sources(lang)
            .iter()
            .map(|(_, t)| parse(t).unwrap().len())
            .sum();
        assert_eq!(
            merged,
            catalogue(lang).len(),
            "no key of {} is in two files",
            lang.tag()
        );
    }
}

/// Every message key the code names exists in English, so nothing can show a bare key: the
/// diagnosis' `t!(lang, "key")`, the `tr(lang, "key")` and `label(lang, "key")` of other
/// crates, and every text literal that starts with a section of the catalogue (`"import.…"`,
/// `"live.…"`, `"cli.…"`, `"desktop.…"`).
#[test]
fn every_key_the_code_asks_for_exists() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let roots = [
        crates.join("signin-core/src"),
        crates.join("signin-live/src"),
        crates.join("signin-doctor/src"),
        crates.join("signin-store/src"),
        crates.join("../src-tauri/src"),
    ];
    let call = regex_lite::Regex::new(
        r#"(?:\bt!\(\s*[a-z_]+,|\b(?:label|tr)\(\s*[a-z_][a-z_.()]*,)\s*"([^"]+)""#,
    )
    .unwrap();
    let section =
        regex_lite::Regex::new(r#""((?:import|live|cli|desktop)\.[a-z0-9.-]+)""#).unwrap();
    let mut files = Vec::new();
    let mut dirs: Vec<_> = roots.to_vec();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // This module's own examples name made-up keys.
                if !path.ends_with("messages") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let keys = call
            .captures_iter(&text)
            .chain(section.captures_iter(&text));
        for c in keys {
            let key = c[1].to_owned();
            if !catalogue(Lang::En).contains_key(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
            used.insert(key);
        }
    }
    assert!(
        used.len() > 250,
        "the scan finds the messages ({})",
        used.len()
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn placeholders_are_filled_and_other_braces_kept() {
    assert_eq!(
        fill("{n} from {ip} ({n})", &[("n", &3), ("ip", &"192.0.2.1")]),
        "3 from 192.0.2.1 (3)"
    );
    assert_eq!(fill("{unknown} and {", &[("n", &1)]), "{unknown} and {");
    assert_eq!(
        placeholders("a {b} {c_d} {not a name} {"),
        BTreeSet::from(["b", "c_d"])
    );
}

#[test]
fn a_lockout_reads_dutch_in_dutch_and_as_before_in_english() {
    let locked = json!({"status": {"errorCode": 50053, "failureReason": "Account is locked because user tried to sign in too many times with an incorrect user ID or password."}});
    let en = check_in(Lang::En, locked.clone(), &[], &[]);
    let nl = check_in(Lang::Nl, locked, &[], &[]);
    assert_eq!(
        en.headline,
        "The account is locked after too many wrong passwords"
    );
    assert_eq!(
        nl.headline,
        "Het account is vergrendeld na te veel foute wachtwoorden"
    );
    assert_eq!(
        nl.what_happened,
        "Slimme vergrendeling heeft het account tijdelijk vergrendeld na herhaalde foute wachtwoorden."
    );
    assert_eq!(
        nl.actions[0].text,
        "Wacht een paar minuten en probeer het opnieuw met het juiste wachtwoord"
    );
    // The same facts, the same ids; only the words people read change.
    assert_eq!((nl.scenario, nl.verdict), (en.scenario, en.verdict));
    let fields = |d: &crate::diagnose::Diagnosis| -> Vec<String> {
        d.evidence.iter().map(|e| e.field.clone()).collect()
    };
    assert_eq!(
        fields(&en),
        [
            "status.errorCode",
            "status.failureReason",
            "ipAddress",
            "lockouts around this time",
            "accounts failing from this address"
        ]
    );
    assert_eq!(
        fields(&nl),
        [
            "status.errorCode",
            "status.failureReason",
            "ipAddress",
            "vergrendelingen rond dit tijdstip",
            "accounts die vanaf dit adres mislukken"
        ]
    );
    assert!(
        nl.ticket
            .starts_with("Aanmeldingsprobleem: Het account is vergrendeld"),
        "{}",
        nl.ticket
    );
    assert!(nl.ticket.contains("Oordeel: mislukt (account-locked)\n"));
    assert!(en.ticket.contains("Verdict: failure (account-locked)\n"));
    let labels: Vec<&str> = nl.links.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "De gebruiker in het Microsoft Entra-beheercentrum",
            "De bedrijfstoepassing",
            "Pagina van Microsoft over AADSTS50053"
        ]
    );
}

#[test]
fn patterns_and_placeholders_read_dutch() {
    let device = json!({"deviceId": "d-1"});
    let others: Vec<_> = (2..5)
        .map(|i| {
            event(json!({"id": format!("r{i}"), "status": {"errorCode": 50126}, "deviceDetail": device.clone(), "ipAddress": "192.0.2.1"}))
        })
        .collect();
    let d = check_in(
        Lang::Nl,
        json!({"status": {"errorCode": 50126}, "ipAddress": "192.0.2.1", "deviceDetail": device}),
        &[],
        &others,
    );
    assert_eq!(d.scenario, "invalid-credentials");
    assert_eq!(
        d.headline,
        "Een oud wachtwoord opgeslagen in Microsoft Teams"
    );
    assert_eq!(
        d.what_happened,
        "Microsoft Teams op 192.0.2.1 mislukte 4 keer met een fout wachtwoord: een telefoon, e-mailapp of script gebruikt nog een oud wachtwoord."
    );
    assert_eq!(
        crate::diagnose::test_support::pattern(&d, "repeated-failures"),
        "Deze gebruiker kon zich in de 48 uur rond deze aanmelding 4 keer niet aanmelden (4 vanuit deze toepassing, 4 vanaf dit adres, 4 vanaf dit apparaat)."
    );
}

#[test]
fn a_conditional_access_block_and_an_unknown_code_read_dutch() {
    let blocked = json!({"status": {"errorCode": 53003},
        "appliedConditionalAccessPolicies": [{"id": "p-1", "displayName": "Block outside NL", "result": "failure", "enforcedGrantControls": ["Block"], "conditionsSatisfied": "location"}]});
    let d = check_in(Lang::Nl, blocked, &[], &[]);
    assert_eq!(d.scenario, "ca-block");
    assert_eq!(
        d.headline,
        "Geblokkeerd door voorwaardelijke toegang: \"Block outside NL\""
    );
    assert_eq!(
        d.what_happened,
        "Het beleid \"Block outside NL\" heeft deze aanmelding geblokkeerd. Het beleid was van toepassing omdat aan deze voorwaarden was voldaan: location."
    );
    assert!(
        d.links
            .iter()
            .any(|l| l.label == "Beleid voor voorwaardelijke toegang \"Block outside NL\"")
    );
    let d = check_in(
        Lang::Nl,
        json!({"status": {"errorCode": 1234567}}),
        &[],
        &[],
    );
    assert_eq!(d.scenario, "error-code-insight");
    assert_eq!(
        d.what_happened,
        "Sign-in Doctor heeft nog geen uitleg voor code 1234567. De eigen woorden van Entra: er is niets gelogd"
    );
}

/// A code the AADSTS catalogue explains reaches the diagnosis in the diagnosis' language.
#[test]
fn the_catalogue_fallback_explains_in_the_diagnosis_language() {
    let code = json!({"status": {"errorCode": 90025}});
    let en = check_in(Lang::En, code.clone(), &[], &[]);
    let nl = check_in(Lang::Nl, code, &[], &[]);
    assert_eq!(en.scenario, "error-code-insight");
    let english = crate::aadsts::lookup_in(90025, Lang::En).unwrap();
    let dutch = crate::aadsts::lookup_in(90025, Lang::Nl).unwrap();
    assert_eq!(en.what_happened, english.meaning);
    assert_eq!(nl.what_happened, dutch.meaning);
}
