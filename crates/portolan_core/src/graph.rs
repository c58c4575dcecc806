//! The routing graph (petgraph): external clients → load-balancer IPs,
//! externalIPs and `NodePorts` → Service ports → endpoints → pods, plus
//! `ExternalName` targets and Ingress backends; every edge carries its ports.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use crate::analysis::Analysis;
use crate::model::Body;
use crate::snapshot::{ClusterPort, ClusterService, Endpoint, IntOrStringJson};
use crate::types::Protocol;

/// What a graph node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// Clients outside the cluster.
    External,
    Node,
    Pod,
    Service,
    /// The DNS name an ExternalName Service aliases.
    #[serde(rename = "externalname")]
    ExternalName,
    ServicePort,
    /// A load-balancer address of a Service.
    #[serde(rename = "loadbalancer")]
    LoadBalancer,
    /// An `externalIPs` entry of a Service.
    #[serde(rename = "externalip")]
    ExternalIp,
    /// A node port, open on every node.
    #[serde(rename = "nodeport")]
    NodePort,
    /// An endpoint address that is not a pod of the input.
    Endpoint,
    Ingress,
    /// A Gateway API Gateway.
    Gateway,
    /// An HTTPRoute or a GRPCRoute.
    Route,
    /// A workload whose containers name a Service (the source of
    /// `reference` edges, interfaces.md §6.5).
    Workload,
    /// Drawn by the page only: a workload's pods folded into one node
    /// (never in `graph` output).
    #[cfg_attr(feature = "ts", ts(skip))]
    PodGroup,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::External => "external",
            NodeKind::Node => "node",
            NodeKind::Pod => "pod",
            NodeKind::Service => "service",
            NodeKind::ExternalName => "externalname",
            NodeKind::ServicePort => "service-port",
            NodeKind::LoadBalancer => "loadbalancer",
            NodeKind::ExternalIp => "externalip",
            NodeKind::NodePort => "nodeport",
            NodeKind::Endpoint => "endpoint",
            NodeKind::Ingress => "ingress",
            NodeKind::Gateway => "gateway",
            NodeKind::Route => "route",
            NodeKind::Workload => "workload",
            NodeKind::PodGroup => "pod-group",
        }
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GraphNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    pub namespace: Option<String>,
    pub synthetic: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    /// `port → targetPort → containerPort/protocol` as a person reads it.
    pub label: String,
    pub protocol: Option<Protocol>,
    pub port: Option<i64>,
    #[serde(rename = "targetPort")]
    pub target_port: Option<IntOrStringJson>,
    #[serde(rename = "containerPort")]
    pub container_port: Option<i64>,
    pub ready: Option<bool>,
    /// `reference` for a client reference (interfaces.md §6.5); absent on
    /// routing edges.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "'reference'"))]
    pub kind: Option<&'static str>,
    /// A reference's source: `env:NAME`, `arg` or `configmap:NS/NAME:KEY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub source: Option<String>,
    /// Where a reference is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub column: Option<usize>,
}

#[derive(Debug, Default)]
pub struct RoutingGraph {
    pub graph: DiGraph<GraphNode, GraphEdge>,
    ids: BTreeMap<String, NodeIndex>,
}

impl RoutingGraph {
    fn node(
        &mut self,
        id: String,
        kind: NodeKind,
        label: String,
        namespace: Option<&str>,
        synthetic: bool,
    ) -> NodeIndex {
        if let Some(&i) = self.ids.get(&id) {
            return i;
        }
        let i = self.graph.add_node(GraphNode {
            id: id.clone(),
            kind,
            label,
            namespace: namespace.map(str::to_owned),
            synthetic,
        });
        self.ids.insert(id, i);
        i
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, edge: GraphEdge) {
        self.graph.add_edge(from, to, edge);
    }

    pub fn nodes(&self) -> impl Iterator<Item = &GraphNode> {
        self.graph.node_weights()
    }

    pub fn edges(&self) -> impl Iterator<Item = &GraphEdge> {
        self.graph.edge_weights()
    }
}

pub fn service_id(svc: &ClusterService) -> String {
    format!("service:{}/{}", svc.namespace, svc.name)
}

