//! `statefulset-service-missing`: a StatefulSet's `serviceName` names no
//! Service, or a Service that is not headless.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Body;

rule! {
    /// ## What it does
    /// Checks that `spec.serviceName` of each StatefulSet names a headless Service (`clusterIP: None`) in the same namespace.
    ///
    /// ## Why it matters
    /// The governing Service gives each pod its stable DNS name (`web-0.web.ns.svc.cluster.local`). Without it, or with a Service that has a ClusterIP, those per-pod names do not exist and peers cannot find each other.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:               # no clusterIP: None, so not headless
    ///   selector:
    ///     app: db
    ///   ports:
    ///   - port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db     # needs a headless Service
    ///   selector:
    ///     matchLabels: {app: db}
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers: [{name: postgres, image: postgres:16}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   clusterIP: None     # headless: db-0.db, db-1.db, … resolve
    ///   selector:
    ///     app: db
    ///   ports:
    ///   - port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels: {app: db}
    ///   template:
    ///     metadata:
    ///       labels: {app: db}
    ///     spec:
    ///       containers: [{name: postgres, image: postgres:16}]
    /// ```
    ///
    /// ## References
    /// Spec C.2.4 (hostnames), D.8.2 (headless records).
    pub const RULE {
        code: "statefulset-service-missing",
        name: "statefulset-service-missing",
        severity: Warning,
        origin: Lint,
        summary: "A StatefulSet's serviceName names a missing or non-headless Service.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for o in cx.accepted() {
        let Body::Workload(w) = &o.body else { continue };
        if o.kind.value != "StatefulSet" {
            continue;
        }
        let Some(name) = w.service_name.as_ref().filter(|n| !n.value.is_empty()) else {
            continue;
        };
        let svc = cx.find_service(&o.namespace, &name.value);
        let problem = match svc {
            None => format!(
                "StatefulSet {}/{} names Service {:?}, which is not in the input",
                o.namespace,
                o.name(),
                name.value
            ),
            Some(s) if !s.headless => format!(
                "StatefulSet {}/{} names Service {:?}, which is not headless (it has a ClusterIP)",
                o.namespace,
                o.name(),
                name.value
            ),
            Some(_) => continue,
        };
        let mut d = finding((RULE.code, RULE.severity), o, name.span, problem);
        d.help = Some(format!(
            "create a Service {:?} with clusterIP: None selecting the StatefulSet's pods",
            name.value
        ));
        if let Some(s) = svc
            && let Some(so) = cx.objects.get(s.object)
        {
            d = d.with_related(so.source, so.anchor_span(), "the Service");
        }
        out.push(d);
    }
}
