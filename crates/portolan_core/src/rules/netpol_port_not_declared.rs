//! `netpol-port-not-declared`: a NetworkPolicy port that no pod on the
//! far end declares.

use super::{LabelSets, LintCx, finding};
use crate::codes::rule;
use crate::diag::{Diagnostic, Severity};
use crate::model::{IntOrString, Object, PolicyPort, PolicyRule};
use crate::netpol::view_of;
use crate::selector::Selector;
use crate::snapshot::ClusterPod;
use crate::types::Protocol;

rule! {
    /// ## What it does
    /// Checks each `ports` entry of a NetworkPolicy rule against the
    /// container ports (`spec.containers[*].ports`) of the pods it applies
    /// to: for ingress, the pods the policy selects; for egress, the pods
    /// the rule's peers select (a rule open to any destination, or with an
    /// ipBlock, is not judged). A named port that none of them declares
    /// with that protocol is a warning: the entry never matches. A numeric
    /// port that none declares is an info, since containerPort lists are
    /// informational and a pod may listen on any port; a Service port
    /// written instead of the targetPort is `netpol-port-is-service-port`'s.
    ///
    /// ## Why it matters
    /// A named port is resolved on each destination pod; where no pod has
    /// it, the rule admits nothing on that entry and the traffic it was
    /// meant for is dropped.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-http
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - ports: [{port: http}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: api:1.0
    ///     ports: [{name: web, containerPort: 8080}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-http
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - ports: [{port: web}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: api:1.0
    ///     ports: [{name: web, containerPort: 8080}]
    /// ```
    ///
    /// ## References
    /// Kubernetes API, `NetworkPolicyPort.port`; netpol-analyzer
    /// `WarnUnmatchedNamedPort`; spec E.4.6, E.8.4.
    pub const RULE {
        code: "netpol-port-not-declared",
        name: "netpol-port-not-declared",
        severity: Warning,
        origin: Lint,
        summary: "A NetworkPolicy port that no pod on the far end declares: a named one never matches.",
    }
}

/// Label sets tried per rule: pods of one set share their template.
const SETS: usize = 256;

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.network_policies().next().is_none() {
        return;
    }
    let sets = LabelSets::of_pods(&cx.cluster.pods);
    let namespaces = crate::netpol::namespaces(cx.objects, &cx.cluster.pods);
    let pods_of = |ns: &str, selector: &Selector| -> Vec<&ClusterPod> {
        sets.get(ns).map_or_else(Vec::new, |s| {
            s.matching(selector, false)
                .into_iter()
                .take(SETS)
                .filter_map(|id| s.pods[id].first().map(|&i| &cx.cluster.pods[i]))
                .collect()
        })
    };
    for (o, np) in cx.network_policies() {
        let selected = pods_of(
            &o.namespace,
            &np.pod_selector
                .as_ref()
                .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s))),
        );
        for rule in np.ingress.iter().flatten() {
            ports(cx, o, rule, "ingress", &selected, out);
        }
        for rule in np.egress.iter().flatten() {
            if rule.peers.is_empty() || rule.peers.iter().any(|p| p.ip_block.is_some()) {
                continue;
            }
            let mut far: Vec<&ClusterPod> = Vec::new();
            for peer in &rule.peers {
                let pod_selector = peer
                    .pod_selector
                    .as_ref()
                    .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
                match &peer.namespace_selector {
                    None => far.extend(pods_of(&o.namespace, &pod_selector)),
                    Some(ns) => {
                        let ns = Selector::from_label_selector(Some(ns));
                        for (name, labels) in &namespaces {
                            if ns.matches(labels) {
                                far.extend(pods_of(name, &pod_selector));
                            }
                        }
                    }
                }
            }
            ports(cx, o, rule, "egress", &far, out);
        }
    }
}

/// The findings on one rule's ports against the pods on its far end.
fn ports(
    cx: &LintCx<'_>,
    o: &Object,
    rule: &PolicyRule,
    direction: &str,
    pods: &[&ClusterPod],
    out: &mut Vec<Diagnostic>,
) {
    if pods.is_empty() {
        return;
    }
    let declared: Vec<(String, Protocol, i64)> = pods
        .iter()
        .filter_map(|p| {
            let v = view_of(cx.objects, p);
            (!v.host_network).then_some(v.ports)
        })
        .flatten()
        .collect();
    let whose = if direction == "ingress" {
        "the pods it selects"
    } else {
        "the pods its peers select"
    };
    for p in &rule.ports {
        let Some(port) = &p.port else { continue };
        let protocol = protocol(p);
        match &port.value {
            IntOrString::Str(name) => {
                if declared.iter().any(|(n, proto, _)| n == name && *proto == protocol) {
                    continue;
                }
                out.push(finding(
                    (RULE.code, RULE.severity),
                    o,
                    port.span,
                    format!(
                        "NetworkPolicy {}/{}: {direction} port {name:?} ({protocol}) is declared by none of {whose}: this entry never matches",
                        o.namespace,
                        o.name()
                    ),
                ));
            }
            IntOrString::Int(n) => {
                let end = p.end_port.as_ref().map_or(*n, |e| e.value);
                if declared.is_empty()
                    || declared
                        .iter()
                        .any(|(_, proto, c)| *proto == protocol && (*n..=end).contains(c))
                    || service_port(cx, pods, *n)
                {
                    continue;
                }
                out.push(finding(
                    (RULE.code, Severity::Info),
                    o,
                    port.span,
                    format!(
                        "NetworkPolicy {}/{}: {direction} port {n} ({protocol}) is declared by none of {whose} (they declare {}): check that they listen on it",
                        o.namespace,
                        o.name(),
                        list(&declared)
                    ),
                ));
            }
        }
    }
}

fn protocol(p: &PolicyPort) -> Protocol {
    p.protocol
        .as_ref()
        .map_or(Protocol::Tcp, |x| Protocol::or_default(&x.value))
}

/// `n` is a Service port of a Service selecting one of `pods` (that case
/// is `netpol-port-is-service-port`'s); the Services are looked up by
/// namespace and port number.
fn service_port(cx: &LintCx<'_>, pods: &[&ClusterPod], n: i64) -> bool {
    // Bounded: a port thousands of Services share costs the same per entry.
    cx.service_ports(n).iter().take(SETS).any(|&i| {
        let s = &cx.cluster.services[i];
        s.selector.as_ref().is_some_and(|sel| {
                !sel.is_empty()
                    && pods.iter().any(|pod| {
                        *pod.namespace == *s.namespace
                            && crate::selector::service_selects(sel, &pod.labels)
                    })
        })
    })
}

fn list(declared: &[(String, Protocol, i64)]) -> String {
    let mut ports: Vec<String> = declared
        .iter()
        .map(|(_, proto, p)| format!("{p}/{proto}"))
        .collect();
    ports.sort();
    ports.dedup();
    ports.truncate(8);
    ports.join(", ")
}
