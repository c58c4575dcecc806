//! The details of the selected graph node: source location, fields, endpoints.

use yew::prelude::*;

use super::AppContext;
use crate::state::Action;

#[component]
pub fn DetailsPanel() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let Some(d) = state
        .selected
        .as_ref()
        .and_then(|id| state.view.details.get(id))
    else {
        return html! {
            <div class="details" data-testid="details">
                <h2 class="pane-title">{ "Details" }</h2>
                <p>{ "Click a Service, a port or a pod in the graph to see its fields, its endpoints and where it is defined." }</p>
                <p class="muted">{ "Pods that a Deployment, StatefulSet or DaemonSet would create are drawn with dashed borders: Portolan fills in what the cluster would, from the cluster profile." }</p>
            </div>
        };
    };
    let goto = d.location.as_ref().map(|(line, text)| {
        let state = state.clone();
        let line = *line;
        let onclick = Callback::from(move |_| state.dispatch(Action::Goto { line, node: None }));
        html! { <button class="link" {onclick}>{ text }</button> }
    });
    html! {
        <div class="details" data-testid="details">
            <h2 class="pane-title">{ &d.title }</h2>
            <p class="muted">{ &d.kind }{ for goto.map(|g| html! { <>{ " · defined at " }{ g }</> }) }</p>
            <dl class="fields">
                { for d.rows.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
            </dl>
            if !d.endpoints.is_empty() {
                <h3>{ format!("Endpoints ({})", d.endpoints.len()) }</h3>
                <table class="endpoints" data-testid="endpoints">
                    <thead><tr><th>{ "pod" }</th><th>{ "address" }</th><th>{ "node" }</th><th>{ "conditions" }</th></tr></thead>
                    <tbody>
                        { for d.endpoints.iter().map(|e| html! {
                            <tr><td>{ &e[0] }</td><td>{ &e[1] }</td><td>{ &e[2] }</td><td>{ &e[3] }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
