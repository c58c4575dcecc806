//! `selector-matches-nothing`: a Service whose selector selects no pod, with
//! the near miss (the closest workload and the exact difference).

use super::{LintCx, Rule};
use crate::cluster::{ClusterPod, ClusterService};
use crate::diag::{Diagnostic, Severity};
use crate::model::decode::edit_distance;

pub const RULE: Rule = Rule {
    code: "selector-matches-nothing",
    name: "selector-matches-nothing",
    severity: Severity::Warning,
    summary: "A Service's selector matches no pod of its namespace.",
    docs: "## What it does\nReports a Service with a selector that no pod (or pod template) in its namespace matches, and names the closest candidate with the exact label or namespace difference.\n\n## Why is this bad?\nThe Service gets a ClusterIP and a DNS name but no endpoints: every connection is rejected. A typo in one label value is the usual cause, and nothing else tells you.\n\n## Example\n```yaml\nkind: Service\nspec:\n  selector:\n    app: web-frontend   # the Deployment's pods are labelled app: frontend\n```\n\n## References\nSpec B.1.1 (selection within the namespace), C.1.3.\n",
    origin: "lint",
};

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        let Some(selector) = &svc.selector else {
            continue;
        };
        if svc.type_ == "ExternalName" {
            continue;
        }
        // Endpoints come from selected pods; only a Service without any is
        // worth the scan (pods without an IP or in a terminal phase).
        let matches = |p: &ClusterPod| {
            *p.namespace == *svc.namespace
                && selector.iter().all(|(k, v)| p.labels.get(k) == Some(v))
        };
        if !svc.endpoints.is_empty() || cx.cluster.pods.iter().any(matches) {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        let span = LintCx::selector_span(object, model);
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            object.source,
            span,
            format!("Service {}/{} selects no pods", svc.namespace, svc.name),
        )
        .with_object(Some(object.object_ref()));
        if let Some((pod, diff)) = near_miss(cx, svc) {
            let owner = pod
                .owner
                .as_deref()
                .map_or_else(|| format!("Pod/{}", pod.name), str::to_owned);
            d.help = Some(format!(
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
        } else {
            d.help = Some("no pod or workload in the input carries these labels".to_owned());
        }
        out.push(d);
    }
}

/// The pod with the fewest differences, and those differences in words.
fn near_miss<'c>(cx: &'c LintCx<'_>, svc: &ClusterService) -> Option<(&'c ClusterPod, String)> {
    let selector = svc.selector.as_ref()?;
    let mut best: Option<((usize, usize), &ClusterPod, Vec<String>)> = None;
    let mut seen_owner = std::collections::HashSet::new();
    for pod in &cx.cluster.pods {
        if !seen_owner.insert((
            &*pod.namespace,
            pod.owner.as_deref().unwrap_or(pod.name.as_str()),
        )) {
            continue;
        }
        let mut diffs = Vec::new();
        let mut distance = 0;
        for (k, v) in selector {
            match pod.labels.get(k) {
                Some(have) if have == v => {}
                Some(have) => {
                    distance += edit_distance(have, v);
                    diffs.push(format!("label {k} is {have:?}, the selector wants {v:?}"));
                }
                None => diffs.push(format!(
                    "label {k} is missing (the selector wants {k}={v:?})"
                )),
            }
        }
        // A near miss shares at least one label key with the selector.
        if !selector.keys().any(|k| pod.labels.contains_key(k)) {
            continue;
        }
        if *pod.namespace != *svc.namespace {
            diffs.push(format!(
                "it is in namespace {:?}, the Service in {:?}",
                pod.namespace, svc.namespace
            ));
        }
        // Fewest differences first, then the most similar values.
        let score = (diffs.len(), distance);
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, pod, diffs));
        }
    }
    best.map(|(_, pod, diffs)| (pod, diffs.join("; ")))
}
