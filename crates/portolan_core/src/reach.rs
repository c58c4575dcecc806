//! `portolan reach` (interfaces.md §6.2, spec E.6.6): every (source pod,
//! destination pod, port) the input allows or denies, directly and through
//! each Service port that routes the source to the destination.
//!
//! The pods are grouped first into classes that policies, Services and the
//! per-workload aggregation cannot tell apart (namespace, labels, declared
//! ports, the ipBlocks their address falls in, the Service ports that
//! route to them, the workload, and the node where a rule reads it). One
//! decision per pair of classes stands for all their pod pairs, so the cost
//! follows (classes² × ports × policy rules), not pods²; only `json` and
//! `csv`, which list every pair, pay for the pairs ([`Answer::connections`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    /// `workload:NS/KIND/NAME` of its owner, else its own label.
    group: String,
    /// Its position in the snapshot's pods (none for an external client).
    index: Option<usize>,
    pod: Option<PodView>,
    ip: Option<IpAddr>,
    /// A host-network pod's node (it acts as that node, E.5.6, E.5.7).
    node_itself: Option<String>,
    /// The node whose kube-proxy translates its packets.
    node: Option<String>,
}

/// A destination pod, as policies and Services see it.
struct Dest<'a> {
    pod: &'a ClusterPod,
    index: usize,
    view: PodView,
    group: String,
    through: Inbound<'a>,
}

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

/// `pod:NS/NAME`, or `workload:NS/KIND/NAME` when a workload owns the pod:
/// the unit the aggregated formats speak of.
fn group_of(p: &ClusterPod) -> String {
    match p.owner.as_deref() {
        Some(owner) => format!("workload:{}/{owner}", p.namespace),
        None => format!("pod:{}", p.key()),
    }
}

fn senders(a: &Analysis, from: Option<&Scope>) -> Vec<Sender> {
    if let Some(Scope::External(ip)) = from {
        return vec![Sender {
            label: format!("external:{ip}"),
            group: format!("external:{ip}"),
            index: None,
            pod: None,
            ip: parse_ip(ip),
            node_itself: None,
            node: None,
        }];
    }
    a.cluster
        .pods
        .iter()
        .enumerate()
        .filter(|(_, p)| from.is_none_or(|f| f.covers(p)))
        .map(|(index, p)| {
            let v = view_of(&a.objects, p);
            let node = p.node.as_deref().map(str::to_owned);
            let (label, group) = (format!("pod:{}", p.key()), group_of(p));
            if v.host_network {
                Sender {
                    label,
                    group,
                    index: Some(index),
                    ip: node.as_deref().and_then(|n| a.cluster.node_ip(n)).or(v.ip),
                    pod: None,
                    node_itself: node.clone(),
                    node,
                }
            } else {
                Sender {
                    label,
                    group,
                    index: Some(index),
                    ip: v.ip,
                    pod: Some(v),
                    node_itself: None,
                    node,
                }
            }
        })
        .collect()
}

/// The destination pods' positions: a Service's endpoint pods (found from
/// its endpoints, not by asking every pod), or the pods `to` covers.
fn destinations(a: &Analysis, to: Option<&Scope>) -> Vec<usize> {
    let pods = a.cluster.pods.iter().enumerate();
    match to {
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
            pods.filter(|(_, p)| keys.contains(p.key().as_str()))
                .map(|(i, _)| i)
                .collect()
        }
        _ => pods
            .filter(|(_, p)| to.is_none_or(|t| t.covers(p)))
            .map(|(i, _)| i)
            .collect(),
    }
}

/// One decision: where the packet went, its verdict and the policies.
type Outcome = (Option<String>, Verdict, Vec<PolicyRef>);

