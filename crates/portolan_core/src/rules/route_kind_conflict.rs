//! `route-kind-conflict`: an HTTPRoute and a GRPCRoute claim the same hostname on one listener.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Refusal;

rule! {
    /// ## What it does
    /// Finds listeners where an HTTPRoute and a GRPCRoute attach with the same hostname (or both with any hostname). Gateway API keeps only the older route (by `creationTimestamp`, then `namespace/name`) and rejects the other on that listener.
    ///
    /// ## Why it matters
    /// The rejected route's requests go to the other route's rules, or get 404, with nothing in the manifests saying so.
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
    ///   name: a-web
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   hostnames: [api.example.com]
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: GRPCRoute
    /// metadata:
    ///   name: b-grpc
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   hostnames: [api.example.com]   # the same hostname as the HTTPRoute
    ///   rules:
    ///   - backendRefs:
    ///     - name: grpc
    ///       port: 50051
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
    ///   name: a-web
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   hostnames: [www.example.com]
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: GRPCRoute
    /// metadata:
    ///   name: b-grpc
    ///   namespace: infra
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   hostnames: [grpc.example.com]
    ///   rules:
    ///   - backendRefs:
    ///     - name: grpc
    ///       port: 50051
    /// ```
    ///
    /// ## References
    /// Gateway API `GRPCRouteSpec.Hostnames`; spec H.2.6.
    pub const RULE {
        code: "route-kind-conflict",
        name: "route-kind-conflict",
        severity: Warning,
        origin: Lint,
        summary: "An HTTPRoute and a GRPCRoute claim the same hostname on one listener.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for p in &route.parents {
            let Err(Refusal::KindConflict(winner)) = &p.outcome else { continue };
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                route.route.parent_refs[p.index].span,
                format!(
                    "{} {}/{} is not accepted: {winner} is older and holds the same hostnames on the listener (H.2.6)",
                    route.route.kind(),
                    route.namespace,
                    route.name
                ),
            ));
        }
    }
}
