//! Component tests in headless Chromium: the app renders the embedded
//! example's graph, the layout is deterministic, and the view agrees with
//! the core.

#![cfg(target_arch = "wasm32")]

use portolan_core::snapshot::WhatIf;
use portolan_www::examples::EXAMPLES;
use portolan_www::view::compute;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

async fn tick(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_app_renders_the_default_example_graph() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    // The analysis answers in place here: no worker script is served to
    // wasm-bindgen-test (the end-to-end tests drive the real worker).
    let engine = std::rc::Rc::new(std::cell::RefCell::new(
        portolan_www::worker::Engine::default(),
    ));
    let local = yew::Callback::from(move |r| engine.borrow_mut().handle(r));
    yew::Renderer::<portolan_www::App>::with_root_and_props(
        root.clone(),
        portolan_www::AppProps {
            engine: portolan_www::Engine::Local(local),
        },
    )
    .render();
    // The first analysis is asked for once the app is mounted.
    let mut services = 0;
    for _ in 0..100 {
        tick(50).await;
        services = root
            .query_selector_all("[data-kind=service]")
            .unwrap()
            .length();
        if services > 0 {
            break;
        }
    }
    assert_eq!(services, 12, "Online Boutique has 12 Services");
    let editor = root
        .query_selector("[data-testid=editor]")
        .unwrap()
        .unwrap();
    let text = editor
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert!(text.contains("kind: Deployment"));
}

#[wasm_bindgen_test]
fn the_layout_is_deterministic_and_on_integer_coordinates() {
    let a = compute(EXAMPLES[1].text, &WhatIf::default());
    let b = compute(EXAMPLES[1].text, &WhatIf::default());
    assert!(
        a.layout == b.layout && a.diagnostics == b.diagnostics && a.details == b.details,
        "the same input gives the same view"
    );
    assert!(
        a.layout
            .nodes
            .iter()
            .all(|n| n.x >= 0 && n.y >= 0 && n.x < a.layout.width && n.y < a.layout.height)
    );
    let ids: std::collections::BTreeSet<_> = a.layout.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), a.layout.nodes.len(), "node ids are unique");
}

#[wasm_bindgen_test]
fn bookinfo_reviews_has_three_endpoints_in_the_details() {
    let v = compute(EXAMPLES[1].text, &WhatIf::default());
    let d = &v.details["service:default/reviews"];
    assert_eq!(d.endpoints.len(), 3);
    assert!(d.location.as_ref().is_some_and(|(line, _)| *line > 1));
}

#[wasm_bindgen_test]
fn findings_carry_their_lines() {
    let v = compute(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports:\n  - port: 80\n",
        &WhatIf::default(),
    );
    assert_eq!(v.errors, 1);
    assert_eq!(v.diagnostics[0].line, 4);
    assert_eq!(
        v.diagnostics[0].node.as_deref(),
        Some("service:default/Web")
    );
}

#[wasm_bindgen_test]
fn answers_to_superseded_requests_are_dropped() {
    use portolan_www::state::{Action, State};
    use portolan_www::worker::{Request, Response};
    use std::rc::Rc;
    use yew::Reducible;

    // The reducer only writes requests into the outbox; nothing answers
    // them here, like a busy worker.
    let mut asked = Vec::new();
    let mut s = Rc::new(State::default());
    let mut record = |s: &State| {
        if let Some((id, r)) = &s.outbox.analysis {
            assert!(matches!(**r, Request::Analyse { id: i, .. } if i == *id));
            if asked.last() != Some(id) {
                asked.push(*id);
            }
        }
    };
    for action in [
        Action::Attached,
        Action::Edit("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n".into()),
        Action::Analyse,
        Action::Edit(EXAMPLES[1].text.into()),
        Action::Analyse,
    ] {
        s = s.reduce(action);
        record(&s);
    }
    let ids = asked;
    assert_eq!(ids.len(), 3, "the initial text, then two edits");
    assert!(s.busy);
    // The answer to the first edit arrives late: dropped.
    let old = compute(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
        &WhatIf::default(),
    );
    s = s.reduce(Action::Response(Response::Analysed {
        id: ids[1],
        view: Box::new(old),
        trace: None,
        details: None,
    }));
    assert!(
        s.busy && s.view.objects == 0,
        "a superseded answer is not shown"
    );
    let new = compute(EXAMPLES[1].text, &WhatIf::default());
    let objects = new.objects;
    s = s.reduce(Action::Response(Response::Analysed {
        id: ids[2],
        view: Box::new(new),
        trace: None,
        details: None,
    }));
    assert!(!s.busy);
    assert_eq!(s.view.objects, objects);
    assert_eq!(&*s.analysed, EXAMPLES[1].text);
}

