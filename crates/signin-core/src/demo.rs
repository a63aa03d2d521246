//! The demo data set: a week of sign-ins at a fictional firm, Harbor & Pine Architects.
//!
//! Made by code, not by hand, so that it is deterministic (same options, same bytes), realistic
//! (every record has the full Graph beta shape: Conditional Access results, authentication
//! steps, device, location) and covers the failures admins meet most (DOMAIN.md §6.2): wrong and
//! stale passwords, a password spray with lockouts, MFA prompts and denials, MFA registration,
//! Conditional Access blocks for legacy clients, location, risk and device compliance, an app
//! the user is not assigned to, consent, a reply-URL mistake, a disabled account, an expired
//! password, a guest who was never invited, an expired and a wrong client secret, and the
//! harmless interrupts (stay signed in, silent SSO, account picker, Seamless SSO).
//!
//! The output is an Entra portal style JSON array, so the demo goes through the same importer
//! as a real file. Names, domains (`.example`) and addresses (documentation ranges) are
//! invented.

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::{Value, json};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The newest sign-in is before this time; a midnight, so that day numbers are dates.
    pub end: DateTime<Utc>,
    /// How many days the data spans.
    pub days: i64,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

impl Default for DemoOptions {
    /// The bundled demo: the seven days up to the end of Friday 20 November 2026 (UTC).
    fn default() -> Self {
        DemoOptions {
            end: DateTime::parse_from_rfc3339("2026-11-21T00:00:00Z")
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_default(),
            days: 7,
            seed: 0x5161_6e49_6e44,
        }
    }
}

/// The tenant's primary domain.
pub const DOMAIN: &str = "harborpine.example";
const TENANT_ID: &str = "6c1f2a8e-4b7d-4e2a-9f3c-1a2b3c4d5e6f";
const TENANT_NAME: &str = "Harbor & Pine Architects";

/// Generates the demo sign-ins as a JSON array, newest first, one record per line.
pub fn generate(options: &DemoOptions) -> String {
    let mut generator = Generator {
        rng: Rng(options.seed),
        events: Vec::new(),
        options: options.clone(),
    };
    generator.everyday_traffic();
    generator.scenarios();
    generator.events.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1["id"].as_str().cmp(&b.1["id"].as_str()))
    });
    let mut out = String::from("[\n");
    for (i, (_, event)) in generator.events.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&event.to_string());
    }
    out.push_str("\n]\n");
    out
}

/// People at the firm: (display name, mail nickname, home city, country).
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("Ava Lindqvist", "ava.lindqvist", "Rotterdam", "NL"),
    ("Bram de Vries", "bram.devries", "Rotterdam", "NL"),
    ("Chloé Martin", "chloe.martin", "Lyon", "FR"),
    ("Daniel Okafor", "daniel.okafor", "Rotterdam", "NL"),
    ("Eva Jansen", "eva.jansen", "Utrecht", "NL"),
    ("Farid Haddad", "farid.haddad", "Antwerp", "BE"),
    ("Grace Liu", "grace.liu", "Rotterdam", "NL"),
    ("Hugo Visser", "hugo.visser", "Delft", "NL"),
    ("Isla Murphy", "isla.murphy", "Dublin", "IE"),
    ("Jonas Berg", "jonas.berg", "Rotterdam", "NL"),
    ("Kenji Sato", "kenji.sato", "Rotterdam", "NL"),
    ("Lena Fischer", "lena.fischer", "Cologne", "DE"),
    ("Mateo Rossi", "mateo.rossi", "Rotterdam", "NL"),
    ("Nora Kowalski", "nora.kowalski", "Utrecht", "NL"),
    ("Priya Raman", "priya.raman", "Rotterdam", "NL"),
    ("Quinn Taylor", "quinn.taylor", "Rotterdam", "NL"),
    ("Ruth Abebe", "ruth.abebe", "Leiden", "NL"),
    ("Sam Peeters", "sam.peeters", "Ghent", "BE"),
];

/// Client applications: (display name, app ID, resource name, resource ID, client app kind).
#[derive(Clone, Copy)]
struct App {
    name: &'static str,
    id: &'static str,
    resource: &'static str,
    resource_id: &'static str,
    client: &'static str,
}

