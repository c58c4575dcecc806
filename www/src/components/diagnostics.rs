//! The list of findings; a click jumps to the line and selects the object.

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
