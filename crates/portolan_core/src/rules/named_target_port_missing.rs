//! `named-target-port-missing`: a named targetPort that some or all selected
//! pods do not expose (for the Service port's protocol).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::endpoints::find_port;
use crate::model::Object;
use crate::model::{Body, PodSpec};
use crate::snapshot::{ClusterPort, ClusterService, IntOrStringJson};
use crate::source::Span;
use crate::types::{Protocol, ServiceType};

rule! {
    /// ## What it does
    /// Resolves every named `targetPort` against the containers (and sidecar init containers) of each selected pod, as the EndpointSlice controller does, and reports pods that do not declare a port of that name and protocol. A numeric targetPort is never reported: Kubernetes does not require containers to declare it.
    ///
    /// ## Why it matters
    /// A pod that lacks the name is published without that port and receives no traffic for it, although it is selected; with all pods lacking it, the Service port rejects every connection.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: http   # the container's port is named web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    ///         ports:
    ///         - name: web
    ///           containerPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: web    # the name the container gives its port
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    ///         ports:
    ///         - name: web
    ///           containerPort: 8080
    /// ```
    ///
    /// ## References
    /// Spec C.3.1 (`FindPort`), C.3.3, F.7.
    pub const RULE {
        code: "named-target-port-missing",
        name: "named-target-port-missing",
        severity: Warning,
        origin: Lint,
        summary: "A named targetPort is not exposed by some or all of the selected pods.",
    }
}

/// How a named targetPort resolves in one selected workload.
pub(super) enum Resolution {
    Found,
    Missing,
    /// A port of that name exists, with this other protocol.
    WrongProtocol(String),
}

/// Each selected workload (or bare pod) and how `name`/`protocol` resolves
/// in it, as `FindPort` does (C.3.1).
pub(super) fn resolve(
    cx: &LintCx<'_>,
    t: &NamedTarget<'_>,
    protocol: Protocol,
) -> Vec<(String, Resolution)> {
    let name = t.name;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for &pod_index in t.selected.iter() {
        let pod = &cx.cluster.pods[pod_index];
        let owner = pod
            .owner
            .as_deref()
            .map_or_else(|| format!("Pod/{}", pod.name), str::to_owned);
        if !seen.insert(owner.clone()) {
            continue;
        }
        let Some(spec) = spec_of(cx, pod.object) else {
            continue;
        };
        let r = if find_port(spec, name, protocol).is_some() {
            Resolution::Found
        } else {
            spec.port_search_order()
                .flat_map(|c| c.ports.iter())
                .find(|p| p.name.as_ref().is_some_and(|n| n.value == name))
                .map_or(Resolution::Missing, |p| {
                    Resolution::WrongProtocol(p.protocol().to_owned())
                })
        };
        out.push((owner, r));
    }
    out
}

/// A named targetPort of a Service with a selector that the API server accepts.
pub(super) struct NamedTarget<'c> {
    pub object: &'c Object,
    pub port: &'c ClusterPort,
    pub name: &'c str,
    /// The `targetPort` node.
    pub span: Span,
    /// The pods behind the Service's endpoints, found once per Service.
    pub selected: std::rc::Rc<[usize]>,
}

pub(super) fn named_targets<'c>(cx: &'c LintCx<'_>) -> Vec<NamedTarget<'c>> {
    let mut out = Vec::new();
    for svc in &cx.cluster.services {
        if svc.selector.is_none() || svc.type_ == ServiceType::ExternalName {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        let mut selected: Option<std::rc::Rc<[usize]>> = None;
        for (i, port) in svc.ports.iter().enumerate() {
            let IntOrStringJson::Str(name) = &port.target_port else {
                continue;
            };
            let span = model
                .ports
                .get(i)
                .and_then(|p| p.target_port.as_ref())
                .map_or(object.anchor_span(), |t| t.span);
            out.push(NamedTarget {
                object,
                port,
                name,
                span,
                selected: selected
                    .get_or_insert_with(|| selected_pods(svc).into())
                    .clone(),
            });
        }
    }
    out
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for t in named_targets(cx) {
        let all = resolve(cx, &t, t.port.protocol);
        let missing: Vec<&str> = all
            .iter()
            .filter(|(_, r)| matches!(r, Resolution::Missing))
            .map(|(o, _)| o.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let how_many = if missing.len() == all.len() {
            format!("any selected pod ({})", missing.join(", "))
        } else {
            format!(
                "{} ({} of {} selected workloads)",
                missing.join(", "),
                missing.len(),
                all.len()
            )
        };
        let name = t.name;
        let mut d = finding((RULE.code, RULE.severity), t.object, t.span, format!(
                "targetPort {name:?} ({}) is not exposed by {how_many}",
                t.port.protocol
            ));
        d.help = Some(format!(
            "name a containerPort {name:?} in those pods, or use a port number"
        ));
        out.push(d);
    }
}

/// The pods behind a Service's endpoints, each once, in order.
fn selected_pods(svc: &ClusterService) -> Vec<usize> {
    let mut pods: Vec<usize> = svc.endpoints.iter().filter_map(|e| e.pod_index).collect();
    pods.sort_unstable();
    pods.dedup();
    pods
}

pub(super) fn spec_of<'a>(cx: &'a LintCx<'_>, object: usize) -> Option<&'a PodSpec> {
    match &cx.objects.get(object)?.body {
        Body::Pod(p) => Some(&p.0),
        Body::Workload(w) => w.template.as_ref().map(|t| &t.spec),
        _ => None,
    }
}
