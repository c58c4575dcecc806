//! Packet-forwarding simulation (spec D): where kube-proxy sends one packet
//! from a pod, a node or an external client to an IP or a DNS name, and why.

// A phase's Err is the finished trace, past clippy's size limit for an
// Err on every target.
#![expect(
    clippy::result_large_err,
    reason = "a phase's Err is the finished trace, moved once per simulation"
)]

mod http;
mod policy;

pub use http::{BackendShare, Redirect, RouteRef, is_url};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::dns::{self, Answer, QType};
use crate::names::{parse_cidr, parse_ip};
use crate::profile::ProxyMode;
use crate::snapshot::{ClusterNode, ClusterPort, ClusterService, Endpoint};
use crate::types::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};

/// Where the packet starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum From {
    Pod { namespace: String, name: String },
    Node(String),
    External(String),
}

impl From {
    /// `pod:NS/NAME`, `node:NAME` or `external:IP`.
    pub fn parse(s: &str) -> Result<Self, String> {
        if let Some(p) = s.strip_prefix("pod:") {
            let (ns, name) = p
                .split_once('/')
                .ok_or_else(|| format!("--from pod:NS/NAME, not '{s}'"))?;
            return Ok(From::Pod {
                namespace: ns.to_owned(),
                name: name.to_owned(),
            });
        }
        if let Some(n) = s.strip_prefix("node:") {
            return Ok(From::Node(n.to_owned()));
        }
        if let Some(ip) = s.strip_prefix("external:") {
            parse_ip(ip)
                .ok_or_else(|| format!("--from external:IP needs an IP address, not '{ip}'"))?;
            return Ok(From::External(ip.to_owned()));
        }
        Err(format!(
            "--from must be pod:NS/NAME, node:NAME or external:IP, not '{s}'"
        ))
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    pub from: From,
    /// `HOST:PORT`; HOST an IP or a DNS name.
    pub to: String,
    pub protocol: Protocol,
    pub at_node: Option<String>,
    pub proxy_mode: ProxyMode,
    /// HTTP method of a URL `to` (default GET).
    pub method: Option<String>,
    /// Request headers of a URL `to`.
    pub headers: Vec<(String, String)>,
    /// `gateway:NS/NAME` or `ingressclass:NAME` (interfaces.md §6.3).
    pub via: Option<String>,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Destination {
    pub pod: Option<String>,
    pub ip: String,
    pub port: i64,
    pub probability: f64,
    /// `allowed`, `denied-egress` or `denied-ingress`: present when the
    /// input holds a NetworkPolicy (interfaces.md §6.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(optional, type = "'allowed' | 'denied-egress' | 'denied-ingress'")
    )]
    pub policy: Option<crate::netpol::Verdict>,
    /// The policies that decided it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub policies: Option<Vec<crate::netpol::PolicyRef>>,
}

impl Destination {
    /// A destination before policy is applied.
    fn new(pod: Option<String>, ip: String, port: i64, probability: f64) -> Self {
        Destination {
            pod,
            ip,
            port,
            probability,
            policy: None,
            policies: None,
        }
    }
}

/// The cluster DNS lookup a pod makes before it can connect to a name, as
/// policy sees it (interfaces.md §6.1, spec E.6.5).
#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DnsLookup {
    /// `kube-system/kube-dns`.
    pub service: String,
    #[cfg_attr(feature = "ts", ts(type = "'UDP'"))]
    pub protocol: &'static str,
    pub port: i64,
    pub destinations: Vec<Destination>,
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hop {
    pub step: String,
    pub detail: String,
}

/// How a trace ends (interfaces.md §3, §6.1, §6.3), spelled on the wire as
/// the contract spells it.
#[derive(Clone, Copy, Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TraceVerdict {
    /// Reached at least one destination.
    Delivered,
    /// Refused: nftables' reject of an undefined port, or no endpoint.
    Reject,
    /// Dropped without an answer.
    Drop,
    /// No kube-proxy rule matched: routed as ordinary traffic.
    NotIntercepted,
    /// An ExternalName Service answered with a CNAME.
    Cname,
    /// The name does not resolve.
    Nxdomain,
    /// Every destination is denied by NetworkPolicy, or the DNS lookup is.
    Denied,
    /// An HTTP request matched no route rule.
    NoRoute,
    /// Every backend of the matched rule is unresolved.
    BackendUnresolved,
    /// A RequestRedirect filter answered.
    Redirect,
}

impl TraceVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            TraceVerdict::Delivered => "delivered",
            TraceVerdict::Reject => "reject",
            TraceVerdict::Drop => "drop",
            TraceVerdict::NotIntercepted => "not-intercepted",
            TraceVerdict::Cname => "cname",
            TraceVerdict::Nxdomain => "nxdomain",
            TraceVerdict::Denied => "denied",
            TraceVerdict::NoRoute => "no-route",
            TraceVerdict::BackendUnresolved => "backend-unresolved",
            TraceVerdict::Redirect => "redirect",
        }
    }
}

