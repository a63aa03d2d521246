//! The languages Sign-in Doctor speaks. Callers pick one (from a setting, a `--lang` flag or
//! the system's locale, all read outside this crate) and pass it in; nothing here looks at the
//! environment.

use serde::{Deserialize, Serialize};

/// A language of the diagnosis texts, the AADSTS explanations and the reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    /// The language's tag: `en`, `nl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The language of a BCP 47 tag or POSIX locale (`nl`, `nl-BE`, `nl_NL.UTF-8`, `EN_us`),
    /// or `None` when Sign-in Doctor does not speak it. `C` and `POSIX` mean English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "c" | "posix" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn tags_and_locales_name_a_language() {
        assert_eq!(Lang::from_tag("nl"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("nl_NL.UTF-8"), Some(Lang::Nl));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de-DE"), None);
        assert_eq!(Lang::from_tag(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
