//! `ingress-nginx-regex-mode`: an annotation puts every path of a host in
//! ingress-nginx's regex mode.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::Routing;

rule! {
    /// ## What it does
    /// Finds Ingresses of an ingress-nginx class that carry `nginx.ingress.kubernetes.io/use-regex: "true"` or `nginx.ingress.kubernetes.io/rewrite-target`, and names the hosts whose paths that changes.
    ///
    /// ## Why it matters
    /// ingress-nginx then reads **every** path of the host — of every Ingress that shares it — as a case-insensitive regex anchored at the start, tried longest first: `Prefix /foo` starts matching `/foobar` and `/FOO`, and an `Exact` path stops being exact. One team's annotation silently changes another team's routing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: api
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/rewrite-target: /$2   # every path of shop.example.com becomes a regex
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /api(/|$)(.*)
    ///         pathType: ImplementationSpecific
    ///         backend:
    ///           service:
    ///             name: api
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: api
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - host: api.shop.example.com     # a host of its own, or a Gateway API URLRewrite
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: api
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## References
    /// ingress-nginx `docs/user-guide/ingress-path-matching.md`; spec G.5.2, I.6.
    pub const RULE {
        code: "ingress-nginx-regex-mode",
        name: "ingress-nginx-regex-mode",
        severity: Warning,
        origin: Lint,
        summary: "An ingress-nginx annotation makes every path of a host a case-insensitive regex.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for at in &r.ingresses {
        let o = &cx.objects[at.object];
        let Some(annotation) = Routing::regex_annotation(o) else {
            continue;
        };
        if !at
            .class
            .table(&r.classes)
            .is_some_and(|t| r.is_ingress_nginx(&t))
        {
            continue;
        }
        let mut hosts: Vec<&str> = at
            .ingress
            .rules
            .iter()
            .map(|rule| rule.host.as_ref().map_or("*", |h| h.value.as_str()))
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        if hosts.is_empty() {
            continue;
        }
        let span = o
            .meta
            .annotations
            .spans_of(annotation)
            .map_or(o.anchor_span(), |(k, _)| k);
        out.push(finding(
            (RULE.code, RULE.severity),
            o,
            span,
            format!(
                "{annotation} on Ingress {}/{} puts host {} in ingress-nginx's regex mode: every path of {} — of every Ingress — becomes a case-insensitive regex anchored at the start (Prefix /foo then matches /foobar and /FOO)",
                o.namespace,
                o.name(),
                hosts.join(", "),
                if hosts.len() == 1 { "that host" } else { "those hosts" }
            ),
        ));
    }
}
