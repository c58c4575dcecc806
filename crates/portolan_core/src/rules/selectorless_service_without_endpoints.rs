//! `selectorless-service-without-endpoints`: a Service without a selector
//! and without any EndpointSlice or Endpoints feeding it.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Body;

rule! {
    /// ## What it does
    /// Reports a non-ExternalName Service without a selector when the input has no EndpointSlice labelled `kubernetes.io/service-name` with its name, and no Endpoints object of its name, in its namespace.
    ///
    /// ## Why it matters
    /// No controller creates endpoints for such a Service: unless something outside these manifests does, every connection is rejected. (It is reported as information because operators often manage these endpoints elsewhere.)
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy-db
    /// spec:
    ///   ports:
    ///   - port: 5432        # no selector, and no EndpointSlice for legacy-db
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy-db
    /// spec:
    ///   ports:
    ///   - port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-db-1
    ///   labels:
    ///     kubernetes.io/service-name: legacy-db   # feeds the Service
    /// addressType: IPv4
    /// endpoints:
    /// - addresses: [10.20.0.15]    # the database, outside the cluster
    /// ports:
    /// - port: 5432
    /// ```
    ///
    /// ## References
    /// Spec B.1.2, C.6.
    pub const RULE {
        code: "selectorless-service-without-endpoints",
        name: "selectorless-service-without-endpoints",
        severity: Info,
        origin: Lint,
        summary: "A Service without a selector has no EndpointSlice or Endpoints in the input.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    // (namespace, Service name) that an EndpointSlice or Endpoints object feeds.
    let fed: std::collections::HashSet<(&str, &str)> = cx
        .objects
        .iter()
        .filter_map(|o| {
            let name = match &o.body {
                Body::EndpointSlice(_) => o.meta.labels.get("kubernetes.io/service-name")?,
                Body::Endpoints(_) => o.name(),
                _ => return None,
            };
            Some((o.namespace.as_str(), name))
        })
        .collect();
    for svc in &cx.cluster.services {
        if svc.selector.is_some() || svc.external_name.is_some() || !svc.endpoints.is_empty() {
            continue;
        }
        if fed.contains(&(svc.namespace.as_str(), svc.name.as_str())) {
            continue;
        }
        let Some((o, _)) = cx.service(svc.object) else {
            continue;
        };
        let mut d = finding((RULE.code, RULE.severity), o, o.anchor_span(), format!(
                "Service {}/{} has no selector and nothing in the input gives it endpoints",
                svc.namespace, svc.name
            ));
        d.help = Some("add a selector, or an EndpointSlice labelled kubernetes.io/service-name with the Service's name".to_owned());
        out.push(d);
    }
}
