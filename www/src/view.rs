//! What the page shows, computed from one analysis: diagnostics with their
//! positions, the laid-out graph, and the details of every graph node.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use portolan_core::analysis::{Analysis, analyze_with};
use portolan_core::diag::Severity;
use portolan_core::graph::{self, GraphNode, NodeKind};
use portolan_core::options::Options;
use portolan_core::output::{diagnostic_location, locate};
use portolan_core::profile::Profile;
use portolan_core::refs::Target;
use portolan_core::snapshot::WhatIf;
use portolan_core::source::Source;

use serde::{Deserialize, Serialize};

use crate::layout::{Layout, layout};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiagView {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The graph node of the object the finding is about, if drawn.
    pub node: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Details {
    pub title: String,
    pub kind: String,
    pub location: Option<(usize, String)>,
    pub rows: Vec<(String, String)>,
    /// Endpoints: pod, ip:port, node, conditions.
    pub endpoints: Vec<[String; 4]>,
    /// What the user can do to this object.
    pub actions: Actions,
    /// Findings about the object: code and position, message, help.
    pub findings: Vec<(String, String, Option<String>)>,
    /// What the object does, in plain words (`crate::explain`).
    #[serde(default)]
    pub summary: Vec<String>,
}

/// The what-if actions a graph node offers.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actions {
    /// `ns/name` of a pod that can be killed or flipped unready.
    pub pod: Option<String>,
    /// A workload that can be scaled: `ns/Kind/name`, `Kind/name`, replicas now.
    pub scale: Option<(String, String, i64)>,
    /// `ns/name` of a Service, with its traffic policies if they apply.
    pub service: Option<String>,
    pub external_traffic_policy: Option<String>,
    pub internal_traffic_policy: Option<String>,
    /// A trace can start here: `pod:ns/name`.
    #[serde(default)]
    pub trace_from: Option<String>,
    /// A trace can end here (`name.ns:port`, `IP:PORT`), and whether it
    /// comes from outside the cluster (an entry point).
    #[serde(default)]
    pub trace_to: Option<(String, bool)>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct View {
    /// The nodes of the cluster: name and address.
    pub nodes: Vec<(String, String)>,
    /// Trace sources: `pod:ns/name`, `node:name`.
    pub sources: Vec<String>,
    /// Trace destinations: `name.namespace:port`, then URLs.
    pub destinations: Vec<String>,
    /// Destinations for a client outside the cluster: URLs of the Ingresses
    /// and Gateways, load-balancer and external IPs with their ports, and a
    /// node's address with each node port.
    #[serde(default)]
    pub outside_destinations: Vec<String>,
    pub diagnostics: Vec<DiagView>,
    pub layout: Layout,
    /// Kept by the worker and sent node by node (`Request::Details`), so
    /// not part of the view the page receives.
    #[serde(skip)]
    pub details: BTreeMap<String, Details>,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub services: usize,
    pub pods: usize,
    /// Compare mode: what the edits since the base do to routing
    /// (`portolan diff`), or `None` when not comparing.
    #[serde(default)]
    pub changes: Option<Vec<ChangeView>>,
}

/// One change of compare mode, as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub kind: String,
    pub severity: Severity,
    pub subject: String,
    pub message: String,
    /// The line in the editor (the current text), when the change has one
    /// there (a removal has none).
    pub line: Option<usize>,
    /// The graph node it marks.
    pub node: Option<String>,
}

pub const FILE_NAME: &str = "manifests.yaml";

/// Above this many pods, the pods of each workload are drawn as one node
/// until the user expands it.
pub const COLLAPSE_ABOVE: usize = 150;

/// The drawn graph: the routing graph with the pods of each workload folded
/// into one `pod-group` node, unless expanded or the input is small.
fn display_graph(
    analysis: &Analysis,
    g: &graph::RoutingGraph,
    expanded: &std::collections::BTreeSet<String>,
) -> (Vec<GraphNode>, Vec<graph::GraphEdge>) {
    let pods = &analysis.cluster.pods;
    let mut group_of: BTreeMap<String, String> = BTreeMap::new();
    let mut members: BTreeMap<String, usize> = BTreeMap::new();
    if pods.len() > COLLAPSE_ABOVE {
        for p in pods {
            let Some(owner) = &p.owner else { continue };
            let gid = format!("group:{}/{owner}", p.namespace);
            if expanded.contains(&gid) {
                continue;
            }
            *members.entry(gid.clone()).or_default() += 1;
            group_of.insert(format!("pod:{}", p.key()), gid);
        }
    }
    let mut nodes = Vec::new();
    let mut seen_groups = std::collections::BTreeSet::new();
    for n in g.nodes().filter(|n| n.kind != NodeKind::Workload) {
        match group_of.get(&n.id) {
            Some(gid) => {
                if seen_groups.insert(gid.clone()) {
                    let owner = gid.split_once('/').map_or("", |x| x.1);
                    nodes.push(GraphNode {
                        id: gid.clone(),
                        kind: NodeKind::PodGroup,
                        label: format!("{owner} ×{}", members[gid]),
                        namespace: n.namespace.clone(),
                        synthetic: n.synthetic,
                    });
                }
            }
            None => nodes.push(n.clone()),
        }
    }
    let mut edges = Vec::new();
    let mut seen_edges = std::collections::BTreeSet::new();
    // References are listed in the details ("calls", "called by"), not
    // drawn: they run against the flow of the columns.
    for e in g.edges().filter(|e| e.kind.is_none()) {
        let to = group_of.get(&e.to).cloned().unwrap_or_else(|| e.to.clone());
        if seen_edges.insert((e.from.clone(), to.clone())) {
            edges.push(graph::GraphEdge { to, ..e.clone() });
        }
    }
    (nodes, edges)
}

/// Analyse the editor text and build everything the page draws.
pub fn compute(text: &str, what_if: &WhatIf) -> View {
    compute_with(text, what_if, &std::collections::BTreeSet::new())
}

/// As [`compute`], with the pod groups the user expanded.
pub fn compute_with(
    text: &str,
    what_if: &WhatIf,
    expanded: &std::collections::BTreeSet<String>,
) -> View {
    compute_full(text, &[], what_if, expanded).0
}

/// The analysis of a text alone (compare mode's base).
pub fn analyse(text: &str, what_if: &WhatIf) -> Option<Analysis> {
    let options = Options {
        what_if: what_if.clone(),
        ..Options::default()
    };
    analyze_with(
        vec![Source::new(FILE_NAME, text)],
        &Profile::default(),
        &options,
    )
    .ok()
}

/// The graph node a diff subject is about: its Service, Service port,
/// Ingress or route (for a reference, the Service port it calls).
fn subject_node(subject: &str) -> Option<String> {
    let s = subject.rsplit(" -> ").next().unwrap_or(subject);
    if let Some(rest) = s.strip_prefix("service:") {
        return Some(match rest.split_once(':') {
            Some((svc, port)) => format!("port:{svc}:{port}"),
            None => format!("service:{rest}"),
        });
    }
    (s.starts_with("ingress:") || s.starts_with("route:")).then(|| s.to_owned())
}