/// The graph id of a Service port.
pub fn port_id(svc: &ClusterService, port: i64, protocol: Protocol) -> String {
    format!("port:{}/{}:{port}/{protocol}", svc.namespace, svc.name)
}

/// Build the routing graph of an analysis: the cluster's nodes and pods,
/// then each Service with its ports, the ways in (load-balancer and
/// external IPs, node ports) and the endpoints behind each port, then the
/// Ingress rules.
pub fn build(analysis: &Analysis) -> RoutingGraph {
    let mut g = RoutingGraph::default();
    let cluster = &analysis.cluster;
    let external = g.node(
        "external".into(),
        NodeKind::External,
        "external clients".into(),
        None,
        false,
    );
    for n in &cluster.nodes {
        g.node(
            format!("node:{}", n.name),
            NodeKind::Node,
            format!("{} ({})", n.name, n.ip),
            None,
            n.synthetic,
        );
    }
    for p in &cluster.pods {
        let label = format!("{} {}", p.name, p.ips.join(","));
        g.node(
            format!("pod:{}", p.key()),
            NodeKind::Pod,
            label,
            Some(&p.namespace),
            p.synthetic,
        );
    }
    for svc in &cluster.services {
        service(&mut g, external, svc);
    }
    ingress_edges(analysis, &mut g, external);
    gateway_edges(analysis, &mut g, external);
    reference_edges(analysis, &mut g);
    g
}

/// A `reference` edge from each referring workload (or Pod) to the Service
/// port it names, or to the Service when it names no port (interfaces.md
/// §6.5). References that do not resolve have no edge: their findings
/// say why.
fn reference_edges(analysis: &Analysis, g: &mut RoutingGraph) {
    for r in &analysis.references {
        let crate::refs::Target::Service { service, port } = r.target else {
            continue;
        };
        let svc = &analysis.cluster.services[service];
        let resolved = port.and_then(|p| svc.ports.get(p));
        let to = match resolved {
            Some(p) => port_id(svc, p.port, p.protocol),
            None => service_id(svc),
        };
        let Some(&t) = g.ids.get(&to) else { continue };
        let o = &analysis.objects[r.object];
        let from = if r.referrer.starts_with("pod:") {
            g.ids.get(&r.referrer).copied()
        } else {
            None
        };
        let f = from.unwrap_or_else(|| {
            g.node(
                r.referrer.clone(),
                NodeKind::Workload,
                format!("{} {}", o.kind.value, o.name()),
                Some(&o.namespace),
                false,
            )
        });
        let source = &analysis.sources[r.at.0];
        let at = source.position(r.at.1.start as usize);
        g.edge(
            f,
            t,
            GraphEdge {
                from: r.referrer.clone(),
                to,
                label: r.text.clone(),
                port: r.port,
                protocol: resolved.map(|p| p.protocol),
                kind: Some("reference"),
                source: Some(r.source.clone()),
                file: Some(source.name.clone()),
                line: Some(at.line),
                column: Some(at.column),
                ..GraphEdge::default()
            },
        );
    }
}

/// An edge with no port information (CNAME, ingress rules).
fn plain_edge(from: String, to: String, label: String) -> GraphEdge {
    GraphEdge {
        from,
        to,
        label,
        protocol: None,
        port: None,
        target_port: None,
        container_port: None,
        ready: None,
        ..GraphEdge::default()
    }
}

