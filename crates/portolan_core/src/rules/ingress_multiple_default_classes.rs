//! `ingress-multiple-default-classes`: more than one IngressClass is marked as the default.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Counts the IngressClasses annotated `ingressclass.kubernetes.io/is-default-class: "true"`.
    ///
    /// ## Why it matters
    /// Since Kubernetes 1.25 admission gives new unclassed Ingresses the newest default class (ties: the smallest name); older releases refuse to create them. Either way, which controller serves an unclassed Ingress depends on creation order.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    ///   annotations:
    ///     ingressclass.kubernetes.io/is-default-class: "true"
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: traefik
    ///   annotations:
    ///     ingressclass.kubernetes.io/is-default-class: "true"
    /// spec:
    ///   controller: traefik.io/ingress-controller
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    ///   annotations:
    ///     ingressclass.kubernetes.io/is-default-class: "true"
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: traefik
    /// spec:
    ///   controller: traefik.io/ingress-controller
    /// ```
    ///
    /// ## References
    /// DefaultIngressClass admission (kubernetes PR #110974); spec G.2.2, I.4.
    pub const RULE {
        code: "ingress-multiple-default-classes",
        name: "ingress-multiple-default-classes",
        severity: Warning,
        origin: Lint,
        summary: "More than one IngressClass is marked as the default.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let r = cx.routing();
    let defaults: Vec<&crate::http::Class<'_>> = r.classes.iter().filter(|c| c.default).collect();
    if defaults.len() < 2 {
        return;
    }
    let chosen = r.default_class().map_or("?", |i| r.classes[i].name);
    let names: Vec<&str> = defaults.iter().map(|c| c.name).collect();
    for c in defaults {
        let o = &cx.objects[c.object];
        let span = o.meta.annotations.key_span(crate::http::DEFAULT_CLASS_ANNOTATION);
        out.push(finding(
            (RULE.code, RULE.severity),
            o,
            span,
            format!(
                "{} IngressClasses are marked default ({}): new unclassed Ingresses get the newest, {chosen} (Kubernetes ≥ 1.25; older releases refuse them)",
                names.len(),
                names.join(", ")
            ),
        ));
    }
}
