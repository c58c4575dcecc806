//! `endpoints-over-capacity`: a Service with more than 1000 endpoint
//! addresses: its legacy `v1.Endpoints` object is truncated (spec C.7).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::legacy::{self, MAX_CAPACITY};

rule! {
    /// ## What it does
    /// Computes the legacy `v1.Endpoints` object the Endpoints controller writes for each selector Service and reports those with more than 1000 addresses.
    ///
    /// ## Why it matters
    /// The controller keeps at most 1000 addresses (ready ones first) and sets `endpoints.kubernetes.io/over-capacity: truncated`. kube-proxy and CoreDNS read EndpointSlices and see every endpoint, but anything still reading `v1.Endpoints` (older ingress controllers, service meshes, monitoring) sends traffic to only part of the backends.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
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
    /// spec:
    ///   replicas: 1500    # 1500 addresses; v1.Endpoints keeps 1000
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
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
    /// spec:
    ///   replicas: 1000    # at most 1000 per Service while a consumer still reads v1.Endpoints
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
    /// Spec C.7 (`truncateEndpoints` in `endpoints_controller.go`).
    pub const RULE {
        code: "endpoints-over-capacity",
        name: "endpoints-over-capacity",
        severity: Info,
        origin: Lint,
        summary: "More than 1000 endpoint addresses: the legacy Endpoints object is truncated.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.endpoints.len() <= MAX_CAPACITY {
            continue; // at most one address per endpoint entry
        }
        let Some(e) = legacy::endpoints(svc).filter(|e| e.truncated) else {
            continue;
        };
        let Some((o, model)) = cx.service(svc.object) else {
            continue;
        };
        let span = LintCx::selector_span(o, model);
        let mut d = finding((RULE.code, RULE.severity), o, span, format!(
                "Service {} has {} endpoint addresses; its legacy Endpoints object keeps {MAX_CAPACITY} and is annotated endpoints.kubernetes.io/over-capacity: truncated",
                svc.key(),
                e.total
            ));
        d.help = Some("make sure every consumer reads EndpointSlices (discovery.k8s.io/v1); kube-proxy and CoreDNS already do".to_owned());
        out.push(d);
    }
}