/// A Service: an ExternalName's alias, or its ports.
fn service(g: &mut RoutingGraph, external: NodeIndex, svc: &ClusterService) {
    let sid = service_id(svc);
    let ip = if svc.headless {
        "headless".to_owned()
    } else {
        svc.cluster_ips.join(",")
    };
    let s = g.node(
        sid.clone(),
        NodeKind::Service,
        format!("{} ({}, {ip})", svc.name, svc.type_),
        Some(&svc.namespace),
        svc.synthetic,
    );
    if let Some(target) = &svc.external_name {
        let to = format!("externalname:{target}");
        let t = g.node(
            to.clone(),
            NodeKind::ExternalName,
            target.clone(),
            None,
            false,
        );
        g.edge(s, t, plain_edge(sid, to, "CNAME".into()));
        return;
    }
    // The Service's endpoints by port name, once: a Service with
    // thousands of ports does not scan every endpoint for each port.
    let mut by_port: std::collections::HashMap<&str, Vec<&Endpoint>> =
        std::collections::HashMap::new();
    for e in &svc.endpoints {
        by_port
            .entry(e.port_name.as_deref().unwrap_or(""))
            .or_default()
            .push(e);
    }
    for p in &svc.ports {
        let pn = service_port(g, s, svc, p);
        ways_in(g, external, pn, svc, p);
        let same_name = by_port.get(p.name.as_str()).map_or(&[][..], Vec::as_slice);
        endpoints(g, pn, svc, p, same_name);
    }
}

/// A Service port node, and the Service's edge to it.
fn service_port(
    g: &mut RoutingGraph,
    s: NodeIndex,
    svc: &ClusterService,
    p: &ClusterPort,
) -> NodeIndex {
    let pid = port_id(svc, p.port, p.protocol);
    let name = if p.name.is_empty() {
        String::new()
    } else {
        format!("{} ", p.name)
    };
    let pn = g.node(
        pid.clone(),
        NodeKind::ServicePort,
        format!("{name}{}/{}", p.port, p.protocol),
        Some(&svc.namespace),
        false,
    );
    g.edge(
        s,
        pn,
        GraphEdge {
            from: service_id(svc),
            to: pid,
            label: format!("{}/{}", p.port, p.protocol),
            protocol: Some(p.protocol),
            port: Some(p.port),
            target_port: Some(p.target_port.clone()),
            container_port: None,
            ready: None,
            ..GraphEdge::default()
        },
    );
    pn
}

/// How external clients reach a Service port: through each load-balancer
/// VIP and externalIP, and through its node port.
fn ways_in(
    g: &mut RoutingGraph,
    external: NodeIndex,
    pn: NodeIndex,
    svc: &ClusterService,
    p: &ClusterPort,
) {
    let pid = port_id(svc, p.port, p.protocol);
    let entry_edge = |from: &str, via: String| GraphEdge {
        from: from.to_owned(),
        to: pid.clone(),
        label: via,
        protocol: Some(p.protocol),
        port: Some(p.port),
        target_port: Some(p.target_port.clone()),
        container_port: None,
        ready: None,
        ..GraphEdge::default()
    };
    let from_outside = |to: &str, label: String, port: i64| GraphEdge {
        from: "external".into(),
        to: to.to_owned(),
        label,
        protocol: Some(p.protocol),
        port: Some(port),
        target_port: None,
        container_port: None,
        ready: None,
        ..GraphEdge::default()
    };
    let entries = svc
        .load_balancer_ips
        .iter()
        .map(|lb| {
            (
                format!("lb:{}", lb.ip),
                NodeKind::LoadBalancer,
                &lb.ip,
                lb.synthetic,
            )
        })
        .chain(
            svc.external_ips
                .iter()
                .map(|e| (format!("externalip:{e}"), NodeKind::ExternalIp, e, false)),
        );
    for (id, kind, ip, synthetic) in entries {
        let n = g.node(id.clone(), kind, ip.clone(), None, synthetic);
        g.edge(
            external,
            n,
            from_outside(&id, format!("{ip}:{}", p.port), p.port),
        );
        g.edge(
            n,
            pn,
            entry_edge(&id, format!("{ip}:{} → {}", p.port, p.port)),
        );
    }
    if let Some(np) = p.node_port {
        let id = format!("nodeport:{np}/{}", p.protocol);
        let n = g.node(
            id.clone(),
            NodeKind::NodePort,
            format!("NodePort {np}/{}", p.protocol),
            None,
            p.node_port_synthetic,
        );
        g.edge(
            external,
            n,
            from_outside(&id, format!("<any node>:{np}"), np),
        );
        g.edge(n, pn, entry_edge(&id, format!("{np} → {}", p.port)));
    }
}

