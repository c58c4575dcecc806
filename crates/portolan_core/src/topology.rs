//! Topology hints as the EndpointSlice controller publishes them (spec D.7):
//! `trafficDistribution` (`trafficdist.go`) and the older
//! `service.kubernetes.io/topology-mode: Auto` annotation, whose
//! CPU-proportional allocation is `topologycache` (`topologycache.go`,
//! `utils.go` in `k8s.io/endpointslice`). kube-proxy then reads only the hints
//! (`pkg/proxy/topology.go`, see [`crate::sim`]).
//!
//! Upstream walks Go maps, so ties between zones are broken at random; here
//! zones are visited in name order, which is one of the outcomes upstream
//! can produce.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Hints, StringMap};
use crate::snapshot::{ClusterNode, Endpoint};

/// `overloadThreshold` of `topologycache.go`.
const OVERLOAD_THRESHOLD: f64 = 0.2;

/// `hintsEnabled`: the deprecated `topology-aware-hints` annotation wins over
/// `topology-mode`; either enables the heuristic with `Auto` or `auto`.
pub fn auto_enabled(annotations: &StringMap) -> bool {
    let value = annotations
        .get("service.kubernetes.io/topology-aware-hints")
        .or_else(|| annotations.get("service.kubernetes.io/topology-mode"));
    matches!(value, Some("Auto" | "auto"))
}

/// Set the hints of a selector Service's endpoints; returns a sentence saying
/// what the controller decided, for the trace.
pub fn assign(
    auto: bool,
    traffic_distribution: Option<&str>,
    nodes: &[ClusterNode],
    eps: &mut [Endpoint],
) -> Option<String> {
    for e in eps.iter_mut() {
        e.hints = None;
    }
    if auto {
        return Some(match auto_hints(nodes, eps) {
            Ok(()) => "topology-mode Auto: the EndpointSlice controller allocated the ready endpoints to zones in proportion to their allocatable CPU (D.7.3)".to_owned(),
            Err(why) => format!("topology-mode Auto: no hints are published: {why} (D.7.3)"),
        });
    }
    let node_hints = match traffic_distribution? {
        "PreferClose" | "PreferSameZone" => false,
        "PreferSameNode" => true,
        _ => return None,
    };
    for e in eps.iter_mut().filter(|e| e.ready) {
        let hints = Hints {
            for_zones: e.zone.iter().map(ToString::to_string).collect(),
            for_nodes: if node_hints {
                e.node.iter().map(ToString::to_string).collect()
            } else {
                Vec::new()
            },
        };
        e.hints = (!hints.for_zones.is_empty() || !hints.for_nodes.is_empty()).then_some(hints);
    }
    None
}

