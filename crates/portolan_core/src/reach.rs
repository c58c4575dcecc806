//! `portolan reach` (interfaces.md §6.2, spec E.6.6): every (source pod,
//! destination pod, port) the input allows or denies, directly and through
//! each Service port that routes the source to the destination.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::names::parse_ip;
use crate::netpol::{Connection, Party, PodView, Policies, PolicyRef, Verdict, view_of};
use crate::snapshot::{ClusterPod, ClusterService};
use crate::types::{Protocol, ServiceType, TrafficPolicy};

/// Which pods a side of the question covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Pod {
        namespace: String,
        name: String,
    },
    Workload {
        namespace: String,
        kind: String,
        name: String,
    },
    Namespace(String),
    /// A client outside the cluster (sources only).
    External(String),
    /// The endpoint pods of a Service (destinations only), optionally of
    /// one Service port.
    Service {
        namespace: String,
        name: String,
        port: Option<i64>,
    },
}

fn split_port(s: &str) -> Result<(&str, Option<i64>), String> {
    match s.rsplit_once(':') {
        Some((head, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            let p: i64 = port
                .parse()
                .ok()
                .filter(|p| (1..=65535).contains(p))
                .ok_or_else(|| format!("'{port}' is not a port number"))?;
            Ok((head, Some(p)))
        }
        _ => Ok((s, None)),
    }
}

fn ns_name(s: &str, what: &str) -> Result<(String, String), String> {
    let (ns, name) = s
        .split_once('/')
        .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('/'))
        .ok_or_else(|| format!("{what}:NS/NAME, not '{what}:{s}'"))?;
    Ok((ns.to_owned(), name.to_owned()))
}

impl Scope {
    /// `--from`: `pod:NS/NAME`, `workload:NS/KIND/NAME`, `namespace:NS` or
    /// `external:IP`.
    pub fn parse_from(s: &str) -> Result<Scope, String> {
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        match kind {
            "pod" => ns_name(rest, "pod").map(|(namespace, name)| Scope::Pod { namespace, name }),
            "workload" => workload(rest),
            "namespace" if !rest.is_empty() && !rest.contains('/') => {
                Ok(Scope::Namespace(rest.to_owned()))
            }
            "external" if parse_ip(rest).is_some() => Ok(Scope::External(rest.to_owned())),
            _ => Err(format!(
                "--from must be pod:NS/NAME, workload:NS/KIND/NAME, namespace:NS or external:IP, not '{s}'"
            )),
        }
    }

    /// `--to`: `service:NS/NAME[:PORT]`, `pod:NS/NAME[:PORT]` or
    /// `workload:NS/KIND/NAME`; the port of a pod is its container port.
    pub fn parse_to(s: &str) -> Result<(Scope, Option<i64>), String> {
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        match kind {
            "service" => {
                let (head, port) = split_port(rest)?;
                let (namespace, name) = ns_name(head, "service")?;
                Ok((
                    Scope::Service {
                        namespace,
                        name,
                        port,
                    },
                    None,
                ))
            }
            "pod" => {
                let (head, port) = split_port(rest)?;
                let (namespace, name) = ns_name(head, "pod")?;
                Ok((Scope::Pod { namespace, name }, port))
            }
            "workload" => Ok((workload(rest)?, None)),
            _ => Err(format!(
                "--to must be service:NS/NAME[:PORT], pod:NS/NAME[:PORT] or workload:NS/KIND/NAME, not '{s}'"
            )),
        }
    }

    /// Whether `pod` is on this side. (A Service's pods are found from
    /// its endpoints, in [`reach`].)
    fn covers(&self, pod: &ClusterPod) -> bool {
        match self {
            Scope::Pod { namespace, name } => *pod.namespace == **namespace && pod.name == *name,
            Scope::Workload {
                namespace,
                kind,
                name,
            } => {
                *pod.namespace == **namespace
                    && pod.owner.as_deref() == Some(format!("{kind}/{name}").as_str())
            }
            Scope::Namespace(ns) => *pod.namespace == **ns,
            Scope::External(_) | Scope::Service { .. } => false,
        }
    }
}

fn workload(rest: &str) -> Result<Scope, String> {
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [ns, kind, name] if !ns.is_empty() && !kind.is_empty() && !name.is_empty() => {
            Ok(Scope::Workload {
                namespace: (*ns).to_owned(),
                kind: (*kind).to_owned(),
                name: (*name).to_owned(),
            })
        }
        _ => Err(format!("workload:NS/KIND/NAME, not 'workload:{rest}'")),
    }
}

fn service<'a>(a: &'a Analysis, namespace: &str, name: &str) -> Option<&'a ClusterService> {
    a.cluster
        .services
        .iter()
        .find(|s| s.namespace == namespace && s.name == name)
}

