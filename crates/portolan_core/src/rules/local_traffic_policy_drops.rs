//! `local-traffic-policy-drops`: externalTrafficPolicy Local on a Service
//! with nodes that have no local endpoint: external traffic reaching them is
//! dropped.

use std::collections::BTreeSet;

use super::{LintCx, Rule};
use crate::diag::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "local-traffic-policy-drops",
    name: "local-traffic-policy-drops",
    severity: Severity::Warning,
    summary: "externalTrafficPolicy Local, but some nodes have no local endpoint: traffic to them is dropped.",
    docs: "## What it does\nFor NodePort and LoadBalancer Services with `externalTrafficPolicy: Local`, lists the nodes without a ready endpoint of the Service.\n\n## Why is this bad?\nExternal packets arriving at those nodes are dropped (the client sees a timeout). Load balancers that health-check `healthCheckNodePort` avoid such nodes, but NodePort clients and misconfigured balancers do not.\n\n## Example\n```yaml\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local   # 1 replica, 3 nodes: 2 nodes drop\n```\n\n## References\nSpec D.4.3, D.4.8, F.10.\n",
    origin: "lint",
};

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.external_traffic_policy.as_deref() != Some("Local")
            || !matches!(svc.type_.as_str(), "NodePort" | "LoadBalancer")
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
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            o.source,
            span,
            format!("externalTrafficPolicy Local: {} of {} nodes have no ready endpoint of {}/{} and drop external traffic ({})", without.len(), cx.cluster.nodes.len(), svc.namespace, svc.name, without.join(", ")),
        )
        .with_object(Some(o.object_ref()));
        d.help = Some("run a pod on every node (a DaemonSet), rely on a load balancer that health-checks healthCheckNodePort, or use externalTrafficPolicy: Cluster".to_owned());
        out.push(d);
    }
}
