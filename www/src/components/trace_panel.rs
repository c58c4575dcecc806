//! Trace one packet, or one HTTP request through an Ingress or a Gateway:
//! choose where it starts and where it goes (an address and port, or a
//! URL with a method and headers); see the verdict, each hop explained, the
//! route rule that matched, and every possible destination with its
//! probability (also highlighted on the graph).

use portolan_core::profile::ProxyMode;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::AppContext;
use crate::state::{Action, TraceOutcome, TraceRequest};

/// Up to this many sources the *From* field is a list; above, a text field
/// that suggests the nodes and the first pods (a list of thousands of pods
/// would cost every redraw and help nobody).
const LIST_UP_TO: usize = 500;

#[component]
pub fn TracePanel() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let from = use_state(String::new);
    let external = use_node_ref();
    let to = use_state(String::new);
    let protocol = use_state(|| "TCP".to_owned());
    let mode = use_state(|| "iptables".to_owned());
    let method = use_state(|| "GET".to_owned());
    let headers = use_state(String::new);
    // A share link's trace, *trace from here* and *trace to here* fill the
    // form (each once).
    {
        let (from, to, external) = (from.clone(), to.clone(), external.clone());
        use_effect_with(state.trace_seed.clone(), move |seed| {
            if seed.n == 0 {
                return;
            }
            if let Some(f) = &seed.from {
                if let Some(ip) = f.strip_prefix("external:") {
                    if let Some(input) = external.cast::<HtmlInputElement>() {
                        input.set_value(ip);
                    }
                    from.set("external".to_owned());
                } else {
                    from.set(f.clone());
                }
            }
            if let Some(t) = &seed.to {
                to.set(t.clone());
            }
        });
    }
    let view = &state.view;
    let pick = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: Event| {
            h.set(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let typed = view.sources.len() > LIST_UP_TO;
    // The chosen source if it still exists, else the first one; a typed
    // source is taken as typed (the trace says if no such pod exists).
    let current_from = if *from == "external"
        || (typed && !from.trim().is_empty())
        || view.sources.contains(&*from)
    {
        from.trim().to_owned()
    } else {
        view.sources.first().cloned().unwrap_or_default()
    };
    let on_from_input = {
        let from = from.clone();
        Callback::from(move |e: InputEvent| {
            from.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let from_field = if typed {
        // Nodes first, then as many pods as the list shows.
        let mut suggestions: Vec<&String> = view
            .sources
            .iter()
            .filter(|s| s.starts_with("node:"))
            .collect();
        suggestions.extend(
            view.sources
                .iter()
                .filter(|s| !s.starts_with("node:"))
                .take(LIST_UP_TO),
        );
        html! {
            <>
                <input data-testid="trace-from" list="trace-sources" value={current_from.clone()}
                    placeholder="pod:namespace/name, node:name or external:IP"
                    aria-label="Source: pod:namespace/name, node:name or external:IP" oninput={on_from_input} />
                <datalist id="trace-sources">
                    { for suggestions.iter().map(|s| html! { <option value={(*s).clone()} /> }) }
                </datalist>
            </>
        }
    } else {
        html! {
            <select data-testid="trace-from" onchange={pick(&from)}>
                { for view.sources.iter().map(|s| html! { <option value={s.clone()} selected={*s == current_from}>{ s }</option> }) }
                <option value="external" selected={current_from == "external"}>{ "external client…" }</option>
            </select>
        }
    };
    // Suggestions that fit the source: a client outside the cluster gets
    // the ways in (URLs, load balancers, node ports), a pod or a node the
    // cluster's names.
    let outside = current_from.starts_with("external");
    let suggestions: Vec<&String> = if outside {
        view.outside_destinations.iter().collect()
    } else {
        view.destinations.iter().collect()
    };
    let current_to = if to.is_empty() {
        suggestions
            .first()
            .map(|s| (*s).clone())
            .unwrap_or_default()
    } else {
        (*to).clone()
    };
    let oninput = {
        let to = to.clone();
        Callback::from(move |e: InputEvent| {
            to.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let url = portolan_core::sim::is_url(current_to.trim());
    let on_headers = {
        let headers = headers.clone();
        Callback::from(move |e: InputEvent| {
            headers.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let onsubmit = {
        let state = state.clone();
        let (external, protocol, mode) = (external.clone(), protocol.clone(), mode.clone());
        let (method, headers) = (method.clone(), headers.clone());
        let (source, dest) = (current_from.clone(), current_to.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut source = source.clone();
            if source == "external" {
                let ip = external
                    .cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default();
                source = format!("external:{}", ip.trim());
            }
            let proxy_mode = if *mode == "nftables" {
                ProxyMode::Nftables
            } else {
                ProxyMode::Iptables
            };
            state.dispatch(Action::Trace(TraceRequest {
                from: source,
                to: dest.trim().to_owned(),
                protocol: (*protocol).clone(),
                proxy_mode,
                method: if url {
                    (*method).clone()
                } else {
                    String::new()
                },
                headers: if url {
                    (*headers).clone()
                } else {
                    String::new()
                },
            }));
        })
    };
    let result = match &state.trace {
        None => html! {},
        Some(TraceOutcome::Invalid(e)) => html! {
            <div class="trace-result invalid" data-testid="trace-result" data-verdict="invalid"><p>{ e }</p></div>
        },
        Some(TraceOutcome::Done(t)) => html! {
            <div class={classes!("trace-result", format!("verdict-{}", t.verdict))} data-testid="trace-result" data-verdict={t.verdict.as_str()}>
                <p class="verdict">{ "Verdict: " }<strong>{ t.verdict.as_str() }</strong>
                    if let Some(c) = &t.cname { { format!(" → {c}") } }
                </p>
                <ol class="hops">
                    { for t.hops.iter().map(hop) }
                </ol>
                if let Some(r) = &t.route {
                    <p class="route" data-testid="trace-route">
                        { format!("{} {}/{} ", r.kind, r.namespace, r.name) }
                        <strong>{ if r.rule < 0 { "defaultBackend".to_owned() } else { format!("rule {}", r.rule) } }</strong>
                        { format!(" · {}", r.match_) }
                    </p>
                }
                if !t.backends.is_empty() {
                    <p class="backends" data-testid="trace-backends">{ "Backends: " }
                        { t.backends.iter().map(|b| format!("{} port {} (weight {})", b.service, b.port, b.weight)).collect::<Vec<_>>().join(", ") }
                    </p>
                }
                if let Some(r) = &t.redirect {
                    <p class="redirect" data-testid="trace-redirect">{ format!("Redirect {} → {}", r.status, r.location) }</p>
                }
                if let Some(u) = t.unresolved {
                    <p class="unresolved" data-testid="trace-unresolved">{ format!("Unresolved backend: {}% of requests get an error status", crate::view::fixed(u * 100.0, 0)) }</p>
                }
                if let Some(p) = t.delivered_probability {
                    <p class="delivered" data-testid="trace-delivered">{ format!("Delivered after NetworkPolicy: {}%", crate::view::fixed(p * 100.0, 0)) }</p>
                }
                if !t.destinations.is_empty() {
                    { destinations_table(&t.destinations, "trace-destinations") }
                }
                if let Some((service, lookup)) = &t.dns {
                    <p class="dns-lookup">{ format!("DNS lookup first: UDP 53 to {service}") }</p>
                    { destinations_table(lookup, "trace-dns") }
                }
            </div>
        },
    };
    html! {
        <section class="trace" aria-label="Trace a packet">
            <h2 class="pane-title">{ "Trace a packet" }</h2>
            <form class="trace-form" id="trace-form" {onsubmit}>
                <label>{ "From" }
                    { from_field }
                </label>
                <label>{ "External address" }
                    <input ref={external} data-testid="trace-external" value="198.51.100.7" aria-label="External client address" />
                </label>
                <label>{ "To" }
                    <input data-testid="trace-to" list="trace-destinations" value={current_to.clone()}
                        placeholder="HOST:PORT or http://HOST/PATH"
                        aria-label="Destination: HOST:PORT, or a URL http://HOST/PATH through an Ingress or a Gateway" {oninput} />
                    <datalist id="trace-destinations">
                        { for suggestions.iter().map(|d| html! { <option value={(*d).clone()} /> }) }
                    </datalist>
                </label>
                if url {
                    <label>{ "Method" }
                        <select data-testid="trace-method" onchange={pick(&method)}>
                            { for ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].iter().map(|m| html! { <option value={*m} selected={*method == *m}>{ m }</option> }) }
                        </select>
                    </label>
                    <label>{ "Headers" }
                        <input data-testid="trace-headers" value={(*headers).clone()} placeholder="x-canary: yes, version: two"
                            aria-label="Request headers, NAME: VALUE separated by commas" oninput={on_headers} />
                    </label>
                }
                // kube-proxy's protocol and mode do not apply to a request
                // the Ingress or Gateway proxies itself.
                if !url {
                    <label>{ "Protocol" }
                        <select data-testid="trace-protocol" onchange={pick(&protocol)}>
                            { for ["TCP", "UDP", "SCTP"].iter().map(|p| html! { <option value={*p} selected={*protocol == *p}>{ p }</option> }) }
                        </select>
                    </label>
                    <label>{ "kube-proxy" }
                        <select data-testid="trace-mode" onchange={pick(&mode)}>
                            { for ["iptables", "nftables"].iter().map(|m| html! { <option value={*m} selected={*mode == *m}>{ m }</option> }) }
                        </select>
                    </label>
                }
                <button class="button" type="submit" data-testid="trace-run">{ "Trace" }</button>
            </form>
            <div aria-live="polite" data-testid="trace-live">{ result }</div>
        </section>
    }
}

/// The destinations of a trace (or of its DNS lookup); when the input has
/// NetworkPolicies, each is followed by a row with its verdict and the
/// policies that decided it.
fn destinations_table(rows: &[portolan_core::sim::Destination], testid: &'static str) -> Html {
    html! {
        <table class="endpoints" data-testid={testid}>
            <thead><tr><th>{ "destination" }</th><th>{ "pod" }</th><th>{ "p" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|d| {
                    let by: Vec<String> = d.policies.iter().flatten()
                        .map(ToString::to_string)
                        .collect();
                    let policy = d.policy.map(|verdict| {
                        let class = if verdict == portolan_core::netpol::Verdict::Allowed { "policy-allowed" } else { "policy-denied" };
                        html! {
                            <tr class="policy-row">
                                <td colspan="3" class={class} data-policy={verdict.as_str()}>
                                    { verdict.as_str() }
                                    if !by.is_empty() { <span class="muted">{ format!(" · {}", by.join(", ")) }</span> }
                                </td>
                            </tr>
                        }
                    });
                    html! {
                        <>
                            <tr class="destination">
                                <td>{ format!("{}:{}", d.ip, d.port) }</td>
                                <td>{ d.pod.clone().unwrap_or_else(|| "-".into()) }</td>
                                <td>{ crate::view::fixed(d.probability, 2) }</td>
                            </tr>
                            { policy.unwrap_or_default() }
                        </>
                    }
                }) }
            </tbody>
        </table>
    }
}

/// One hop: what happened in words; the rules of Portolan's specification
/// it follows (`(D.3.1)`, `(E.5, E.6)`) behind a "why" disclosure.
fn hop(h: &portolan_core::sim::Hop) -> Html {
    let (text, rules) = crate::view::split_citation(&h.detail);
    html! {
        <li>
            <span class="hop-step">{ &h.step }</span>{ " " }{ text }
            if let Some(rules) = rules {
                <details class="why">
                    <summary>{ "why" }</summary>
                    { for rules.iter().map(|r| html! { <span class="why-rule">{ crate::view::cite(r) }</span> }) }
                </details>
            }
        </li>
    }
}