/// How a change marks its node: `lost` (traffic breaks), `gained` or
/// `changed`.
fn change_mark(kind: &str) -> &'static str {
    match kind {
        "service-removed"
        | "port-removed"
        | "endpoints-lost"
        | "service-unreachable"
        | "reach-denied"
        | "reference-broken" => "lost",
        "service-added" | "port-added" | "endpoints-gained" | "service-reachable"
        | "reach-allowed" | "reference-fixed" => "gained",
        _ => "changed",
    }
}

/// Compare mode: the diff of `base` against `head` as the page lists it,
/// each change's node marked on the current graph (a node with several
/// changes shows the most serious: lost, then changed, then gained).
pub fn mark_changes(view: &mut View, base: &Analysis, head: &Analysis) {
    let d = portolan_core::diff::diff(base, head);
    let rank = |m: &str| match m {
        "lost" => 2,
        "changed" => 1,
        _ => 0,
    };
    let mut marks: BTreeMap<String, &'static str> = BTreeMap::new();
    let list = d
        .changes
        .iter()
        .map(|c| {
            let node = subject_node(&c.subject);
            if let Some(n) = &node {
                let m = change_mark(c.kind);
                let e = marks.entry(n.clone()).or_insert(m);
                if rank(m) > rank(e) {
                    *e = m;
                }
            }
            let line = match c.at {
                Some((portolan_core::diff::Side::Head, i)) => head.objects.get(i).map(|o| {
                    locate(head, o.source, c.span.unwrap_or_else(|| o.anchor_span())).line
                }),
                _ => None,
            };
            ChangeView {
                kind: c.kind.to_owned(),
                severity: c.severity,
                subject: c.subject.clone(),
                message: c.message.clone(),
                line,
                node,
            }
        })
        .collect();
    for n in &mut view.layout.nodes {
        n.change = marks.get(&n.id).map(|m| (*m).to_owned());
    }
    mark_endpoint_edges(view, &d, head);
    view.changes = Some(list);
}

/// Compare mode: the endpoint edges of `endpoints-gained` and
/// `endpoints-lost` changes (a lost endpoint still drawn is an unready
/// one; a deleted pod has no edge left to mark).
fn mark_endpoint_edges(view: &mut View, d: &portolan_core::diff::Diff, head: &Analysis) {
    // How the diff names each drawn pod: `pod:NS/NAME`, or its workload.
    let named: BTreeMap<String, String> = head
        .cluster
        .pods
        .iter()
        .map(|p| {
            let id = format!("pod:{}", p.key());
            let name = match (&p.owner, p.synthetic) {
                (Some(owner), true) => format!("workload:{}/{owner}", p.namespace),
                _ => id.clone(),
            };
            (id, name)
        })
        .collect();
    let mut edges: BTreeMap<(String, String), &'static str> = BTreeMap::new();
    for c in &d.changes {
        let mark = match c.kind {
            "endpoints-gained" => "gained",
            "endpoints-lost" => "lost",
            _ => continue,
        };
        let Some(port) = subject_node(&c.subject) else {
            continue;
        };
        for p in c.pods.iter().flatten() {
            edges.insert((port.clone(), p.clone()), mark);
        }
    }
    if edges.is_empty() {
        return;
    }
    let mut drawn: BTreeSet<(String, String)> = BTreeSet::new();
    for e in &mut view.layout.edges {
        let who = match e.to.strip_prefix("group:") {
            Some(workload) => format!("workload:{workload}"),
            None => named.get(&e.to).cloned().unwrap_or_else(|| e.to.clone()),
        };
        let key = (e.from.clone(), who);
        e.change = edges.get(&key).map(|m| (*m).to_owned());
        drawn.insert(key);
    }
    lost_edges(view, &edges, &drawn, &named);
}

/// Compare mode: an endpoint lost while its pod is still drawn (a selector
/// that no longer matches it, a port it no longer serves) has no edge on
/// HEAD's graph; it gets a dashed one, marked lost, from the Service port
/// to the pod.
fn lost_edges(
    view: &mut View,
    edges: &BTreeMap<(String, String), &'static str>,
    drawn: &BTreeSet<(String, String)>,
    named: &BTreeMap<String, String>,
) {
    // The drawn node that stands for a diff's pod name.
    let mut node_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, name) in named {
        node_of.entry(name.as_str()).or_insert(id.as_str());
    }
    let boxes: BTreeMap<&str, (i32, i32, i32)> = view
        .layout
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), (n.x, n.y, n.w)))
        .collect();
    let mut ghosts = Vec::new();
    for ((port, pod), mark) in edges {
        if *mark != "lost" || drawn.contains(&(port.clone(), pod.clone())) {
            continue;
        }
        let target = pod
            .strip_prefix("workload:")
            .map(|w| format!("group:{w}"))
            .filter(|g| boxes.contains_key(g.as_str()))
            .or_else(|| node_of.get(pod.as_str()).map(|id| (*id).to_owned()));
        let Some(target) = target else { continue };
        let (Some(&(fx, fy, fw)), Some(&(tx, ty, _))) =
            (boxes.get(port.as_str()), boxes.get(target.as_str()))
        else {
            continue;
        };
        let (sx, sy) = (fx + fw, fy + crate::layout::NODE_H / 2);
        let (ex, ey) = (tx, ty + crate::layout::NODE_H / 2);
        let mid = i32::midpoint(sx, ex);
        ghosts.push(crate::layout::LEdge {
            from: port.clone(),
            to: target,
            label: "an endpoint lost since the base".to_owned(),
            short: String::new(),
            label_shown: false,
            label_end: false,
            d: format!("M{sx},{sy} C{mid},{sy} {mid},{ey} {ex},{ey}"),
            label_x: sx,
            label_y: sy,
            ready: None,
            change: Some("lost".to_owned()),
        });
    }
    view.layout.edges.extend(ghosts);
}

