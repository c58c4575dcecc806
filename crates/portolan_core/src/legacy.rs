//! The legacy `v1.Endpoints` object the Endpoints controller writes for a
//! selector Service (spec C.7, `pkg/controller/endpoint/endpoints_controller.go`),
//! derived from the EndpointSlice endpoints Portolan already computed:
//!
//! - ready pods (or every pod with `publishNotReadyAddresses`) go to
//!   `addresses`, the others to `notReadyAddresses`; terminating pods are
//!   dropped unless `publishNotReadyAddresses`;
//! - one address per pod, of the Service's primary IP family;
//! - a pod that resolves no port for a service port is left out of it;
//! - `RepackSubsets` groups addresses by identical port sets;
//! - over 1000 addresses the object is truncated (`truncateEndpoints`,
//!   ready addresses first) and annotated
//!   `endpoints.kubernetes.io/over-capacity: truncated`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::snapshot::ClusterService;
use crate::types::ServiceType;

/// `maxCapacity` of the Endpoints controller.
pub const MAX_CAPACITY: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LegacyEndpoints {
    pub subsets: Vec<Subset>,
    /// Addresses before truncation (counted per subset, as upstream does).
    pub total: usize,
    /// `endpoints.kubernetes.io/over-capacity: truncated` is set.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subset {
    pub addresses: Vec<Address>,
    #[serde(rename = "notReadyAddresses")]
    pub not_ready_addresses: Vec<Address>,
    pub ports: Vec<Port>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Address {
    pub ip: String,
    pub pod: Option<String>,
    #[serde(rename = "nodeName")]
    pub node_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Port {
    pub name: String,
    pub port: i64,
    pub protocol: String,
}

/// The Endpoints object of a selector Service; `None` for Services the
/// controller leaves alone (no selector, ExternalName).
pub fn endpoints(svc: &ClusterService) -> Option<LegacyEndpoints> {
    if svc.selector.is_none() || svc.type_ == ServiceType::ExternalName {
        return None;
    }
    let pnra = svc.publish_not_ready_addresses;
    let primary_v6 = svc
        .cluster_ips
        .first()
        .filter(|ip| ip.as_str() != "None")
        .map(|ip| ip.contains(':'));
    // (address, ready) → ports, per pod in endpoint order.
    let mut pods: BTreeMap<(Address, bool), BTreeSet<Port>> = BTreeMap::new();
    let mut family_of_pod: BTreeMap<&str, bool> = BTreeMap::new();
    for e in &svc.endpoints {
        if e.terminating && !pnra {
            continue;
        }
        let v6 = e.ip.contains(':');
        // Headless: the family of the pod's first IP stands in for the
        // primary one (`podToEndpointAddressForService`).
        let want = primary_v6.unwrap_or_else(|| {
            *family_of_pod
                .entry(e.pod.as_deref().unwrap_or(e.ip.as_str()))
                .or_insert(v6)
        });
        if v6 != want {
            continue;
        }
        let address = Address {
            ip: e.ip.clone(),
            pod: e.pod.as_deref().map(str::to_owned),
            node_name: e.node.as_deref().map(str::to_owned),
        };
        let ports = pods.entry((address, pnra || e.ready)).or_default();
        if let Some(port) = e.port {
            ports.insert(Port {
                name: e.port_name.as_deref().unwrap_or_default().to_owned(),
                port,
                protocol: e
                    .protocol
                    .map_or_else(String::new, |p| p.as_str().to_owned()),
            });
        }
    }
    // RepackSubsets: one subset per distinct port set.
    let mut by_ports: BTreeMap<Vec<Port>, (Vec<Address>, Vec<Address>)> = BTreeMap::new();
    for ((address, ready), ports) in pods {
        if ports.is_empty() && !(svc.ports.is_empty() && svc.headless) {
            continue; // no port resolved: not in any subset
        }
        let entry = by_ports.entry(ports.into_iter().collect()).or_default();
        if ready {
            entry.0.push(address);
        } else {
            entry.1.push(address);
        }
    }
    let mut subsets: Vec<Subset> = by_ports
        .into_iter()
        .map(|(ports, (addresses, not_ready_addresses))| Subset {
            addresses,
            not_ready_addresses,
            ports,
        })
        .collect();
    let total = subsets
        .iter()
        .map(|s| s.addresses.len() + s.not_ready_addresses.len())
        .sum();
    let truncated = truncate(&mut subsets);
    Some(LegacyEndpoints {
        subsets,
        total,
        truncated,
    })
}

/// `truncateEndpoints`: keep at most [`MAX_CAPACITY`] addresses, spread over
/// the subsets in proportion (rounded up), ready addresses first.
fn truncate(subsets: &mut [Subset]) -> bool {
    let ready: usize = subsets.iter().map(|s| s.addresses.len()).sum();
    let not_ready: usize = subsets.iter().map(|s| s.not_ready_addresses.len()).sum();
    if ready + not_ready <= MAX_CAPACITY {
        return false;
    }
    let truncate_ready = ready > MAX_CAPACITY;
    let (max, total) = if truncate_ready {
        (MAX_CAPACITY, ready)
    } else {
        (MAX_CAPACITY - ready, not_ready)
    };
    let mut can_be_added = max;
    for s in subsets.iter_mut() {
        let in_subset = if truncate_ready {
            s.addresses.len()
        } else {
            s.not_ready_addresses.len()
        };
        let to_add = ((in_subset as f64 / total as f64) * max as f64).ceil() as usize;
        let to_add = to_add.min(can_be_added);
        if truncate_ready {
            s.addresses.truncate(to_add);
            s.not_ready_addresses.clear();
            can_be_added -= s.addresses.len();
        } else {
            s.not_ready_addresses.truncate(to_add);
            can_be_added -= s.not_ready_addresses.len();
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Endpoint;

    fn ep(pod: &str, ip: &str, port: Option<i64>, ready: bool, terminating: bool) -> Endpoint {
        Endpoint {
            pod: Some(format!("default/{pod}").into()),
            ip: ip.to_owned(),
            port,
            port_name: Some("http".into()),
            node: Some("n1".into()),
            ready,
            serving: ready || terminating,
            terminating,
            synthetic: false,
            protocol: Some(crate::types::Protocol::Tcp),
            hostname: None,
            zone: None,
            pod_index: None,
            hints: None,
        }
    }

    fn service(endpoints: Vec<Endpoint>, pnra: bool) -> ClusterService {
        ClusterService {
            namespace: "default".into(),
            name: "web".into(),
            type_: crate::types::ServiceType::ClusterIP,
            cluster_ips: vec!["10.96.0.10".into()],
            headless: false,
            external_name: None,
            ports: Vec::new(),
            selector: Some([("app".to_owned(), "web".to_owned())].into()),
            endpoints,
            external_ips: Vec::new(),
            load_balancer_ips: Vec::new(),
            external_traffic_policy: None,
            internal_traffic_policy: None,
            session_affinity: crate::types::SessionAffinity::None,
            publish_not_ready_addresses: pnra,
            synthetic: false,
            object: 0,
            affinity_timeout: None,
            source_ranges: Vec::new(),
            traffic_distribution: None,
            health_check_node_port: None,
            topology_auto: false,
            topology_note: None,
        }
    }

    #[test]
    fn c_7_ready_not_ready_and_terminating_pods() {
        let svc = service(
            vec![
                ep("a", "10.244.0.1", Some(8080), true, false),
                ep("b", "10.244.0.2", Some(8080), false, false),
                ep("c", "10.244.0.3", Some(8080), false, true),
                ep("d", "10.244.0.4", None, true, false),
            ],
            false,
        );
        let e = endpoints(&svc).unwrap();
        assert_eq!(e.subsets.len(), 1);
        let s = &e.subsets[0];
        assert_eq!(
            s.addresses
                .iter()
                .map(|a| a.ip.as_str())
                .collect::<Vec<_>>(),
            ["10.244.0.1"]
        );
        // Terminating c is dropped; d resolved no port and is in no subset.
        assert_eq!(
            s.not_ready_addresses
                .iter()
                .map(|a| a.ip.as_str())
                .collect::<Vec<_>>(),
            ["10.244.0.2"]
        );
        assert!(!e.truncated);
    }

    #[test]
    fn c_7_publish_not_ready_addresses_keeps_everyone_ready() {
        let svc = service(
            vec![
                ep("b", "10.244.0.2", Some(8080), false, false),
                ep("c", "10.244.0.3", Some(8080), false, true),
            ],
            true,
        );
        let e = endpoints(&svc).unwrap();
        assert_eq!(e.subsets[0].addresses.len(), 2);
        assert!(e.subsets[0].not_ready_addresses.is_empty());
    }

    /// `ready` ready pods then `not_ready` unready ones, on distinct IPs.
    fn fleet(ready: usize, not_ready: usize) -> Vec<Endpoint> {
        let ready = (0..ready).map(|i| {
            ep(
                &format!("p{i}"),
                &format!("10.244.{}.{}", i / 250, i % 250),
                Some(8080),
                true,
                false,
            )
        });
        let unready = (0..not_ready).map(|i| {
            ep(
                &format!("q{i}"),
                &format!("10.245.0.{i}"),
                Some(8080),
                false,
                false,
            )
        });
        ready.chain(unready).collect()
    }

    #[test]
    fn c_7_over_capacity_truncates_to_1000_ready_first() {
        let e = endpoints(&service(fleet(1100, 50), false)).unwrap();
        assert!(e.truncated);
        assert_eq!(e.total, 1150);
        assert_eq!(e.subsets[0].addresses.len(), 1000);
        assert!(e.subsets[0].not_ready_addresses.is_empty());
        // Under capacity in ready ones: not-ready ones fill up to 1000.
        let e = endpoints(&service(fleet(990, 50), false)).unwrap();
        assert_eq!(e.subsets[0].addresses.len(), 990);
        assert_eq!(e.subsets[0].not_ready_addresses.len(), 10);
    }
}
