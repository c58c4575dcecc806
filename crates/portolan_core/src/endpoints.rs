//! Endpoints exactly as the `EndpointSlice` controller publishes them (spec C),
//! and as kube-proxy reads manual `EndpointSlices` and mirrored Endpoints (C.6).

use std::collections::{HashMap, HashSet};

use crate::model::{Body, EpsEndpoint, EpsPort, Object, PodSpec};
use crate::names;
use crate::profile::Resolved;
use crate::snapshot::{Cluster, ClusterPod, ClusterService, Endpoint, IntOrStringJson, Text};
use crate::types::{Protocol, ServiceType};

/// Pods indexed by (namespace, label key, label value): selector matching
/// looks up the rarest requirement instead of scanning every pod. Pods of
/// one namespace that share a label set (a ReplicaSet's) form one group,
/// indexed and matched once.
struct LabelIndex<'c> {
    by_label: HashMap<(&'c str, &'c str, &'c str), Vec<usize>>,
    /// Each group's labels and pods.
    groups: Vec<(&'c std::collections::BTreeMap<String, String>, Vec<usize>)>,
}

impl<'c> LabelIndex<'c> {
    fn new(pods: &'c [ClusterPod]) -> Self {
        let mut group_of: HashMap<
            (&str, *const std::collections::BTreeMap<String, String>),
            usize,
        > = HashMap::new();
        let mut by_label: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        let mut groups: Vec<(&std::collections::BTreeMap<String, String>, Vec<usize>)> = Vec::new();
        for (i, p) in pods.iter().enumerate() {
            let key = (&*p.namespace, std::sync::Arc::as_ptr(&p.labels));
            if let Some(&g) = group_of.get(&key) {
                groups[g].1.push(i);
                continue;
            }
            let g = groups.len();
            group_of.insert(key, g);
            groups.push((&p.labels, vec![i]));
            for (k, v) in p.labels.iter() {
                by_label
                    .entry((&*p.namespace, k.as_str(), v.as_str()))
                    .or_default()
                    .push(g);
            }
        }
        LabelIndex { by_label, groups }
    }

    /// Pods of `namespace` whose labels contain every selector entry
    /// (B.1.1), in pod order.
    fn select(
        &self,
        namespace: &str,
        selector: &std::collections::BTreeMap<String, String>,
    ) -> Vec<usize> {
        let mut best: Option<&Vec<usize>> = None;
        for (k, v) in selector {
            let Some(list) = self.by_label.get(&(namespace, k.as_str(), v.as_str())) else {
                return Vec::new();
            };
            if best.is_none_or(|b| list.len() < b.len()) {
                best = Some(list);
            }
        }
        let Some(candidates) = best else {
            return Vec::new();
        };
        let mut pods: Vec<usize> = candidates
            .iter()
            .map(|&g| &self.groups[g])
            .filter(|(labels, _)| crate::selector::service_selects(selector, labels))
            .flat_map(|(_, pods)| pods.iter().copied())
            .collect();
        pods.sort_unstable();
        pods
    }
}

pub fn compute(objects: &[Object], profile: &Resolved, cluster: &mut Cluster, threads: usize) {
    let index = LabelIndex::new(&cluster.pods);
    let manual = Manual::new(objects);
    let node_names: HashSet<&str> = cluster.nodes.iter().map(|n| n.name.as_str()).collect();
    // Each node's zone, allocated once and shared by its endpoints (the
    // node name itself is the pod's, already shared).
    let zones: HashMap<&str, Option<Text>> = cluster
        .nodes
        .iter()
        .map(|n| (n.name.as_str(), n.zone.as_deref().map(Text::from)))
        .collect();
    let service_endpoints = |svc: &ClusterService| -> Vec<Endpoint> {
        if svc.type_ == ServiceType::ExternalName {
            Vec::new() // C.1.1
        } else if let Some(selector) = &svc.selector {
            let selected = index.select(&svc.namespace, selector);
            let ports = ServicePorts::new(svc);
            selected
                .into_iter()
                .flat_map(|i| {
                    pod_endpoints(
                        objects,
                        profile,
                        svc,
                        &ports,
                        &cluster.pods[i],
                        i,
                        &node_names,
                        &zones,
                    )
                })
                .collect()
        } else {
            manual_endpoints(&manual, svc)
        }
    };
    // Services in batches, so that a thread's share is worth handing out.
    let batches: Vec<&[ClusterService]> = cluster.services.chunks(64).collect();
    let all = crate::par::map(&batches, threads, |batch| {
        batch.iter().map(service_endpoints).collect::<Vec<_>>()
    });
    drop(index);
    for (svc, mut eps) in cluster.services.iter_mut().zip(all.into_iter().flatten()) {
        // Hints are the controller's: only for Services it manages (C.1).
        if svc.selector.is_some() && svc.type_ != ServiceType::ExternalName {
            svc.topology_note = crate::topology::assign(
                svc.topology_auto,
                svc.traffic_distribution.as_deref(),
                &cluster.nodes,
                &mut eps,
            );
        }
        svc.endpoints = eps;
    }
}

/// `FindPort` (C.3.1): containers, then sidecar init containers, by name and protocol.
pub fn find_port(spec: &PodSpec, name: &str, protocol: Protocol) -> Option<i64> {
    spec.port_search_order()
        .flat_map(|c| c.ports.iter())
        .find(|p| {
            p.name.as_ref().is_some_and(|n| n.value == name) && p.protocol() == protocol.as_str()
        })
        .and_then(|p| p.container_port.as_ref().map(|c| c.value))
}

/// What a Service contributes to each of its endpoints, worked out once
/// per Service: its address families and, per port, the target, name and
/// protocol (names and protocols shared by every endpoint).
struct ServicePorts {
    want_v6: Vec<bool>,
    ports: Vec<(IntOrStringJson, Option<Text>, Protocol)>,
}

impl ServicePorts {
    fn new(svc: &ClusterService) -> Self {
        let mut want_v6: Vec<bool> = svc
            .cluster_ips
            .iter()
            .filter_map(|ip| names::parse_ip(ip))
            .map(|ip| ip.is_ipv6())
            .collect();
        want_v6.sort_unstable();
        want_v6.dedup();
        ServicePorts {
            want_v6,
            ports: svc
                .ports
                .iter()
                .map(|p| {
                    (
                        p.target_port.clone(),
                        Some(p.name.as_str())
                            .filter(|n| !n.is_empty())
                            .map(Text::from),
                        p.protocol,
                    )
                })
                .collect(),
        }
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "an endpoint is made from the pod, its node and zone, the Service ports and the conditions"
)]
fn pod_endpoints(
    objects: &[Object],
    profile: &Resolved,
    svc: &ClusterService,
    ports: &ServicePorts,
    pod: &ClusterPod,
    pod_index: usize,
    node_names: &HashSet<&str>,
    zones: &HashMap<&str, Option<Text>>,
) -> Vec<Endpoint> {
    // C.2.1
    if matches!(&*pod.phase, "Succeeded" | "Failed") || pod.ips.is_empty() {
        return Vec::new();
    }
    // C.2.3
    if let Some(node) = &pod.node
        && !node_names.contains(&**node)
        && !svc.publish_not_ready_addresses
    {
        return Vec::new();
    }
    // C.2.4
    let serving = pod.ready;
    let terminating = pod.terminating;
    let ready = svc.publish_not_ready_addresses || (serving && !terminating);
    let hostname = match (&pod.hostname, &pod.subdomain) {
        (Some(h), Some(s)) if !h.is_empty() && *s == svc.name => Some(h.clone()),
        _ => None,
    };
    let node = pod.node.clone();
    let zone = pod
        .node
        .as_deref()
        .and_then(|n| zones.get(n).cloned().flatten());
    // C.4: addresses of the Service's families.
    let default_v6 = profile
        .profile
        .ip_families
        .first()
        .is_some_and(|f| f == "IPv6");
    let addresses = pod.ips.iter().filter(|ip| {
        let v6 = names::parse_ip(ip).is_some_and(|a| a.is_ipv6());
        if ports.want_v6.is_empty() {
            v6 == default_v6
        } else {
            ports.want_v6.contains(&v6)
        }
    });
    let spec = objects.get(pod.object).and_then(Object::pod_spec);
    // C.3: resolve each Service port for this pod.
    let mut resolved: Vec<(Option<i64>, Option<Text>, Option<Protocol>)> =
        Vec::with_capacity(ports.ports.len());
    for (target, name, protocol) in &ports.ports {
        let port = match target {
            IntOrStringJson::Int(i) => Some(*i),
            IntOrStringJson::Str(target) => {
                spec.as_ref().and_then(|s| find_port(s, target, *protocol))
            }
        };
        if let Some(port) = port {
            resolved.push((Some(port), name.clone(), Some(*protocol)));
        }
    }
    if resolved.is_empty() {
        // C.3.3 / C.3.4: listed with `ports: []`, receives no traffic.
        resolved.push((None, None, None));
    }
    let key: Text = pod.key().into();
    let mut out = Vec::with_capacity(pod.ips.len() * resolved.len());
    for ip in addresses {
        for (port, port_name, protocol) in &resolved {
            out.push(Endpoint {
                pod: Some(key.clone()),
                ip: ip.clone(),
                port: *port,
                port_name: port_name.clone(),
                node: node.clone(),
                ready,
                serving,
                terminating,
                synthetic: pod.synthetic,
                protocol: *protocol,
                hostname: hostname.clone(),
                zone: zone.clone(),
                pod_index: Some(pod_index),
                hints: None,
            });
        }
    }
    out
}

/// C.6: user-created `EndpointSlices` (by the `kubernetes.io/service-name`
/// label) and legacy Endpoints mirrored into slices.
/// The EndpointSlices and Endpoints objects of the input by the Service
/// they name, in input order: a selector-less Service finds its own with a
/// lookup, not a scan of every object.
#[derive(Default)]
struct Manual<'o> {
    slices: HashMap<(&'o str, &'o str), Vec<&'o Object>>,
    endpoints: HashMap<(&'o str, &'o str), Vec<&'o Object>>,
}