/// The view and the analysis behind it (kept for traces and exports).
pub fn compute_full(
    text: &str,
    invalid_utf8: &[(portolan_core::source::Span, u8)],
    what_if: &WhatIf,
    expanded: &std::collections::BTreeSet<String>,
) -> (View, Option<Analysis>) {
    let options = Options {
        what_if: what_if.clone(),
        ..Options::default()
    };
    let mut source = Source::new(FILE_NAME, text);
    source.invalid_utf8 = invalid_utf8.to_vec();
    let Ok(analysis) = analyze_with(vec![source], &Profile::default(), &options) else {
        return (View::default(), None);
    };
    let g = graph::build(&analysis);
    let (diagnostics, warned) = diagnostic_views(&analysis);
    let (nodes, edges) = display_graph(&analysis, &g, expanded);
    let node_of: BTreeMap<String, String> = analysis
        .cluster
        .pods
        .iter()
        .filter_map(|p| Some((format!("pod:{}", p.key()), p.node.as_deref()?.to_owned())))
        .collect();
    let layout = layout(&nodes, &edges, &warned, &node_of);
    let rejected = portolan_core::model::rejected(&analysis.objects, &analysis.diagnostics);
    let routing =
        portolan_core::http::Routing::new(&analysis.objects, &rejected, &analysis.cluster);
    let mut http = http_details(&analysis, &routing);
    let cx = DetailsCx::new(&analysis);
    let mut details: BTreeMap<String, Details> = nodes
        .iter()
        .map(|n| {
            let d = http.remove(&n.id).unwrap_or_else(|| details(&cx, n));
            (n.id.clone(), d)
        })
        .collect();
    attach_findings(&mut details, &diagnostics);
    let mut sources: Vec<String> = analysis
        .cluster
        .pods
        .iter()
        .map(|p| format!("pod:{}", p.key()))
        .collect();
    sources.extend(
        analysis
            .cluster
            .nodes
            .iter()
            .map(|n| format!("node:{}", n.name)),
    );
    let mut destinations: Vec<String> = http_destinations(&routing);
    drop(routing);
    let outside_destinations = outside_destinations(&analysis, &destinations);
    destinations.extend(analysis.cluster.services.iter().flat_map(|s| {
        s.ports
            .iter()
            .map(move |p| format!("{}.{}:{}", s.name, s.namespace, p.port))
    }));
    let view = View {
        nodes: analysis
            .cluster
            .nodes
            .iter()
            .map(|n| (n.name.clone(), n.ip.clone()))
            .collect(),
        sources,
        destinations,
        outside_destinations,
        errors: analysis.count(Severity::Error),
        warnings: analysis.count(Severity::Warning),
        objects: analysis.objects.len(),
        services: analysis.cluster.services.len(),
        pods: analysis.cluster.pods.len(),
        changes: None,
        diagnostics,
        layout,
        details,
    };
    (view, Some(analysis))
}

/// The findings about an object, in its details (a selector that matches
/// nothing shows its near miss there); a summary ends with what is wrong.
fn attach_findings(details: &mut BTreeMap<String, Details>, diagnostics: &[DiagView]) {
    for d in diagnostics {
        if let Some(entry) = d.node.as_ref().and_then(|n| details.get_mut(n)) {
            entry.findings.push((
                format!("{} {}:{}", d.code, d.line, d.column),
                d.message.clone(),
                d.help.clone(),
            ));
        }
    }
    for d in details.values_mut() {
        if !d.summary.is_empty() && !d.findings.is_empty() {
            d.summary.push(crate::explain::wrong(d.findings.len()));
        }
    }
}

/// The findings as the page lists them, and the graph nodes they are about.
fn diagnostic_views(analysis: &Analysis) -> (Vec<DiagView>, std::collections::BTreeSet<String>) {
    let mut warned = std::collections::BTreeSet::new();
    let diagnostics: Vec<DiagView> = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let loc = diagnostic_location(analysis, d);
            let node = d
                .object
                .as_ref()
                .and_then(|o| node_for(o.kind.as_str(), &o.namespace, &o.name));
            if let Some(n) = &node {
                warned.insert(n.clone());
            }
            DiagView {
                code: d.code.to_owned(),
                severity: d.severity,
                message: d.message.clone(),
                help: d.help.clone(),
                line: loc.line,
                column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
                node,
            }
        })
        .collect();
    (diagnostics, warned)
}

fn node_for(kind: &str, namespace: &str, name: &str) -> Option<String> {
    match kind {
        "Service" => Some(format!("service:{namespace}/{name}")),
        "Pod" => Some(format!("pod:{namespace}/{name}")),
        "Ingress" => Some(format!("ingress:{namespace}/{name}")),
        "Gateway" => Some(format!("gateway:{namespace}/{name}")),
        "HTTPRoute" | "GRPCRoute" => Some(format!("route:{namespace}/{kind}/{name}")),
        _ => None,
    }
}

/// The details of the Gateway, route and Ingress nodes: listeners, parents
/// with their status, hostnames, rules, and where each is defined.
fn http_details(
    analysis: &Analysis,
    r: &portolan_core::http::Routing<'_>,
) -> BTreeMap<String, Details> {
    let mut out = BTreeMap::new();
    gateway_details(analysis, r, &mut out);
    route_details(analysis, r, &mut out);
    ingress_details(analysis, r, &mut out);
    out
}

fn text(s: Option<&portolan_core::model::Spanned<String>>, none: &str) -> String {
    s.map_or_else(|| none.to_owned(), |v| v.value.clone())
}

fn gateway_details(
    analysis: &Analysis,
    r: &portolan_core::http::Routing<'_>,
    out: &mut BTreeMap<String, Details>,
) {
    for g in &r.gateways {
        let mut d = Details {
            title: format!("Gateway {}", g.key()),
            kind: "gateway".into(),
            location: object_location(analysis, g.object),
            ..Details::default()
        };
        d.rows
            .push(("class".into(), text(g.gateway.class_name.as_ref(), "-")));
        if !g.served {
            d.rows.push((
                "served".into(),
                "no: its GatewayClass is not in the input".into(),
            ));
        }
        for (_, l, port, proto) in g.listeners() {
            d.rows.push((
                format!("listener {}", text(l.name.as_ref(), "?")),
                format!(
                    "{proto} {port}, hostname {}, routes from {}",
                    text(l.hostname.as_ref(), "any"),
                    text(l.allowed_routes.from.as_ref(), "Same")
                ),
            ));
        }
        out.insert(format!("gateway:{}", g.key()), d);
    }
}

fn route_details(
    analysis: &Analysis,
    r: &portolan_core::http::Routing<'_>,
    out: &mut BTreeMap<String, Details>,
) {
    for route in &r.routes {
        let kind = route.route.kind();
        let mut d = Details {
            title: format!("{kind} {}/{}", route.namespace, route.name),
            kind: "route".into(),
            location: object_location(analysis, route.object),
            ..Details::default()
        };
        let hosts: Vec<&str> = route
            .route
            .hostnames
            .iter()
            .map(|h| h.value.as_str())
            .collect();
        d.rows.push((
            "hostnames".into(),
            if hosts.is_empty() {
                "any (the listener's)".into()
            } else {
                hosts.join(", ")
            },
        ));
        for p in &route.parents {
            let parent = &route.route.parent_refs[p.index];
            let status = match &p.outcome {
                Ok(atts) => format!("Accepted on {} listener(s)", atts.len()),
                Err(why) => format!("not accepted: {}", why.reason()),
            };
            d.rows.push((
                format!("parent {}", text(parent.name.as_ref(), "?")),
                status,
            ));
        }
        let rules = route.route.rules.as_ref().map_or(0, |(r, _)| r.len());
        d.rows.push(("rules".into(), rules.to_string()));
        out.insert(
            format!("route:{}/{kind}/{}", route.namespace, route.name),
            d,
        );
    }
}

fn ingress_details(
    analysis: &Analysis,
    r: &portolan_core::http::Routing<'_>,
    out: &mut BTreeMap<String, Details>,
) {
    for at in &r.ingresses {
        let o = &analysis.objects[at.object];
        let mut d = Details {
            title: format!("Ingress {}/{}", o.namespace, o.name()),
            kind: "ingress".into(),
            location: object_location(analysis, at.object),
            ..Details::default()
        };
        d.rows.push((
            "class".into(),
            at.class
                .table(&r.classes)
                .unwrap_or_else(|| "none: no controller serves it".into()),
        ));
        for b in at.ingress.service_backends() {
            d.rows.push((
                format!(
                    "{}{}",
                    b.host.unwrap_or("*"),
                    b.path_text
                        .unwrap_or(if b.rule.is_none() { " default" } else { "" })
                ),
                format!("{} port {}", b.service.service(), b.service.port_text()),
            ));
        }
        out.insert(format!("ingress:{}/{}", o.namespace, o.name()), d);
    }
}

