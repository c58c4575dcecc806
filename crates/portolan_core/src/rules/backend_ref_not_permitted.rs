//! `backend-ref-not-permitted`: a route refers to a Service in another namespace without a ReferenceGrant that allows it.

use super::{LintCx, route_backend_findings};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Backend;

rule! {
    /// ## What it does
    /// Checks every cross-namespace `backendRefs` entry for a ReferenceGrant in the Service's namespace whose `from` names the route's kind (group `gateway.networking.k8s.io`) and namespace, and whose `to` names core Services (`group: ""`) with no name or the Service's name.
    ///
    /// ## Why it matters
    /// Without the grant the controller refuses the reference (`RefNotPermitted`) and answers with 500. Grants written in the route's namespace instead of the Service's, `from.group: ""`, or a `to.name` for another Service are the usual mistakes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: edge
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       namespace: shop      # no ReferenceGrant in shop allows it
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
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: edge
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       namespace: shop
    ///       port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1beta1
    /// kind: ReferenceGrant
    /// metadata:
    ///   name: edge-routes
    ///   namespace: shop          # the Service's namespace
    /// spec:
    ///   from:
    ///   - group: gateway.networking.k8s.io
    ///     kind: HTTPRoute
    ///     namespace: edge
    ///   to:
    ///   - group: ""
    ///     kind: Service
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
    /// Gateway API `ReferenceGrant` (GEP-709); conformance `HTTPRouteInvalidCrossNamespaceBackendRef`, `HTTPRoutePartiallyInvalidViaInvalidReferenceGrant`; spec H.2.8.
    pub const RULE {
        code: "backend-ref-not-permitted",
        name: "backend-ref-not-permitted",
        severity: Warning,
        origin: Lint,
        summary: "A route refers to a Service in another namespace without a ReferenceGrant that allows it.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let why = |found: &Backend, _: &crate::model::BackendRef| match found {
        Backend::RefNotPermitted(w) => Some(w.clone()),
        _ => None,
    };
    route_backend_findings(cx, (RULE.code, RULE.severity), why, out);
}
