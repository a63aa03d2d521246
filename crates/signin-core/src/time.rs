//! Timestamps as they appear in sign-in data and in what people type.
//!
//! Graph writes RFC 3339 in UTC (`2021-06-30T16:34:32Z`), Azure Monitor adds 7-digit fractions and
//! offsets (`2023-01-01T10:00:00.1234567-05:00`), and people type `2026-11-20 09:30`. All of them
//! become a [`DateTime<Utc>`]. A time without a zone is taken as UTC, which is what every sign-in
//! export uses.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses a sign-in timestamp. Returns `None` when the text is not a time we understand.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    // RFC 3339 with a space instead of `T`, or a lower-case `z`.
    let normalised = text.replacen(' ', "T", 1).replace('z', "Z");
    if let Ok(t) = DateTime::parse_from_rfc3339(&normalised) {
        return Some(t.with_timezone(&Utc));
    }
    const NAIVE: [&str; 3] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ];
    NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&normalised, f).ok())
        .or_else(|| locale_timestamp(text))
        .map(|naive| Utc.from_utc_datetime(&naive))
}

/// Dates as English-language exports and Excel write them: `4/28/2021, 2:08:45.221 PM` (Log
/// Analytics), `3/12/2025 7:22:01 AM` (the portal's CSV), `28/04/2021 14:08` (re-saved in a
/// day-first locale). Month first unless the first number cannot be a month.
fn locale_timestamp(text: &str) -> Option<NaiveDateTime> {
    const MONTH_FIRST: [&str; 5] = [
        "%m/%d/%Y %I:%M:%S%.f %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S%.f",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
    ];
    const DAY_FIRST: [&str; 5] = [
        "%d/%m/%Y %I:%M:%S%.f %p",
        "%d/%m/%Y %I:%M %p",
        "%d/%m/%Y %H:%M:%S%.f",
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y",
    ];
    if !text.contains('/') {
        return None;
    }
    let cleaned = text.trim().replace(", ", " ");
    let parse = |formats: &[&str]| {
        formats.iter().find_map(|f| {
            NaiveDateTime::parse_from_str(&cleaned, f).ok().or_else(|| {
                NaiveDate::parse_from_str(&cleaned, f)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
        })
    };
    parse(&MONTH_FIRST).or_else(|| parse(&DAY_FIRST))
}

/// A time typed by a person on the command line or in the search form: a full timestamp, or a
/// bare date meaning the start of that day (UTC).
pub fn parse_user_time(text: &str) -> Option<DateTime<Utc>> {
    parse_timestamp(text).or_else(|| {
        let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
        Some(Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0)?))
    })
}

/// Whether the text is a bare date (`2026-11-20`), so an upper bound can mean "end of that day".
pub fn is_bare_date(text: &str) -> bool {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn reads_the_forms_found_in_exports() {
        assert_eq!(
            parse_timestamp("2021-06-30T16:34:32Z"),
            Some(utc("2021-06-30T16:34:32Z"))
        );
        assert_eq!(
            parse_timestamp("2023-01-01T10:00:00.1234567-05:00"),
            Some(utc("2023-01-01T15:00:00.1234567Z"))
        );
        assert_eq!(
            parse_timestamp("2021-06-30 16:34:32"),
            Some(utc("2021-06-30T16:34:32Z"))
        );
        assert_eq!(
            parse_timestamp("2021-06-30T16:34"),
            Some(utc("2021-06-30T16:34:00Z"))
        );
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(
            parse_timestamp("4/28/2021, 2:08:45.221 PM"),
            Some(utc("2021-04-28T14:08:45.221Z"))
        );
        assert_eq!(
            parse_timestamp("3/12/2025 7:22:01 AM"),
            Some(utc("2025-03-12T07:22:01Z"))
        );
        assert_eq!(
            parse_timestamp("28/04/2021 14:08"),
            Some(utc("2021-04-28T14:08:00Z"))
        );
        assert_eq!(
            parse_timestamp("12/31/2025"),
            Some(utc("2025-12-31T00:00:00Z"))
        );
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn a_bare_date_is_the_start_of_that_day() {
        assert_eq!(
            parse_user_time("2026-11-20"),
            Some(utc("2026-11-20T00:00:00Z"))
        );
        assert!(is_bare_date("2026-11-20"));
        assert!(!is_bare_date("2026-11-20T10:00:00Z"));
        assert_eq!(
            parse_user_time("20/11/2026"),
            Some(utc("2026-11-20T00:00:00Z"))
        );
        assert_eq!(parse_user_time("next week"), None);
    }
}