pub fn object_location(analysis: &Analysis, index: usize) -> Option<(usize, String)> {
    let o = analysis.objects.get(index)?;
    let loc = locate(analysis, o.source, o.anchor_span());
    Some((
        loc.line,
        format!("{}:{}:{}", loc.file, loc.line, loc.column),
    ))
}

/// What the details of every node read: the pods by graph id and by
/// workload (found once, not per node), and the NetworkPolicies.
struct DetailsCx<'a> {
    analysis: &'a Analysis,
    pods: HashMap<String, usize>,
    /// Service and Service port node ids: the Service's index, and the
    /// port's (a node finds its object without a scan of every Service).
    services: HashMap<String, usize>,
    ports: HashMap<String, (usize, usize)>,
    /// A way in's node id (`lb:IP`, `externalip:IP`, `nodeport:N/PROTO`):
    /// the Service ports it leads to, in order.
    entries: HashMap<String, Vec<(usize, usize)>>,
    by_owner: HashMap<(&'a str, &'a str), Vec<usize>>,
    policies: Option<portolan_core::netpol::Policies>,
}

impl<'a> DetailsCx<'a> {
    fn new(analysis: &'a Analysis) -> Self {
        let pods = &analysis.cluster.pods;
        let mut by_owner: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, p) in pods.iter().enumerate() {
            if let Some(owner) = p.owner.as_deref() {
                by_owner.entry((&p.namespace, owner)).or_default().push(i);
            }
        }
        let services = &analysis.cluster.services;
        let mut entries: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (i, s) in services.iter().enumerate() {
            for (j, p) in s.ports.iter().enumerate() {
                let ids = s
                    .load_balancer_ips
                    .iter()
                    .map(|lb| format!("lb:{}", lb.ip))
                    .chain(s.external_ips.iter().map(|e| format!("externalip:{e}")))
                    .chain(
                        p.node_port
                            .map(|np| format!("nodeport:{np}/{}", p.protocol)),
                    );
                for id in ids {
                    let list = entries.entry(id).or_default();
                    // An address on several of a Service's lists counts once.
                    if list.last() != Some(&(i, j)) {
                        list.push((i, j));
                    }
                }
            }
        }
        DetailsCx {
            analysis,
            entries,
            services: services
                .iter()
                .enumerate()
                .map(|(i, s)| (graph::service_id(s), i))
                .collect(),
            ports: services
                .iter()
                .enumerate()
                .flat_map(|(i, s)| {
                    s.ports
                        .iter()
                        .enumerate()
                        .map(move |(j, p)| (graph::port_id(s, p.port, p.protocol), (i, j)))
                })
                .collect(),
            pods: pods
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("pod:{}", p.key()), i))
                .collect(),
            by_owner,
            policies: portolan_core::netpol::Policies::of(
                &analysis.objects,
                &analysis.diagnostics,
                pods,
            ),
        }
    }

    /// The NetworkPolicy rows of a pod (E.3): which policies isolate it in
    /// each direction.
    fn policy_rows(&self, pod: &portolan_core::snapshot::ClusterPod, d: &mut Details) {
        let Some(policies) = &self.policies else {
            return;
        };
        let view = portolan_core::netpol::view_of(&self.analysis.objects, pod);
        if view.host_network {
            d.rows.push((
                "NetworkPolicy".into(),
                "none applies: a host-network pod is never selected (E.3.2)".into(),
            ));
            return;
        }
        let (ingress, egress) = policies.selecting_names(&view);
        for (direction, names, open) in [
            ("ingress", ingress, "every source is admitted"),
            ("egress", egress, "it may send anywhere"),
        ] {
            let text = if names.is_empty() {
                format!("not isolated: {open}")
            } else {
                format!(
                    "isolated by {}: only what their rules admit",
                    names.join(", ")
                )
            };
            d.rows.push((format!("NetworkPolicy {direction}"), text));
        }
    }
}

fn details(cx: &DetailsCx<'_>, n: &GraphNode) -> Details {
    let analysis = cx.analysis;
    let mut d = Details {
        title: n.label.clone(),
        kind: n.kind.as_str().to_owned(),
        ..Details::default()
    };
    match n.kind {
        NodeKind::Service => service_details(analysis, cx.services.get(&n.id).copied(), &mut d),
        NodeKind::Pod => pod_details(cx, n, &mut d),
        NodeKind::PodGroup => group_details(cx, n, &mut d),
        NodeKind::ServicePort => {
            crate::explain::port_details(analysis, cx.ports.get(&n.id).copied(), &mut d);
        }
        NodeKind::NodePort | NodeKind::LoadBalancer | NodeKind::ExternalIp => {
            let leading = cx.entries.get(&n.id).map_or(&[][..], Vec::as_slice);
            crate::explain::entry_details(analysis, n, leading, &mut d);
        }
        _ => {
            d.rows.push(("id".into(), n.id.clone()));
            if n.synthetic {
                d.rows.push((
                    "synthetic".into(),
                    "yes: filled in from the cluster profile".into(),
                ));
            }
        }
    }
    d
}