impl<'o> Manual<'o> {
    fn new(objects: &'o [Object]) -> Self {
        let mut m = Manual::default();
        for o in objects {
            match &o.body {
                Body::EndpointSlice(_) => {
                    if let Some(name) = o.meta.labels.get("kubernetes.io/service-name") {
                        m.slices.entry((&o.namespace, name)).or_default().push(o);
                    }
                }
                Body::Endpoints(_) => {
                    m.endpoints
                        .entry((&o.namespace, o.name()))
                        .or_default()
                        .push(o);
                }
                _ => {}
            }
        }
        m
    }
}

fn manual_endpoints(manual: &Manual<'_>, svc: &ClusterService) -> Vec<Endpoint> {
    let mut out = Vec::new();
    let key = (svc.namespace.as_str(), svc.name.as_str());
    for o in manual.slices.get(&key).into_iter().flatten() {
        if let Body::EndpointSlice(eps) = &o.body {
            push_manual(svc, &eps.endpoints, &eps.ports, &mut out);
        }
    }
    for o in manual.endpoints.get(&key).into_iter().flatten() {
        let Body::Endpoints(ep) = &o.body else {
            continue;
        };
        let skip = o.meta.labels.get("endpointslice.kubernetes.io/skip-mirror") == Some("true");
        // C.6.4: mirrored unless marked to skip.
        if skip {
            continue;
        }
        for (endpoints, ports) in &ep.subsets {
            push_manual(svc, endpoints, ports, &mut out);
        }
    }
    out
}

