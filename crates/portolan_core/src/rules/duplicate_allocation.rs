//! `duplicate-allocation`: two Services hold the same `ClusterIP` or the same
//! node port.
//!
//! For manifests the API server's allocator already refuses the second
//! Service (`service-allocation`, spec A.13), and that Service is rejected,
//! so this rule never repeats it. What is left are objects read from a
//! cluster (they carry `uid`, `resourceVersion` or `creationTimestamp` and
//! were allocated by that cluster, so the allocation check skips them): two
//! of them holding one address means the input mixes clusters or snapshots
//! taken at different times, and kube-proxy cannot program both.

use std::collections::HashMap;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::{Body, Object};
use crate::source::Span;

rule! {
    /// ## What it does
    /// Finds Services that hold the same `ClusterIP` or the same node port (`nodePort` or `healthCheckNodePort`) where the allocation check cannot: objects read from a cluster (with `uid`, `resourceVersion` or `creationTimestamp`), which that cluster allocated.
    ///
    /// ## Why it matters
    /// One cluster never hands out an address twice, so the input mixes objects from different clusters or from snapshots taken at different times. kube-proxy keys its rules by address: only one of the Services can receive the traffic, and the routing Portolan shows for the other is not what any cluster does.
    ///
    /// ## Example
    /// ```yaml
    /// # two Services exported from different clusters
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   uid: 5f1c2a7e-8d4b-4c1e-9a3f-2b7d6e0c4a11
    /// spec:
    ///   selector: {app: web}
    ///   clusterIP: 10.96.0.20
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   uid: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
    /// spec:
    ///   selector: {app: api}
    ///   clusterIP: 10.96.0.20   # the same address as web
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # both Services exported from one cluster at one time
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   uid: 5f1c2a7e-8d4b-4c1e-9a3f-2b7d6e0c4a11
    /// spec:
    ///   selector: {app: web}
    ///   clusterIP: 10.96.0.20
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   uid: 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b
    /// spec:
    ///   selector: {app: api}
    ///   clusterIP: 10.96.0.21   # the cluster gave each Service its own address
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## References
    /// Spec A.13 (the allocator refuses duplicates for new objects), D.2.
    pub const RULE {
        code: "duplicate-allocation",
        name: "duplicate-allocation",
        severity: Warning,
        origin: Lint,
        summary: "Two Services hold the same ClusterIP or node port.",
    }
}

/// The first holder of an address: object index and the field's span.
type Holder = (usize, Span);

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut ips: HashMap<String, Holder> = HashMap::new();
    let mut ports: HashMap<i64, Holder> = HashMap::new();
    for (index, o) in cx.objects.iter().enumerate() {
        let Body::Service(svc) = &o.body else {
            continue;
        };
        if cx.rejected.contains(&index) {
            continue;
        }
        let Some(d) = cx.defaults.get(index) else {
            continue;
        };
        if d.type_ == "ExternalName" {
            continue;
        }
        if !d.headless {
            for ip in d.cluster_ips {
                let Some(addr) = crate::names::parse_ip(&ip.value) else {
                    continue;
                };
                let span = ip.span;
                match ips.get(&addr.to_string()) {
                    Some(&(first, first_span)) if first != index => {
                        report(
                            cx,
                            out,
                            (index, span),
                            (first, first_span),
                            &format!("ClusterIP {addr}"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        ips.insert(addr.to_string(), (index, span));
                    }
                }
            }
        }
        if !matches!(d.type_, "NodePort" | "LoadBalancer") {
            continue;
        }
        let node_ports = svc
            .ports
            .iter()
            .filter_map(|p| p.node_port.as_ref())
            .map(|n| ("nodePort", n))
            .chain(
                svc.health_check_node_port
                    .iter()
                    .filter(|_| d.needs_health_check())
                    .map(|h| ("healthCheckNodePort", h)),
            );
        for (field, np) in node_ports {
            if np.value == 0 {
                continue;
            }
            match ports.get(&np.value) {
                // The ports of one Service may share a node port across
                // protocols (spec A.13); within one Service the API
                // validation has the last word.
                Some(&(first, first_span)) if first != index => {
                    report(
                        cx,
                        out,
                        (index, np.span),
                        (first, first_span),
                        &format!("{field} {}", np.value),
                    );
                }
                Some(_) => {}
                None => {
                    ports.insert(np.value, (index, np.span));
                }
            }
        }
    }
}

fn report(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>, this: Holder, first: Holder, what: &str) {
    let (o, other) = (&cx.objects[this.0], &cx.objects[first.0]);
    if key(o) == key(other) {
        // The same Service twice (two exports of one object): not a clash.
        return;
    }
    let mut d = finding((RULE.code, RULE.severity), o, this.1, format!(
            "{what} of Service {} is already held by Service {}",
            key(o),
            key(other)
        ))
    .with_related(
        other.source,
        first.1,
        format!("{what} of Service {}", key(other)),
    );
    d.help = Some(
        "one cluster never allocates an address twice: check that every object comes from the same cluster and the same moment (`kubectl get -A -o yaml` in one call)".to_owned(),
    );
    out.push(d);
}

fn key(o: &Object) -> String {
    format!("{}/{}", o.namespace, o.name())
}