impl std::fmt::Display for TraceVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests and hosts compare with the wire spelling.
impl PartialEq<&str> for TraceVerdict {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Trace {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    pub version: u32,
    /// delivered | reject | drop | not-intercepted | cname | nxdomain |
    /// denied (every destination is denied by NetworkPolicy, or the DNS
    /// lookup is) | no-route | backend-unresolved | redirect (an HTTP
    /// request, interfaces.md §6.3)
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "'delivered' | 'reject' | 'drop' | 'not-intercepted' | 'cname' | 'nxdomain' | 'denied' | 'no-route' | 'backend-unresolved' | 'redirect'"
        )
    )]
    pub verdict: TraceVerdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cname: Option<String>,
    pub destinations: Vec<Destination>,
    pub masquerade: bool,
    pub sticky: bool,
    pub hops: Vec<Hop>,
    /// The Service the packet was sent to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub service: Option<String>,
    /// The share of the packets that policy lets through (0..1): present
    /// when the input holds a NetworkPolicy.
    #[serde(
        rename = "deliveredProbability",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub delivered_probability: Option<f64>,
    /// The DNS lookup, when policy applies to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub dns: Option<DnsLookup>,
    /// The route rule an HTTP request matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub route: Option<RouteRef>,
    /// The matched rule's backends.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub backends: Option<Vec<BackendShare>>,
    /// A RequestRedirect filter's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub redirect: Option<Redirect>,
    /// The share of requests whose backend does not resolve.
    #[serde(
        rename = "unresolvedProbability",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub unresolved_probability: Option<f64>,
    /// Where an HTTP request entered, as `--via` names it
    /// (`gateway:NS/NAME` or `ingressclass:NAME`); absent when nothing
    /// listens for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub entry: Option<String>,
    /// The graph nodes of that entry point: the Gateway, or the Ingresses
    /// of the class's routing table (for drawing; not in the JSON).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub entry_nodes: Vec<String>,
}

struct Tracer<'a> {
    a: &'a Analysis,
    hops: Vec<Hop>,
    /// Where policy sees the packet (set by the kube-proxy phases).
    seen: policy::Seen,
}

impl Tracer<'_> {
    fn hop(&mut self, step: &str, detail: impl Into<String>) {
        self.hops.push(Hop {
            step: step.to_owned(),
            detail: detail.into(),
        });
    }

    fn done(
        &mut self,
        verdict: TraceVerdict,
        destinations: Vec<Destination>,
        masquerade: bool,
        sticky: bool,
        service: Option<String>,
    ) -> Trace {
        Trace {
            version: 1,
            verdict,
            cname: None,
            destinations,
            masquerade,
            sticky,
            hops: std::mem::take(&mut self.hops),
            service,
            delivered_probability: None,
            dns: None,
            route: None,
            backends: None,
            redirect: None,
            unresolved_probability: None,
            entry: None,
            entry_nodes: Vec::new(),
        }
    }
}

/// The client as kube-proxy sees it.
struct Client {
    ip: String,
    /// The node whose kube-proxy processes the packet first.
    node: Option<String>,
    in_cluster: bool,
    is_pod: bool,
    namespace: String,
    pod_key: Option<String>,
}

