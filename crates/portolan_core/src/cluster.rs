//! Snapshot completion (interfaces.md §2): nodes, the pods that workloads
//! would create, `ClusterIPs`, nodePorts and load-balancer addresses filled in
//! deterministically where the input leaves them out, and marked synthetic.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::IpAddr;

use crate::model::{Body, Object, Workload};
use crate::names;
use crate::options::Options;
use crate::profile::Resolved;
use crate::selector::Selector;
use crate::snapshot::{
    Cluster, ClusterNode, ClusterPod, ClusterPort, ClusterService, LoadBalancerIp, Text, WhatIf,
};
use crate::types::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};
use crate::validate::{Defaulted, Defaults};

const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Deterministic stand-in for the random suffixes controllers give pod names.
fn suffix(seed: &str, len: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..len)
        .map(|_| {
            let c = SAFE[(h % SAFE.len() as u64) as usize] as char;
            h = h.rotate_right(7).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            c
        })
        .collect()
}

/// Build the completed snapshot from the decoded objects (`threads` may
/// share the endpoints).
/// Custom kinds in `options.excluded_kinds` are not expanded into pods, and
/// at most `options.limits.max_synthesized_pods` pods are made.
pub fn complete(
    objects: &[Object],
    defaults: &Defaults,
    profile: &Resolved,
    options: &Options,
    threads: usize,
) -> Cluster {
    let what_if = &options.what_if;
    let mut cluster = Cluster {
        nodes: nodes(objects, profile),
        ..Cluster::default()
    };
    cluster
        .nodes
        .retain(|n| !what_if.deleted_nodes.contains(&n.name));
    pods(objects, profile, options, &mut cluster);
    services(objects, defaults, profile, &mut cluster);
    for svc in &mut cluster.services {
        let key = svc.key();
        if let Some(p) = what_if.external_traffic_policy.get(&key)
            && svc.external_traffic_policy.is_some()
        {
            svc.external_traffic_policy = TrafficPolicy::parse(p).or(svc.external_traffic_policy);
        }
        if let Some(p) = what_if.internal_traffic_policy.get(&key)
            && svc.internal_traffic_policy.is_some()
        {
            svc.internal_traffic_policy = TrafficPolicy::parse(p).or(svc.internal_traffic_policy);
        }
    }
    crate::endpoints::compute(objects, profile, &mut cluster, threads);
    cluster
}

fn nodes(objects: &[Object], profile: &Resolved) -> Vec<ClusterNode> {
    let declared = declared_nodes(objects);
    let mut nodes = if declared.is_empty() {
        undeclared_nodes(objects, profile)
    } else {
        declared
    };
    assign_node_ips(&mut nodes);
    nodes
}

/// The Node objects of the input, as cluster nodes.
fn declared_nodes(objects: &[Object]) -> Vec<ClusterNode> {
    objects
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match &o.body {
            Body::Node(n) => Some(ClusterNode {
                name: o.name().to_owned(),
                ip: n.primary_ip().unwrap_or_default().to_owned(),
                zone: o
                    .meta
                    .labels
                    .get("topology.kubernetes.io/zone")
                    .map(str::to_owned),
                synthetic: false,
                object: Some(i),
                cpu_milli: n.allocatable_cpu_milli,
                ready: n.ready != Some(false),
                control_plane: o
                    .meta
                    .labels
                    .get("node-role.kubernetes.io/control-plane")
                    .is_some()
                    || o.meta
                        .labels
                        .get("node-role.kubernetes.io/master")
                        .is_some(),
            }),
            _ => None,
        })
        .collect()
}

