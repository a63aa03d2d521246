//! Every export format, read from files as admins have them.

use std::io::{Cursor, Write};

use signin_core::Lang;
use signin_core::{Dataset, ImportError, Outcome, SourceFormat, import_source, import_stream};

use crate::{fixture, import_named};

#[test]
fn the_portal_csv_reads_every_column_by_name() {
    let import = import_named("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv");
    assert_eq!(import.format, SourceFormat::PortalCsv);
    assert_eq!(import.records.len(), 3, "{:?}", import.warnings);
    let hugo = &import.records[0].event;
    assert_eq!(hugo.id, "a1f0c0de-0000-4000-8000-000000000101");
    assert_eq!(
        hugo.app_id.as_deref(),
        Some("d3590ed6-52b3-4102-aeff-aad2292ab01c"),
        "`Application ID ` with its trailing space"
    );
    assert_eq!(
        hugo.autonomous_system_number,
        Some(64499),
        "`Autonomous system  number` with two spaces"
    );
    assert_eq!(hugo.error_code(), 50126);
    assert_eq!(
        hugo.location_text().as_deref(),
        Some("Delft, Zuid-Holland, NL")
    );
    let device = hugo.device_detail.as_ref().unwrap();
    assert_eq!(
        (device.is_compliant, device.trust_type.as_deref()),
        (Some(true), Some("Azure AD registered"))
    );
    assert_eq!(hugo.processing_time_in_milliseconds, Some(386));
    assert_eq!(
        hugo.conditional_access_status.as_ref().map(|c| c.as_str()),
        Some("notApplied")
    );
    assert_eq!(
        hugo.authentication_requirement.as_ref().map(|c| c.as_str()),
        Some("singleFactorAuthentication")
    );
    assert_eq!(
        hugo.event_type().map(|t| t.as_str().to_owned()).as_deref(),
        Some("interactiveUser")
    );
    // The locale date, and the repeated column kept rather than dropped.
    let priya = &import.records[1].event;
    assert_eq!(
        priya.created_date_time.to_rfc3339(),
        "2026-11-20T08:45:10+00:00"
    );
    let ava = &import.records[2].event;
    assert_eq!(
        ava.incoming_token_type.as_deref(),
        Some("Primary Refresh Token")
    );
    assert_eq!(ava.extra["Incoming token type"], "refreshToken");
    // The row with an unreadable date is reported with its position.
    assert_eq!(import.warnings.len(), 1);
    assert_eq!(
        import.warnings[0].message(Lang::En),
        "record 3 (line 4): createdDateTime: \"yesterday\" is not a time"
    );
    // The raw record is the row, header by header.
    let raw: serde_json::Value = serde_json::from_str(&import.records[0].raw).unwrap();
    assert_eq!(
        raw["Application ID "],
        "d3590ed6-52b3-4102-aeff-aad2292ab01c"
    );
}

#[test]
fn the_four_portal_logs_form_one_timeline_with_their_type() {
    let mut dataset = Dataset::default();
    for file in [
        "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv",
        "csv/NonInteractiveSignIns_2026-11-19_2026-11-20.csv",
        "csv/ApplicationSignIns_2026-11-19_2026-11-20.csv",
        "csv/MSISignIns_2026-11-19_2026-11-20.csv",
    ] {
        dataset.add(file, import_named(file));
    }
    let types: Vec<String> = dataset
        .search(&Default::default())
        .iter()
        .map(|s| {
            s.event
                .event_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default()
        })
        .collect();
    for kind in [
        "interactiveUser",
        "nonInteractiveUser",
        "servicePrincipal",
        "managedIdentity",
    ] {
        assert!(
            types.iter().any(|t| t == kind),
            "{kind} missing from {types:?}"
        );
    }
    let sp = dataset.get("c3f0c0de-0000-4000-8000-000000000301").unwrap();
    assert_eq!(
        sp.event.service_principal_name.as_deref(),
        Some("Invoice Robot")
    );
    assert_eq!(sp.event.error_code(), 7000222);
    let msi = dataset.get("d4f0c0de-0000-4000-8000-000000000401").unwrap();
    assert_eq!(
        msi.event
            .managed_service_identity
            .as_ref()
            .unwrap()
            .msi_type
            .as_deref(),
        Some("systemAssigned")
    );
}