fn client(a: &Analysis, from: &From) -> Result<Client, String> {
    let cluster = &a.cluster;
    match from {
        From::Pod { namespace, name } => {
            let p = cluster
                .pods
                .iter()
                .find(|p| *p.namespace == **namespace && &p.name == name)
                .ok_or_else(|| format!("no pod {namespace}/{name} in the input (see `portolan graph` for pod names)"))?;
            Ok(Client {
                ip: p.ips.first().cloned().unwrap_or_default(),
                node: p.node.as_deref().map(str::to_owned),
                in_cluster: true,
                is_pod: true,
                namespace: namespace.clone(),
                pod_key: Some(p.key()),
            })
        }
        From::Node(n) => {
            let node = cluster.nodes.iter().find(|x| &x.name == n).ok_or_else(|| {
                format!(
                    "no node {n} (nodes: {})",
                    cluster
                        .nodes
                        .iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            Ok(Client {
                ip: node.ip.clone(),
                node: Some(n.clone()),
                in_cluster: true,
                is_pod: false,
                namespace: a.profile.profile.namespace.clone(),
                pod_key: None,
            })
        }
        From::External(ip) => Ok(Client {
            ip: ip.clone(),
            node: None,
            in_cluster: false,
            is_pod: false,
            namespace: a.profile.profile.namespace.clone(),
            pod_key: None,
        }),
    }
}

fn split_host_port(to: &str) -> Result<(String, i64), String> {
    let (host, port) = to
        .rsplit_once(':')
        .ok_or_else(|| format!("--to HOST:PORT, not '{to}'"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port: i64 = port
        .parse()
        .ok()
        .filter(|p| (1..=65535).contains(p))
        .ok_or_else(|| format!("--to: '{port}' is not a port number"))?;
    if host.is_empty() {
        return Err(format!("--to HOST:PORT, not '{to}'"));
    }
    Ok((host.to_owned(), port))
}

/// A phase's outcome: go on with `T`, or the packet's fate is decided.
/// (A decided trace is an ordinary outcome, built once per trace: it is
/// not boxed.)
type Phase<T> = Result<T, Trace>;

/// Simulate one packet, phase by phase in the order the cluster applies
/// them: the client's DNS lookup, kube-proxy's rule match (D.1.2), the
/// entry (firewall, node), the Service port's endpoints, the traffic
/// policy's scope, readiness, topology, DNAT, affinity and SNAT.
pub fn trace(a: &Analysis, req: &Request) -> Result<Trace, String> {
    if is_url(&req.to) {
        return http::trace(a, req);
    }
    let c = client(a, &req.from)?;
    let (host, port) = split_host_port(&req.to)?;
    if let Some(n) = &req.at_node
        && !a.cluster.nodes.iter().any(|x| &x.name == n)
    {
        return Err(format!("--at-node: no node {n}"));
    }
    let mut t = Tracer {
        a,
        hops: Vec::new(),
        seen: policy::Seen::default(),
    };
    let who = match &req.from {
        From::Pod { namespace, name } => format!(
            "pod {namespace}/{name} ({}) on node {}",
            c.ip,
            c.node.as_deref().unwrap_or("?")
        ),
        From::Node(n) => format!("node {n} ({})", c.ip),
        From::External(ip) => format!("external client {ip}"),
    };
    t.hop(
        "source",
        format!("{} packet from {who} to {host}:{port}", req.protocol),
    );
    let packet = Packet {
        client: &c,
        port,
        protocol: req.protocol,
        req,
    };
    let mut trace = resolve(&mut t, &c, &host, port)
        .and_then(|ip| {
            t.seen.address = Some(ip.clone());
            forward(&mut t, &packet, &ip)
        })
        .unwrap_or_else(|done| done);
    // NetworkPolicy on the packet kube-proxy delivered (spec E.6).
    if let Some(policies) = crate::netpol::Policies::of(&a.objects, &a.diagnostics, &a.cluster.pods)
    {
        let by_name = parse_ip(&host).is_none();
        policy::apply(
            a,
            &policies,
            &c,
            &t.seen,
            (by_name, req.protocol),
            &mut trace,
        );
    }
    Ok(trace)
}

/// The packet as kube-proxy matches it: who sends it, to which port, how.
struct Packet<'p> {
    client: &'p Client,
    port: i64,
    protocol: Protocol,
    req: &'p Request,
}

/// The destination address: `host` itself, or what cluster DNS answers the
/// client (pods with their search list; nodes and external clients as
/// written). A headless name or an ExternalName ends the trace here.
fn resolve(t: &mut Tracer<'_>, c: &Client, host: &str, port: i64) -> Phase<String> {
    if parse_ip(host).is_some() {
        return Ok(host.to_owned());
    }
    let a = t.a;
    let zone = &a.profile.profile.cluster_domain;
    let answer = if c.is_pod {
        dns::resolve(&a.cluster, zone, &c.namespace, host, QType::A)
    } else {
        t.hop("dns", "nodes and external clients do not use the cluster's search list; the name is asked of cluster DNS as written");
        let fq = if host.ends_with(zone.as_str()) {
            host.to_owned()
        } else {
            format!("{host}.{zone}")
        };
        dns::query(&a.cluster, zone, &fq, QType::A)
    };
    match answer.answers.first() {
        None => {
            t.hop("dns", format!("{} → {}", answer.name, answer.explanation));
            Err(t.done(TraceVerdict::Nxdomain, Vec::new(), false, false, None))
        }
        Some(Answer::Text(first)) if parse_ip(first).is_none() => {
            t.hop(
                "dns",
                format!("{} → CNAME {first}: {}", answer.name, answer.explanation),
            );
            t.hop("forwarding", "an ExternalName Service is only a DNS alias: kube-proxy does not intercept the connection, which goes wherever the external name resolves");
            let mut tr = t.done(TraceVerdict::Cname, Vec::new(), false, false, None);
            tr.cname = Some(first.clone());
            Err(tr)
        }
        Some(_) => {
            let ips: Vec<String> = answer
                .answers
                .iter()
                .filter_map(|x| match x {
                    Answer::Text(s) => Some(s.clone()),
                    Answer::Srv { .. } => None,
                })
                .collect();
            t.hop(
                "dns",
                format!(
                    "{} → A {} ({})",
                    answer.name,
                    ips.join(", "),
                    answer.explanation
                ),
            );
            if ips.len() > 1 || headless_name(a, &answer.name) {
                return Err(headless(t, &ips, port));
            }
            Ok(ips[0].clone())
        }
    }
}

/// Headless: the client picks one of the pod addresses itself, no NAT (F.13).
fn headless(t: &mut Tracer<'_>, ips: &[String], port: i64) -> Trace {
    let n = ips.len() as f64;
    let destinations = ips
        .iter()
        .map(|ip| Destination::new(pod_by_ip(t.a, ip), ip.clone(), port, 1.0 / n))
        .collect();
    t.hop("forwarding", format!("headless Service: no virtual IP, no translation; the client connects to a pod address directly on port {port} (the port it chose; targetPort is not applied)"));
    t.done(TraceVerdict::Delivered, destinations, false, false, None)
}

fn headless_name(a: &Analysis, fqdn: &str) -> bool {
    a.cluster
        .services
        .iter()
        .any(|s| s.headless && fqdn.starts_with(&format!("{}.{}.svc.", s.name, s.namespace)))
}

fn pod_by_ip(a: &Analysis, ip: &str) -> Option<String> {
    a.cluster
        .pods
        .iter()
        .find(|p| p.ips.iter().any(|x| x == ip))
        .map(crate::snapshot::ClusterPod::key)
}

enum Entry<'s> {
    ClusterIp(&'s ClusterService),
    LoadBalancer(&'s ClusterService, String),
    ExternalIp(&'s ClusterService),
    NodePort(&'s ClusterService, String),
}

/// Where a matched packet entered and what it is subject to.
struct Entered<'s> {
    svc: &'s ClusterService,
    /// Through a node port, load-balancer or external IP (D.4).
    external: bool,
    /// The node whose rules process it.
    node: Option<String>,
}

/// The packet path once the destination address is known (spec D).
fn forward(t: &mut Tracer<'_>, p: &Packet<'_>, ip: &str) -> Phase<Trace> {
    let entry = match_rule(t, p, ip)?;
    let entered = enter(t, p, ip, &entry)?;
    let svc = entered.svc;
    let svc_port = match &entry {
        Entry::NodePort(s, _) => s
            .ports
            .iter()
            .find(|sp| sp.node_port == Some(p.port) && sp.protocol == p.protocol),
        _ => svc
            .ports
            .iter()
            .find(|sp| sp.port == p.port && sp.protocol == p.protocol),
    };
    // The matched rule named this port; were it ever missing, the packet
    // would be unmatched.
    let Some(svc_port) = svc_port else {
        return Err(unmatched(t, p, ip));
    };
    let eps = port_endpoints(t, svc, svc_port)?;
    let (local_only, masquerade) = scope(t, p.client, &entered, &eps);
    note_for_policy(t, p, &entry, &entered, masquerade);
    let mut chosen = usable(t, svc, &eps, local_only.as_deref())?;
    // Topology (D.7), cluster-scoped endpoints only: kube-proxy reads the
    // hints the EndpointSlice controller published (`topologyModeFromHints`).
    if local_only.is_none() {
        let client_node = entered.node.as_deref().or(p.client.node.as_deref());
        if let Some(note) = &svc.topology_note {
            t.hop("topology", note.clone());
        }
        if let Some(node) = client_node {
            let zone =
                t.a.cluster
                    .nodes
                    .iter()
                    .find(|x| x.name == node)
                    .and_then(|n| n.zone.clone());
            topology_filter(t, &mut chosen, node, zone.as_deref());
        }
    }
    Ok(translate(t, p.client, svc, &chosen, masquerade))
}

/// What NetworkPolicy will see of this packet (spec E.5.2, E.5.3): the
/// node whose address a masqueraded source takes, whether only the hairpin
/// destination is masqueraded, and a node port on another node, which the
/// source's egress sees untranslated.
fn note_for_policy(
    t: &mut Tracer<'_>,
    p: &Packet<'_>,
    entry: &Entry<'_>,
    entered: &Entered<'_>,
    masquerade: bool,
) {
    let client = p.client;
    if masquerade {
        // A pod's packets are translated by its own node's kube-proxy.
        t.seen.snat_node = if client.is_pod {
            client.node.clone()
        } else {
            entered.node.clone()
        };
        // A pod is masqueraded on an internal path only when it reaches
        // itself (hairpin, D.3.4).
        t.seen.hairpin_only = client.is_pod && !entered.external;
    }
    if let Entry::NodePort(_, node) = entry
        && client.is_pod
        && client.node.as_deref() != Some(node.as_str())
        && let Some(n) = t.a.cluster.nodes.iter().find(|n| &n.name == node)
    {
        t.seen.egress_via = Some((n.ip.clone(), p.port));
    }
}

/// Which kube-proxy rule matches (D.1.2): a ClusterIP, a load-balancer or
/// external IP, a node port (or the health-check port), or none.
fn match_rule<'a>(t: &mut Tracer<'a>, p: &Packet<'_>, ip: &str) -> Phase<Entry<'a>> {
    let services = &t.a.cluster.services;
    if let Some(s) = services
        .iter()
        .filter(|s| programmed(s))
        .find(|s| s.cluster_ips.iter().any(|x| x == ip))
    {
        return cluster_ip_rule(t, p, ip, s);
    }
    for s in services.iter().filter(|s| programmed(s)) {
        if port_index(s, p).is_none() {
            continue;
        }
        if let Some(lb) = s.load_balancer_ips.iter().find(|l| l.ip == ip) {
            if lb.ip_mode == "Proxy" {
                t.hop("kube-proxy", format!("{ip} is a load-balancer address of Service {} with ipMode Proxy: kube-proxy does not capture it; the load balancer forwards to the nodes itself (D.1.2)", s.key()));
                return Err(t.done(
                    TraceVerdict::NotIntercepted,
                    Vec::new(),
                    false,
                    false,
                    Some(s.key()),
                ));
            }
            return Ok(Entry::LoadBalancer(s, ip.to_owned()));
        }
        if s.external_ips.iter().any(|e| e == ip) {
            return Ok(Entry::ExternalIp(s));
        }
    }
    let mode = p.req.proxy_mode;
    let node = t.a.cluster.nodes.iter().find(|n| {
        n.ip == ip
            || (mode == ProxyMode::Iptables
                && ip.starts_with("127.")
                && p.client.node.as_deref() == Some(n.name.as_str())
                && !p.client.is_pod)
    });
    match node {
        Some(node) => node_rule(t, p, ip, node),
        None => Err(unmatched(t, p, ip)),
    }
}

/// kube-proxy programs rules for Services with a virtual IP.
fn programmed(s: &ClusterService) -> bool {
    !s.headless && s.external_name.is_none()
}

fn port_index(s: &ClusterService, p: &Packet<'_>) -> Option<usize> {
    s.ports
        .iter()
        .position(|sp| sp.port == p.port && sp.protocol == p.protocol)
}

/// A ClusterIP: matched when the Service has the port (D.3.1); otherwise
/// rejected (nftables) or left alone (iptables), D.3.5.
fn cluster_ip_rule<'a>(
    t: &mut Tracer<'a>,
    p: &Packet<'_>,
    ip: &str,
    s: &'a ClusterService,
) -> Phase<Entry<'a>> {
    if port_index(s, p).is_some() {
        return Ok(Entry::ClusterIp(s));
    }
    let (port, protocol) = (p.port, p.protocol);
    t.hop(
        "kube-proxy",
        format!(
            "{ip} is the ClusterIP of Service {}, which has no {protocol} port {port}",
            s.key()
        ),
    );
    Err(match p.req.proxy_mode {
        ProxyMode::Nftables => {
            t.hop("verdict", "nftables mode rejects traffic to a ClusterIP on a port the Service does not define (D.3.5)");
            t.done(
                TraceVerdict::Reject,
                Vec::new(),
                false,
                false,
                Some(s.key()),
            )
        }
        ProxyMode::Iptables => {
            t.hop("verdict", "iptables mode leaves the packet unmatched: it is routed as ordinary traffic to an address nobody owns (D.3.5)");
            t.done(
                TraceVerdict::NotIntercepted,
                Vec::new(),
                false,
                false,
                Some(s.key()),
            )
        }
    })
}

/// A node's address: a node port (D.4.1), the health-check port of a
/// LoadBalancer with policy Local (D.4.8), or the node itself.
fn node_rule<'a>(
    t: &mut Tracer<'a>,
    p: &Packet<'_>,
    ip: &str,
    node: &'a ClusterNode,
) -> Phase<Entry<'a>> {
    let (port, protocol) = (p.port, p.protocol);
    let services = &t.a.cluster.services;
    if let Some(s) = services.iter().filter(|s| programmed(s)).find(|s| {
        s.ports
            .iter()
            .any(|sp| sp.node_port == Some(port) && sp.protocol == protocol)
    }) {
        return Ok(Entry::NodePort(s, node.name.clone()));
    }
    if let Some(s) = services.iter().filter(|s| programmed(s)).find(|s| {
        protocol == Protocol::Tcp
            && s.type_ == ServiceType::LoadBalancer
            && s.external_traffic_policy == Some(TrafficPolicy::Local)
            && s.health_check_node_port == Some(port)
    }) {
        return Err(health_check(t, s, node, port));
    }
    t.hop(
        "kube-proxy",
        format!(
            "{ip} is node {}; no Service has {protocol} nodePort {port}",
            node.name
        ),
    );
    // A host-network pod shares its node's address and ports.
    let listener = t.a.cluster.pods.iter().find(|pod| {
        pod.node.as_deref() == Some(node.name.as_str())
            && t.a
                .objects
                .get(pod.object)
                .and_then(crate::model::Object::pod_spec)
                .is_some_and(|spec| {
                    spec.host_network
                        && spec
                            .containers
                            .iter()
                            .flat_map(|c| c.ports.iter())
                            .any(|cp| {
                                cp.container_port.as_ref().is_some_and(|n| n.value == port)
                                    && Protocol::or_default(cp.protocol()) == protocol
                            })
                })
    });
    if let Some(pod) = listener {
        t.hop(
            "routing",
            format!(
                "host-network pod {} listens on {protocol} {port} on node {}: it receives the packet",
                pod.key(),
                node.name
            ),
        );
        return Err(t.done(
            TraceVerdict::Delivered,
            vec![Destination::new(Some(pod.key()), ip.to_owned(), port, 1.0)],
            false,
            false,
            None,
        ));
    }
    t.hop(
        "verdict",
        "the packet reaches the node itself: kube-proxy does not intercept it",
    );
    Err(t.done(TraceVerdict::NotIntercepted, Vec::new(), false, false, None))
}

/// No rule matches: a pod address is routed over the pod network; an
/// unallocated service address is dropped by nftables (D.3.5); anything
/// else is ordinary traffic.
fn unmatched(t: &mut Tracer<'_>, p: &Packet<'_>, ip: &str) -> Trace {
    let a = t.a;
    let (port, protocol) = (p.port, p.protocol);
    if let Some(pod) = a
        .cluster
        .pods
        .iter()
        .find(|x| x.ips.iter().any(|x| x == ip))
    {
        t.hop("routing", format!("{ip} is the address of pod {}: routed directly over the pod network, no kube-proxy rule applies", pod.key()));
        return t.done(
            TraceVerdict::Delivered,
            vec![Destination::new(Some(pod.key()), ip.to_owned(), port, 1.0)],
            false,
            false,
            None,
        );
    }
    let in_range = a
        .profile
        .service_cidrs
        .iter()
        .any(|cidr| parse_ip(ip).is_some_and(|x| cidr.contains(x)));
    if in_range && p.req.proxy_mode == ProxyMode::Nftables {
        t.hop(
            "kube-proxy",
            format!("{ip} is inside the service range but no Service holds it"),
        );
        t.hop(
            "verdict",
            "nftables mode drops traffic to unallocated service addresses (D.3.5)",
        );
        return t.done(TraceVerdict::Drop, Vec::new(), false, false, None);
    }
    t.hop("kube-proxy", format!("no kube-proxy rule matches {ip}:{port}/{protocol}: the packet is routed as ordinary traffic"));
    t.done(TraceVerdict::NotIntercepted, Vec::new(), false, false, None)
}

/// The matched rule as a hop; the node that processes the packet; the
/// load balancer's source ranges (D.4.6).
fn enter<'a>(
    t: &mut Tracer<'_>,
    p: &Packet<'_>,
    ip: &str,
    entry: &Entry<'a>,
) -> Phase<Entered<'a>> {
    let (port, protocol) = (p.port, p.protocol);
    let a = t.a;
    let arriving = || {
        p.req
            .at_node
            .clone()
            .or_else(|| p.client.node.clone())
            .or_else(|| a.cluster.nodes.first().map(|n| n.name.clone()))
    };
    Ok(match entry {
        Entry::ClusterIp(s) => {
            t.hop(
                "kube-proxy",
                format!(
                    "{ip}:{port}/{protocol} is the ClusterIP of Service {} (D.3.1)",
                    s.key()
                ),
            );
            Entered {
                svc: s,
                external: false,
                node: p.client.node.clone(),
            }
        }
        Entry::LoadBalancer(s, lb) => {
            let at = arriving();
            t.hop("kube-proxy", format!("{lb}:{port}/{protocol} is a load-balancer address of Service {}; the packet enters at node {} (D.4)", s.key(), at.as_deref().unwrap_or("?")));
            source_ranges(t, p.client, s)?;
            Entered {
                svc: s,
                external: true,
                node: at,
            }
        }
        Entry::ExternalIp(s) => {
            let at = arriving();
            t.hop("kube-proxy", format!("{ip}:{port}/{protocol} is an externalIP of Service {}; captured on node {} (D.4.7)", s.key(), at.as_deref().unwrap_or("?")));
            Entered {
                svc: s,
                external: true,
                node: at,
            }
        }
        Entry::NodePort(s, node) => {
            let service_port = s
                .ports
                .iter()
                .find(|sp| sp.node_port == Some(port))
                .map_or(0, |sp| sp.port);
            let rule = match p.req.proxy_mode {
                ProxyMode::Iptables => "iptables matches any local address of the node",
                ProxyMode::Nftables => "nftables matches the node's primary address",
            };
            t.hop("kube-proxy", format!("{ip}:{port}/{protocol} is nodePort {port} of Service {} on node {node} ({rule}, D.4.1), for service port {service_port}", s.key()));
            Entered {
                svc: s,
                external: true,
                node: Some(node.clone()),
            }
        }
    })
}