/// The decisions for `s` sending to `q` on one port: directly, and through
/// each Service port that routes it there.
fn evaluate(
    analysis: &Analysis,
    policies: Option<&Policies>,
    (s, q): (&Sender, &Dest<'_>),
    (port, protocol): (i64, Protocol),
    is_self: bool,
) -> Vec<Outcome> {
    let qv = &q.view;
    let decide = |via: Option<String>, masquerade: bool| {
        let snat = masquerade
            .then(|| s.node.as_deref().and_then(|n| analysis.cluster.node_ip(n)))
            .flatten();
        let conn = Connection {
            source_pod: s.pod.as_ref(),
            // A host-network pod is its node's address to a rule (E.4.2).
            egress_peer: if qv.host_network {
                Party::Ip(qv.ip)
            } else {
                Party::Pod(qv)
            },
            egress_port: port,
            dest_pod: (!qv.host_network).then_some(qv),
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
        match policies {
            Some(p) => {
                let d = p.verdict(&conn);
                (via, d.verdict, d.policies)
            }
            None => (via, Verdict::Allowed, Vec::new()),
        }
    };
    let direct = decide(None, false);
    let mut out = Vec::new();
    if s.pod.is_some() || s.node_itself.is_some() {
        for (svc, sport) in routes(s, q.pod, &q.through, (port, protocol)) {
            let via = Some(format!("service:{}/{}:{sport}", svc.namespace, svc.name));
            // Only the hairpin packet is masqueraded (D.3.4); any other
            // packet through a Service is the direct one after DNAT.
            out.push(if is_self {
                decide(via, true)
            } else {
                (via, direct.1, direct.2.clone())
            });
        }
    }
    out.insert(0, direct);
    out
}

/// One decision standing for every pod pair of a sender class and a
/// destination class (their self pairs apart), on one port and way.
struct Block {
    from: usize,
    to: usize,
    port: i64,
    protocol: Protocol,
    via: Option<String>,
    verdict: Verdict,
    policies: Vec<PolicyRef>,
    pairs: usize,
}

/// One line of an aggregated answer: a workload's pods (or one pod) on
/// each side, with how many pod pairs it stands for.
pub struct Row {
    pub from: String,
    pub to: String,
    pub port: i64,
    pub protocol: Protocol,
    pub via: Option<String>,
    pub verdict: Verdict,
    pub policies: Vec<PolicyRef>,
    pub pairs: usize,
    /// The pairs of the (from, to, port, protocol, via): more than `pairs`
    /// when its pods disagree and the row gives one outcome's share.
    pub of: usize,
}

/// The answer to `reach`, by classes of pods.
pub struct Answer<'a> {
    senders: Vec<Sender>,
    dests: Vec<Dest<'a>>,
    sender_classes: Vec<Vec<usize>>,
    dest_classes: Vec<Vec<usize>>,
    blocks: Vec<Block>,
    /// The pairs of a pod with itself (its packets to its own address
    /// never leave it, E.5.8), each evaluated on its own.
    /// (sender, connection).
    selfs: Vec<(usize, ReachConnection)>,
}

/// Classes of `items` by `key`: the members of each, in order.
fn classes<T, K: std::hash::Hash + Eq>(items: &[T], key: impl Fn(&T) -> K) -> Vec<Vec<usize>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let next = out.len();
        let c = *index.entry(key(item)).or_insert(next);
        if c == next {
            out.push(Vec::new());
        }
        out[c].push(i);
    }
    out
}

/// Answer `reach`: `from`/`to` narrow the sources and destinations (every
/// pod when absent); `to_port` narrows a pod destination's port.
pub fn answer<'a>(
    a: &'a Analysis,
    from: Option<&Scope>,
    to: Option<&Scope>,
    to_port: Option<i64>,
) -> Answer<'a> {
    answer_with(a, (from, to, to_port), false)
}

