//! The details of the selected graph node: source location, fields,
//! endpoints, and the what-if actions (kill a pod, mark it unready, scale
//! its workload, flip traffic policies). Without a selection: the nodes,
//! which can be killed too.

use yew::prelude::*;

use super::AppContext;
use crate::state::{Action, Change};

fn button(label: &str, title: &str, testid: &'static str, onclick: Callback<MouseEvent>) -> Html {
    html! { <button class="button small" title={title.to_owned()} data-testid={testid} {onclick}>{ label }</button> }
}

#[component]
pub fn DetailsPanel() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let change = |c: Change| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Change(c.clone())))
    };
    let nodes = &state.view.nodes;
    // The cluster's nodes, with *Kill node*: open when nothing is selected,
    // folded under the details otherwise.
    let node_list = html! {
        <details class="node-list" open={state.selected.is_none()} data-testid="node-list">
            <summary>{ format!("Nodes ({})", nodes.len()) }</summary>
            <ul class="plain">
                { for nodes.iter().map(|(name, ip)| html! {
                    <li>
                        <span class="mono">{ format!("{name} {ip}") }</span>
                        { button("Kill node", "Delete this node: its pods are rescheduled by their controllers", "kill-node", change(Change::DeleteNode(name.clone()))) }
                    </li>
                }) }
            </ul>
        </details>
    };
    let Some(id) = state.selected.clone() else {
        return html! {
            <div class="details" data-testid="details">
                <h2 class="pane-title">{ "Details" }</h2>
                <p>{ "Click a Service, a port or a pod in the graph to see its fields, its endpoints and where it is defined, and to kill the pod or flip the Service's traffic policies." }</p>
                <p class="muted">{ "Pods that a Deployment, StatefulSet or DaemonSet would create are drawn with dashed borders: Portolan fills in what the cluster would, from the cluster profile." }</p>
                { node_list }
            </div>
        };
    };
    let Some(d) = state.selected_details() else {
        return html! { <div class="details" data-testid="details"><h2 class="pane-title">{ "Details" }</h2></div> };
    };
    let goto = d.location.as_ref().map(|(line, text)| {
        let state = state.clone();
        let line = *line;
        let onclick = Callback::from(move |_| state.dispatch(Action::Goto { line, node: None }));
        html! { <button class="link" {onclick}>{ text }</button> }
    });
    let mut actions = Vec::new();
    let act = &d.actions;
    if let Some(from) = &act.trace_from {
        let (state, from) = (state.clone(), from.clone());
        let onclick =
            Callback::from(move |_: MouseEvent| state.dispatch(Action::TraceFrom(from.clone())));
        actions.push(button(
            "Trace from here",
            "Start the trace form's packet here",
            "trace-from-here",
            onclick,
        ));
    }
    if let Some((to, outside)) = &act.trace_to {
        let (state, to, outside) = (state.clone(), to.clone(), *outside);
        let onclick = Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::TraceTo(to.clone(), outside));
        });
        let title = if outside {
            "Trace a packet from a client outside the cluster to here"
        } else {
            "End the trace form's packet here"
        };
        actions.push(button("Trace to here", title, "trace-to-here", onclick));
    }
    if let Some(key) = &act.pod {
        actions.push(button(
            "Kill pod",
            "Delete this pod; its controller, if any, replaces it",
            "kill-pod",
            change(Change::DeletePod(key.clone())),
        ));
        let label = if state.what_if.unready_pods.contains(key) {
            "Mark ready"
        } else {
            "Mark not ready"
        };
        actions.push(button(
            label,
            "Flip the pod's Ready condition",
            "toggle-ready",
            change(Change::ToggleReady(key.clone())),
        ));
    }
    if let Some((wkey, owner, now)) = &act.scale {
        actions.push(html! { <span class="muted">{ format!("{owner}: {now} replica{}", if *now == 1 { "" } else { "s" }) }</span> });
        actions.push(button(
            "−",
            "Scale down by one",
            "scale-down",
            change(Change::Scale(wkey.clone(), now - 1)),
        ));
        actions.push(button(
            "+",
            "Scale up by one",
            "scale-up",
            change(Change::Scale(wkey.clone(), now + 1)),
        ));
    }
    if id.starts_with("group:") {
        let state = state.clone();
        let gid = id.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| state.dispatch(Action::Expand(gid.clone())));
        actions.push(button(
            "Expand",
            "Draw each pod of this workload",
            "expand-group",
            onclick,
        ));
    }
    if let Some(key) = &act.service {
        if let Some(etp) = &act.external_traffic_policy {
            let other = if etp == "Local" { "Cluster" } else { "Local" };
            actions.push(button(
                &format!("externalTrafficPolicy → {other}"),
                "Flip the external traffic policy",
                "flip-etp",
                change(Change::ExternalTrafficPolicy(key.clone(), other.to_owned())),
            ));
        }
        if let Some(itp) = &act.internal_traffic_policy {
            let other = if itp == "Local" { "Cluster" } else { "Local" };
            actions.push(button(
                &format!("internalTrafficPolicy → {other}"),
                "Flip the internal traffic policy",
                "flip-itp",
                change(Change::InternalTrafficPolicy(key.clone(), other.to_owned())),
            ));
        }
    }
    html! {
        <div class="details" data-testid="details" data-node={id.clone()}>
            <h2 class="pane-title">{ &d.title }</h2>
            <p class="muted">{ &d.kind }{ for goto.map(|g| html! { <>{ " · defined at " }{ g }</> }) }</p>
            if !d.summary.is_empty() {
                <div class="summary-text" data-testid="details-summary">
                    { for d.summary.iter().map(|s| html! { <p>{ s }</p> }) }
                </div>
            }
            if !actions.is_empty() {
                <div class="actions">{ for actions }</div>
            }
            if !d.findings.is_empty() {
                <ul class="plain details-findings" data-testid="details-findings">
                    { for d.findings.iter().map(|(code, message, help)| html! {
                        <li>
                            <span class="mono diag-code">{ code }</span>{ " " }{ message }
                            if let Some(h) = help { <div class="muted">{ format!("help: {h}") }</div> }
                        </li>
                    }) }
                </ul>
            }
            <dl class="fields">
                { for d.rows.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
            </dl>
            if d.endpoints.is_empty() && matches!(d.kind.as_str(), "service" | "Service port") && !d.rows.iter().any(|(k, v)| k == "type" && v == "ExternalName") {
                <h3 data-testid="no-endpoints">{ "Endpoints (0)" }</h3>
            }
            if !d.endpoints.is_empty() {
                <h3>{ format!("Endpoints ({})", d.endpoints.len()) }</h3>
                <table class="endpoints" data-testid="endpoints">
                    <thead><tr><th>{ "pod" }</th><th>{ "address" }</th><th>{ "node" }</th><th>{ "state" }</th></tr></thead>
                    <tbody>
                        { for d.endpoints.iter().map(|e| html! {
                            <tr><td>{ &e[0] }</td><td>{ &e[1] }</td><td>{ &e[2] }</td><td>{ &e[3] }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
            { node_list }
        </div>
    }
}
