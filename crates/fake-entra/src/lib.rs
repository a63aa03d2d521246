//! A faithful local fake of Entra ID's token endpoints and Microsoft Graph's sign-in log API.
//!
//! Sign-in Doctor's live features sign an administrator in to their tenant and page through
//! Graph's sign-in logs. Tests and demos cannot use a real tenant, so this crate plays one on
//! loopback: [`FakeEntra::start`] serves, from one origin, the Entra v2.0 endpoints (OpenID
//! discovery, authorize with PKCE, device code, token with the authorization-code,
//! refresh-token, device-code and client-credentials grants) and Graph's
//! `/beta/auditLogs/signIns` and `/v1.0/auditLogs/signIns`, with paging, the `$filter` subset
//! Graph supports, throttling and the errors a real tenant gives when something is missing
//! (licence, role, consent, Conditional Access, a scope). Microsoft's hosts are never called.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let fake = fake_entra::FakeEntra::start(fake_entra::Config::with_demo()).await?;
//! let authority = fake.base_url(); // also Graph's base URL
//! # Ok(()) }
//! ```
//!
//! What is faithful and what is simplified is written at the top of each module: `oauth`
//! (Entra's endpoints), `tokens` (what tokens hold; they are NOT signed), `graph` (the sign-in
//! API), `filter` (the OData subset), `schema` (property names and types), `errors` (error
//! bodies), `tls` (the throw-away CA), `config` (loading sign-ins).

mod config;
mod errors;
mod filter;
mod graph;
mod oauth;
mod schema;
mod server;
mod tls;
mod tokens;

pub use config::{Config, Failure, FakeUser};
pub use server::{FakeEntra, RequestRecord};
pub use signin_core::demo::DemoOptions;
