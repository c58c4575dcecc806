//! The list of findings, and in compare mode the changes to routing; a
//! click jumps to the line and selects the object.

use portolan_core::diag::Severity;
use yew::prelude::*;

use super::AppContext;
use crate::state::Action;

#[component]
pub fn DiagnosticsList() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let diags = &state.view.diagnostics;
    html! {
        <div class="diagnostics" role="region" aria-label="Findings">
            if let Some(changes) = &state.view.changes {
                <ChangesList changes={changes.clone()} />
            }
            <h2 class="pane-title">{ format!("Findings ({})", diags.len()) }</h2>
            if diags.is_empty() {
                <p class="muted empty">{ "No problems: the API server would accept every object." }</p>
            }
            <ul>
                { for diags.iter().map(|d| {
                    let onclick = {
                        let state = state.clone();
                        let (line, node) = (d.line, d.node.clone());
                        Callback::from(move |_| state.dispatch(Action::Goto { line, node: node.clone() }))
                    };
                    let sev = match d.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" };
                    html! {
                        <li data-testid="diagnostic" data-code={d.code.clone()} data-line={d.line.to_string()} class={classes!("diag", sev)}>
                            <button class="diag-button" {onclick} title={d.help.clone().unwrap_or_default()}>
                                <span class="diag-where">{ format!("{}:{}", d.line, d.column) }</span>
                                <span class="diag-code">{ &d.code }</span>
                                <span class="diag-message">{ &d.message }</span>
                                if let Some(h) = &d.help { <span class="diag-help">{ h }</span> }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChangesProps {
    pub changes: Vec<crate::view::ChangeView>,
}

/// Compare mode: what the edits since the base do to routing, as
/// `portolan diff` reports it.
#[component]
fn ChangesList(props: &ChangesProps) -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let changes = &props.changes;
    html! {
        <section class="changes" data-testid="changes" aria-live="polite">
            <h2 class="pane-title">{ format!("Changes since the base ({})", changes.len()) }</h2>
            if changes.is_empty() {
                <p class="muted empty">{ "No change to routing yet: edit the manifests, and what the edits do to Services, endpoints, exposure and references shows here." }</p>
            }
            <ul>
                { for changes.iter().map(|c| {
                    let onclick = {
                        let state = state.clone();
                        let (line, node) = (c.line, c.node.clone());
                        Callback::from(move |_| {
                            if let Some(line) = line {
                                state.dispatch(Action::Goto { line, node: node.clone() });
                            } else {
                                state.dispatch(Action::Select(node.clone()));
                            }
                        })
                    };
                    let sev = match c.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" };
                    html! {
                        <li data-testid="change" data-kind={c.kind.clone()} class={classes!("diag", sev)}>
                            <button class="diag-button" {onclick}>
                                <span class="diag-where">{ c.line.map_or_else(|| "base".to_owned(), |l| l.to_string()) }</span>
                                <span class="diag-code">{ &c.kind }</span>
                                <span class="diag-message">{ &c.message }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
