//! `netpol-peer-or-not-and`: one `from`/`to` list with a podSelector-only
//! entry and a namespaceSelector-only entry, often meant as one ANDed peer
//! (spec E.4.3, E.8.10).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Notes a NetworkPolicy rule whose `from` (or `to`) list holds an entry
    /// with only a `namespaceSelector` and another with only a `podSelector`.
    ///
    /// ## Why it matters
    /// Two list entries are ORed: the rule admits every pod of the selected
    /// namespaces, and also the matching pods of the policy's own namespace.
    /// Written as one entry (no `-` before `podSelector`), the selectors are
    /// ANDed: only the matching pods of the selected namespaces. The
    /// difference is one dash, and the OR form is usually far wider than
    /// intended.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: db}
    ///   ingress:
    ///   - from:
    ///     - namespaceSelector: {matchLabels: {team: shop}}
    ///     - podSelector: {matchLabels: {app: api}}      # a second peer: OR
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: db}
    ///   ingress:
    ///   - from:
    ///     - namespaceSelector: {matchLabels: {team: shop}}
    ///       podSelector: {matchLabels: {app: api}}      # one peer: AND
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Network Policies* ("Behavior of to and from selectors"); spec E.4.3, E.8.10, E.9.3.
    pub const RULE {
        code: "netpol-peer-or-not-and",
        name: "netpol-peer-or-not-and",
        severity: Info,
        origin: Lint,
        summary: "A NetworkPolicy peer list ORs a namespaceSelector and a podSelector that may be meant as one ANDed peer.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        for (direction, list, rules) in [("ingress", "from", &np.ingress), ("egress", "to", &np.egress)] {
            for (i, r) in rules.iter().flatten().enumerate() {
                let ns_only = r.peers.iter().find(|p| {
                    p.namespace_selector.is_some() && p.pod_selector.is_none() && p.ip_block.is_none()
                });
                let pod_only = r.peers.iter().find(|p| {
                    p.pod_selector.is_some() && p.namespace_selector.is_none() && p.ip_block.is_none()
                });
                if let (Some(_), Some(pod)) = (ns_only, pod_only) {
                    let mut d = finding(
                        (RULE.code, RULE.severity),
                        o,
                        pod.span,
                        format!(
                            "NetworkPolicy {}/{}: spec.{direction}[{i}].{list} ORs a namespaceSelector peer and a podSelector peer: any pod of those namespaces, or these pods of {}",
                            o.namespace,
                            o.name(),
                            o.namespace
                        ),
                    );
                    d.help = Some("to mean \"these pods in those namespaces\", put both selectors in one entry (remove the `-` before podSelector)".to_owned());
                    out.push(d);
                }
            }
        }
    }
}
