//! `ingress-implementation-specific-path`: a path whose meaning the
//! controller decides.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Notes Ingress paths with `pathType: ImplementationSpecific` and says how Portolan reads them: as ingress-nginx does (a plain string prefix: `/foo` matches `/foobar`) for its classes, as `Prefix` otherwise.
    ///
    /// ## Why it matters
    /// The API leaves the matching to the controller, so the same manifest routes differently after a controller change — the usual surprise of an ingress-nginx to Gateway API migration.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /foo
    ///         pathType: ImplementationSpecific   # /foobar too, on ingress-nginx
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - http:
    ///       paths:
    ///       - path: /foo
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## References
    /// networking.k8s.io/v1 `PathTypeImplementationSpecific`; ingress-nginx `location.go`; spec G.3.7.
    pub const RULE {
        code: "ingress-implementation-specific-path",
        name: "ingress-implementation-specific-path",
        severity: Info,
        origin: Lint,
        summary: "An Ingress path's matching is left to the controller (pathType ImplementationSpecific).",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    for at in &r.ingresses {
        let o = &cx.objects[at.object];
        let nginx = at
            .class
            .table(&r.classes)
            .is_some_and(|t| r.is_ingress_nginx(&t));
        for rule in &at.ingress.rules {
            for p in rule.http.iter().flat_map(|(_, paths)| paths) {
                let Some(ty) = p
                    .path_type
                    .as_ref()
                    .filter(|t| t.value == "ImplementationSpecific")
                else {
                    continue;
                };
                let path = p.path.as_ref().map_or("", |x| x.value.as_str());
                out.push(finding(
                    (RULE.code, RULE.severity),
                    o,
                    ty.span,
                    format!(
                        "path {:?} of Ingress {}/{} is ImplementationSpecific: {}",
                        path,
                        o.namespace,
                        o.name(),
                        if nginx {
                            "ingress-nginx reads it as a string prefix (/foo matches /foobar); Prefix or Exact say what is meant"
                        } else {
                            "its controller decides; Portolan reads it as Prefix"
                        }
                    ),
                ));
            }
        }
    }
}
