use super::*;
use serde_json::json;

fn event(id: &str, at: &str, upn: &str, name: &str, app: &str, code: i64) -> SignInEvent {
    serde_json::from_value(json!({
        "id": id,
        "createdDateTime": at,
        "userPrincipalName": upn,
        "userDisplayName": name,
        "userId": format!("oid-{id}"),
        "appDisplayName": app,
        "appId": format!("app-{app}"),
        "correlationId": format!("corr-{id}"),
        "status": {"errorCode": code}
    }))
    .unwrap()
}

fn sample() -> Vec<SignInEvent> {
    vec![
        event(
            "1",
            "2026-11-18T08:00:00Z",
            "megan.bowen@contoso.com",
            "Megan Bowen",
            "Office 365 Exchange Online",
            50126,
        ),
        event(
            "2",
            "2026-11-19T09:00:00Z",
            "megan.bowen@contoso.com",
            "Megan Bowen",
            "Microsoft Teams",
            0,
        ),
        event(
            "3",
            "2026-11-20T10:00:00Z",
            "alex.wilber@contoso.com",
            "Alex Wilber",
            "Microsoft Teams",
            50074,
        ),
        event(
            "4",
            "2026-11-20T11:00:00Z",
            "Émile.dupont@contoso.com",
            "Émile Dupont",
            "Azure Portal",
            53003,
        ),
    ]
}

fn ids(criteria: &Criteria) -> Vec<String> {
    let events = sample();
    let mut found: Vec<&SignInEvent> = events.iter().filter(|e| criteria.matches(e)).collect();
    found.sort_by(|a, b| newest_first_order(a, b));
    found.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn empty_criteria_find_everything_newest_first() {
    assert_eq!(ids(&Criteria::default()), ["4", "3", "2", "1"]);
}

#[test]
fn user_matches_upn_or_display_name_exact_or_prefix_ignoring_case() {
    let by = |q: &str| {
        ids(&Criteria {
            user: Some(q.into()),
            ..Criteria::default()
        })
    };
    assert_eq!(by("MEGAN"), ["2", "1"]);
    assert_eq!(by("Megan Bowen"), ["2", "1"]);
    assert_eq!(by("megan.bowen@contoso.com"), ["2", "1"]);
    assert_eq!(by("oid-3"), ["3"]);
    assert_eq!(by("émile"), ["4"]);
    assert_eq!(
        by("bowen"),
        Vec::<String>::new(),
        "a middle fragment is not a prefix"
    );
    assert_eq!(
        by("  "),
        ["4", "3", "2", "1"],
        "a blank term is no criterion"
    );
}

#[test]
fn app_matches_name_or_app_id() {
    let by = |q: &str| {
        ids(&Criteria {
            app: Some(q.into()),
            ..Criteria::default()
        })
    };
    assert_eq!(by("microsoft teams"), ["3", "2"]);
    assert_eq!(by("Office"), ["1"]);
    assert_eq!(by("app-Azure Portal"), ["4"]);
}

#[test]
fn time_window_is_inclusive_and_around_means_plus_or_minus_24_hours() {
    let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let window = Criteria {
        from: Some(t("2026-11-19T09:00:00Z")),
        to: Some(t("2026-11-20T10:00:00Z")),
        ..Criteria::default()
    };
    assert_eq!(ids(&window), ["3", "2"]);
    // 24 hours either side of 08:00 on the 19th: 08:00 on the 18th is in (inclusive),
    // 10:00 on the 20th is out.
    let around = Criteria::default().around(t("2026-11-19T08:00:00Z"));
    assert_eq!(ids(&around), ["2", "1"]);
}

#[test]
fn ids_and_status_narrow_to_the_event() {
    assert_eq!(
        ids(&Criteria {
            request_id: Some("3".into()),
            ..Criteria::default()
        }),
        ["3"]
    );
    assert_eq!(
        ids(&Criteria {
            correlation_id: Some("CORR-1".into()),
            ..Criteria::default()
        }),
        ["1"]
    );
    assert_eq!(
        ids(&Criteria {
            any_id: Some("corr-2".into()),
            ..Criteria::default()
        }),
        ["2"]
    );
    assert_eq!(
        ids(&Criteria {
            any_id: Some("4".into()),
            ..Criteria::default()
        }),
        ["4"]
    );
    let status = |o| {
        ids(&Criteria {
            outcome: Some(o),
            ..Criteria::default()
        })
    };
    assert_eq!(status(Outcome::Failure), ["4", "1"]);
    assert_eq!(status(Outcome::Interrupted), ["3"]);
    assert_eq!(status(Outcome::Success), ["2"]);
}
