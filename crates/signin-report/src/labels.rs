//! The report's own words (headings, column names, notes) in every language. The diagnosis
//! texts arrive already translated; only what the report itself adds is here.

use signin_core::Lang;

macro_rules! labels {
    ($($name:ident => $en:literal, $nl:literal;)*) => {
        /// One word or sentence of the report's frame.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Label { $($name,)* }

        impl Label {
            /// Every label, for the test that each language has them all.
            pub const ALL: &'static [Label] = &[$(Label::$name,)*];

            /// The label in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Label::$name, Lang::En) => $en, (Label::$name, Lang::Nl) => $nl,)*
                }
            }
        }
    };
}

labels! {
    ReportTitle => "Sign-in report", "Aanmeldrapport";
    DiagnosisTitle => "Diagnosis", "Diagnose";
    Verdict => "Verdict", "Oordeel";
    Scenario => "Scenario", "Scenario";
    VerdictSuccess => "Success", "Geslaagd";
    VerdictInterrupted => "Interrupted", "Onderbroken";
    VerdictFailure => "Failure", "Mislukt";
    VerdictSuspicious => "Suspicious", "Verdacht";
    WhatHappened => "What happened", "Wat er gebeurde";
    Evidence => "Evidence", "Bewijs";
    Field => "Field", "Veld";
    Value => "Value", "Waarde";
    Patterns => "Around this sign-in", "Rond deze aanmelding";
    Timeline => "Timeline", "Tijdlijn";
    Attempt => "This sign-in attempt, step by step", "Deze aanmeldpoging, stap voor stap";
    SignIns => "Sign-ins", "Aanmeldingen";
    NoSignIns => "No sign-ins.", "Geen aanmeldingen.";
    WhatToDo => "What to do", "Wat te doen";
    ForUser => "For the user", "Voor de gebruiker";
    ForAdmin => "For the administrator", "Voor de beheerder";
    ForDeveloper => "For the app's developer", "Voor de ontwikkelaar van de app";
    Links => "Further reading", "Meer informatie";
    Generated => "Made", "Gemaakt";
    Count => "Number of sign-ins", "Aantal aanmeldingen";
    MadeWith => "Made with Sign-in Doctor", "Gemaakt met Sign-in Doctor";
    Page => "Page", "Pagina";
    SignInProblem => "Sign-in problem", "Aanmeldprobleem";
    TimeUtc => "Date (UTC)", "Datum (UTC)";
    RequestId => "Request ID", "Aanvraag-ID";
    CorrelationId => "Correlation ID", "Correlatie-ID";
    User => "User", "Gebruiker";
    Username => "Username", "Gebruikersnaam";
    UserId => "User ID", "Gebruikers-ID";
    Application => "Application", "Toepassing";
    ApplicationId => "Application ID", "Toepassings-ID";
    Resource => "Resource", "Resource";
    Status => "Status", "Status";
    ErrorCode => "Error code", "Foutcode";
    FailureReason => "Failure reason", "Reden van de fout";
    IpAddress => "IP address", "IP-adres";
    Location => "Location", "Locatie";
    ClientApp => "Client app", "Client-app";
    Device => "Device", "Apparaat";
    DeviceId => "Device ID", "Apparaat-ID";
    OperatingSystem => "Operating system", "Besturingssysteem";
    Browser => "Browser", "Browser";
    ConditionalAccess => "Conditional Access", "Voorwaardelijke toegang";
    SignInType => "Sign-in type", "Soort aanmelding";
    HomeTenantId => "Home tenant ID", "Thuistenant-ID";
    Redacted => "Redacted for sharing", "Geanonimiseerd om te delen";
    RedactedNote => "Names, usernames, user IDs, IP addresses, device names and IDs, and tenant names and IDs are replaced by pseudonyms. The same person, address, device or tenant has the same pseudonym everywhere in this report, so the report still shows what belongs together.", "Namen, gebruikersnamen, gebruikers-ID's, IP-adressen, apparaatnamen en -ID's en tenantnamen en -ID's zijn vervangen door schuilnamen. Dezelfde persoon, hetzelfde adres, apparaat of dezelfde tenant heeft overal in dit rapport dezelfde schuilnaam, zodat zichtbaar blijft wat bij elkaar hoort.";
    RedactedUsers => "People", "Personen";
    RedactedIps => "IP addresses", "IP-adressen";
    RedactedDevices => "Devices", "Apparaten";
    RedactedTenants => "Tenants", "Tenants";
    PseudonymUser => "User", "Gebruiker";
    PseudonymIp => "IP", "IP";
    PseudonymDevice => "Device", "Apparaat";
    PseudonymTenant => "Tenant", "Tenant";
}

impl Label {
    /// The label of a verdict or a status (`success`, `interrupted`, `failure`, `suspicious`);
    /// an unknown one is shown as it is.
    pub fn status(name: &str) -> Option<Label> {
        Some(match name {
            "success" => Label::VerdictSuccess,
            "interrupted" => Label::VerdictInterrupted,
            "failure" => Label::VerdictFailure,
            "suspicious" => Label::VerdictSuspicious,
            _ => return None,
        })
    }
}

/// A status or verdict in words.
pub(crate) fn status_text(name: &str, lang: Lang) -> String {
    Label::status(name).map_or_else(|| name.to_owned(), |l| l.text(lang).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label() {
        for lang in Lang::ALL {
            for label in Label::ALL {
                let text = label.text(lang);
                assert!(!text.trim().is_empty(), "{label:?} is empty in {lang:?}");
            }
        }
        // The Dutch frame is really Dutch: the words an admin reads first differ from English.
        for label in [
            Label::Evidence,
            Label::Timeline,
            Label::WhatToDo,
            Label::SignIns,
        ] {
            assert_ne!(label.text(Lang::En), label.text(Lang::Nl));
        }
    }
}
