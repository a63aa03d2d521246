//! Tests of the fake tenant over HTTP, with a real client, as the product's client crate uses it.
#![allow(clippy::unwrap_used)]

mod graph;
mod oauth;
mod support;
mod tls;
