use super::{IdSet, LineMerge, LineReader, Picked, Want};
use crate::Lang;
use crate::import::{Item, read_stream};
use crate::search::Criteria;

/// The demo as the portal writes it (`[`, one record per line), plus NDJSON-style extras.
fn file() -> String {
    let demo = crate::demo::generate(&crate::demo::DemoOptions::default());
    let mut lines: Vec<&str> = demo.lines().collect();
    let last = lines.pop().unwrap();
    assert_eq!(last.trim(), "]");
    let mut text = lines.join("\n");
    // A repeat of the first record's request ID in other case, which must lose, a record the
    // quick look cannot vouch for (a key repeated with different values: read in full, with a
    // warning), and a broken record (a warning; the rest still counts).
    let first = lines[1].trim_end_matches(',');
    let id = super::super::glance::glance(first.as_bytes())
        .unwrap()
        .id
        .to_owned();
    text.push_str(",\n");
    text.push_str(&first.replace(&id, &id.to_uppercase()).replacen(
        "\"status\":{",
        "\"status\":{\"errorCode\":1,\"failureReason\":null},\"x\":{",
        1,
    ));
    text.push_str(",\n");
    text.push_str(&first.replacen(&id, "dup-key-record", 1).replacen(
        "{\"id\"",
        "{\"ipAddress\":\"a\",\"ipAddress\":\"b\",\"id\"",
        1,
    ));
    // The first record again under another request ID, its correlation ID's first character
    // written as an escape: a search for that ID must find it, though the ID's text is not
    // in the line as such.
    let correlation = first_correlation_id(&text);
    let escaped = format!("\\u{:04x}{}", correlation.as_bytes()[0], &correlation[1..]);
    text.push_str(",\n");
    text.push_str(&first.replacen(&id, "escaped-correlation", 1).replacen(
        &correlation,
        &escaped,
        1,
    ));
    // And again with the correlation ID in capitals, which a search ignoring case finds.
    text.push_str(",\n");
    text.push_str(&first.replacen(&id, "upper-correlation", 1).replacen(
        &correlation,
        &correlation.to_uppercase(),
        1,
    ));
    text.push_str(",\n{\"id\":\"broken\",\"createdDateTime\":\"not a time\"}\n]\n");
    text
}

/// The correlation ID of the file's first record.
fn first_correlation_id(text: &str) -> String {
    let first = text.lines().nth(1).unwrap().trim_end_matches(',');
    super::super::glance::glance(first.as_bytes())
        .unwrap()
        .correlation_id
        .unwrap()
        .to_owned()
}

/// Request ID, record, line and offset of each record handed over; and the warnings.
type Answer = (Vec<(String, u64, u64, u64)>, Vec<String>);

/// What the ordinary reading gives: first-seen records meeting the criteria, and warnings.
fn ordinary(text: &str, criteria: &Criteria) -> Answer {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let summary = read_stream(text.as_bytes(), "f.json", &mut |item| {
        if let Item::SignIn(r) = item
            && seen.insert(r.event.id.trim().to_lowercase())
            && criteria.matches(&r.event)
        {
            out.push((
                r.event.id.clone(),
                r.position.record,
                r.position.line,
                r.position.offset,
            ));
        }
    })
    .unwrap();
    (
        out,
        summary
            .warnings
            .into_iter()
            .map(|w| w.message(Lang::En))
            .collect(),
    )
}

/// The line reading, with the text cut into pieces of at most `cut` bytes of whole lines.
fn by_lines(text: &str, criteria: &Criteria, cut: usize) -> Answer {
    let reader = LineReader::new(criteria, Want::Records);
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = (start + cut).min(bytes.len());
        if end < bytes.len() {
            end = start
                + bytes[start..end]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(end - start, |i| i + 1);
        }
        let piece = reader.read(&bytes[start..end], start as u64);
        assert_eq!(piece.irregular, None);
        pieces.push(piece);
        start = end;
    }
    let mut merge = LineMerge::new(&reader);
    let mut out = Vec::new();
    let earlier = IdSet::default();
    for piece in pieces {
        merge.add(piece, &earlier, &mut |p| {
            if let Picked::Record(r) = p {
                out.push((
                    r.event.id.clone(),
                    r.position.record,
                    r.position.line,
                    r.position.offset,
                ));
            }
        });
    }
    let warnings = merge.finish(&mut IdSet::default());
    (
        out,
        warnings.into_iter().map(|w| w.message(Lang::En)).collect(),
    )
}

