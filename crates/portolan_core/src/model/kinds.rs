//! Decoding by kind, and the models of workloads, `EndpointSlices`, Endpoints,
//! Nodes and Ingresses. Only the built-in API groups are decoded: a CRD kind
//! that happens to be called `Service` (Knative's) is not a core Service.

use super::decode::{Cx, Index, Key, Spanned, StringMap};
use super::pod::{PodTemplate, decode_spec, decode_status, decode_template};
use super::{Body, service};
use crate::codes;
use crate::source::Span;
use crate::yaml::{Node, Resolved};

/// One `matchExpressions` entry.
#[derive(Clone, Debug, Default)]
pub struct SelectorExpr {
    pub span: Span,
    pub key: Option<Spanned<String>>,
    pub operator: Option<Spanned<String>>,
    pub values: Vec<Spanned<String>>,
    pub values_span: Option<Span>,
}

/// `metav1.LabelSelector`, or a `ReplicationController`'s map selector.
#[derive(Clone, Debug, Default)]
pub struct LabelSelector {
    pub span: Span,
    pub match_labels: StringMap,
    pub match_expressions: Vec<SelectorExpr>,
}

#[derive(Clone, Debug, Default)]
pub struct Workload {
    pub replicas: Option<Spanned<i64>>,
    /// `None` when absent or null.
    pub selector: Option<LabelSelector>,
    pub template: Option<PodTemplate>,
    /// Path of the pod template (`spec.template`, `spec.jobTemplate.spec.template`).
    pub template_path: &'static str,
    pub service_name: Option<Spanned<String>>,
    pub spec_span: Span,
    /// Built-in, or a custom resource whose pods are read from its shape.
    pub origin: WorkloadOrigin,
}

/// Where a workload's pods come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WorkloadOrigin {
    /// A built-in controller (Deployment, StatefulSet, …): validated as the
    /// API server validates it.
    #[default]
    BuiltIn,
    /// A custom resource that carries a pod template (`spec.template` with
    /// labels and containers, and `spec.replicas`) — Argo Rollouts'
    /// `Rollout`, OpenKruise's `CloneSet`, OpenShift's `DeploymentConfig`:
    /// its pods are made like a Deployment's. Its schema is its CRD's, so it
    /// is neither validated nor read strictly.
    PodTemplate,
    /// The pods an operator creates from a custom resource, named as the
    /// operator's StatefulSet names them (`prometheus-k8s-0`, …).
    Operator { statefulset: String },
}

#[derive(Clone, Debug, Default)]
pub struct EpsEndpoint {
    pub span: Span,
    pub addresses: Vec<String>,
    pub ready: Option<bool>,
    pub serving: Option<bool>,
    pub terminating: Option<bool>,
    pub node_name: Option<String>,
    pub hostname: Option<String>,
    pub zone: Option<String>,
    pub target_pod: Option<String>,
    /// `hints.forZones[].name` and `hints.forNodes[].name`, as published.
    pub hints: Option<Hints>,
}

/// Topology hints of an endpoint (`discovery/v1` `EndpointHints`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hints {
    #[serde(rename = "forZones", skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub for_zones: Vec<String>,
    #[serde(rename = "forNodes", skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub for_nodes: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct EpsPort {
    pub span: Span,
    pub name: Option<String>,
    pub port: Option<i64>,
    pub protocol: String,
}

#[derive(Clone, Debug, Default)]
pub struct EndpointSlice {
    pub address_type: String,
    pub endpoints: Vec<EpsEndpoint>,
    pub ports: Vec<EpsPort>,
}

/// Legacy `v1.Endpoints`, flattened: one entry per subset.
#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    pub subsets: Vec<(Vec<EpsEndpoint>, Vec<EpsPort>)>,
}

#[derive(Clone, Debug, Default)]
pub struct NodeObj {
    pub addresses: Vec<(String, String)>,
    /// `status.allocatable.cpu` in millicores, when given and parsable.
    pub allocatable_cpu_milli: Option<i64>,
    /// The `Ready` condition's status, when the object carries conditions.
    pub ready: Option<bool>,
}

