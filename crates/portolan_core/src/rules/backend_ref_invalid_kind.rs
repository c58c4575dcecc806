//! `backend-ref-invalid-kind`: a route's backendRef is not a core Service (or is an ExternalName Service).

use super::{LintCx, route_backend_findings};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Backend;

rule! {
    /// ## What it does
    /// Reports `backendRefs` entries whose `group` and `kind` are not the core `Service` (`group: ""`, the default) — such as `group: core`, which also escapes the "Must have port" check — and entries naming an ExternalName Service, which implementations should not support.
    ///
    /// ## Why it matters
    /// The controller marks the reference `InvalidKind` and answers its share with 500.
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
    ///     - group: core          # the core group is ""
    ///       kind: Service
    ///       name: web
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
    /// Gateway API `BackendObjectReference`; conformance `HTTPRouteInvalidBackendRefUnknownKind`; spec H.2.7, H.4.3, I.8.
    pub const RULE {
        code: "backend-ref-invalid-kind",
        name: "backend-ref-invalid-kind",
        severity: Warning,
        origin: Lint,
        summary: "A route's backendRef is not a core Service (or is an ExternalName Service).",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let why = |found: &Backend, b: &crate::model::BackendRef| match found {
        Backend::InvalidKind(w) => Some(w.clone()),
        Backend::ExternalName { name, .. } => Some(format!(
            "Service {} is ExternalName {name}, which Gateway API implementations do not support as a backend",
            b.name.as_ref().map_or("?", |n| n.value.as_str())
        )),
        _ => None,
    };
    route_backend_findings(cx, (RULE.code, RULE.severity), why, out);
}
