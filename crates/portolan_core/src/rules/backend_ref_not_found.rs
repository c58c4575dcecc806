//! `backend-ref-not-found`: a route's backendRef names a Service, or a Service port, that does not exist.

use super::{LintCx, route_backend_findings};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Backend;

rule! {
    /// ## What it does
    /// Resolves every `backendRefs` entry of an HTTPRoute or GRPCRoute to a Service of the input (in the route's namespace unless the entry names one) and to one of its `ports[].port` — the Service port, never the targetPort.
    ///
    /// ## Why it matters
    /// The controller marks the reference `ResolvedRefs=False, BackendNotFound` in the route's status and answers its share of the requests with 500; a wrong port is not even named by the specification, and several controllers fail silently on it (cilium#47766, kuma#18071, kgateway#11998).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 8080           # the targetPort, not the Service port
    /// ---
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
    ///     targetPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ---
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
    ///     targetPort: 8080
    /// ```
    ///
    /// ## References
    /// Gateway API `HTTPBackendRef`, `BackendObjectReference.Port`; conformance `HTTPRouteInvalidNonExistentBackendRef`; spec H.2.7.
    pub const RULE {
        code: "backend-ref-not-found",
        name: "backend-ref-not-found",
        severity: Warning,
        origin: Lint,
        summary: "A route's backendRef names a Service, or a Service port, that does not exist.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let why = |found: &Backend, _: &crate::model::BackendRef| match found {
        Backend::NotFound(w) => Some(w.clone()),
        _ => None,
    };
    route_backend_findings(cx, (RULE.code, RULE.severity), why, out);
}