#[test]
fn the_auth_details_file_joins_its_steps_to_sign_ins_by_request_id_in_either_order() {
    for order in [[0, 1], [1, 0]] {
        let files = [
            "csv/InteractiveSignIns_2026-11-19_2026-11-20.csv",
            "csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
        ];
        let mut dataset = Dataset::default();
        for i in order {
            dataset.add(files[i], import_named(files[i]));
        }
        let priya = dataset.get("a1f0c0de-0000-4000-8000-000000000102").unwrap();
        let methods: Vec<_> = priya
            .event
            .authentication_details
            .iter()
            .map(|d| d.authentication_method.clone().unwrap())
            .collect();
        assert_eq!(methods, ["Password", "Previously satisfied"]);
        assert_eq!(priya.event.authentication_details[0].succeeded, Some(true));
    }
    let details = import_named("csv/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv");
    assert_eq!(
        (details.format, details.auth_steps.len()),
        (SourceFormat::PortalAuthDetailsCsv, 3)
    );
}

#[test]
fn older_and_localized_portal_csvs_import() {
    let older = import_named("csv/older-44-columns.csv");
    assert_eq!(
        (older.format, older.records.len()),
        (SourceFormat::PortalCsv, 2)
    );
    let french = import_named("csv/InteractiveSignIns_fr.csv");
    assert_eq!(french.records.len(), 1, "{:?}", french.warnings);
    let e = &french.records[0].event;
    assert_eq!(
        e.user_principal_name.as_deref(),
        Some("chloe.martin@harborpine.example")
    );
    assert_eq!(e.ip_address.as_deref(), Some("192.0.2.19"));
    assert_eq!(e.error_code(), 50126);
}

#[test]
fn utf16_csv_from_windows_powershell_imports_like_utf8() {
    let utf8 = std::fs::read_to_string(fixture("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv"))
        .unwrap();
    let utf16: Vec<u8> = utf8.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let import = import_stream(Cursor::new(utf16), "InteractiveSignIns_2026.csv").unwrap();
    assert_eq!(import.records.len(), 3);
    assert_eq!(
        import.records[0].event.user_display_name.as_deref(),
        Some("Hugo Visser")
    );
}

#[test]
fn the_real_log_analytics_export_imports_completely() {
    let import = import_named("samples/log-analytics/sign-in_adelete.csv");
    assert_eq!(import.format, SourceFormat::LogAnalyticsCsv);
    assert!(import.warnings.is_empty(), "{:?}", import.warnings);
    assert_eq!(import.records.len(), 56);
    let first = &import.records[0].event;
    assert_eq!(
        first.user_principal_name.as_deref(),
        Some("adelev@m365x816222.onmicrosoft.com")
    );
    assert_eq!(
        first.created_date_time.to_rfc3339(),
        "2021-04-28T14:08:45.221+00:00"
    );
    assert_eq!(
        first.location.as_ref().unwrap().city.as_deref(),
        Some("Azor")
    );
    assert_eq!(
        first.device_detail.as_ref().unwrap().browser.as_deref(),
        Some("Edge 90.0.818")
    );
    assert_eq!(
        first.applied_conditional_access_policies[0]
            .conditions_satisfied
            .as_deref(),
        Some("none")
    );
    assert_eq!(
        first.event_type().map(|t| t.as_str().to_owned()).as_deref(),
        Some("interactiveUser")
    );
    assert_eq!(first.extra["logAnalytics"]["Location"], "IL");
    let codes: std::collections::BTreeMap<i64, usize> =
        import.records.iter().fold(Default::default(), |mut m, r| {
            *m.entry(r.event.error_code()).or_default() += 1;
            m
        });
    assert_eq!(
        codes,
        [(0, 53), (16000, 2), (50058, 1)].into_iter().collect()
    );
}

#[test]
fn an_aggregated_query_result_is_refused_with_what_was_seen() {
    let file = std::fs::File::open(fixture("samples/log-analytics/signinLogs.csv")).unwrap();
    let err = import_stream(file, "signinLogs.csv").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "unrecognised format: the file starts with \"StartTime [UTC],EndTime [UTC],IPAddress"
        ),
        "{err}"
    );
}

#[test]
fn log_analytics_json_reads_nested_json_text_and_flags() {
    let import = import_named("json/log-analytics-export.json");
    assert_eq!(import.format, SourceFormat::LogAnalyticsJson);
    let e = &import.records[0].event;
    assert_eq!(e.error_code(), 50074);
    assert_eq!(e.outcome(), Outcome::Interrupted);
    assert_eq!(e.location_text().as_deref(), Some("Rotterdam, NL"));
    assert_eq!(
        e.applied_conditional_access_policies[0]
            .conditions_satisfied
            .as_deref(),
        Some("application,users")
    );
    assert_eq!(e.authentication_methods_used, ["Password"]);
    assert_eq!(
        e.event_type().map(|t| t.as_str().to_owned()).as_deref(),
        Some("nonInteractiveUser")
    );
}