/// `loadBalancerSourceRanges` (D.4.6; pods are not exempt).
fn source_ranges(t: &mut Tracer<'_>, client: &Client, s: &ClusterService) -> Phase<()> {
    if s.source_ranges.is_empty() {
        return Ok(());
    }
    let src = parse_ip(&client.ip);
    let allowed = s
        .source_ranges
        .iter()
        .filter_map(|r| parse_cidr(r))
        .any(|r| src.is_some_and(|x| r.contains(x)));
    if !allowed {
        t.hop("firewall", format!("source {} is outside loadBalancerSourceRanges [{}]: dropped (D.4.6; pods are not exempt)", client.ip, s.source_ranges.join(", ")));
        return Err(t.done(TraceVerdict::Drop, Vec::new(), false, false, Some(s.key())));
    }
    t.hop(
        "firewall",
        format!("source {} is inside loadBalancerSourceRanges", client.ip),
    );
    Ok(())
}

/// The endpoints published for the Service port; none ready or serving is a
/// REJECT (D.3.3).
fn port_endpoints<'s>(
    t: &mut Tracer<'_>,
    svc: &'s ClusterService,
    svc_port: &ClusterPort,
) -> Phase<Vec<&'s Endpoint>> {
    let eps: Vec<&Endpoint> = svc
        .endpoints
        .iter()
        .filter(|e| {
            e.port.is_some()
                && e.port_name.as_deref().unwrap_or("") == svc_port.name
                && e.protocol.is_none_or(|p| p == svc_port.protocol)
        })
        .collect();
    if eps.iter().any(|e| e.ready || (e.serving && e.terminating)) {
        return Ok(eps);
    }
    let why = if eps.is_empty() {
        "it has no endpoints for this port".to_owned()
    } else {
        format!("none of its {} endpoints is ready or serving", eps.len())
    };
    t.hop(
        "endpoints",
        format!("Service {} port {}: {why}", svc.key(), svc_port.port),
    );
    t.hop(
        "verdict",
        "REJECT: kube-proxy answers with ICMP port-unreachable, the client fails at once (D.3.3)",
    );
    Err(t.done(
        TraceVerdict::Reject,
        Vec::new(),
        false,
        false,
        Some(svc.key()),
    ))
}