/// A Service port's edges to its endpoints: the pod when the input has it,
/// else an address node.
fn endpoints(
    g: &mut RoutingGraph,
    pn: NodeIndex,
    svc: &ClusterService,
    p: &ClusterPort,
    same_name: &[&Endpoint],
) {
    let pid = port_id(svc, p.port, p.protocol);
    for ep in same_name
        .iter()
        .copied()
        .filter(|e| e.protocol.is_none_or(|proto| proto == p.protocol) && e.port.is_some())
    {
        let target = match &ep.pod {
            Some(pod) if g.ids.contains_key(&format!("pod:{pod}")) => format!("pod:{pod}"),
            _ => {
                let id = format!("address:{}", ep.ip);
                g.node(
                    id.clone(),
                    NodeKind::Endpoint,
                    ep.ip.clone(),
                    Some(&svc.namespace),
                    ep.synthetic,
                );
                id
            }
        };
        let t = g.ids[&target];
        let label = format!(
            "{} → {} → {}/{}",
            p.port,
            p.target_port_text(),
            ep.port.unwrap_or_default(),
            p.protocol
        );
        g.edge(
            pn,
            t,
            GraphEdge {
                from: pid.clone(),
                to: target,
                label,
                protocol: Some(p.protocol),
                port: Some(p.port),
                target_port: Some(p.target_port.clone()),
                container_port: ep.port,
                ready: Some(ep.ready),
                ..GraphEdge::default()
            },
        );
    }
}

fn ingress_edges(analysis: &Analysis, g: &mut RoutingGraph, external: NodeIndex) {
    let mut services: std::collections::HashMap<(&str, &str), &ClusterService> =
        std::collections::HashMap::new();
    for s in &analysis.cluster.services {
        // The first of two Services with one name, as a scan would find it.
        services
            .entry((s.namespace.as_str(), s.name.as_str()))
            .or_insert(s);
    }
    for o in &analysis.objects {
        let Body::Ingress(ing) = &o.body else {
            continue;
        };
        let iid = format!("ingress:{}/{}", o.namespace, o.name());
        let i = g.node(
            iid.clone(),
            NodeKind::Ingress,
            o.name().to_owned(),
            Some(&o.namespace),
            false,
        );
        g.edge(
            external,
            i,
            plain_edge("external".into(), iid.clone(), "HTTP 80, 443".into()),
        );
        for at in ing.service_backends() {
            let b = at.service;
            let Some(&svc) = services.get(&(o.namespace.as_str(), b.service())) else {
                continue;
            };
            let port = svc.ports.iter().find(|p| b.selects_port(p.port, &p.name));
            let (to, port_no, proto) = match port {
                Some(p) => (
                    port_id(svc, p.port, p.protocol),
                    Some(p.port),
                    Some(p.protocol),
                ),
                None => (service_id(svc), None, None),
            };
            let Some(&t) = g.ids.get(&to) else { continue };
            let rule = format!("{}{}", at.host.unwrap_or("*"), at.path_text.unwrap_or(""));
            g.edge(
                i,
                t,
                GraphEdge {
                    from: iid.clone(),
                    to,
                    label: rule,
                    protocol: proto,
                    port: port_no,
                    target_port: None,
                    container_port: None,
                    ready: None,
                    ..GraphEdge::default()
                },
            );
        }
    }
}

