//! Import warnings in the reader's language.
//!
//! A warning keeps what went wrong as a [`Message`] of the catalogue's `import` section, not as
//! finished text: the same workspace shows its warnings in English or in Dutch, whichever the
//! person has chosen when they read them. Details that come from a parser (serde's "invalid
//! type: …", the CSV reader's own words) are carried as they are.

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::messages::{Message, tr};

/// A record, or part of one, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWarning {
    /// 1-based record number, when the problem belongs to a record.
    pub record: Option<u64>,
    /// 1-based line in the file.
    pub line: u64,
    /// What went wrong.
    pub problem: Message,
}

impl ImportWarning {
    /// The warning in words, starting with its position: "record 12 (line 13): not valid
    /// JSON: …" or "line 4: …". Text recorded whole (by older workspaces) is shown as it is.
    pub fn message(&self, lang: Lang) -> String {
        let problem = self.problem.text(lang);
        if self.problem.is_verbatim() {
            return problem;
        }
        match self.record {
            Some(record) => tr(
                lang,
                "import.at-record",
                &[
                    ("record", &record),
                    ("line", &self.line),
                    ("problem", &problem),
                ],
            ),
            None => tr(
                lang,
                "import.at-line",
                &[("line", &self.line), ("problem", &problem)],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_reads_in_each_language_with_its_position() {
        let warning = ImportWarning {
            record: Some(12),
            line: 13,
            problem: Message::new("import.not-json").with("detail", "EOF while parsing"),
        };
        assert_eq!(
            warning.message(Lang::En),
            "record 12 (line 13): not valid JSON: EOF while parsing"
        );
        assert_eq!(
            warning.message(Lang::Nl),
            "record 12 (regel 13): geen geldige JSON: EOF while parsing"
        );
        let between = ImportWarning {
            record: None,
            line: 4,
            problem: Message::new("import.unexpected-between")
                .with_message("what", "import.byte.number"),
        };
        assert_eq!(
            between.message(Lang::En),
            "line 4: found a number between records; skipped to the next line"
        );
        assert_eq!(
            between.message(Lang::Nl),
            "regel 4: een getal gevonden tussen twee records; verder gelezen op de volgende regel"
        );
    }

    #[test]
    fn every_format_has_a_name_in_every_language() {
        use crate::import::SourceFormat;
        for format in SourceFormat::ALL {
            assert_eq!(format.name_in(Lang::En), format.display_name());
            let dutch = format.name_in(Lang::Nl);
            assert!(
                !dutch.is_empty() && dutch != format.display_name(),
                "{dutch}"
            );
        }
        assert_eq!(
            SourceFormat::Ndjson.name_in(Lang::Nl),
            "NDJSON (één aanmelding per regel)"
        );
    }

    #[test]
    fn a_warning_kept_as_text_reads_as_it_was_recorded_and_survives_storage() {
        let old = ImportWarning {
            record: Some(3),
            line: 4,
            problem: Message::verbatim("record 3 (line 4): not valid JSON"),
        };
        assert_eq!(old.message(Lang::Nl), "record 3 (line 4): not valid JSON");
        let stored = serde_json::to_string(&old).unwrap();
        assert_eq!(serde_json::from_str::<ImportWarning>(&stored).unwrap(), old);
    }
}
