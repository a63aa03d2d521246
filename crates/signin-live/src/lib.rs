//! Sign-in Doctor's link to a live tenant.
//!
//! * [`profile`]: saved tenant connections (tenant, cloud, app registration, sign-in mode).
//! * [`session`]: signing in by each mode and handing out Graph tokens.
//! * [`oauth`]: the browser (PKCE) and device-code flows, and refresh, against Entra's endpoints.
//! * [`vault`]: refresh tokens and client secrets, encrypted, with the key in the OS keyring.
//! * [`graph`]: the sign-in logs from Microsoft Graph, paced, retried and de-duplicated.
//!
//! Secrets are [`Secret`]s: they cannot be printed or serialised by accident, and nothing here
//! writes one to a plain file. Addresses come from the profile's [`Cloud`], so tests point every
//! request at a local fake and never at Microsoft.

pub mod certificate;
pub mod claims;
pub mod cloud;
pub mod error;
pub mod graph;
pub mod oauth;
pub mod profile;
pub mod secret;
pub mod session;
pub mod vault;

/// The HTTP client type the sessions use, for callers that build one.
pub use reqwest;

pub use cloud::Cloud;
pub use error::{ErrorKind, LiveError};
pub use profile::{Mode, Profile, Profiles};
pub use secret::Secret;
pub use session::{Notice, Session};
pub use vault::{Persistence, Vault};