#[test]
fn the_azure_monitor_schema_example_imports() {
    let import = import_named("samples/azure-monitor/sign-ins-log-schema-example.json");
    assert_eq!(import.format, SourceFormat::AzureMonitor);
    assert_eq!(import.records.len(), 1, "{:?}", import.warnings);
    let e = &import.records[0].event;
    assert_eq!(e.id, "0231f922-93fa-4005-bb11-b344eca03c01");
    assert_eq!(e.error_code(), 50140);
    assert_eq!(e.applied_conditional_access_policies.len(), 5);
    assert!(e.extra.contains_key("azureMonitor"), "the envelope is kept");
}

#[test]
fn azure_monitor_records_and_pt1h_lines_import_with_their_category() {
    let records = import_named("json/azure-monitor-records.json");
    assert_eq!(records.format, SourceFormat::AzureMonitor);
    assert_eq!(records.records.len(), 2);
    let spray = &records.records[0].event;
    assert_eq!(
        spray.created_date_time.to_rfc3339(),
        "2026-11-20T07:00:00.123456700+00:00",
        "-05:00 offset read"
    );
    assert_eq!(
        spray.applied_conditional_access_policies[0]
            .conditions_not_satisfied
            .as_deref(),
        Some("clientType")
    );
    assert_eq!(
        records.records[1]
            .event
            .event_type()
            .map(|t| t.as_str().to_owned())
            .as_deref(),
        Some("servicePrincipal")
    );
    let lines = import_named("json/PT1H.json");
    assert_eq!(
        (lines.format, lines.records.len()),
        (SourceFormat::AzureMonitor, 2)
    );
    assert_eq!(
        lines.records[1]
            .event
            .event_type()
            .map(|t| t.as_str().to_owned())
            .as_deref(),
        Some("managedIdentity")
    );
}

#[test]
fn graph_powershell_output_imports_from_both_powershell_versions() {
    let seven = import_named("json/powershell7-signins.json");
    assert_eq!(seven.format, SourceFormat::PowerShellJson);
    let e = &seven.records[0].event;
    assert_eq!(e.ip_address.as_deref(), Some("192.0.2.15"));
    assert_eq!(
        e.location.as_ref().unwrap().city.as_deref(),
        Some("Rotterdam")
    );
    assert_eq!(
        e.status.additional_details.as_deref(),
        Some("MFA requirement satisfied by claim in the token")
    );
    assert_eq!(
        e.authentication_requirement.as_ref().map(|r| r.as_str()),
        Some("multiFactorAuthentication"),
        "from AdditionalProperties"
    );
    assert_eq!(
        e.applied_conditional_access_policies[0]
            .conditions_satisfied
            .as_deref(),
        Some("application,users")
    );
    assert_eq!(
        e.session_id.as_deref(),
        Some("5e551011-0000-4000-8000-0000000000a1")
    );

    let five = import_named("json/powershell51-single.json");
    assert_eq!(
        (five.format, five.records.len()),
        (SourceFormat::PowerShellJson, 1)
    );
    let e = &five.records[0].event;
    assert_eq!(
        e.created_date_time.to_rfc3339(),
        "2026-11-15T10:50:00+00:00",
        "\\/Date(ms)\\/ read"
    );
    assert_eq!(
        e.ip_address.as_deref(),
        Some("198.51.100.77"),
        "IpAddress spelling"
    );
    assert_eq!(e.error_code(), 53003);
}

#[test]
fn zip_and_gzip_containers_are_opened() {
    let mut zip_bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(Cursor::new(&mut zip_bytes));
        let options = zip::write::SimpleFileOptions::default();
        for name in [
            "InteractiveSignIns_2026-11-19_2026-11-20.csv",
            "InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(&std::fs::read(fixture(&format!("csv/{name}"))).unwrap())
                .unwrap();
        }
        zip.start_file("README.txt", options).unwrap();
        zip.write_all(b"Exported from the Entra admin center.")
            .unwrap();
        zip.finish().unwrap();
    }
    let members = import_source(Cursor::new(zip_bytes), "SignIns.zip");
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "SignIns.zip/InteractiveSignIns_2026-11-19_2026-11-20.csv",
            "SignIns.zip/InteractiveSignIns_AuthDetails_2026-11-19_2026-11-20.csv",
            "SignIns.zip/README.txt"
        ]
    );
    assert_eq!(members[0].1.as_ref().unwrap().records.len(), 3);
    assert_eq!(members[1].1.as_ref().unwrap().auth_steps.len(), 3);
    assert!(matches!(
        members[2].1,
        Err(ImportError::Unrecognised { .. })
    ));

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&std::fs::read(fixture("json/PT1H.json")).unwrap())
        .unwrap();
    let import = import_stream(Cursor::new(gz.finish().unwrap()), "PT1H.json.gz").unwrap();
    assert_eq!(
        (import.format, import.records.len()),
        (SourceFormat::AzureMonitor, 2)
    );
}

