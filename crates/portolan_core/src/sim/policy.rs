//! The last phase of a trace: NetworkPolicy on every destination kube-proxy
//! chose (spec E.6, interfaces.md §6.1), and on the DNS lookup that came
//! before the connection (E.5.10, E.6.5).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::{Client, Destination, DnsLookup, Hop, Trace, TraceVerdict};
use crate::analysis::Analysis;
use crate::names::parse_ip;
use crate::netpol::{Connection, Decision, Party, PodView, Policies, Verdict, view_of};
use crate::types::Protocol;

/// What the kube-proxy phases leave for policy.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// The address the packet was sent to (after DNS).
    pub address: Option<String>,
    /// The node whose address a masqueraded source takes.
    pub snat_node: Option<String>,
    /// Only the destination that is the source pod itself is masqueraded.
    pub hairpin_only: bool,
    /// A node port on another node: egress sees that node's address and
    /// the node port (E.5.2).
    pub egress_via: Option<(String, i64)>,
}

/// The sender as policy sees it.
struct Sender {
    /// The (non-host-network) pod whose egress policies apply.
    pod: Option<PodView>,
    /// The address ingress rules see when nothing masquerades it.
    ip: Option<IpAddr>,
    /// The node the sender runs on, when it is a node or a host-network
    /// pod (for the local-node exemption, E.5.6).
    node_itself: Option<String>,
}

fn sender(a: &Analysis, c: &Client) -> Sender {
    let pod = c
        .pod_key
        .as_ref()
        .and_then(|k| a.cluster.pods.iter().find(|p| &p.key() == k))
        .map(|p| view_of(&a.objects, p));
    match pod {
        // A host-network pod acts as its node (E.5.7).
        Some(p) if p.host_network => Sender {
            ip: p
                .node
                .as_deref()
                .and_then(|n| a.cluster.node_ip(n))
                .or(p.ip),
            node_itself: p.node.clone(),
            pod: None,
        },
        Some(p) => Sender {
            ip: p.ip,
            node_itself: None,
            pod: Some(p),
        },
        None => Sender {
            ip: parse_ip(&c.ip),
            // `--from node:N` (an external client has no node).
            node_itself: if !c.is_pod && c.in_cluster {
                c.node.clone()
            } else {
                None
            },
            pod: None,
        },
    }
}

/// The pod behind a destination, as policy sees it.
fn destination_view(a: &Analysis, d: &Destination) -> Option<PodView> {
    let key = d.pod.as_ref()?;
    let pod = a.cluster.pods.iter().find(|p| &p.key() == key)?;
    let mut v = view_of(&a.objects, pod);
    // The endpoint address the packet goes to.
    v.ip = parse_ip(&d.ip).or(v.ip);
    Some(v)
}