#[test]
fn reading_by_lines_in_any_pieces_answers_as_the_ordinary_reading() {
    let text = file();
    let correlation = first_correlation_id(&text);
    for criteria in [
        // An ID: a word of common bytes (digits, dashes), in other case than the file's.
        Criteria {
            correlation_id: Some(correlation.to_uppercase()),
            ..Criteria::default()
        },
        Criteria {
            any_id: Some(correlation.clone()),
            ..Criteria::default()
        },
        Criteria::default(),
        Criteria {
            user: Some("HUGO".into()),
            ..Criteria::default()
        },
        Criteria {
            user: Some("hugo.visser@harborpine.example".into()),
            ..Criteria::default()
        },
        Criteria {
            app: Some("outlook".into()),
            outcome: Some(crate::Outcome::Failure),
            ..Criteria::default()
        },
        Criteria {
            user: Some("nobody-at-all".into()),
            ..Criteria::default()
        },
    ] {
        let (expected, expected_warnings) = ordinary(&text, &criteria);
        for cut in [usize::MAX, 100_000, 7_000] {
            let (got, warnings) = by_lines(&text, &criteria, cut);
            assert_eq!(got, expected, "{criteria:?} in pieces of {cut}");
            if criteria.prefilter().words().is_empty() {
                // Every record is read, so every problem is reported, where the ordinary
                // reading reports it.
                assert_eq!(warnings, expected_warnings, "{criteria:?}");
            }
        }
    }
    let by_correlation = Criteria {
        correlation_id: Some(correlation.clone()),
        ..Criteria::default()
    };
    let (found, _) = ordinary(&text, &by_correlation);
    // The first record, its copy with a repeated key, and its copies with the escape and in
    // capitals.
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found.iter().any(|r| r.0 == "escaped-correlation"));
    assert!(found.iter().any(|r| r.0 == "upper-correlation"));
    let (all, warnings) = ordinary(&text, &Criteria::default());
    assert!(all.iter().any(|r| r.0 == "dup-key-record"));
    assert!(!all.iter().any(|r| r.0 == "broken"));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn a_file_not_one_record_per_line_is_told() {
    let all = Criteria::default();
    let reader = LineReader::new(&all, Want::Codes);
    for text in [
        "[\n  {\n    \"id\": \"a\"\n  }\n]\n",
        "[{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T10:00:00Z\"},{\"id\":\"b\",\"createdDateTime\":\"2026-11-20T10:00:00Z\"}]\n",
        "{\"value\":[\n",
        // Not JSON: the ordinary reading may join it with the next line.
        "{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T10:00:00Z\",\"x\":{}\n",
    ] {
        assert!(
            reader.read(text.as_bytes(), 0).irregular.is_some(),
            "{text}"
        );
    }
    // Text that is not UTF-8, which the ordinary reading decodes with replacements.
    let latin1 = b"{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T10:00:00Z\",\"userDisplayName\":\"Zo\xEB\"}\n";
    assert!(reader.read(latin1, 0).irregular.is_some());
    let ndjson = "{\"id\":\"a\",\"createdDateTime\":\"2026-11-20T10:00:00Z\"}\r\n\r\n{\"id\":\"b\",\"createdDateTime\":\"2026-11-20T10:00:00Z\"}";
    let piece = reader.read(ndjson.as_bytes(), 0);
    assert_eq!(piece.irregular, None);
    assert_eq!(piece.keys.len(), 2);
}

#[test]
fn counts_take_each_request_id_once() {
    let text = file();
    let all = Criteria::default();
    let reader = LineReader::new(&all, Want::Codes);
    let mut merge = LineMerge::new(&reader);
    let mut got = std::collections::BTreeMap::new();
    merge.add(
        reader.read(text.as_bytes(), 0),
        &IdSet::default(),
        &mut |p| {
            if let Picked::Code(c) = p {
                *got.entry(c).or_insert(0u64) += 1;
            }
        },
    );
    let mut expected = std::collections::BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    read_stream(text.as_bytes(), "f.json", &mut |item| {
        if let Item::SignIn(r) = item
            && seen.insert(r.event.id.trim().to_lowercase())
            && r.event.error_code() != 0
        {
            *expected.entry(r.event.error_code()).or_insert(0u64) += 1;
        }
    })
    .unwrap();
    assert_eq!(got, expected);
    assert!(!got.contains_key(&1), "the repeat in other case lost");
}

#[test]
fn request_id_keys_ignore_case_and_keep_ids_apart() {
    use super::id_key;
    let guid = "6cfbff64-786a-4b5b-af8e-412046468957";
    assert_eq!(id_key(guid), id_key(&guid.to_uppercase()));
    assert_eq!(id_key(" abc "), id_key("ABC"));
    assert_ne!(id_key("abc"), id_key("abd"));
    assert_ne!(id_key(guid), id_key("6cfbff64-786a-4b5b-af8e-412046468958"));
}

#[test]
fn every_place_a_word_stands_is_a_candidate_wherever_the_text_ends() {
    // A UPN and a GUID (found by the vectorised pair search: their `@`, `.` and digits are
    // not letters) and a name (letters only: found byte by byte), in other case than asked,
    // at every place in texts of every length up to past the search's widest step.
    for (word, vectorised) in [
        ("pat.odonnell@contoso.com", true),
        ("c1ad19f3-2cf4-4f99-8f2a-bf73b95d501d", true),
        ("hugo", false),
    ] {
        let criteria = Criteria {
            user: Some(word.to_uppercase()),
            ..Criteria::default()
        };
        let reader = LineReader::new(&criteria, Want::Records);
        let anchor = reader.anchor.as_ref().unwrap();
        if cfg!(any(target_arch = "x86_64", target_arch = "aarch64")) {
            assert_eq!(anchor.search.is_some(), vectorised, "{word}");
        }
        for len in word.len()..word.len() + 80 {
            for at in 0..=len - word.len() {
                let mut text = vec![b'x'; len];
                text[at..at + word.len()].copy_from_slice(word.as_bytes());
                let mut marks = super::Marks::default();
                super::marks(&text, Some(anchor), &mut marks);
                assert!(
                    marks
                        .candidates
                        .iter()
                        .any(|&c| c == at + anchor.first && reader.holds_word(&text, c)),
                    "{word} at {at} of {len}: {:?}",
                    marks.candidates
                );
            }
        }
    }
}
