//! Microsoft Graph's sign-in logs: the filter ([`filter`]) and the careful fetch ([`fetch`]).

pub mod fetch;
pub mod filter;

pub use fetch::{
    Event, FetchOptions, FetchSummary, Pace, Page, WaitReason, fetch, preflight, retention_notice,
};
