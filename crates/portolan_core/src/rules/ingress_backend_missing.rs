//! `ingress-backend-missing`: an Ingress backend names a Service or a
//! Service port that does not exist.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Body;

rule! {
    /// ## What it does
    /// Resolves every Ingress backend (`defaultBackend` and each rule path) to a Service in the Ingress's namespace and to one of its ports, by number or by name.
    ///
    /// ## Why it matters
    /// The ingress controller answers such paths with 503 or 404; nothing in Kubernetes validates the reference.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 8080   # the Service exposes port 80
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
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
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80     # the Service port, not its targetPort
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## References
    /// networking.k8s.io/v1 IngressServiceBackend.
    pub const RULE {
        code: "ingress-backend-missing",
        name: "ingress-backend-missing",
        severity: Warning,
        origin: Lint,
        summary: "An Ingress backend names a missing Service or Service port.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for o in cx.accepted() {
        let Body::Ingress(ing) = &o.body else {
            continue;
        };
        for at in ing.service_backends() {
            let b = at.service;
            let svc = cx.find_service(&o.namespace, b.service());
            let message = match svc {
                None => format!(
                    "Ingress {}/{} routes to Service {:?}, which is not in namespace {}",
                    o.namespace,
                    o.name(),
                    b.service(),
                    o.namespace
                ),
                Some(s) => {
                    let found = s.ports.iter().any(|p| b.selects_port(p.port, &p.name));
                    if found || s.external_name.is_some() {
                        continue;
                    }
                    let want = b.port_text();
                    let have: Vec<String> = s
                        .ports
                        .iter()
                        .map(|p| {
                            if p.name.is_empty() {
                                p.port.to_string()
                            } else {
                                format!("{} ({})", p.port, p.name)
                            }
                        })
                        .collect();
                    format!(
                        "Ingress {}/{} routes to port {want} of Service {:?}, which has ports {}",
                        o.namespace,
                        o.name(),
                        b.service(),
                        have.join(", ")
                    )
                }
            };
            // Point at the name when the Service is missing, else at the port.
            let span = if svc.is_none() {
                b.name.as_ref().map(|n| n.span)
            } else {
                b.port_number
                    .as_ref()
                    .map(|n| n.span)
                    .or(b.port_name.as_ref().map(|n| n.span))
            };
            let mut d = finding(
                (RULE.code, RULE.severity),
                o,
                span.unwrap_or(at.backend.span),
                message,
            );
            if let Some(so) = svc.and_then(|s| cx.objects.get(s.object)) {
                d = d.with_related(so.source, so.anchor_span(), "the Service");
            }
            out.push(d);
        }
    }
}