/// Nodes for an input that declares none: those its pods name, else the
/// profile's, else three synthesized nodes over two zones.
fn undeclared_nodes(objects: &[Object], profile: &Resolved) -> Vec<ClusterNode> {
    let mut names = BTreeSet::new();
    for o in objects {
        if let Body::Pod(p) = &o.body
            && let Some(n) = &p.0.node_name
        {
            names.insert(n.value.clone());
        }
    }
    let mut nodes: Vec<ClusterNode> = names
        .into_iter()
        .map(|name| ClusterNode::synthesized(name, None))
        .collect();
    if nodes.is_empty() {
        nodes = if profile.profile.nodes.is_empty() {
            (1..=3)
                .map(|i| {
                    ClusterNode::synthesized(
                        format!("node-{i}"),
                        Some(format!("zone-{}", (b'a' + (i as u8 - 1) % 2) as char)),
                    )
                })
                .collect()
        } else {
            profile
                .profile
                .nodes
                .iter()
                .map(|n| ClusterNode {
                    name: n.name.clone(),
                    ip: n.ip.clone().unwrap_or_default(),
                    zone: n.zone.clone(),
                    synthetic: false,
                    object: None,
                    cpu_milli: n.cpu.as_deref().and_then(crate::model::cpu_millis),
                    ready: true,
                    control_plane: false,
                })
                .collect()
        };
    }
    nodes
}

/// Give each node without an address a free one from 172.18.0.2 upwards.
fn assign_node_ips(nodes: &mut [ClusterNode]) {
    let used: HashSet<String> = nodes.iter().map(|n| n.ip.clone()).collect();
    let mut next = 2u32;
    for n in nodes {
        if n.ip.is_empty() {
            loop {
                let ip = format!("172.18.0.{next}");
                next += 1;
                if !used.contains(&ip) {
                    n.ip = ip;
                    break;
                }
            }
        }
    }
}

/// Addresses for pods the input does not give one, avoiding those it does
/// (gathered on the first request: a live dump never makes one).
struct IpPool<'o> {
    /// Each pod CIDR (the primary family first) and its next offset.
    cidrs: Vec<(names::Cidr, u128)>,
    objects: &'o [Object],
    used: Option<HashSet<IpAddr>>,
}

impl<'o> IpPool<'o> {
    fn new(profile: &Resolved, objects: &'o [Object]) -> Self {
        IpPool {
            cidrs: profile.pod_cidrs.iter().map(|c| (*c, 2)).collect(),
            objects,
            used: None,
        }
    }

    /// A free address from each pod CIDR: one for a single-stack pod
    /// network, an IPv4 and an IPv6 address (primary first) for dual-stack.
    fn take(&mut self) -> Vec<String> {
        let objects = self.objects;
        let used = self.used.get_or_insert_with(|| {
            objects
                .iter()
                .filter_map(|o| match &o.body {
                    Body::Pod(p) => Some(&p.1.pod_ips),
                    _ => None,
                })
                .flatten()
                .filter_map(|ip| names::parse_ip(ip))
                .collect()
        });
        let mut out = Vec::with_capacity(self.cidrs.len());
        for (cidr, next) in &mut self.cidrs {
            let size = cidr.size();
            while *next < size.saturating_sub(1) {
                let ip = cidr.nth(*next);
                *next += 1;
                if used.insert(ip) {
                    out.push(ip.to_string());
                    break;
                }
            }
        }
        if out.is_empty() {
            out.push(String::new());
        }
        out
    }
}

/// The Pod objects and Deployments of the input, indexed so that deciding
/// whether a workload's pods are already present costs a lookup, not a scan.
struct ObjectIndex<'o> {
    /// (namespace, label key, label value) → Pod objects.
    pods_by_label: HashMap<(&'o str, &'o str, &'o str), Vec<&'o Object>>,
    /// (namespace, label key) → Pod objects.
    pods_by_key: HashMap<(&'o str, &'o str), Vec<&'o Object>>,
    pods_by_ns: HashMap<&'o str, Vec<&'o Object>>,
    deployments_by_ns: HashMap<&'o str, Vec<&'o Workload>>,
}

/// The workload that owns a pod of the input: its controller, or for a
/// ReplicaSet named `<deployment>-<pod-template-hash>` (as the Deployment
/// controller names them, `deployment/sync.go`) that Deployment, so that a
/// `kubectl get pods` dump groups its pods by Deployment without the
/// ReplicaSets.
fn workload_of(meta: &crate::model::Meta) -> Option<String> {
    let owner = meta.controller.as_deref()?;
    let deployment = owner
        .strip_prefix("ReplicaSet/")
        .zip(meta.labels.get("pod-template-hash"))
        .and_then(|(rs, hash)| rs.strip_suffix(hash)?.strip_suffix('-'))
        .filter(|d| !d.is_empty());
    Some(deployment.map_or_else(|| owner.to_owned(), |d| format!("Deployment/{d}")))
}

