use super::*;
use crate::Lang;
use std::collections::BTreeSet;

#[test]
fn the_catalogue_is_complete_where_it_must_be() {
    let codes: Vec<u32> = all().iter().map(|c| c.code).collect();
    let unique: BTreeSet<u32> = codes.iter().copied().collect();
    assert_eq!(unique.len(), codes.len(), "codes are unique");
    for c in all() {
        assert!(!c.meaning.trim().is_empty(), "{} has a meaning", c.code);
        assert!(!c.causes.is_empty(), "{} has causes", c.code);
        assert!(
            !(c.user.is_empty() && c.admin.is_empty() && c.developer.is_empty()),
            "{} has a fix",
            c.code
        );
        assert!(
            c.link().starts_with("https://"),
            "{} links over https",
            c.code
        );
        const CATEGORIES: &[&str] = &[
            "credentials",
            "mfa",
            "conditional-access",
            "device",
            "account",
            "app-config",
            "consent",
            "federation",
            "pta",
            "seamless-sso",
            "session",
            "b2b",
            "risk",
            "tenant",
            "transient",
            "flow",
        ];
        assert!(
            CATEGORIES.contains(&c.category.as_str()),
            "{} has a known category: {}",
            c.code,
            c.category
        );
    }
    // The codes common in logs that Microsoft's table lacks.
    for code in [500121, 90025, 70046, 530002, 530003, 50203, 500341] {
        assert!(lookup(code).is_some(), "{code} is explained");
    }
}

#[test]
fn interrupts_agree_with_the_portal_status() {
    for c in all() {
        if c.interrupt {
            assert_eq!(
                crate::Outcome::of_error_code(c.code.into()),
                crate::Outcome::Interrupted,
                "{}",
                c.code
            );
        }
    }
}

#[test]
fn keywords_find_codes() {
    let reply: Vec<u32> = search("reply url").iter().map(|c| c.code).collect();
    assert_eq!(reply.first(), Some(&50011), "{reply:?}");
    let consent: Vec<u32> = search("consent").iter().map(|c| c.code).collect();
    for code in [65001, 90094, 90095] {
        assert!(consent.contains(&code), "{consent:?}");
    }
    assert!(search("").is_empty());
    assert!(search("zebra crossing").is_empty());
}

#[test]
fn pasted_text_gives_up_its_code_and_ids() {
    assert_eq!(parse_pasted("AADSTS50126").code, Some(50126));
    assert_eq!(parse_pasted(" 50126 ").code, Some(50126));
    let page = "Sign in\nSorry, but we're having trouble signing you in.\n\
        AADSTS53003: Access has been blocked by Conditional Access policies.\n\
        Troubleshooting details\nApp name: Microsoft Teams\n\
        Request Id: 1691D37B-8579-43A7-966A-0F35583C1300\n\
        Correlation Id: 5d295068-919b-4017-85d8-44be2f5f5483\n\
        Timestamp: 2026-11-20T08:15:02Z\nMessage: ...";
    let p = parse_pasted(page);
    assert_eq!(p.code, Some(53003));
    assert_eq!(
        p.request_id.as_deref(),
        Some("1691d37b-8579-43a7-966a-0f35583c1300")
    );
    assert_eq!(
        p.correlation_id.as_deref(),
        Some("5d295068-919b-4017-85d8-44be2f5f5483")
    );
    assert_eq!(
        p.timestamp.map(|t| t.to_rfc3339()),
        Some("2026-11-20T08:15:02+00:00".to_string())
    );

    let json = r#"{"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: 0b4e9d1c-8a2f-4c3b-9e7d-112233445566\r\nCorrelation ID: aa11bb22-cc33-4d44-8e55-ff6677889900\r\nTimestamp: 2026-11-20 08:15:02Z","error_codes":[50126],"timestamp":"2026-11-20 08:15:02Z","trace_id":"0b4e9d1c-8a2f-4c3b-9e7d-112233445566","correlation_id":"aa11bb22-cc33-4d44-8e55-ff6677889900"}"#;
    let p = parse_pasted(json);
    assert_eq!(p.code, Some(50126));
    assert_eq!(
        p.request_id.as_deref(),
        Some("0b4e9d1c-8a2f-4c3b-9e7d-112233445566")
    );
    assert_eq!(
        p.correlation_id.as_deref(),
        Some("aa11bb22-cc33-4d44-8e55-ff6677889900")
    );
    assert!(p.timestamp.is_some());
    assert_eq!(parse_pasted("no code here"), Pasted::default());
}