/// One (source, destination, port, protocol, via) of the answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReachConnection {
    /// `pod:NS/NAME` or `external:IP`.
    pub from: String,
    /// `pod:NS/NAME`.
    pub to: String,
    /// The destination's container port.
    pub port: i64,
    pub protocol: Protocol,
    /// `service:NS/NAME:PORT` (the Service port), or null for a packet sent
    /// to the pod's address.
    pub via: Option<String>,
    #[cfg_attr(
        feature = "ts",
        ts(type = "'allowed' | 'denied-egress' | 'denied-ingress'")
    )]
    pub verdict: crate::netpol::Verdict,
    pub policies: Vec<PolicyRef>,
    /// `Kind/name` of the workloads that own each side (for aggregation).
    #[serde(skip)]
    pub from_owner: Option<String>,
    #[serde(skip)]
    pub to_owner: Option<String>,
}

/// `portolan reach --format json`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reach {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    pub version: u32,
    pub connections: Vec<ReachConnection>,
}

/// A sender: a pod, or an external address.
struct Sender {
    label: String,
    owner: Option<String>,
    pod: Option<PodView>,
    ip: Option<IpAddr>,
    /// A host-network pod's node (it acts as that node, E.5.6, E.5.7).
    node_itself: Option<String>,
    /// The node whose kube-proxy translates its packets.
    node: Option<String>,
}

/// The ports a destination pod receives on: its declared container ports
/// and the resolved targetPorts of the Service ports that route to it
/// (E.6.6), with the Service ports that do.
/// What one pod receives through Services: each ready endpoint's Service,
/// Service port, container port and protocol. Computed once for every pod,
/// so that a pair of pods does not scan every Service.
type Inbound<'a> = Vec<(&'a ClusterService, i64, i64, Protocol)>;

fn inbound(a: &Analysis) -> HashMap<&str, Inbound<'_>> {
    let mut out: HashMap<&str, Inbound<'_>> = HashMap::new();
    for svc in &a.cluster.services {
        for sp in &svc.ports {
            for e in svc.ready_endpoints(&sp.name, sp.protocol) {
                if let (Some(pod), Some(port)) = (e.pod.as_deref(), e.port) {
                    out.entry(pod)
                        .or_default()
                        .push((svc, sp.port, port, sp.protocol));
                }
            }
        }
    }
    out
}

/// The ports a destination pod receives on: its declared container ports
/// and the resolved targetPorts of the Service ports that route to it
/// (E.6.6).
fn ports_of(qv: &PodView, through: &Inbound<'_>) -> BTreeSet<(i64, Protocol)> {
    let mut ports: BTreeSet<(i64, Protocol)> = qv
        .ports
        .iter()
        .map(|(_, proto, port)| (*port, *proto))
        .collect();
    ports.extend(through.iter().map(|(_, _, port, proto)| (*port, *proto)));
    ports
}

/// The Service ports that send `s`'s packets for `(port, protocol)` to
/// `q`: ready endpoints on that container port, honouring
/// internalTrafficPolicy Local.
fn routes<'a>(
    s: &Sender,
    q: &ClusterPod,
    through: &Inbound<'a>,
    (port, protocol): (i64, Protocol),
) -> Vec<(&'a ClusterService, i64)> {
    let mut out: Vec<(&ClusterService, i64)> = through
        .iter()
        .filter(|(svc, _, cport, proto)| {
            // Headless and ExternalName Services have no virtual IP to route.
            !svc.headless
                && svc.type_ != ServiceType::ExternalName
                && *cport == port
                && *proto == protocol
                && (svc.internal_traffic_policy != Some(TrafficPolicy::Local)
                    || (s.node.is_some() && s.node.as_deref() == q.node.as_deref()))
        })
        .map(|(svc, sport, _, _)| (*svc, *sport))
        .collect();
    out.dedup_by(|x, y| std::ptr::eq(x.0, y.0) && x.1 == y.1);
    out
}

fn senders(a: &Analysis, from: Option<&Scope>) -> Vec<Sender> {
    if let Some(Scope::External(ip)) = from {
        return vec![Sender {
            label: format!("external:{ip}"),
            owner: None,
            pod: None,
            ip: parse_ip(ip),
            node_itself: None,
            node: None,
        }];
    }
    a.cluster
        .pods
        .iter()
        .filter(|p| from.is_none_or(|f| f.covers(p)))
        .map(|p| {
            let v = view_of(&a.objects, p);
            let node = p.node.as_deref().map(str::to_owned);
            if v.host_network {
                Sender {
                    label: format!("pod:{}", p.key()),
                    owner: p.owner.as_deref().map(str::to_owned),
                    ip: node.as_deref().and_then(|n| a.cluster.node_ip(n)).or(v.ip),
                    pod: None,
                    node_itself: node.clone(),
                    node,
                }
            } else {
                Sender {
                    label: format!("pod:{}", p.key()),
                    owner: p.owner.as_deref().map(str::to_owned),
                    ip: v.ip,
                    pod: Some(v),
                    node_itself: None,
                    node,
                }
            }
        })
        .collect()
}

