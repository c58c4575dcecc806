//! `ingress-no-class`: an Ingress has no class, and no IngressClass is the default.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::ClassOf;

rule! {
    /// ## What it does
    /// Finds Ingresses without `spec.ingressClassName` or the `kubernetes.io/ingress.class` annotation when the input holds IngressClasses and none is annotated `ingressclass.kubernetes.io/is-default-class: "true"`: admission leaves them unclassed. (When the input holds no IngressClass at all, the cluster's default class is assumed.)
    ///
    /// ## Why it matters
    /// Controllers ignore unclassed Ingresses (ingress-nginx since 1.0, unless started with `--watch-ingress-without-class`): every request for their hosts gets 404.
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
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   defaultBackend:
    ///     service:
    ///       name: web
    ///       port:
    ///         number: 80
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
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   defaultBackend:
    ///     service:
    ///       name: web
    ///       port:
    ///         number: 80
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
    /// DefaultIngressClass admission plugin; ingress-nginx `store.go GetIngressClass`; spec G.2.2–G.2.3.
    pub const RULE {
        code: "ingress-no-class",
        name: "ingress-no-class",
        severity: Warning,
        origin: Lint,
        summary: "An Ingress has no class, and no IngressClass is the default.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    if r.classes.is_empty() {
        return;
    }
    for at in &r.ingresses {
        if at.class != ClassOf::None {
            continue;
        }
        let o = &cx.objects[at.object];
        out.push(finding(
            (RULE.code, RULE.severity),
            o,
            o.anchor_span(),
            format!(
                "Ingress {}/{} has no ingressClassName, and none of the IngressClasses ({}) is the default: no controller serves it",
                o.namespace,
                o.name(),
                r.classes.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
}