const TEAMS: App = App {
    name: "Microsoft Teams",
    id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
    resource: "Microsoft Teams Services",
    resource_id: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
    client: "Mobile Apps and Desktop clients",
};
const OUTLOOK: App = App {
    name: "Microsoft Office",
    id: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
    resource: "Office 365 Exchange Online",
    resource_id: "00000002-0000-0ff1-ce00-000000000000",
    client: "Mobile Apps and Desktop clients",
};
const OFFICE_HOME: App = App {
    name: "OfficeHome",
    id: "4765445b-32c6-49b0-83e6-1d93765276ca",
    resource: "OfficeHome",
    resource_id: "4765445b-32c6-49b0-83e6-1d93765276ca",
    client: "Browser",
};
const SHAREPOINT: App = App {
    name: "SharePoint Online Web Client Extensibility",
    id: "08e18876-6177-487e-b8b5-cf950c1e598c",
    resource: "Office 365 SharePoint Online",
    resource_id: "00000003-0000-0ff1-ce00-000000000000",
    client: "Browser",
};
const AZURE_PORTAL: App = App {
    name: "Azure Portal",
    id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    resource: "Windows Azure Service Management API",
    resource_id: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    client: "Browser",
};
const TIMESHEETS: App = App {
    name: "Harbor Timesheets",
    id: "5f0c8a61-2d4e-4b1a-8e37-9c6b1d2a4f80",
    resource: "Microsoft Graph",
    resource_id: "00000003-0000-0000-c000-000000000000",
    client: "Browser",
};
const PLANROOM: App = App {
    name: "PlanRoom CAD Viewer",
    id: "a83e2c17-6b90-4f4d-b2c5-7e1f0d9a3b64",
    resource: "PlanRoom CAD Viewer",
    resource_id: "a83e2c17-6b90-4f4d-b2c5-7e1f0d9a3b64",
    client: "Browser",
};
const EXCHANGE_IMAP: App = App {
    name: "Office 365 Exchange Online",
    id: "00000002-0000-0ff1-ce00-000000000000",
    resource: "Office 365 Exchange Online",
    resource_id: "00000002-0000-0ff1-ce00-000000000000",
    client: "IMAP4",
};

const EVERYDAY_APPS: &[App] = &[
    TEAMS,
    OUTLOOK,
    OUTLOOK,
    OFFICE_HOME,
    SHAREPOINT,
    TEAMS,
    TIMESHEETS,
];

/// The tenant's Conditional Access policies: (id, name, grant controls).
const POLICIES: &[(&str, &str, &[&str])] = &[
    (
        "0a1b7c3e-1111-4c6d-9e0f-a1b2c3d4e501",
        "Require MFA for all users",
        &["Mfa"],
    ),
    (
        "0a1b7c3e-2222-4c6d-9e0f-a1b2c3d4e502",
        "Block legacy authentication",
        &["Block"],
    ),
    (
        "0a1b7c3e-3333-4c6d-9e0f-a1b2c3d4e503",
        "Require compliant device for Azure management",
        &["CompliantDevice"],
    ),
    (
        "0a1b7c3e-4444-4c6d-9e0f-a1b2c3d4e504",
        "Block sign-ins from outside Europe",
        &["Block"],
    ),
    (
        "0a1b7c3e-5555-4c6d-9e0f-a1b2c3d4e505",
        "Block high-risk sign-ins",
        &["Block"],
    ),
    (
        "0a1b7c3e-6666-4c6d-9e0f-a1b2c3d4e506",
        "Guests must use MFA",
        &["Mfa"],
    ),
    (
        "0a1b7c3e-7777-4c6d-9e0f-a1b2c3d4e507",
        "Report-only: compliant device for all apps",
        &["CompliantDevice"],
    ),
];
const P_MFA: usize = 0;
const P_LEGACY: usize = 1;
const P_AZURE_DEVICE: usize = 2;
const P_LOCATION: usize = 3;
const P_RISK: usize = 4;
const P_GUEST: usize = 5;
const P_REPORT_ONLY: usize = 6;

/// How each policy came out for one sign-in.
#[derive(Clone, Copy, PartialEq)]
enum Ca {
    /// Policy applied and its controls were met.
    Success,
    /// Policy applied and blocked or its controls were not met.
    Failure,
    NotApplied,
}

/// The shape of one sign-in, before it becomes JSON.
struct Sign {
    at: DateTime<Utc>,
    person: usize,
    app: App,
    code: i64,
    reason: &'static str,
    additional: Option<&'static str>,
    correlation: Option<String>,
    ip: String,
    city: &'static str,
    country: &'static str,
    device: Device,
    /// Policy results by index in [`POLICIES`]; unset ones are "not applied".
    ca: Vec<(usize, Ca)>,
    /// Whether CA was evaluated at all (it is not when primary authentication failed).
    ca_evaluated: bool,
    mfa: Mfa,
    interactive: bool,
    risk: &'static str,
    user_agent: Option<&'static str>,
}

