//! `route-parent-not-found`: a route names a Gateway, or a Gateway a GatewayClass, that the input does not hold.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Refusal;

rule! {
    /// ## What it does
    /// Looks up the Gateway of every `parentRefs` entry of an HTTPRoute or GRPCRoute (in the route's namespace unless the entry names one), and the GatewayClass of every Gateway. It reports only when the input holds Gateways (or GatewayClasses) but not the one named, so that a repository of routes for a platform-managed Gateway stays quiet.
    ///
    /// ## Why it matters
    /// No controller writes the route's status, so nothing tells the author that the route is attached nowhere; typos in `parentRefs[].name` and a forgotten `namespace` are the usual causes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: http
    ///     protocol: HTTP
    ///     port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: egde            # typo
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: http
    ///     protocol: HTTP
    ///     port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## References
    /// Gateway API `RouteParentStatus`; spec H.2.1.
    pub const RULE {
        code: "route-parent-not-found",
        name: "route-parent-not-found",
        severity: Warning,
        origin: Lint,
        summary: "A route names a Gateway, or a Gateway a GatewayClass, that the input does not hold.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    if r.gateways.is_empty() {
        return;
    }
    // The Gateways the input holds, for the message (a few are enough).
    let mut known: Vec<String> = r
        .gateways
        .iter()
        .take(5)
        .map(crate::http::GatewayAt::key)
        .collect();
    if r.gateways.len() > 5 {
        known.push(format!("and {} more", r.gateways.len() - 5));
    }
    let known = known.join(", ");
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for p in &route.parents {
            let parent = &route.route.parent_refs[p.index];
            let message = match &p.outcome {
                Err(Refusal::ParentNotFound(gw)) => format!(
                    "{} {}/{} names Gateway {gw}, which is not in the input (Gateways: {known}); the route is attached nowhere",
                    route.route.kind(),
                    route.namespace,
                    route.name,
                ),
                Err(Refusal::ClassNotFound(class)) => format!(
                    "{} {}/{} is attached to a Gateway of GatewayClass {class:?}, which is not in the input: no controller serves it",
                    route.route.kind(),
                    route.namespace,
                    route.name
                ),
                _ => continue,
            };
            out.push(finding((RULE.code, RULE.severity), o, parent.span, message));
        }
    }
}