#[test]
fn the_same_sign_in_from_portal_json_portal_csv_and_log_analytics_gives_the_same_fields() {
    let json = import_stream(
        Cursor::new(
            r#"[{"id":"x1","createdDateTime":"2026-11-20T08:15:02Z","userPrincipalName":"hugo.visser@harborpine.example",
            "userDisplayName":"Hugo Visser","appId":"d3590ed6-52b3-4102-aeff-aad2292ab01c","appDisplayName":"Microsoft Office",
            "ipAddress":"198.51.100.23","status":{"errorCode":50126,"failureReason":"Invalid password."},
            "location":{"city":"Delft","countryOrRegion":"NL"},"deviceDetail":{"operatingSystem":"Ios 18.1","isCompliant":true},
            "conditionalAccessStatus":"notApplied","correlationId":"c1"}]"#,
        ),
        "",
    )
    .unwrap();
    let csv = import_stream(
        Cursor::new(
            "Date (UTC),Request ID,Username,User,Application ID ,Application,IP address,Sign-in error code,Failure reason,Location,Operating System,Compliant,Conditional Access,Correlation ID\n\
             2026-11-20T08:15:02Z,x1,hugo.visser@harborpine.example,Hugo Visser,d3590ed6-52b3-4102-aeff-aad2292ab01c,Microsoft Office,198.51.100.23,50126,Invalid password.,\"Delft, NL\",Ios 18.1,True,Not Applied,c1\n",
        ),
        "InteractiveSignIns_x.csv",
    )
    .unwrap();
    let log_analytics = import_stream(
        Cursor::new(
            "TimeGenerated [UTC],Id,CreatedDateTime [UTC],UserPrincipalName,UserDisplayName,AppId,AppDisplayName,IPAddress,ResultType,ResultDescription,LocationDetails_dynamic,DeviceDetail_dynamic,ConditionalAccessStatus,CorrelationId,Category\n\
             \"11/20/2026, 8:15:09.000 AM\",x1,\"11/20/2026, 8:15:02.000 AM\",hugo.visser@harborpine.example,Hugo Visser,d3590ed6-52b3-4102-aeff-aad2292ab01c,Microsoft Office,198.51.100.23,50126,Invalid password.,\"{\"\"city\"\":\"\"Delft\"\",\"\"countryOrRegion\"\":\"\"NL\"\"}\",\"{\"\"operatingSystem\"\":\"\"Ios 18.1\"\",\"\"isCompliant\"\":true}\",notApplied,c1,SignInLogs\n",
        ),
        "query.csv",
    )
    .unwrap();
    let fields = |import: &signin_core::Import| {
        let e = &import.records[0].event;
        let d = e.device_detail.clone().unwrap_or_default();
        (
            (
                e.id.clone(),
                e.created_date_time,
                e.user_principal_name.clone(),
                e.user_display_name.clone(),
            ),
            e.app_id.clone(),
            e.app_display_name.clone(),
            e.ip_address.clone(),
            e.error_code(),
            e.status.failure_reason.clone(),
            e.location_text(),
            (d.operating_system, d.is_compliant),
            e.conditional_access_status.clone(),
            e.correlation_id.clone(),
        )
    };
    assert_eq!(fields(&json), fields(&csv));
    assert_eq!(fields(&json), fields(&log_analytics));
}

/// A store may keep only a JSON record's raw text: reading it again gives the very sign-in its
/// import read, in every JSON dialect. CSV rows need their header row, so they say they cannot.
#[test]
fn json_records_read_again_from_their_raw_text_give_the_same_sign_in() {
    let mut checked = 0;
    for path in [
        "json/PT1H.json",
        "json/azure-monitor-records.json",
        "json/hostile-values.json",
        "json/log-analytics-export.json",
        "json/ndjson-damaged.ndjson",
        "json/portal-array-with-bad-records.json",
        "json/powershell51-single.json",
        "json/powershell7-signins.json",
        "json/two-pages-appended.json",
        "samples/azure-monitor/sign-ins-log-schema-example.json",
        "samples/graph/beta-signin-list-example-1.json",
        "samples/graph/beta-signin-list-older-example-1.json",
        "samples/graph/v1-signin-list-example-2.json",
    ] {
        for record in crate::import(path).records {
            assert!(record.rereadable, "{path}");
            let again = signin_core::import::reread(&record.raw);
            assert_eq!(
                again.as_ref(),
                Some(&record.event),
                "{path}: {}",
                record.raw
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} records");
    let rows = crate::import_named("csv/InteractiveSignIns_2026-11-19_2026-11-20.csv").records;
    assert!(!rows.is_empty() && rows.iter().all(|r| !r.rereadable));
}
