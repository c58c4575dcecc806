//! `netpol-ipblock-cluster-range`: an ipBlock inside the service CIDR,
//! which policies never see (spec E.5.2, E.8.9).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::names::parse_cidr_legacy;

rule! {
    /// ## What it does
    /// Reports an `ipBlock` whose `cidr` lies inside the cluster's service
    /// CIDR (the profile's `serviceCIDR`): a ClusterIP, or a range of them.
    ///
    /// ## Why it matters
    /// Policies see packets after kube-proxy's DNAT: a connection to a
    /// ClusterIP reaches policy as a connection to one of the Service's pods
    /// (spec E.5.2). An ipBlock of ClusterIPs therefore never matches —
    /// allowing egress to the DNS Service's 10.96.0.10 admits nothing.
    /// Select the Service's pods instead.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{ipBlock: {cidr: 10.96.0.10/32}}]   # the kube-dns ClusterIP
    ///     ports: [{protocol: UDP, port: 53}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to:
    ///     - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    ///       podSelector: {matchLabels: {k8s-app: kube-dns}}
    ///     ports: [{protocol: UDP, port: 53}]
    /// ```
    ///
    /// ## References
    /// calico #5129; spec E.5.2, E.8.9.
    pub const RULE {
        code: "netpol-ipblock-cluster-range",
        name: "netpol-ipblock-cluster-range",
        severity: Warning,
        origin: Lint,
        summary: "A NetworkPolicy ipBlock names ClusterIPs, which policies never see after kube-proxy's DNAT.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        for rules in [&np.ingress, &np.egress] {
            for peer in rules.iter().flatten().flat_map(|r| r.peers.iter()) {
                let Some(cidr) = peer.ip_block.as_ref().and_then(|b| b.cidr.as_ref()) else {
                    continue;
                };
                let Some(net) = parse_cidr_legacy(&cidr.value) else {
                    continue;
                };
                let Some(range) = cx
                    .profile
                    .service_cidrs
                    .iter()
                    .find(|s| s.prefix <= net.prefix && s.contains(net.addr))
                else {
                    continue;
                };
                let mut d = finding(
                    (RULE.code, RULE.severity),
                    o,
                    cidr.span,
                    format!(
                        "NetworkPolicy {}/{}: ipBlock {} is inside the service CIDR {range}: policies see the Service's pods after DNAT, never a ClusterIP, so it matches nothing",
                        o.namespace,
                        o.name(),
                        cidr.value
                    ),
                );
                d.help = Some(format!("select the Service's pods (podSelector, with namespaceSelector for another namespace) instead of its ClusterIP; this depends on the cluster profile: the service CIDR is {range}; if your cluster differs, set `serviceCIDR` in the profile (--profile FILE, or `profile:` in .portolan.yaml)"));
                out.push(d);
            }
        }
    }
}