impl NodeObj {
    /// The primary IP: first `InternalIP`, else first `ExternalIP` (`GetNodeHostIPs`).
    pub fn primary_ip(&self) -> Option<&str> {
        let first = |t: &str| {
            self.addresses
                .iter()
                .find(|(ty, _)| ty == t)
                .map(|(_, a)| a.as_str())
        };
        first("InternalIP").or_else(|| first("ExternalIP"))
    }
}

pub(super) fn decode_body(cx: &mut Cx<'_>, api_version: &str, kind: &str, node: &Node<'_>) -> Body {
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    match (group, kind) {
        ("", "Service") => Body::Service(Box::new(service::decode(cx, node))),
        ("", "Pod") => {
            top_level(
                cx,
                node,
                &["apiVersion", "kind", "metadata", "spec", "status"],
            );
            let mut spec = node
                .get("spec")
                .map(|s| decode_spec(cx, s, &"spec"))
                .unwrap_or_default();
            if let Some(k) = node.key_span("spec") {
                spec.span = k;
            }
            let status = node.get("status").map(decode_status).unwrap_or_default();
            Body::Pod(Box::new((spec, status)))
        }
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet")
        | ("", "ReplicationController")
        | ("batch", "Job" | "CronJob") => Body::Workload(Box::new(decode_workload(cx, kind, node))),
        ("discovery.k8s.io", "EndpointSlice") => Body::EndpointSlice(Box::new(decode_slice(node))),
        ("", "Endpoints") => Body::Endpoints(Box::new(decode_endpoints(node))),
        ("", "Node") => Body::Node(Box::new(decode_node(node))),
        ("", "Namespace") => Body::Namespace,
        ("networking.k8s.io", "Ingress") => {
            Body::Ingress(Box::new(super::ingress::decode(cx, node)))
        }
        ("networking.k8s.io", "IngressClass") => {
            Body::IngressClass(Box::new(super::ingress::decode_class(cx, node)))
        }
        ("gateway.networking.k8s.io", "GatewayClass") => {
            with_schema(cx, codes::GATEWAY_SPEC.code, |cx| {
                Body::GatewayClass(Box::new(super::gateway::decode_class(cx, node)))
            })
        }
        ("gateway.networking.k8s.io", "Gateway") => {
            with_schema(cx, codes::GATEWAY_SPEC.code, |cx| {
                Body::Gateway(Box::new(super::gateway::decode_gateway(cx, node)))
            })
        }
        ("gateway.networking.k8s.io", "HTTPRoute" | "GRPCRoute") => {
            with_schema(cx, codes::ROUTE_SPEC.code, |cx| {
                Body::Route(Box::new(super::gateway::decode_route(
                    cx,
                    node,
                    kind == "GRPCRoute",
                )))
            })
        }
        ("gateway.networking.k8s.io", "ReferenceGrant") => {
            with_schema(cx, codes::REFERENCE_GRANT_SPEC.code, |cx| {
                Body::ReferenceGrant(Box::new(super::gateway::decode_grant(cx, node)))
            })
        }
        ("", "ConfigMap") => Body::ConfigMap(Box::new(decode_config_map(node))),
        ("networking.k8s.io", "NetworkPolicy") => {
            Body::NetworkPolicy(Box::new(super::netpol::decode(cx, node)))
        }
        (group, _) => super::custom::workload(cx, group, kind, node)
            .map_or(Body::Other, |w| Body::Workload(Box::new(w))),
    }
}

