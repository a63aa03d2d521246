use super::*;
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
