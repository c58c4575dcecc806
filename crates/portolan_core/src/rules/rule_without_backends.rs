//! `rule-without-backends`: a route rule has no backendRefs and no redirect, so it answers 500.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Reports HTTPRoute and GRPCRoute rules with no `backendRefs` (absent or empty) and no `RequestRedirect` filter, and HTTPRoutes without `rules`, which the API server defaults to one catch-all rule without backends.
    ///
    /// ## Why it matters
    /// Such a rule still matches: every request it wins is answered with 500 (gRPC `UNAVAILABLE`), including requests that a less specific rule would have served.
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
    ///   - matches:
    ///     - path:
    ///         type: PathPrefix
    ///         value: /api         # no backendRefs: 500
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
    ///   - matches:
    ///     - path:
    ///         type: PathPrefix
    ///         value: /api
    ///     backendRefs:
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
    /// Gateway API `HTTPRouteRule.BackendRefs`; `site/content/en/reference/api-types/httproute.md`; spec H.4.2, I.7.
    pub const RULE {
        code: "rule-without-backends",
        name: "rule-without-backends",
        severity: Warning,
        origin: Lint,
        summary: "A route rule has no backendRefs and no redirect, so it answers 500.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        let what = format!("{} {}/{}", route.route.kind(), route.namespace, route.name);
        let Some((rules, _)) = &route.route.rules else {
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                route.route.spec_span,
                if route.route.grpc {
                    format!("{what} has no rules: it matches nothing")
                } else {
                    format!("{what} has no rules: the API server adds one catch-all rule without backends, so every request it wins gets 500 (I.7)")
                },
            ));
            continue;
        };
        for (i, rule) in rules.iter().enumerate() {
            let redirect = rule.filters.iter().any(|f| f.redirect.is_some());
            if redirect || rule.backend_refs.as_ref().is_some_and(|b| !b.is_empty()) {
                continue;
            }
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                rule.span,
                format!("{what} rule {i} has no backendRefs and no RequestRedirect: every request it matches gets 500{}", if route.route.grpc { " (UNAVAILABLE)" } else { "" }),
            ));
        }
    }
}
