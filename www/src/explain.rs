//! Routing said in words: each Service's details open with a plain-language
//! summary in the terms of the seed (what kind of doorway it is, who can
//! reach it at which addresses and ports, which pods it sends to and why,
//! what is wrong), and the ports and ways in (node ports, load balancers,
//! external IPs) get details of their own, with where a trace can start
//! or end.

use portolan_core::analysis::Analysis;
use portolan_core::graph::{GraphNode, NodeKind};
use portolan_core::snapshot::ClusterService;
use portolan_core::types::ServiceType;

use crate::view::Details;

/// At most this many pod names in a sentence; the endpoints table has all.
const NAMES: usize = 4;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `a, b, c and 4 more`.
fn names(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(NAMES).map(String::as_str).collect();
    let rest = items.len().saturating_sub(NAMES);
    let mut s = match shown.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] if rest == 0 => format!("{} and {last}", init.join(", ")),
        all => all.join(", "),
    };
    if rest > 0 {
        s.push_str(&format!(" and {rest} more"));
    }
    s
}

fn dns_name(analysis: &Analysis, svc: &ClusterService) -> String {
    format!(
        "{}.{}.svc.{}",
        svc.name, svc.namespace, analysis.profile.profile.cluster_domain
    )
}

fn ports_text(svc: &ClusterService) -> String {
    let ports: Vec<String> = svc
        .ports
        .iter()
        .map(|p| format!("{}/{}", p.port, p.protocol))
        .collect();
    names(&ports)
}

/// What kind of doorway the Service is, and its addresses.
fn doorway(analysis: &Analysis, svc: &ClusterService) -> String {
    let dns = dns_name(analysis, svc);
    let ip = svc.cluster_ips.join(" and ");
    let node_ports: Vec<String> = svc
        .ports
        .iter()
        .filter_map(|p| p.node_port.map(|n| n.to_string()))
        .collect();
    match svc.type_ {
        ServiceType::ExternalName => format!(
            "An ExternalName Service: nothing is proxied; cluster DNS answers {dns} with a CNAME to {}, and clients connect there themselves.",
            svc.external_name.as_deref().unwrap_or("(no name)")
        ),
        _ if svc.headless => format!(
            "A headless Service (clusterIP: None): it has no virtual address and kube-proxy does nothing for it; cluster DNS answers {dns} with the addresses of its ready pods, and clients connect to a pod directly."
        ),
        ServiceType::ClusterIP => format!(
            "A ClusterIP Service: a stable virtual address, {ip}, that only clients inside the cluster can reach; kube-proxy sends each connection to one of its ready endpoints."
        ),
        ServiceType::NodePort => format!(
            "A NodePort Service: inside the cluster at {ip}, and from outside at port {} of every node; kube-proxy sends both to its ready endpoints.",
            names(&node_ports)
        ),
        ServiceType::LoadBalancer => {
            let lbs: Vec<String> = svc.load_balancer_ips.iter().map(|l| l.ip.clone()).collect();
            let lb = if lbs.is_empty() {
                "its address once the cloud provider assigns one".to_owned()
            } else {
                names(&lbs)
            };
            format!(
                "A LoadBalancer Service: a cloud load balancer at {lb} takes traffic from outside to the node ports ({}), and kube-proxy sends it on to the ready endpoints; inside the cluster it is {ip}.",
                if node_ports.is_empty() {
                    "none allocated".to_owned()
                } else {
                    names(&node_ports)
                }
            )
        }
    }
}

/// Who can reach it, at which names and ports.
fn reach(analysis: &Analysis, svc: &ClusterService) -> Option<String> {
    if svc.ports.is_empty() {
        return None;
    }
    let mut s = format!(
        "Pods reach it as {} (or {} from namespace {}) on port {}",
        dns_name(analysis, svc),
        svc.name,
        svc.namespace,
        ports_text(svc)
    );
    if !svc.external_ips.is_empty() {
        s.push_str(&format!(
            ", and anyone who can route to {} on the same ports",
            names(&svc.external_ips)
        ));
    }
    s.push('.');
    if svc
        .external_traffic_policy
        .is_some_and(|p| p.as_str() == "Local")
    {
        s.push_str(" externalTrafficPolicy is Local: traffic from outside is only answered by nodes that run one of its pods, and the pods see the client's own address.");
    }
    Some(s)
}

/// Which pods it sends to, and why.
fn sends_to(svc: &ClusterService) -> String {
    let ready: Vec<String> = svc
        .endpoints
        .iter()
        .filter(|e| e.ready)
        .map(|e| e.pod.as_deref().map_or_else(|| e.ip.clone(), str::to_owned))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let not_ready = svc.endpoints.iter().filter(|e| !e.ready).count();
    let why = match &svc.selector {
        Some(sel) if !sel.is_empty() => {
            let labels: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("the pods whose labels include {}", labels.join(" and "))
        }
        _ => "the endpoints written by hand in its EndpointSlices (it has no selector)".to_owned(),
    };
    let mut s = if ready.is_empty() {
        format!("It sends to {why}, and none is ready: a connection to it is refused.")
    } else {
        format!(
            "It sends to {why}: {} ({}).",
            plural(ready.len(), "ready endpoint", "ready endpoints"),
            names(&ready)
        )
    };
    if not_ready > 0 {
        s.push_str(&format!(
            " {} not ready and get no traffic.",
            plural(not_ready, "endpoint is", "endpoints are")
        ));
    }
    s
}