/// The destinations of `to`, each with what reaches it through Services.
fn dests<'a>(a: &'a Analysis, to: Option<&Scope>) -> Vec<Dest<'a>> {
    let mut inbound = inbound(a);
    destinations(a, to)
        .into_iter()
        .map(|index| {
            let pod = &a.cluster.pods[index];
            Dest {
                pod,
                index,
                view: view_of(&a.objects, pod),
                group: group_of(pod),
                // Each pod is a destination once.
                through: inbound.remove(pod.key().as_str()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The classes of senders and of destinations: pods that the policies
/// (namespace, labels, declared ports, ipBlock signature), the Services
/// that route to them, the node where one decides, and the aggregation
/// (the workload) cannot tell apart. Every pod is its own class when
/// `one_by_one`.
fn class_lists(
    a: &Analysis,
    policies: Option<&Policies>,
    (senders, dests): (&[Sender], &[Dest<'_>]),
    one_by_one: bool,
) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    // A sender's node decides only for internalTrafficPolicy Local (which
    // endpoints it may reach); a destination's also when a host-network
    // sender may be on it and the pod is isolated for ingress (E.5.6).
    let itp_local = a
        .cluster
        .services
        .iter()
        .any(|s| s.internal_traffic_policy == Some(TrafficPolicy::Local));
    let host_senders = senders.iter().any(|s| s.node_itself.is_some());
    let sig = |ip: Option<IpAddr>| policies.map(|p| p.ip_signature(ip)).unwrap_or_default();
    // Only the label keys some policy's selectors read tell pods apart
    // (a StatefulSet pod's own `pod-name` label does not).
    let keys = policies.map(Policies::label_keys).unwrap_or_default();
    let relevant = |labels: &BTreeMap<String, String>| -> Vec<(String, String)> {
        labels
            .iter()
            .filter(|(k, _)| keys.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let sender_classes = classes(senders, |s| {
        (
            one_by_one.then_some(s.index),
            s.group.clone(),
            s.pod
                .as_ref()
                .map(|v| (v.namespace.clone(), relevant(&v.labels))),
            s.node_itself.clone(),
            itp_local.then(|| s.node.clone()),
            sig(s.ip),
        )
    });
    let dest_classes = classes(dests, |q| {
        let node_decides = itp_local
            || (host_senders
                && !q.view.host_network
                && policies.is_some_and(|p| p.isolates_ingress(&q.view)));
        (
            (one_by_one.then_some(q.index), q.group.clone()),
            (q.view.namespace.clone(), relevant(&q.view.labels)),
            (q.view.host_network, q.view.ports.clone()),
            node_decides.then(|| q.view.node.clone()),
            sig(q.view.ip),
            q.through
                .iter()
                .map(|(svc, sport, cport, proto)| {
                    (std::ptr::from_ref(*svc), *sport, *cport, *proto)
                })
                .collect::<Vec<_>>(),
        )
    });
    (sender_classes, dest_classes)
}

/// The pods on both sides (not host-network: E.5.8 is about a pod's own
/// address) by the pair of classes they fall in: (sender, destination).
fn selves_by_class(
    senders: &[Sender],
    dests: &[Dest<'_>],
    (sender_classes, dest_classes): (&[Vec<usize>], &[Vec<usize>]),
) -> HashMap<(usize, usize), Vec<(usize, usize)>> {
    let mut sender_class = vec![0; senders.len()];
    for (c, members) in sender_classes.iter().enumerate() {
        for &i in members {
            sender_class[i] = c;
        }
    }
    let as_sender: HashMap<usize, usize> = senders
        .iter()
        .enumerate()
        .filter(|(_, s)| s.pod.is_some())
        .filter_map(|(i, s)| Some((s.index?, i)))
        .collect();
    let mut selves: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::new();
    for (dc, members) in dest_classes.iter().enumerate() {
        for &j in members {
            if let Some(&i) = as_sender.get(&dests[j].index) {
                selves
                    .entry((sender_class[i], dc))
                    .or_default()
                    .push((i, j));
            }
        }
    }
    selves
}

/// The pods of one side by class, before any pair of classes is evaluated.
struct ByClass<'a> {
    policies: Option<Policies>,
    senders: Vec<Sender>,
    dests: Vec<Dest<'a>>,
    sender_classes: Vec<Vec<usize>>,
    dest_classes: Vec<Vec<usize>>,
}

fn classes_of<'a>(
    analysis: &'a Analysis,
    (from, to): (Option<&Scope>, Option<&Scope>),
    one_by_one: bool,
) -> ByClass<'a> {
    let policies = Policies::of(
        &analysis.objects,
        &analysis.diagnostics,
        &analysis.cluster.pods,
    );
    let senders = senders(analysis, from);
    let dests = dests(analysis, to);
    let (sender_classes, dest_classes) =
        class_lists(analysis, policies.as_ref(), (&senders, &dests), one_by_one);
    ByClass {
        policies,
        senders,
        dests,
        sender_classes,
        dest_classes,
    }
}

/// The ports a destination class is evaluated on.
fn class_ports(q: &Dest<'_>, to_port: Option<i64>) -> Vec<(i64, Protocol)> {
    ports_of(&q.view, &q.through)
        .into_iter()
        .filter(|(p, _)| to_port.is_none_or(|n| n == *p))
        .collect()
}

/// [`answer`], with every pod its own class when `one_by_one` (the
/// reference the classes are tested against).
#[doc(hidden)]
pub fn answer_with<'a>(
    analysis: &'a Analysis,
    (from, to, to_port): (Option<&Scope>, Option<&Scope>, Option<i64>),
    one_by_one: bool,
) -> Answer<'a> {
    let ByClass {
        policies,
        senders,
        dests,
        sender_classes,
        dest_classes,
    } = classes_of(analysis, (from, to), one_by_one);
    let selves = selves_by_class(&senders, &dests, (&sender_classes, &dest_classes));
    let mut blocks = Vec::new();
    let mut selfs = Vec::new();
    for (dc, dmembers) in dest_classes.iter().enumerate() {
        let q = &dests[dmembers[0]];
        let ports = class_ports(q, to_port);
        for (sc, smembers) in sender_classes.iter().enumerate() {
            let own = selves.get(&(sc, dc));
            let pairs = smembers.len() * dmembers.len() - own.map_or(0, Vec::len);
            let s = &senders[smembers[0]];
            for &port in &ports {
                if pairs > 0 {
                    let outcomes = evaluate(analysis, policies.as_ref(), (s, q), port, false);
                    blocks.extend(outcomes.into_iter().map(|(via, verdict, policies)| Block {
                        from: sc,
                        to: dc,
                        port: port.0,
                        protocol: port.1,
                        via,
                        verdict,
                        policies,
                        pairs,
                    }));
                }
                for &(i, j) in own.into_iter().flatten() {
                    let (s, q) = (&senders[i], &dests[j]);
                    let outcomes = evaluate(analysis, policies.as_ref(), (s, q), port, true);
                    selfs.extend(outcomes.into_iter().map(|(via, verdict, policies)| {
                        let c = ReachConnection {
                            from: s.label.clone(),
                            to: format!("pod:{}", q.pod.key()),
                            port: port.0,
                            protocol: port.1,
                            via,
                            verdict,
                            policies,
                        };
                        (i, c)
                    }));
                }
            }
        }
    }
    Answer {
        senders,
        dests,
        sender_classes,
        dest_classes,
        blocks,
        selfs,
    }
}

/// Part of a (from, to, port, protocol, via) group of the aggregated
/// answer: a block of pod pairs, or a pod's pair with itself.
enum Part<'p> {
    Block(&'p Block),
    Own(&'p ReachConnection),
}

impl<'p> Part<'p> {
    fn outcome(&self) -> (Verdict, &'p [PolicyRef], Protocol, usize) {
        match *self {
            Part::Block(b) => (b.verdict, &b.policies, b.protocol, b.pairs),
            Part::Own(c) => (c.verdict, &c.policies, c.protocol, 1),
        }
    }
}

type GroupKey = (String, String, i64, String, Option<String>);

impl Answer<'_> {
    /// How many classes of senders and of destinations the pods fell into.
    pub fn class_counts(&self) -> (usize, usize) {
        (self.sender_classes.len(), self.dest_classes.len())
    }

    /// Every pod pair a block stands for, as connections.
    fn expand<'s>(&'s self, b: &'s Block) -> impl Iterator<Item = ReachConnection> + 's {
        self.sender_classes[b.from].iter().flat_map(move |&i| {
            let s = &self.senders[i];
            self.dest_classes[b.to]
                .iter()
                .map(|&j| &self.dests[j])
                // The pod's pair with itself is in `selfs`.
                .filter(move |q| s.pod.is_none() || s.index != Some(q.index))
                .map(move |q| ReachConnection {
                    from: s.label.clone(),
                    to: format!("pod:{}", q.pod.key()),
                    port: b.port,
                    protocol: b.protocol,
                    via: b.via.clone(),
                    verdict: b.verdict,
                    policies: b.policies.clone(),
                })
        })
    }

    /// Every connection (`json`, `csv`), sorted by from, to, port,
    /// protocol and via.
    pub fn connections(&self) -> Reach {
        let mut connections: Vec<ReachConnection> = self
            .blocks
            .iter()
            .flat_map(|b| self.expand(b))
            .chain(self.selfs.iter().map(|(_, c)| c.clone()))
            .collect();
        sort(&mut connections);
        Reach {
            version: 1,
            connections,
        }
    }

    /// (allowed, all) pod-pair connections.
    pub fn totals(&self) -> (usize, usize) {
        let count = |allowed_only: bool| {
            self.blocks
                .iter()
                .filter(|b| !allowed_only || b.verdict == Verdict::Allowed)
                .map(|b| b.pairs)
                .sum::<usize>()
                + self
                    .selfs
                    .iter()
                    .filter(|(_, c)| !allowed_only || c.verdict == Verdict::Allowed)
                    .count()
        };
        (count(true), count(false))
    }

    /// The answer per workload (`human`, `md`, `dot`): one row where every
    /// pod pair of a (from, to, port, protocol, via) agrees, else a row per
    /// pod pair, or per outcome when there are too many pairs to list.
    pub fn rows(&self) -> Vec<Row> {
        let mut groups: BTreeMap<GroupKey, Vec<Part<'_>>> = BTreeMap::new();
        for b in &self.blocks {
            let from = &self.senders[self.sender_classes[b.from][0]].group;
            let to = &self.dests[self.dest_classes[b.to][0]].group;
            let key = (
                from.clone(),
                to.clone(),
                b.port,
                b.protocol.to_string(),
                b.via.clone(),
            );
            groups.entry(key).or_default().push(Part::Block(b));
        }
        for (i, c) in &self.selfs {
            let g = &self.senders[*i].group;
            let key = (
                g.clone(),
                g.clone(),
                c.port,
                c.protocol.to_string(),
                c.via.clone(),
            );
            groups.entry(key).or_default().push(Part::Own(c));
        }
        let mut out = Vec::new();
        for (key, parts) in groups {
            self.group_rows(key, &parts, &mut out);
        }
        out
    }

    fn group_rows(&self, key: GroupKey, parts: &[Part<'_>], out: &mut Vec<Row>) {
        let (from, to, port, _, via) = key;
        let first = parts[0].outcome();
        let pairs: usize = parts.iter().map(|p| p.outcome().3).sum();
        let agree = parts.iter().all(|p| {
            let o = p.outcome();
            o.0 == first.0 && o.1 == first.1
        });
        if agree {
            out.push(Row {
                from,
                to,
                port,
                protocol: first.2,
                via,
                verdict: first.0,
                policies: first.1.to_vec(),
                pairs,
                of: pairs,
            });
        } else if pairs > MAX_LISTED_PAIRS {
            // Too many pairs to list: a row per outcome, with its share.
            let mut outcomes: BTreeMap<(Verdict, &[PolicyRef]), (Protocol, usize)> =
                BTreeMap::new();
            for p in parts {
                let (verdict, policies, protocol, n) = p.outcome();
                outcomes
                    .entry((verdict, policies))
                    .or_insert((protocol, 0))
                    .1 += n;
            }
            for ((verdict, policies), (protocol, n)) in outcomes {
                out.push(Row {
                    from: from.clone(),
                    to: to.clone(),
                    port,
                    protocol,
                    via: via.clone(),
                    verdict,
                    policies: policies.to_vec(),
                    pairs: n,
                    of: pairs,
                });
            }
        } else {
            let mut members: Vec<ReachConnection> = parts
                .iter()
                .flat_map(|p| -> Box<dyn Iterator<Item = ReachConnection> + '_> {
                    match p {
                        Part::Block(b) => Box::new(self.expand(b)),
                        Part::Own(c) => Box::new(std::iter::once((*c).clone())),
                    }
                })
                .collect();
            sort(&mut members);
            out.extend(members.into_iter().map(|c| Row {
                from: c.from,
                to: c.to,
                port,
                protocol: c.protocol,
                via: c.via,
                verdict: c.verdict,
                policies: c.policies,
                pairs: 1,
                of: 1,
            }));
        }
    }
}

/// A workload pair whose pods disagree is listed pod pair by pod pair up
/// to this many pairs; above, a row per outcome gives how many pairs have
/// it (`--from pod:…` or `--format json` names them).
const MAX_LISTED_PAIRS: usize = 64;

fn sort(connections: &mut [ReachConnection]) {
    connections.sort_by(|x, y| {
        (&x.from, &x.to, x.port, x.protocol, &x.via)
            .cmp(&(&y.from, &y.to, y.port, y.protocol, &y.via))
    });
}

/// Every connection of `reach` (`json`, `csv`): see [`answer`].
pub fn reach(
    a: &Analysis,
    from: Option<&Scope>,
    to: Option<&Scope>,
    to_port: Option<i64>,
) -> Reach {
    answer(a, from, to, to_port).connections()
}

/// A class of one side met with a class of the other: (base, head).
type Meet = (usize, usize);

type Verdicts<'v> = HashMap<(i64, Protocol, Option<&'v str>), Verdict>;

fn blocks_by_pair<'v>(r: &'v Answer<'_>) -> HashMap<(usize, usize), Verdicts<'v>> {
    let mut out: HashMap<(usize, usize), Verdicts<'v>> = HashMap::new();
    for b in &r.blocks {
        out.entry((b.from, b.to))
            .or_default()
            .insert((b.port, b.protocol, b.via.as_deref()), b.verdict);
    }
    out
}

fn class_of(classes: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut out = vec![0; n];
    for (c, members) in classes.iter().enumerate() {
        for &i in members {
            out[i] = c;
        }
    }
    out
}

/// Each sender's and destination's class on one side.
struct ClassOf {
    sender: Vec<usize>,
    dest: Vec<usize>,
}

impl ClassOf {
    fn of(r: &Answer<'_>) -> Self {
        ClassOf {
            sender: class_of(&r.sender_classes, r.senders.len()),
            dest: class_of(&r.dest_classes, r.dests.len()),
        }
    }
}

/// The pods both sending and receiving on both sides: (base sender, base
/// destination, head sender, head destination).
type Diagonal = (usize, usize, usize, usize);

/// Members by the classes they meet.
type Meets = BTreeMap<Meet, Vec<usize>>;

/// The members present on both sides, matched by key: (BASE index, HEAD
/// index), in HEAD's order.
fn matched<K: std::hash::Hash + Eq>(
    base: impl Iterator<Item = K>,
    head: impl Iterator<Item = K>,
) -> Vec<(usize, usize)> {
    let at: HashMap<K, usize> = base.enumerate().map(|(i, k)| (k, i)).collect();
    head.enumerate()
        .filter_map(|(i, k)| at.get(&k).map(|&x| (x, i)))
        .collect()
}

/// Senders are matched across the sides by label, destinations by pod.
fn sender_keys(senders: &[Sender]) -> impl Iterator<Item = &str> {
    senders.iter().map(|s| s.label.as_str())
}

fn dest_keys<'a>(dests: &'a [Dest<'_>]) -> impl Iterator<Item = String> + 'a {
    dests.iter().map(|q| q.pod.key())
}

/// Senders and destinations present on both sides, by the classes they
/// meet (HEAD's indexes), and the pods on the diagonal.
fn meet(
    base: &Answer<'_>,
    head: &Answer<'_>,
    (bc, hc): (&ClassOf, &ClassOf),
) -> (Meets, Meets, Vec<Diagonal>) {
    let mut senders: BTreeMap<Meet, Vec<usize>> = BTreeMap::new();
    let mut both_senders: HashMap<usize, (usize, usize)> = HashMap::new();
    for (b, i) in matched(sender_keys(&base.senders), sender_keys(&head.senders)) {
        senders
            .entry((bc.sender[b], hc.sender[i]))
            .or_default()
            .push(i);
        if let Some(index) = head.senders[i].index {
            both_senders.insert(index, (b, i));
        }
    }
    let mut dests: BTreeMap<Meet, Vec<usize>> = BTreeMap::new();
    let mut diagonal = Vec::new();
    for (b, j) in matched(dest_keys(&base.dests), dest_keys(&head.dests)) {
        dests.entry((bc.dest[b], hc.dest[j])).or_default().push(j);
        if let Some(&(bs, hs)) = both_senders.get(&head.dests[j].index) {
            diagonal.push((bs, b, hs, j));
        }
    }
    (senders, dests, diagonal)
}

/// A side's self pairs by sender.
fn selfs_by_sender<'v>(r: &'v Answer<'_>) -> HashMap<usize, Vec<&'v ReachConnection>> {
    let mut out: HashMap<usize, Vec<&ReachConnection>> = HashMap::new();
    for (i, c) in &r.selfs {
        out.entry(*i).or_default().push(c);
    }
    out
}

/// Whether a pod's pair with itself is its own evaluation on a side (a
/// pod sender, not host-network: E.5.8), rather than part of a block.
fn is_self_on(r: &Answer<'_>, sender: usize) -> bool {
    r.senders[sender].pod.is_some()
}

/// The verdicts of a pod's pair with itself on one side: its own
/// evaluation when it is a self pair there, else its classes' block.
fn diagonal_verdicts<'v>(
    r: &'v Answer<'_>,
    (c, selfs): (&ClassOf, &HashMap<usize, Vec<&'v ReachConnection>>),
    blocks: &HashMap<(usize, usize), Verdicts<'v>>,
    (sender, dest): (usize, usize),
) -> Verdicts<'v> {
    if is_self_on(r, sender) {
        selfs
            .get(&sender)
            .into_iter()
            .flatten()
            .map(|conn| {
                (
                    (conn.port, conn.protocol, conn.via.as_deref()),
                    conn.verdict,
                )
            })
            .collect()
    } else {
        blocks
            .get(&(c.sender[sender], c.dest[dest]))
            .cloned()
            .unwrap_or_default()
    }
}

/// How many connections (source pod, destination pod, port, protocol,
/// via) present on both sides have a different verdict in `head` than in
/// `base` (interfaces.md §6.4: counted in `diff`'s summary line). Pods are
/// matched by key; the classes of both sides are met, so a pair of met
/// classes changes as a whole and the cost stays at classes². A pod's pair
/// with itself that is evaluated on its own on either side is compared on
/// its own.
pub fn changed_pairs(base: &Answer<'_>, head: &Answer<'_>) -> usize {
    let (bc, hc) = (ClassOf::of(base), ClassOf::of(head));
    let (senders, dests, diagonal) = meet(base, head, (&bc, &hc));
    let (base_blocks, head_blocks) = (blocks_by_pair(base), blocks_by_pair(head));
    let (base_selfs, head_selfs) = (selfs_by_sender(base), selfs_by_sender(head));
    // The diagonal pairs compared on their own, by the meets they are in.
    let mut own: HashMap<(Meet, Meet), usize> = HashMap::new();
    let mut changed = 0;
    for &(bs, bd, hs, hd) in &diagonal {
        if !is_self_on(base, bs) && !is_self_on(head, hs) {
            continue;
        }
        *own.entry(((bc.sender[bs], hc.sender[hs]), (bc.dest[bd], hc.dest[hd])))
            .or_default() += 1;
        let was = diagonal_verdicts(base, (&bc, &base_selfs), &base_blocks, (bs, bd));
        let is = diagonal_verdicts(head, (&hc, &head_selfs), &head_blocks, (hs, hd));
        changed += is
            .iter()
            .filter(|(k, v)| was.get(k).is_some_and(|w| w != *v))
            .count();
    }
    for (&(bs, hs), smembers) in &senders {
        for (&(bd, hd), dmembers) in &dests {
            let (Some(was), Some(is)) = (base_blocks.get(&(bs, bd)), head_blocks.get(&(hs, hd)))
            else {
                continue;
            };
            let differing = is
                .iter()
                .filter(|(k, v)| was.get(k).is_some_and(|w| w != *v))
                .count();
            if differing > 0 {
                let selves = own.get(&((bs, hs), (bd, hd))).copied().unwrap_or(0);
                changed += differing * (smembers.len() * dmembers.len() - selves);
            }
        }
    }
    changed
}

/// A sender's part in a verdict, compared across BASE and HEAD: its pod as
/// policies see it, its address, and the node it sends from (with that
/// node's address, which a masqueraded packet carries).
fn same_sender(was: (&Analysis, &Sender), is: (&Analysis, &Sender)) -> bool {
    let (before, after) = (was.1, is.1);
    let node_ip = |(an, sender): (&Analysis, &Sender)| {
        sender.node.as_deref().and_then(|n| an.cluster.node_ip(n))
    };
    before.ip == after.ip
        && before.node == after.node
        && before.node_itself == after.node_itself
        && node_ip(was) == node_ip(is)
        && match (&before.pod, &after.pod) {
            (Some(p), Some(q)) => same_view(p, q),
            (None, None) => true,
            _ => false,
        }
}

fn same_view(p: &PodView, q: &PodView) -> bool {
    p.namespace == q.namespace
        && p.labels == q.labels
        && p.ip == q.ip
        && p.node == q.node
        && p.host_network == q.host_network
        && p.ports == q.ports
}

/// What reaches a destination through Services, in an order that does not
/// depend on the input's.
type ThroughKey<'s> = (&'s str, &'s str, i64, i64, Protocol, [bool; 3]);

fn through_key<'s>(through: &Inbound<'s>) -> Vec<ThroughKey<'s>> {
    let mut out: Vec<ThroughKey<'s>> = through
        .iter()
        .map(|(svc, sport, cport, proto)| {
            (
                svc.namespace.as_str(),
                svc.name.as_str(),
                *sport,
                *cport,
                *proto,
                // What `routes` reads of the Service.
                [
                    svc.headless,
                    svc.type_ == ServiceType::ExternalName,
                    svc.internal_traffic_policy == Some(TrafficPolicy::Local),
                ],
            )
        })
        .collect();
    out.sort_unstable();
    out
}