/// The traffic policy's scope (D.2, D.3.2, D.4): the node whose endpoints
/// alone may be used (if any), and whether the source is masqueraded.
fn scope(
    t: &mut Tracer<'_>,
    client: &Client,
    entered: &Entered<'_>,
    eps: &[&Endpoint],
) -> (Option<String>, bool) {
    let svc = entered.svc;
    if entered.external {
        let etp = svc.external_traffic_policy.unwrap_or_default();
        if etp == TrafficPolicy::Local && client.in_cluster {
            t.hop("policy", format!("externalTrafficPolicy Local, but the source is inside the cluster: short-circuited to all endpoints{} (D.4.4)", if client.is_pod { ", no SNAT" } else { ", with SNAT" }));
            (None, !client.is_pod)
        } else if etp == TrafficPolicy::Local {
            t.hop("policy", format!("externalTrafficPolicy Local: only endpoints on node {}, client address preserved (D.4.3)", entered.node.as_deref().unwrap_or("?")));
            (entered.node.clone(), false)
        } else {
            t.hop("policy", "externalTrafficPolicy Cluster: any endpoint; the source is masqueraded to the node's address (D.4.2)");
            (None, true)
        }
    } else if svc.internal_traffic_policy.unwrap_or_default() == TrafficPolicy::Local {
        t.hop(
            "policy",
            format!(
                "internalTrafficPolicy Local: only endpoints on the client's node {} (D.3.2)",
                client.node.as_deref().unwrap_or("?")
            ),
        );
        (
            client.node.clone().or_else(|| Some(String::new())),
            !client.is_pod,
        )
    } else {
        let masq = !client.is_pod
            || client
                .pod_key
                .as_ref()
                .is_some_and(|k| eps.iter().any(|e| e.pod.as_deref() == Some(k.as_str())));
        (None, masq)
    }
}

