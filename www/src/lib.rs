//! Portolan's web app: paste manifests, see the routing graph with every port
//! labelled, inspect any object. Views are pure functions of [`state::State`];
//! the analysis is the same Rust core the CLI runs.

pub mod backend;
pub mod components;
pub mod examples;
pub mod explain;
pub mod files;
pub mod layout;
pub mod share;
pub mod state;
pub mod view;
pub mod worker;

pub use components::app::{App, AppProps, Engine};