/// Whether a namespace's labels differ between the sides (a selector may
/// read them).
fn ns_labels_differ((b, h): (&ByClass<'_>, &ByClass<'_>), ns: &str) -> bool {
    match (&b.policies, &h.policies) {
        (Some(pb), Some(ph)) => *pb.namespace_labels(ns) != *ph.namespace_labels(ns),
        // A side without policies reads no labels: the other side's
        // policies are all changed, and select what they select.
        _ => false,
    }
}

/// The verdicts of a class pair's connections, by (port, protocol, via).
type PairVerdicts = Vec<((i64, Protocol, Option<String>), Verdict)>;

/// A side evaluated lazily: the verdicts of the class pairs asked for.
struct Lazy<'c, 'a> {
    analysis: &'a Analysis,
    c: &'c ByClass<'a>,
    blocks: HashMap<(usize, usize), PairVerdicts>,
}

impl Lazy<'_, '_> {
    /// The class pair's verdicts (its representatives decide for all).
    fn pair(&mut self, sc: usize, dc: usize) -> &PairVerdicts {
        let (analysis, c) = (self.analysis, self.c);
        self.blocks.entry((sc, dc)).or_insert_with(|| {
            let s = &c.senders[c.sender_classes[sc][0]];
            let q = &c.dests[c.dest_classes[dc][0]];
            let mut out = Vec::new();
            for port in class_ports(q, None) {
                for (via, verdict, _) in
                    evaluate(analysis, c.policies.as_ref(), (s, q), port, false)
                {
                    out.push(((port.0, port.1, via), verdict));
                }
            }
            out
        })
    }