/// `SetNodes` + `AddHints`, per address family.
fn auto_hints(nodes: &[ClusterNode], eps: &mut [Endpoint]) -> Result<(), String> {
    let ratios = zone_ratios(nodes)?;
    for v6 in [false, true] {
        // One hint per address; the entries of an address (one per service
        // port) share it.
        let mut addresses: Vec<(&str, Option<&str>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for e in eps.iter().filter(|e| e.ready && e.ip.contains(':') == v6) {
            if seen.insert(e.ip.as_str()) {
                addresses.push((e.ip.as_str(), e.zone.as_deref()));
            }
        }
        if addresses.is_empty() {
            continue;
        }
        let hints = allocate(&ratios, &addresses)?;
        let hints: HashMap<String, String> = hints
            .into_iter()
            .map(|(ip, zone)| (ip.to_owned(), zone))
            .collect();
        for e in eps.iter_mut().filter(|e| e.ready) {
            if let Some(zone) = hints.get(&e.ip) {
                e.hints = Some(Hints {
                    for_zones: vec![zone.clone()],
                    for_nodes: Vec::new(),
                });
            }
        }
    }
    Ok(())
}

/// Share of allocatable CPU per zone over ready, non-control-plane nodes.
fn zone_ratios(nodes: &[ClusterNode]) -> Result<BTreeMap<String, f64>, String> {
    let mut by_zone: BTreeMap<String, i64> = BTreeMap::new();
    let mut total: i64 = 0;
    for n in nodes.iter().filter(|n| !n.control_plane && n.ready) {
        match (
            n.zone.as_deref().filter(|z| !z.is_empty()),
            n.cpu_milli.filter(|c| *c > 0),
        ) {
            (Some(zone), Some(cpu)) => {
                *by_zone.entry(zone.to_owned()).or_default() += cpu;
                total += cpu;
            }
            _ => {
                return Err(format!(
                    "node {} has no topology.kubernetes.io/zone label or no allocatable CPU",
                    n.name
                ));
            }
        }
    }
    if total == 0 || by_zone.len() < 2 {
        return Err(format!(
            "ready nodes span {} zone(s); hints need at least 2",
            by_zone.len()
        ));
    }
    Ok(by_zone
        .into_iter()
        .map(|(z, cpu)| (z, cpu as f64 / total as f64))
        .collect())
}

struct Allocation {
    desired: f64,
}

/// `getAllocations`, then steps 1–3 of `AddHints`: the zone each address is
/// hinted for.
fn allocate<'a>(
    ratios: &BTreeMap<String, f64>,
    addresses: &[(&'a str, Option<&str>)],
) -> Result<Vec<(&'a str, String)>, String> {
    let allocations = allocations(ratios, addresses.len() as i64)?;
    // Step 1: every ready endpoint hinted for its own zone.
    let (mut hinted, per_zone) = own_zones(addresses)?;
    // Step 2: which zones give and which receive.
    let (giving, receiving) = exchanges(&allocations, &per_zone);
    // Step 3: hand endpoints of giving zones to receiving zones, in order.
    hand_over(&mut hinted, giving, receiving);
    Ok(hinted)
}

/// `getAllocations`: each zone's desired number of the `n` endpoints, at
/// least its minimum under the overload threshold.
fn allocations(
    ratios: &BTreeMap<String, f64>,
    n: i64,
) -> Result<BTreeMap<&str, Allocation>, String> {
    if ratios.len() as i64 > n {
        return Err(format!(
            "insufficient number of endpoints ({n} endpoints, {} zones)",
            ratios.len()
        ));
    }
    let mut remaining = n;
    let mut allocations: BTreeMap<&str, Allocation> = BTreeMap::new();
    for (zone, ratio) in ratios {
        let desired = ratio * n as f64;
        let minimum = (desired * (1.0 / (1.0 + OVERLOAD_THRESHOLD))).ceil() as i64;
        allocations.insert(
            zone,
            Allocation {
                desired: desired.max(minimum as f64),
            },
        );
        remaining -= minimum;
        if remaining < 0 {
            return Err(format!(
                "the minimum allocation per zone exceeds the overload threshold ({n} endpoints, {} zones)",
                ratios.len()
            ));
        }
    }
    Ok(allocations)
}

/// Each address with the zone it is hinted for.
type Hinted<'a> = Vec<(&'a str, String)>;

/// Every endpoint hinted for its own zone, and the endpoints per zone.
fn own_zones<'a>(
    addresses: &[(&'a str, Option<&str>)],
) -> Result<(Hinted<'a>, BTreeMap<String, i64>), String> {
    let mut hinted: Vec<(&str, String)> = Vec::with_capacity(addresses.len());
    let mut per_zone: BTreeMap<String, i64> = BTreeMap::new();
    for (ip, zone) in addresses {
        let Some(zone) = zone.filter(|z| !z.is_empty()) else {
            return Err(format!("endpoint {ip} has no zone"));
        };
        *per_zone.entry(zone.to_owned()).or_default() += 1;
        hinted.push((ip, zone.to_owned()));
    }
    Ok((hinted, per_zone))
}

/// How many endpoints each zone with more than it desires gives, and each
/// zone with fewer receives.
fn exchanges<'z>(
    allocations: &BTreeMap<&'z str, Allocation>,
    per_zone: &BTreeMap<String, i64>,
) -> (BTreeMap<&'z str, i64>, BTreeMap<&'z str, i64>) {
    let mut giving_desired: BTreeMap<&str, f64> = BTreeMap::new();
    let mut receiving_desired: BTreeMap<&str, f64> = BTreeMap::new();
    for (zone, a) in allocations {
        let have = per_zone.get(*zone).copied().unwrap_or(0) as f64;
        if have > a.desired {
            giving_desired.insert(zone, have - a.desired);
        } else if have < a.desired {
            receiving_desired.insert(zone, a.desired - have);
        }
    }
    let mut giving: BTreeMap<&str, i64> = BTreeMap::new();
    let mut receiving: BTreeMap<&str, i64> = BTreeMap::new();
    loop {
        let (gz, give) = most(&giving_desired);
        let (rz, receive) = most(&receiving_desired);
        let (Some(gz), Some(rz)) = (gz, rz) else {
            break;
        };
        if (give < 1.0 && receive < 1.0) || give < 0.5 || receive < 0.5 {
            break;
        }
        *giving.entry(gz).or_default() += 1;
        *giving_desired.get_mut(gz).expect("present") -= 1.0;
        *receiving.entry(rz).or_default() += 1;
        *receiving_desired.get_mut(rz).expect("present") -= 1.0;
    }
    (giving, receiving)
}

/// Rehint endpoints of giving zones for receiving zones, in order.
fn hand_over(
    hinted: &mut [(&str, String)],
    mut giving: BTreeMap<&str, i64>,
    mut receiving: BTreeMap<&str, i64>,
) {
    for (_, zone) in hinted {
        if giving.is_empty() || receiving.is_empty() {
            break;
        }
        let own = zone.clone();
        let Some(left) = giving.get_mut(own.as_str()) else {
            continue;
        };
        let Some((&to, want)) = receiving.iter_mut().find(|(_, w)| **w > 0) else {
            break;
        };
        to.clone_into(zone);
        *left -= 1;
        if *left == 0 {
            giving.remove(own.as_str());
        }
        *want -= 1;
        if *want == 0 {
            receiving.remove(to);
        }
    }
}

/// `getMost`: the zone with the largest positive value; the first in name
/// order among equals.
fn most<'a>(zones: &BTreeMap<&'a str, f64>) -> (Option<&'a str>, f64) {
    let mut best = (None, 0.0);
    for (z, v) in zones {
        if *v > best.1 {
            best = (Some(*z), *v);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    //! The controller cases of KEP-2433's test plan and `topologycache_test.go`.
    use super::*;
    use crate::source::Span;

    fn node(name: &str, zone: &str, cpu: i64) -> ClusterNode {
        ClusterNode {
            name: name.to_owned(),
            ip: String::new(),
            zone: Some(zone.to_owned()),
            synthetic: false,
            object: None,
            cpu_milli: Some(cpu),
            ready: true,
            control_plane: false,
        }
    }

    fn zones(nodes: &[ClusterNode], endpoint_zones: &[&str]) -> Result<Vec<String>, String> {
        let ratios = zone_ratios(nodes)?;
        let ips: Vec<String> = (0..endpoint_zones.len())
            .map(|i| format!("10.0.0.{i}"))
            .collect();
        let addresses: Vec<(&str, Option<&str>)> = ips
            .iter()
            .zip(endpoint_zones)
            .map(|(ip, z)| (ip.as_str(), Some(*z)))
            .collect();
        Ok(allocate(&ratios, &addresses)?
            .into_iter()
            .map(|(_, z)| z)
            .collect())
    }

    fn three_zones() -> Vec<ClusterNode> {
        vec![
            node("a", "zone-a", 2000),
            node("b", "zone-b", 2000),
            node("c", "zone-c", 2000),
        ]
    }

    #[test]
    fn two_endpoints_three_zones_get_no_hints() {
        let err = zones(&three_zones(), &["zone-a", "zone-b"]).unwrap_err();
        assert!(
            err.contains("insufficient number of endpoints (2 endpoints, 3 zones)"),
            "{err}"
        );
    }

    #[test]
    fn three_endpoints_three_zones_get_own_zone_hints() {
        assert_eq!(
            zones(&three_zones(), &["zone-a", "zone-b", "zone-c"]).unwrap(),
            ["zone-a", "zone-b", "zone-c"]
        );
    }

    #[test]
    fn four_endpoints_three_zones_exceed_the_threshold() {
        // desired 1.33 each, minimum ceil(1.33/1.2) = 2 each: 6 > 4.
        assert!(zones(&three_zones(), &["zone-a", "zone-a", "zone-b", "zone-c"]).is_err());
    }

    #[test]
    fn four_endpoints_in_one_of_two_zones_are_shared() {
        let nodes = [node("a", "zone-a", 1000), node("b", "zone-b", 1000)];
        let got = zones(&nodes, &["zone-a"; 4]).unwrap();
        assert_eq!(got.iter().filter(|z| *z == "zone-a").count(), 2);
        assert_eq!(got.iter().filter(|z| *z == "zone-b").count(), 2);
    }

    #[test]
    fn allocation_follows_cpu() {
        // zone-a has twice the CPU: 4 of 6 endpoints.
        let nodes = [node("a", "zone-a", 4000), node("b", "zone-b", 2000)];
        let got = zones(&nodes, &["zone-b"; 6]).unwrap();
        assert_eq!(got.iter().filter(|z| *z == "zone-a").count(), 4);
    }

    #[test]
    fn a_node_without_cpu_or_zone_disables_hints() {
        let mut nodes = three_zones();
        nodes[1].cpu_milli = None;
        assert!(zone_ratios(&nodes).unwrap_err().contains("node b"));
        // Control-plane and not-ready nodes are left out instead.
        let mut nodes = three_zones();
        nodes.push(ClusterNode {
            control_plane: true,
            cpu_milli: None,
            ..node("cp", "", 0)
        });
        nodes.push(ClusterNode {
            ready: false,
            zone: None,
            ..node("down", "", 0)
        });
        assert_eq!(zone_ratios(&nodes).unwrap().len(), 3);
    }

    #[test]
    fn one_zone_disables_hints() {
        let nodes = [node("a", "zone-a", 1000), node("b", "zone-a", 1000)];
        assert!(zone_ratios(&nodes).unwrap_err().contains("1 zone(s)"));
    }

    #[test]
    fn annotations_enable_auto() {
        let map = |pairs: &[(&str, &str)]| {
            let entries = pairs
                .iter()
                .map(|(k, v)| {
                    (
                        (*k).to_owned(),
                        (*v).to_owned(),
                        Span::default(),
                        Span::default(),
                    )
                })
                .collect();
            StringMap::from_entries(entries, Span::default())
        };
        assert!(!auto_enabled(&map(&[])));
        let mode = ("service.kubernetes.io/topology-mode", "Auto");
        assert!(auto_enabled(&map(&[mode])));
        // The deprecated annotation takes precedence.
        assert!(!auto_enabled(&map(&[
            mode,
            ("service.kubernetes.io/topology-aware-hints", "disabled")
        ])));
    }

    #[test]
    fn cpu_quantities_round_up_to_millicores() {
        use crate::model::cpu_millis;
        assert_eq!(cpu_millis("4"), Some(4000));
        assert_eq!(cpu_millis("3500m"), Some(3500));
        assert_eq!(cpu_millis("2.5"), Some(2500));
        assert_eq!(cpu_millis("0.0001"), Some(1));
        assert_eq!(cpu_millis("1k"), Some(1_000_000));
        assert_eq!(cpu_millis("two"), None);
        assert_eq!(cpu_millis(""), None);
        assert_eq!(cpu_millis("99999999999999999999"), None);
    }
}
