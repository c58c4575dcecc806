//! `netpol-selects-host-network-pod`: a NetworkPolicy whose podSelector
//! matches host-network pods, which it does not protect (spec E.3.2,
//! E.8.11).

use super::{LabelSets, LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::selector::Selector;

rule! {
    /// ## What it does
    /// Notes a NetworkPolicy whose `spec.podSelector` matches pods that run
    /// with `hostNetwork: true`.
    ///
    /// ## Why it matters
    /// Such pods share their node's network: Kubernetes leaves their
    /// treatment undefined and most plugins (and the reference
    /// implementation) never select them, so the policy does not protect
    /// them. Protect the node instead, or run the pod on the pod network.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: agent
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: agent}
    ///   ingress: []
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    ///   labels: {app: agent}
    /// spec:
    ///   hostNetwork: true
    ///   containers: [{name: agent, image: agent:1.0}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: agent
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: agent}
    ///   ingress: []
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    ///   labels: {app: agent}
    /// spec:
    ///   containers: [{name: agent, image: agent:1.0}]
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Network Policies* ("Pod isolation with hostNetwork"); kube-network-policies; spec E.3.2, E.8.11.
    pub const RULE {
        code: "netpol-selects-host-network-pod",
        name: "netpol-selects-host-network-pod",
        severity: Info,
        origin: Lint,
        summary: "A NetworkPolicy selects host-network pods, which it does not protect.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut policies = cx.network_policies().peekable();
    if policies.peek().is_none() {
        return;
    }
    let sets = LabelSets::of_pods(&cx.cluster.pods);
    let host_network = |i: usize| {
        let pod = &cx.cluster.pods[i];
        cx.objects
            .get(pod.object)
            .and_then(crate::model::Object::pod_spec)
            .is_some_and(|s| s.host_network)
    };
    for (o, np) in policies {
        let Some(ns_sets) = sets.get(o.namespace.as_str()) else {
            continue;
        };
        let selector = np
            .pod_selector
            .as_ref()
            .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
        // One pod per label set: a set's pods share their template.
        let hosts: Vec<String> = ns_sets
            .matching(&selector, false)
            .into_iter()
            .filter_map(|s| ns_sets.pods[s].first().copied())
            .filter(|&i| host_network(i))
            .map(|i| {
                let p = &cx.cluster.pods[i];
                p.owner.as_deref().map_or_else(|| format!("Pod/{}", p.name), str::to_owned)
            })
            .collect();
        if !hosts.is_empty() {
            let span = np.pod_selector.as_ref().map_or(np.spec_span, |s| s.span);
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                span,
                format!(
                    "NetworkPolicy {}/{} selects host-network pods ({}): they share their node's network and are not protected",
                    o.namespace,
                    o.name(),
                    hosts.join(", ")
                ),
            ));
        }
    }
}
