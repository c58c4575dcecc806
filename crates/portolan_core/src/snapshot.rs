//! The completed snapshot's types (interfaces.md §2): nodes, pods, Services,
//! their ports and endpoints, and the what-if changes a user applies. A leaf
//! of the model: built by `cluster`, filled by `endpoints` and `topology`,
//! read by everything that answers questions about routing.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::IntOrString;
use crate::types::{Protocol, ServiceType, SessionAffinity, TrafficPolicy};
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClusterNode {
    pub name: String,
    pub ip: String,
    pub zone: Option<String>,
    pub synthetic: bool,
    #[serde(skip)]
    pub object: Option<usize>,
    /// Allocatable CPU in millicores, when known (topology-mode Auto, D.7.3).
    #[serde(skip)]
    pub cpu_milli: Option<i64>,
    /// `false` only when the Node's `Ready` condition says so.
    #[serde(skip)]
    pub ready: bool,
    /// Carries a control-plane role label: left out of topology capacity.
    #[serde(skip)]
    pub control_plane: bool,
}

impl ClusterNode {
    pub(crate) fn synthesized(name: String, zone: Option<String>) -> Self {
        ClusterNode {
            name,
            ip: String::new(),
            zone,
            synthetic: true,
            object: None,
            cpu_milli: None,
            ready: true,
            control_plane: false,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClusterPod {
    /// Namespaces, nodes, phases and owners repeat across pods: shared.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub namespace: Text,
    pub name: String,
    #[cfg_attr(feature = "ts", ts(as = "BTreeMap<String, String>"))]
    pub labels: std::sync::Arc<BTreeMap<String, String>>,
    pub ips: Vec<String>,
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub node: Option<Text>,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub phase: Text,
    pub ready: bool,
    pub terminating: bool,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    /// `Kind/name` of the workload that creates it, if any.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub owner: Option<Text>,
    pub synthetic: bool,
    /// The object the pod comes from (a Pod, or the workload).
    #[serde(skip)]
    pub object: usize,
}

impl ClusterPod {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClusterPort {
    pub name: String,
    pub protocol: Protocol,
    pub port: i64,
    #[serde(rename = "targetPort")]
    pub target_port: IntOrStringJson,
    #[serde(rename = "nodePort")]
    pub node_port: Option<i64>,
    #[serde(skip)]
    pub node_port_synthetic: bool,
    #[serde(skip)]
    pub app_protocol: Option<String>,
}

impl ClusterPort {
    pub fn target_port_text(&self) -> String {
        match &self.target_port {
            IntOrStringJson::Int(i) => i.to_string(),
            IntOrStringJson::Str(s) => s.clone(),
        }
    }
}

/// `IntOrString` as JSON: a number or a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum IntOrStringJson {
    Int(i64),
    Str(String),
}

impl From<&IntOrString> for IntOrStringJson {
    fn from(v: &IntOrString) -> Self {
        match v {
            IntOrString::Int(i) => IntOrStringJson::Int(*i),
            IntOrString::Str(s) => IntOrStringJson::Str(s.clone()),
        }
    }
}

/// One published endpoint per (address, Service port). The conditions are
/// the EndpointSlice's own booleans (interfaces.md §4).
#[expect(
    clippy::struct_excessive_bools,
    reason = "the EndpointSlice conditions and flags of the API, one field each"
)]
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Endpoint {
    /// `ns/name`. The strings an address repeats for each Service port (and
    /// a node or zone for each of its pods) are shared, not copied.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub pod: Option<Text>,
    pub ip: String,
    pub port: Option<i64>,
    #[serde(rename = "portName")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub port_name: Option<Text>,
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub node: Option<Text>,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    pub synthetic: bool,
    /// `None` for an address listed without ports (C.3.3).
    #[serde(skip)]
    pub protocol: Option<Protocol>,
    #[serde(skip)]
    pub hostname: Option<String>,
    #[serde(skip)]
    pub zone: Option<Text>,
    #[serde(skip)]
    pub pod_index: Option<usize>,
    /// Topology hints as the EndpointSlice controller publishes them (D.7).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub hints: Option<crate::model::Hints>,
}

/// Shared immutable text.
pub type Text = std::sync::Arc<str>;

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoadBalancerIp {
    pub ip: String,
    #[serde(rename = "ipMode")]
    pub ip_mode: String,
    pub synthetic: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[expect(
    clippy::struct_excessive_bools,
    reason = "the EndpointSlice conditions and flags of the API, one field each"
)]
pub struct ClusterService {
    pub namespace: String,
    pub name: String,
    #[serde(rename = "type")]
    pub type_: ServiceType,
    #[serde(rename = "clusterIPs")]
    pub cluster_ips: Vec<String>,
    pub headless: bool,
    #[serde(rename = "externalName")]
    pub external_name: Option<String>,
    pub ports: Vec<ClusterPort>,
    pub selector: Option<BTreeMap<String, String>>,
    pub endpoints: Vec<Endpoint>,
    #[serde(rename = "externalIPs")]
    pub external_ips: Vec<String>,
    #[serde(rename = "loadBalancerIPs")]
    pub load_balancer_ips: Vec<LoadBalancerIp>,
    #[serde(rename = "externalTrafficPolicy")]
    pub external_traffic_policy: Option<TrafficPolicy>,
    #[serde(rename = "internalTrafficPolicy")]
    pub internal_traffic_policy: Option<TrafficPolicy>,
    #[serde(rename = "sessionAffinity")]
    pub session_affinity: SessionAffinity,
    #[serde(rename = "publishNotReadyAddresses")]
    pub publish_not_ready_addresses: bool,
    pub synthetic: bool,
    #[serde(skip)]
    pub object: usize,
    #[serde(skip)]
    pub affinity_timeout: Option<i64>,
    #[serde(skip)]
    pub source_ranges: Vec<String>,
    #[serde(skip)]
    pub traffic_distribution: Option<String>,
    #[serde(skip)]
    pub health_check_node_port: Option<i64>,
    /// `service.kubernetes.io/topology-mode: Auto` (or the deprecated
    /// `topology-aware-hints`) is set (D.7.3).
    #[serde(skip)]
    pub topology_auto: bool,
    /// What the EndpointSlice controller decided about topology hints.
    #[serde(skip)]
    pub topology_note: Option<String>,
}

impl ClusterService {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The ready endpoints of the Service port named `port_name` with
    /// `protocol` (endpoints carry the port's name, spec C.3).
    pub fn ready_endpoints<'s>(
        &'s self,
        port_name: &'s str,
        protocol: Protocol,
    ) -> impl Iterator<Item = &'s Endpoint> {
        self.port_endpoints(port_name, protocol).filter(|e| e.ready)
    }

