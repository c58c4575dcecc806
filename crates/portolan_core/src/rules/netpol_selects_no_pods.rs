//! `netpol-selects-no-pods`: a NetworkPolicy whose podSelector matches no
//! pod of its namespace (spec E.3.1, E.8.1).

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
    let namespaces = super::LabelSets::of_pods(&cx.cluster.pods);
    let with_pods = cx.namespaces_with_pods();
    for (o, np) in cx.network_policies() {
        if !with_pods.contains(o.namespace.as_str()) {
            continue;
        }
        let selector = np
            .pod_selector
            .as_ref()
            .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
        let any = namespaces
            .get(o.namespace.as_str())
            .is_some_and(|sets| sets.any_match(&selector));
        if !any {
            let span = np.pod_selector.as_ref().map_or(np.spec_span, |s| s.span);
            out.push(finding(
                (RULE.code, RULE.severity),
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
