//! Enums whose set of values Microsoft may grow.
//!
//! Graph marks many sign-in enums as *evolvable*: new members appear over time (for example
//! `reportOnlyInterrupted`), and exports spell known members in other cases (`Member` for
//! `member`). An importer that rejected an unknown member would drop a real sign-in, so every
//! such enum has an `Other(String)` variant that keeps the text exactly as it arrived.

/// Declares an evolvable enum: known members map to variants (matched case-insensitively), any
/// other text is kept in `Other`. Serialises back to Graph's spelling.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know yet, kept as it arrived.
            Other(String),
        }

        impl $name {
            /// Graph's spelling of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(text) => text,
                }
            }

            /// Maps text to a member, ignoring case; anything else becomes `Other`.
            pub fn from_text(text: &str) -> Self {
                $( if text.eq_ignore_ascii_case($text) { return Self::$variant; } )+
                Self::Other(text.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from_text(&text))
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    open_enum! {
        /// A test enum.
        pub enum Colour {
            Red => "red",
            DarkBlue => "darkBlue",
        }
    }

    #[test]
    fn known_members_match_ignoring_case_and_serialise_in_graph_spelling() {
        let parsed: Vec<Colour> = serde_json::from_str(r#"["red","DarkBlue","RED"]"#).unwrap();
        assert_eq!(parsed, vec![Colour::Red, Colour::DarkBlue, Colour::Red]);
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            r#"["red","darkBlue","red"]"#
        );
    }

    #[test]
    fn unknown_members_are_kept_verbatim() {
        let parsed: Colour = serde_json::from_str(r#""ultraViolet""#).unwrap();
        assert_eq!(parsed, Colour::Other("ultraViolet".into()));
        assert_eq!(serde_json::to_string(&parsed).unwrap(), r#""ultraViolet""#);
    }
}