/// The endpoints in scope that may take the packet: the ready ones, else
/// the serving and terminating ones (D.2.1); none is a DROP (D.3.2, D.4.3).
fn usable<'e, 's>(
    t: &mut Tracer<'_>,
    svc: &ClusterService,
    eps: &'e [&'s Endpoint],
    local_only: Option<&str>,
) -> Phase<Vec<&'e &'s Endpoint>> {
    let scoped: Vec<&&Endpoint> = match local_only {
        Some(node) => eps
            .iter()
            .filter(|e| e.node.as_deref() == Some(node))
            .collect(),
        None => eps.iter().collect(),
    };
    let ready: Vec<&&Endpoint> = scoped.iter().copied().filter(|e| e.ready).collect();
    let chosen: Vec<&&Endpoint> = if ready.is_empty() {
        let fallback: Vec<&&Endpoint> = scoped
            .iter()
            .copied()
            .filter(|e| e.serving && e.terminating)
            .collect();
        if !fallback.is_empty() {
            t.hop("endpoints", format!("no ready endpoint in scope: falling back to {} serving, terminating endpoint(s) (D.2.1)", fallback.len()));
        }
        fallback
    } else {
        ready
    };
    if !chosen.is_empty() {
        return Ok(chosen);
    }
    t.hop(
        "endpoints",
        format!(
            "no usable endpoint on node {} although the Service has endpoints elsewhere",
            local_only.unwrap_or("?")
        ),
    );
    t.hop(
        "verdict",
        "DROP: the packet is discarded silently; the client sees a timeout (D.3.2, D.4.3)",
    );
    Err(t.done(
        TraceVerdict::Drop,
        Vec::new(),
        false,
        false,
        Some(svc.key()),
    ))
}