    /// Every endpoint of the Service port named `port_name` (ready or
    /// not): the port of a slice is matched by name and protocol.
    pub fn port_endpoints<'s>(
        &'s self,
        port_name: &'s str,
        protocol: Protocol,
    ) -> impl Iterator<Item = &'s Endpoint> {
        self.endpoints.iter().filter(move |e| {
            e.port.is_some()
                && e.port_name.as_deref().unwrap_or("") == port_name
                && e.protocol.is_none_or(|p| p == protocol)
        })
    }
}

/// The completed snapshot.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Cluster {
    pub nodes: Vec<ClusterNode>,
    pub pods: Vec<ClusterPod>,
    pub services: Vec<ClusterService>,
    /// Pods the workloads would make beyond the limit, and the first
    /// workload cut short (an object index).
    #[serde(skip)]
    pub pods_left_out: Option<(usize, usize)>,
}

/// Changes a user makes to the snapshot to watch routing react: pods and
/// nodes die, pods turn unready, workloads scale, policies flip. Pods that a
/// controller owns are replaced, as the controller would replace them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WhatIf {
    /// `ns/name`
    pub deleted_pods: BTreeSet<String>,
    pub unready_pods: BTreeSet<String>,
    pub deleted_nodes: BTreeSet<String>,
    /// `ns/Kind/name` → replicas
    pub replicas: BTreeMap<String, i64>,
    /// `ns/name` of a Service → Cluster | Local
    pub external_traffic_policy: BTreeMap<String, String>,
    pub internal_traffic_policy: BTreeMap<String, String>,
}

impl WhatIf {
    pub fn is_empty(&self) -> bool {
        *self == WhatIf::default()
    }
}

impl Cluster {
    /// The address of node `name`.
    pub fn node_ip(&self, name: &str) -> Option<std::net::IpAddr> {
        self.nodes
            .iter()
            .find(|n| n.name == name)
            .and_then(|n| crate::names::parse_ip(&n.ip))
    }
}