/// Apply policy to every destination of `trace`, add the hops, the
/// delivered share and (for a name) the DNS lookup's own verdict.
pub(super) fn apply(
    a: &Analysis,
    policies: &Policies,
    client: &Client,
    seen: &Seen,
    (by_name, protocol): (bool, Protocol),
    trace: &mut Trace,
) {
    let from = sender(a, client);
    let mut hops = Vec::new();
    // E.6.4: one policy-egress hop, whatever the number of destinations.
    let mut egress_notes: Vec<String> = Vec::new();
    if !policies.ignored.is_empty() {
        egress_notes.push(format!(
            "ignored: {} (the API server rejects {}; see `portolan check`)",
            policies.ignored.join(", "),
            if policies.ignored.len() == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }
    let dns = if by_name {
        lookup(a, policies, &from, &mut hops)
    } else {
        None
    };
    let mut ingress_notes: BTreeMap<String, String> = BTreeMap::new();
    let snat_ip = seen.snat_node.as_deref().and_then(|n| a.cluster.node_ip(n));
    for dest_entry in &mut trace.destinations {
        let dest = destination_view(a, dest_entry);
        let (conn, masqueraded) = connection(
            &from,
            seen,
            trace.masquerade,
            snat_ip,
            (dest_entry, dest.as_ref()),
            protocol,
        );
        let decision = policies.decide(&conn);
        if let Some(note) = &decision.egress_note
            && !egress_notes.contains(note)
        {
            egress_notes.push(note.clone());
        }
        if let (Some(q), Some(note)) = (&dest, &decision.ingress_note) {
            let mut note = note.clone();
            if masqueraded && seen.snat_node.is_some() && seen.snat_node == q.node {
                note.push_str(&format!(
                    " (the packet was masqueraded on the destination's own node {}: netfilter-based plugins filter before that SNAT and see the original source {}, E.5.5)",
                    q.node.as_deref().unwrap_or("?"),
                    from.pod.as_ref().map_or_else(|| from.ip.map_or_else(|| "?".to_owned(), |ip| ip.to_string()), |p| format!("pod {}", p.key))
                ));
            }
            ingress_notes.entry(q.key.clone()).or_insert(note);
        }
        record(dest_entry, decision);
    }
    if !egress_notes.is_empty() {
        hops.push(hop("policy-egress", egress_notes.join("; ")));
    }
    hops.extend(
        ingress_notes
            .into_values()
            .map(|n| hop("policy-ingress", n)),
    );
    conclude(trace, dns, hops);
}

/// E.6.3 and E.6.5: the delivered share (exactly, then as f64) and the
/// denied verdict, when no destination is allowed or the lookup is not.
fn conclude(trace: &mut Trace, dns: Option<DnsLookup>, mut hops: Vec<Hop>) {
    let allowed_policy = Some(Verdict::Allowed);
    let allowed: Vec<&Destination> = trace
        .destinations
        .iter()
        .filter(|d| d.policy == allowed_policy)
        .collect();
    let mut delivered = share(&allowed, trace.destinations.len());
    let dns_denied = dns
        .as_ref()
        .is_some_and(|l| !l.destinations.iter().any(|d| d.policy == allowed_policy));
    if dns_denied {
        delivered = 0.0;
        hops.push(hop(
            "verdict",
            "DENIED: no cluster DNS endpoint admits the lookup, so the name never resolves (E.6.5)",
        ));
        trace.verdict = TraceVerdict::Denied;
    } else if !trace.destinations.is_empty() && allowed.is_empty() {
        hops.push(hop(
            "verdict",
            "DENIED: NetworkPolicy drops the packet at every destination kube-proxy could choose",
        ));
        trace.verdict = TraceVerdict::Denied;
    }
    trace.delivered_probability = Some(delivered);
    trace.dns = dns;
    trace.hops.extend(hops);
}

/// The connection policy sees for one destination: egress after the
/// source node's DNAT (or the remote node's address and node port),
/// ingress from the source or the SNAT node's address; and whether it was
/// masqueraded (only the hairpin destination when a pod reaches itself).
fn connection<'v>(
    from: &'v Sender,
    seen: &Seen,
    masquerade: bool,
    snat_ip: Option<IpAddr>,
    (dest_entry, dest): (&Destination, Option<&'v PodView>),
    protocol: Protocol,
) -> (Connection<'v>, bool) {
    let is_self = matches!((dest, &from.pod), (Some(q), Some(p)) if q.key == p.key);
    let masqueraded = masquerade && (!seen.hairpin_only || is_self);
    let dest_ip = parse_ip(&dest_entry.ip);
    let (egress_peer, egress_port) = match (&seen.egress_via, dest) {
        (Some((ip, port)), _) => (Party::Ip(parse_ip(ip)), *port),
        (None, Some(q)) if !q.host_network => (Party::Pod(q), dest_entry.port),
        (None, _) => (Party::Ip(dest_ip), dest_entry.port),
    };
    let ingress_peer = if masqueraded {
        Party::Ip(snat_ip)
    } else {
        match &from.pod {
            Some(p) => Party::Pod(p),
            None => Party::Ip(from.ip),
        }
    };
    let conn = Connection {
        source_pod: from.pod.as_ref(),
        egress_peer,
        egress_port,
        dest_pod: dest.filter(|q| !q.host_network),
        ingress_peer,
        port: dest_entry.port,
        protocol,
        to_self: is_self && seen.address.as_deref() == Some(dest_entry.ip.as_str()),
        from_local_node: matches!((&from.node_itself, dest), (Some(n), Some(q)) if q.node.as_deref() == Some(n.as_str())),
    };
    (conn, masqueraded)
}

fn hop(step: &str, detail: impl Into<String>) -> Hop {
    Hop {
        step: step.to_owned(),
        detail: detail.into(),
    }
}

fn record(d: &mut Destination, decision: Decision) {
    d.policy = Some(decision.verdict);
    d.policies = Some(decision.policies);
}

/// The sum of the allowed destinations' probabilities, computed exactly
/// (each is 1/n of the same n) and then printed as f64 (E.6.3).
fn share(allowed: &[&Destination], total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let all_equal = allowed
        .iter()
        .all(|d| (d.probability - 1.0 / total as f64).abs() < 1e-12);
    if all_equal {
        allowed.len() as f64 / total as f64
    } else {
        allowed.iter().map(|d| d.probability).sum()
    }
}

/// E.6.5: the lookup (UDP 53) against every cluster DNS endpoint, when
/// policy applies to it (the sender is isolated for egress, or a DNS pod
/// for ingress). `None` when it does not, or when the sender is not a pod.
fn lookup(a: &Analysis, policies: &Policies, s: &Sender, hops: &mut Vec<Hop>) -> Option<DnsLookup> {
    let pod = s.pod.as_ref()?;
    let (endpoints, synthesized) = crate::netpol::dns_endpoints(&a.objects, &a.cluster, &a.profile);
    let applies = policies.isolates_egress(pod)
        || endpoints.iter().any(|(q, _)| policies.isolates_ingress(q));
    if !applies {
        return None;
    }
    let n = endpoints.len() as f64;
    let mut destinations = Vec::new();
    let mut allowed = 0;
    for (q, port) in &endpoints {
        let conn = Connection {
            source_pod: Some(pod),
            egress_peer: Party::Pod(q),
            egress_port: *port,
            dest_pod: Some(q),
            ingress_peer: Party::Pod(pod),
            port: *port,
            protocol: Protocol::Udp,
            to_self: false,
            from_local_node: false,
        };
        let decision = policies.decide(&conn);
        if decision.verdict == Verdict::Allowed {
            allowed += 1;
        }
        let mut d = Destination::new(
            Some(q.key.clone()),
            q.ip.map_or_else(String::new, |ip| ip.to_string()),
            *port,
            1.0 / n,
        );
        record(&mut d, decision);
        destinations.push(d);
    }
    hops.push(hop(
        "policy-egress",
        format!(
            "DNS lookup: UDP 53 from pod {} to {} cluster DNS endpoint(s){}: {} admitted{}",
            pod.key,
            endpoints.len(),
            if synthesized {
                " (kubeadm's CoreDNS, synthesized: the input holds no kube-system/kube-dns endpoints)"
            } else {
                ""
            },
            allowed,
            if allowed == 0 {
                " — the name cannot be resolved (E.5.10)"
            } else {
                ""
            }
        ),
    ));
    Some(DnsLookup {
        service: "kube-system/kube-dns".into(),
        protocol: "UDP",
        port: 53,
        destinations,
    })
}
