//! The routing graph as SVG: layered layout, every edge labelled with its
//! ports. It opens readable (one user unit per CSS pixel, so no label is
//! under 11 px) on what matters — the ways in and the flagged Services —
//! with a minimap when the whole graph does not fit; *Fit* shows it all.
//! Pan (drag), zoom (wheel or buttons), search; a click selects a node and
//! lights its whole path (what leads to it and where it leads), dimming the
//! rest; Esc or a click on the background deselects.

use std::fmt::Write as _;

use web_sys::{Element, HtmlInputElement, KeyboardEvent, MouseEvent, WheelEvent};
use yew::prelude::*;

use super::AppContext;
use crate::layout::{INSET, LINE1_Y, LINE2_Y, Layout, NODE_H};
use crate::state::Action;
use crate::view::{ViewBox, fixed};

/// The pane's size in CSS pixels (0 before it is laid out).
fn pane_size(svg: &NodeRef) -> (f64, f64) {
    svg.cast::<Element>().map_or((0.0, 0.0), |e| {
        let r = e.get_bounding_client_rect();
        (r.width(), r.height())
    })
}

/// Esc deselects, wherever the focus is.
#[hook]
fn use_escape_deselects(state: &AppContext) {
    let state = state.clone();
    use_effect_with((), move |()| {
        use wasm_bindgen::JsCast;
        let on_key = wasm_bindgen::closure::Closure::<dyn Fn(KeyboardEvent)>::new(
            move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    state.dispatch(Action::Select(None));
                }
            },
        );
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "keydown",
                    on_key.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// The view box: the readable default after every new analysed text (and
/// once the pane has a size), moved to show a node selected elsewhere (a
/// finding, a search) when none of it is in view.
#[hook]
fn use_view_box(state: &AppContext, svg: &NodeRef) -> UseStateHandle<ViewBox> {
    let layout = &state.view.layout;
    let vb = use_state(|| ViewBox::fit(layout));
    // Whether the last opening view was made without a pane to measure (a
    // hidden tab on a narrow screen): it is made again when the pane shows.
    let unmeasured = use_mut_ref(|| false);
    {
        let (vb, svg, view, unmeasured) = (
            vb.clone(),
            svg.clone(),
            state.view.clone(),
            unmeasured.clone(),
        );
        use_effect_with(state.tab, move |_| {
            let (w, h) = pane_size(&svg);
            if *unmeasured.borrow() && w > 0.0 {
                *unmeasured.borrow_mut() = false;
                vb.set(ViewBox::opening(&view.layout, w, h));
            }
        });
    }
    {
        let (vb, svg, view) = (vb.clone(), svg.clone(), state.view.clone());
        let unmeasured = unmeasured.clone();
        // A new text (its pointer) opens on the default. The same text
        // drawn again (a group expanded, a node killed) keeps the view, so
        // what changed stays where the user was looking.
        let key = std::rc::Rc::as_ptr(&state.analysed).cast::<u8>() as usize;
        use_effect_with(key, move |_| {
            let (w, h) = pane_size(&svg);
            *unmeasured.borrow_mut() = w <= 0.0;
            vb.set(ViewBox::opening(&view.layout, w, h));
        });
    }
    {
        let (vb, svg, view) = (vb.clone(), svg.clone(), state.view.clone());
        use_effect_with(state.selected.clone(), move |selected| {
            let node = selected
                .as_ref()
                .and_then(|s| view.layout.nodes.iter().find(|n| &n.id == s));
            if let Some(n) = node
                && !vb.shows(n.x, n.y, n.w)
            {
                let (w, h) = pane_size(&svg);
                let graph = (view.layout.width, view.layout.height);
                vb.set(vb.centred_on(n.x + n.w / 2, n.y + NODE_H / 2, (w, h), graph));
            }
        });
    }
    // A new trace: its path in view (at a readable size when it fits).
    {
        let (vb, svg, view, trace) = (
            vb.clone(),
            svg.clone(),
            state.view.clone(),
            state.trace.clone(),
        );
        use_effect_with(trace, move |trace| {
            let Some(crate::state::TraceOutcome::Done(t)) = trace else {
                return;
            };
            let path = crate::view::trace_path(&view.layout, t);
            if let Some(next) = vb.showing(&view.layout, &path.nodes, pane_size(&svg)) {
                vb.set(next);
            }
        });
    }
    vb
}

/// Pan by dragging; a press and release without moving is a click.
struct Drag {
    at: std::rc::Rc<std::cell::RefCell<Option<(f64, f64, ViewBox)>>>,
    moved: std::rc::Rc<std::cell::RefCell<bool>>,
}

#[component]
pub fn GraphView() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    use_escape_deselects(&state);
    let svg = use_node_ref();
    let vb = use_view_box(&state, &svg);
    let query = use_state(String::new);
    let drag = Drag {
        at: use_mut_ref(|| None),
        moved: use_mut_ref(|| false),
    };
    let layout = &state.view.layout;
    let onwheel = {
        let (vb, svg) = (vb.clone(), svg.clone());
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(el) = svg.cast::<Element>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let fx = (f64::from(e.client_x()) - r.left()) / r.width().max(1.0);
            let fy = (f64::from(e.client_y()) - r.top()) / r.height().max(1.0);
            let factor = if e.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 };
            vb.set(vb.zoomed(factor, vb.x + fx * vb.w, vb.y + fy * vb.h));
        })
    };
    let onmousedown = {
        let (vb, at, moved) = (vb.clone(), drag.at.clone(), drag.moved.clone());
        Callback::from(move |e: MouseEvent| {
            *at.borrow_mut() = Some((f64::from(e.client_x()), f64::from(e.client_y()), *vb));
            *moved.borrow_mut() = false;
        })
    };
    // A click on the background (nodes stop their clicks) deselects.
    let onclick = {
        let (state, moved) = (state.clone(), drag.moved.clone());
        Callback::from(move |_: MouseEvent| {
            if !*moved.borrow() {
                state.dispatch(Action::Select(None));
            }
        })
    };
    let onmousemove = {
        let (vb, svg, at, moved) = (vb.clone(), svg.clone(), drag.at.clone(), drag.moved.clone());
        Callback::from(move |e: MouseEvent| {
            let Some((sx, sy, start)) = *at.borrow() else {
                return;
            };
            if e.buttons() == 0 {
                return;
            }
            let (dx, dy) = (f64::from(e.client_x()) - sx, f64::from(e.client_y()) - sy);
            if dx.abs() + dy.abs() > 3.0 {
                *moved.borrow_mut() = true;
            }
            let (w, _) = pane_size(&svg);
            let k = start.w / w.max(1.0);
            vb.set(ViewBox {
                x: start.x - dx * k,
                y: start.y - dy * k,
                ..start
            });
        })
    };
    let onmouseup = {
        let at = drag.at.clone();
        Callback::from(move |_: MouseEvent| *at.borrow_mut() = None)
    };
    let tools = tools(&state, &vb, &svg, &query);
    let v = *vb;
    let body = graph_body(&state, &query, keyboard(&state, &vb, &svg), &v);
    let whole = ViewBox::fit(layout);
    html! {
        <div class="graph">
            { tools }
            if layout.nodes.len() <= 1 {
                <p class="muted empty">{ "No Services yet: paste manifests on the left." }</p>
            }
            <div class="graph-stage">
                <svg ref={svg.clone()} class={classes!("graph-svg", body.1.then_some("trace-failed"), body.2.then_some("focusing"))} data-testid="graph" role="img" aria-label="Routing graph"
                    data-nodes={layout.nodes.len().to_string()} data-drawn={body.3.to_string()}
                    viewBox={[v.x, v.y, v.w, v.h].map(|c| fixed(c, 1)).join(" ")}
                    {onwheel} {onmousedown} {onmousemove} {onmouseup} {onclick}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    { body.0 }
                </svg>
                if !v.covers(&whole) && layout.nodes.len() > 1 {
                    { minimap(layout, &vb, &svg) }
                }
            </div>
        </div>
    }
}

