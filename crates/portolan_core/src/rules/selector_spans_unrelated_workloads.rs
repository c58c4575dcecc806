//! `selector-spans-unrelated-workloads`: a Service selects the pods of
//! workloads that identify as different applications.

use std::collections::BTreeMap;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Groups the pods a Service selects by the workload that creates them and compares the workloads' identity label (`app.kubernetes.io/name`, else `app`, `k8s-app` or `name`). It reports Services whose selected workloads name different applications. Versions of one application (bookinfo's `reviews-v1`, `-v2`, `-v3`, all `app: reviews`) are related and not reported.
    ///
    /// ## Why it matters
    /// A selector that is too broad (`tier: backend`) load-balances requests for one application across the pods of another: intermittent failures that depend on which pod a connection lands on.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     tier: backend     # matches app: api and app: postgres
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api, tier: backend}
    ///     spec:
    ///       containers: [{name: api, image: example/api:1.4}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres, tier: backend}
    ///     spec:
    ///       containers: [{name: postgres, image: postgres:16}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     app: api          # the application's identity label
    ///     tier: backend
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels: {app: api}
    ///   template:
    ///     metadata:
    ///       labels: {app: api, tier: backend}
    ///     spec:
    ///       containers: [{name: api, image: example/api:1.4}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: postgres
    /// spec:
    ///   selector:
    ///     matchLabels: {app: postgres}
    ///   template:
    ///     metadata:
    ///       labels: {app: postgres, tier: backend}
    ///     spec:
    ///       containers: [{name: postgres, image: postgres:16}]
    /// ```
    ///
    /// ## References
    /// Spec B.1.1; Kubernetes recommended labels (app.kubernetes.io/name).
    pub const RULE {
        code: "selector-spans-unrelated-workloads",
        name: "selector-spans-unrelated-workloads",
        severity: Warning,
        origin: Lint,
        summary: "A Service's selector matches pods of unrelated workloads.",
    }
}

const IDENTITY: &[&str] = &["app.kubernetes.io/name", "app", "k8s-app", "name"];

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.selector.is_none() || svc.external_name.is_some() {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        // identity value -> the workloads carrying it
        let mut apps: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut pods: Vec<usize> = svc.endpoints.iter().filter_map(|e| e.pod_index).collect();
        pods.sort_unstable();
        pods.dedup();
        for i in pods {
            let pod = &cx.cluster.pods[i];
            let Some((key, value)) = IDENTITY
                .iter()
                .find_map(|k| pod.labels.get(*k).map(|v| (*k, v)))
            else {
                continue;
            };
            let owner = pod
                .owner
                .as_deref()
                .map_or_else(|| format!("Pod/{}", pod.name), str::to_owned);
            let list = apps.entry(format!("{key}={value}")).or_default();
            if !list.contains(&owner) {
                list.push(owner);
            }
        }
        if apps.len() < 2 {
            continue;
        }
        let parts: Vec<String> = apps
            .iter()
            .map(|(id, owners)| format!("{} ({id})", owners.join(", ")))
            .collect();
        let span = LintCx::selector_span(object, model);
        let mut d = finding((RULE.code, RULE.severity), object, span, format!(
                "Service {}/{} selects pods of {} different applications: {}",
                svc.namespace,
                svc.name,
                apps.len(),
                parts.join("; ")
            ));
        d.help = Some("add the application's identity label to the selector".to_owned());
        out.push(d);
    }
}