/// A Service: its type, addresses, ports, policies and endpoints.
fn service_details(analysis: &Analysis, at: Option<usize>, d: &mut Details) {
    let cluster = &analysis.cluster;
    let Some(svc) = at.and_then(|i| cluster.services.get(i)) else {
        return;
    };
    d.title = format!("Service {}/{}", svc.namespace, svc.name);
    d.summary = crate::explain::service_summary(analysis, svc);
    d.actions.trace_to = crate::explain::trace_target(svc).map(|t| (t, false));
    d.actions.service = Some(svc.key());
    d.actions.external_traffic_policy = svc.external_traffic_policy.map(|p| p.as_str().to_owned());
    d.actions.internal_traffic_policy = svc.internal_traffic_policy.map(|p| p.as_str().to_owned());
    d.location = object_location(analysis, svc.object);
    d.rows.push(("type".into(), svc.type_.as_str().to_owned()));
    let ips = if svc.headless {
        "None (headless)".to_owned()
    } else {
        svc.cluster_ips.join(", ")
    };
    d.rows.push((
        "clusterIP".into(),
        format!("{ips}{}", if svc.synthetic { " (synthetic)" } else { "" }),
    ));
    d.rows.push((
        "DNS".into(),
        format!(
            "{}.{}.svc.{}",
            svc.name, svc.namespace, analysis.profile.profile.cluster_domain
        ),
    ));
    let sel = svc.selector.as_ref().map_or_else(
        || "none (endpoints managed by hand)".to_owned(),
        |s| {
            s.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    d.rows.push(("selector".into(), sel));
    port_rows(svc, d);
    if let Some(etp) = &svc.external_traffic_policy {
        d.rows
            .push(("externalTrafficPolicy".into(), etp.as_str().to_owned()));
    }
    d.rows.push((
        "sessionAffinity".into(),
        svc.session_affinity.as_str().to_owned(),
    ));
    called_by(analysis, svc, d);
    d.endpoints = svc.endpoints.iter().map(endpoint_row).collect();
}

/// An endpoint as the details table shows it: pod, address, node,
/// conditions.
pub fn endpoint_row(e: &portolan_core::snapshot::Endpoint) -> [String; 4] {
    let port = e
        .port
        .map_or_else(|| "(no port)".to_owned(), |p| p.to_string());
    [
        e.pod.as_deref().unwrap_or("-").to_owned(),
        format!("{}:{port}", e.ip),
        e.node.as_deref().unwrap_or_default().to_owned(),
        format!(
            "ready={} serving={} terminating={}",
            e.ready, e.serving, e.terminating
        ),
    ]
}

/// A Service's ports, a row each.
fn port_rows(svc: &portolan_core::snapshot::ClusterService, d: &mut Details) {
    for p in &svc.ports {
        let np = p
            .node_port
            .map(|n| format!(", nodePort {n}"))
            .unwrap_or_default();
        let name = if p.name.is_empty() {
            "(unnamed)"
        } else {
            &p.name
        };
        d.rows.push((
            format!("port {name}"),
            format!("{}/{} → {}{np}", p.port, p.protocol, p.target_port_text()),
        ));
    }
}

/// Who calls a Service: the client references that resolve to it (§6.5).
fn called_by(analysis: &Analysis, svc: &portolan_core::snapshot::ClusterService, d: &mut Details) {
    for r in analysis.references.iter().filter(|r| {
        matches!(r.target, Target::Service { service, .. }
            if analysis.cluster.services.get(service).is_some_and(|s| std::ptr::eq(s, svc)))
    }) {
        let o = &analysis.objects[r.object];
        d.rows.push((
            "called by".into(),
            format!(
                "{} {}/{} — {} ({})",
                o.kind.value,
                o.namespace,
                o.name(),
                r.text,
                r.describe_source()
            ),
        ));
    }
}

/// What a pod's containers call: its workload's client references (§6.5),
/// resolved or not.
fn calls(analysis: &Analysis, object: usize, d: &mut Details) {
    for r in analysis.references.iter().filter(|r| r.object == object) {
        let to = match r.target {
            Target::Service { .. } => r.subject(&analysis.cluster),
            Target::ApiServer => "the API server".to_owned(),
            Target::Outside => format!("{}/{} (not in the input)", r.namespace, r.name),
            Target::MissingPort { .. } => format!("{}/{}: no such port", r.namespace, r.name),
            Target::MissingService { .. } | Target::OtherZone => {
                format!("{}: no such Service", r.text)
            }
        };
        d.rows.push((
            "calls".into(),
            format!("{} — {to} ({})", r.text, r.describe_source()),
        ));
    }
}

/// A pod: its addresses, node, state and labels.
fn pod_details(cx: &DetailsCx<'_>, n: &GraphNode, d: &mut Details) {
    let analysis = cx.analysis;
    let cluster = &analysis.cluster;
    let Some(pod) = cx.pods.get(&n.id).map(|&i| &cluster.pods[i]) else {
        return;
    };
    d.title = format!("Pod {}", pod.key());
    d.actions.pod = Some(pod.key());
    d.actions.trace_from = Some(format!("pod:{}", pod.key()));
    if let Some(owner) = pod.owner.as_ref().filter(|o| {
        !o.starts_with("DaemonSet/") && !o.starts_with("CronJob/") && !o.starts_with("Job/")
    }) {
        let now = cx
            .by_owner
            .get(&(&*pod.namespace, &**owner))
            .map_or(0, Vec::len);
        d.actions.scale = Some((
            format!("{}/{owner}", pod.namespace),
            owner.to_string(),
            i64::try_from(now).unwrap_or(i64::MAX),
        ));
    }
    d.location = object_location(analysis, pod.object);
    d.rows.push(("IPs".into(), pod.ips.join(", ")));
    calls(analysis, pod.object, d);
    d.rows.push((
        "node".into(),
        pod.node.as_deref().unwrap_or_default().to_owned(),
    ));
    d.rows.push((
        "phase".into(),
        format!(
            "{}{}",
            pod.phase,
            if pod.ready { ", Ready" } else { ", not Ready" }
        ),
    ));
    if let Some(o) = &pod.owner {
        d.rows.push(("created by".into(), o.to_string()));
    }
    if pod.synthetic {
        d.rows.push((
            "synthetic".into(),
            "yes: the pod its controller would create".into(),
        ));
    }
    for (k, v) in pod.labels.iter() {
        d.rows.push((format!("label {k}"), v.clone()));
    }
    cx.policy_rows(pod, d);
}

/// A workload's pods folded into one node.
fn group_details(cx: &DetailsCx<'_>, n: &GraphNode, d: &mut Details) {
    let analysis = cx.analysis;
    let cluster = &analysis.cluster;
    let key = n.id.trim_start_matches("group:");
    let (ns, owner) = key.split_once('/').unwrap_or_default();
    d.title = format!("{owner} in {ns}");
    let pods: Vec<_> = cx
        .by_owner
        .get(&(ns, owner))
        .into_iter()
        .flatten()
        .map(|&i| &cluster.pods[i])
        .collect();
    d.rows.push(("pods".into(), pods.len().to_string()));
    d.rows.push((
        "ready".into(),
        pods.iter().filter(|p| p.ready).count().to_string(),
    ));
    if let Some(p) = pods.first() {
        calls(analysis, p.object, d);
        // The pods of a workload share its template: one speaks for all.
        cx.policy_rows(p, d);
    }
    for p in pods.iter().take(50) {
        d.rows.push((
            p.name.clone(),
            format!(
                "{} on {}",
                p.ips.join(", "),
                p.node.clone().unwrap_or_default()
            ),
        ));
    }
}

/// URLs worth tracing: one per Ingress rule path and per hostname a route
/// serves (a wildcard's `*` read as `www`), at most 50.
/// What a client outside the cluster can be traced to (`View::outside_destinations`).
fn outside_destinations(analysis: &Analysis, urls: &[String]) -> Vec<String> {
    let mut out: Vec<String> = urls.to_vec();
    let node = analysis.cluster.nodes.first().map(|n| n.ip.as_str());
    for s in &analysis.cluster.services {
        for p in &s.ports {
            for lb in &s.load_balancer_ips {
                out.push(format!("{}:{}", lb.ip, p.port));
            }
            for ip in &s.external_ips {
                out.push(format!("{ip}:{}", p.port));
            }
            if let (Some(node), Some(np)) = (node, p.node_port) {
                out.push(format!("{node}:{np}"));
            }
        }
        if out.len() > 200 {
            break;
        }
    }
    out.dedup();
    out
}

fn http_destinations(r: &portolan_core::http::Routing<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |host: &str, path: &str| {
        let host = if host.is_empty() { "example.com" } else { host };
        let url = format!("http://{}{path}", host.replacen('*', "www", 1));
        if out.len() < 50 && !out.contains(&url) {
            out.push(url);
        }
    };
    for at in &r.ingresses {
        for rule in &at.ingress.rules {
            let host = rule.host.as_ref().map_or("", |h| h.value.as_str());
            for p in rule.http.iter().flat_map(|(_, paths)| paths) {
                add(host, p.path.as_ref().map_or("/", |x| x.value.as_str()));
            }
        }
    }
    for route in &r.routes {
        let path = route
            .route
            .rules
            .iter()
            .flat_map(|(rules, _)| rules)
            .flat_map(|x| x.matches.iter().flatten())
            .find_map(|m| m.path.as_ref().and_then(|p| p.value.as_ref()))
            .map_or("/", |v| v.value.as_str());
        for a in route.attachments() {
            match &a.hostnames {
                Some(hosts) => hosts.iter().for_each(|h| add(h, path)),
                None => add("", path),
            }
        }
    }
    out
}

/// What the graph highlights for the last trace: the nodes the packet went
/// through (its Service, the ports leading to the destinations, the
/// destinations; for an HTTP request also the client, the Gateway or
/// Ingress and the route), each destination's probability, and whether it
/// failed (a trace that does not deliver is drawn in the error colour: the
/// path shows where the packet went before it was dropped, refused, denied
/// or left unrouted).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TracePath {
    pub nodes: BTreeSet<String>,
    pub probability: BTreeMap<String, f64>,
    pub failed: bool,
    /// Where a failed trace stopped: the pods NetworkPolicy denies, or the
    /// last node the packet reached (the Service or port that refused or
    /// dropped it, the route that matched nothing).
    pub stopped: BTreeSet<String>,
}

/// The [`TracePath`] of a trace on a layout; linear in the edges.
pub fn trace_path(layout: &Layout, t: &crate::worker::TraceView) -> TracePath {
    let mut path = TracePath {
        failed: t.verdict != portolan_core::sim::TraceVerdict::Delivered,
        ..TracePath::default()
    };
    for d in &t.destinations {
        let id = d
            .pod
            .as_ref()
            .map_or_else(|| format!("address:{}", d.ip), |p| format!("pod:{p}"));
        *path.probability.entry(id.clone()).or_default() += d.probability;
        path.nodes.insert(id);
    }
    // Nodes with an edge into a destination.
    let reaching: BTreeSet<&str> = layout
        .edges
        .iter()
        .filter(|x| path.nodes.contains(&x.to))
        .map(|x| x.from.as_str())
        .collect();
    if let Some(s) = &t.service {
        let sid = format!("service:{s}");
        for e in layout.edges.iter().filter(|e| e.from == sid) {
            // Without destinations: the port asked for, if the Service
            // has it (a packet to a port it lacks stops at the Service).
            let asked = t.port.is_none_or(|p| {
                e.to.rsplit_once(':')
                    .is_some_and(|(_, rest)| rest.starts_with(&format!("{p}/")))
            });
            if reaching.contains(e.to.as_str()) || (t.destinations.is_empty() && asked) {
                path.nodes.insert(e.to.clone());
            }
        }
        path.nodes.insert(sid);
    }
    route_path(layout, t, &reaching, &mut path);
    stopped_at(layout, t, &mut path);
    path
}

/// Where a failed trace stopped (`TracePath::stopped`).
fn stopped_at(layout: &Layout, t: &crate::worker::TraceView, path: &mut TracePath) {
    if !path.failed {
        return;
    }
    let denied: BTreeSet<String> = t
        .destinations
        .iter()
        .filter(|d| {
            d.policy
                .is_some_and(|p| p != portolan_core::netpol::Verdict::Allowed)
        })
        .map(|d| {
            d.pod
                .as_ref()
                .map_or_else(|| format!("address:{}", d.ip), |p| format!("pod:{p}"))
        })
        .collect();
    if !denied.is_empty() {
        path.stopped = denied;
        return;
    }
    let last = layout
        .nodes
        .iter()
        .filter(|n| path.nodes.contains(&n.id) && n.kind != "external")
        .max_by_key(|n| (n.x, std::cmp::Reverse(n.y)));
    path.stopped.extend(last.map(|n| n.id.clone()));
}

/// An HTTP request's part of the path: the client, the Gateway or Ingress
/// it entered, the route, and the Service ports that lead to the
/// destinations.
fn route_path(
    layout: &Layout,
    t: &crate::worker::TraceView,
    reaching: &BTreeSet<&str>,
    path: &mut TracePath,
) {
    if t.route_node.is_none() && !t.entry_nodes.is_empty() {
        // No route took the request further (`no-route`): the client and
        // where it entered, which is where it stopped.
        path.nodes.insert("external".to_owned());
        let drawn: BTreeSet<&str> = layout.nodes.iter().map(|n| n.id.as_str()).collect();
        path.nodes.extend(
            t.entry_nodes
                .iter()
                .filter(|id| drawn.contains(id.as_str()))
                .cloned(),
        );
    }
    if let Some(r) = &t.route_node {
        path.nodes.insert(r.clone());
        path.nodes.insert("external".to_owned());
        for e in &layout.edges {
            if e.to == *r && e.from.starts_with("gateway:") {
                path.nodes.insert(e.from.clone());
            }
            if e.from == *r && reaching.contains(e.to.as_str()) {
                path.nodes.insert(e.to.clone());
                let service = e.to.replacen("port:", "service:", 1);
                if let Some((svc, _)) = service.rsplit_once(':') {
                    path.nodes.insert(svc.to_owned());
                }
            }
        }
    }
}

/// The selected node's whole path: everything that leads to it and
/// everything it leads to (entry → Service → ports → endpoints → pods), and
/// the node itself; empty without a selection. Linear in the edges.
pub fn focus<'a>(layout: &'a Layout, selected: Option<&str>) -> BTreeSet<&'a str> {
    let Some(start) = selected.and_then(|s| layout.nodes.iter().find(|n| n.id == s)) else {
        return BTreeSet::new();
    };
    let mut forward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut backward: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &layout.edges {
        forward.entry(&e.from).or_default().push(&e.to);
        backward.entry(&e.to).or_default().push(&e.from);
    }
    let mut out: BTreeSet<&str> = BTreeSet::from([start.id.as_str()]);
    for map in [&forward, &backward] {
        let mut todo = vec![start.id.as_str()];
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        while let Some(id) = todo.pop() {
            for next in map.get(id).into_iter().flatten() {
                // The "outside" client is everyone's source: not a path.
                if *next != "external" && seen.insert(next) {
                    todo.push(next);
                }
            }
        }
        out.extend(seen);
    }
    out
}