impl<'o> ObjectIndex<'o> {
    fn new(objects: &'o [Object]) -> Self {
        let mut ix = ObjectIndex {
            pods_by_label: HashMap::new(),
            pods_by_key: HashMap::new(),
            pods_by_ns: HashMap::new(),
            deployments_by_ns: HashMap::new(),
        };
        // The questions asked are "does any pod match": one pod stands for
        // all the pods of its namespace with the same (shared) label set.
        let mut seen: HashSet<(&str, *const BTreeMap<String, String>)> = HashSet::new();
        for o in objects {
            match &o.body {
                Body::Pod(_)
                    if seen.insert((
                        o.namespace.as_str(),
                        std::sync::Arc::as_ptr(&o.meta.labels.map),
                    )) =>
                {
                    ix.pods_by_ns
                        .entry(o.namespace.as_str())
                        .or_default()
                        .push(o);
                    for (k, v) in o.meta.labels.map.iter() {
                        ix.pods_by_label
                            .entry((o.namespace.as_str(), k.as_str(), v.as_str()))
                            .or_default()
                            .push(o);
                        ix.pods_by_key
                            .entry((o.namespace.as_str(), k.as_str()))
                            .or_default()
                            .push(o);
                    }
                }
                Body::Workload(w) if o.kind.value == "Deployment" => {
                    ix.deployments_by_ns
                        .entry(o.namespace.as_str())
                        .or_default()
                        .push(w);
                }
                _ => {}
            }
        }
        ix
    }

    /// Whether the input already holds the pods (or, for a ReplicaSet, the
    /// Deployment) that own this workload's place: then it is not expanded.
    fn owns_real_pods(&self, o: &Object, w: &Workload) -> bool {
        let sel = Selector::from_label_selector(w.selector.as_ref());
        let sel = match (&sel, &w.template) {
            (Selector::All(r), Some(t)) if r.is_empty() => Selector::from_map(&t.meta.labels.map),
            _ => sel,
        };
        let ns = o.namespace.as_str();
        // The rarest requirement that names its pods narrows the candidates:
        // `key=value` and `key in (a, b)` by label, `key` (Exists) by key.
        // Only a selector of negations alone reads the namespace's pods.
        let narrowed = sel
            .requirements()
            .iter()
            .filter_map(|r| {
                use crate::selector::Op;
                match r.op {
                    Op::In | Op::Equals | Op::DoubleEquals => Some(
                        r.values
                            .iter()
                            .map(|v| {
                                self.pods_by_label
                                    .get(&(ns, r.key.as_str(), v.as_str()))
                                    .map_or(&[][..], Vec::as_slice)
                            })
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>(),
                    ),
                    Op::Exists => Some(vec![
                        self.pods_by_key
                            .get(&(ns, r.key.as_str()))
                            .map_or(&[][..], Vec::as_slice),
                    ]),
                    _ => None,
                }
            })
            .min_by_key(|lists| lists.iter().map(|c| c.len()).sum::<usize>());
        let all = || self.pods_by_ns.get(ns).map_or(&[][..], Vec::as_slice);
        let found = match narrowed {
            Some(lists) => lists
                .iter()
                .any(|c| c.iter().any(|p| sel.matches(&p.meta.labels.map))),
            None => all().iter().any(|p| sel.matches(&p.meta.labels.map)),
        };
        if found {
            return true;
        }
        o.kind.value == "ReplicaSet"
            && w.template.as_ref().is_some_and(|t| {
                self.deployments_by_ns.get(ns).is_some_and(|ds| {
                    ds.iter().any(|d| {
                        Selector::from_label_selector(d.selector.as_ref())
                            .matches(&t.meta.labels.map)
                    })
                })
            })
    }
}

