//! `selector-matches-nothing`: a Service whose selector selects no pod, with
//! the near miss (the closest workload and the exact difference).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::decode::edit_distance;
use crate::snapshot::ClusterPod;
use crate::types::ServiceType;
use std::collections::{HashMap, HashSet};

rule! {
    /// ## What it does
    /// Reports a Service with a selector that no pod (or pod template) in its namespace matches, and names the closest candidate with the exact label or namespace difference. Pods come from Pods, built-in workloads, custom resources with a pod template (Argo Rollouts, OpenKruise, OpenShift DeploymentConfig) and prometheus-operator's Prometheus and Alertmanager. A Service in a namespace where the input holds no pod or workload at all is left to `service-pods-unknown`.
    ///
    /// ## Why it matters
    /// The Service gets a ClusterIP and a DNS name but no endpoints: every connection is rejected. A typo in one label value is the usual cause, and nothing else tells you.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     app: web-frontend   # the Deployment's pods are labelled app: frontend
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     matchLabels: {app: frontend}
    ///   template:
    ///     metadata:
    ///       labels: {app: frontend}
    ///     spec:
    ///       containers: [{name: frontend, image: example/frontend:1.4}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     app: frontend       # the label the pods carry
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     matchLabels: {app: frontend}
    ///   template:
    ///     metadata:
    ///       labels: {app: frontend}
    ///     spec:
    ///       containers: [{name: frontend, image: example/frontend:1.4}]
    /// ```
    ///
    /// ## References
    /// Spec B.1.1 (selection within the namespace), C.1.3.
    pub const RULE {
        code: "selector-matches-nothing",
        name: "selector-matches-nothing",
        severity: Warning,
        origin: Lint,
        summary: "A Service's selector matches no pod of its namespace.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let index = PodGroups::new(&cx.cluster.pods);
    let with_pods = cx.namespaces_with_pods();
    for svc in &cx.cluster.services {
        let Some(selector) = &svc.selector else {
            continue;
        };
        // A namespace without pods or workloads in the input (a dump of
        // Services alone): its pods are unknown, not missing.
        if svc.type_ == ServiceType::ExternalName || !with_pods.contains(svc.namespace.as_str()) {
            continue;
        }
        // Endpoints come from selected pods; only a Service without any is
        // worth the lookup (pods without an IP or in a terminal phase).
        if !svc.endpoints.is_empty() || index.any_selected(&svc.namespace, selector) {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        let span = LintCx::selector_span(object, model);
        let mut d = finding((RULE.code, RULE.severity), object, span, format!("Service {}/{} selects no pods", svc.namespace, svc.name));
        if let Some((pod, diff)) = index.near_miss(&svc.namespace, selector, "the Service") {
            d = closest(cx, d, pod, &diff);
        } else {
            d.help = Some("no pod or workload in the input carries these labels".to_owned());
        }
        out.push(d);
    }
}

/// A finding with its near miss: the closest pod in the help, and its
/// labels as the related position.
pub(super) fn closest(cx: &LintCx<'_>, d: Diagnostic, pod: &ClusterPod, diff: &str) -> Diagnostic {
    let owner = pod
        .owner
        .as_deref()
        .map_or_else(|| format!("Pod/{}", pod.name), str::to_owned);
    let mut d = d.with_help(format!(
        "closest match: {owner} in namespace {}: {diff}",
        pod.namespace
    ));
    if let Some((o, labels)) = cx.pod_labels(pod) {
        let span = if labels.span == crate::source::Span::default() {
            o.anchor_span()
        } else {
            labels.span
        };
        d = d.with_related(o.source, span, format!("labels of {owner}"));
    }
    d
}

/// Candidates the near-miss search reads per posting list: a selector key
/// that thousands of workloads carry (`app`, `tier`) costs a bounded amount
/// per Service, so the search stays linear however the input is shaped.
const NEAR_MISS_CANDIDATES: usize = 256;

type Labels = std::collections::BTreeMap<String, String>;

/// Pods grouped by (namespace, label set) — the pods of one workload are one
/// group — and the groups indexed by label and by label key.
pub(super) struct PodGroups<'c> {
    /// The first pod of each group, in pod order.
    groups: Vec<&'c ClusterPod>,
    by_label: HashMap<(&'c str, &'c str), Vec<usize>>,
    by_key: HashMap<&'c str, Vec<usize>>,
}

impl<'c> PodGroups<'c> {
    pub(super) fn new(pods: &'c [ClusterPod]) -> Self {
        let mut seen: HashSet<(&str, *const Labels)> = HashSet::new();
        let mut index = PodGroups {
            groups: Vec::new(),
            by_label: HashMap::new(),
            by_key: HashMap::new(),
        };
        for pod in pods {
            if !seen.insert((&*pod.namespace, std::sync::Arc::as_ptr(&pod.labels))) {
                continue;
            }
            let g = index.groups.len();
            index.groups.push(pod);
            for (k, v) in pod.labels.iter() {
                index.by_label.entry((k, v)).or_default().push(g);
                index.by_key.entry(k).or_default().push(g);
            }
        }
        index
    }

    /// Whether a pod of `namespace` carries every label of `selector`: the
    /// groups of the selector's rarest label are the only candidates.
    fn any_selected(&self, namespace: &str, selector: &Labels) -> bool {
        let mut rarest: Option<&Vec<usize>> = None;
        for (k, v) in selector {
            let Some(list) = self.by_label.get(&(k.as_str(), v.as_str())) else {
                return false;
            };
            if rarest.is_none_or(|r| list.len() < r.len()) {
                rarest = Some(list);
            }
        }
        rarest.is_some_and(|list| {
            list.iter().any(|&g| {
                let pod = self.groups[g];
                *pod.namespace == *namespace
                    && crate::selector::service_selects(selector, &pod.labels)
            })
        })
    }

    /// The pod with the fewest differences from `selector` (wanted in
    /// `namespace` by `who`), and those differences in words. Candidates
    /// share at least one label key with the selector; each posting list is
    /// read up to `NEAR_MISS_CANDIDATES` groups.
    pub(super) fn near_miss(
        &self,
        namespace: &str,
        selector: &Labels,
        who: &str,
    ) -> Option<(&'c ClusterPod, String)> {
        let mut candidates: Vec<usize> = Vec::new();
        for (k, v) in selector {
            let lists = [
                self.by_label.get(&(k.as_str(), v.as_str())),
                self.by_key.get(k.as_str()),
            ];
            for list in lists.into_iter().flatten() {
                candidates.extend(list.iter().take(NEAR_MISS_CANDIDATES));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        // Fewest differences first, then the most similar values; the
        // differences are worded for the winner only.
        let score = |pod: &ClusterPod| {
            let mut count = usize::from(*pod.namespace != *namespace);
            let mut distance = 0;
            for (k, v) in selector {
                match pod.labels.get(k) {
                    Some(have) if have == v => {}
                    Some(have) => {
                        count += 1;
                        distance += edit_distance(have, v);
                    }
                    None => count += 1,
                }
            }
            (count, distance)
        };
        let mut best: Option<((usize, usize), &ClusterPod)> = None;
        for g in candidates {
            let pod = self.groups[g];
            let s = score(pod);
            if best.is_none_or(|(b, _)| s < b) {
                best = Some((s, pod));
            }
        }
        let (_, pod) = best?;
        let mut diffs = Vec::new();
        for (k, v) in selector {
            match pod.labels.get(k) {
                Some(have) if have == v => {}
                Some(have) => {
                    diffs.push(format!("label {k} is {have:?}, the selector wants {v:?}"));
                }
                None => diffs.push(format!(
                    "label {k} is missing (the selector wants {k}={v:?})"
                )),
            }
        }
        if *pod.namespace != *namespace {
            diffs.push(format!(
                "it is in namespace {:?}, {who} in {namespace:?}",
                pod.namespace
            ));
        }
        Some((pod, diffs.join("; ")))
    }
}