/// The bar above the graph: title, search, zoom, fit, legend.
fn tools(
    state: &AppContext,
    vb: &UseStateHandle<ViewBox>,
    svg: &NodeRef,
    query: &UseStateHandle<String>,
) -> Html {
    let layout = &state.view.layout;
    let button = |label: &'static str, title: &'static str, f: Callback<MouseEvent>| {
        html! {
            <button class="button small" aria-label={title} title={title} onclick={f}>{ label }</button>
        }
    };
    let zoom = |factor: f64| {
        let vb = vb.clone();
        Callback::from(move |_| vb.set(vb.zoomed(factor, vb.x + vb.w / 2.0, vb.y + vb.h / 2.0)))
    };
    let fit = {
        let (vb, whole) = (vb.clone(), ViewBox::fit(layout));
        Callback::from(move |_| vb.set(whole))
    };
    let matches = crate::view::search(layout, query);
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    // Enter selects the first match (and the view moves to it).
    let on_key = {
        let (state, first) = (
            state.clone(),
            matches.as_ref().and_then(|m| m.first().cloned()),
        );
        let (vb, svg) = (vb.clone(), svg.clone());
        let layout = state.view.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" {
                return;
            }
            if let Some(id) = &first {
                if let Some(n) = layout.layout.nodes.iter().find(|n| &n.id == id) {
                    let (w, h) = pane_size(&svg);
                    let graph = (layout.layout.width, layout.layout.height);
                    vb.set(vb.centred_on(n.x + n.w / 2, n.y + NODE_H / 2, (w, h), graph));
                }
                state.dispatch(Action::Select(Some(id.clone())));
            }
        })
    };
    html! {
        <div class="graph-tools">
            <h2 class="pane-title">{ "Routing graph" }</h2>
            <input class="graph-search" type="search" placeholder="Find: name, label, namespace, kind" aria-label="Find in the graph"
                data-testid="graph-search" value={(**query).clone()} oninput={on_query} onkeydown={on_key} />
            if let Some(m) = &matches {
                <span class="muted search-count" data-testid="search-count" aria-live="polite">
                    { format!("{} match{}", m.len(), if m.len() == 1 { "" } else { "es" }) }
                </span>
            }
            { button("+", "Zoom in", zoom(1.0 / 1.3)) }
            { button("−", "Zoom out", zoom(1.3)) }
            { button("Fit", "Show the whole graph", fit) }
            { legend() }
        </div>
    }
}