#[wasm_bindgen_test]
fn the_graph_is_grouped_by_namespace_and_by_node() {
    let mut text = String::new();
    for ns in ["shop", "billing"] {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: api, namespace: {ns}}}\nspec:\n  selector: {{app: api}}\n  ports: [{{port: 80}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: api, namespace: {ns}}}\nspec:\n  replicas: 4\n  selector: {{matchLabels: {{app: api}}}}\n  template:\n    metadata: {{labels: {{app: api}}}}\n    spec:\n      containers: [{{name: api, image: x}}]\n---\n"
        ));
    }
    let v = compute(&text, &WhatIf::default());
    let l = &v.layout;
    let bands: Vec<&portolan_www::layout::LGroup> =
        l.groups.iter().filter(|g| g.kind == "namespace").collect();
    assert_eq!(
        bands.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
        ["billing", "shop"],
        "one band per namespace, by name"
    );
    let inside = |g: &portolan_www::layout::LGroup, n: &portolan_www::layout::LNode| {
        n.x >= g.x
            && n.y >= g.y
            && n.x + n.w <= g.x + g.width
            && n.y + portolan_www::layout::NODE_H <= g.y + g.height
    };
    for n in l.nodes.iter().filter(|n| n.kind != "external") {
        let ns = n.namespace.as_deref().unwrap_or_default();
        let band = bands.iter().find(|g| g.label == ns).expect("a band");
        assert!(inside(band, n), "{} lies in the band of {ns}", n.id);
        assert!(
            bands.iter().filter(|g| inside(g, n)).count() == 1,
            "bands do not overlap"
        );
    }
    // Every pod sits in the box of the node it runs on.
    let a = portolan_core::analysis::analyze(
        vec![portolan_core::source::Source::new("m.yaml", text.clone())],
        &portolan_core::profile::Profile::default(),
    )
    .unwrap();
    for p in &a.cluster.pods {
        let n = l
            .nodes
            .iter()
            .find(|n| n.id == format!("pod:{}", p.key()))
            .unwrap();
        let node = p.node.as_deref().unwrap();
        assert!(
            l.groups.iter().any(|g| g.kind == "node"
                && g.label == node
                && n.x >= g.x
                && n.y >= g.y
                && n.y + 34 <= g.y + g.height),
            "{} is boxed with {node}",
            p.key()
        );
    }
}

