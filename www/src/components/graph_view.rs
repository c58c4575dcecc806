//! The routing graph as SVG: layered layout, every edge labelled with its
//! ports; pan (drag), zoom (wheel or buttons), fit to screen; click selects.

use web_sys::{Element, KeyboardEvent, MouseEvent, WheelEvent};
use yew::prelude::*;

use super::AppContext;
use crate::layout::{NODE_H, NODE_W};
use crate::state::Action;

/// Characters of a label that fit in a node box.
const LABEL_CHARS: usize = 30;

#[derive(Clone, Copy, PartialEq, Debug)]
struct ViewBox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

#[component]
pub fn GraphView() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let layout = &state.view.layout;
    let fit = ViewBox {
        x: 0.0,
        y: 0.0,
        w: f64::from(layout.width),
        h: f64::from(layout.height),
    };
    // A tall graph opens on its top at a readable scale; "Fit" shows it all.
    let start = ViewBox {
        h: fit.h.min(fit.w * 0.75),
        ..fit
    };
    let vb = use_state(|| start);
    let drag = use_mut_ref(|| None::<(f64, f64, ViewBox)>);
    // Whether the pointer moved since the button went down: a pan, not a
    // click on the background.
    let moved = use_mut_ref(|| false);
    // Esc deselects, wherever the focus is.
    {
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
                let _ =
                    w.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
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
    let svg = use_node_ref();
    {
        let vb = vb.clone();
        use_effect_with((layout.width, layout.height), move |_| vb.set(start));
    }
    let scale = {
        let svg = svg.clone();
        move || {
            svg.cast::<Element>().map_or(1.0, |e| {
                let r = e.get_bounding_client_rect();
                if r.width() > 0.0 {
                    1.0 / r.width()
                } else {
                    1.0
                }
            })
        }
    };
    let zoom = |vb: &UseStateHandle<ViewBox>, factor: f64, cx: f64, cy: f64| {
        let v = **vb;
        let w = (v.w * factor).clamp(80.0, 40_000.0);
        let h = v.h * w / v.w;
        vb.set(ViewBox {
            x: cx - (cx - v.x) * w / v.w,
            y: cy - (cy - v.y) * h / v.h,
            w,
            h,
        });
    };
    let onwheel = {
        let (vb, svg) = (vb.clone(), svg.clone());
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(el) = svg.cast::<Element>() else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let v = *vb;
            let cx = v.x + (f64::from(e.client_x()) - r.left()) / r.width().max(1.0) * v.w;
            let cy = v.y + (f64::from(e.client_y()) - r.top()) / r.height().max(1.0) * v.h;
            zoom(
                &vb,
                if e.delta_y() > 0.0 { 1.15 } else { 1.0 / 1.15 },
                cx,
                cy,
            );
        })
    };
    let onmousedown = {
        let (vb, drag, moved) = (vb.clone(), drag.clone(), moved.clone());
        Callback::from(move |e: MouseEvent| {
            *drag.borrow_mut() = Some((f64::from(e.client_x()), f64::from(e.client_y()), *vb));
            *moved.borrow_mut() = false;
        })
    };
    // A click on the background (nodes stop their clicks) deselects.
    let onclick = {
        let (state, moved) = (state.clone(), moved.clone());
        Callback::from(move |_: MouseEvent| {
            if !*moved.borrow() {
                state.dispatch(Action::Select(None));
            }
        })
    };
    let onmousemove = {
        let (vb, drag, moved) = (vb.clone(), drag.clone(), moved.clone());
        Callback::from(move |e: MouseEvent| {
            let Some((sx, sy, start)) = *drag.borrow() else {
                return;
            };
            if e.buttons() == 0 {
                return;
            }
            if (f64::from(e.client_x()) - sx).abs() + (f64::from(e.client_y()) - sy).abs() > 3.0 {
                *moved.borrow_mut() = true;
            }
            let k = start.w * scale();
            vb.set(ViewBox {
                x: start.x - (f64::from(e.client_x()) - sx) * k,
                y: start.y - (f64::from(e.client_y()) - sy) * k,
                ..start
            });
        })
    };
    let onmouseup = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| *drag.borrow_mut() = None)
    };
    let button = |label: &'static str, title: &'static str, f: Callback<MouseEvent>| {
        html! {
            <button class="button small" aria-label={title} title={title} onclick={f}>{ label }</button>
        }
    };
    let zoom_in = {
        let vb = vb.clone();
        Callback::from(move |_| {
            let v = *vb;
            zoom(&vb, 1.0 / 1.3, v.x + v.w / 2.0, v.y + v.h / 2.0);
        })
    };
    let zoom_out = {
        let vb = vb.clone();
        Callback::from(move |_| {
            let v = *vb;
            zoom(&vb, 1.3, v.x + v.w / 2.0, v.y + v.h / 2.0);
        })
    };
    let fit_cb = {
        let vb = vb.clone();
        Callback::from(move |_| vb.set(fit))
    };
    let selected = state.selected.clone();
    let linked = crate::view::linked(layout, selected.as_deref());
    let trace = match &state.trace {
        Some(crate::state::TraceOutcome::Done(t)) => crate::view::trace_path(layout, t),
        _ => crate::view::TracePath::default(),
    };
    let (path, probability, trace_failed) = (&trace.nodes, &trace.probability, trace.failed);
    let group_keys = crate::view::unique_keys(
        layout
            .groups
            .iter()
            .map(|g| format!("{}:{}", g.kind, g.label)),
    );
    let edge_keys =
        crate::view::unique_keys(layout.edges.iter().map(|e| format!("{}>{}", e.from, e.to)));
    let v = *vb;
    html! {
        <div class="graph">
            <div class="graph-tools">
                <h2 class="pane-title">{ "Routing graph" }</h2>
                { button("+", "Zoom in", zoom_in) }
                { button("−", "Zoom out", zoom_out) }
                { button("Fit", "Fit the graph to the window", fit_cb) }
            </div>
            if layout.nodes.len() <= 1 {
                <p class="muted empty">{ "No Services yet: paste manifests on the left." }</p>
            }
            <svg ref={svg} class={classes!("graph-svg", trace_failed.then_some("trace-failed"))} data-testid="graph" role="img" aria-label="Routing graph"
                viewBox={format!("{:.1} {:.1} {:.1} {:.1}", v.x, v.y, v.w, v.h)}
                {onwheel} {onmousedown} {onmousemove} {onmouseup} {onclick}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                    </marker>
                </defs>
                <g class="groups">
                    { for layout.groups.iter().zip(&group_keys).map(|(g, key)| html! {
                        <g key={key.clone()} class={classes!("group", format!("group-{}", g.kind))} data-group={g.kind.clone()} data-label={g.label.clone()}>
                            <rect x={g.x.to_string()} y={g.y.to_string()} width={g.width.to_string()} height={g.height.to_string()} rx="8" />
                            if g.kind == "namespace" {
                                <text x={(g.x + 8).to_string()} y={(g.y + 15).to_string()} class="group-label">{ format!("namespace {}", g.label) }</text>
                            } else {
                                <text x={(g.x + g.width - 6).to_string()} y={(g.y + 14).to_string()} text-anchor="end" class="group-label node-group-label">{ &g.label }</text>
                            }
                        </g>
                    }) }
                </g>
                <g class="edges">
                    { for layout.edges.iter().zip(&edge_keys).map(|(e, key)| {
                        let hot = selected.as_deref().is_some_and(|s| e.from == s || e.to == s);
                        let traced = path.contains(&e.from) && path.contains(&e.to);
                        let cls = classes!("edge", hot.then_some("hot"), traced.then_some("on-path"), (e.ready == Some(false)).then_some("unready"), e.change.as_ref().map(|c| format!("change-{c}")));
                        html! {
                            <g key={key.clone()} class={cls} data-from={e.from.clone()} data-to={e.to.clone()} data-change={e.change.clone()}>
                                <path d={e.d.clone()} marker-end="url(#arrow)" />
                                <text x={e.label_x.to_string()} y={e.label_y.to_string()} text-anchor="middle" class="edge-label">{ &e.label }</text>
                            </g>
                        }
                    }) }
                </g>
                <g class="nodes">
                    { for layout.nodes.iter().map(|n| {
                        let onclick = {
                            let state = state.clone();
                            let id = n.id.clone();
                            Callback::from(move |e: MouseEvent| { e.stop_propagation(); state.dispatch(Action::Select(Some(id.clone()))); })
                        };
                        let onkeydown = {
                            let state = state.clone();
                            let id = n.id.clone();
                            Callback::from(move |e: KeyboardEvent| {
                                if e.key() == "Enter" || e.key() == " " {
                                    e.prevent_default();
                                    state.dispatch(Action::Select(Some(id.clone())));
                                }
                            })
                        };
                        let cls = classes!(
                            "node",
                            format!("kind-{}", n.kind),
                            n.synthetic.then_some("synthetic"),
                            n.flagged.then_some("flagged"),
                            (selected.as_deref() == Some(n.id.as_str())).then_some("selected"),
                            linked.contains(n.id.as_str()).then_some("linked"),
                            path.contains(&n.id).then_some("on-path"),
                            n.change.as_ref().map(|c| format!("change-{c}")),
                        );
                        let p = probability.get(&n.id).map(|p| format!("p = {p:.2}"));
                        let sub = n.namespace.clone().unwrap_or_else(|| n.kind.replace('-', " "));
                        html! {
                            <g key={n.id.clone()} class={cls} data-node-id={n.id.clone()} data-kind={n.kind.clone()} data-change={n.change.clone()}
                                transform={format!("translate({},{})", n.x, n.y)} {onclick} {onkeydown} tabindex="0" role="button"
                                aria-label={format!("{} {}", n.kind, n.label)}>
                                <title>{ format!("{} ({})", n.label, n.kind) }</title>
                                <rect width={NODE_W.to_string()} height={NODE_H.to_string()} rx="6" />
                                <text x="10" y="15" class="node-label">{ truncate(&n.label, LABEL_CHARS) }</text>
                                <text x="10" y="28" class="node-sub">{ truncate(&sub, LABEL_CHARS + 6) }</text>
                                if let Some(p) = p {
                                    <text x={(NODE_W - 6).to_string()} y="28" text-anchor="end" class="node-probability" data-testid="probability">{ p }</text>
                                }
                            </g>
                        }
                    }) }
                </g>
            </svg>
        </div>
    }
}
