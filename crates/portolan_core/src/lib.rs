//! Portolan's core: reads Kubernetes manifests exactly as the API server and
//! kubectl read them, validates them, and answers where a Service sends its
//! packets. No I/O: callers pass sources in and get plain data back.

pub mod analysis;
pub mod cli;
pub mod cluster;
pub mod codes;
pub mod diag;
pub mod diff;
pub mod dns;
pub mod endpoints;
pub mod generate;
pub mod graph;
pub mod http;
pub mod legacy;
pub mod model;
pub mod names;
pub mod netpol;
pub mod options;
pub mod output;
pub mod par;
pub mod profile;
pub mod reach;
pub mod read;
pub mod redact;
pub mod refs;
pub mod rules;
pub mod selector;
pub mod sim;
pub mod snapshot;
pub mod source;
pub mod topology;
#[cfg(feature = "ts")]
pub mod ts;
pub mod types;
pub mod validate;
pub mod yaml;
