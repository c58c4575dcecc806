//! `v1.Service`, decoded strictly with spans.

use super::decode::{Cx, Index, IntOrString, Key, Spanned, StringMap};
use crate::source::Span;
use crate::yaml::Node;

#[derive(Clone, Debug, Default)]
pub struct ServicePort {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub protocol: Option<Spanned<String>>,
    pub app_protocol: Option<Spanned<String>>,
    pub port: Option<Spanned<i64>>,
    pub target_port: Option<Spanned<IntOrString>>,
    pub node_port: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, Default)]
pub struct LbIngress {
    pub ip: Option<String>,
    pub hostname: Option<String>,
    pub ip_mode: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Service {
    pub spec_span: Span,
    pub type_: Option<Spanned<String>>,
    pub cluster_ip: Option<Spanned<String>>,
    pub cluster_ips: Option<Spanned<Vec<Spanned<String>>>>,
    pub ip_families: Vec<Spanned<String>>,
    pub ip_families_span: Option<Span>,
    pub ip_family_policy: Option<Spanned<String>>,
    pub ports: Vec<ServicePort>,
    pub ports_span: Option<Span>,
    /// `None` when absent or null; an empty map is treated as absent (B.1.3).
    pub selector: Option<StringMap>,
    pub external_name: Option<Spanned<String>>,
    pub external_ips: Vec<Spanned<String>>,
    pub session_affinity: Option<Spanned<String>>,
    /// `sessionAffinityConfig` present (span), and its `clientIP.timeoutSeconds`.
    pub session_affinity_config: Option<Span>,
    pub affinity_timeout: Option<Spanned<i64>>,
    pub external_traffic_policy: Option<Spanned<String>>,
    pub internal_traffic_policy: Option<Spanned<String>>,
    pub health_check_node_port: Option<Spanned<i64>>,
    pub load_balancer_source_ranges: Vec<Spanned<String>>,
    pub load_balancer_class: Option<Spanned<String>>,
    pub load_balancer_ip: Option<Spanned<String>>,
    pub allocate_lb_node_ports: Option<Spanned<bool>>,
    pub publish_not_ready_addresses: bool,
    pub traffic_distribution: Option<Spanned<String>>,
    pub lb_ingress: Vec<LbIngress>,
}

const SPEC_FIELDS: &[&str] = &[
    "allocateLoadBalancerNodePorts",
    "clusterIP",
    "clusterIPs",
    "externalIPs",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "internalTrafficPolicy",
    "ipFamilies",
    "ipFamilyPolicy",
    "loadBalancerClass",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "ports",
    "publishNotReadyAddresses",
    "selector",
    "sessionAffinity",
    "sessionAffinityConfig",
    "trafficDistribution",
    "type",
];

const PORT_FIELDS: &[&str] = &[
    "appProtocol",
    "name",
    "nodePort",
    "port",
    "protocol",
    "targetPort",
];

pub(super) fn decode(cx: &mut Cx<'_>, node: &Node<'_>) -> Service {
    let mut svc = Service::default();
    if let Some(status) = node.get("status") {
        decode_status(cx, status, &mut svc);
    }
    let Some(spec) = node.get("spec") else {
        return svc;
    };
    // Findings about missing fields point at the `spec:` key.
    svc.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let Some(entries) = cx.map(spec, "spec", SPEC_FIELDS) else {
        return svc;
    };
    for (k, v) in entries {
        let key = k.key_text().unwrap_or("");
        let path = Key(&"spec", key);
        match key {
            "type" => svc.type_ = cx.string(v, path),
            "clusterIP" => svc.cluster_ip = cx.string(v, path),
            "clusterIPs" if !v.is_null() => {
                // List-level findings point at the `clusterIPs:` key.
                svc.cluster_ips = Some(Spanned::new(cx.strings(v, path), k.span));
            }
            "ipFamilies" => {
                svc.ip_families = cx.strings(v, path);
                svc.ip_families_span = Some(k.span);
            }
            "ipFamilyPolicy" => svc.ip_family_policy = cx.string(v, path),
            "ports" => {
                svc.ports_span = Some(k.span);
                let ports = cx.seq(v, path);
                svc.ports.reserve_exact(ports.len());
                for (i, p) in ports.iter().enumerate() {
                    svc.ports.push(decode_port(cx, p, &Index(&path, i)));
                }
            }
            "selector" => {
                let mut map = cx.string_map(v, path);
                map.span = k.span;
                if !map.is_empty() {
                    svc.selector = Some(map);
                }
            }
            "externalName" => svc.external_name = cx.string(v, path),
            "externalIPs" => svc.external_ips = cx.strings(v, path),
            "sessionAffinity" => svc.session_affinity = cx.string(v, path),
            "sessionAffinityConfig" => decode_affinity(cx, v, &mut svc),
            "externalTrafficPolicy" => svc.external_traffic_policy = cx.string(v, path),
            "internalTrafficPolicy" => svc.internal_traffic_policy = cx.string(v, path),
            "healthCheckNodePort" => svc.health_check_node_port = cx.int(v, path),
            "loadBalancerSourceRanges" => svc.load_balancer_source_ranges = cx.strings(v, path),
            "loadBalancerClass" => svc.load_balancer_class = cx.string(v, path),
            "loadBalancerIP" => svc.load_balancer_ip = cx.string(v, path),
            "allocateLoadBalancerNodePorts" => svc.allocate_lb_node_ports = cx.bool(v, path),
            "publishNotReadyAddresses" => {
                svc.publish_not_ready_addresses = cx.bool(v, path).is_some_and(|b| b.value);
            }
            "trafficDistribution" => svc.traffic_distribution = cx.string(v, path),
            _ => {}
        }
    }
    svc
}

fn decode_port(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn std::fmt::Display) -> ServicePort {
    let mut port = ServicePort {
        span: node.span,
        ..ServicePort::default()
    };
    let Some(entries) = cx.map(node, path, PORT_FIELDS) else {
        return port;
    };
    for (k, v) in entries {
        let key = k.key_text().unwrap_or("");
        let field = Key(path, key);
        match key {
            "name" => port.name = cx.string(v, field),
            "protocol" => port.protocol = cx.string(v, field),
            "appProtocol" => port.app_protocol = cx.string(v, field),
            "port" => port.port = cx.int(v, field),
            "targetPort" => port.target_port = cx.int_or_string(v, field),
            "nodePort" => port.node_port = cx.int(v, field),
            _ => {}
        }
    }
    port
}

fn decode_affinity(cx: &mut Cx<'_>, node: &Node<'_>, svc: &mut Service) {
    let path = "spec.sessionAffinityConfig";
    let Some(entries) = cx.map(node, path, &["clientIP"]) else {
        return;
    };
    svc.session_affinity_config = Some(node.span);
    for (k, v) in entries {
        if k.key_text() == Some("clientIP") {
            let path = "spec.sessionAffinityConfig.clientIP";
            if let Some(inner) = cx.map(v, path, &["timeoutSeconds"]) {
                for (k2, v2) in inner {
                    if k2.key_text() == Some("timeoutSeconds") {
                        svc.affinity_timeout = cx.int(v2, format!("{path}.timeoutSeconds"));
                    }
                }
            }
        }
    }
}

fn decode_status(cx: &mut Cx<'_>, node: &Node<'_>, svc: &mut Service) {
    let Some(entries) = cx.map(node, "status", &["conditions", "loadBalancer"]) else {
        return;
    };
    for (k, v) in entries {
        if k.key_text() != Some("loadBalancer") {
            continue;
        }
        let Some(lb) = cx.map(v, "status.loadBalancer", &["ingress"]) else {
            continue;
        };
        for (_, ingress) in lb {
            let items = cx.seq(ingress, "status.loadBalancer.ingress").to_vec();
            for (i, item) in items.iter().enumerate() {
                let path = format!("status.loadBalancer.ingress[{i}]");
                let Some(fields) = cx.map(item, &path, &["hostname", "ip", "ipMode", "ports"])
                else {
                    continue;
                };
                let mut entry = LbIngress::default();
                for (fk, fv) in fields {
                    let name = fk.key_text().unwrap_or("");
                    let value = || fv.as_scalar().map(|s| s.0.to_owned());
                    match name {
                        "ip" => entry.ip = value(),
                        "hostname" => entry.hostname = value(),
                        "ipMode" => entry.ip_mode = value(),
                        _ => {}
                    }
                }
                svc.lb_ingress.push(entry);
            }
        }
    }
}
