//! `netpol-egress-blocks-dns`: pods isolated for egress that no rule lets
//! reach cluster DNS on UDP 53 (spec E.5.10, E.8.6).

use std::collections::{BTreeMap, BTreeSet};

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::netpol::{PodView, Policies, dns_endpoints, view_of};
use crate::types::Protocol;

rule! {
    /// ## What it does
    /// Reports each NetworkPolicy that isolates pods for egress when no
    /// egress rule of the policies selecting those pods admits UDP port 53
    /// to a cluster DNS endpoint (`kube-system/kube-dns`, or kubeadm's
    /// CoreDNS pods `k8s-app: kube-dns` when the input has none), with the
    /// workloads affected; an info when UDP 53 is admitted but TCP 53 is
    /// not (spec E.8.6).
    ///
    /// ## Why it matters
    /// Pods resolve Service names through cluster DNS before they connect.
    /// A default-deny egress policy without a DNS rule breaks every
    /// connection by name, although the rules for the connections
    /// themselves look right — the classic NetworkPolicy outage.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-egress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    ///     ports: [{port: 5432}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-egress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    ///     ports: [{port: 5432}]
    ///   - to:
    ///     - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    ///       podSelector: {matchLabels: {k8s-app: kube-dns}}
    ///     ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Debugging DNS Resolution*; aws-network-policy-agent #230; spec E.5.10, E.8.6, E.9.10.
    pub const RULE {
        code: "netpol-egress-blocks-dns",
        name: "netpol-egress-blocks-dns",
        severity: Warning,
        origin: Lint,
        summary: "Pods isolated for egress cannot reach cluster DNS: every connection by name fails.",
    }
}

/// Workload names by the (namespace, name) of a NetworkPolicy.
type ByPolicy = BTreeMap<(String, String), BTreeSet<String>>;

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut policies = cx.network_policies().peekable();
    if policies.peek().is_none() {
        return;
    }
    let objects: BTreeMap<(&str, &str), &crate::model::Object> =
        policies.map(|(o, _)| ((o.namespace.as_str(), o.name()), o)).collect();
    let compiled = Policies::new(cx.objects, &cx.rejected, &cx.cluster.pods);
    let (endpoints, _) = dns_endpoints(cx.objects, cx.cluster, cx.profile);
    let (affected, udp_only) = without_dns(cx, &compiled, &endpoints);
    for ((ns, name), who) in udp_only {
        if affected.contains_key(&(ns.clone(), name.clone())) {
            continue;
        }
        let Some(o) = objects.get(&(ns.as_str(), name.as_str())) else {
            continue;
        };
        let crate::model::Body::NetworkPolicy(np) = &o.body else {
            continue;
        };
        let who: Vec<String> = who.into_iter().collect();
        let mut d = finding(
            (RULE.code, crate::diag::Severity::Info),
            o,
            np.spec_span,
            format!(
                "NetworkPolicy {ns}/{name} isolates {} for egress and admits UDP 53 to cluster DNS but not TCP 53: answers too large for UDP (many records, DNSSEC) fail",
                who.join(", ")
            ),
        );
        d.help = Some("admit TCP 53 beside UDP 53 in the DNS egress rule".to_owned());
        out.push(d);
    }
    for ((ns, name), who) in affected {
        let Some(o) = objects.get(&(ns.as_str(), name.as_str())) else {
            continue;
        };
        let Some(crate::model::Body::NetworkPolicy(np)) = Some(&o.body) else {
            continue;
        };
        let who: Vec<String> = who.into_iter().collect();
        let mut d = finding(
            (RULE.code, RULE.severity),
            o,
            np.spec_span,
            format!(
                "NetworkPolicy {ns}/{name} isolates {} for egress, and no egress rule admits UDP 53 to cluster DNS: their lookups fail",
                who.join(", ")
            ),
        );
        d.help = Some("add an egress rule to namespace kube-system, pods k8s-app: kube-dns, ports UDP 53 and TCP 53".to_owned());
        out.push(d);
    }
}

/// The workloads each isolating policy leaves without DNS on UDP 53, and
/// those it leaves with UDP 53 but not TCP 53, by policy.
fn without_dns(
    cx: &LintCx<'_>,
    compiled: &Policies,
    endpoints: &[(PodView, i64)],
) -> (ByPolicy, ByPolicy) {
    // Pods of one workload share namespace and labels, so they share the
    // verdict: one evaluation per distinct (namespace, label set).
    let mut seen = BTreeSet::new();
    let mut affected: ByPolicy = BTreeMap::new();
    // Isolated pods whose policies admit UDP 53 but not TCP 53 (E.8.6's info).
    let mut udp_only: ByPolicy = BTreeMap::new();
    for pod in &cx.cluster.pods {
        if !seen.insert((pod.namespace.clone(), pod.labels.clone())) {
            continue;
        }
        let v = view_of(cx.objects, pod);
        let isolating = compiled.egress_isolating(&v);
        if isolating.is_empty() {
            continue;
        }
        let target = if !compiled.egress_admits_dns(&v, endpoints, Protocol::Udp) {
            &mut affected
        } else if !compiled.egress_admits_dns(&v, endpoints, Protocol::Tcp) {
            &mut udp_only
        } else {
            continue;
        };
        let who = pod
            .owner
            .as_deref()
            .map_or_else(|| format!("Pod/{}", pod.name), str::to_owned);
        for (ns, name) in isolating {
            target
                .entry((ns.to_owned(), name.to_owned()))
                .or_default()
                .insert(who.clone());
        }
    }
    (affected, udp_only)
}