/// The nodes whose name, label, namespace or kind contains the query (any
/// case): those named exactly so first, then by column (ways in, routes,
/// Services, ports, pods), then in drawing order; `None` when the query is
/// blank.
pub fn search(layout: &Layout, query: &str) -> Option<Vec<String>> {
    // ASCII case folding: Kubernetes names are ASCII, and the Unicode
    // tables would cost the page's wasm more than they help.
    let q = query.trim().to_ascii_lowercase();
    if q.is_empty() {
        return None;
    }
    // Buckets instead of a sort (one sort less in the page's wasm): exact
    // names first, then each column in drawing order.
    let mut buckets: Vec<Vec<String>> = vec![Vec::new(); 8];
    for n in layout.nodes.iter().filter(|n| {
        n.label.to_ascii_lowercase().contains(&q)
            || n.id.to_ascii_lowercase().contains(&q)
            || n.kind.replace('-', " ").contains(&q)
            || n.namespace
                .as_deref()
                .is_some_and(|ns| ns.to_ascii_lowercase().contains(&q))
    }) {
        let exact = n.line1.eq_ignore_ascii_case(&q) || n.id.eq_ignore_ascii_case(&q);
        let bucket = if exact {
            0
        } else {
            1 + crate::layout::column(&n.kind).min(6)
        };
        buckets[bucket].push(n.id.clone());
    }
    Some(buckets.concat())
}