/// DNAT to one endpoint, each equally likely (D.2.4); session affinity
/// (D.5.1); SNAT.
fn translate(
    t: &mut Tracer<'_>,
    client: &Client,
    svc: &ClusterService,
    chosen: &[&&Endpoint],
    masquerade: bool,
) -> Trace {
    let n = chosen.len() as f64;
    let destinations: Vec<Destination> = chosen
        .iter()
        .map(|e| {
            Destination::new(
                e.pod.as_deref().map(str::to_owned),
                e.ip.clone(),
                e.port.unwrap_or(0),
                1.0 / n,
            )
        })
        .collect();
    let list: Vec<String> = destinations
        .iter()
        .map(|d| format!("{}:{}", d.ip, d.port))
        .collect();
    t.hop(
        "dnat",
        format!(
            "DNAT to one of {} endpoint(s), each with probability 1/{} (D.2.4): {}",
            destinations.len(),
            destinations.len(),
            list.join(", ")
        ),
    );
    let sticky = svc.session_affinity == SessionAffinity::ClientIP;
    if sticky {
        t.hop("affinity", format!("sessionAffinity ClientIP: later connections from {} go to the same endpoint for {} s (D.5.1)", client.ip, svc.affinity_timeout.unwrap_or(10800)));
    }
    t.hop(
        "snat",
        if masquerade {
            "the source address is masqueraded (SNAT) to the node's address"
        } else {
            "the source address is preserved (no SNAT)"
        },
    );
    t.done(
        TraceVerdict::Delivered,
        destinations,
        masquerade,
        sticky,
        Some(svc.key()),
    )
}

