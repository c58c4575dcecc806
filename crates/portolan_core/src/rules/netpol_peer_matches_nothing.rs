//! `netpol-peer-matches-nothing`: a NetworkPolicy peer whose selectors
//! match no pod (or no namespace) of the input, so it admits nothing.

use std::collections::{BTreeMap, HashMap};

use super::selector_matches_nothing::PodGroups;
use super::{LabelSets, LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::{LabelSelector, Object, PolicyPeer};
use crate::selector::{Op, Selector};
use crate::snapshot::ClusterPod;

rule! {
    /// ## What it does
    /// Evaluates each `from`/`to` peer of a NetworkPolicy that uses
    /// selectors: its namespaceSelector against the namespaces of the input
    /// (with the automatic `kubernetes.io/metadata.name` label), and its
    /// podSelector against the pods of those namespaces (the policy's own
    /// when there is no namespaceSelector), after workload expansion.
    /// Reports a peer that matches no namespace, or no pod, with the
    /// closest pod's labels as the near miss. Namespaces whose pods the
    /// input does not hold are not judged, nor is a peer for cluster DNS
    /// (`kube-system`, `k8s-app: kube-dns`), which every cluster runs; a
    /// namespaceSelector key that no Namespace carries is
    /// `netpol-namespace-label-unknown`'s.
    ///
    /// ## Why it matters
    /// Rules are allow-lists: a peer that selects nothing admits nothing,
    /// so the traffic the rule was written for is dropped — usually over a
    /// label typo or a label the pods do not carry.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-from-web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - from:
    ///     - podSelector:
    ///         matchLabels: {app: frontend}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers: [{name: api, image: api:1.0}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-from-web
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - from:
    ///     - podSelector:
    ///         matchLabels: {app: web}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers: [{name: api, image: api:1.0}]
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Network Policies* (behavior of to and from
    /// selectors); spec E.4.1–E.4.4, E.8.2.
    pub const RULE {
        code: "netpol-peer-matches-nothing",
        name: "netpol-peer-matches-nothing",
        severity: Warning,
        origin: Lint,
        summary: "A NetworkPolicy peer selects no pod or no namespace of the input: it admits nothing.",
    }
}

type Namespaces = BTreeMap<String, BTreeMap<String, String>>;

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.network_policies().next().is_none() {
        return;
    }
    let mut namespaces = crate::netpol::namespaces(cx.objects, &cx.cluster.pods);
    // Every cluster has these, whether the input declares them or not.
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        namespaces.entry(ns.to_owned()).or_insert_with(|| {
            [(crate::netpol::NAMESPACE_NAME_LABEL.to_owned(), ns.to_owned())].into()
        });
    }
    let sets = LabelSets::of_pods(&cx.cluster.pods);
    let groups = PodGroups::new(&cx.cluster.pods);
    let with_pods = cx.namespaces_with_pods();
    // Near misses by (namespace, wanted labels): policies often repeat a
    // peer, and each search reads up to a few hundred pod groups.
    let mut cache: NearMisses<'_> = HashMap::new();
    for (o, np) in cx.network_policies() {
        for (direction, rules) in [("ingress", &np.ingress), ("egress", &np.egress)] {
            for peer in rules.iter().flatten().flat_map(|r| &r.peers) {
                if peer.ip_block.is_some() {
                    continue;
                }
                let Some(matched) = peer_namespaces(o, peer, &namespaces) else {
                    if let Some(sel) = &peer.namespace_selector
                        && !unknown_key(sel, &namespaces)
                    {
                        out.push(finding(
                            (RULE.code, RULE.severity),
                            o,
                            sel.span,
                            format!(
                                "NetworkPolicy {}/{}: this {direction} peer's namespaceSelector ({}) matches no namespace of the input: the peer admits nothing",
                                o.namespace,
                                o.name(),
                                Selector::from_label_selector(Some(sel))
                            ),
                        ));
                    }
                    continue;
                };
                let Some(sel) = &peer.pod_selector else {
                    continue;
                };
                let selector = Selector::from_label_selector(Some(sel));
                // Cluster DNS runs in every cluster, in the input or not (the
                // model of E.5.10): a peer for it is not empty.
                let dns: BTreeMap<String, String> =
                    [("k8s-app".to_owned(), "kube-dns".to_owned())].into();
                if matched.iter().any(|n| n == "kube-system") && selector.matches(&dns) {
                    continue;
                }
                // Only namespaces whose pods the input holds are judged.
                let matched: Vec<String> = matched
                    .into_iter()
                    .filter(|n| with_pods.contains(n.as_str()))
                    .collect();
                if matched.is_empty() {
                    continue;
                }

                if matched
                    .iter()
                    .any(|n| sets.get(n.as_str()).is_some_and(|s| s.any_match(&selector)))
                {
                    continue;
                }
                let mut d = finding(
                    (RULE.code, RULE.severity),
                    o,
                    sel.span,
                    format!(
                        "NetworkPolicy {}/{}: this {direction} peer's podSelector ({selector}) matches no pod of namespace {}: the peer admits nothing",
                        o.namespace,
                        o.name(),
                        matched.join(", ")
                    ),
                );
                near_miss(cx, &groups, (&matched[0], sel), &mut cache, &mut d);
                out.push(d);
            }
        }
    }
}

/// The namespaces a peer's pods may be in: its namespaceSelector's
/// matches, or the policy's own namespace; `None` when the selector
/// matches none.
fn peer_namespaces(o: &Object, peer: &PolicyPeer, namespaces: &Namespaces) -> Option<Vec<String>> {
    let Some(sel) = &peer.namespace_selector else {
        return Some(vec![o.namespace.clone()]);
    };
    let selector = Selector::from_label_selector(Some(sel));
    let matched: Vec<String> = namespaces
        .iter()
        .filter(|(_, labels)| selector.matches(labels))
        .map(|(n, _)| n.clone())
        .collect();
    (!matched.is_empty()).then_some(matched)
}

/// A required key that no namespace carries: `netpol-namespace-label-unknown`
/// reports it.
fn unknown_key(sel: &LabelSelector, namespaces: &Namespaces) -> bool {
    Selector::from_label_selector(Some(sel))
        .requirements()
        .iter()
        .any(|r| {
            matches!(r.op, Op::In | Op::Equals | Op::DoubleEquals | Op::Exists)
                && !namespaces.values().any(|l| l.contains_key(&r.key))
        })
}

/// The closest pod's labels, for a selector with equality requirements.
type NearMisses<'c> = HashMap<(String, BTreeMap<String, String>), Option<(&'c ClusterPod, String)>>;

fn near_miss<'c>(
    cx: &LintCx<'_>,
    groups: &PodGroups<'c>,
    (namespace, sel): (&str, &LabelSelector),
    cache: &mut NearMisses<'c>,
    d: &mut Diagnostic,
) {
    let wanted: BTreeMap<String, String> = Selector::from_label_selector(Some(sel))
        .requirements()
        .iter()
        .filter(|r| matches!(r.op, Op::Equals | Op::DoubleEquals | Op::In) && r.values.len() == 1)
        .map(|r| (r.key.clone(), r.values[0].clone()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let found = cache
        .entry((namespace.to_owned(), wanted))
        .or_insert_with_key(|(ns, wanted)| groups.near_miss(ns, wanted, "the peer"));
    let Some((pod, diff)) = found.clone() else {
        return;
    };
    *d = super::selector_matches_nothing::closest(cx, d.clone(), pod, &diff);
}