/// What the colours and strokes mean.
fn legend() -> Html {
    let item = |class: &'static str, text: &'static str| {
        html! {
            <li><svg width="28" height="14" aria-hidden="true"><rect class={classes!("swatch", class)} x="1" y="1" width="26" height="12" rx="3" /></svg>{ text }</li>
        }
    };
    let line = |class: &'static str, text: &'static str| {
        html! {
            <li><svg width="28" height="14" aria-hidden="true"><path class={classes!("swatch-line", class)} d="M1 7 H27" /></svg>{ text }</li>
        }
    };
    html! {
        <details class="legend" data-testid="legend">
            <summary>{ "Legend" }</summary>
            <ul class="plain">
                { item("kind-entry", "way in: load balancer, node port, external IP, Ingress, Gateway, route") }
                { item("kind-service", "Service") }
                { item("kind-service-port", "Service port") }
                { item("kind-pod", "pod or endpoint address") }
                { item("synthetic", "dashed: filled in from the cluster profile") }
                { item("flagged", "a finding is about it") }
                { item("empty", "no ready endpoint: connections fail") }
                { line("ready", "endpoint, ready") }
                { line("unready", "endpoint, not ready") }
                { line("on-path", "the last trace's path") }
                { line("failed", "the path of a trace that did not deliver") }
                { item("stopped", "where it stopped: refused, dropped or denied") }
            </ul>
        </details>
    }
}

/// The minimap box's width over its height (`.minimap` in the CSS).
const MINIMAP_RATIO: f64 = 200.0 / 130.0;

