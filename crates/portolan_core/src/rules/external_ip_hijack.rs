//! `external-ip-hijack`: a Service's `spec.externalIPs` entry or
//! `status.loadBalancer.ingress` IP that takes over an address someone else
//! already uses — CVE-2020-8554.
//!
//! kube-proxy captures packets to an external IP (or a load-balancer IP) and
//! port from pods, nodes and the outside alike, without asking whether the
//! address belongs to anyone else: the "Capture externalIPs" rules in
//! pkg/proxy/iptables/proxier.go, the shared `service-ips` map in
//! pkg/proxy/nftables/proxier.go. The API server checks nothing of the
//! kind (`ValidateNonSpecialIP` rejects only unspecified, loopback and
//! link-local addresses).

use std::collections::HashMap;
use std::net::IpAddr;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::names::parse_ip;
use crate::snapshot::ClusterService;
use crate::source::Span;

rule! {
    /// ## What it does
    /// Reports a `spec.externalIPs` entry, or a `status.loadBalancer.ingress[].ip` written in the input, that equals
    /// - another Service's ClusterIP, external IP or load-balancer IP on a port and protocol that Service also serves;
    /// - the address of a node;
    /// - an address inside the cluster profile's `serviceCIDR` or `podCIDR`.
    ///
    /// ## Why it matters
    /// kube-proxy intercepts every packet to an external IP and port, from pods, nodes and the outside alike, and sends it to the Service's endpoints. Anyone who can create a Service can so read and answer traffic meant for any address: another tenant's Service, a node's SSH or kubelet port, a pod (CVE-2020-8554). Setting `status.loadBalancer.ingress` by hand does the same.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: innocent
    /// spec:
    ///   selector:
    ///     app: mine
    ///   externalIPs: [10.96.0.10]   # kube-dns's ClusterIP, inside the service network
    ///   ports:
    ///   - port: 53
    ///     protocol: UDP
    /// ```
    ///
    /// ## Use instead
    /// A `type: LoadBalancer` Service whose address the cloud or MetalLB assigns, or an Ingress/Gateway. Clusters should enable the `DenyServiceExternalIPs` admission plugin or an externalIP policy (externalip-webhook, Gatekeeper) and keep `services/status` writes privileged.
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: innocent
    /// spec:
    ///   type: LoadBalancer          # the cloud or MetalLB assigns the address
    ///   selector:
    ///     app: mine
    ///   ports:
    ///   - port: 53
    ///     protocol: UDP
    /// ```
    ///
    /// ## References
    /// CVE-2020-8554 (kubernetes#97076); Kubernetes docs, *Service*, "External IPs" ("Kubernetes does not manage allocation of externalIPs"); *Admission controllers*, DenyServiceExternalIPs; pkg/proxy/iptables/proxier.go, pkg/proxy/nftables/proxier.go.
    pub const RULE {
        code: "external-ip-hijack",
        name: "external-ip-hijack",
        severity: Error,
        origin: Lint,
        summary: "An externalIP or load-balancer IP takes over an address of another Service, a node, or a pod.",
    }
}

/// Who uses an address, on which ports.
struct Use<'c> {
    service: usize,
    what: &'static str,
    svc: &'c ClusterService,
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    // Every address a Service answers on, by address.
    let mut users: HashMap<IpAddr, Vec<Use<'_>>> = HashMap::new();
    for (i, svc) in cx.cluster.services.iter().enumerate() {
        let addresses = svc
            .cluster_ips
            .iter()
            .map(|a| (a, "ClusterIP"))
            .chain(svc.external_ips.iter().map(|a| (a, "external IP")))
            .chain(
                svc.load_balancer_ips
                    .iter()
                    .filter(|l| !l.synthetic)
                    .map(|l| (&l.ip, "load-balancer IP")),
            );
        for (a, what) in addresses {
            if let Some(ip) = parse_ip(a) {
                users.entry(ip).or_default().push(Use {
                    service: i,
                    what,
                    svc,
                });
            }
        }
    }
    let nodes: HashMap<IpAddr, &str> = cx
        .cluster
        .nodes
        .iter()
        .filter_map(|n| Some((parse_ip(&n.ip)?, n.name.as_str())))
        .collect();
    for (i, svc) in cx.cluster.services.iter().enumerate() {
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        let mut claimed: Vec<(&str, &str, Span)> = model
            .external_ips
            .iter()
            .map(|e| (e.value.as_str(), "externalIP", e.span))
            .collect();
        claimed.extend(
            model
                .lb_ingress
                .iter()
                .filter_map(|l| l.ip.as_deref())
                .map(|ip| (ip, "load-balancer ingress IP", object.anchor_span())),
        );
        for (text, field, span) in claimed {
            let Some(ip) = parse_ip(text) else { continue };
            let Some(why) = taken(cx, &users, &nodes, i, svc, ip) else {
                continue;
            };
            let mut d = finding((RULE.code, RULE.severity), object, span, format!(
                    "Service {}/{} claims {field} {text}, {why}: kube-proxy would capture that traffic (CVE-2020-8554)",
                    svc.namespace, svc.name
                ));
            d.help = Some(
                "use an address of your own (a LoadBalancer Service, an Ingress or a Gateway); the cluster profile's serviceCIDR, podCIDR and nodes say which addresses are the cluster's"
                    .to_owned(),
            );
            out.push(d);
        }
    }
}

/// Why `ip`, claimed by Service `me`, is someone else's.
fn taken(
    cx: &LintCx<'_>,
    users: &HashMap<IpAddr, Vec<Use<'_>>>,
    nodes: &HashMap<IpAddr, &str>,
    me: usize,
    svc: &ClusterService,
    ip: IpAddr,
) -> Option<String> {
    let overlaps = |other: &ClusterService| {
        svc.ports.iter().any(|p| {
            other
                .ports
                .iter()
                .any(|q| q.port == p.port && q.protocol == p.protocol)
        })
    };
    if let Some(u) = users
        .get(&ip)
        .into_iter()
        .flatten()
        .find(|u| u.service != me && overlaps(u.svc))
    {
        return Some(format!(
            "the {} of Service {}/{} on the same port",
            u.what, u.svc.namespace, u.svc.name
        ));
    }
    if let Some(node) = nodes.get(&ip) {
        return Some(format!("the address of node {node}"));
    }
    let profile = cx.profile;
    if profile.service_cidrs.iter().any(|c| c.contains(ip)) {
        return Some(format!(
            "inside the service network {} (profile key serviceCIDR)",
            profile.profile.service_cidr
        ));
    }
    if profile.pod_cidrs.iter().any(|c| c.contains(ip)) {
        return Some(format!(
            "inside the pod network {} (profile key podCIDR)",
            profile.profile.pod_cidr
        ));
    }
    None
}
