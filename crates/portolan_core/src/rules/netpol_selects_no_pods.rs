//! `netpol-selects-no-pods`: a NetworkPolicy whose podSelector matches no
//! pod of its namespace (spec E.3.1, E.8.1).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::selector::{Op, Selector};

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

/// The distinct label sets of one namespace's pods (a workload's pods
/// share one), with postings by label and by key.
#[derive(Default)]
struct LabelSets<'c> {
    sets: Vec<&'c BTreeMap<String, String>>,
    by_value: HashMap<(&'c str, &'c str), Vec<usize>>,
    by_key: HashMap<&'c str, Vec<usize>>,
}

impl<'c> LabelSets<'c> {
    fn add(&mut self, labels: &'c BTreeMap<String, String>) {
        let id = self.sets.len();
        self.sets.push(labels);
        for (k, v) in labels {
            self.by_value.entry((k, v)).or_default().push(id);
            self.by_key.entry(k).or_default().push(id);
        }
    }

    /// Whether some label set matches `selector`, trying only the sets
    /// that carry one of its required labels (or its `exists` key).
    fn any_match(&self, selector: &Selector) -> bool {
        let reqs = selector.requirements();
        let equality = reqs
            .iter()
            .filter(|r| matches!(r.op, Op::Equals | Op::DoubleEquals | Op::In))
            .min_by_key(|r| r.values.len());
        let tries = |ids: &[usize]| ids.iter().any(|&i| selector.matches(self.sets[i]));
        if let Some(r) = equality {
            r.values.iter().any(|v| {
                self.by_value
                    .get(&(r.key.as_str(), v.as_str()))
                    .is_some_and(|ids| tries(ids))
            })
        } else if let Some(r) = reqs.iter().find(|r| r.op == Op::Exists) {
            self.by_key.get(r.key.as_str()).is_some_and(|ids| tries(ids))
        } else {
            self.sets.iter().any(|l| selector.matches(l))
        }
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut namespaces: BTreeMap<&str, LabelSets<'_>> = BTreeMap::new();
    let mut seen: HashSet<(&str, &BTreeMap<String, String>)> = HashSet::new();
    for p in &cx.cluster.pods {
        if seen.insert((&p.namespace, &*p.labels)) {
            namespaces.entry(&p.namespace).or_default().add(&p.labels);
        }
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
        let any = namespaces
            .get(o.namespace.as_str())
            .is_some_and(|sets| sets.any_match(&selector));
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