    /// A pod's pair with itself: its own evaluation when it is a pod
    /// sender (E.5.8), else its classes' pair.
    fn own(&mut self, (si, di): (usize, usize), (sc, dc): (usize, usize)) -> PairVerdicts {
        let (analysis, classes) = (self.analysis, self.c);
        let sender = &classes.senders[si];
        if sender.pod.is_none() {
            return self.pair(sc, dc).clone();
        }
        let dest = &classes.dests[di];
        let policies = classes.policies.as_ref();
        let mut out = Vec::new();
        for port in class_ports(dest, None) {
            for (via, verdict, _) in evaluate(analysis, policies, (sender, dest), port, true) {
                out.push(((port.0, port.1, via), verdict));
            }
        }
        out
    }
}

/// Connections in both lists whose verdict differs.
fn differing(was: &PairVerdicts, is: &PairVerdicts) -> usize {
    is.iter()
        .filter(|(k, v)| was.iter().any(|(wk, wv)| wk == k && wv != v))
        .count()
}

/// Met classes with their members: ((base class, head class), [(base
/// index, head index)]).
type MetMembers = BTreeMap<Meet, Vec<(usize, usize)>>;

/// The senders and destinations present on both sides (matched by pod
/// key), by the classes they meet.
fn met_members(b: &ByClass<'_>, h: &ByClass<'_>) -> (MetMembers, MetMembers) {
    let (bs, hs) = (
        class_of(&b.sender_classes, b.senders.len()),
        class_of(&h.sender_classes, h.senders.len()),
    );
    let (bd, hd) = (
        class_of(&b.dest_classes, b.dests.len()),
        class_of(&h.dest_classes, h.dests.len()),
    );
    let mut senders = MetMembers::new();
    for (x, i) in matched(sender_keys(&b.senders), sender_keys(&h.senders)) {
        senders.entry((bs[x], hs[i])).or_default().push((x, i));
    }
    let mut dests = MetMembers::new();
    for (x, j) in matched(dest_keys(&b.dests), dest_keys(&h.dests)) {
        dests.entry((bd[x], hd[j])).or_default().push((x, j));
    }
    (senders, dests)
}