/// Decode a custom resource whose schema the API server checks: its wrong
/// types are that schema's field errors, under the kind's validation code
/// (spec H.1.2).
fn with_schema(
    cx: &mut Cx<'_>,
    code: &'static str,
    decode: impl FnOnce(&mut Cx<'_>) -> Body,
) -> Body {
    cx.schema = Some(code);
    let body = decode(cx);
    cx.schema = None;
    body
}

/// A ConfigMap's `data` values that can be a client reference (interfaces.md
/// §6.5): one line and at most [`ConfigMap::MAX_VALUE`] bytes. Files and
/// prose are not kept, so a large ConfigMap costs its keys only.
#[derive(Clone, Debug, Default)]
pub struct ConfigMap {
    /// Key, and the value when it may be a reference.
    pub data: Vec<(String, Option<Spanned<String>>)>,
}

impl ConfigMap {
    pub const MAX_VALUE: usize = 2048;

    pub fn get(&self, key: &str) -> Option<&Spanned<String>> {
        self.data.iter().find(|(k, _)| k == key)?.1.as_ref()
    }
}

/// Read leniently: a ConfigMap carries no routing of its own, and kubectl's
/// checks of its data are not Portolan's.
fn decode_config_map(node: &Node<'_>) -> ConfigMap {
    let mut cm = ConfigMap::default();
    let Some(entries) = node.get("data").and_then(Node::as_map) else {
        return cm;
    };
    cm.data.reserve_exact(entries.len());
    for (k, v) in entries {
        let Some(key) = k.key_text() else { continue };
        let value = match v.resolve() {
            Resolved::Str(s) if s.len() <= ConfigMap::MAX_VALUE && !s.contains('\n') => {
                Some(Spanned::new(s.to_owned(), v.span))
            }
            _ => None,
        };
        cm.data.push((key.to_owned(), value));
    }
    cm
}

fn top_level(cx: &mut Cx<'_>, node: &Node<'_>, known: &[&str]) {
    cx.map(node, "", known);
}

fn workload_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Deployment" => &[
            "minReadySeconds",
            "paused",
            "progressDeadlineSeconds",
            "replicas",
            "revisionHistoryLimit",
            "selector",
            "strategy",
            "template",
        ],
        "StatefulSet" => &[
            "minReadySeconds",
            "ordinals",
            "persistentVolumeClaimRetentionPolicy",
            "podManagementPolicy",
            "replicas",
            "revisionHistoryLimit",
            "selector",
            "serviceName",
            "template",
            "updateStrategy",
            "volumeClaimTemplates",
        ],
        "DaemonSet" => &[
            "minReadySeconds",
            "revisionHistoryLimit",
            "selector",
            "template",
            "updateStrategy",
        ],
        "ReplicaSet" | "ReplicationController" => {
            &["minReadySeconds", "replicas", "selector", "template"]
        }
        "Job" => &[
            "activeDeadlineSeconds",
            "backoffLimit",
            "backoffLimitPerIndex",
            "completionMode",
            "completions",
            "managedBy",
            "manualSelector",
            "maxFailedIndexes",
            "parallelism",
            "podFailurePolicy",
            "podReplacementPolicy",
            "selector",
            "successPolicy",
            "suspend",
            "template",
            "ttlSecondsAfterFinished",
        ],
        _ => &[
            "concurrencyPolicy",
            "failedJobsHistoryLimit",
            "jobTemplate",
            "schedule",
            "startingDeadlineSeconds",
            "successfulJobsHistoryLimit",
            "suspend",
            "timeZone",
        ],
    }
}

pub(super) fn decode_workload(cx: &mut Cx<'_>, kind: &str, node: &Node<'_>) -> Workload {
    top_level(
        cx,
        node,
        &["apiVersion", "kind", "metadata", "spec", "status"],
    );
    let mut w = Workload {
        template_path: "spec.template",
        ..Workload::default()
    };
    let Some(spec) = node.get("spec") else {
        return w;
    };
    w.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let Some(entries) = cx.map(spec, "spec", workload_fields(kind)) else {
        return w;
    };
    let mut spec_entries = entries;
    let jobs;
    if kind == "CronJob" {
        w.template_path = "spec.jobTemplate.spec.template";
        let Some(jt) = spec.get("jobTemplate") else {
            return w;
        };
        let Some(jt_entries) = cx.map(jt, "spec.jobTemplate", &["metadata", "spec"]) else {
            return w;
        };
        let Some(job_spec) = jt_entries
            .iter()
            .find(|(k, _)| k.key_text() == Some("spec"))
        else {
            return w;
        };
        jobs = cx.map(&job_spec.1, "spec.jobTemplate.spec", workload_fields("Job"));
        let Some(e) = jobs else { return w };
        spec_entries = e;
    }
    let prefix = if kind == "CronJob" {
        "spec.jobTemplate.spec"
    } else {
        "spec"
    };
    for (k, v) in spec_entries {
        let key = k.key_text().unwrap_or("");
        let path = Key(&prefix, key);
        match key {
            "replicas" => w.replicas = cx.int(v, path),
            "serviceName" => w.service_name = cx.string(v, path),
            "selector" if !v.is_null() => {
                let mut sel = if kind == "ReplicationController" {
                    let labels = cx.string_map(v, path);
                    LabelSelector {
                        span: v.span,
                        match_labels: labels,
                        match_expressions: vec![],
                    }
                } else {
                    decode_label_selector(cx, v, &path)
                };
                sel.span = k.span;
                w.selector = Some(sel);
            }
            "template" => w.template = Some(decode_template(cx, v, &path)),
            _ => {}
        }
    }
    w
}

