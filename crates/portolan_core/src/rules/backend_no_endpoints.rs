//! `backend-no-endpoints`: a route or Ingress backend whose Service port has
//! no ready endpoint, so its requests get 503.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Backend;
use crate::model::Body;
use crate::snapshot::ClusterService;

rule! {
    /// ## What it does
    /// Resolves each backend of an HTTPRoute or GRPCRoute rule (with a
    /// weight above zero) and of an Ingress to its Service port, and
    /// reports the backend when that port has no ready endpoint in the
    /// completed snapshot. Services whose namespace holds no pods in the
    /// input are not judged (their endpoints are unknown); a Service or
    /// port that does not exist is `backend-ref-not-found`'s and
    /// `ingress-backend-missing`'s.
    ///
    /// ## Why it matters
    /// The proxies send to the Service's endpoints directly. With none
    /// ready, the route is accepted and its references resolve, yet every
    /// request it sends there is answered 503 — typically after a selector
    /// or label edit, or with a Deployment scaled to zero.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   ingressClassName: nginx
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 80}}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 0
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
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   ingressClassName: nginx
    ///   defaultBackend:
    ///     service: {name: web, port: {number: 80}}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
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
    /// Gateway API `HTTPRouteRule.BackendRefs` (a backend without endpoints
    /// is answered 503); ingress-nginx "Service has no active Endpoint";
    /// spec H.4.2, H.7, H.8 step 9.
    pub const RULE {
        code: "backend-no-endpoints",
        name: "backend-no-endpoints",
        severity: Warning,
        origin: Lint,
        summary: "A route or Ingress backend's Service port has no ready endpoint: its requests get 503.",
    }
}

/// Whether port `p` of `svc` has a ready endpoint.
fn ready(svc: &ClusterService, p: usize) -> bool {
    svc.ports
        .get(p)
        .is_none_or(|sp| svc.ready_endpoints(&sp.name, sp.protocol).next().is_some())
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let with_pods = cx.namespaces_with_pods();
    // The Service port a backend resolves to, when it has no ready
    // endpoint and its endpoints are known.
    let empty = |backend: &Backend| -> Option<(&ClusterService, i64)> {
        let Backend::Service { service, port } = *backend else {
            return None;
        };
        let svc = cx.cluster.services.get(service)?;
        let known = svc.selector.is_none() || with_pods.contains(svc.namespace.as_str());
        (known && !ready(svc, port)).then(|| (svc, svc.ports[port].port))
    };
    let message = |what: String, (svc, port): (&ClusterService, i64)| {
        format!(
            "{what} sends to Service {}/{} port {port}, which has no ready endpoint: its requests get 503",
            svc.namespace, svc.name
        )
    };
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for rule in route.route.rules.iter().flat_map(|(rules, _)| rules) {
            for b in rule.backend_refs.iter().flatten().filter(|b| b.weight() > 0) {
                let found = r.route_backend(route.namespace, route.route.kind(), b);
                if let Some(empty) = empty(&found) {
                    let what = format!("{} {}/{}", route.route.kind(), route.namespace, route.name);
                    out.push(finding((RULE.code, RULE.severity), o, b.span, message(what, empty)));
                }
            }
        }
    }
    for o in cx.accepted() {
        let Body::Ingress(ing) = &o.body else { continue };
        for at in ing.service_backends() {
            if let Some(empty) = empty(&r.ingress_backend(&o.namespace, at.service)) {
                let what = format!("Ingress {}/{}", o.namespace, o.name());
                out.push(finding((RULE.code, RULE.severity), o, at.service.span, message(what, empty)));
            }
        }
    }
}