/// The minimap: the whole graph small, the view as a rectangle; a click
/// moves the view there. Each kind of node is one path, so the map of ten
/// thousand pods is a handful of elements. A graph far taller or wider
/// than the box is stretched to fill it (an overview to steer by, not to
/// read), instead of a sliver in the middle of it.
fn minimap(layout: &Layout, vb: &UseStateHandle<ViewBox>, svg: &NodeRef) -> Html {
    let (width, height) = (f64::from(layout.width), f64::from(layout.height));
    let ratio = width / height.max(1.0);
    let stretch = !(MINIMAP_RATIO / 3.0..=3.0 * MINIMAP_RATIO).contains(&ratio);
    let onclick = {
        let (vb, svg, w, h) = (vb.clone(), svg.clone(), layout.width, layout.height);
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            let target: Element = e.target_unchecked_into();
            let Some(map) = target.closest("svg").ok().flatten() else {
                return;
            };
            let rect = map.get_bounding_client_rect();
            // Stretched, or keeping the graph's aspect ratio, centred (meet).
            let (sx, sy) = (rect.width() / width, rect.height() / height);
            let (sx, sy) = if stretch {
                (sx, sy)
            } else {
                (sx.min(sy), sx.min(sy))
            };
            let left = rect.left() + (rect.width() - sx * width) / 2.0;
            let top = rect.top() + (rect.height() - sy * height) / 2.0;
            let at_x = (f64::from(e.client_x()) - left) / sx;
            let at_y = (f64::from(e.client_y()) - top) / sy;
            let (pane_w, pane_h) = pane_size(&svg);
            vb.set(vb.centred_on(at_x as i32, at_y as i32, (pane_w, pane_h), (w, h)));
        })
    };
    // A few kinds: a list, not a map.
    let mut paths: Vec<(&str, String, usize)> = Vec::new();
    for n in &layout.nodes {
        let i = if let Some(i) = paths.iter().position(|p| p.0 == n.kind) {
            i
        } else {
            paths.push((&n.kind, String::new(), 0));
            paths.len() - 1
        };
        let (_, d, count) = &mut paths[i];
        let _ = write!(d, "M{} {}h{}v{}h-{}z", n.x, n.y, n.w, NODE_H, n.w);
        *count += 1;
    }
    let v = **vb;
    html! {
        <svg class="minimap" data-testid="minimap" viewBox={format!("0 0 {} {}", layout.width, layout.height)} {onclick}
            preserveAspectRatio={if stretch { "none" } else { "xMidYMid meet" }}
            role="img" aria-label="Minimap: click to move the view">
            <rect class="minimap-bg" x="0" y="0" width={layout.width.to_string()} height={layout.height.to_string()} />
            { for paths.into_iter().map(|(kind, d, count)| html! {
                <path class={classes!("mini", format!("kind-{kind}"))} data-count={count.to_string()} {d} />
            }) }
            <rect class="minimap-view" data-testid="minimap-view" x={fixed(v.x, 0)} y={fixed(v.y, 0)} width={fixed(v.w, 0)} height={fixed(v.h, 0)} />
        </svg>
    }
}

