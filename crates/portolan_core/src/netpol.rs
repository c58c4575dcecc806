//! NetworkPolicy evaluation (spec E.3–E.6): which policies select a pod,
//! whether a connection's first packet is allowed out of its source and
//! into its destination, and which policies decided it.
//!
//! The model is the one the spec fixes where Kubernetes leaves it to the
//! network plugin (interfaces.md §6.1): egress is evaluated after the
//! source node's DNAT, ingress at the destination pod after all DNAT,
//! seeing the node's address as the source when kube-proxy masqueraded;
//! ipBlock matches pod addresses too (the reference implementation,
//! kube-network-policies); host-network pods are never selected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{Body, IntOrString, LabelSelector, NetworkPolicy, Object};
use crate::names::{Cidr, parse_cidr_legacy, parse_ip};
use crate::selector::Selector;
use crate::snapshot::ClusterPod;
use crate::types::Protocol;

/// The label every Namespace carries with its own name (E.2.5).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A policy that decided a destination (interfaces.md §6.1).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyRef {
    /// Shared with the compiled policy: `reach` makes millions of these.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub namespace: Arc<str>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub name: Arc<str>,
    /// `ingress` or `egress`.
    #[cfg_attr(feature = "ts", ts(type = "'ingress' | 'egress'"))]
    pub direction: std::borrow::Cow<'static, str>,
    /// `allow` (a rule admitted the packet) or `isolate` (the policy isolates
    /// the pod and none of its rules admitted it).
    #[cfg_attr(feature = "ts", ts(type = "'allow' | 'isolate'"))]
    pub effect: std::borrow::Cow<'static, str>,
}

/// `NS/NAME (direction effect)`, as every output names a deciding policy.
impl std::fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{} ({} {})",
            self.namespace, self.name, self.direction, self.effect
        )
    }
}

/// The outcome for one destination, spelled on the wire as interfaces.md
/// §6.1 spells it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Allowed,
    DeniedEgress,
    DeniedIngress,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::DeniedEgress => "denied-egress",
            Verdict::DeniedIngress => "denied-ingress",
        }
    }
}

/// Tests and hosts compare with the wire spelling.
impl PartialEq<&str> for Verdict {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// A pod as policies see it: its namespace and labels (to be selected and
/// to match selector peers), its address (for ipBlocks), its node (for
/// the local-node exemption) and its declared ports (for named ports).
#[derive(Clone, Debug)]
pub struct PodView {
    pub key: String,
    pub namespace: String,
    pub labels: Arc<BTreeMap<String, String>>,
    pub ip: Option<IpAddr>,
    pub node: Option<String>,
    pub host_network: bool,
    /// `(name, protocol, containerPort)` of `spec.containers[*].ports`.
    pub ports: Vec<(String, Protocol, i64)>,
}

/// One end of a connection as a rule matches it: a pod of the snapshot
/// (not host-network), or an address (nodes, host-network pods,
/// masqueraded sources, anything outside the cluster) (E.4.2).
#[derive(Clone, Copy, Debug)]
pub enum Party<'v> {
    Pod(&'v PodView),
    Ip(Option<IpAddr>),
}

impl Party<'_> {
    fn ip(&self) -> Option<IpAddr> {
        match self {
            Party::Pod(p) => p.ip,
            Party::Ip(ip) => *ip,
        }
    }
}

/// The first packet of a connection, as each side's policies see it.
#[derive(Clone, Debug)]
pub struct Connection<'v> {
    /// The sending pod, when a (non-host-network) pod sends: its egress
    /// policies apply.
    pub source_pod: Option<&'v PodView>,
    /// What egress rules match: the destination after the source node's
    /// DNAT (an endpoint pod), or the address and port the packet leaves
    /// with when no local rule translated it (E.5.2).
    pub egress_peer: Party<'v>,
    pub egress_port: i64,
    /// The receiving pod, when the destination is a pod: its ingress
    /// policies apply.
    pub dest_pod: Option<&'v PodView>,
    /// The source ingress rules see: the original one, or the node's
    /// address when kube-proxy masqueraded (E.5.3).
    pub ingress_peer: Party<'v>,
    /// The destination port after all DNAT.
    pub port: i64,
    pub protocol: Protocol,
    /// The packet was addressed to the sending pod's own IP (E.5.8).
    pub to_self: bool,
    /// Sent by the destination pod's own node (or a host-network pod on
    /// it): always admitted at ingress (E.5.6).
    pub from_local_node: bool,
}

