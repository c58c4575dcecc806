//! Custom resources that make pods. Services route to them like to any pods,
//! so a Service in front of an Argo Rollout or kube-prometheus's Prometheus
//! is not "selecting nothing".
//!
//! Two shapes are recognised:
//! - any kind outside the built-in API groups whose `spec.template` holds
//!   `metadata.labels` and `spec.containers` (Argo Rollouts' `Rollout`,
//!   OpenKruise's `CloneSet`, OpenShift's `DeploymentConfig`, …): its pods
//!   are made like a Deployment's, `spec.replicas` of them (default 1);
//! - the resources of operators whose pods are documented:
//!   prometheus-operator's `Prometheus` and `Alertmanager`
//!   (monitoring.coreos.com), whose StatefulSets `prometheus-NAME` and
//!   `alertmanager-NAME` run `spec.replicas` pods (default 1) labelled as
//!   the operator labels them (`makeSelectorLabels` in
//!   pkg/prometheus/server/operator.go and pkg/alertmanager/operator.go;
//!   `spec.podMetadata.labels` first, the operator's labels win), with the
//!   container ports of `MakeContainerPorts` (pkg/prometheus/common.go),
//!   pkg/alertmanager/statefulset.go and the config reloader
//!   (pkg/operator/config_reloader.go).
//!
//! A custom resource's schema is its CRD's: it is read leniently (nothing
//! about its fields is reported) and never validated.

use super::decode::{Cx, Spanned, StringMap};
use super::kinds::{Workload, WorkloadOrigin, decode_workload};
use super::pod::{Container, ContainerPort, PodTemplate};
use crate::source::Span;
use crate::yaml::{Node, Resolved};

/// API groups of Kubernetes itself: an unknown kind there is not custom.
const BUILT_IN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "networking.k8s.io",
    "discovery.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "apiextensions.k8s.io",
    "admissionregistration.k8s.io",
    "coordination.k8s.io",
    "scheduling.k8s.io",
    "node.k8s.io",
    "certificates.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "apiregistration.k8s.io",
    "resource.k8s.io",
];

/// The workload a custom resource amounts to, if it makes pods.
pub(super) fn workload(
    cx: &mut Cx<'_>,
    group: &str,
    kind: &str,
    node: &Node<'_>,
) -> Option<Workload> {
    if BUILT_IN_GROUPS.contains(&group) {
        return None;
    }
    // Nothing about a custom resource's fields is reported: its findings go
    // to a scratch list.
    let mut scratch = Vec::new();
    let mut quiet = Cx {
        source: cx.source,
        diags: &mut scratch,
        maps: &mut *cx.maps,
        schema: None,
    };
    match (group, kind) {
        ("monitoring.coreos.com", "Prometheus") => Some(operator(&mut quiet, node, &PROMETHEUS)),
        ("monitoring.coreos.com", "Alertmanager") => {
            Some(operator(&mut quiet, node, &ALERTMANAGER))
        }
        _ => pod_template(&mut quiet, node),
    }
}

/// A custom kind with a Deployment-like pod template.
fn pod_template(cx: &mut Cx<'_>, node: &Node<'_>) -> Option<Workload> {
    let template = node.get("spec")?.get("template")?;
    let has_labels = template
        .get("metadata")
        .and_then(|m| m.get("labels"))
        .and_then(Node::as_map)
        .is_some_and(|m| !m.is_empty());
    let has_containers = template
        .get("spec")
        .and_then(|s| s.get("containers"))
        .and_then(Node::as_seq)
        .is_some_and(|c| !c.is_empty());
    if !(has_labels && has_containers) {
        return None;
    }
    let mut w = decode_workload(cx, "Deployment", node);
    w.origin = WorkloadOrigin::PodTemplate;
    Some(w)
}

/// What one operator makes of its resource.
struct OperatorPods {
    /// The StatefulSet's name prefix and governing Service.
    prefix: &'static str,
    service: &'static str,
    /// `app.kubernetes.io/name`, and the label keyed by the resource kind.
    app: &'static str,
    /// The main container, its default port name and number.
    container: &'static str,
    port: i64,
    /// Further ports of the main container, always present.
    extra: &'static [(&'static str, i64, &'static str)],
    /// The shard label (Prometheus: shard 0).
    shard: bool,
}

const PROMETHEUS: OperatorPods = OperatorPods {
    prefix: "prometheus",
    service: "prometheus-operated",
    app: "prometheus",
    container: "prometheus",
    port: 9090,
    extra: &[],
    shard: true,
};

