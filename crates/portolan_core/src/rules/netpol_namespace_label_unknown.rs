//! `netpol-namespace-label-unknown`: a namespaceSelector that needs a label
//! key no Namespace carries (spec E.4.4, E.8.3).

use std::collections::BTreeSet;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Body;
use crate::netpol::NAMESPACE_NAME_LABEL;
use crate::selector::{Op, Selector};

rule! {
    /// ## What it does
    /// Reports a NetworkPolicy peer whose `namespaceSelector` requires a
    /// label key (`matchLabels`, or an `In`/`Exists` expression) that no
    /// Namespace of the input carries — typically `name: kube-system` where
    /// Kubernetes sets `kubernetes.io/metadata.name`. When the input declares
    /// no Namespace objects, only the key `name` is reported: other labels
    /// may well be set on the cluster's Namespaces.
    ///
    /// ## Why it matters
    /// The peer matches no namespace, so the rule admits nothing from it.
    /// Every Namespace carries `kubernetes.io/metadata.name` (set by the API
    /// server since 1.22); labels such as `name` exist only if someone adds
    /// them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: from-monitoring
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - namespaceSelector: {matchLabels: {name: monitoring}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: from-monitoring
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
    /// ```
    ///
    /// ## References
    /// `SetDefaults_Namespace`; calico #6898; kubernetes #47797; spec E.2.5, E.4.4, E.8.3.
    pub const RULE {
        code: "netpol-namespace-label-unknown",
        name: "netpol-namespace-label-unknown",
        severity: Warning,
        origin: Lint,
        summary: "A namespaceSelector needs a label key no Namespace carries, so it matches no namespace.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut keys: BTreeSet<&str> = BTreeSet::from([NAMESPACE_NAME_LABEL]);
    let mut declared = false;
    for o in cx.objects {
        if matches!(o.body, Body::Namespace) {
            declared = true;
            keys.extend(o.meta.labels.map.keys().map(String::as_str));
        }
    }
    for (o, np) in cx.network_policies() {
        for rules in [&np.ingress, &np.egress] {
            for peer in rules.iter().flatten().flat_map(|r| r.peers.iter()) {
                let Some(sel) = &peer.namespace_selector else {
                    continue;
                };
                let selector = Selector::from_label_selector(Some(sel));
                let missing = selector.requirements().iter().find(|r| {
                    matches!(r.op, Op::In | Op::Equals | Op::DoubleEquals | Op::Exists)
                        && !keys.contains(r.key.as_str())
                        && (declared || r.key == "name")
                });
                let Some(req) = missing else {
                    continue;
                };
                let mut d = finding(
                    (RULE.code, RULE.severity),
                    o,
                    sel.span,
                    format!(
                        "NetworkPolicy {}/{}: the namespaceSelector needs label {:?}, which no Namespace{} carries: it selects no namespace",
                        o.namespace,
                        o.name(),
                        req.key,
                        if declared { " of the input" } else { "" }
                    ),
                );
                d.help = Some(if req.key == "name" {
                    format!("select namespaces by name with `{NAMESPACE_NAME_LABEL}`, which every Namespace carries")
                } else {
                    format!("label the Namespaces, or select them by `{NAMESPACE_NAME_LABEL}`")
                });
                out.push(d);
            }
        }
    }
}