/// The decision for one destination.
#[derive(Clone, Debug)]
pub struct Decision {
    pub verdict: Verdict,
    pub policies: Vec<PolicyRef>,
    /// One sentence per evaluated direction, for the trace's hops.
    pub egress_note: Option<String>,
    pub ingress_note: Option<String>,
}

#[derive(Debug, PartialEq)]
struct PortRule {
    protocol: Protocol,
    port: Option<IntOrString>,
    end_port: Option<i64>,
}

#[derive(Debug, PartialEq)]
enum Peer {
    Selectors {
        pods: Option<Selector>,
        namespaces: Option<Selector>,
    },
    Block {
        cidr: Cidr,
        except: Vec<Cidr>,
    },
}

#[derive(Debug, PartialEq)]
struct Rule {
    ports: Vec<PortRule>,
    peers: Vec<Peer>,
}

/// A valid policy after defaulting (E.2): `None` for a direction not in
/// its `policyTypes` (its rules, if any, are ignored, E.3.3).
#[derive(Debug, PartialEq)]
struct Compiled {
    /// Shared by every [`PolicyRef`] to it.
    namespace: Arc<str>,
    name: Arc<str>,
    selector: Selector,
    ingress: Option<Vec<Rule>>,
    egress: Option<Vec<Rule>>,
}

/// The valid policies of an analysis and the namespaces' labels.
#[derive(Debug)]
pub struct Policies {
    list: Vec<Compiled>,
    /// Per namespace: the positions in `list` of its policies, and their
    /// selectors indexed (a pod meets only the policies that may select it).
    by_namespace: BTreeMap<String, (Vec<usize>, crate::selector::SelectorIndex)>,
    /// `ns/name` of the policies the API server rejects (ignored, E.6.1).
    pub ignored: Vec<String>,
    namespaces: BTreeMap<String, BTreeMap<String, String>>,
    /// The policies that select a pod, remembered by its shared label map
    /// (its address, the map kept alive here so it cannot be reused),
    /// namespace and host network: `reach` asks for the same pods'
    /// selection once per pair of classes.
    selected: std::sync::Mutex<HashMap<usize, Vec<Selected>>>,
    /// Every ipBlock peer of every rule, in order: `(cidr, except)`.
    blocks: Vec<(crate::names::Cidr, Vec<crate::names::Cidr>)>,
}

/// One remembered selection: the label map (pinned), namespace, host
/// network, and the positions in `Policies::list` of the policies that
/// select such a pod.
#[derive(Debug)]
struct Selected {
    labels: Arc<BTreeMap<String, String>>,
    namespace: String,
    host_network: bool,
    ids: Arc<[usize]>,
}

fn selector(sel: Option<&LabelSelector>) -> Selector {
    // An absent selector is `{}` (E.2.3): everything.
    sel.map_or_else(Selector::everything, |s| {
        Selector::from_label_selector(Some(s))
    })
}

fn compile_rules(rules: Option<&Vec<crate::model::PolicyRule>>) -> Vec<Rule> {
    rules
        .into_iter()
        .flatten()
        .map(|r| Rule {
            ports: r
                .ports
                .iter()
                .map(|p| PortRule {
                    protocol: p
                        .protocol
                        .as_ref()
                        .map_or(Protocol::Tcp, |x| Protocol::or_default(&x.value)),
                    port: p.port.as_ref().map(|x| x.value.clone()),
                    end_port: p.end_port.as_ref().map(|x| x.value),
                })
                .collect(),
            peers: r
                .peers
                .iter()
                .filter_map(|p| match &p.ip_block {
                    Some(b) => Some(Peer::Block {
                        cidr: parse_cidr_legacy(&b.cidr.as_ref()?.value)?,
                        except: b
                            .except
                            .iter()
                            .filter_map(|e| parse_cidr_legacy(&e.value))
                            .collect(),
                    }),
                    None => Some(Peer::Selectors {
                        pods: p.pod_selector.as_ref().map(|s| selector(Some(s))),
                        namespaces: p.namespace_selector.as_ref().map(|s| selector(Some(s))),
                    }),
                })
                .collect(),
        })
        .collect()
}