/// The groups, edges and nodes near the view `v` (all of them in a small
/// graph), with the selection's path lit and the rest dimmed, search
/// matches marked, and the last trace's path; whether the trace failed,
/// whether a selection focuses the graph, and how many nodes are drawn.
fn graph_body(
    state: &AppContext,
    query: &str,
    keys: Callback<KeyboardEvent>,
    v: &ViewBox,
) -> (Html, bool, bool, usize) {
    let layout = &state.view.layout;
    let selected = state.selected.as_deref();
    let focus = crate::view::focus(layout, selected);
    let matches: Option<std::collections::BTreeSet<String>> =
        crate::view::search(layout, query).map(|m| m.into_iter().collect());
    let trace = match &state.trace {
        Some(crate::state::TraceOutcome::Done(t)) => crate::view::trace_path(layout, t),
        _ => crate::view::TracePath::default(),
    };
    let group_keys = crate::view::unique_keys(
        layout
            .groups
            .iter()
            .map(|g| format!("{}:{}", g.kind, g.label)),
    );
    let edge_keys =
        crate::view::unique_keys(layout.edges.iter().map(|e| format!("{}>{}", e.from, e.to)));
    let lit = |id: &str| focus.is_empty() || focus.contains(id);
    let stop = selected
        .filter(|s| layout.has(s))
        .or_else(|| crate::view::first_node(layout));
    let window = crate::view::Window::around(layout, v);
    let (node_on, edge_on, group_on) = crate::view::drawn(layout, window.as_ref(), stop.as_slice());
    let count = node_on.iter().filter(|&&d| d).count();
    let html = html! {
        <>
            <g class="groups">
                { for layout.groups.iter().zip(&group_keys).zip(&group_on).filter(|(_, on)| **on).map(|((g, key), _)| html! {
                    <g key={key.clone()} class={classes!("group", format!("group-{}", g.kind))} data-group={g.kind.clone()} data-label={g.label.clone()}>
                        <rect x={g.x.to_string()} y={g.y.to_string()} width={g.width.to_string()} height={g.height.to_string()} rx="8" />
                        if g.kind == "namespace" {
                            <text x={(g.x + 8).to_string()} y={(g.y + 16).to_string()} class="group-label">{ format!("namespace {}", g.label) }</text>
                        } else {
                            <text x={(g.x + g.width - 6).to_string()} y={(g.y + 15).to_string()} text-anchor="end" class="group-label node-group-label">{ &g.label }</text>
                        }
                    </g>
                }) }
            </g>
            <g class="edges">
                { for layout.edges.iter().zip(&edge_keys).zip(&edge_on).filter(|(_, on)| **on).map(|((e, key), _)| {
                    let on_focus = !focus.is_empty() && focus.contains(e.from.as_str()) && focus.contains(e.to.as_str());
                    let traced = trace.nodes.contains(&e.from) && trace.nodes.contains(&e.to);
                    let cls = classes!("edge", on_focus.then_some("hot"), (!focus.is_empty() && !on_focus).then_some("dim"), traced.then_some("on-path"), (e.ready == Some(false)).then_some("unready"), e.change.as_ref().map(|c| format!("change-{c}")));
                    html! {
                        <g key={key.clone()} class={cls} data-from={e.from.clone()} data-to={e.to.clone()} data-change={e.change.clone()}>
                            <title>{ &e.label }</title>
                            <path d={e.d.clone()} marker-end="url(#arrow)" />
                            if e.label_shown {
                                <text x={e.label_x.to_string()} y={e.label_y.to_string()} text-anchor={if e.label_end { "end" } else { "start" }} class="edge-label">{ &e.short }</text>
                            }
                        </g>
                    }
                }) }
            </g>
            <g class="nodes" onkeydown={keys}>
                { for layout.nodes.iter().zip(&node_on).filter(|(_, on)| **on).map(|(n, _)| node(state, n, NodeMarks {
                    stop: if selected == Some(n.id.as_str()) {
                        Stop::Selected
                    } else if stop == Some(n.id.as_str()) {
                        Stop::Tab
                    } else {
                        Stop::Other
                    },
                    lit: lit(&n.id),
                    matched: matches.as_ref().map(|m| m.contains(&n.id)),
                    on_path: trace.nodes.contains(&n.id),
                    stopped: trace.stopped.contains(&n.id),
                    probability: trace.probability.get(&n.id).copied(),
                })) }
            </g>
        </>
    };
    (html, trace.failed, !focus.is_empty(), count)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Selected (and the tab stop).
    Selected,
    /// The tab stop, with nothing selected.
    Tab,
    Other,
}

/// How one node is drawn besides its kind.
struct NodeMarks {
    /// Selected, or the graph's one tab stop (the selection, else the
    /// first node: arrow keys move from node to node).
    stop: Stop,
    /// On the selection's path (or nothing is selected).
    lit: bool,
    /// A search is on: whether this node matches it.
    matched: Option<bool>,
    on_path: bool,
    /// A failed trace stopped here.
    stopped: bool,
    probability: Option<f64>,
}