#[derive(Clone, Copy)]
struct Device {
    os: &'static str,
    browser: &'static str,
    compliant: bool,
    managed: bool,
    trust: &'static str,
    name: &'static str,
}

const LAPTOP: Device = Device {
    os: "Windows10",
    browser: "Edge 131.0.0",
    compliant: true,
    managed: true,
    trust: "Azure AD joined",
    name: "HP-LT-",
};
const PHONE: Device = Device {
    os: "Ios 18.1",
    browser: "Mobile Safari 18.1",
    compliant: true,
    managed: true,
    trust: "Azure AD registered",
    name: "iPhone",
};
const HOME_PC: Device = Device {
    os: "Windows10",
    browser: "Chrome 131.0.0",
    compliant: false,
    managed: false,
    trust: "",
    name: "",
};
const UNKNOWN_DEVICE: Device = Device {
    os: "Windows10",
    browser: "",
    compliant: false,
    managed: false,
    trust: "",
    name: "",
};

/// The MFA story of a sign-in.
#[derive(Clone, Copy, PartialEq)]
enum Mfa {
    /// Password only, single factor.
    None,
    /// Password, then MFA satisfied by a claim in the token.
    ByClaim,
    /// Password, then an Authenticator push that was approved.
    Approved,
    /// Password, then an Authenticator push that was denied.
    Denied,
    /// Password, then MFA required but not yet done (interrupt).
    Required,
    /// The password was wrong.
    BadPassword,
}

struct Generator {
    rng: Rng,
    events: Vec<(DateTime<Utc>, Value)>,
    options: DemoOptions,
}

impl Generator {
    fn start(&self) -> DateTime<Utc> {
        self.options.end - Duration::days(self.options.days)
    }

    /// A time on day `day` (0 = first) at a working hour, with minutes and seconds from the rng.
    fn at(&mut self, day: i64, hour: u32) -> DateTime<Utc> {
        let base = self.start() + Duration::days(day);
        let base = base
            .with_hour(hour)
            .and_then(|t| t.with_minute(0))
            .and_then(|t| t.with_second(0));
        let base = base.unwrap_or_else(|| self.start());
        base + Duration::seconds(self.rng.below(3600) as i64)
    }

    fn office_ip(&mut self) -> String {
        format!("192.0.2.{}", 10 + self.rng.below(20))
    }

    fn sign(&mut self, at: DateTime<Utc>, person: usize, app: App) -> Sign {
        let (_, _, city, country) = PEOPLE[person];
        let ip = self.office_ip();
        Sign {
            at,
            person,
            app,
            code: 0,
            reason: "Other.",
            additional: Some("MFA requirement satisfied by claim in the token"),
            correlation: None,
            ip,
            city,
            country,
            device: if app.client == "Browser" {
                LAPTOP
            } else if self.rng.below(3) == 0 {
                PHONE
            } else {
                LAPTOP
            },
            ca: vec![(P_MFA, Ca::Success), (P_REPORT_ONLY, Ca::Success)],
            ca_evaluated: true,
            mfa: Mfa::ByClaim,
            interactive: true,
            risk: "none",
            user_agent: None,
        }
    }

    /// Ordinary successful work-day sign-ins for everybody.
    fn everyday_traffic(&mut self) {
        for day in 0..self.options.days {
            let weekday = (self.start() + Duration::days(day))
                .format("%u")
                .to_string();
            if weekday == "6" || weekday == "7" {
                continue;
            }
            for person in 0..PEOPLE.len() {
                if person == OSCAR_DISABLED {
                    continue;
                }
                let count = 2 + self.rng.below(2);
                for _ in 0..count {
                    let hour = 7 + self.rng.below(10) as u32;
                    let at = self.at(day, hour);
                    let app = EVERYDAY_APPS[self.rng.below(EVERYDAY_APPS.len() as u64) as usize];
                    let mut s = self.sign(at, person, app);
                    if self.rng.below(5) == 0 {
                        // Token refreshes in the background: non-interactive.
                        s.interactive = false;
                        s.additional = None;
                    }
                    self.push(s);
                }
            }
        }
    }