/// E.2.2: absent or empty `policyTypes` is `[Ingress]`, plus `Egress` iff
/// there are egress rules.
fn policy_types(np: &NetworkPolicy) -> (bool, bool) {
    match &np.policy_types {
        Some((types, _)) if !types.is_empty() => (
            types.iter().any(|t| t.value == "Ingress"),
            types.iter().any(|t| t.value == "Egress"),
        ),
        _ => (true, np.egress.as_ref().is_some_and(|e| !e.is_empty())),
    }
}

impl Policies {
    /// The policies of `a`, or `None` when the input holds no
    /// NetworkPolicy (then no trace carries policy fields, E.6.1).
    pub fn of(
        objects: &[Object],
        diagnostics: &[crate::diag::Diagnostic],
        pods: &[ClusterPod],
    ) -> Option<Policies> {
        if !objects
            .iter()
            .any(|o| matches!(o.body, Body::NetworkPolicy(_)))
        {
            return None;
        }
        let rejected = crate::model::rejected(objects, diagnostics);
        Some(Policies::new(objects, &rejected, pods))
    }

    /// The policies of `objects` that are not `rejected`.
    pub fn new(objects: &[Object], rejected: &HashSet<usize>, pods: &[ClusterPod]) -> Policies {
        let mut policies = Vec::new();
        let mut ignored = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            let Body::NetworkPolicy(np) = &o.body else {
                continue;
            };
            if rejected.contains(&i) {
                ignored.push(format!("{}/{}", o.namespace, o.name()));
                continue;
            }
            let (ingress, egress) = policy_types(np);
            policies.push(Compiled {
                namespace: Arc::from(o.namespace.as_str()),
                name: Arc::from(o.name()),
                selector: selector(np.pod_selector.as_ref()),
                ingress: ingress.then(|| compile_rules(np.ingress.as_ref())),
                egress: egress.then(|| compile_rules(np.egress.as_ref())),
            });
        }
        policies.sort_by(|x, y| (&x.namespace, &x.name).cmp(&(&y.namespace, &y.name)));
        let mut positions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in policies.iter().enumerate() {
            positions
                .entry(p.namespace.to_string())
                .or_default()
                .push(i);
        }
        let by_namespace = positions
            .into_iter()
            .map(|(ns, ids)| {
                let index =
                    crate::selector::SelectorIndex::new(ids.iter().map(|&i| &policies[i].selector));
                (ns, (ids, index))
            })
            .collect();
        Policies {
            by_namespace,
            list: policies,
            ignored,
            namespaces: namespaces(objects, pods),
            selected: std::sync::Mutex::default(),
            blocks: Vec::new(),
        }
        .with_blocks()
    }

    /// A namespace's labels, borrowed (a rule meets thousands of pods).
    pub(crate) fn namespace_labels(
        &self,
        ns: &str,
    ) -> std::borrow::Cow<'_, BTreeMap<String, String>> {
        match self.namespaces.get(ns) {
            Some(labels) => std::borrow::Cow::Borrowed(labels),
            // A namespace absent from the input (E.4.4).
            None => {
                std::borrow::Cow::Owned([(NAMESPACE_NAME_LABEL.to_owned(), ns.to_owned())].into())
            }
        }
    }

    /// The policies of `pod`'s namespace that select it in `direction`
    /// (E.3.1–E.3.3); host-network pods are never selected (E.3.2).
    fn selecting<'p>(
        &'p self,
        pod: &PodView,
        direction: Direction,
    ) -> impl Iterator<Item = (&'p Compiled, &'p [Rule])> {
        let ids = self.selecting_ids(pod);
        (0..ids.len())
            .map(move |i| &self.list[ids[i]])
            .filter_map(move |p| {
                let rules = match direction {
                    Direction::Ingress => p.ingress.as_deref(),
                    Direction::Egress => p.egress.as_deref(),
                }?;
                Some((p, rules))
            })
    }

    /// The ipBlock peers listed once (a pod's signature reads them all).
    fn with_blocks(mut self) -> Self {
        self.blocks = self
            .list
            .iter()
            .flat_map(|p| p.ingress.iter().chain(p.egress.iter()))
            .flatten()
            .flat_map(|r| r.peers.iter())
            .filter_map(|peer| match peer {
                Peer::Block { cidr, except } => Some((*cidr, except.clone())),
                Peer::Selectors { .. } => None,
            })
            .collect();
        self
    }

    /// The positions of this side's policies that differ from `other`'s
    /// policy of the same namespace and name, or that `other` lacks.
    pub(crate) fn changed_from(&self, other: Option<&Policies>) -> HashSet<usize> {
        let theirs: HashMap<(&str, &str), &Compiled> = other
            .map(|o| {
                o.list
                    .iter()
                    .map(|p| ((&*p.namespace, &*p.name), p))
                    .collect()
            })
            .unwrap_or_default();
        self.list
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                theirs
                    .get(&(&*p.namespace, &*p.name))
                    .is_none_or(|q| *q != *p)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether one of the policies at `ids` selects `pod` and has rules
    /// for ingress (`ingress`) or for egress.
    pub(crate) fn any_selects(&self, ids: &HashSet<usize>, pod: &PodView, ingress: bool) -> bool {
        !ids.is_empty()
            && self.selecting_ids(pod).iter().any(|i| {
                ids.contains(i)
                    && if ingress {
                        self.list[*i].ingress.is_some()
                    } else {
                        self.list[*i].egress.is_some()
                    }
            })
    }

    /// The positions of the policies that select `pod`, remembered per
    /// label map, namespace and host network.
    fn selecting_ids(&self, pod: &PodView) -> Arc<[usize]> {
        let key = Arc::as_ptr(&pod.labels) as usize;
        let mut memo = self
            .selected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let known = memo.entry(key).or_default();
        if let Some(s) = known.iter().find(|s| {
            Arc::ptr_eq(&s.labels, &pod.labels)
                && s.namespace == pod.namespace
                && s.host_network == pod.host_network
        }) {
            return s.ids.clone();
        }
        let ids: Arc<[usize]> = match self.by_namespace.get(&pod.namespace) {
            Some((ids, index)) if !pod.host_network => index
                .candidates(&pod.labels)
                .into_iter()
                .map(|c| ids[c])
                .filter(|&i| self.list[i].selector.matches(&pod.labels))
                .collect(),
            _ => Arc::from([]),
        };
        known.push(Selected {
            labels: pod.labels.clone(),
            namespace: pod.namespace.clone(),
            host_network: pod.host_network,
            ids: ids.clone(),
        });
        ids
    }

    /// Which of the policies' ipBlock peers (E.4.5) hold `ip`, one bit
    /// each: addresses with the same signature match the same peers, so
    /// `reach` evaluates one pod of each class of pods that agree on it.
    pub fn ip_signature(&self, ip: Option<IpAddr>) -> Vec<u64> {
        let mut bits = Vec::new();
        for (i, (cidr, except)) in self.blocks.iter().enumerate() {
            if i % 64 == 0 {
                bits.push(0u64);
            }
            if ip.is_some_and(|ip| cidr.contains(ip) && !except.iter().any(|e| e.contains(ip)))
                && let Some(word) = bits.last_mut()
            {
                *word |= 1 << (i % 64);
            }
        }
        bits
    }

    /// The label keys any policy's pod selectors read (the policies' own
    /// and their peers'): pods that differ only in other labels are
    /// selected and matched alike.
    pub fn label_keys(&self) -> std::collections::HashSet<String> {
        let mut keys = std::collections::HashSet::new();
        for p in &self.list {
            let peers = p
                .ingress
                .iter()
                .chain(p.egress.iter())
                .flatten()
                .flat_map(|r| r.peers.iter())
                .filter_map(|peer| match peer {
                    Peer::Selectors { pods, .. } => pods.as_ref(),
                    Peer::Block { .. } => None,
                });
            for selector in std::iter::once(&p.selector).chain(peers) {
                keys.extend(selector.requirements().iter().map(|r| r.key.clone()));
            }
        }
        keys
    }

    /// `ns/name` of the valid policies that select `pod`, for ingress and
    /// for egress (E.3.1–E.3.3): those that isolate it in that direction.
    pub fn selecting_names(&self, pod: &PodView) -> (Vec<String>, Vec<String>) {
        let names = |direction| {
            self.selecting(pod, direction)
                .map(|(p, _)| format!("{}/{}", p.namespace, p.name))
                .collect()
        };
        (names(Direction::Ingress), names(Direction::Egress))
    }

    /// Whether any valid policy isolates `pod` for ingress.
    pub fn isolates_ingress(&self, pod: &PodView) -> bool {
        self.selecting(pod, Direction::Ingress).next().is_some()
    }

    /// Whether any valid policy isolates `pod` for egress.
    pub fn isolates_egress(&self, pod: &PodView) -> bool {
        self.selecting(pod, Direction::Egress).next().is_some()
    }

    fn peer_matches(&self, policy: &Compiled, peer: &Peer, party: Party<'_>) -> bool {
        match peer {
            Peer::Selectors { pods, namespaces } => {
                // Selector peers match pods only (E.4.3).
                let Party::Pod(p) = party else {
                    return false;
                };
                let ns_ok = match namespaces {
                    Some(sel) => sel.matches(&self.namespace_labels(&p.namespace)),
                    None => *p.namespace == *policy.namespace,
                };
                ns_ok && pods.as_ref().is_none_or(|sel| sel.matches(&p.labels))
            }
            Peer::Block { cidr, except } => party
                .ip()
                .is_some_and(|ip| cidr.contains(ip) && !except.iter().any(|e| e.contains(ip))),
        }
    }

    /// E.4.6: protocol, then no port, a number or range, or a name the
    /// destination pod declares for this protocol and port.
    fn port_matches(
        port: &PortRule,
        c: &Connection<'_>,
        dport: i64,
        dest: Option<&PodView>,
    ) -> bool {
        if port.protocol != c.protocol {
            return false;
        }
        match &port.port {
            None => true,
            Some(IntOrString::Int(n)) => match port.end_port {
                Some(end) => (*n..=end).contains(&dport),
                None => *n == dport,
            },
            Some(IntOrString::Str(name)) => dest.is_some_and(|d| {
                d.ports
                    .iter()
                    .any(|(pn, proto, cp)| pn == name && *proto == c.protocol && *cp == dport)
            }),
        }
    }

    fn rule_matches(
        &self,
        policy: &Compiled,
        rule: &Rule,
        c: &Connection<'_>,
        (peer, dport, dest): (Party<'_>, i64, Option<&PodView>),
    ) -> bool {
        (rule.ports.is_empty()
            || rule
                .ports
                .iter()
                .any(|p| Self::port_matches(p, c, dport, dest)))
            && (rule.peers.is_empty()
                || rule
                    .peers
                    .iter()
                    .any(|p| self.peer_matches(policy, p, peer)))
    }

    /// One direction at `pod`: `None` when no policy isolates it, else the
    /// policies with a matching rule (empty: denied) and the isolating ones.
    fn direction(
        &self,
        pod: &PodView,
        direction: Direction,
        c: &Connection<'_>,
        matched: (Party<'_>, i64, Option<&PodView>),
    ) -> Option<Side<'_>> {
        let mut side = Side::default();
        for (p, rules) in self.selecting(pod, direction) {
            side.isolating.push(p);
            if rules.iter().any(|r| self.rule_matches(p, r, c, matched)) {
                side.allowing.push(p);
            }
        }
        (!side.isolating.is_empty()).then_some(side)
    }

    /// E.6.2 for one destination, with a sentence per direction.
    pub fn decide(&self, c: &Connection<'_>) -> Decision {
        self.decide_with(c, true)
    }

    /// [`Policies::decide`] without the sentences (`reach` asks millions).
    pub fn verdict(&self, c: &Connection<'_>) -> Decision {
        self.decide_with(c, false)
    }

    fn decide_with(&self, c: &Connection<'_>, notes: bool) -> Decision {
        let mut d = Decision {
            verdict: Verdict::Allowed,
            policies: Vec::new(),
            egress_note: None,
            ingress_note: None,
        };
        if c.to_self {
            d.egress_note = notes.then(|| "the packet is addressed to the pod's own IP: it never leaves the pod, no policy applies (E.5.8)".into());
            return d;
        }
        let (egress, egress_note) = self.egress_side(c, notes);
        let (ingress, ingress_note) = self.ingress_side(c, notes);
        d.egress_note = egress_note;
        d.ingress_note = ingress_note;
        combine(&mut d, egress.as_ref(), ingress.as_ref());
        d
    }

    /// E.6.2 step 2: egress at a sending pod; `None` when it is not
    /// isolated.
    fn egress_side(&self, c: &Connection<'_>, notes: bool) -> (Option<Side<'_>>, Option<String>) {
        let Some(s) = c.source_pod else {
            return (None, None);
        };
        let dest = match c.egress_peer {
            Party::Pod(p) => Some(p),
            Party::Ip(_) => None,
        };
        let Some(side) = self.direction(
            s,
            Direction::Egress,
            c,
            (c.egress_peer, c.egress_port, dest),
        ) else {
            return (
                None,
                notes.then(|| {
                    format!(
                        "no NetworkPolicy isolates pod {} for egress: allowed",
                        s.key
                    )
                }),
            );
        };
        if !notes {
            return (Some(side), None);
        }
        let what = describe(c.egress_peer, c.egress_port, c.protocol);
        let note = if side.allowing.is_empty() {
            format!(
                "pod {} is isolated for egress by {}; no egress rule admits {what}: denied",
                s.key,
                names(&side.isolating)
            )
        } else {
            format!("egress to {what} is admitted by {}", names(&side.allowing))
        };
        (Some(side), Some(note))
    }

    /// E.6.2 step 3: ingress at a receiving pod; `None` when it is not
    /// isolated or the packet comes from its own node (E.5.6).
    fn ingress_side(&self, c: &Connection<'_>, notes: bool) -> (Option<Side<'_>>, Option<String>) {
        let Some(q) = c.dest_pod else {
            return (None, None);
        };
        if c.from_local_node && self.selecting(q, Direction::Ingress).next().is_some() {
            return (
                None,
                notes.then(|| format!(
                    "pod {} is isolated for ingress, but the packet comes from its own node, which is always admitted (E.5.6)",
                    q.key
                )),
            );
        }
        let Some(side) =
            self.direction(q, Direction::Ingress, c, (c.ingress_peer, c.port, Some(q)))
        else {
            return (
                None,
                notes.then(|| {
                    format!(
                        "no NetworkPolicy isolates pod {} for ingress: allowed",
                        q.key
                    )
                }),
            );
        };
        if !notes {
            return (Some(side), None);
        }
        let (from, port) = (
            describe_source(c.ingress_peer),
            format!("{}/{}", c.port, c.protocol),
        );
        let note = if side.allowing.is_empty() {
            format!(
                "pod {} is isolated for ingress by {}; no ingress rule admits {from} to port {port}: denied",
                q.key,
                names(&side.isolating)
            )
        } else {
            format!(
                "ingress from {from} to port {port} is admitted by {}",
                names(&side.allowing)
            )
        };
        (Some(side), Some(note))
    }
}

/// The policies isolating a pod in one direction, and those among them
/// with a rule that admits the packet (none: denied).
#[derive(Default)]
struct Side<'p> {
    allowing: Vec<&'p Compiled>,
    isolating: Vec<&'p Compiled>,
}

