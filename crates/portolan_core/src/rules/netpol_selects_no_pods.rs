//! `netpol-selects-no-pods`: a NetworkPolicy whose podSelector matches no
//! pod of its namespace (spec E.3.1, E.8.1).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::selector::Selector;

rule! {
    /// ## What it does
    /// Reports a NetworkPolicy whose `spec.podSelector` matches no pod of its
    /// namespace, after workloads are expanded into the pods they run. A
    /// namespace where the input holds no pod or workload is not reported:
    /// its pods are unknown.
    ///
    /// ## Why it matters
    /// A policy selects pods of its own namespace only. One that selects
    /// nothing protects nothing: usually a label typo, or a policy applied to
    /// the wrong namespace.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: frontend}   # the pods are app: web
    ///   ingress: []
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
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   ingress: []
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
    /// kube-score `networkpolicy-targets-pod`; spec E.3.1, E.8.1.
    pub const RULE {
        code: "netpol-selects-no-pods",
        name: "netpol-selects-no-pods",
        severity: Warning,
        origin: Lint,
        summary: "A NetworkPolicy's podSelector matches no pod of its namespace.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    // The distinct label sets of each namespace's pods (a workload's pods
    // share one).
    let mut label_sets: BTreeMap<&str, BTreeSet<&Arc<BTreeMap<String, String>>>> = BTreeMap::new();
    for p in &cx.cluster.pods {
        label_sets.entry(&p.namespace).or_default().insert(&p.labels);
    }
    let with_pods = cx.namespaces_with_pods();
    for (o, np) in cx.network_policies() {
        if !with_pods.contains(o.namespace.as_str()) {
            continue;
        }
        let selector = np
            .pod_selector
            .as_ref()
            .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
        let any = label_sets
            .get(o.namespace.as_str())
            .is_some_and(|sets| sets.iter().any(|l| selector.matches(l)));
        if !any {
            let span = np.pod_selector.as_ref().map_or(np.spec_span, |s| s.span);
            out.push(finding(
                &RULE,
                o,
                span,
                format!(
                    "NetworkPolicy {}/{} selects no pod of namespace {} ({selector}): it protects nothing",
                    o.namespace,
                    o.name(),
                    o.namespace
                ),
            ));
        }
    }
}
