//! `service-pods-unknown`: a Service with a selector in a namespace where the
//! input holds no pod and no workload, so its endpoints cannot be known (a
//! `kubectl get svc -o yaml` dump, a chart split into files).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::types::ServiceType;

rule! {
    /// ## What it does
    /// Notes each Service with a selector whose namespace holds no Pod, no workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) and no custom resource that makes pods in the input. Such a Service is not reported by `selector-matches-nothing`: the input says nothing about its pods, so it may well select some in the cluster.
    ///
    /// ## Why it matters
    /// It is not: the note says why Portolan shows the Service without endpoints and traces to it end in `reject`. Add the workloads' manifests (or a `kubectl get pods -o yaml` dump) to the input to see its routing.
    ///
    /// ## Example
    /// ```yaml
    /// # services.yaml, from `kubectl get svc -o yaml`, checked alone
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web        # nothing in the input says which pods carry app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # the Service checked together with the workloads of its namespace
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## References
    /// Spec B.1.1 (selection within the namespace), C.1.
    pub const RULE {
        code: "service-pods-unknown",
        name: "service-pods-unknown",
        severity: Info,
        origin: Lint,
        summary: "A Service's namespace holds no pod or workload in the input: its endpoints are unknown.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let with_pods = cx.namespaces_with_pods();
    for svc in &cx.cluster.services {
        if svc.selector.is_none()
            || svc.type_ == ServiceType::ExternalName
            || with_pods.contains(svc.namespace.as_str())
        {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        let mut d = finding((RULE.code, RULE.severity), object, LintCx::selector_span(object, model), format!(
                "Service {}/{}: the input holds no pods or workloads in namespace {}, so its endpoints are unknown",
                svc.namespace, svc.name, svc.namespace
            ));
        d.help = Some("add the manifests of the workloads it selects (or a `kubectl get pods -o yaml` dump) to the input".to_owned());
        out.push(d);
    }
}
