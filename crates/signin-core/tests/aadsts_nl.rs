//! The Dutch AADSTS catalogue keeps step with the English one: the same codes in the same order,
//! the same name, category and interrupt flag, and Dutch text for every explanation.
#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use std::collections::BTreeSet;

const ENGLISH: &str = include_str!("../src/aadsts/catalog.toml");
const DUTCH: &str = include_str!("../src/aadsts/catalog.nl.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    code: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: u32,
    name: String,
    category: String,
    interrupt: bool,
    meaning: String,
    causes: Vec<String>,
    user: Vec<String>,
    admin: Vec<String>,
    developer: Vec<String>,
}

impl Entry {
    fn fixes(&self) -> impl Iterator<Item = &String> {
        self.user.iter().chain(&self.admin).chain(&self.developer)
    }
}

fn parse(text: &str, file: &str) -> Vec<Entry> {
    match toml::from_str::<Catalog>(text) {
        Ok(catalog) => catalog.code,
        Err(e) => panic!("{file} does not parse: {e}"),
    }
}

fn both() -> (Vec<Entry>, Vec<Entry>) {
    (
        parse(ENGLISH, "catalog.toml"),
        parse(DUTCH, "catalog.nl.toml"),
    )
}

#[test]
fn dutch_has_exactly_the_english_codes_in_the_same_order() {
    let (en, nl) = both();
    let en_codes: Vec<u32> = en.iter().map(|e| e.code).collect();
    let nl_codes: Vec<u32> = nl.iter().map(|e| e.code).collect();
    let missing: Vec<u32> = en_codes
        .iter()
        .filter(|c| !nl_codes.contains(c))
        .copied()
        .collect();
    let extra: Vec<u32> = nl_codes
        .iter()
        .filter(|c| !en_codes.contains(c))
        .copied()
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a Dutch entry: {missing:?}"
    );
    assert!(extra.is_empty(), "Dutch codes not in English: {extra:?}");
    assert_eq!(nl_codes, en_codes, "the same order as catalog.toml");
}

#[test]
fn names_categories_and_interrupts_are_copied_unchanged() {
    let (en, nl) = both();
    for (e, n) in en.iter().zip(&nl) {
        assert_eq!(n.name, e.name, "{}: name", e.code);
        assert_eq!(n.category, e.category, "{}: category", e.code);
        assert_eq!(n.interrupt, e.interrupt, "{}: interrupt", e.code);
    }
}

#[test]
fn every_dutch_entry_explains_and_offers_a_fix() {
    let (_, nl) = both();
    let unique: BTreeSet<u32> = nl.iter().map(|n| n.code).collect();
    assert_eq!(unique.len(), nl.len(), "codes are unique");
    for n in &nl {
        assert!(!n.meaning.trim().is_empty(), "{} has a meaning", n.code);
        assert!(!n.causes.is_empty(), "{} has causes", n.code);
        assert!(n.fixes().next().is_some(), "{} has a fix", n.code);
        for text in n.causes.iter().chain(n.fixes()) {
            assert!(!text.trim().is_empty(), "{} has an empty item", n.code);
        }
    }
}

/// Common Dutch words that English text does not use.
const DUTCH_WORDS: &[&str] = &[
    "de", "het", "een", "niet", "van", "geen", "werd", "kon", "moet", "wordt", "voor", "dat",
    "zijn", "bij", "naar", "er", "te", "uit",
];

fn reads_as_dutch(text: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .any(|w| DUTCH_WORDS.contains(&w))
}

#[test]
fn the_dutch_text_is_not_the_english_text_copied() {
    let (en, nl) = both();
    for (e, n) in en.iter().zip(&nl) {
        assert_ne!(n.meaning, e.meaning, "{}: meaning is still English", e.code);
        assert!(
            reads_as_dutch(&n.meaning),
            "{}: meaning does not read as Dutch: {}",
            n.code,
            n.meaning
        );
        let english: Vec<&String> = e.causes.iter().chain(e.fixes()).collect();
        for text in n.causes.iter().chain(n.fixes()) {
            assert!(
                !english.contains(&text),
                "{}: {text:?} is copied from English",
                n.code
            );
        }
    }
    // The heuristic itself tells the languages apart.
    assert!(en.iter().all(|e| !reads_as_dutch(&e.meaning)));
}