/// The part of the graph the view shows, in the graph's user units.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// CSS pixels per user unit at which every label is at least 11 px (edge
/// labels are the smallest, 11 user units).
pub const READABLE: f64 = 1.0;
/// A small graph is not blown up beyond this.
const MAX_ZOOM: f64 = 1.6;

impl ViewBox {
    /// The whole graph.
    #[must_use]
    pub fn fit(layout: &Layout) -> Self {
        ViewBox {
            x: 0.0,
            y: 0.0,
            w: f64::from(layout.width.max(1)),
            h: f64::from(layout.height.max(1)),
        }
    }

    /// What the graph opens on in a pane of `pw` × `ph` CSS pixels: all of
    /// it when it fits at a readable size; else a readable window on what
    /// matters — the ways in and the flagged Services (or the first
    /// Services) — which the minimap places in the whole.
    #[must_use]
    pub fn opening(layout: &Layout, pw: f64, ph: f64) -> Self {
        let whole = Self::fit(layout);
        if pw <= 0.0 || ph <= 0.0 {
            return whole;
        }
        let fit = (pw / whole.w).min(ph / whole.h);
        if fit >= READABLE {
            if fit <= MAX_ZOOM {
                return whole;
            }
            let (w, h) = (pw / MAX_ZOOM, ph / MAX_ZOOM);
            return ViewBox {
                x: (whole.w - w) / 2.0,
                y: (whole.h - h) / 2.0,
                w,
                h,
            };
        }
        let matters = |n: &&crate::layout::LNode| {
            matches!(
                n.kind.as_str(),
                "loadbalancer" | "externalip" | "nodeport" | "ingress" | "gateway"
            ) || (n.kind == "service" && n.flagged)
        };
        let anchor = layout
            .nodes
            .iter()
            .filter(matters)
            .map(|n| (n.x, n.y))
            .min()
            .or_else(|| {
                layout
                    .nodes
                    .iter()
                    .filter(|n| n.kind == "service")
                    .map(|n| (n.x, n.y))
                    .min()
            })
            .unwrap_or((0, 0));
        let (w, h) = (pw / READABLE, ph / READABLE);
        let clamp = |v: f64, size: f64, total: f64| v.min(total - size).max(0.0);
        ViewBox {
            x: clamp(f64::from(anchor.0) - 24.0, w, whole.w),
            y: clamp(f64::from(anchor.1) - 40.0, h, whole.h),
            w,
            h,
        }
    }

    /// Whether any of a node box at `(x, y)`, `w` wide, is in the view.
    pub fn shows(&self, x: i32, y: i32, w: i32) -> bool {
        let (x, y) = (f64::from(x), f64::from(y));
        x + f64::from(w) > self.x
            && y + f64::from(crate::layout::NODE_H) > self.y
            && x < self.x + self.w
            && y < self.y + self.h
    }

    /// Whether the view shows all of `other`.
    pub fn covers(&self, other: &ViewBox) -> bool {
        self.x <= other.x
            && self.y <= other.y
            && self.x + self.w >= other.x + other.w
            && self.y + self.h >= other.y + other.h
    }

    /// The view moved to centre `(cx, cy)` as far as the graph allows,
    /// zoomed in to a readable size if it was smaller (in a pane of `pane`
    /// CSS pixels, on a graph of `graph` user units).
    #[must_use]
    pub fn centred_on(&self, cx: i32, cy: i32, pane: (f64, f64), graph: (i32, i32)) -> Self {
        let (mut w, mut h) = (self.w, self.h);
        let (pw, ph) = pane;
        if pw > 0.0 && ph > 0.0 && pw / w < READABLE {
            (w, h) = (pw / READABLE, ph / READABLE);
        }
        // Inside the graph where it is larger than the view; where it is
        // not, the graph centred across and at the top.
        let place = |c: i32, size: f64, total: i32, centre: bool| {
            let total = f64::from(total);
            let at = f64::from(c) - size / 2.0;
            if total > size {
                at.clamp(0.0, total - size)
            } else if centre {
                (total - size) / 2.0
            } else {
                0.0
            }
        };
        ViewBox {
            x: place(cx, w, graph.0, true),
            y: place(cy, h, graph.1, false),
            w,
            h,
        }
    }

    /// A view that shows all of these nodes, if this one does not: centred
    /// on them at a readable size when they fit, else just around them.
    #[must_use]
    pub fn showing(
        &self,
        layout: &Layout,
        ids: &BTreeSet<String>,
        pane: (f64, f64),
    ) -> Option<Self> {
        let boxes: Vec<&crate::layout::LNode> = layout
            .nodes
            .iter()
            .filter(|n| ids.contains(&n.id))
            .collect();
        let x0 = boxes.iter().map(|n| n.x).min()?;
        let y0 = boxes.iter().map(|n| n.y).min()?;
        let x1 = boxes.iter().map(|n| n.x + n.w).max()?;
        let y1 = boxes.iter().map(|n| n.y + crate::layout::NODE_H).max()?;
        let inside = f64::from(x0) >= self.x
            && f64::from(y0) >= self.y
            && f64::from(x1) <= self.x + self.w
            && f64::from(y1) <= self.y + self.h;
        if inside {
            return None;
        }
        let (pw, ph) = pane;
        let (w, h) = (f64::from(x1 - x0) + 48.0, f64::from(y1 - y0) + 48.0);
        if pw <= 0.0 || (w <= pw / READABLE && h <= ph / READABLE) {
            let centre = (i32::midpoint(x0, x1), i32::midpoint(y0, y1));
            return Some(self.centred_on(centre.0, centre.1, pane, (layout.width, layout.height)));
        }
        // Too big to read whole: all of it, in the pane's proportions.
        let scale = (pw / w).min(ph / h);
        let (w, h) = (pw / scale, ph / scale);
        let wide = ViewBox { w, h, ..*self };
        let centre = (i32::midpoint(x0, x1), i32::midpoint(y0, y1));
        Some(wide.centred_on(
            centre.0,
            centre.1,
            (0.0, 0.0),
            (layout.width, layout.height),
        ))
    }

    /// Zoomed by `factor` (above 1: out) around `(cx, cy)`.
    #[must_use]
    pub fn zoomed(&self, factor: f64, cx: f64, cy: f64) -> Self {
        let w = (self.w * factor).clamp(80.0, 80_000.0);
        let h = self.h * w / self.w;
        ViewBox {
            x: cx - (cx - self.x) * w / self.w,
            y: cy - (cy - self.y) * h / self.h,
            w,
            h,
        }
    }
}