/// Makes the snapshot's pods: addresses from the pod network, nodes in
/// turn, shared strings.
struct PodMaker<'o> {
    pool: IpPool<'o>,
    text: Interner,
    node_names: Vec<Text>,
    /// Each node's address, by name: a host-network pod's own.
    node_ips: HashMap<String, String>,
    spread: usize,
}

impl PodMaker<'_> {
    /// A made-up pod's addresses: its node's for a host-network pod (the
    /// kubelet reports the host's IPs as the pod's, `kubelet_pods.go`
    /// `generateAPIPodStatus`), else the next free ones of the pod network.
    fn addresses(&mut self, host_network: bool, node: Option<&str>) -> Vec<String> {
        match node.and_then(|n| self.node_ips.get(n)) {
            Some(ip) if host_network && !ip.is_empty() => vec![ip.clone()],
            _ => self.pool.take(),
        }
    }

    fn next_node(&mut self) -> Option<Text> {
        let n = self
            .node_names
            .get(self.spread % self.node_names.len().max(1))
            .cloned();
        self.spread += 1;
        n
    }

    /// A Pod of the input: its own addresses and node when it has a
    /// status, else made up like a controller's.
    fn declared(
        &mut self,
        idx: usize,
        o: &Object,
        spec: &crate::model::PodSpec,
        status: &crate::model::PodStatus,
    ) -> ClusterPod {
        let node = match spec.node_name.as_ref() {
            Some(n) => Some(self.text.get(&n.value)),
            None if status.present => None,
            None => self.next_node(),
        };
        let mut ips = status.pod_ips.clone();
        if ips.is_empty() && !status.present {
            ips = self.addresses(spec.host_network, node.as_deref());
        }
        ClusterPod {
            namespace: self.text.get(&o.namespace),
            name: o.name().to_owned(),
            labels: o.meta.labels.map.clone(),
            ips,
            node,
            phase: self.text.get(status.phase.as_deref().unwrap_or("Running")),
            ready: status.ready.unwrap_or(!status.present),
            terminating: o.meta.deletion_timestamp,
            hostname: spec.hostname.clone(),
            subdomain: spec.subdomain.clone(),
            owner: workload_of(&o.meta).map(|w| self.text.get(&w)),
            synthetic: !status.present,
            object: idx,
        }
    }

    /// The pods a workload's controller would make, named `names`.
    fn of_workload(
        &mut self,
        idx: usize,
        o: &Object,
        w: &Workload,
        t: &crate::model::PodTemplate,
        names: Vec<(String, Option<String>)>,
        out: &mut Vec<ClusterPod>,
    ) {
        let kind = o.kind.value.as_str();
        for (i, (name, hostname)) in names.into_iter().enumerate() {
            let node = if kind == "DaemonSet" {
                self.node_names.get(i).cloned()
            } else {
                match t.spec.node_name.as_ref() {
                    Some(n) => Some(self.text.get(&n.value)),
                    None => self.next_node(),
                }
            };
            out.push(ClusterPod {
                namespace: self.text.get(&o.namespace),
                name,
                labels: t.meta.labels.map.clone(),
                ips: self.addresses(t.spec.host_network, node.as_deref()),
                node,
                phase: self.text.get("Running"),
                ready: true,
                terminating: false,
                hostname: hostname.or_else(|| t.spec.hostname.clone()),
                subdomain: if kind == "StatefulSet"
                    || matches!(w.origin, crate::model::WorkloadOrigin::Operator { .. })
                {
                    w.service_name.as_ref().map(|s| s.value.clone())
                } else {
                    t.spec.subdomain.clone()
                },
                owner: Some(self.text.get(&format!("{kind}/{}", o.name()))),
                synthetic: true,
                object: idx,
            });
        }
    }
}

