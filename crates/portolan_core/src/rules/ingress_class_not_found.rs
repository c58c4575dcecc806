//! `ingress-class-not-found`: an Ingress names an IngressClass that the input does not hold.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::http::ClassOf;

rule! {
    /// ## What it does
    /// Looks up `spec.ingressClassName` among the IngressClasses of the input, when it holds any.
    ///
    /// ## Why it matters
    /// No controller claims an Ingress of an unknown class: it gets no address and its hosts get 404 (ingress-controller-conformance `ingress_class.feature`).
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
    ///   ingressClassName: ngnix   # typo
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
    /// networking.k8s.io/v1 `IngressSpec.IngressClassName`; spec G.2.3.
    pub const RULE {
        code: "ingress-class-not-found",
        name: "ingress-class-not-found",
        severity: Warning,
        origin: Lint,
        summary: "An Ingress names an IngressClass that the input does not hold.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    if r.classes.is_empty() {
        return;
    }
    for at in &r.ingresses {
        let ClassOf::Field(name, None) = &at.class else { continue };
        let o = &cx.objects[at.object];
        let span = at.ingress.class_name.as_ref().map_or(o.anchor_span(), |c| c.span);
        out.push(finding(
            (RULE.code, RULE.severity),
            o,
            span,
            format!(
                "Ingress {}/{} names IngressClass {name:?}, which is not in the input (classes: {}): no controller serves it",
                o.namespace,
                o.name(),
                r.classes.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
}