fn names(ps: &[&Compiled]) -> String {
    ps.iter()
        .map(|p| format!("{}/{}", p.namespace, p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn refs(ps: &[&Compiled], direction: Direction, effect: &'static str) -> Vec<PolicyRef> {
    ps.iter()
        .map(|p| PolicyRef {
            namespace: p.namespace.clone(),
            name: p.name.clone(),
            direction: direction.as_str().into(),
            effect: effect.into(),
        })
        .collect()
}

/// E.6.2 steps 4 and 5: the verdict and the policies that decided it.
fn combine(d: &mut Decision, egress: Option<&Side<'_>>, ingress: Option<&Side<'_>>) {
    let denied = |s: Option<&Side<'_>>| s.is_some_and(|s| s.allowing.is_empty());
    if denied(egress) {
        d.verdict = Verdict::DeniedEgress;
        d.policies.extend(
            egress
                .map(|s| refs(&s.isolating, Direction::Egress, "isolate"))
                .unwrap_or_default(),
        );
        if denied(ingress) {
            d.policies.extend(
                ingress
                    .map(|s| refs(&s.isolating, Direction::Ingress, "isolate"))
                    .unwrap_or_default(),
            );
        }
    } else if denied(ingress) {
        d.verdict = Verdict::DeniedIngress;
        d.policies.extend(
            ingress
                .map(|s| refs(&s.isolating, Direction::Ingress, "isolate"))
                .unwrap_or_default(),
        );
    } else {
        d.policies.extend(
            egress
                .map(|s| refs(&s.allowing, Direction::Egress, "allow"))
                .unwrap_or_default(),
        );
        d.policies.extend(
            ingress
                .map(|s| refs(&s.allowing, Direction::Ingress, "allow"))
                .unwrap_or_default(),
        );
    }
}

fn describe(peer: Party<'_>, port: i64, protocol: Protocol) -> String {
    match peer {
        Party::Pod(p) => format!(
            "pod {} ({}) port {port}/{protocol}",
            p.key,
            p.ip.map_or_else(|| "?".to_owned(), |ip| ip.to_string())
        ),
        Party::Ip(ip) => format!(
            "{}:{port}/{protocol}",
            ip.map_or_else(|| "?".to_owned(), |ip| ip.to_string())
        ),
    }
}

fn describe_source(peer: Party<'_>) -> String {
    match peer {
        Party::Pod(p) => format!("pod {}", p.key),
        Party::Ip(ip) => format!(
            "address {}",
            ip.map_or_else(|| "?".to_owned(), |ip| ip.to_string())
        ),
    }
}

/// Every namespace's labels: the Namespace objects' (with the automatic
/// name label, E.2.5), and the name label alone for namespaces that pods
/// use but the input does not declare (E.4.4).
pub fn namespaces(
    objects: &[Object],
    pods: &[ClusterPod],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for o in objects {
        if matches!(o.body, Body::Namespace) {
            let mut labels = (*o.meta.labels.map).clone();
            labels.insert(NAMESPACE_NAME_LABEL.to_owned(), o.name().to_owned());
            out.insert(o.name().to_owned(), labels);
        }
    }
    let used: std::collections::BTreeSet<&str> = pods.iter().map(|p| &*p.namespace).collect();
    for ns in used {
        out.entry(ns.to_owned())
            .or_insert_with(|| [(NAMESPACE_NAME_LABEL.to_owned(), ns.to_owned())].into());
    }
    out
}

/// How policies see a snapshot pod of `objects`.
pub fn view_of(objects: &[Object], pod: &ClusterPod) -> PodView {
    let spec = objects.get(pod.object).and_then(Object::pod_spec);
    PodView {
        key: pod.key(),
        namespace: pod.namespace.to_string(),
        labels: pod.labels.clone(),
        ip: pod.ips.first().and_then(|ip| parse_ip(ip)),
        node: pod.node.as_deref().map(str::to_owned),
        host_network: spec.is_some_and(|s| s.host_network),
        // Only `spec.containers[*].ports` count (E.4.6).
        ports: spec
            .map(|s| {
                s.containers
                    .iter()
                    .flat_map(|c| c.ports.iter())
                    .filter_map(|p| {
                        Some((
                            p.name.as_ref()?.value.clone(),
                            Protocol::or_default(p.protocol()),
                            p.container_port.as_ref()?.value,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The cluster DNS endpoints a pod's lookup goes to (E.5.10): the ready
/// UDP 53 endpoints of `kube-system/kube-dns`, or, when the input has
/// none, kubeadm's CoreDNS (`manifests.go`): two pods labelled `k8s-app:
/// kube-dns` in `kube-system`, ports `dns` 53/UDP, `dns-tcp` 53/TCP,
/// `metrics` 9153/TCP, addresses from the end of the pod network. The
/// flag says whether they were synthesized.
pub fn dns_endpoints(
    objects: &[Object],
    cluster: &crate::snapshot::Cluster,
    profile: &crate::profile::Resolved,
) -> (Vec<(PodView, i64)>, bool) {
    if let Some(svc) = cluster
        .services
        .iter()
        .find(|s| s.namespace == "kube-system" && s.name == "kube-dns")
        && let Some(port) = svc
            .ports
            .iter()
            .find(|p| p.port == 53 && p.protocol == Protocol::Udp)
    {
        let eps: Vec<(PodView, i64)> = svc
            .endpoints
            .iter()
            .filter(|e| {
                e.ready
                    && e.port_name.as_deref().unwrap_or("") == port.name
                    && e.protocol.is_none_or(|p| p == Protocol::Udp)
            })
            .filter_map(|e| {
                let target = e.port?;
                let pod = e
                    .pod
                    .as_deref()
                    .and_then(|k| cluster.pods.iter().find(|p| p.key() == k));
                let mut v = pod.map_or_else(
                    || PodView {
                        key: e.ip.clone(),
                        namespace: "kube-system".into(),
                        labels: Arc::default(),
                        ip: None,
                        node: e.node.as_deref().map(str::to_owned),
                        host_network: false,
                        ports: Vec::new(),
                    },
                    |p| view_of(objects, p),
                );
                v.ip = parse_ip(&e.ip).or(v.ip);
                Some((v, target))
            })
            .collect();
        if !eps.is_empty() {
            return (eps, false);
        }
    }
    let labels: Arc<BTreeMap<String, String>> =
        Arc::new([("k8s-app".to_owned(), "kube-dns".to_owned())].into());
    let cidr = profile.pod_cidrs.first();
    let synthesized = (0..2u128)
        .map(|i| {
            (
                PodView {
                    key: format!("kube-system/coredns-{i}"),
                    namespace: "kube-system".into(),
                    labels: labels.clone(),
                    ip: cidr.map(|c| c.nth(c.size().saturating_sub(2 + i))),
                    node: cluster.nodes.get(i as usize).map(|n| n.name.clone()),
                    host_network: false,
                    ports: vec![
                        ("dns".into(), Protocol::Udp, 53),
                        ("dns-tcp".into(), Protocol::Tcp, 53),
                        ("metrics".into(), Protocol::Tcp, 9153),
                    ],
                },
                53,
            )
        })
        .collect();
    (synthesized, true)
}

impl Policies {
    /// E.8.6: whether `pod`'s egress admits a lookup over `protocol` to at
    /// least one of `endpoints` (port 53).
    pub fn egress_admits_dns(
        &self,
        pod: &PodView,
        endpoints: &[(PodView, i64)],
        protocol: Protocol,
    ) -> bool {
        endpoints.iter().any(|(q, port)| {
            let c = Connection {
                source_pod: Some(pod),
                egress_peer: Party::Pod(q),
                egress_port: *port,
                dest_pod: None,
                ingress_peer: Party::Pod(pod),
                port: *port,
                protocol,
                to_self: false,
                from_local_node: false,
            };
            self.decide(&c).verdict == Verdict::Allowed
        })
    }

    /// The valid policies that isolate pods for egress: `(namespace, name)`
    /// and whether `pod` is selected by it.
    pub fn egress_isolating(&self, pod: &PodView) -> Vec<(&str, &str)> {
        self.selecting(pod, Direction::Egress)
            .map(|(p, _)| (&*p.namespace, &*p.name))
            .collect()
    }
}
