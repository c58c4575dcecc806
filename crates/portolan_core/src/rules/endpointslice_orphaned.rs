//! `endpointslice-orphaned`: a user EndpointSlice that kube-proxy will not
//! associate with any Service port.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Body;

rule! {
    /// ## What it does
    /// Checks each EndpointSlice not managed by the controller: it must carry `kubernetes.io/service-name`, name a Service of its namespace, and have port names (and protocols) that match the Service's port names.
    ///
    /// ## Why it matters
    /// kube-proxy associates slices with Services only through that label, and slice ports with Service ports only by name: an unlabelled slice, or a port named `http` for a Service port named `web`, carries no traffic.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   ports:
    ///   - port: 5432         # unnamed
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// endpoints:
    /// - addresses: [10.20.0.15]
    /// ports:
    /// - name: postgres       # the Service port is unnamed
    ///   port: 5432
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   ports:
    ///   - name: postgres     # the name the slice's port carries
    ///     port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// endpoints:
    /// - addresses: [10.20.0.15]
    /// ports:
    /// - name: postgres
    ///   port: 5432
    /// ```
    ///
    /// ## References
    /// Spec C.6.1, C.6.2.
    pub const RULE {
        code: "endpointslice-orphaned",
        name: "endpointslice-orphaned",
        severity: Warning,
        origin: Lint,
        summary: "An EndpointSlice lacks the service-name label, names a missing Service, or matches none of its ports.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for o in cx.accepted() {
        let Body::EndpointSlice(eps) = &o.body else {
            continue;
        };
        // Slices the controllers write are right by construction.
        if o.meta
            .labels
            .get("endpointslice.kubernetes.io/managed-by")
            .is_some_and(|m| m.ends_with(".k8s.io"))
        {
            continue;
        }
        let label = o.meta.labels.get("kubernetes.io/service-name");
        let message = match label {
            None => format!(
                "EndpointSlice {}/{} has no kubernetes.io/service-name label: no Service uses it",
                o.namespace,
                o.name()
            ),
            Some(name) => {
                let Some(svc) = cx.find_service(&o.namespace, name) else {
                    out.push(finding((RULE.code, RULE.severity), o, o.meta.labels.key_span("kubernetes.io/service-name"), format!("EndpointSlice {}/{} is for Service {name:?}, which is not in the input", o.namespace, o.name())));
                    continue;
                };
                let matched = eps.ports.iter().any(|p| {
                    p.port.is_some()
                        && svc.ports.iter().any(|sp| {
                            sp.name == p.name.clone().unwrap_or_default()
                                && sp.protocol.as_str() == p.protocol
                        })
                });
                if matched || eps.ports.is_empty() {
                    continue;
                }
                let numberless: Vec<String> = eps
                    .ports
                    .iter()
                    .filter(|p| p.port.is_none_or(|n| n == 0))
                    .map(|p| format!("{:?}", p.name.clone().unwrap_or_default()))
                    .collect();
                if numberless.len() == eps.ports.len() {
                    out.push(finding((RULE.code, RULE.severity), o, o.anchor_span(), format!("EndpointSlice {}/{} has ports without a port number ({}): kube-proxy ignores them", o.namespace, o.name(), numberless.join(", "))));
                    continue;
                }
                let names: Vec<String> = eps
                    .ports
                    .iter()
                    .map(|p| format!("{:?}", p.name.clone().unwrap_or_default()))
                    .collect();
                let want: Vec<String> = svc.ports.iter().map(|p| format!("{:?}", p.name)).collect();
                format!(
                    "EndpointSlice {}/{} port names {} match none of Service {:?}'s port names {}",
                    o.namespace,
                    o.name(),
                    names.join(", "),
                    name,
                    want.join(", ")
                )
            }
        };
        out.push(
            finding((RULE.code, RULE.severity), o, o.anchor_span(), message),
        );
    }
}