/// Whether an edit can change a sender's verdicts: it differs between the
/// sides (its pod, address, node, namespace's labels), or a policy that
/// differs selects it for egress on either side.
fn sender_touched(
    (b, h): (&ByClass<'_>, &ByClass<'_>),
    (ba, ha): (&Analysis, &Analysis),
    (changed_b, changed_h): (&HashSet<usize>, &HashSet<usize>),
    (x, i): (usize, usize),
) -> bool {
    let (sb, sh) = (&b.senders[x], &h.senders[i]);
    !same_sender((ba, sb), (ha, sh))
        || match (&sb.pod, &sh.pod) {
            (Some(pb), Some(ph)) => {
                ns_labels_differ((b, h), &pb.namespace)
                    || b.policies
                        .as_ref()
                        .is_some_and(|p| p.any_selects(changed_b, pb, false))
                    || h.policies
                        .as_ref()
                        .is_some_and(|p| p.any_selects(changed_h, ph, false))
            }
            _ => false,
        }
}

/// Whether an edit can change a destination's verdicts: its pod, what
/// reaches it through Services, its namespace's labels, or a policy that
/// differs and selects it for ingress on either side.
fn dest_touched(
    (b, h): (&ByClass<'_>, &ByClass<'_>),
    (changed_b, changed_h): (&HashSet<usize>, &HashSet<usize>),
    (x, j): (usize, usize),
) -> bool {
    let (qb, qh) = (&b.dests[x], &h.dests[j]);
    !same_view(&qb.view, &qh.view)
        || ns_labels_differ((b, h), &qb.view.namespace)
        || through_key(&qb.through) != through_key(&qh.through)
        || b.policies
            .as_ref()
            .is_some_and(|p| p.any_selects(changed_b, &qb.view, true))
        || h.policies
            .as_ref()
            .is_some_and(|p| p.any_selects(changed_h, &qh.view, true))
}

