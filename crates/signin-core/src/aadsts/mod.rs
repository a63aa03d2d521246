//! The AADSTS error code catalogue, and reading codes and IDs out of pasted text.
//!
//! The catalogue is `catalog.toml` beside this file: data an admin can review, compiled in.
//! Other languages sit beside it (`catalog.nl.toml`): the same `[[code]]` tables with the texts
//! (`meaning`, `causes`, `user`, `admin`, `developer`) translated. A code or a field a language
//! does not have yet is shown in English, so a partial translation works.
//! [`lookup_in`] finds a code in a language ([`lookup`]: in English); [`search_in`] finds codes
//! by words ("reply url", "consent");
//! [`parse_pasted`] pulls the code, request ID, correlation ID and time out of whatever a user
//! pasted: `AADSTS50126`, `50126`, an error page's troubleshooting block or an app's JSON error.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// One error code, explained. Serialises to the JSON the CLI prints and the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CodeInfo {
    pub code: u32,
    /// Microsoft's symbolic name; empty when the public table has none.
    pub name: String,
    pub category: String,
    /// A normal step of a sign-in that usually resolves by itself.
    pub interrupt: bool,
    pub meaning: String,
    pub causes: Vec<String>,
    pub user: Vec<String>,
    pub admin: Vec<String>,
    pub developer: Vec<String>,
}

impl CodeInfo {
    /// Microsoft's page for the code.
    pub fn link(&self) -> String {
        link(self.code)
    }
}

/// Microsoft's page for any code.
pub fn link(code: u32) -> String {
    format!("https://login.microsoftonline.com/error?code={code}")
}

#[derive(Deserialize)]
struct Catalog {
    code: Vec<CodeInfo>,
}

/// A translated entry: the code and whichever texts the language has. `name`, `category` and
/// `interrupt` always come from the English catalogue, so they are ignored here.
#[derive(Deserialize)]
pub(crate) struct Translation {
    pub(crate) code: u32,
    pub(crate) meaning: Option<String>,
    pub(crate) causes: Option<Vec<String>>,
    pub(crate) user: Option<Vec<String>>,
    pub(crate) admin: Option<Vec<String>>,
    pub(crate) developer: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(crate) struct Translations {
    #[serde(default)]
    pub(crate) code: Vec<Translation>,
}

/// The translation file of a language; `None` for English, which is `catalog.toml` itself.
pub(crate) fn translation_source(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Nl => Some(include_str!("catalog.nl.toml")),
    }
}

static CATALOG: LazyLock<Vec<CodeInfo>> = LazyLock::new(|| {
    let mut catalog: Catalog = toml::from_str(include_str!("catalog.toml"))
        .expect("catalog.toml is valid (checked by its test)");
    catalog.code.sort_by_key(|c| c.code);
    catalog.code
});

static TRANSLATED: LazyLock<Vec<Vec<CodeInfo>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| match translation_source(lang) {
            None => CATALOG.clone(),
            Some(text) => {
                let translations: Translations = toml::from_str(text).unwrap_or_else(|e| {
                    panic!(
                        "catalog.{}.toml is invalid (checked by its test): {e}",
                        lang.tag()
                    )
                });
                translate(&CATALOG, translations)
            }
        })
        .collect()
});

/// The English entries with each translated text laid over its code's; codes and fields the
/// translation lacks stay English.
pub(crate) fn translate(english: &[CodeInfo], translations: Translations) -> Vec<CodeInfo> {
    let mut by_code: std::collections::HashMap<u32, Translation> =
        translations.code.into_iter().map(|t| (t.code, t)).collect();
    english
        .iter()
        .map(|entry| {
            let mut entry = entry.clone();
            if let Some(t) = by_code.remove(&entry.code) {
                let text = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
                let list = |l: Option<Vec<String>>| l.filter(|l| !l.is_empty());
                if let Some(meaning) = text(t.meaning) {
                    entry.meaning = meaning;
                }
                if let Some(causes) = list(t.causes) {
                    entry.causes = causes;
                }
                if let Some(user) = list(t.user) {
                    entry.user = user;
                }
                if let Some(admin) = list(t.admin) {
                    entry.admin = admin;
                }
                if let Some(developer) = list(t.developer) {
                    entry.developer = developer;
                }
            }
            entry
        })
        .collect()
}

fn catalog(lang: Lang) -> &'static [CodeInfo] {
    let i = Lang::ALL
        .iter()
        .position(|&l| l == lang)
        .expect("every language is in Lang::ALL");
    &TRANSLATED[i]
}