fn pods(objects: &[Object], profile: &Resolved, options: &Options, cluster: &mut Cluster) {
    let (what_if, excluded_kinds, limits) =
        (&options.what_if, &options.excluded_kinds, &options.limits);
    let mut synthesized = 0usize;
    let index = ObjectIndex::new(objects);
    let mut text = Interner::default();
    let node_names: Vec<Text> = cluster.nodes.iter().map(|n| text.get(&n.name)).collect();
    let mut maker = PodMaker {
        pool: IpPool::new(profile, objects),
        text,
        node_names,
        node_ips: cluster
            .nodes
            .iter()
            .map(|n| (n.name.clone(), n.ip.clone()))
            .collect(),
        spread: 0,
    };
    for (idx, o) in objects.iter().enumerate() {
        match &o.body {
            Body::Pod(p) => {
                let pod = maker.declared(idx, o, &p.0, &p.1);
                cluster.pods.push(pod);
            }
            Body::Workload(w) => {
                let Some(t) = &w.template else { continue };
                if w.origin != crate::model::WorkloadOrigin::BuiltIn
                    && excluded_kinds.contains(&o.kind.value)
                {
                    continue;
                }
                if index.owns_real_pods(o, w) {
                    continue;
                }
                let replicas = what_if
                    .replicas
                    .get(&format!("{}/{}/{}", o.namespace, o.kind.value, o.name()))
                    .copied();
                let budget = limits.max_synthesized_pods.saturating_sub(synthesized);
                let (names, wanted) = pod_names(o, w, replicas, cluster.nodes.len(), budget);
                synthesized += names.len();
                if wanted > names.len() {
                    let (left, _) = cluster.pods_left_out.get_or_insert((0, idx));
                    *left = left.saturating_add(wanted - names.len());
                }
                maker.of_workload(idx, o, w, t, names, &mut cluster.pods);
            }
            _ => {}
        }
    }
    apply_what_if(objects, what_if, &mut maker.pool, cluster);
}

/// Deleted pods and pods of deleted nodes disappear; a controller replaces
/// the ones it owns (a StatefulSet under the same name, others under a new
/// one, on a surviving node, with a new address). Unready pods lose Ready.
/// One shared copy of each distinct string.
#[derive(Default)]
struct Interner(HashMap<String, Text>);

impl Interner {
    fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t: Text = s.into();
        self.0.insert(s.to_owned(), t.clone());
        t
    }
}

fn apply_what_if(objects: &[Object], what_if: &WhatIf, pool: &mut IpPool, cluster: &mut Cluster) {
    if what_if.is_empty() {
        return;
    }
    let nodes: Vec<Text> = cluster
        .nodes
        .iter()
        .map(|n| Text::from(n.name.as_str()))
        .collect();
    let node_ips: HashMap<&str, &str> = cluster
        .nodes
        .iter()
        .filter(|n| !n.ip.is_empty())
        .map(|n| (n.name.as_str(), n.ip.as_str()))
        .collect();
    let ip_of = |node: Option<&Text>| node.and_then(|n| node_ips.get(&**n).copied());
    let mut replacements = Vec::new();
    cluster.pods.retain(|p| {
        let node_gone = p
            .node
            .as_ref()
            .is_some_and(|n| what_if.deleted_nodes.contains(&**n));
        let gone = node_gone || what_if.deleted_pods.contains(&p.key());
        if !gone {
            return true;
        }
        let Some(owner) = &p.owner else { return false };
        let daemon = owner.starts_with("DaemonSet/");
        if daemon && node_gone {
            return false; // a DaemonSet only runs on existing nodes
        }
        let mut r = p.clone();
        if !owner.starts_with("StatefulSet/") {
            let base = p.name.rsplit_once('-').map_or(p.name.as_str(), |(b, _)| b);
            r.name = format!("{base}-{}", suffix(&format!("{}/replacement", p.name), 5));
        }
        if !daemon {
            let others: Vec<&Text> = nodes
                .iter()
                .filter(|n| Some(*n) != p.node.as_ref())
                .collect();
            let pick = suffix(&p.name, 1).bytes().next().map_or(0, usize::from);
            r.node = others
                .get(pick % others.len().max(1))
                .map(|n| (*n).clone())
                .or_else(|| nodes.first().cloned());
        }
        // A host-network pod has its node's address, and so has its
        // replacement on the new node.
        let host_network = objects
            .get(p.object)
            .and_then(Object::pod_spec)
            .is_some_and(|spec| spec.host_network);
        r.ips = match ip_of(r.node.as_ref()) {
            Some(ip) if host_network => vec![ip.to_owned()],
            _ => pool.take(),
        };
        r.ready = true;
        replacements.push(r);
        false
    });
    cluster.pods.extend(replacements);
    for p in &mut cluster.pods {
        if what_if.unready_pods.contains(&p.key()) {
            p.ready = false;
        }
    }
}

