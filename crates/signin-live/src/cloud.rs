//! Which Microsoft cloud a tenant lives in: where to sign in and where Graph is.

use serde::{Deserialize, Serialize};
use signin_core::messages::Message;
use url::Url;

use crate::LiveError;

/// A national cloud, or hosts given by hand (a proxy, or the local fake used by tests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Cloud {
    /// Microsoft's worldwide cloud.
    #[default]
    Global,
    /// US Government, GCC High.
    Usgov,
    /// US Government, Department of Defense.
    UsgovDod,
    /// Microsoft Azure operated by 21Vianet.
    China,
    /// Authority and Graph URLs given by hand.
    Custom { authority: String, graph: String },
}

impl Cloud {
    /// The names the command line accepts for `--cloud`.
    pub const NAMES: [&'static str; 4] = ["global", "usgov", "usgov-dod", "china"];

    pub fn from_name(name: &str) -> Option<Cloud> {
        match name.trim().to_ascii_lowercase().as_str() {
            "global" | "public" | "azurecloud" => Some(Cloud::Global),
            "usgov" | "gcchigh" | "gcc-high" | "azureusgovernment" => Some(Cloud::Usgov),
            "usgov-dod" | "dod" => Some(Cloud::UsgovDod),
            "china" | "azurechinacloud" => Some(Cloud::China),
            _ => None,
        }
    }

    /// Hosts given by hand, checked: https, or plain http on a loopback address only.
    pub fn custom(authority: &str, graph: &str) -> Result<Cloud, LiveError> {
        check_custom_url(authority)?;
        check_custom_url(graph)?;
        Ok(Cloud::Custom {
            authority: authority.trim().trim_end_matches('/').to_owned(),
            graph: graph.trim().trim_end_matches('/').to_owned(),
        })
    }

    /// A short name for screens and the command line.
    pub fn label(&self) -> String {
        match self {
            Cloud::Global => "global".into(),
            Cloud::Usgov => "usgov".into(),
            Cloud::UsgovDod => "usgov-dod".into(),
            Cloud::China => "china".into(),
            Cloud::Custom { authority, .. } => format!("custom ({authority})"),
        }
    }

    /// Where people sign in, without a tenant: `https://login.microsoftonline.com`.
    pub fn authority_host(&self) -> Result<Url, LiveError> {
        let text = match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::Usgov | Cloud::UsgovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
            Cloud::Custom { authority, .. } => return check_custom_url(authority),
        };
        Ok(Url::parse(text).expect("built-in authority URLs are valid"))
    }

    /// Microsoft Graph's root, without a version: `https://graph.microsoft.com`.
    pub fn graph_base(&self) -> Result<Url, LiveError> {
        let text = match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::Usgov => "https://graph.microsoft.us",
            Cloud::UsgovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
            Cloud::Custom { graph, .. } => return check_custom_url(graph),
        };
        Ok(Url::parse(text).expect("built-in Graph URLs are valid"))
    }

    /// The resource prefix of Graph permission names in this cloud
    /// (`https://graph.microsoft.us/AuditLog.Read.All`).
    pub fn graph_resource(&self) -> Result<String, LiveError> {
        let base = self.graph_base()?;
        Ok(base.origin().ascii_serialization())
    }
}

/// A hand-given URL must be https, except on the machine itself (a local proxy or test server):
/// a token must never travel in clear text over a network.
fn check_custom_url(text: &str) -> Result<Url, LiveError> {
    let url = Url::parse(text.trim()).map_err(|e| {
        LiveError::InvalidInput(
            Message::new("live.address.not-an-address")
                .with("text", text.trim())
                .with("detail", e),
        )
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(LiveError::InvalidInput(
            Message::new("live.address.plain-http").with("text", text.trim()),
        )),
        other => Err(LiveError::InvalidInput(
            Message::new("live.address.other-scheme")
                .with("text", text.trim())
                .with("scheme", other),
        )),
    }
}

/// Whether a URL points at this machine.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_clouds_have_their_own_hosts() {
        let hosts = |c: Cloud| {
            (
                c.authority_host().unwrap().host_str().unwrap().to_owned(),
                c.graph_base().unwrap().host_str().unwrap().to_owned(),
            )
        };
        assert_eq!(
            hosts(Cloud::Global),
            (
                "login.microsoftonline.com".into(),
                "graph.microsoft.com".into()
            )
        );
        assert_eq!(
            hosts(Cloud::Usgov),
            (
                "login.microsoftonline.us".into(),
                "graph.microsoft.us".into()
            )
        );
        assert_eq!(
            hosts(Cloud::UsgovDod),
            (
                "login.microsoftonline.us".into(),
                "dod-graph.microsoft.us".into()
            )
        );
        assert_eq!(
            hosts(Cloud::China),
            (
                "login.chinacloudapi.cn".into(),
                "microsoftgraph.chinacloudapi.cn".into()
            )
        );
        for name in Cloud::NAMES {
            assert!(Cloud::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn plain_http_is_refused_except_on_this_machine() {
        assert!(Cloud::custom("http://127.0.0.1:8080", "http://localhost:8080/").is_ok());
        assert!(Cloud::custom("http://[::1]:9", "https://graph.example").is_ok());
        let refused = Cloud::custom("http://login.example.com", "https://graph.example");
        assert!(
            matches!(refused, Err(LiveError::InvalidInput(m)) if m.to_string().contains("plain http"))
        );
        assert!(Cloud::custom("ftp://x", "https://graph.example").is_err());
        assert!(Cloud::custom("not a url", "https://graph.example").is_err());
    }
}