/// How many connections (source pod, destination pod, port, protocol,
/// via) present on both sides have a different verdict on HEAD than on
/// BASE (interfaces.md §6.4's summary count), evaluating only what an edit
/// can change. A pair of met classes keeps its verdicts when neither side
/// changed (pod, address, node, Services, namespace labels) and no policy
/// that differs between BASE and HEAD selects its destination for ingress
/// or its source for egress: the unchanged policies decide it alike on
/// both sides. So the cost follows what the edit touches × classes, not
/// classes², and equals [`changed_pairs`] of the two whole answers.
pub fn changed_count(base: &Analysis, head: &Analysis) -> usize {
    changed_count_with(base, head, 1)
}

/// [`changed_count`], the two sides' classes found on up to `threads`
/// threads (the same count whatever their number).
pub fn changed_count_with(base: &Analysis, head: &Analysis, threads: usize) -> usize {
    let (b, h) = crate::par::join(
        threads,
        || classes_of(base, (None, None), false),
        || classes_of(head, (None, None), false),
    );
    let changed_b = b
        .policies
        .as_ref()
        .map(|p| p.changed_from(h.policies.as_ref()))
        .unwrap_or_default();
    let changed_h = h
        .policies
        .as_ref()
        .map(|p| p.changed_from(b.policies.as_ref()))
        .unwrap_or_default();
    let (senders, dests) = met_members(&b, &h);
    let changed = (&changed_b, &changed_h);
    let touched_senders: BTreeMap<Meet, bool> = senders
        .iter()
        .map(|(m, members)| {
            let t = members
                .iter()
                .any(|&pair| sender_touched((&b, &h), (base, head), changed, pair));
            (*m, t)
        })
        .collect();
    let touched_dests: BTreeMap<Meet, bool> = dests
        .iter()
        .map(|(m, members)| {
            let t = members
                .iter()
                .any(|&pair| dest_touched((&b, &h), changed, pair));
            (*m, t)
        })
        .collect();
    let mut lb = Lazy {
        analysis: base,
        c: &b,
        blocks: HashMap::new(),
    };
    let mut lh = Lazy {
        analysis: head,
        c: &h,
        blocks: HashMap::new(),
    };
    let (own, mut count) = diagonal_changes(
        (&mut lb, &mut lh),
        (&senders, &dests),
        (&touched_senders, &touched_dests),
    );
    for (ms, smembers) in &senders {
        for (md, dmembers) in &dests {
            if !touched_senders[ms] && !touched_dests[md] {
                continue;
            }
            let selves = own.get(&(*ms, *md)).copied().unwrap_or(0);
            let pairs = smembers.len() * dmembers.len() - selves;
            if pairs == 0 {
                continue;
            }
            let was = lb.pair(ms.0, md.0).clone();
            let is = lh.pair(ms.1, md.1);
            count += differing(&was, is) * pairs;
        }
    }
    count
}

