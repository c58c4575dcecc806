//! `route-not-accepted`: an HTTPRoute or GRPCRoute is not accepted by the Gateway it names.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Refusal;

rule! {
    /// ## What it does
    /// Attaches every HTTPRoute and GRPCRoute to the Gateways of its `parentRefs` as a Gateway API controller does: the listeners that `sectionName` and `port` select, their `allowedRoutes` (kinds and namespaces: `Same` by default) and the intersection of the route's `hostnames` with each listener's `hostname`. A parentRef none of whose listeners admits the route is reported with the reason the controller writes in the route's `Accepted` condition: `NoMatchingParent`, `NotAllowedByListeners` or `NoMatchingListenerHostname`.
    ///
    /// ## Why it matters
    /// Nothing rejects such a route: it is stored, and the controller only marks it `Accepted=False` in its status, which nobody reads in a pull request. Its traffic gets 404. The commonest cause is a route in another namespace than the Gateway, whose listeners admit routes from their own namespace only unless `allowedRoutes.namespaces.from` says otherwise.
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
    ///   namespace: shop          # the listener admits routes of namespace infra only
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///     namespace: infra
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
    ///     allowedRoutes:
    ///       namespaces:
    ///         from: All
    /// ---
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///     namespace: infra
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
    /// Gateway API `RouteConditionAccepted` reasons; conformance tests `HTTPRouteInvalidCrossNamespaceParentRef`, `HTTPRouteDisallowedKind`, `HTTPRouteInvalidParentRefNotMatchingSectionName`, `HTTPRouteHostnameIntersection`; spec H.2.2–H.2.5.
    pub const RULE {
        code: "route-not-accepted",
        name: "route-not-accepted",
        severity: Warning,
        origin: Lint,
        summary: "An HTTPRoute or GRPCRoute is not accepted by the Gateway it names.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for p in &route.parents {
            let Err(why) = &p.outcome else { continue };
            let parent = &route.route.parent_refs[p.index];
            let Some(g) = p.gateway.map(|i| &r.gateways[i]) else {
                continue;
            };
            let reason = match why {
                Refusal::NoMatchingParent => format!(
                    "no listener of the Gateway matches{}{} (NoMatchingParent); its listeners: {}",
                    parent.section_name.as_ref().map_or(String::new(), |s| format!(" sectionName {}", s.value)),
                    parent.port.as_ref().map_or(String::new(), |p| format!(" port {}", p.value)),
                    g.listeners()
                        .map(|(_, l, port, proto)| format!("{} ({proto} {port})", l.name.as_ref().map_or("?", |n| n.value.as_str())))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Refusal::NotAllowedByListeners => {
                    let same = g.gateway.listeners.iter().all(|l| {
                        l.allowed_routes.from.as_ref().is_none_or(|f| f.value == "Same")
                    });
                    if same && g.namespace != route.namespace {
                        format!(
                            "its listeners admit routes of namespace {} only (allowedRoutes.namespaces.from defaults to Same) (NotAllowedByListeners)",
                            g.namespace
                        )
                    } else {
                        format!(
                            "no listener admits {}s from namespace {} (allowedRoutes kinds and namespaces; NotAllowedByListeners)",
                            route.route.kind(),
                            route.namespace
                        )
                    }
                }
                Refusal::NoMatchingListenerHostname => format!(
                    "none of its hostnames ({}) intersects a listener's hostname ({}) (NoMatchingListenerHostname)",
                    route.route.hostnames.iter().map(|h| h.value.as_str()).collect::<Vec<_>>().join(", "),
                    g.gateway
                        .listeners
                        .iter()
                        .map(|l| l.hostname.as_ref().map_or("any", |h| h.value.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => continue,
            };
            let go = &cx.objects[g.object];
            out.push(
                finding(
                    (RULE.code, RULE.severity),
                    o,
                    parent.span,
                    format!(
                        "{} {}/{} is not accepted by Gateway {}: {reason}; its requests get 404",
                        route.route.kind(),
                        route.namespace,
                        route.name,
                        g.key()
                    ),
                )
                .with_related(go.source, go.anchor_span(), "the Gateway"),
            );
        }
    }
}