/// Compare mode (issue 15): the worker's engine diffs the current text
/// against the base, lists the changes with their lines and marks their
/// nodes; the base is analysed once, and a share link carries it.
#[wasm_bindgen_test]
fn compare_mode_lists_and_marks_the_changes_from_the_base() {
    use portolan_www::worker::{Engine, Request, Response};
    let base = EXAMPLES[0].text;
    assert!(base.contains("value: \"redis-cart:6379\""));
    let head = base.replace("value: \"redis-cart:6379\"", "value: \"redis-crat:6379\"");
    let mut engine = Engine::default();
    let ask = |engine: &mut Engine, text: &str, base: Option<&str>| match engine.handle(
        Request::Analyse {
            id: 1,
            text: text.to_owned(),
            invalid_utf8: Vec::new(),
            what_if: WhatIf::default(),
            expanded: std::collections::BTreeSet::new(),
            trace: None,
            base: base.map(str::to_owned),
            selected: None,
        },
    ) {
        Some(Response::Analysed { view, .. }) => view,
        other => panic!("{other:?}"),
    };
    let v = ask(&mut engine, &head, Some(base));
    let changes = v.changes.as_ref().expect("comparing");
    assert_eq!(changes.len(), 1, "{changes:?}");
    let c = &changes[0];
    assert_eq!(c.kind, "reference-broken");
    let line = head.lines().position(|l| l.contains("redis-crat")).unwrap() + 1;
    assert_eq!(c.line, Some(line));
    assert_eq!(c.node.as_deref(), Some("port:default/redis-cart:6379/TCP"));
    let marked: Vec<(&str, &str)> = v
        .layout
        .nodes
        .iter()
        .filter_map(|n| Some((n.id.as_str(), n.change.as_deref()?)))
        .collect();
    assert_eq!(marked, [("port:default/redis-cart:6379/TCP", "lost")]);
    // Scaling up: the endpoint edges to the new pods are marked gained.
    let scaled = base.replacen(
        "  selector:\n    matchLabels:\n      app: frontend\n",
        "  replicas: 2\n  selector:\n    matchLabels:\n      app: frontend\n",
        1,
    );
    assert_ne!(scaled, base);
    let v = ask(&mut engine, &scaled, Some(base));
    let gained: Vec<(&str, &str)> = v
        .layout
        .edges
        .iter()
        .filter(|e| e.change.as_deref() == Some("gained"))
        .map(|e| (e.from.as_str(), e.to.as_str()))
        .collect();
    assert_eq!(gained.len(), 4, "two pods behind two ports: {gained:?}");
    assert!(
        gained
            .iter()
            .all(|(from, to)| from.starts_with("port:default/frontend")
                && to.starts_with("pod:default/frontend-"))
    );
    // Not comparing: no list, no marks.
    let v = ask(&mut engine, &head, None);
    assert!(v.changes.is_none());
    assert!(v.layout.nodes.iter().all(|n| n.change.is_none()));
    // The share link keeps both sides.
    let shared = portolan_www::share::Link {
        text: head.clone(),
        base: Some(base.to_owned()),
        selected: Some("service:default/frontend".to_owned()),
        ..Default::default()
    };
    let back = portolan_www::share::decode(&portolan_www::share::encode(&shared)).unwrap();
    assert_eq!(back, shared, "both sides and the selection");
}

#[wasm_bindgen_test]
fn the_reducer_is_pure_and_shares_the_undo_history() {
    use portolan_www::state::{Action, Change, State};
    use std::rc::Rc;
    use yew::Reducible;

    let start = Rc::new(State::default()).reduce(Action::Attached);
    let before = (*start).clone();
    // The same action on the same state gives the same state: nothing
    // outside the state is read or written.
    let first = start
        .clone()
        .reduce(Action::Change(Change::DeletePod("default/a".into())));
    let again = start
        .clone()
        .reduce(Action::Change(Change::DeletePod("default/a".into())));
    assert_eq!(*start, before, "the old state is unchanged");
    assert_eq!(first.outbox, again.outbox);
    assert_eq!(first.what_if, again.what_if);
    assert_eq!(first.undo.len(), 1);
    // A later action shares the history instead of copying it.
    let later = first
        .clone()
        .reduce(Action::Select(Some("pod:default/a".into())));
    assert_eq!(later.undo, first.undo, "the same history, not a copy");
    assert!(Rc::ptr_eq(&later.what_if, &first.what_if));
    let undone = later.reduce(Action::Undo);
    assert!(undone.undo.is_empty() && undone.what_if.deleted_pods.is_empty());
    // Superseding: each analysis request has a new number.
    let ids = |s: &State| s.outbox.analysis.as_ref().map(|r| r.0);
    assert!(ids(&undone) > ids(&first) && ids(&first) > ids(&start));
}

