//! Which pods can reach which under NetworkPolicy (`portolan reach`,
//! interfaces.md §6.2): every pod to every pod, a row per workload pair,
//! port and path (direct or through a Service), with the verdict and the
//! policies that decided it. Opened on demand: the answer is computed in
//! the worker once per analysis and filtered there.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::AppContext;
use crate::state::{Action, ReachQuery};
use crate::worker::ReachRow;

#[component]
pub fn ReachPanel() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let open = state.reach_query.is_some();
    let query = state.reach_query.clone().unwrap_or_default();
    let ask = {
        let state = state.clone();
        move |q: Option<ReachQuery>| state.dispatch(Action::Reach(q))
    };
    let toggle = {
        let ask = ask.clone();
        let q = query.clone();
        Callback::from(move |_: MouseEvent| ask((!open).then(|| q.clone())))
    };
    let on_filter = {
        let ask = ask.clone();
        let q = query.clone();
        Callback::from(move |e: InputEvent| {
            let filter = e.target_unchecked_into::<HtmlInputElement>().value();
            ask(Some(ReachQuery {
                filter,
                ..q.clone()
            }));
        })
    };
    let on_denied = {
        let q = query.clone();
        Callback::from(move |e: Event| {
            let denied_only = e.target_unchecked_into::<HtmlInputElement>().checked();
            ask(Some(ReachQuery {
                denied_only,
                ..q.clone()
            }));
        })
    };
    html! {
        <section class="reach" aria-label="Reachability under NetworkPolicy" data-testid="reach">
            <div class="reach-head">
                <h2 class="pane-title">{ "Reachability" }</h2>
                <button class="button" aria-expanded={open.to_string()} onclick={toggle} data-testid="reach-toggle">
                    { if open { "Hide" } else { "Who can reach whom" } }
                </button>
            </div>
            if open {
                <div class="reach-form">
                    <input type="search" value={query.filter.clone()} placeholder="filter: workload, namespace, Service, policy"
                        aria-label="Filter the rows by workload, namespace, Service or policy" oninput={on_filter} data-testid="reach-filter" />
                    <label><input type="checkbox" checked={query.denied_only} onchange={on_denied} data-testid="reach-denied" />{ " denied only" }</label>
                </div>
                <div aria-live="polite">{ answer(&state) }</div>
            }
        </section>
    }
}

/// The summary line and the rows, or a note while the answer is on its way.
fn answer(state: &AppContext) -> Html {
    let Some(r) = &state.reach else {
        return html! { <p class="muted reach-note">{ "Evaluating every pod pair…" }</p> };
    };
    let summary = if r.policies == 0 {
        format!(
            "No NetworkPolicy in the input: no pod is isolated, so all {} connections are allowed (E.3.4).",
            r.connections
        )
    } else {
        format!(
            "{} of {} connections allowed under {} NetworkPolic{}.",
            r.allowed,
            r.connections,
            r.policies,
            if r.policies == 1 { "y" } else { "ies" }
        )
    };
    let more = (r.matching > r.rows.len()).then(|| {
        format!(
            "Showing the first {} of {} rows; narrow them with the filter.",
            r.rows.len(),
            r.matching
        )
    });
    html! {
        <>
            <p class="reach-note" data-testid="reach-summary">{ summary }</p>
            if r.rows.is_empty() {
                <p class="muted reach-note">{ "No row matches." }</p>
            } else {
                <ul class="reach-rows" data-testid="reach-rows">
                    { for r.rows.iter().map(|row| reach_row(state, row)) }
                </ul>
            }
            if let Some(m) = more { <p class="muted reach-note">{ m }</p> }
        </>
    }
}

/// The graph node a row's side is drawn as, if it is drawn.
fn node_of(state: &AppContext, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .find(|id| state.view.layout.has(id))
        .cloned()
}

/// A side as the page names it: `ns/name` (a workload's kind and a pod's
/// `pod:` are in its tooltip).
fn short(side: &str) -> String {
    match side.strip_prefix("workload:") {
        Some(w) => {
            let mut parts = w.splitn(3, '/');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(ns), Some(_kind), Some(name)) => format!("{ns}/{name}"),
                _ => w.to_owned(),
            }
        }
        None => side.strip_prefix("pod:").unwrap_or(side).to_owned(),
    }
}

/// One row: who to whom (each a button that selects it on the graph when it
/// is drawn), then the port and path, the verdict and what decided it.
fn reach_row(state: &AppContext, row: &ReachRow) -> Html {
    let side = |name: &str, nodes: &[String]| match node_of(state, nodes) {
        Some(id) => {
            let state = state.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                state.dispatch(Action::Select(Some(id.clone())));
            });
            html! { <button class="link" {onclick} title={format!("{name}: select on the graph")}>{ short(name) }</button> }
        }
        None => html! { <span title={name.to_owned()}>{ short(name) }</span> },
    };
    let class = if row.allowed {
        "policy-allowed"
    } else {
        "policy-denied"
    };
    html! {
        <li class="reach-row" data-verdict={row.verdict.clone()}>
            <div class="reach-sides">{ side(&row.from, &row.from_nodes) }{ " → " }{ side(&row.to, &row.to_nodes) }</div>
            <div class="reach-how">
                { &row.port }
                if let Some(v) = &row.via { { format!(" via {}", v.trim_start_matches("service:")) } }
                { " · " }
                <span class={class}>{ &row.verdict }</span>
                if !row.policies.is_empty() { { format!(" by {}", row.policies.join(", ")) } }
                { format!(" · {}", row.pairs) }
            </div>
        </li>
    }
}