/// Every code in the catalogue, in numeric order, in English.
pub fn all() -> &'static [CodeInfo] {
    &CATALOG
}

/// Every code in the catalogue, in numeric order, explained in `lang` where translated.
pub fn all_in(lang: Lang) -> &'static [CodeInfo] {
    catalog(lang)
}

/// The entry for a code, in English.
pub fn lookup(code: u32) -> Option<&'static CodeInfo> {
    lookup_in(code, Lang::En)
}

/// The entry for a code, explained in `lang` (English for what is not translated yet).
pub fn lookup_in(code: u32, lang: Lang) -> Option<&'static CodeInfo> {
    let catalog = catalog(lang);
    catalog
        .binary_search_by_key(&code, |c| c.code)
        .ok()
        .map(|i| &catalog[i])
}

/// [`search_in`] English.
pub fn search(query: &str) -> Vec<&'static CodeInfo> {
    search_in(query, Lang::En)
}

/// Entries, in `lang`, whose name, meaning or causes contain every word of `query` (any case),
/// best first: matches in the name and meaning rank above matches in causes and fixes. In a
/// translated language the English texts count too (as causes and fixes do), because admins
/// often paste Entra's English error text.
pub fn search_in(query: &str, lang: Lang) -> Vec<&'static CodeInfo> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &CodeInfo)> = catalog(lang)
        .iter()
        .zip(CATALOG.iter())
        .filter_map(|(c, english)| {
            let head = format!("{} {} {}", c.name, split_camel(&c.name), c.meaning).to_lowercase();
            let mut body = [
                c.causes.join(" "),
                c.user.join(" "),
                c.admin.join(" "),
                c.developer.join(" "),
                c.category.clone(),
            ]
            .join(" ");
            if lang != Lang::En {
                for text in [&english.meaning]
                    .into_iter()
                    .chain(&english.causes)
                    .chain(&english.user)
                    .chain(&english.admin)
                    .chain(&english.developer)
                {
                    body.push(' ');
                    body.push_str(text);
                }
            }
            let body = body.to_lowercase();
            let mut score = 0;
            for w in &words {
                if head.contains(w.as_str()) {
                    score += 2;
                } else if body.contains(w.as_str()) {
                    score += 1;
                } else {
                    return None;
                }
            }
            Some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.cmp(&b.1.code)));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// `InvalidReplyTo` → `invalid reply to`, so that "reply url" style searches find names.
fn split_camel(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if i > 0 && ch.is_uppercase() {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// What was found in pasted text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pasted {
    /// The first AADSTS code mentioned.
    pub code: Option<u32>,
    /// The request ID (error pages call it "Request Id"; apps `trace_id`).
    pub request_id: Option<String>,
    pub correlation_id: Option<String>,
    /// When the error happened, as the page or app wrote it.
    pub timestamp: Option<DateTime<Utc>>,
}

const GUID: &str = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/// Pulls the code and IDs out of an error message, a troubleshooting block or a JSON error
/// body. A bare number is taken as a code.
pub fn parse_pasted(text: &str) -> Pasted {
    static CODE: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(?i)AADSTS\s*(\d{4,7})|error_codes\W+(\d{4,7})|(?:error code|code)\W{0,5}(\d{4,7})\b",
        )
        .expect("valid pattern")
    });
    static REQUEST: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        regex_lite::Regex::new(&format!(
            r"(?i)(?:request[ _-]?id|trace[ _-]?id)\W{{0,5}}({GUID})"
        ))
        .expect("valid pattern")
    });
    static CORRELATION: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        regex_lite::Regex::new(&format!(r"(?i)correlation[ _-]?id\W{{0,5}}({GUID})"))
            .expect("valid pattern")
    });
    static TIME: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        regex_lite::Regex::new(
            r"(?i)(?:timestamp|time)\W{0,5}(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)",
        )
        .expect("valid pattern")
    });
    let trimmed = text.trim();
    let code = if let Ok(n) = trimmed.parse::<u32>() {
        Some(n)
    } else {
        CODE.captures(text).and_then(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .and_then(|m| m.as_str().parse().ok())
        })
    };
    let first = |re: &regex_lite::Regex| {
        re.captures(text)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_lowercase())
    };
    Pasted {
        code,
        request_id: first(&REQUEST),
        correlation_id: first(&CORRELATION),
        timestamp: TIME
            .captures(text)
            .and_then(|c| c.get(1))
            .and_then(|m| crate::time::parse_timestamp(m.as_str())),
    }
}

#[cfg(test)]
mod tests;
