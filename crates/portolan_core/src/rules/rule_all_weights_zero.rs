//! `rule-all-weights-zero`: every backendRef of a route rule has weight 0.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Adds the `weight` of the backendRefs of each HTTPRoute and GRPCRoute rule (1 when absent) and reports rules whose total is 0.
    ///
    /// ## Why it matters
    /// A weight of 0 sends no traffic to that backend; when all are 0 the rule matches but has nowhere to send requests, and implementations answer 500 or 503 (gateway-api#4769).
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
    ///       port: 80
    ///       weight: 0            # drained, and nothing else takes the traffic
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
    ///       weight: 1
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
    /// Gateway API `BackendRef.Weight`; conformance `HTTPRouteWeight`; spec H.4.1–H.4.2.
    pub const RULE {
        code: "rule-all-weights-zero",
        name: "rule-all-weights-zero",
        severity: Warning,
        origin: Lint,
        summary: "Every backendRef of a route rule has weight 0.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for (i, rule) in route.route.rules.iter().flat_map(|(rules, _)| rules.iter().enumerate()) {
            let Some(refs) = rule.backend_refs.as_ref().filter(|b| !b.is_empty()) else { continue };
            if refs.iter().map(|b| b.weight().max(0)).sum::<i64>() != 0 {
                continue;
            }
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                rule.span,
                format!(
                    "{} {}/{} rule {i}: every backendRef has weight 0, so the requests it matches get 500",
                    route.route.kind(),
                    route.namespace,
                    route.name
                ),
            ));
        }
    }
}