/// Keys for a keyed list (Yew requires them unique): each base key, with
/// `#N` added to its N-th repeat.
pub fn unique_keys(keys: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    keys.map(|k| {
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        if *n == 1 { k } else { format!("{k}#{n}") }
    })
    .collect()
}

/// A hop's text without the specification rules it cites in parentheses
/// (`"… probability 1/3 (D.2.4): …"`), and those rules.
pub fn split_citation(detail: &str) -> (String, Option<Vec<String>>) {
    let is_rule = |r: &str| {
        let mut parts = r.split('.');
        parts
            .next()
            .is_some_and(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_uppercase()))
            && r.contains('.')
            && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    let mut text = String::with_capacity(detail.len());
    let mut rules: Vec<String> = Vec::new();
    let mut rest = detail;
    // Each "(" whose content up to the next ")" is a list of rules goes,
    // with the space before it; nested ones too.
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let inner: Option<Vec<&str>> = after.find(')').and_then(|close| {
            let list: Vec<&str> = after[..close].split([',', ';']).map(str::trim).collect();
            list.iter().all(|r| is_rule(r)).then_some(list)
        });
        if let Some(list) = inner {
            text.push_str(rest[..open].strip_suffix(' ').unwrap_or(&rest[..open]));
            rest = &after[after.find(')').unwrap_or(0) + 1..];
            rules.extend(list.into_iter().map(str::to_owned));
        } else {
            text.push_str(&rest[..=open]);
            rest = after;
        }
    }
    text.push_str(rest);
    (text, (!rules.is_empty()).then_some(rules))
}

/// Where a rule of Portolan's specification is written: `D.3.1` →
/// `docs/spec/kubernetes-services.md, rule D.3.1`.
pub fn cite(rule: &str) -> String {
    let file = match rule.chars().next() {
        Some('E') => "network-policy.md",
        Some('G' | 'H' | 'I') => "ingress-gateway.md",
        _ => "kubernetes-services.md",
    };
    format!("Rule {rule} of docs/spec/{file}, the behaviour of Kubernetes this step follows. ")
}

/// Above this many nodes the graph draws only what lies near the view: a
/// generated cluster of 10,000 pods is thousands of boxes, and laying out
/// and painting every one of them cost the page more than its analysis.
pub const CULL_ABOVE: usize = 400;

/// The part of the graph that is drawn: the view and one view's size (its
/// larger side) around it, so a pan or a pane whose shape differs from the
/// view box's never shows an undrawn edge. `None`: everything is drawn.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Window {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Window {
    pub fn around(layout: &Layout, vb: &ViewBox) -> Option<Window> {
        if layout.nodes.len() <= CULL_ABOVE {
            return None;
        }
        let m = vb.w.max(vb.h);
        let w = Window {
            x0: vb.x - m,
            y0: vb.y - m,
            x1: vb.x + vb.w + m,
            y1: vb.y + vb.h + m,
        };
        // A view of the whole graph draws all of it.
        let covers = w.x0 <= 0.0
            && w.y0 <= 0.0
            && w.x1 >= f64::from(layout.width)
            && w.y1 >= f64::from(layout.height);
        (!covers).then_some(w)
    }

    /// Whether the box at `(x, y)` of `w` × `h` is (partly) in the window.
    pub fn meets(&self, x: i32, y: i32, w: i32, h: i32) -> bool {
        let (x, y) = (f64::from(x), f64::from(y));
        x + f64::from(w) >= self.x0 && y + f64::from(h) >= self.y0 && x <= self.x1 && y <= self.y1
    }
}

/// What a window draws: a flag per node, per edge and per group of the
/// layout. Nodes named in `always` (the selection, the keyboard's tab
/// stop) are drawn wherever they are; an edge is drawn when the box
/// spanning its two ends meets the window.
pub fn drawn(
    layout: &Layout,
    window: Option<&Window>,
    always: &[&str],
) -> (Vec<bool>, Vec<bool>, Vec<bool>) {
    let Some(w) = window else {
        return (
            vec![true; layout.nodes.len()],
            vec![true; layout.edges.len()],
            vec![true; layout.groups.len()],
        );
    };
    let nodes = layout
        .nodes
        .iter()
        .map(|n| w.meets(n.x, n.y, n.w, crate::layout::NODE_H) || always.contains(&n.id.as_str()))
        .collect();
    let at: HashMap<&str, &crate::layout::LNode> =
        layout.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let edges = layout
        .edges
        .iter()
        .map(|e| match (at.get(e.from.as_str()), at.get(e.to.as_str())) {
            (Some(a), Some(b)) => {
                let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
                let x1 = (a.x + a.w).max(b.x + b.w);
                let y1 = a.y.max(b.y) + crate::layout::NODE_H;
                w.meets(x0, y0, x1 - x0, y1 - y0)
            }
            _ => true,
        })
        .collect();
    let groups = layout
        .groups
        .iter()
        .map(|g| w.meets(g.x, g.y, g.width, g.height))
        .collect();
    (nodes, edges, groups)
}

/// The graph's first node to the keyboard: the top-left one after the
/// outside world (the first way in, else the first Service).
pub fn first_node(layout: &Layout) -> Option<&str> {
    layout
        .nodes
        .iter()
        .filter(|n| n.kind != "external")
        .min_by_key(|n| (n.x, n.y))
        .map(|n| n.id.as_str())
}

/// The node an arrow key moves to from `id`: down and up its column (the
/// nearest below or above), right and left to the nearest node (by height)
/// of the next column.
pub fn neighbour<'a>(layout: &'a Layout, id: &str, key: &str) -> Option<&'a str> {
    let at = layout.nodes.iter().find(|n| n.id == id)?;
    let nodes = layout.nodes.iter().filter(|n| n.id != at.id);
    let best = match key {
        "ArrowDown" => nodes
            .filter(|n| n.x == at.x && n.y > at.y)
            .min_by_key(|n| n.y),
        "ArrowUp" => nodes
            .filter(|n| n.x == at.x && n.y < at.y)
            .max_by_key(|n| n.y),
        "ArrowRight" | "ArrowLeft" => {
            let right = key == "ArrowRight";
            let side: Vec<&crate::layout::LNode> = nodes
                .filter(|n| if right { n.x > at.x } else { n.x < at.x })
                .collect();
            let column = if right {
                side.iter().map(|n| n.x).min()
            } else {
                side.iter().map(|n| n.x).max()
            }?;
            side.into_iter()
                .filter(|n| n.x == column)
                .min_by_key(|n| (n.y - at.y).abs())
        }
        _ => None,
    }?;
    Some(best.id.as_str())
}

/// `v` with `decimals` digits after the point (at most 6), written with
/// integers: the page's wasm then carries no float formatting.
pub fn fixed(v: f64, decimals: u32) -> String {
    let decimals = decimals.min(6);
    let unit = 10_i64.pow(decimals);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "view coordinates and probabilities are far inside i64"
    )]
    let scaled = (v * unit as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, part) = (scaled.abs() / unit, scaled.abs() % unit);
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{part:0width$}", width = decimals as usize)
    }
}