#[wasm_bindgen_test]
fn a_trace_path_runs_from_the_service_through_its_port_to_the_pods() {
    use portolan_www::view::{trace_path, unique_keys};
    use portolan_www::worker::{Engine, Request, Response, TraceOutcome, TraceRequest};
    let from = compute(EXAMPLES[1].text, &WhatIf::default())
        .details
        .keys()
        .find(|k| k.starts_with("pod:default/productpage"))
        .expect("a productpage pod")
        .clone();
    let request = |to: &str| TraceRequest {
        from: from.clone(),
        to: to.to_owned(),
        protocol: "TCP".to_owned(),
        proxy_mode: portolan_core::profile::ProxyMode::Iptables,
        method: String::new(),
        headers: String::new(),
    };
    let mut engine = Engine::default();
    let mut ask = |to: &str| match engine.handle(Request::Analyse {
        id: 1,
        text: EXAMPLES[1].text.to_owned(),
        invalid_utf8: Vec::new(),
        what_if: WhatIf::default(),
        expanded: std::collections::BTreeSet::new(),
        trace: Some(request(to)),
        base: None,
        selected: None,
    }) {
        Some(Response::Analysed {
            view,
            trace: Some(TraceOutcome::Done(t)),
            ..
        }) => trace_path(&view.layout, &t),
        other => panic!("{other:?}"),
    };
    let p = ask("reviews:9080");
    assert!(!p.failed);
    assert!(p.nodes.contains("service:default/reviews"));
    assert!(
        p.nodes
            .iter()
            .any(|n| n.starts_with("port:default/reviews:9080"))
    );
    assert_eq!(p.probability.len(), 3, "three reviews pods: {p:?}");
    let total: f64 = p.probability.values().sum();
    assert!((total - 1.0).abs() < 1e-9);
    // A port the Service does not have: the path stops at the Service, in
    // the error colour.
    let p = ask("reviews:9999");
    assert!(p.failed && p.probability.is_empty(), "{p:?}");
    // It stopped at the Service, which has no such port.
    assert_eq!(
        p.stopped.iter().map(String::as_str).collect::<Vec<_>>(),
        ["service:default/reviews"]
    );
    assert!(ask("reviews:9080").stopped.is_empty());
    assert_eq!(
        unique_keys(["a", "b", "a", "a"].map(str::to_owned).into_iter()),
        ["a", "b", "a#2", "a#3"]
    );
}

#[wasm_bindgen_test]
fn hop_citations_move_behind_why_and_other_parentheses_stay() {
    use portolan_www::view::split_citation;
    let (text, rules) = split_citation(
        "DNAT to one of 3 endpoint(s), each with probability 1/3 (D.2.4): 10.244.0.4:9080",
    );
    assert_eq!(
        text,
        "DNAT to one of 3 endpoint(s), each with probability 1/3: 10.244.0.4:9080"
    );
    assert_eq!(rules.unwrap(), ["D.2.4"]);
    let (text, rules) = split_citation(
        "reviews.default.svc.cluster.local → A (Service default/reviews: its ClusterIP (D.8.1))",
    );
    assert_eq!(
        text,
        "reviews.default.svc.cluster.local → A (Service default/reviews: its ClusterIP)"
    );
    assert_eq!(rules.unwrap(), ["D.8.1"]);
    let (text, rules) = split_citation("allowed by two policies (E.5, E.6)");
    assert_eq!(
        (text.as_str(), rules.unwrap()),
        (
            "allowed by two policies",
            vec!["E.5".to_owned(), "E.6".to_owned()]
        )
    );
    assert_eq!(
        split_citation("no rule here (really)"),
        ("no rule here (really)".to_owned(), None)
    );
}

#[wasm_bindgen_test]
fn fixed_point_text_rounds_like_format() {
    use portolan_www::view::fixed;
    for (v, d) in [
        (0.333_333, 2),
        (1.0, 2),
        (-12.34, 1),
        (99.5, 0),
        (0.005, 2),
        (1234.56, 1),
    ] {
        let expected = match d {
            0 => format!("{v:.0}"),
            1 => format!("{v:.1}"),
            _ => format!("{v:.2}"),
        };
        // Halves round away from zero here, to even in `format!`: both
        // are fine for the page; the cases avoid exact halves.
        if ((v * 10_f64.powi(d as i32)).fract().abs() - 0.5).abs() > 1e-9 {
            assert_eq!(fixed(v, d), expected, "{v} to {d}");
        }
    }
    // No negative zero.
    assert_eq!(fixed(-0.04, 1), "0.0");
}

