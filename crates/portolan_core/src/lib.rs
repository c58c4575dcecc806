//! Portolan's core: reads Kubernetes manifests exactly as the API server and
//! kubectl read them, validates them, and answers where a Service sends its
//! packets. No I/O: callers pass sources in and get plain data back.

pub mod diag;
pub mod source;
pub mod yaml;
pub mod model;
pub mod profile;
pub mod selector;
pub mod validate;
pub mod cluster;
pub mod endpoints;
pub mod analysis;
pub mod rules;
pub mod graph;
pub mod output;
pub mod cli;