const ALERTMANAGER: OperatorPods = OperatorPods {
    prefix: "alertmanager",
    service: "alertmanager-operated",
    app: "alertmanager",
    container: "alertmanager",
    port: 9093,
    extra: &[("mesh-tcp", 9094, "TCP"), ("mesh-udp", 9094, "UDP")],
    shard: false,
};

/// The config reloader's port (`reloader-web`, 8080), on both.
const RELOADER_PORT: i64 = 8080;

fn operator(cx: &mut Cx<'_>, node: &Node<'_>, op: &OperatorPods) -> Workload {
    let name = node
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(|n| match n.resolve() {
            Resolved::Str(s) => Some(s.to_owned()),
            _ => None,
        })
        .unwrap_or_default();
    let spec = node.get("spec");
    let at = node.key_span("spec").unwrap_or(node.span);
    let field = |key: &str| spec.and_then(|s| s.get(key));
    let replicas = field("replicas").and_then(|r| cx.int(r, "spec.replicas"));
    let listen_local =
        field("listenLocal").is_some_and(|v| matches!(v.resolve(), Resolved::Bool(true)));
    let port_name = field("portName")
        .and_then(|p| cx.string(p, "spec.portName"))
        .map_or_else(|| "web".to_owned(), |p| p.value);
    // spec.podMetadata.labels first; the operator's selector labels win.
    let own = field("podMetadata")
        .and_then(|m| m.get("labels"))
        .map(|l| cx.string_map(l, "spec.podMetadata.labels"))
        .unwrap_or_default();
    let entries = pod_labels(&own, op, &name, at);
    let mut template = PodTemplate {
        span: at,
        ..PodTemplate::default()
    };
    template.meta.labels = StringMap::from_entries(entries, at);
    template.spec.span = at;
    template.spec.containers = containers(op, &port_name, listen_local, at);
    Workload {
        replicas,
        template: Some(template),
        template_path: "spec",
        service_name: Some(Spanned::new(op.service.to_owned(), at)),
        spec_span: at,
        origin: WorkloadOrigin::Operator {
            statefulset: format!("{}-{name}", op.prefix),
        },
        ..Workload::default()
    }
}

/// The pods' labels: the resource's `spec.podMetadata.labels`, then the
/// operator's selector labels, which win.
fn pod_labels(
    own: &StringMap,
    op: &OperatorPods,
    name: &str,
    at: Span,
) -> Vec<(String, String, Span, Span)> {
    let mut entries: Vec<(String, String, Span, Span)> = own
        .entries()
        .map(|(k, v, ks, vs)| (k.to_owned(), v.to_owned(), ks, vs))
        .collect();
    let mut operator_labels = vec![
        ("app.kubernetes.io/name", op.app.to_owned()),
        (
            "app.kubernetes.io/managed-by",
            "prometheus-operator".to_owned(),
        ),
        ("app.kubernetes.io/instance", name.to_owned()),
        (op.app, name.to_owned()),
    ];
    if op.shard {
        operator_labels.push(("operator.prometheus.io/name", name.to_owned()));
        operator_labels.push(("operator.prometheus.io/shard", "0".to_owned()));
    }
    entries.retain(|(k, ..)| !operator_labels.iter().any(|(o, _)| o == k));
    entries.extend(
        operator_labels
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v, at, at)),
    );
    entries
}

/// The main container and the config reloader, with their ports (none
/// but the main container's extra ones when the pods listen locally).
fn containers(op: &OperatorPods, port_name: &str, listen_local: bool, at: Span) -> Vec<Container> {
    let port = |name: &str, number: i64, protocol: &str| ContainerPort {
        span: at,
        name: Some(Spanned::new(name.to_owned(), at)),
        container_port: Some(Spanned::new(number, at)),
        protocol: Some(Spanned::new(protocol.to_owned(), at)),
    };
    let mut main = Container {
        name: Some(Spanned::new(op.container.to_owned(), at)),
        ..Container::default()
    };
    let mut reloader = Container {
        name: Some(Spanned::new("config-reloader".to_owned(), at)),
        ..Container::default()
    };
    if !listen_local {
        main.ports.push(port(port_name, op.port, "TCP"));
        reloader
            .ports
            .push(port("reloader-web", RELOADER_PORT, "TCP"));
    }
    main.ports
        .extend(op.extra.iter().map(|(n, p, proto)| port(n, *p, proto)));
    vec![main, reloader]
}