/// The reachability panel (issue 13): the worker answers `reach` over every
/// pod from one evaluation per analysis, filters it by text and to the
/// denied rows, and the reducer asks again after each new analysis and
/// drops superseded answers.
#[wasm_bindgen_test]
fn reachability_is_answered_filtered_and_asked_again_after_an_analysis() {
    use portolan_www::state::{Action, ReachQuery, State};
    use portolan_www::worker::{Engine, Request, Response};
    let text = EXAMPLES
        .iter()
        .find(|e| e.id == "online-boutique-netpols")
        .expect("the NetworkPolicy example")
        .full();
    let mut engine = Engine::default();
    engine.handle(Request::Analyse {
        id: 1,
        text: text.to_string(),
        invalid_utf8: Vec::new(),
        what_if: WhatIf::default(),
        expanded: std::collections::BTreeSet::new(),
        trace: None,
        base: None,
        selected: None,
    });
    let mut reach = |query: ReachQuery| match engine.handle(Request::Reach { id: 1, query }) {
        Some(Response::Reached { reach, .. }) => reach,
        other => panic!("{other:?}"),
    };
    let all = reach(ReachQuery::default());
    assert_eq!(all.policies, 13);
    assert!(all.allowed < all.connections, "{all:?}");
    assert_eq!(all.rows.len(), portolan_www::worker::REACH_ROWS);
    assert!(all.matching > all.rows.len());
    let denied = reach(ReachQuery {
        filter: "LoadGenerator".to_owned(),
        denied_only: true,
    });
    assert!(denied.matching > 0 && denied.matching < all.matching);
    assert!(denied.rows.iter().all(
        |r| !r.allowed && (r.from.contains("loadgenerator") || r.to.contains("loadgenerator"))
    ));
    // The reducer: opening asks; a new analysis asks again; a superseded
    // answer is dropped; closing forgets the answer.
    let mut s = std::rc::Rc::new(State::default());
    s = yew::Reducible::reduce(s, Action::Reach(Some(ReachQuery::default())));
    let first = s.outbox.reach.as_ref().map(|r| r.0).expect("asked");
    s = yew::Reducible::reduce(
        s,
        Action::Response(Response::Analysed {
            id: 0,
            view: Box::new(compute(&text, &WhatIf::default())),
            trace: None,
            details: None,
        }),
    );
    let second = s.outbox.reach.as_ref().map(|r| r.0).expect("asked again");
    assert!(second > first);
    s = yew::Reducible::reduce(
        s,
        Action::Response(Response::Reached {
            id: first,
            reach: all.clone(),
        }),
    );
    assert!(s.reach.is_none(), "a superseded answer is dropped");
    s = yew::Reducible::reduce(
        s,
        Action::Response(Response::Reached {
            id: second,
            reach: all,
        }),
    );
    assert!(s.reach.is_some());
    s = yew::Reducible::reduce(s, Action::Reach(None));
    assert!(s.reach.is_none() && s.reach_query.is_none());
}

/// A large graph draws what lies near the view: every node the view shows,
/// the tab stop wherever it is, edges whose ends span the window; the whole
/// graph in view (or a small graph) draws everything.
#[wasm_bindgen_test]
fn a_large_graph_draws_only_what_is_near_the_view() {
    use portolan_www::view::{CULL_ABOVE, ViewBox, Window, drawn};
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\nspec:\n  selector: {{app: a{i}}}\n  ports: [{{port: 80}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, labels: {{app: a{i}}}}}\nspec:\n  containers: [{{name: c, image: x}}]\n---\n"
        ));
    }
    let v = compute(&text, &WhatIf::default());
    let layout = &v.layout;
    assert!(
        layout.nodes.len() > CULL_ABOVE,
        "{} nodes",
        layout.nodes.len()
    );
    let vb = ViewBox::opening(layout, 700.0, 600.0);
    let window = Window::around(layout, &vb).expect("the opening view is a window on the graph");
    let last = layout.nodes.iter().max_by_key(|n| n.y).unwrap();
    assert!(
        !vb.shows(last.x, last.y, last.w),
        "the last node is far below the view"
    );
    let (nodes, edges, _) = drawn(layout, Some(&window), &[last.id.as_str()]);
    let count = nodes.iter().filter(|&&d| d).count();
    assert!(
        count > 0 && count < layout.nodes.len() / 2,
        "{count} of {} drawn",
        layout.nodes.len()
    );
    for (n, &on) in layout.nodes.iter().zip(&nodes) {
        if vb.shows(n.x, n.y, n.w) || n.id == last.id {
            assert!(on, "{} is in view (or the tab stop) and drawn", n.id);
        }
    }
    let on: std::collections::HashSet<&str> = layout
        .nodes
        .iter()
        .zip(&nodes)
        .filter(|(_, d)| **d)
        .map(|(n, _)| n.id.as_str())
        .collect();
    for (e, &shown) in layout.edges.iter().zip(&edges) {
        if on.contains(e.from.as_str())
            && on.contains(e.to.as_str())
            && e.from != last.id
            && e.to != last.id
        {
            assert!(
                shown,
                "an edge between drawn nodes is drawn: {} → {}",
                e.from, e.to
            );
        }
    }
    assert!(
        edges.iter().any(|d| !d),
        "edges far from the view are not drawn"
    );
    assert_eq!(
        Window::around(layout, &ViewBox::fit(layout)),
        None,
        "the whole graph in view draws all of it"
    );
    let small = compute(EXAMPLES[1].text, &WhatIf::default());
    assert_eq!(
        Window::around(
            &small.layout,
            &ViewBox::opening(&small.layout, 300.0, 200.0)
        ),
        None
    );
}