fn node(state: &AppContext, n: &crate::layout::LNode, m: NodeMarks) -> Html {
    let select = {
        let (state, id) = (state.clone(), n.id.clone());
        move || state.dispatch(Action::Select(Some(id.clone())))
    };
    let onclick = {
        let select = select.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            select();
        })
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            select();
        }
    });
    let cls = classes!(
        "node",
        format!("kind-{}", n.kind),
        n.synthetic.then_some("synthetic"),
        n.flagged.then_some("flagged"),
        n.empty.then_some("empty"),
        (m.stop == Stop::Selected).then_some("selected"),
        (!m.lit || m.matched == Some(false)).then_some("dim"),
        (m.matched == Some(true)).then_some("match"),
        m.on_path.then_some("on-path"),
        m.stopped.then_some("stopped"),
        n.change.as_ref().map(|c| format!("change-{c}")),
    );
    html! {
        <g key={n.id.clone()} class={cls} data-node-id={n.id.clone()} data-kind={n.kind.clone()} data-change={n.change.clone()}
            transform={format!("translate({},{})", n.x, n.y)} {onclick} {onkeydown} tabindex={if m.stop == Stop::Other { "-1" } else { "0" }} role="button"
            aria-label={format!("{} {}", n.kind.replace('-', " "), n.label)}>
            <title>{ format!("{} ({})", n.label, n.kind.replace('-', " ")) }</title>
            <rect width={n.w.to_string()} height={NODE_H.to_string()} rx="6" />
            <text x={INSET.to_string()} y={LINE1_Y.to_string()} class="node-label">{ &n.line1 }</text>
            <text x={INSET.to_string()} y={LINE2_Y.to_string()} class="node-sub">{ &n.line2 }</text>
            if let Some(p) = m.probability {
                <text x={(n.w - 6).to_string()} y={LINE2_Y.to_string()} text-anchor="end" class="node-probability" data-testid="probability">{ format!("p = {}", fixed(p, 2)) }</text>
            }
        </g>
    }
}

/// The graph from the keyboard, on the focused node: arrows move to the
/// next node (down and up a column, right and left to the nearest node of
/// the next column), Shift+arrows pan, + and - zoom.
fn keyboard(
    state: &AppContext,
    vb: &UseStateHandle<ViewBox>,
    svg: &NodeRef,
) -> Callback<KeyboardEvent> {
    let (view, vb, svg) = (state.view.clone(), vb.clone(), svg.clone());
    Callback::from(move |e: KeyboardEvent| {
        let key = e.key();
        let step = 120.0;
        let next = match (key.as_str(), e.shift_key()) {
            ("+" | "=", _) => Some(vb.zoomed(1.0 / 1.3, vb.x + vb.w / 2.0, vb.y + vb.h / 2.0)),
            ("-", _) => Some(vb.zoomed(1.3, vb.x + vb.w / 2.0, vb.y + vb.h / 2.0)),
            ("ArrowLeft", true) => Some(ViewBox {
                x: vb.x - step,
                ..*vb
            }),
            ("ArrowRight", true) => Some(ViewBox {
                x: vb.x + step,
                ..*vb
            }),
            ("ArrowUp", true) => Some(ViewBox {
                y: vb.y - step,
                ..*vb
            }),
            ("ArrowDown", true) => Some(ViewBox {
                y: vb.y + step,
                ..*vb
            }),
            _ => None,
        };
        if let Some(next) = next {
            e.prevent_default();
            vb.set(next);
            return;
        }
        let target: Element = e.target_unchecked_into();
        let Some(from) = target.get_attribute("data-node-id") else {
            return;
        };
        let Some(to) = crate::view::neighbour(&view.layout, &from, &key) else {
            return;
        };
        e.prevent_default();
        if let Some(n) = view.layout.nodes.iter().find(|n| n.id == to)
            && !vb.shows(n.x, n.y, n.w)
        {
            let graph = (view.layout.width, view.layout.height);
            vb.set(vb.centred_on(n.x + n.w / 2, n.y + NODE_H / 2, pane_size(&svg), graph));
        }
        focus_node(&target, to);
    })
}

/// Move the keyboard focus to the node `id` (a sibling of `from`). In a
/// large graph it may not be drawn until the view has moved to it: then the
/// focus follows after the next render.
fn focus_node(from: &Element, id: &str) {
    let Some(group) = from.parent_element() else {
        return;
    };
    if !focus_child(&group, id) {
        let id = id.to_owned();
        gloo::timers::callback::Timeout::new(0, move || {
            focus_child(&group, &id);
        })
        .forget();
    }
}

fn focus_child(group: &Element, id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let children = group.children();
    for i in 0..children.length() {
        if let Some(el) = children.item(i)
            && el.get_attribute("data-node-id").as_deref() == Some(id)
            && let Ok(el) = el.dyn_into::<web_sys::SvgElement>()
        {
            let _ = el.focus();
            return true;
        }
    }
    false
}