    fn scenarios(&mut self) {
        let days = self.options.days;
        // An MFA prompt (interrupt) followed by success in the same flow.
        for (day, person) in [(1, 0), (2, 4), (3, 9), (4, 12), (days - 1, 15)] {
            let at = self.at(day, 8);
            let corr = self.rng.guid();
            let mut prompt = self.sign(at, person, OFFICE_HOME);
            prompt.code = 50074;
            prompt.reason = "Strong Authentication is required.";
            prompt.additional = Some(
                "The user is required to use multi-factor authentication to access this resource.",
            );
            prompt.mfa = Mfa::Required;
            prompt.correlation = Some(corr.clone());
            prompt.ca = vec![(P_MFA, Ca::Failure), (P_REPORT_ONLY, Ca::Success)];
            let mut done = self.sign(at + Duration::seconds(25), person, OFFICE_HOME);
            done.mfa = Mfa::Approved;
            done.additional = Some("MFA successfully completed");
            done.correlation = Some(corr);
            self.push(prompt);
            self.push(done);
        }
        // "Stay signed in?" prompt, then success.
        for (day, person) in [(0, 2), (2, 6), (4, 13), (days - 1, 16)] {
            let at = self.at(day, 9);
            let corr = self.rng.guid();
            let mut kmsi = self.sign(at, person, OFFICE_HOME);
            kmsi.code = 50140;
            kmsi.reason = "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.";
            kmsi.correlation = Some(corr.clone());
            let mut done = self.sign(at + Duration::seconds(6), person, OFFICE_HOME);
            done.correlation = Some(corr);
            self.push(kmsi);
            self.push(done);
        }
        // A typo, then the right password.
        for (day, person) in [(1, 5), (3, 10), (days - 1, 1)] {
            let at = self.at(day, 10);
            let mut typo = self.sign(at, person, OFFICE_HOME);
            self.bad_password(&mut typo);
            let done = self.sign(at + Duration::seconds(40), person, OFFICE_HOME);
            self.push(typo);
            self.push(done);
        }
        // Hugo changed his password but his phone keeps the old one: the same app, device and IP
        // fail every half hour until Smart Lockout locks the account.
        let hugo = 7;
        let home_ip = "198.51.100.23".to_string();
        let first = self.at(days - 2, 7);
        for i in 0..14 {
            let mut stale = self.sign(first + Duration::minutes(30 * i), hugo, OUTLOOK);
            self.bad_password(&mut stale);
            stale.device = PHONE;
            stale.ip = home_ip.clone();
            stale.interactive = false;
            if i >= 11 {
                stale.code = 50053;
                stale.reason = "Account is locked because user tried to sign in too many times with an incorrect user ID or password.";
            }
            self.push(stale);
        }
        // A password spray from one address against many accounts, some locked out.
        let spray_at = self.at(days - 3, 2);
        for person in 0..PEOPLE.len() {
            let mut attempt = self.sign(
                spray_at + Duration::seconds(7 * person as i64),
                person,
                EXCHANGE_IMAP,
            );
            self.bad_password(&mut attempt);
            attempt.ip = "203.0.113.45".into();
            attempt.city = "São Paulo";
            attempt.country = "BR";
            attempt.device = UNKNOWN_DEVICE;
            attempt.user_agent = Some("BAV2ROPC");
            attempt.client_legacy();
            if person % 5 == 4 {
                attempt.code = 50053;
                attempt.reason = "Account is locked because user tried to sign in too many times with an incorrect user ID or password.";
            }
            self.push(attempt);
        }
        // Legacy IMAP client with the right password: blocked by Conditional Access.
        for day in [1, 3, days - 1] {
            let at = self.at(day, 11);
            let mut imap = self.sign(at, 11, EXCHANGE_IMAP);
            imap.code = 53003;
            imap.reason = "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.";
            imap.ca = vec![
                (P_LEGACY, Ca::Failure),
                (P_MFA, Ca::NotApplied),
                (P_REPORT_ONLY, Ca::Failure),
            ];
            imap.mfa = Mfa::None;
            imap.additional = None;
            imap.device = HOME_PC;
            imap.client_legacy();
            self.push(imap);
        }
        // Travelling outside Europe: blocked by the location policy.
        for i in 0..3 {
            let at = self.at(days - 2, 14) + Duration::minutes(3 * i);
            let mut trip = self.sign(at, 14, TEAMS);
            trip.code = 53003;
            trip.reason = "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.";
            trip.ca = vec![
                (P_LOCATION, Ca::Failure),
                (P_MFA, Ca::Success),
                (P_REPORT_ONLY, Ca::Success),
            ];
            trip.ip = "198.51.100.77".into();
            trip.city = "Singapore";
            trip.country = "SG";
            trip.device = PHONE;
            self.push(trip);
        }
        // A high-risk sign-in from an unfamiliar place, blocked by the risk policy.
        let at = self.at(days - 4, 3);
        let mut risky = self.sign(at, 13, OFFICE_HOME);
        risky.code = 53003;
        risky.reason = "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.";
        risky.ca = vec![
            (P_RISK, Ca::Failure),
            (P_MFA, Ca::NotApplied),
            (P_REPORT_ONLY, Ca::Failure),
        ];
        risky.ip = "203.0.113.200".into();
        risky.city = "Lagos";
        risky.country = "NG";
        risky.device = UNKNOWN_DEVICE;
        risky.risk = "high";
        risky.mfa = Mfa::None;
        risky.additional = None;
        self.push(risky);
        // Azure Portal from a personal PC: device not compliant.
        for day in [2, days - 1] {
            let at = self.at(day, 20);
            let mut portal = self.sign(at, 3, AZURE_PORTAL);
            portal.code = 53000;
            portal.reason = "Device is not in required device state: compliant. Conditional Access policy requires a compliant device, and the device is not compliant. The user must enroll their device with an approved MDM provider like Intune.";
            portal.ca = vec![
                (P_AZURE_DEVICE, Ca::Failure),
                (P_MFA, Ca::Success),
                (P_REPORT_ONLY, Ca::Failure),
            ];
            portal.device = HOME_PC;
            portal.ip = "198.51.100.61".into();
            self.push(portal);
        }
        // MFA fatigue: pushes denied at night, then one approved.
        let night = self.at(days - 2, 1);
        for i in 0..5 {
            let mut push = self.sign(night + Duration::minutes(2 * i), 9, OFFICE_HOME);
            push.code = 500121;
            push.reason = "Authentication failed during strong authentication request.";
            push.additional = Some("MFA denied; user declined the authentication");
            push.mfa = Mfa::Denied;
            push.ip = "203.0.113.88".into();
            push.city = "Bucharest";
            push.country = "RO";
            push.device = UNKNOWN_DEVICE;
            push.ca = vec![(P_MFA, Ca::Failure), (P_REPORT_ONLY, Ca::Failure)];
            self.push(push);
        }
        // New hire must register for MFA first.
        let at = self.at(0, 9);
        let corr = self.rng.guid();
        let mut proofup = self.sign(at, 15, OFFICE_HOME);
        proofup.code = 50072;
        proofup.reason = "User needs to enroll for second factor authentication.";
        proofup.mfa = Mfa::Required;
        proofup.additional = None;
        proofup.correlation = Some(corr.clone());
        let mut registered = self.sign(at + Duration::minutes(4), 15, OFFICE_HOME);
        registered.mfa = Mfa::Approved;
        registered.correlation = Some(corr);
        self.push(proofup);
        self.push(registered);
        // Not assigned to the CAD viewer.
        for day in [2, 4] {
            let at = self.at(day, 13);
            let mut cad = self.sign(at, 6, PLANROOM);
            cad.code = 50105;
            cad.reason = "Your administrator has configured the application PlanRoom CAD Viewer to block users unless they are specifically granted ('assigned') access to the application.";
            self.push(cad);
        }
        // The timesheet app needs consent, and its test build uses a wrong reply URL.
        let at = self.at(1, 9);
        let mut consent = self.sign(at, 17, TIMESHEETS);
        consent.code = 65001;
        consent.reason = "The user or administrator has not consented to use the application.";
        self.push(consent);
        let at = self.at(days - 1, 15);
        let mut reply = self.sign(at, 4, TIMESHEETS);
        reply.code = 50011;
        reply.reason = "The redirect URI specified in the request does not match the redirect URIs configured for the application.";
        reply.ca_evaluated = false;
        reply.mfa = Mfa::None;
        reply.additional = None;
        self.push(reply);
        // A former employee's disabled account.
        for day in [0, 3] {
            let at = self.at(day, 8);
            let mut gone = self.sign(at, OSCAR_DISABLED, OFFICE_HOME);
            gone.code = 50057;
            gone.reason = "The user account is disabled.";
            gone.ca_evaluated = false;
            gone.mfa = Mfa::None;
            gone.additional = None;
            gone.device = HOME_PC;
            self.push(gone);
        }
        // Expired password: interrupt, then success after the change.
        let at = self.at(days - 3, 8);
        let corr = self.rng.guid();
        let mut expired = self.sign(at, 8, OFFICE_HOME);
        expired.code = 50055;
        expired.reason = "The password is expired.";
        expired.ca_evaluated = false;
        expired.mfa = Mfa::None;
        expired.additional = None;
        expired.correlation = Some(corr.clone());
        let mut changed = self.sign(at + Duration::minutes(2), 8, OFFICE_HOME);
        changed.correlation = Some(corr);
        self.push(expired);
        self.push(changed);
        // Harmless interrupts: silent SSO, account picker, Seamless SSO.
        for (day, person) in [(1, 1), (2, 10), (4, 14), (days - 1, 3)] {
            let at = self.at(day, 12);
            let mut silent = self.sign(at, person, SHAREPOINT);
            silent.code = 50058;
            silent.reason = "User information is required to complete sign-in. The session could not be found, so silent sign-in is not possible.";
            silent.interactive = false;
            silent.ca_evaluated = false;
            silent.mfa = Mfa::None;
            silent.additional = None;
            self.push(silent);
        }
        for (day, person) in [(2, 0), (days - 2, 12)] {
            let at = self.at(day, 14);
            let mut picker = self.sign(at, person, OFFICE_HOME);
            picker.code = 16000;
            picker.reason = "Either multiple user identities are available for the current request or selected account is not supported for the scenario.";
            picker.ca_evaluated = false;
            picker.mfa = Mfa::None;
            picker.additional = None;
            self.push(picker);
        }
        let at = self.at(days - 1, 8);
        let mut kerberos = self.sign(at, 2, OFFICE_HOME);
        kerberos.code = 81010;
        kerberos.reason = "Desktop Single Sign-On failed because the user's Kerberos ticket has expired or is invalid.";
        kerberos.ca_evaluated = false;
        kerberos.mfa = Mfa::None;
        kerberos.additional = None;
        self.push(kerberos);
        self.guest_and_service_principals();
    }