/// Details stay in the worker until a node is selected: selecting asks for
/// them, an answer about an older analysis or an older selection is dropped,
/// and a new analysis brings the selected node's details along.
#[wasm_bindgen_test]
fn details_are_asked_for_the_selection_and_stale_answers_dropped() {
    use portolan_www::state::{Action, State};
    use portolan_www::worker::{Engine, Request, Response};
    use std::rc::Rc;
    use yew::Reducible;

    let mut engine = Engine::default();
    let mut s = Rc::new(State::default());
    s = s.reduce(Action::Attached);
    s = s.reduce(Action::Edit(EXAMPLES[1].text.into()));
    s = s.reduce(Action::Analyse);
    let request = (*s.outbox.analysis.as_ref().expect("asked").1).clone();
    let answer = engine.handle(request).expect("answered");
    let Response::Analysed { ref view, .. } = answer else {
        panic!("{answer:?}")
    };
    assert!(
        view.details.is_empty(),
        "the view itself carries no details"
    );
    let service = view
        .layout
        .nodes
        .iter()
        .find(|n| n.kind == "service")
        .map(|n| n.id.clone())
        .expect("a Service");
    s = s.reduce(Action::Response(answer));
    assert!(
        s.outbox.details.is_none(),
        "nothing selected, nothing asked"
    );
    s = s.reduce(Action::Select(Some(service.clone())));
    assert!(s.selected_details().is_none(), "not arrived yet");
    let (_, ask) = s
        .outbox
        .details
        .clone()
        .expect("the selection's details asked for");
    let Request::Details { ref node, .. } = *ask else {
        panic!("{ask:?}")
    };
    assert_eq!(node, &service);
    let reply = engine.handle((*ask).clone()).expect("answered");
    // Another node is selected before the answer arrives: it is dropped.
    let pod = s
        .view
        .layout
        .nodes
        .iter()
        .find(|n| n.kind == "pod")
        .map(|n| n.id.clone())
        .expect("a pod");
    let t = s.clone().reduce(Action::Select(Some(pod)));
    let t = t.reduce(Action::Response(reply.clone()));
    assert!(
        t.selected_details().is_none(),
        "an answer about another node"
    );
    // Arrived in time, it is shown.
    s = s.reduce(Action::Response(reply));
    let d = s.selected_details().expect("shown");
    assert!(d.title.contains("Service"), "{}", d.title);
    // A new analysis (a what-if) brings the selected node's details with it.
    s = s.reduce(Action::Edit(format!("{}\n", EXAMPLES[1].text)));
    s = s.reduce(Action::Analyse);
    let request = (*s.outbox.analysis.as_ref().expect("asked").1).clone();
    assert!(matches!(&request, Request::Analyse { selected: Some(n), .. } if *n == service));
    let answer = engine.handle(request).expect("answered");
    assert!(matches!(&answer, Response::Analysed { details: Some((n, _)), .. } if *n == service));
    s = s.reduce(Action::Response(answer));
    assert!(s.selected_details().is_some(), "no second round trip");
}
