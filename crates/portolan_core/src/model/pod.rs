//! Pod specs (of Pods and of workload templates) and pod status.

use std::fmt::Display;

use super::decode::{Cx, Index, Key, Spanned};
use super::{Meta, decode_meta};
use crate::source::Span;
use crate::yaml::{Node, Resolved};

#[derive(Clone, Debug, Default)]
pub struct ContainerPort {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub container_port: Option<Spanned<i64>>,
    pub protocol: Option<Spanned<String>>,
}

impl ContainerPort {
    pub fn protocol(&self) -> &str {
        self.protocol.as_ref().map_or("TCP", |p| p.value.as_str())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Container {
    pub name: Option<Spanned<String>>,
    pub ports: Vec<ContainerPort>,
    pub restart_policy: Option<String>,
    /// `env`, in order (later entries may refer to earlier ones).
    pub env: Vec<EnvVar>,
    /// `envFrom` ConfigMaps, in order (Secrets are not read).
    pub env_from: Vec<EnvFrom>,
    pub command: Vec<Spanned<String>>,
    pub args: Vec<Spanned<String>>,
}

/// One `env` entry: a literal value or a ConfigMap key.
#[derive(Clone, Debug, Default)]
pub struct EnvVar {
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    /// `valueFrom.configMapKeyRef`: the ConfigMap's name and the key.
    pub config_map_key: Option<(Spanned<String>, Spanned<String>)>,
}

/// One `envFrom` entry that names a ConfigMap.
#[derive(Clone, Debug, Default)]
pub struct EnvFrom {
    pub config_map: Spanned<String>,
    pub prefix: String,
}

#[derive(Clone, Debug, Default)]
pub struct PodSpec {
    pub span: Span,
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub node_name: Option<Spanned<String>>,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub host_network: bool,
}

impl PodSpec {
    /// Containers then restartable (sidecar) init containers, in the order
    /// `FindPort` searches them (spec C.3.1).
    pub fn port_search_order(&self) -> impl Iterator<Item = &Container> {
        self.containers.iter().chain(
            self.init_containers
                .iter()
                .filter(|c| c.restart_policy.as_deref() == Some("Always")),
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct PodStatus {
    pub phase: Option<String>,
    pub pod_ips: Vec<String>,
    /// `Some(ready)` when the `Ready` condition is present.
    pub ready: Option<bool>,
    pub present: bool,
}

#[derive(Clone, Debug, Default)]
pub struct PodTemplate {
    pub meta: Meta,
    pub spec: PodSpec,
    pub span: Span,
}

const POD_SPEC_FIELDS: &[&str] = &[
    "activeDeadlineSeconds",
    "affinity",
    "automountServiceAccountToken",
    "containers",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "ephemeralContainers",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostUsers",
    "hostname",
    "hostnameOverride",
    "imagePullSecrets",
    "initContainers",
    "nodeName",
    "nodeSelector",
    "os",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "resourceClaims",
    "resources",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "schedulingGates",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "setHostnameAsFQDN",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "tolerations",
    "topologySpreadConstraints",
    "volumes",
    "workloadRef",
];

const CONTAINER_FIELDS: &[&str] = &[
    "args",
    "command",
    "env",
    "envFrom",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "name",
    "ports",
    "readinessProbe",
    "resizePolicy",
    "resources",
    "restartPolicy",
    "restartPolicyRules",
    "securityContext",
    "startupProbe",
    "stdin",
    "stdinOnce",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
];

const PORT_FIELDS: &[&str] = &["containerPort", "hostIP", "hostPort", "name", "protocol"];

pub(super) fn decode_spec(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> PodSpec {
    let mut spec = PodSpec {
        span: node.span,
        ..PodSpec::default()
    };
    let Some(entries) = cx.map(node, path, POD_SPEC_FIELDS) else {
        return spec;
    };
    for (k, v) in entries {
        let key = k.key_text().unwrap_or("");
        let field = Key(path, key);
        match key {
            "containers" => spec.containers = decode_containers(cx, v, &field),
            "initContainers" => spec.init_containers = decode_containers(cx, v, &field),
            "nodeName" => spec.node_name = cx.string(v, field),
            "hostname" => spec.hostname = cx.string(v, field).map(|s| s.value),
            "subdomain" => spec.subdomain = cx.string(v, field).map(|s| s.value),
            "hostNetwork" => spec.host_network = cx.bool(v, field).is_some_and(|b| b.value),
            _ => {}
        }
    }
    spec
}

fn decode_containers(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Vec<Container> {
    let items = cx.seq(node, path);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let cpath = Index(path, i);
        let mut c = Container::default();
        if let Some(entries) = cx.map(item, cpath, CONTAINER_FIELDS) {
            for (k, v) in entries {
                let key = k.key_text().unwrap_or("");
                let field = Key(&cpath, key);
                match key {
                    "name" => c.name = cx.string(v, field),
                    "restartPolicy" => c.restart_policy = cx.string(v, field).map(|s| s.value),
                    "env" => c.env = decode_env(cx, v, &field),
                    "envFrom" => c.env_from = decode_env_from(cx, v, &field),
                    "command" => c.command = cx.strings(v, field),
                    "args" => c.args = cx.strings(v, field),
                    "ports" => {
                        let ports = cx.seq(v, field);
                        c.ports.reserve_exact(ports.len());
                        for (j, p) in ports.iter().enumerate() {
                            c.ports.push(decode_port(cx, p, &Index(&field, j)));
                        }
                    }
                    _ => {}
                }
            }
        }
        out.push(c);
    }
    out
}

const ENV_FIELDS: &[&str] = &["name", "value", "valueFrom"];
const ENV_SOURCE_FIELDS: &[&str] = &[
    "configMapKeyRef",
    "fieldRef",
    "fileKeyRef",
    "resourceFieldRef",
    "secretKeyRef",
];
const KEY_REF_FIELDS: &[&str] = &["key", "name", "optional"];
const ENV_FROM_FIELDS: &[&str] = &["configMapRef", "prefix", "secretRef"];
const NAME_REF_FIELDS: &[&str] = &["name", "optional"];

/// `env`: the names, literal values and ConfigMap keys (the client
/// references of interfaces.md §6.5 are read from them).
fn decode_env(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Vec<EnvVar> {
    let items = cx.seq(node, path);
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let epath = Index(path, i);
        let Some(entries) = cx.map(item, epath, ENV_FIELDS) else {
            continue;
        };
        let mut var = EnvVar::default();
        for (k, v) in entries {
            let key = k.key_text().unwrap_or("");
            let field = Key(&epath, key);
            match key {
                "name" => {
                    if let Some(n) = cx.string(v, field) {
                        var.name = n;
                    }
                }
                "value" => var.value = cx.string(v, field),
                "valueFrom" => var.config_map_key = decode_value_from(cx, v, &field),
                _ => {}
            }
        }
        out.push(var);
    }
    out
}

fn decode_value_from(
    cx: &mut Cx<'_>,
    node: &Node<'_>,
    path: &dyn Display,
) -> Option<(Spanned<String>, Spanned<String>)> {
    let entries = cx.map(node, path, ENV_SOURCE_FIELDS)?;
    let mut found = None;
    for (k, v) in entries {
        let key = k.key_text().unwrap_or("");
        let field = Key(path, key);
        if key == "configMapKeyRef" {
            let (mut name, mut item) = (None, None);
            for (k2, v2) in cx.map(v, field, KEY_REF_FIELDS).unwrap_or_default() {
                let key2 = k2.key_text().unwrap_or("");
                let field2 = Key(&field, key2);
                match key2 {
                    "name" => name = cx.string(v2, field2),
                    "key" => item = cx.string(v2, field2),
                    "optional" => {
                        cx.bool(v2, field2);
                    }
                    _ => {}
                }
            }
            found = name.zip(item);
        }
    }
    found
}

fn decode_env_from(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Vec<EnvFrom> {
    let items = cx.seq(node, path);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let epath = Index(path, i);
        let Some(entries) = cx.map(item, epath, ENV_FROM_FIELDS) else {
            continue;
        };
        let (mut config_map, mut prefix) = (None, String::new());
        for (k, v) in entries {
            let key = k.key_text().unwrap_or("");
            let field = Key(&epath, key);
            match key {
                "prefix" => prefix = cx.string(v, field).map(|p| p.value).unwrap_or_default(),
                "configMapRef" | "secretRef" => {
                    let mut name = None;
                    for (k2, v2) in cx.map(v, field, NAME_REF_FIELDS).unwrap_or_default() {
                        let key2 = k2.key_text().unwrap_or("");
                        let field2 = Key(&field, key2);
                        match key2 {
                            "name" => name = cx.string(v2, field2),
                            "optional" => {
                                cx.bool(v2, field2);
                            }
                            _ => {}
                        }
                    }
                    if key == "configMapRef" {
                        config_map = name;
                    }
                }
                _ => {}
            }
        }
        if let Some(config_map) = config_map {
            out.push(EnvFrom { config_map, prefix });
        }
    }
    out
}

fn decode_port(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> ContainerPort {
    let mut port = ContainerPort {
        span: node.span,
        ..ContainerPort::default()
    };
    let Some(entries) = cx.map(node, path, PORT_FIELDS) else {
        return port;
    };
    for (k, v) in entries {
        let key = k.key_text().unwrap_or("");
        let field = Key(path, key);
        match key {
            "name" => port.name = cx.string(v, field),
            "containerPort" => port.container_port = cx.int(v, field),
            "protocol" => port.protocol = cx.string(v, field),
            "hostPort" => {
                cx.int(v, field);
            }
            "hostIP" => {
                cx.string(v, field);
            }
            _ => {}
        }
    }
    port
}

pub(super) fn decode_template(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> PodTemplate {
    let mut t = PodTemplate {
        span: node.span,
        ..PodTemplate::default()
    };
    let Some(entries) = cx.map(node, path, &["metadata", "spec"]) else {
        return t;
    };
    for (k, v) in entries {
        match k.key_text().unwrap_or("") {
            "metadata" => t.meta = decode_meta(cx, v),
            "spec" => {
                t.spec = decode_spec(cx, v, &Key(path, "spec"));
                t.spec.span = k.span;
            }
            _ => {}
        }
    }
    t
}

/// Pod status, read leniently: only the fields that decide endpoints.
pub(super) fn decode_status(node: &Node<'_>) -> PodStatus {
    let mut st = PodStatus {
        present: true,
        ..PodStatus::default()
    };
    let text = |n: &Node<'_>| match n.resolve() {
        Resolved::Str(s) => Some(s.to_owned()),
        _ => None,
    };
    st.phase = node.get("phase").and_then(text);
    if let Some(ips) = node.get("podIPs").and_then(Node::as_seq) {
        st.pod_ips = ips
            .iter()
            .filter_map(|i| i.get("ip").and_then(text))
            .collect();
    }
    if st.pod_ips.is_empty()
        && let Some(ip) = node.get("podIP").and_then(text)
    {
        st.pod_ips.push(ip);
    }
    let is = |n: Option<&Node<'_>>, want: &str| {
        n.is_some_and(|n| matches!(n.resolve(), Resolved::Str(s) if s == want))
    };
    if let Some(conds) = node.get("conditions").and_then(Node::as_seq) {
        for c in conds {
            if is(c.get("type"), "Ready") {
                st.ready = Some(is(c.get("status"), "True"));
            }
        }
    }
    st
}