/// The pods the snapshot makes for one workload at most: the rest are
/// counted in `Cluster::pods_left_out` (a `snapshot-limit` note).
const MAX_PODS_PER_WORKLOAD: usize = 10_000;

/// Pod names (and `StatefulSet` hostnames) as the controllers would make
/// them, at most `budget` of them; and how many the controller would make.
fn pod_names(
    o: &Object,
    w: &Workload,
    replicas: Option<i64>,
    node_count: usize,
    budget: usize,
) -> (Vec<(String, Option<String>)>, usize) {
    let name = o.name();
    let replicas = replicas
        .unwrap_or_else(|| w.replicas.as_ref().map_or(1, |r| r.value))
        .clamp(0, i64::from(i32::MAX)) as usize;
    let kind = o.kind.value.as_str();
    let wanted = match kind {
        "DaemonSet" => node_count,
        "CronJob" | "Job" if w.origin == crate::model::WorkloadOrigin::BuiltIn => 1,
        _ => replicas,
    };
    let n = wanted.min(budget).min(MAX_PODS_PER_WORKLOAD);
    let names = if let crate::model::WorkloadOrigin::Operator { statefulset } = &w.origin {
        (0..n)
            .map(|i| {
                (
                    format!("{statefulset}-{i}"),
                    Some(format!("{statefulset}-{i}")),
                )
            })
            .collect()
    } else {
        match kind {
            "StatefulSet" => (0..n)
                .map(|i| (format!("{name}-{i}"), Some(format!("{name}-{i}"))))
                .collect(),
            "DaemonSet" => (0..n)
                .map(|i| {
                    (
                        format!("{name}-{}", suffix(&format!("{name}/{i}"), 5)),
                        None,
                    )
                })
                .collect(),
            "Deployment" => {
                let hash = suffix(&format!("{}/{name}/template", o.namespace), 10);
                (0..n)
                    .map(|i| {
                        (
                            format!("{name}-{hash}-{}", suffix(&format!("{name}/{i}"), 5)),
                            None,
                        )
                    })
                    .collect()
            }
            "CronJob" => (0..n)
                .map(|_| (format!("{name}-{}-{}", 29_000_000, suffix(name, 5)), None))
                .collect(),
            _ => (0..n)
                .map(|i| {
                    (
                        format!("{name}-{}", suffix(&format!("{name}/{i}"), 5)),
                        None,
                    )
                })
                .collect(),
        }
    };
    (names, wanted)
}

/// What the registry allocates to Services that do not name their own
/// addresses and ports (spec A.13), deterministically, avoiding everything
/// the input takes.
struct ServiceAllocator<'o> {
    /// One pool per service CIDR (IPv4, IPv6).
    pools: Vec<IpPool<'o>>,
    primary_v6: bool,
    dual_stack: bool,
    used_node_ports: HashSet<i64>,
    next_node_port: i64,
    last_node_port: i64,
    lb_next: u32,
}