/// The pods on the diagonal (sending to themselves on both sides) whose
/// pair with itself is its own evaluation on either side: how many there
/// are per pair of met classes (kept out of the blocks' counts), and how
/// many of their connections changed verdict (evaluated only where an
/// edit touched them).
fn diagonal_changes(
    (lb, lh): (&mut Lazy<'_, '_>, &mut Lazy<'_, '_>),
    (senders, dests): (&MetMembers, &MetMembers),
    (touched_senders, touched_dests): (&BTreeMap<Meet, bool>, &BTreeMap<Meet, bool>),
) -> (HashMap<(Meet, Meet), usize>, usize) {
    // Each pod's met sender class by its (base, head) sender indexes, found
    // by its pod index on each side.
    let mut as_sender: HashMap<(usize, usize), (Meet, (usize, usize))> = HashMap::new();
    for (m, members) in senders {
        for &(x, i) in members {
            if let (Some(pb), Some(ph)) = (lb.c.senders[x].index, lh.c.senders[i].index) {
                as_sender.insert((pb, ph), (*m, (x, i)));
            }
        }
    }
    let mut own: HashMap<(Meet, Meet), usize> = HashMap::new();
    let mut count = 0;
    for (md, members) in dests {
        for &(x, j) in members {
            let key = (lb.c.dests[x].index, lh.c.dests[j].index);
            let Some(&(ms, (sx, si))) = as_sender.get(&key) else {
                continue;
            };
            let self_b = lb.c.senders[sx].pod.is_some();
            let self_h = lh.c.senders[si].pod.is_some();
            if !self_b && !self_h {
                continue;
            }
            *own.entry((ms, *md)).or_default() += 1;
            if !touched_senders[&ms] && !touched_dests[md] {
                continue;
            }
            let was = lb.own((sx, x), (ms.0, md.0));
            let is = lh.own((si, j), (ms.1, md.1));
            count += differing(&was, &is);
        }
    }
    (own, count)
}