    fn guest_and_service_principals(&mut self) {
        let days = self.options.days;
        // A partner's guest who was never invited, and one who was.
        let at = self.at(2, 15);
        let mut uninvited = self.sign(at, 0, TEAMS);
        uninvited.code = 50020;
        uninvited.reason = "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.";
        uninvited.ca_evaluated = false;
        uninvited.mfa = Mfa::None;
        uninvited.additional = None;
        let mut value = self.record(&uninvited);
        value["userPrincipalName"] = json!("tomas.reyes@steelframe.example");
        value["userDisplayName"] = json!("Tomas Reyes");
        value["userId"] = json!("00000000-0000-0000-0000-000000000000");
        value["userType"] = json!("guest");
        value["homeTenantId"] = json!("9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4");
        value["crossTenantAccessType"] = json!("b2bCollaboration");
        self.events.push((at, value));
        // Service principal sign-ins: the invoice robot's secret expired, the sync job's is wrong.
        for (i, (name, code, reason)) in [
            (
                "Invoice Robot",
                7000222,
                "The provided client secret keys are expired.",
            ),
            (
                "Backup Sync Service",
                7000215,
                "Invalid client secret provided.",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            for hour in [6, 12, 18] {
                let at = self.at(days - 1 - i as i64, hour);
                let sp_id = self.rng.guid();
                let id = self.request_id();
                let correlation = self.rng.guid();
                let value = json!({
                    "id": id,
                    "createdDateTime": stamp(at),
                    "appId": self.rng.guid(),
                    "appDisplayName": name,
                    "servicePrincipalId": sp_id,
                    "servicePrincipalName": name,
                    "clientCredentialType": "clientSecret",
                    "resourceDisplayName": "Microsoft Graph",
                    "resourceId": "00000003-0000-0000-c000-000000000000",
                    "resourceTenantId": TENANT_ID,
                    "homeTenantId": TENANT_ID,
                    "ipAddress": "192.0.2.200",
                    "location": {"city": "Amsterdam", "state": "Noord-Holland", "countryOrRegion": "NL"},
                    "correlationId": correlation,
                    "conditionalAccessStatus": "notApplied",
                    "status": {"errorCode": code, "failureReason": reason},
                    "signInEventTypes": ["servicePrincipal"],
                    "isInteractive": false,
                    "authenticationProtocol": "none",
                    "processingTimeInMilliseconds": 40 + self.rng.below(60),
                });
                self.events.push((at, value));
            }
        }
    }

    fn bad_password(&mut self, s: &mut Sign) {
        s.code = 50126;
        s.reason = "Error validating credentials due to invalid username or password.";
        s.mfa = Mfa::BadPassword;
        s.additional = None;
        s.ca_evaluated = false;
    }

    fn request_id(&mut self) -> String {
        let mut id = self.rng.guid();
        id.replace_range(34..36, "00");
        id
    }

    fn push(&mut self, s: Sign) {
        let value = self.record(&s);
        self.events.push((s.at, value));
    }

    fn record(&mut self, s: &Sign) -> Value {
        let (name, nick, _, _) = PEOPLE[s.person];
        let upn = format!("{nick}@{DOMAIN}");
        let id = self.request_id();
        let correlation = s.correlation.clone().unwrap_or_else(|| self.rng.guid());
        let user_id = guid_from(self.options.seed ^ ((s.person as u64 + 1) * 0x9e37_79b9));
        let device_id = if s.device.managed {
            guid_from(self.options.seed ^ (s.person as u64 + 101))
        } else {
            String::new()
        };
        let device_name = if s.device.name.is_empty() {
            String::new()
        } else {
            format!(
                "{}{}",
                s.device.name,
                nick.split('.').next().unwrap_or(nick).to_uppercase()
            )
        };
        let policies: Vec<Value> = POLICIES
            .iter()
            .enumerate()
            .map(|(i, (pid, pname, grants))| {
                let result = if !s.ca_evaluated {
                    "notApplied"
                } else {
                    match s.ca.iter().find(|(p, _)| *p == i).map(|(_, r)| *r) {
                        Some(Ca::Success) if i == P_REPORT_ONLY => "reportOnlySuccess",
                        Some(Ca::Failure) if i == P_REPORT_ONLY => "reportOnlyFailure",
                        Some(Ca::Success) => "success",
                        Some(Ca::Failure) => "failure",
                        Some(Ca::NotApplied) | None if i == P_REPORT_ONLY => "reportOnlyNotApplied",
                        Some(Ca::NotApplied) | None => "notApplied",
                    }
                };
                let applied = !result.ends_with("otApplied");
                let enforced: Vec<&str> = if applied { grants.to_vec() } else { Vec::new() };
                json!({
                    "id": pid,
                    "displayName": pname,
                    "enforcedGrantControls": enforced,
                    "enforcedSessionControls": [],
                    "result": result,
                    "conditionsSatisfied": if applied { conditions(i) } else { "none" },
                    "conditionsNotSatisfied": if applied { "none" } else { "application" },
                })
            })
            .collect();
        let ca_status = if !s.ca_evaluated {
            "notApplied"
        } else if s
            .ca
            .iter()
            .any(|(p, r)| *r == Ca::Failure && *p != P_REPORT_ONLY)
        {
            "failure"
        } else if s
            .ca
            .iter()
            .any(|(p, r)| *r == Ca::Success && *p != P_REPORT_ONLY)
        {
            "success"
        } else {
            "notApplied"
        };
        let mfa_by_ca = s.ca.iter().any(|(p, _)| *p == P_MFA || *p == P_GUEST) && s.ca_evaluated;
        let requirement = match s.mfa {
            Mfa::None | Mfa::BadPassword => "singleFactorAuthentication",
            _ if mfa_by_ca => "multiFactorAuthentication",
            _ => "singleFactorAuthentication",
        };
        let steps = self.steps(s);
        let user_agent = s
            .user_agent
            .map(str::to_owned)
            .unwrap_or_else(|| user_agent(&s.device, s.app.client));
        let event_type = if s.interactive {
            "interactiveUser"
        } else {
            "nonInteractiveUser"
        };
        json!({
            "id": id,
            "createdDateTime": stamp(s.at),
            "userDisplayName": name,
            "userPrincipalName": upn,
            "userId": user_id,
            "userType": "member",
            "appId": s.app.id,
            "appDisplayName": s.app.name,
            "appOwnerTenantId": if s.app.id.starts_with("5f0c") || s.app.id.starts_with("a83e") { TENANT_ID } else { "f8cdef31-a31e-4b4a-93e4-5f571e91255a" },
            "ipAddress": s.ip,
            "ipAddressFromResourceProvider": null,
            "clientAppUsed": s.app.client,
            "userAgent": user_agent,
            "correlationId": correlation,
            "originalRequestId": "",
            "conditionalAccessStatus": ca_status,
            "isInteractive": s.interactive,
            "signInEventTypes": [event_type],
            "resourceDisplayName": s.app.resource,
            "resourceId": s.app.resource_id,
            "resourceTenantId": TENANT_ID,
            "homeTenantId": TENANT_ID,
            "homeTenantName": TENANT_NAME,
            "authenticationProtocol": if s.app.client == "IMAP4" { "ropc" } else { "oAuth2" },
            "incomingTokenType": "none",
            "tokenIssuerType": "AzureAD",
            "tokenIssuerName": "",
            "authenticationRequirement": requirement,
            "authenticationRequirementPolicies": if requirement == "multiFactorAuthentication" {
                json!([{"requirementProvider": "multiConditionalAccess", "detail": "Conditional Access"}])
            } else { json!([]) },
            "authenticationMethodsUsed": steps.iter().filter(|s| s["succeeded"] == json!(true)).filter_map(|s| s["authenticationMethod"].as_str()).filter(|m| *m != "Previously satisfied").collect::<Vec<_>>(),
            "authenticationDetails": steps,
            "processingTimeInMilliseconds": 60 + self.rng.below(400),
            "riskDetail": "none",
            "riskLevelAggregated": s.risk,
            "riskLevelDuringSignIn": s.risk,
            "riskState": if s.risk == "none" { "none" } else { "atRisk" },
            "riskEventTypes_v2": if s.risk == "none" { json!([]) } else { json!(["unfamiliarFeatures", "anonymizedIPAddress"]) },
            "flaggedForReview": false,
            "autonomousSystemNumber": if s.ip.starts_with("192.0.2.") { 1136 } else { 64496 + self.rng.below(15) as i64 },
            "status": {
                "errorCode": s.code,
                "failureReason": s.reason,
                "additionalDetails": s.additional,
            },
            "deviceDetail": {
                "deviceId": device_id,
                "displayName": device_name,
                "operatingSystem": s.device.os,
                "browser": s.device.browser,
                "isCompliant": s.device.compliant,
                "isManaged": s.device.managed,
                "trustType": s.device.trust,
            },
            "location": {
                "city": s.city,
                "state": "",
                "countryOrRegion": s.country,
                "geoCoordinates": null,
            },
            "networkLocationDetails": if s.ip.starts_with("192.0.2.") {
                json!([{"networkType": "trustedNamedLocation", "networkNames": ["Rotterdam office"]}])
            } else { json!([]) },
            "appliedConditionalAccessPolicies": policies,
            "sessionLifetimePolicies": [],
            "authenticationProcessingDetails": [
                {"key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "False"},
                {"key": "Is CAE Token", "value": "False"},
            ],
        })
    }

    fn steps(&mut self, s: &Sign) -> Vec<Value> {
        let step = |method: &str, detail: &str, ok: bool, result: &str, requirement: &str| {
            json!({
                "authenticationStepDateTime": stamp(s.at),
                "authenticationMethod": method,
                "authenticationMethodDetail": detail,
                "succeeded": ok,
                "authenticationStepResultDetail": result,
                "authenticationStepRequirement": requirement,
            })
        };
        let password = |ok: bool| {
            if ok {
                step(
                    "Password",
                    "Password in the cloud",
                    true,
                    "Correct password",
                    "Primary authentication",
                )
            } else {
                step(
                    "Password",
                    "Password in the cloud",
                    false,
                    "Invalid username or password or Invalid on-premise username or password.",
                    "Primary authentication",
                )
            }
        };
        match s.mfa {
            Mfa::BadPassword => vec![password(false)],
            Mfa::None if s.code != 0 && !s.ca_evaluated => Vec::new(),
            Mfa::None => vec![password(true)],
            Mfa::ByClaim => vec![
                password(true),
                step(
                    "Previously satisfied",
                    "",
                    true,
                    "MFA requirement satisfied by claim in the token",
                    "Multifactor authentication",
                ),
            ],
            Mfa::Approved => vec![
                password(true),
                step(
                    "Mobile app notification",
                    "Microsoft Authenticator",
                    true,
                    "MFA successfully completed",
                    "Multifactor authentication",
                ),
            ],
            Mfa::Denied => vec![
                password(true),
                step(
                    "Mobile app notification",
                    "Microsoft Authenticator",
                    false,
                    "MFA denied; user declined the authentication",
                    "Multifactor authentication",
                ),
            ],
            Mfa::Required => vec![password(true)],
        }
    }
}

/// The disabled former employee, who is not in the everyday traffic.
const OSCAR_DISABLED: usize = 17;

impl Sign {
    fn client_legacy(&mut self) {
        self.app.client = "IMAP4";
        self.interactive = true;
    }
}

fn conditions(policy: usize) -> &'static str {
    match policy {
        P_LEGACY => "application,users,clientType",
        P_LOCATION => "application,users,location",
        P_RISK => "application,users,signInRisk",
        P_AZURE_DEVICE => "application,users",
        _ => "application,users",
    }
}

fn user_agent(device: &Device, client: &str) -> String {
    match (device.os, client) {
        (os, _) if os.starts_with("Ios") => {
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1".into()
        }
        (_, "Browser") if device.browser.starts_with("Chrome") => {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36".into()
        }
        (_, "Browser") => {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0".into()
        }
        _ => "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Microsoft Office/16.0".into(),
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn guid_from(seed: u64) -> String {
    Rng(seed).guid()
}

/// SplitMix64: small, fast and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests;
