//! The words Sign-in Doctor shows people, in every language it speaks: the diagnosis, import
//! warnings, the explanations of Entra and Graph errors, the command line's own text and the
//! desktop app's error messages.
//!
//! One folder per language beside this file (`en/`, `nl/`) with one TOML file per part of the
//! product (`diagnose.toml`, `import.toml`, `live.toml`, `cli.toml`, `desktop.toml`), compiled in
//! and read once. Tables nest into dotted keys (`[account-locked.spray]` + `headline` is
//! `account-locked.spray.headline`); each file other than `diagnose.toml` keeps its keys under
//! its own top table (`[import]`, `[live]`, …). Values are text with `{name}` placeholders that
//! [`tr`] fills in. English is the reference: a key missing in another language falls back to
//! it, and the tests fail when the languages' keys or placeholders differ, when two files hold
//! the same key, or when the code asks for a key English does not have.
//!
//! Code inside this crate writes `t!(lang, "account-locked.spray.what", ip = ip)`; other crates
//! call [`tr`] (`tr(lang, "import.not-json", &[("detail", &e)])`).

use std::collections::{BTreeSet, HashMap};
use std::fmt::{Display, Write as _};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::Lang;

/// A language's messages by key.
pub type Catalogue = HashMap<String, String>;

/// The catalogue files of a language, each with its name for error messages.
pub(crate) fn sources(lang: Lang) -> [(&'static str, &'static str); 5] {
    macro_rules! files {
        ($dir:literal) => {
            [
                (
                    "diagnose.toml",
                    include_str!(concat!($dir, "/diagnose.toml")),
                ),
                ("import.toml", include_str!(concat!($dir, "/import.toml"))),
                ("live.toml", include_str!(concat!($dir, "/live.toml"))),
                ("cli.toml", include_str!(concat!($dir, "/cli.toml"))),
                ("desktop.toml", include_str!(concat!($dir, "/desktop.toml"))),
            ]
        };
    }
    match lang {
        Lang::En => files!("en"),
        Lang::Nl => files!("nl"),
    }
}

/// Every file of a language read into one catalogue; a key in two files is an error.
pub(crate) fn load(lang: Lang) -> Result<Catalogue, String> {
    let mut all = Catalogue::new();
    for (name, text) in sources(lang) {
        for (key, value) in parse(text).map_err(|e| format!("{}/{name}: {e}", lang.tag()))? {
            if all.insert(key.clone(), value).is_some() {
                return Err(format!(
                    "{}/{name}: {key} is also in another file",
                    lang.tag()
                ));
            }
        }
    }
    Ok(all)
}

static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            load(lang).unwrap_or_else(|e| {
                panic!("the message catalogue is invalid (its test says why): {e}")
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

/// A message to be said later, in whichever language is asked for then: a catalogue key and the
/// values its placeholders name. Errors and warnings carry one instead of finished text, so the
/// same workspace, error or warning reads in English or Dutch as the person has chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The catalogue key; empty for finished text kept as it is (see [`Message::verbatim`]).
    pub key: String,
    pub args: Vec<(String, Arg)>,
}

/// A value a [`Message`] names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arg {
    /// Shown as it is (a line number, a field's name, an address, a parser's own words).
    Text(String),
    /// Another message, said in the same language ("a number", or a whole error).
    Message(Box<Message>),
}

impl Message {
    pub fn new(key: &str) -> Self {
        Message {
            key: key.to_owned(),
            args: Vec::new(),
        }
    }

    /// Names a value shown as it is.
    pub fn with(mut self, name: &str, value: impl Display) -> Self {
        self.args
            .push((name.to_owned(), Arg::Text(value.to_string())));
        self
    }

    /// Names a value that is itself a message of the catalogue, without values of its own.
    pub fn with_message(self, name: &str, key: &str) -> Self {
        self.with_nested(name, Message::new(key))
    }

    /// Names a value that is itself a message.
    pub fn with_nested(mut self, name: &str, message: Message) -> Self {
        self.args
            .push((name.to_owned(), Arg::Message(Box::new(message))));
        self
    }

    /// Finished text that is shown as it is in every language: words from elsewhere (Microsoft's
    /// own error text, an operating system's), or text recorded before messages were kept by key.
    pub fn verbatim(text: impl Into<String>) -> Self {
        Message {
            key: String::new(),
            args: vec![(String::new(), Arg::Text(text.into()))],
        }
    }

    /// Whether this is finished text (see [`Message::verbatim`]).
    pub fn is_verbatim(&self) -> bool {
        self.key.is_empty()
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Message(message) => message.text(lang),
                };
                (name.as_str(), value)
            })
            .collect();
        if self.is_verbatim() {
            return values.into_iter().map(|(_, v)| v).collect();
        }
        let args: Vec<(&str, &dyn Display)> = values
            .iter()
            .map(|(name, value)| (*name, value as &dyn Display))
            .collect();
        tr(lang, &self.key, &args)
    }
}

/// English, for logs and `Display` of errors; people see [`Message::text`] in their language.
impl Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
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
        $crate::messages::tr($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::messages::tr(
            $lang,
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}
pub(crate) use t;

#[cfg(test)]
mod tests;
