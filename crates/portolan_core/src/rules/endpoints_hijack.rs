//! `endpoints-hijack`: an EndpointSlice or Endpoints object in the input
//! that attaches endpoints to a Service it does not belong to.
//!
//! kube-proxy programs every EndpointSlice labelled
//! `kubernetes.io/service-name: NAME`, whoever wrote it: it keys slices by
//! that label alone and never looks at `endpointslice.kubernetes.io/managed-by`
//! (`endpointSliceCacheKeys`, pkg/proxy/endpointslicecache.go). So a slice
//! in a pull request can send a share of another team's traffic — or of the
//! API server's — to an address of the author's choosing.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::{Body, Object};

rule! {
    /// ## What it does
    /// Reports an EndpointSlice (by its `kubernetes.io/service-name` label) or an Endpoints object (by its name) written in the input that
    /// - names `default/kubernetes`, the API server's own Service, whose endpoints only the API server's reconciler writes;
    /// - claims the EndpointSlice controller's label `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`, which only the controller may set;
    /// - attaches endpoints to a Service that has a selector, whose endpoints the controllers derive from its pods.
    ///
    /// Objects read from a cluster (with `uid`, `resourceVersion` or `creationTimestamp`) are what the cluster already runs and are not reported.
    ///
    /// ## Why it matters
    /// kube-proxy programs every EndpointSlice that carries a Service's name, whoever wrote it, and merges it with the controller's: a hand-made slice sends a share of the Service's connections to any address its author chose. For `default/kubernetes` that is every in-cluster client of the API server, service-account tokens included. A slice carrying the controller's label for a selector-less Service is never cleaned up (kubernetes#118376). Write access to Endpoints and EndpointSlices is exactly what CVE-2021-25740 is about.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments
    /// spec:
    ///   selector:
    ///     app: payments     # the controllers derive its endpoints from its pods
    ///   ports:
    ///   - port: 443
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: payments-extra
    ///   labels:
    ///     kubernetes.io/service-name: payments   # a Service with a selector
    /// addressType: IPv4
    /// endpoints:
    /// - addresses: [203.0.113.66]   # receives a share of payments' connections
    /// ports:
    /// - port: 443
    /// ```
    ///
    /// ## Use instead
    /// Give endpoints only to Services without a selector, with a `managed-by` value of your own; change a selector Service's endpoints by changing its pods.
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments-gateway
    /// spec:                 # no selector: the slice below is its only source of endpoints
    ///   ports:
    ///   - port: 443
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: payments-gateway-1
    ///   labels:
    ///     kubernetes.io/service-name: payments-gateway
    ///     endpointslice.kubernetes.io/managed-by: platform.example.com
    /// addressType: IPv4
    /// endpoints:
    /// - addresses: [203.0.113.66]
    /// ports:
    /// - port: 443
    /// ```
    ///
    /// ## References
    /// kubernetes/kubernetes pkg/proxy/endpointslicecache.go (`endpointSliceCacheKeys`); pkg/controller/endpointslice (`controllerQualifiedName`); pkg/controlplane/reconcilers (the `kubernetes` Service's endpoints); Kubernetes docs, *EndpointSlices*, "Management"; CVE-2021-25740 (kubernetes#103675); kubernetes#118376.
    pub const RULE {
        code: "endpoints-hijack",
        name: "endpoints-hijack",
        severity: Error,
        origin: Lint,
        summary: "An EndpointSlice or Endpoints object attaches endpoints to a Service it does not belong to.",
    }
}

const SERVICE_NAME: &str = "kubernetes.io/service-name";
const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
const CONTROLLER: &str = "endpointslice-controller.k8s.io";

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for o in cx.accepted() {
        if o.meta.live {
            continue;
        }
        let (what, service, span) = match &o.body {
            Body::EndpointSlice(_) => match o.meta.labels.get(SERVICE_NAME) {
                Some(name) => ("EndpointSlice", name, o.meta.labels.key_span(SERVICE_NAME)),
                None => continue,
            },
            Body::Endpoints(_) => ("Endpoints", o.name(), o.anchor_span()),
            _ => continue,
        };
        let Some(problem) = problem(cx, o, what, service) else {
            continue;
        };
        let mut d = finding((RULE.code, RULE.severity), o, span, format!("{what} {}/{} {problem}", o.namespace, o.name()));
        d.help = Some("remove it; give endpoints only to a Service without a selector, with a managed-by value of your own".to_owned());
        out.push(d);
    }
}

fn problem(cx: &LintCx<'_>, o: &Object, what: &str, service: &str) -> Option<String> {
    if o.namespace == "default" && service == "kubernetes" {
        return Some("gives endpoints to default/kubernetes, the API server's Service: in-cluster clients of the API server would connect to its addresses".to_owned());
    }
    if what == "EndpointSlice" && o.meta.labels.get(MANAGED_BY) == Some(CONTROLLER) {
        return Some(format!(
            "claims {MANAGED_BY}: {CONTROLLER}, a label only the EndpointSlice controller sets; kube-proxy sends Service {service:?} traffic to its addresses"
        ));
    }
    let svc = cx.find_service(&o.namespace, service)?;
    svc.selector.as_ref()?;
    Some(format!(
        "adds endpoints to Service {}/{service}, which has a selector: kube-proxy merges them with the endpoints of its pods and sends a share of its traffic there",
        o.namespace
    ))
}
