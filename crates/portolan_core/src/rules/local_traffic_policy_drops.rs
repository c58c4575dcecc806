//! `local-traffic-policy-drops`: externalTrafficPolicy Local on a NodePort
//! Service with nodes that have no local endpoint: external traffic reaching
//! them is dropped.
//!
//! A `type: LoadBalancer` Service is left alone: `Local` is the documented
//! way to keep client source IPs there, and the cloud load balancer
//! health-checks `healthCheckNodePort` (spec D.4.8), which answers 503 on
//! nodes without a local endpoint, so it sends them nothing
//! (<https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#preserving-the-client-source-ip>).

use std::collections::BTreeSet;

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::types::{ServiceType, TrafficPolicy};

rule! {
    /// ## What it does
    /// For `type: NodePort` Services with `externalTrafficPolicy: Local`, lists the nodes without a ready endpoint of the Service. `type: LoadBalancer` Services are not reported: their load balancer health-checks `healthCheckNodePort` and avoids those nodes, which is the documented way to preserve client source IPs.
    ///
    /// ## Why it matters
    /// External packets arriving at those nodes are dropped (the client sees a timeout): NodePort clients pick a node themselves, and nothing steers them away from the nodes without a local endpoint.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   externalTrafficPolicy: Local   # 1 replica, 3 nodes: 2 nodes drop
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 1
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   externalTrafficPolicy: Local
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet      # a pod on every node: no node drops
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers: [{name: web, image: nginx:1.27}]
    /// ```
    ///
    /// ## References
    /// Spec D.4.3, D.4.8, F.10; Kubernetes docs, *Create an External Load Balancer*, "Preserving the client source IP".
    pub const RULE {
        code: "local-traffic-policy-drops",
        name: "local-traffic-policy-drops",
        severity: Warning,
        origin: Lint,
        summary: "externalTrafficPolicy Local, but some nodes have no local endpoint: traffic to them is dropped.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.external_traffic_policy != Some(TrafficPolicy::Local)
            || svc.type_ != ServiceType::NodePort
        {
            continue;
        }
        let local: BTreeSet<&str> = svc
            .endpoints
            .iter()
            .filter(|e| e.ready && e.port.is_some())
            .filter_map(|e| e.node.as_deref())
            .collect();
        if local.is_empty() {
            continue; // no endpoints at all: REJECT, reported elsewhere
        }
        let without: Vec<&str> = cx
            .cluster
            .nodes
            .iter()
            .map(|n| n.name.as_str())
            .filter(|n| !local.contains(n))
            .collect();
        if without.is_empty() {
            continue;
        }
        let Some((o, model)) = cx.service(svc.object) else {
            continue;
        };
        let span = model
            .external_traffic_policy
            .as_ref()
            .map_or(o.anchor_span(), |e| e.span);
        let mut d = finding((RULE.code, RULE.severity), o, span, format!("externalTrafficPolicy Local: {} of {} nodes have no ready endpoint of {}/{} and drop external traffic ({})", without.len(), cx.cluster.nodes.len(), svc.namespace, svc.name, without.join(", ")));
        d.help = Some("run a pod on every node (a DaemonSet), put a load balancer that health-checks healthCheckNodePort in front (type: LoadBalancer), or use externalTrafficPolicy: Cluster".to_owned());
        out.push(d);
    }
}
