//! The page's components, one per file; each reads the shared state from context.

pub mod app;
pub mod details;
pub mod diagnostics;
pub mod editor;
pub mod graph_view;
pub mod reach_panel;
pub mod toolbar;
pub mod trace_panel;

use yew::UseReducerHandle;

use crate::state::State;

/// The state handle every component gets from the context provider.
pub type AppContext = UseReducerHandle<State>;