/// Every code of Microsoft's public reference table (MicrosoftDocs/entra-docs,
/// docs/identity-platform/reference-error-codes.md @ 04f65548622d) has an entry.
#[test]
fn the_whole_public_table_is_explained() {
    #[rustfmt::skip]
    const TABLE: &[u32] = &[
        16000, 16001, 16002, 16003, 17003, 20001, 20012, 20033, 28002, 28003, 40008, 40009, 40010,
        40015, 50000, 50001, 50002, 50003, 50005, 50006, 50007, 50008, 50010, 50011, 50012, 50013,
        50014, 50015, 50017, 50020, 50027, 50029, 50032, 50033, 50034, 50042, 50043, 50048, 50049,
        50050, 50053, 50055, 50056, 50057, 50058, 50059, 50061, 50064, 50068, 50070, 50071, 50072,
        50074, 50076, 50078, 50079, 50085, 50086, 50087, 50088, 50089, 50097, 50099, 50105, 50107,
        50120, 50124, 50125, 50126, 50127, 50128, 50129, 50131, 50132, 50133, 50134, 50135, 50136,
        50139, 50140, 50143, 50144, 50146, 50147, 50155, 50158, 50161, 50166, 50168, 50169, 50170,
        50173, 50177, 50178, 50180, 50187, 50192, 50194, 50196, 50197, 50199, 51000, 51001, 51004,
        51005, 51006, 52004, 53000, 53001, 53002, 53003, 53004, 53010, 53011, 54000, 54005, 65001,
        65002, 65004, 65005, 67003, 70000, 70001, 70002, 70003, 70004, 70005, 70007, 70008, 70011,
        70012, 70016, 70018, 70019, 70043, 75001, 75003, 75005, 75008, 75011, 75016, 76021, 76026,
        80001, 80002, 80005, 80007, 80010, 80012, 80013, 80014, 81004, 81005, 81006, 81007, 81009,
        81010, 81011, 81012, 90002, 90004, 90005, 90006, 90007, 90008, 90009, 90010, 90012, 90013,
        90014, 90015, 90016, 90019, 90020, 90022, 90023, 90024, 90027, 90033, 90036, 90038, 90043,
        90051, 90055, 90056, 90072, 90081, 90082, 90084, 90085, 90086, 90087, 90090, 90091, 90092,
        90093, 90094, 90095, 90099, 90100, 90101, 90102, 90107, 90114, 90117, 90119, 90120, 90121,
        90123, 90124, 90125, 90126, 90130, 100007, 120000, 120002, 120003, 120004, 120005, 120008,
        120011, 120012, 120013, 120014, 120015, 120016, 120018, 120020, 120021, 130004, 130005,
        130006, 130007, 130008, 135010, 135011, 140000, 140001, 160021, 165004, 165900, 220450,
        220501, 221000, 230109, 240001, 240002, 500011, 500021, 500022, 500133, 500208, 500212,
        500213, 501241, 501461, 501481, 501491, 501621, 530032, 530034, 530035, 650052, 650054,
        650056, 650057, 700005, 700011, 700016, 700020, 700022, 700023, 700025, 700027, 700030,
        700054, 700082, 700084, 700229, 750054, 900144, 900236, 900382, 900384, 900432, 900561,
        900971, 901002, 1000000, 1000002, 1000031, 1000104, 5000819, 7000112, 7000114, 7000215,
        7000218, 7000222, 7500514, 7500529, 9001023, 9002313, 9002332, 9002341,
    ];
    let missing: Vec<u32> = TABLE
        .iter()
        .copied()
        .filter(|c| lookup(*c).is_none())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
    assert!(TABLE.len() >= 300);
}

#[test]
fn a_code_is_explained_in_the_chosen_language() {
    let english = lookup_in(50126, Lang::En).unwrap();
    assert_eq!(english, lookup(50126).unwrap());
    let dutch = lookup_in(50126, Lang::Nl).unwrap();
    assert_eq!(
        (dutch.code, &dutch.name, &dutch.category, dutch.interrupt),
        (
            english.code,
            &english.name,
            &english.category,
            english.interrupt
        ),
        "only the texts are translated"
    );
    assert_ne!(dutch.meaning, english.meaning);
    assert_eq!(all_in(Lang::Nl).len(), all().len());
    // Admins paste Entra's English text; a Dutch search still finds the code, in Dutch.
    let found = search_in("consent", Lang::Nl);
    let consent = found.iter().find(|c| c.code == 65001).unwrap();
    assert_eq!(consent.meaning, lookup_in(65001, Lang::Nl).unwrap().meaning);
}

#[test]
fn a_partial_translation_falls_back_to_english_per_code_and_field() {
    let translations: Translations = toml::from_str(
        r#"
        [[code]]
        code = 50126
        name = "InvalidUserNameOrPassword"
        meaning = "Verkeerde gebruikersnaam of wachtwoord."
        admin = ["Kijk waar de pogingen vandaan komen"]
        "#,
    )
    .unwrap();
    let translated = translate(all(), translations);
    let english = lookup(50126).unwrap();
    let entry = translated.iter().find(|c| c.code == 50126).unwrap();
    assert_eq!(entry.meaning, "Verkeerde gebruikersnaam of wachtwoord.");
    assert_eq!(entry.admin, ["Kijk waar de pogingen vandaan komen"]);
    assert_eq!(
        entry.causes, english.causes,
        "an untranslated field stays English"
    );
    let other = translated.iter().find(|c| c.code == 50053).unwrap();
    assert_eq!(
        other,
        lookup(50053).unwrap(),
        "an untranslated code stays English"
    );
    assert_eq!(translated.len(), all().len());
}