pub(crate) fn decode_label_selector(
    cx: &mut Cx<'_>,
    node: &Node<'_>,
    path: &dyn std::fmt::Display,
) -> LabelSelector {
    let mut sel = LabelSelector {
        span: node.span,
        ..LabelSelector::default()
    };
    let Some(entries) = cx.map(node, path, &["matchExpressions", "matchLabels"]) else {
        return sel;
    };
    for (k, v) in entries {
        match k.key_text().unwrap_or("") {
            "matchLabels" => sel.match_labels = cx.string_map(v, Key(path, "matchLabels")),
            "matchExpressions" => {
                let base = Key(path, "matchExpressions");
                for (i, e) in cx.seq(v, base).iter().enumerate() {
                    let epath = Index(&base, i);
                    let mut expr = SelectorExpr {
                        span: e.span,
                        ..SelectorExpr::default()
                    };
                    if let Some(fields) = cx.map(e, epath, &["key", "operator", "values"]) {
                        for (fk, fv) in fields {
                            let name = fk.key_text().unwrap_or("");
                            let fpath = Key(&epath, name);
                            match name {
                                "key" => expr.key = cx.string(fv, fpath),
                                "operator" => expr.operator = cx.string(fv, fpath),
                                "values" => {
                                    expr.values = cx.strings(fv, fpath);
                                    expr.values_span = Some(fv.span);
                                }
                                _ => {}
                            }
                        }
                    }
                    sel.match_expressions.push(expr);
                }
            }
            _ => {}
        }
    }
    sel
}

fn text(n: &Node<'_>) -> Option<String> {
    match n.resolve() {
        Resolved::Str(s) => Some(s.to_owned()),
        Resolved::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn flag(n: Option<&Node<'_>>) -> Option<bool> {
    match n?.resolve() {
        Resolved::Bool(b) => Some(b),
        _ => None,
    }
}

fn int(n: Option<&Node<'_>>) -> Option<i64> {
    match n?.resolve() {
        Resolved::Int(i) => Some(i),
        _ => None,
    }
}

fn decode_ports(node: Option<&Node<'_>>) -> Vec<EpsPort> {
    let Some(items) = node.and_then(Node::as_seq) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|p| EpsPort {
            span: p.span,
            name: p.get("name").and_then(text).filter(|n| !n.is_empty()),
            port: int(p.get("port")),
            protocol: p
                .get("protocol")
                .and_then(text)
                .unwrap_or_else(|| "TCP".to_owned()),
        })
        .collect()
}

fn decode_slice(node: &Node<'_>) -> EndpointSlice {
    let mut eps = EndpointSlice {
        address_type: node.get("addressType").and_then(text).unwrap_or_default(),
        ports: decode_ports(node.get("ports")),
        ..EndpointSlice::default()
    };
    for e in node.get("endpoints").and_then(Node::as_seq).unwrap_or(&[]) {
        let conds = e.get("conditions");
        eps.endpoints.push(EpsEndpoint {
            span: e.span,
            addresses: e
                .get("addresses")
                .and_then(Node::as_seq)
                .map(|a| a.iter().filter_map(text).collect())
                .unwrap_or_default(),
            ready: flag(conds.and_then(|c| c.get("ready"))),
            serving: flag(conds.and_then(|c| c.get("serving"))),
            terminating: flag(conds.and_then(|c| c.get("terminating"))),
            node_name: e.get("nodeName").and_then(text),
            hostname: e.get("hostname").and_then(text),
            zone: e.get("zone").and_then(text),
            target_pod: target_pod(e),
            hints: e.get("hints").map(|h| {
                let names = |key: &str| -> Vec<String> {
                    h.get(key)
                        .and_then(Node::as_seq)
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|z| z.get("name").and_then(text))
                        .collect()
                };
                Hints {
                    for_zones: names("forZones"),
                    for_nodes: names("forNodes"),
                }
            }),
        });
    }
    eps
}