/// `topologyModeFromHints` + `availableForTopology` (`pkg/proxy/topology.go`):
/// node hints first, then zone hints, each only when every ready endpoint
/// carries one and at least one is for this node or zone.
fn topology_filter(
    t: &mut Tracer<'_>,
    chosen: &mut Vec<&&Endpoint>,
    node: &str,
    zone: Option<&str>,
) {
    let hinted = |f: fn(&crate::model::Hints) -> &Vec<String>| {
        chosen
            .iter()
            .all(|e| e.hints.as_ref().is_some_and(|h| !f(h).is_empty()))
    };
    let near = |f: fn(&crate::model::Hints) -> &Vec<String>, want: &str| -> Vec<&&Endpoint> {
        chosen
            .iter()
            .copied()
            .filter(|e| {
                e.hints
                    .as_ref()
                    .is_some_and(|h| f(h).iter().any(|x| x == want))
            })
            .collect()
    };
    if chosen.iter().all(|e| e.hints.is_none()) {
        return;
    }
    let for_nodes: fn(&crate::model::Hints) -> &Vec<String> = |h| &h.for_nodes;
    let for_zones: fn(&crate::model::Hints) -> &Vec<String> = |h| &h.for_zones;
    if hinted(for_nodes) {
        let mine = near(for_nodes, node);
        if !mine.is_empty() {
            t.hop("topology", format!("every endpoint has a node hint; kube-proxy on {node} uses the {} of {} hinted for {node} (D.7.2)", mine.len(), chosen.len()));
            *chosen = mine;
            return;
        }
        t.hop(
            "topology",
            format!("no endpoint is hinted for node {node}; node hints are ignored (D.7.2)"),
        );
    }
    if hinted(for_zones) {
        match zone {
            Some(z) => {
                let mine = near(for_zones, z);
                if mine.is_empty() {
                    t.hop("topology", format!("no endpoint is hinted for zone {z}: all endpoints are used (D.7.1)"));
                } else {
                    t.hop("topology", format!("every endpoint has a zone hint; kube-proxy on {node} uses the {} of {} hinted for its zone {z} (D.7.1)", mine.len(), chosen.len()));
                    *chosen = mine;
                }
            }
            None => t.hop("topology", format!("node {node} has no topology.kubernetes.io/zone label: zone hints are ignored, all endpoints are used (D.7.1)")),
        }
    } else {
        t.hop(
            "topology",
            "some endpoints carry no zone hint: all endpoints are used (D.7.1)",
        );
    }
}

/// D.4.8: `healthCheckNodePort` is answered by kube-proxy's health check
/// server on the node (`pkg/proxy/healthcheck`), not forwarded: HTTP 200 when
/// the node has a ready local endpoint (IPs counted once), else 503.
fn health_check(t: &mut Tracer<'_>, s: &ClusterService, node: &ClusterNode, port: i64) -> Trace {
    let mut local: Vec<&str> = s
        .endpoints
        .iter()
        .filter(|e| e.ready && e.node.as_deref() == Some(node.name.as_str()))
        .map(|e| e.ip.as_str())
        .collect();
    local.sort_unstable();
    local.dedup();
    t.hop(
        "kube-proxy",
        format!(
            "{}:{port}/TCP is the healthCheckNodePort of Service {} (LoadBalancer, externalTrafficPolicy Local): kube-proxy's health check server on node {} answers it itself; it is not forwarded (D.4.8)",
            node.ip,
            s.key(),
            node.name
        ),
    );
    if local.is_empty() {
        t.hop("health-check", format!("HTTP 503 {{\"localEndpoints\": 0}}: node {} has no ready endpoint of {}, so load balancers that probe this port stop sending it traffic", node.name, s.key()));
    } else {
        t.hop("health-check", format!("HTTP 200 {{\"localEndpoints\": {}}}: node {} has ready endpoint(s) of {} ({}), so load balancers keep sending it traffic", local.len(), node.name, s.key(), local.join(", ")));
    }
    let dest = Destination::new(None, node.ip.clone(), port, 1.0);
    t.done(
        TraceVerdict::Delivered,
        vec![dest],
        false,
        false,
        Some(s.key()),
    )
}
