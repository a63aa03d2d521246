//! The words of the diagnosis, in every language Sign-in Doctor speaks.
//!
//! One TOML file per language beside this one (`en.toml`, `nl.toml`), compiled in and read once.
//! Tables nest into dotted keys (`[account-locked.spray]` + `headline` is
//! `account-locked.spray.headline`); values are text with `{name}` placeholders that [`tr`] fills
//! in. English is the reference: a key missing in another language falls back to it, and the
//! tests fail when the languages' keys or placeholders differ, or when the code asks for a key
//! English does not have.
//!
//! Rules write `t!(lang, "account-locked.spray.what", ip = ip)`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::{Display, Write as _};
use std::sync::LazyLock;

use crate::Lang;

/// A language's messages by key.
pub type Catalogue = HashMap<String, String>;

/// The catalogue file of a language.
pub(crate) fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("en.toml"),
        Lang::Nl => include_str!("nl.toml"),
    }
}

static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            parse(source(lang)).unwrap_or_else(|e| {
                panic!(
                    "messages/{}.toml is invalid (its test says why): {e}",
                    lang.tag()
                )
            })
        })
        .collect()
});

/// Every message of a language, by key.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    let i = Lang::ALL
        .iter()
        .position(|&l| l == lang)
        .expect("every language is in Lang::ALL");
    &CATALOGUES[i]
}

/// Reads a catalogue file: nested tables become dotted keys; every value must be text.
pub(crate) fn parse(text: &str) -> Result<Catalogue, String> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Catalogue) -> Result<(), String> {
        for (key, value) in table {
            let key = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::String(text) => {
                    out.insert(key, text.clone());
                }
                toml::Value::Table(inner) => walk(&key, inner, out)?,
                other => return Err(format!("{key} is a {}, not text", other.type_str())),
            }
        }
        Ok(())
    }
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Catalogue::new();
    walk("", &table, &mut out)?;
    Ok(out)
}

/// The template of a message: in `lang`, else in English, else the key itself (which the tests
/// make sure never happens).
pub fn text(lang: Lang, key: &str) -> &'static str {
    if let Some(text) = catalogue(lang).get(key) {
        return text;
    }
    match catalogue(Lang::En).get(key) {
        Some(text) => text,
        None => {
            debug_assert!(false, "no message {key}");
            ""
        }
    }
}

/// A message in `lang` with its placeholders filled in.
pub fn tr(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(text(lang, key), args)
}

/// Replaces each `{name}` in `template` by the value named in `args`; other braces stay.
pub(crate) fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| args.iter().find(|(name, _)| *name == &after[..close]))
            .map(|(name, value)| (name.len(), value));
        match value {
            Some((len, value)) => {
                let _ = write!(out, "{value}");
                rest = &after[len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a template uses.
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                names.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

/// `t!(lang, "key")` or `t!(lang, "key", name = value, …)`: a message with its placeholders
/// filled in (see [`tr`]).
macro_rules! t {
    ($lang:expr, $key:literal) => {
        $crate::diagnose::messages::tr($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::diagnose::messages::tr(
            $lang,
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}
pub(crate) use t;

#[cfg(test)]
mod tests;