impl ServiceAllocator<'_> {
    /// Everything the input takes: its ClusterIPs, node ports and health
    /// check ports, and each range's first address (the API server's own
    /// Service).
    fn new(profile: &Resolved, defaults: &Defaults, objects: &[Object]) -> Self {
        let mut used_ips: HashSet<IpAddr> = HashSet::new();
        let mut used_node_ports: HashSet<i64> = HashSet::new();
        for (i, o) in objects.iter().enumerate() {
            let (Body::Service(svc), Some(d)) = (&o.body, defaults.get(i)) else {
                continue;
            };
            used_ips.extend(
                d.cluster_ips
                    .iter()
                    .filter_map(|ip| names::parse_ip(&ip.value)),
            );
            used_node_ports.extend(
                svc.ports
                    .iter()
                    .filter_map(|p| p.node_port.as_ref().map(|n| n.value)),
            );
            used_node_ports.extend(svc.health_check_node_port.as_ref().map(|h| h.value));
        }
        for c in &profile.service_cidrs {
            used_ips.insert(c.nth(1));
        }
        ServiceAllocator {
            pools: profile
                .service_cidrs
                .iter()
                .map(|c| IpPool {
                    cidrs: vec![(*c, 10)],
                    objects: &[],
                    used: Some(used_ips.clone()),
                })
                .collect(),
            primary_v6: profile.service_cidrs[0].is_ipv6(),
            dual_stack: profile.service_cidrs.len() > 1,
            used_node_ports,
            next_node_port: profile.node_ports.0,
            last_node_port: profile.node_ports.1,
            lb_next: 1,
        }
    }

    fn cluster_ip(&mut self, v6: bool) -> Option<String> {
        self.pools
            .iter_mut()
            .find(|p| p.cidrs[0].0.is_ipv6() == v6)
            .and_then(|p| p.take().pop())
            .filter(|ip| !ip.is_empty())
    }

    fn node_port(&mut self) -> Option<i64> {
        while self.next_node_port <= self.last_node_port {
            let p = self.next_node_port;
            self.next_node_port += 1;
            if self.used_node_ports.insert(p) {
                return Some(p);
            }
        }
        None
    }

    /// The ClusterIPs: the Service's own, or the families the registry
    /// would allocate (spec A.13): spec.ipFamilies, else the cluster's
    /// primary family, plus the secondary one for PreferDualStack and
    /// RequireDualStack. Whether they were allocated here.
    fn cluster_ips(&mut self, svc: &crate::model::Service, d: &Defaulted) -> (Vec<String>, bool) {
        if !d.cluster_ips.is_empty() {
            return (
                d.cluster_ips.iter().map(|c| c.value.clone()).collect(),
                false,
            );
        }
        let mut families: Vec<bool> = svc.ip_families.iter().map(|f| f.value == "IPv6").collect();
        if families.is_empty() {
            families.push(self.primary_v6);
        }
        let dual = matches!(
            svc.ip_family_policy.as_ref().map(|p| p.value.as_str()),
            Some("PreferDualStack" | "RequireDualStack")
        );
        if dual && families.len() == 1 && self.dual_stack {
            families.push(!families[0]);
        }
        let ips: Vec<String> = families
            .into_iter()
            .filter_map(|v6| self.cluster_ip(v6))
            .collect();
        if ips.is_empty() {
            let primary = self.primary_v6;
            (self.cluster_ip(primary).into_iter().collect(), true)
        } else {
            (ips, true)
        }
    }

    /// The ports, with node ports allocated where the type wants them (one
    /// per port number, shared by its protocols).
    fn ports(
        &mut self,
        svc: &crate::model::Service,
        d: &Defaulted,
        type_: ServiceType,
    ) -> Vec<ClusterPort> {
        let wants_node_ports = type_ == ServiceType::NodePort
            || (type_ == ServiceType::LoadBalancer && d.allocate_lb_node_ports != Some(false));
        let external_name = type_ == ServiceType::ExternalName;
        let mut by_port: HashMap<i64, i64> = HashMap::new();
        let mut ports = Vec::with_capacity(svc.ports.len());
        for (i, p) in svc.ports.iter().enumerate() {
            let port = p.port.as_ref().map_or(0, |x| x.value);
            let explicit = p.node_port.as_ref().map(|n| n.value).filter(|n| *n != 0);
            let (node_port, node_port_synthetic) = match explicit {
                Some(n) => (Some(n), false),
                None if wants_node_ports => {
                    let n = by_port.get(&port).copied().or_else(|| self.node_port());
                    (n, true)
                }
                None => (None, false),
            };
            if let Some(n) = node_port {
                by_port.entry(port).or_insert(n);
            }
            ports.push(ClusterPort {
                name: p.name.as_ref().map_or(String::new(), |n| n.value.clone()),
                protocol: Protocol::or_default(d.protocols[i]),
                port,
                target_port: (&d.target_ports[i]).into(),
                node_port: if external_name { None } else { node_port },
                node_port_synthetic,
                app_protocol: p.app_protocol.as_ref().map(|a| a.value.clone()),
            });
        }
        ports
    }

    /// The load balancer's addresses: `status.loadBalancer.ingress`, else
    /// `loadBalancerIP`, else one from the documentation range.
    fn load_balancer_ips(
        &mut self,
        svc: &crate::model::Service,
        type_: ServiceType,
    ) -> Vec<LoadBalancerIp> {
        let mut ips: Vec<LoadBalancerIp> = svc
            .lb_ingress
            .iter()
            .filter_map(|i| {
                Some(LoadBalancerIp {
                    ip: i.ip.clone()?,
                    ip_mode: i.ip_mode.clone().unwrap_or_else(|| "VIP".to_owned()),
                    synthetic: false,
                })
            })
            .collect();
        if type_ == ServiceType::LoadBalancer && svc.lb_ingress.is_empty() {
            let ip = svc
                .load_balancer_ip
                .as_ref()
                .map(|i| i.value.clone())
                .filter(|i| !i.is_empty())
                .unwrap_or_else(|| {
                    self.lb_next += 1;
                    format!("203.0.113.{}", self.lb_next - 1)
                });
            ips.push(LoadBalancerIp {
                ip,
                ip_mode: "VIP".to_owned(),
                synthetic: true,
            });
        }
        ips
    }
}