/// Gateways and their routes (interfaces.md §6.3): gateway → route for each
/// listener the route is accepted on, route → Service port for each
/// backendRef that resolves, labelled by the rule's first match.
fn gateway_edges(analysis: &Analysis, g: &mut RoutingGraph, external: NodeIndex) {
    let rejected = crate::model::rejected(&analysis.objects, &analysis.diagnostics);
    let r = crate::http::Routing::new(&analysis.objects, &rejected, &analysis.cluster);
    if r.gateways.is_empty() && r.routes.is_empty() {
        return;
    }
    let mut gateway_nodes = Vec::with_capacity(r.gateways.len());
    for gw in &r.gateways {
        let ports: Vec<String> = gw
            .listeners()
            .map(|(_, _, port, proto)| format!("{proto}:{port}"))
            .collect();
        let id = format!("gateway:{}", gw.key());
        let i = g.node(
            id.clone(),
            NodeKind::Gateway,
            format!("{} ({})", gw.name, ports.join(", ")),
            Some(gw.namespace),
            false,
        );
        if gw.served {
            g.edge(
                external,
                i,
                plain_edge("external".into(), id.clone(), ports.join(", ")),
            );
        }
        gateway_nodes.push((id, i));
    }
    for route in &r.routes {
        let kind = route.route.kind();
        let rid = format!("route:{}/{kind}/{}", route.namespace, route.name);
        let ri = g.node(
            rid.clone(),
            NodeKind::Route,
            format!("{} ({kind})", route.name),
            Some(route.namespace),
            false,
        );
        for a in route.attachments() {
            let (gid, gi) = &gateway_nodes[a.gateway];
            let l = &r.gateways[a.gateway].gateway.listeners[a.listener];
            let hosts = a.hostnames.as_ref().map_or("*".to_owned(), |h| h.join(","));
            g.edge(
                *gi,
                ri,
                GraphEdge {
                    from: gid.clone(),
                    to: rid.clone(),
                    label: format!(
                        "{} {hosts}",
                        l.name.as_ref().map_or("?", |n| n.value.as_str())
                    ),
                    protocol: None,
                    port: l.port.as_ref().map(|p| p.value),
                    target_port: None,
                    container_port: None,
                    ready: None,
                    ..GraphEdge::default()
                },
            );
        }
        backend_edges(analysis, g, &r, route, (&rid, ri));
    }
}

/// Route → Service port, for each backendRef of each rule that resolves.
fn backend_edges(
    analysis: &Analysis,
    g: &mut RoutingGraph,
    r: &crate::http::Routing<'_>,
    route: &crate::http::RouteAt<'_>,
    (rid, ri): (&str, NodeIndex),
) {
    let kind = route.route.kind();
    for rule in route.route.rules.iter().flat_map(|(rules, _)| rules) {
        let label = rule_label(route.route, rule);
        for b in rule.backend_refs.iter().flatten() {
            let crate::http::Backend::Service { service, port } =
                r.route_backend(route.namespace, kind, b)
            else {
                continue;
            };
            let svc = &analysis.cluster.services[service];
            let p = &svc.ports[port];
            let to = port_id(svc, p.port, p.protocol);
            let Some(&t) = g.ids.get(&to) else { continue };
            g.edge(
                ri,
                t,
                GraphEdge {
                    from: rid.to_owned(),
                    to,
                    label: if b.weight.is_some() {
                        format!("{label} w={}", b.weight())
                    } else {
                        label.clone()
                    },
                    protocol: Some(p.protocol),
                    port: Some(p.port),
                    target_port: None,
                    container_port: None,
                    ready: None,
                    ..GraphEdge::default()
                },
            );
        }
    }
}

/// A rule's first match as a person reads it: `/api`, `Exact /login`,
/// `pkg.Svc/Method`.
fn rule_label(route: &crate::model::Route, rule: &crate::model::RouteRule) -> String {
    let Some(m) = rule.matches.as_ref().and_then(|m| m.first()) else {
        return if route.grpc {
            "*".to_owned()
        } else {
            "/".to_owned()
        };
    };
    let Some(p) = &m.path else {
        return if route.grpc {
            "*".to_owned()
        } else {
            "/".to_owned()
        };
    };
    let text = |s: &Option<crate::model::Spanned<String>>| s.as_ref().map(|v| v.value.clone());
    let mut label = if route.grpc {
        format!(
            "{}/{}",
            text(&p.service).unwrap_or_else(|| "*".to_owned()),
            text(&p.method).unwrap_or_else(|| "*".to_owned())
        )
    } else {
        let value = text(&p.value).unwrap_or_else(|| "/".to_owned());
        match p.type_.as_ref().map(|t| t.value.as_str()) {
            Some("Exact") => format!("= {value}"),
            Some("RegularExpression") => format!("~ {value}"),
            _ => value,
        }
    };
    if !m.headers.is_empty() {
        label.push_str(&format!(" +{}h", m.headers.len()));
    }
    if rule.matches.as_ref().is_some_and(|m| m.len() > 1) {
        label.push_str(" …");
    }
    label
}