/// The summary that opens a Service's details (what is wrong is added
/// with the findings, [`wrong`]).
pub fn service_summary(analysis: &Analysis, svc: &ClusterService) -> Vec<String> {
    let mut out = vec![doorway(analysis, svc)];
    if svc.type_ != ServiceType::ExternalName {
        out.extend(reach(analysis, svc));
        out.push(sends_to(svc));
    }
    out
}

/// The summary's last sentence when there are findings.
pub fn wrong(findings: usize) -> String {
    if findings == 1 {
        "Something is wrong: see the finding below.".to_owned()
    } else {
        format!("{findings} things are wrong: see the findings below.")
    }
}

/// Where a trace to a Service goes: its name with the first port (a
/// Service with one port is reached by its name alone).
pub fn trace_target(svc: &ClusterService) -> Option<String> {
    let p = svc.ports.first()?;
    Some(format!("{}.{}:{}", svc.name, svc.namespace, p.port))
}

/// A Service port: what it forwards where, and its endpoints.
/// `at`: the Service and port index of the node (found by the caller's
/// index, not by a scan of every Service).
pub fn port_details(analysis: &Analysis, at: Option<(usize, usize)>, d: &mut Details) {
    let Some((svc, p)) = at.and_then(|(s, i)| {
        let svc = analysis.cluster.services.get(s)?;
        Some((svc, svc.ports.get(i)?))
    }) else {
        return;
    };
    d.title = format!(
        "Port {}/{} of Service {}/{}",
        p.port, p.protocol, svc.namespace, svc.name
    );
    "Service port".clone_into(&mut d.kind);
    d.location = crate::view::object_location(analysis, svc.object);
    let name = if p.name.is_empty() {
        "(unnamed)"
    } else {
        p.name.as_str()
    };
    d.rows
        .push(("Service".into(), format!("{}/{}", svc.namespace, svc.name)));
    d.rows.push(("name".into(), name.to_owned()));
    d.rows
        .push(("port".into(), format!("{}/{}", p.port, p.protocol)));
    d.rows.push(("targetPort".into(), p.target_port_text()));
    if let Some(np) = p.node_port {
        d.rows.push(("nodePort".into(), np.to_string()));
    }
    if let Some(ap) = &p.app_protocol {
        d.rows.push(("appProtocol".into(), ap.clone()));
    }
    d.endpoints = svc
        .port_endpoints(&p.name, p.protocol)
        .map(crate::view::endpoint_row)
        .collect();
    let ready = svc.ready_endpoints(&p.name, p.protocol).count();
    d.summary.push(if svc.headless {
        format!(
            "Port {} of a headless Service: no proxying; clients resolve {} and connect to port {} of a pod themselves.",
            p.port,
            dns_name(analysis, svc),
            p.target_port_text()
        )
    } else {
        format!(
            "Connections to {}:{} go to port {} of {}.",
            dns_name(analysis, svc),
            p.port,
            p.target_port_text(),
            plural(ready, "ready endpoint", "ready endpoints")
        )
    });
    d.actions.trace_to = Some((format!("{}.{}:{}", svc.name, svc.namespace, p.port), false));
}

/// A way in from outside: a node port, a load-balancer address or an
/// external IP, and the Service ports it leads to.
/// `leading`: the (Service, port) indexes the node leads to, in order.
pub fn entry_details(
    analysis: &Analysis,
    n: &GraphNode,
    leading: &[(usize, usize)],
    d: &mut Details,
) {
    let (what, address, title) = match n.kind {
        NodeKind::NodePort => ("a port open on every node", None, "Node port"),
        NodeKind::LoadBalancer => (
            "a cloud load balancer's address",
            Some(n.label.clone()),
            "Load balancer",
        ),
        NodeKind::ExternalIp => (
            "an external IP the Service accepts",
            Some(n.label.clone()),
            "External IP",
        ),
        _ => return,
    };
    d.title = format!("{title} {}", n.label.trim_start_matches("NodePort "));
    let node_ip = analysis.cluster.nodes.first().map(|x| x.ip.clone());
    let mut leads = Vec::new();
    let mut to = None;
    let services = &analysis.cluster.services;
    for (s, p) in leading
        .iter()
        .filter_map(|&(i, j)| services.get(i).and_then(|s| Some((s, s.ports.get(j)?))))
    {
        leads.push(format!(
            "{}/{} port {}/{}",
            s.namespace, s.name, p.port, p.protocol
        ));
        if to.is_none() {
            to = match (n.kind, &address, &node_ip, p.node_port) {
                (NodeKind::NodePort, _, Some(ip), Some(np)) => Some(format!("{ip}:{np}")),
                (_, Some(a), _, _) => Some(format!("{a}:{}", p.port)),
                _ => None,
            };
        }
    }
    n.kind.as_str().clone_into(&mut d.kind);
    d.rows.push(("leads to".into(), names(&leads)));
    d.summary.push(format!(
        "{} is {what}: clients outside the cluster reach {} through it.",
        n.label,
        names(&leads)
    ));
    d.actions.trace_to = to.map(|t| (t, true));
}