fn services(objects: &[Object], defaults: &Defaults, profile: &Resolved, cluster: &mut Cluster) {
    // At its exact size: a dump of 100,000 Services would otherwise hold up
    // to twice the room it needs.
    let count = objects
        .iter()
        .filter(|o| matches!(o.body, Body::Service(_)))
        .count();
    cluster.services.reserve_exact(count);
    let mut alloc = ServiceAllocator::new(profile, defaults, objects);
    for (idx, o) in objects.iter().enumerate() {
        let (Body::Service(svc), Some(d)) = (&o.body, defaults.get(idx)) else {
            continue;
        };
        let type_ = ServiceType::or_default(d.type_);
        let external_name = type_ == ServiceType::ExternalName;
        let (cluster_ips, synthetic) = if external_name {
            (Vec::new(), false)
        } else {
            alloc.cluster_ips(svc, d)
        };
        let ports = alloc.ports(svc, d, type_);
        // The registry allocates a health check node port for LoadBalancer
        // Services with externalTrafficPolicy Local (D.4.8).
        let health_check_node_port = match svc.health_check_node_port.as_ref().map(|h| h.value) {
            Some(h) if h != 0 => Some(h),
            _ if d.needs_health_check() => alloc.node_port(),
            _ => None,
        };
        let load_balancer_ips = alloc.load_balancer_ips(svc, type_);
        cluster.services.push(ClusterService {
            namespace: o.namespace.clone(),
            name: o.name().to_owned(),
            type_,
            cluster_ips,
            headless: d.headless,
            external_name: if external_name {
                svc.external_name
                    .as_ref()
                    .map(|e| e.value.trim_end_matches('.').to_owned())
            } else {
                None
            },
            ports,
            selector: svc.selector.as_ref().map(|s| (*s.map).clone()),
            endpoints: Vec::new(),
            external_ips: svc.external_ips.iter().map(|e| e.value.clone()).collect(),
            load_balancer_ips,
            external_traffic_policy: d.external_traffic_policy.map(TrafficPolicy::or_default),
            internal_traffic_policy: d.internal_traffic_policy.map(TrafficPolicy::or_default),
            session_affinity: SessionAffinity::or_default(d.session_affinity),
            publish_not_ready_addresses: svc.publish_not_ready_addresses,
            synthetic,
            object: idx,
            affinity_timeout: d.affinity_timeout,
            source_ranges: svc
                .load_balancer_source_ranges
                .iter()
                .map(|r| r.value.trim().to_owned())
                .collect(),
            traffic_distribution: svc.traffic_distribution.as_ref().map(|t| t.value.clone()),
            health_check_node_port,
            topology_auto: crate::topology::auto_enabled(&o.meta.annotations),
            topology_note: None,
        });
    }
}