fn target_pod(e: &Node<'_>) -> Option<String> {
    let t = e.get("targetRef")?;
    if t.get("kind").and_then(text).as_deref() != Some("Pod") {
        return None;
    }
    t.get("name").and_then(text)
}

fn decode_endpoints(node: &Node<'_>) -> Endpoints {
    let mut out = Endpoints::default();
    for subset in node.get("subsets").and_then(Node::as_seq).unwrap_or(&[]) {
        let ports = decode_ports(subset.get("ports"));
        let mut eps = Vec::new();
        for (key, ready) in [("addresses", true), ("notReadyAddresses", false)] {
            for a in subset.get(key).and_then(Node::as_seq).unwrap_or(&[]) {
                eps.push(EpsEndpoint {
                    span: a.span,
                    addresses: a.get("ip").and_then(text).into_iter().collect(),
                    ready: Some(ready),
                    serving: Some(ready),
                    terminating: Some(false),
                    node_name: a.get("nodeName").and_then(text),
                    hostname: a.get("hostname").and_then(text),
                    zone: None,
                    target_pod: target_pod(a),
                    hints: None,
                });
            }
        }
        out.subsets.push((eps, ports));
    }
    out
}

fn decode_node(node: &Node<'_>) -> NodeObj {
    let mut n = NodeObj::default();
    let addrs = node
        .get("status")
        .and_then(|s| s.get("addresses"))
        .and_then(Node::as_seq);
    for a in addrs.unwrap_or(&[]) {
        if let (Some(t), Some(ad)) = (
            a.get("type").and_then(text),
            a.get("address").and_then(text),
        ) {
            n.addresses.push((t, ad));
        }
    }
    let status = node.get("status");
    n.allocatable_cpu_milli = status
        .and_then(|s| s.get("allocatable"))
        .and_then(|a| a.get("cpu"))
        .and_then(|c| match c.resolve() {
            Resolved::Int(i) => i.checked_mul(1000),
            Resolved::Str(s) => cpu_millis(s),
            Resolved::Float(f) if (0.0..1e15).contains(&f) => Some((f * 1000.0).ceil() as i64),
            _ => None,
        });
    n.ready = status
        .and_then(|s| s.get("conditions"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
        .iter()
        .find(|c| c.get("type").and_then(text).as_deref() == Some("Ready"))
        .map(|c| c.get("status").and_then(text).as_deref() == Some("True"));
    n
}

/// A CPU `resource.Quantity` in millicores, rounded up as `MilliValue` does:
/// `4`, `3500m`, `2.5`, `0.1`, `1k`. `None` for anything else.
pub fn cpu_millis(q: &str) -> Option<i64> {
    let q = q.trim();
    let (num, scale) = if let Some(n) = q.strip_suffix('m') {
        (n, 1_i64)
    } else if let Some(n) = q.strip_suffix('k') {
        (n, 1_000_000)
    } else {
        (q, 1000)
    };
    let (int_part, frac) = num.split_once('.').unwrap_or((num, ""));
    if int_part.is_empty() && frac.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let mut value = whole.checked_mul(scale)?;
    // The fraction, in units of the scale, rounded up.
    let mut unit = scale;
    let mut rest = false;
    for d in frac.bytes().map(|b| i64::from(b - b'0')) {
        if unit >= 10 {
            unit /= 10;
            value = value.checked_add(d * unit)?;
        } else if d != 0 {
            rest = true;
        }
    }
    if rest {
        value = value.checked_add(1)?;
    }
    Some(value)
}