fn push_manual(
    svc: &ClusterService,
    endpoints: &[EpsEndpoint],
    ports: &[EpsPort],
    out: &mut Vec<Endpoint>,
) {
    // C.6.2: slice ports match Service ports by name and protocol.
    let matched: Vec<(i64, Option<String>, Protocol)> = ports
        .iter()
        .filter_map(|sp| {
            let port = sp.port.filter(|p| *p != 0)?;
            let name = sp.name.clone().unwrap_or_default();
            svc.ports
                .iter()
                .any(|p| p.name == name && p.protocol.as_str() == sp.protocol)
                .then(|| {
                    (
                        port,
                        Some(name).filter(|n| !n.is_empty()),
                        Protocol::or_default(&sp.protocol),
                    )
                })
        })
        .collect();
    for e in endpoints {
        // C.6.3 defaults.
        let ready = e.ready.unwrap_or(true);
        let serving = e.serving.unwrap_or(ready);
        let terminating = e.terminating.unwrap_or(false);
        for ip in &e.addresses {
            let pod = e
                .target_pod
                .as_ref()
                .map(|p| format!("{}/{p}", svc.namespace));
            if matched.is_empty() {
                out.push(manual(
                    pod.clone(),
                    ip,
                    None,
                    None,
                    None,
                    e,
                    ready,
                    serving,
                    terminating,
                ));
            }
            for (port, name, protocol) in &matched {
                out.push(manual(
                    pod.clone(),
                    ip,
                    Some(*port),
                    name.clone(),
                    Some(*protocol),
                    e,
                    ready,
                    serving,
                    terminating,
                ));
            }
        }
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "an EndpointSlice endpoint's fields and its three conditions, as the API has them"
)]
fn manual(
    pod: Option<String>,
    ip: &str,
    port: Option<i64>,
    port_name: Option<String>,
    protocol: Option<Protocol>,
    e: &EpsEndpoint,
    ready: bool,
    serving: bool,
    terminating: bool,
) -> Endpoint {
    Endpoint {
        pod: pod.map(Text::from),
        ip: ip.to_owned(),
        port,
        port_name: port_name.map(Text::from),
        node: e.node_name.as_deref().map(Text::from),
        ready,
        serving,
        terminating,
        synthetic: false,
        protocol,
        hostname: e.hostname.clone(),
        zone: e.zone.as_deref().map(Text::from),
        pod_index: None,
        hints: e.hints.clone(),
    }
}