/// The destination pods: a Service's endpoint pods (found from its
/// endpoints, not by asking every pod), or the pods `to` covers.
fn destinations<'a>(a: &'a Analysis, to: Option<&Scope>) -> Vec<&'a ClusterPod> {
    match to {
        // A Service's endpoint pods, found from its endpoints, not by
        // asking every pod.
        Some(Scope::Service {
            namespace,
            name,
            port,
        }) => {
            let keys: std::collections::HashSet<&str> = service(a, namespace, name)
                .map(|svc| {
                    svc.ports
                        .iter()
                        .filter(|p| port.is_none_or(|n| n == p.port))
                        .flat_map(|p| svc.ready_endpoints(&p.name, p.protocol))
                        .filter_map(|e| e.pod.as_deref())
                        .collect()
                })
                .unwrap_or_default();
            a.cluster
                .pods
                .iter()
                .filter(|p| keys.contains(p.key().as_str()))
                .collect::<Vec<_>>()
        }
        _ => a
            .cluster
            .pods
            .iter()
            .filter(|p| to.is_none_or(|t| t.covers(p)))
            .collect(),
    }
}

/// Answer `reach`: `from`/`to` narrow the sources and destinations (every
/// pod when absent); `to_port` narrows a pod destination's port.
pub fn reach(
    a: &Analysis,
    from: Option<&Scope>,
    to: Option<&Scope>,
    to_port: Option<i64>,
) -> Reach {
    let policies = Policies::of(&a.objects, &a.diagnostics, &a.cluster.pods);
    let senders = senders(a, from);
    let inbound = inbound(a);
    let none = Inbound::new();
    let destinations = destinations(a, to);
    let mut connections = Vec::new();
    for q in destinations {
        let qv = view_of(&a.objects, q);
        let key = q.key();
        let through = inbound.get(key.as_str()).unwrap_or(&none);
        let ports = ports_of(&qv, through);
        for s in &senders {
            for &(port, protocol) in ports
                .iter()
                .filter(|(p, _)| to_port.is_none_or(|n| n == *p))
            {
                let is_self = s.pod.as_ref().is_some_and(|p| p.key == qv.key);
                let mut push = |via: Option<String>, masquerade: bool| {
                    let snat = masquerade
                        .then(|| s.node.as_deref().and_then(|n| a.cluster.node_ip(n)))
                        .flatten();
                    let conn = Connection {
                        source_pod: s.pod.as_ref(),
                        egress_peer: Party::Pod(&qv),
                        egress_port: port,
                        dest_pod: (!qv.host_network).then_some(&qv),
                        ingress_peer: match (masquerade, &s.pod) {
                            (true, _) => Party::Ip(snat),
                            (false, Some(p)) => Party::Pod(p),
                            (false, None) => Party::Ip(s.ip),
                        },
                        port,
                        protocol,
                        to_self: is_self && via.is_none(),
                        from_local_node: s.node_itself.is_some() && s.node_itself == qv.node,
                    };
                    let (verdict, refs) = match &policies {
                        Some(p) => {
                            let d = p.decide(&conn);
                            (d.verdict, d.policies)
                        }
                        None => (Verdict::Allowed, Vec::new()),
                    };
                    connections.push(ReachConnection {
                        from: s.label.clone(),
                        to: format!("pod:{}", q.key()),
                        port,
                        protocol,
                        via,
                        verdict,
                        policies: refs,
                        from_owner: s.owner.clone(),
                        to_owner: q.owner.as_deref().map(str::to_owned),
                    });
                };
                push(None, false);
                if s.pod.is_some() || s.node_itself.is_some() {
                    for (svc, sport) in routes(s, q, through, (port, protocol)) {
                        // Only the hairpin packet is masqueraded (D.3.4).
                        push(
                            Some(format!("service:{}/{}:{sport}", svc.namespace, svc.name)),
                            is_self,
                        );
                    }
                }
            }
        }
    }
    connections.sort_by(|x, y| {
        (&x.from, &x.to, x.port, x.protocol, &x.via)
            .cmp(&(&y.from, &y.to, y.port, y.protocol, &y.via))
    });
    Reach {
        version: 1,
        connections,
    }
}
