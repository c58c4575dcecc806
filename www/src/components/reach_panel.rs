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
                <table class="endpoints reach-rows" data-testid="reach-rows">
                    <thead><tr><th>{ "from → to" }</th><th>{ "port" }</th><th>{ "verdict" }</th></tr></thead>
                    <tbody>{ for r.rows.iter().map(|row| reach_row(state, row)) }</tbody>
                </table>
            }
            if let Some(m) = more { <p class="muted reach-note">{ m }</p> }
        </>
    }
}

/// The graph node a row's side is drawn as, if it is drawn.
fn node_of(state: &AppContext, side: &str) -> Option<String> {
    let id = match side.strip_prefix("workload:") {
        Some(w) => format!("group:{w}"),
        None => side.to_owned(),
    };
    state.view.details.contains_key(&id).then_some(id)
}

/// One row: who to whom (each a button that selects it on the graph when it
/// is drawn), the port and path, the verdict and what decided it.
fn reach_row(state: &AppContext, row: &ReachRow) -> Html {
    let side = |name: &str| match node_of(state, name) {
        Some(id) => {
            let state = state.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                state.dispatch(Action::Select(Some(id.clone())));
            });
            html! { <button class="link" {onclick} title="select on the graph">{ name.to_owned() }</button> }
        }
        None => html! { { name.to_owned() } },
    };
    let class = if row.allowed {
        "policy-allowed"
    } else {
        "policy-denied"
    };
    html! {
        <tr class="reach-row" data-verdict={row.verdict.clone()}>
            <td>{ side(&row.from) }{ " → " }{ side(&row.to) }</td>
            <td>
                { &row.port }
                if let Some(v) = &row.via { <span class="muted">{ format!(" via {}", v.trim_start_matches("service:")) }</span> }
            </td>
            <td>
                <span class={class}>{ &row.verdict }</span>
                if !row.policies.is_empty() { <span class="muted">{ format!(" by {}", row.policies.join(", ")) }</span> }
                <span class="muted">{ format!(" · {}", row.pairs) }</span>
            </td>
        </tr>
    }
}
